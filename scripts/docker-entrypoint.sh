#!/bin/sh
# Container start: bring the database schema up to date, then run the given command (gunicorn).
# Demo data and demo accounts are loaded only when DEMO=1: they carry a published password.
set -eu
python manage.py migrate --no-input
if [ "${CACHE_BACKEND:-}" = "django.core.cache.backends.db.DatabaseCache" ]; then
  python manage.py createcachetable
fi
if [ "${DEMO:-0}" = "1" ]; then
  python manage.py load_demo
  python manage.py create_demo_accounts
  python manage.py prepare_pdfs  # the demo is written row by row, so its PDFs are queued here for the worker
fi
exec "$@"
