# The Protocol Registry under gunicorn. Build: docker build -t protocol-registry .
# Stage 1 builds the Python dependencies into a virtualenv; stage 2 is the runtime with WeasyPrint's
# system libraries, Graphviz (which lays out the accountability map), the collected static files and an
# unprivileged user.
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /venv
WORKDIR /src
COPY pyproject.toml ./
RUN /venv/bin/pip install --upgrade pip && /venv/bin/pip install .

FROM python:3.11-slim-bookworm AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core graphviz \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system registry && useradd --system --gid registry --home-dir /app --shell /usr/sbin/nologin registry
COPY --from=build /venv /venv
ENV PATH=/venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DEBUG=false STATIC_ROOT=/app/staticfiles MEDIA_ROOT=/app/media
WORKDIR /app
COPY --chown=registry:registry . .
# collectstatic needs settings but no database or real secret: a throwaway key just for this step.
RUN SECRET_KEY=build-only-collectstatic-key-not-used-at-run-time-0123456789 \
    python manage.py collectstatic --no-input \
 && mkdir -p /app/media && chown registry:registry /app/media
USER registry
EXPOSE 8000
ENTRYPOINT ["/app/scripts/docker-entrypoint.sh"]
# Sync workers: WeasyPrint is not thread-safe.
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--worker-class", "sync", "--timeout", "60", "--access-logfile", "-"]
