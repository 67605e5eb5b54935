"""The deployment as written starts: production settings pass Django's deploy checks, static files
collect with the manifest storage, the container starts without demo accounts unless asked, and
signature images are served (to those who may read the version) with DEBUG off."""

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse

from protocols.models import ProtocolVersion
from tests.factories import ApprovalFactory, PartyFactory, ProtocolFactory, VersionFactory

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-production-like-secret-key-that-is-long-and-random-3f9c2e7a",
    "ALLOWED_HOSTS": "registry.example.org",
}


def manage(*args, env=None, **kwargs):
    # The browser tests' conftest, imported by every test process, allows the ORM inside Playwright's
    # event loop; a deployment never sets that, and `check --deploy` rightly refuses it.
    unset = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {key: value for key, value in os.environ.items() if key not in unset}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, **kwargs
    )


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("key", ["", "insecure-local-only-key-change-me", "change-me-before-use", "short-key"])
def test_production_settings_refuse_a_missing_or_placeholder_secret_key(key):
    result = manage("check", env={**PRODUCTION, "SECRET_KEY": key})
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    ("cache_url", "cache", "sessions"),
    [
        ("redis://127.0.0.1:6379/0", "RedisCache", "sessions.backends.cached_db"),
        ("", "LocMemCache", "sessions.backends.db"),
    ],
)
def test_sessions_are_read_from_the_cache_only_when_it_is_shared(cache_url, cache, sessions):
    """With Redis (compose) a session is read from the shared cache; with each process's own memory a
    session signed out in one process could live on in another's copy, so sessions stay in the database."""
    shown = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE)"
    result = manage("shell", "-c", shown, env={**PRODUCTION, "CACHE_URL": cache_url})
    assert result.returncode == 0, result.stderr
    backend, engine = result.stdout.splitlines()[-1].split()
    assert backend.endswith(cache) and engine.endswith(sessions)


def test_database_connections_are_checked_before_reuse():
    """After a database restart a persistent connection is replaced, not used for one failing request."""
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_compose_requires_a_secret_key_and_builds_the_image():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    web = compose["services"]["web"]
    assert web["build"] == "."
    assert web["environment"]["SECRET_KEY"].startswith("${SECRET_KEY:?")
    assert web["environment"]["DEBUG"] == "false"
    assert "demo" not in str(web.get("command", ""))


def test_compose_runs_the_pdf_worker_beside_web_on_the_same_image_data_and_media():
    """The worker draws PDFs into the media web serves them from, and waits for web to migrate rather than race it."""
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    web, worker = services["web"], services["worker"]
    assert worker["image"] == web["image"]
    assert worker["environment"] == web["environment"]
    assert worker["volumes"] == web["volumes"] == ["media:/app/media"]
    started = " ".join(worker["entrypoint"] + worker["command"])
    assert "migrate --check" in started and "exec python manage.py db_worker --no-reload" in started
    assert "migrate --no-input" not in started
    assert worker["restart"] == "unless-stopped"


def test_make_run_starts_the_pdf_worker_beside_the_server_and_stops_it_with_the_server(tmp_path):
    """`make run` queues the missing PDFs, starts the worker in the background, serves, and when the server
    stops the worker is stopped too (no worker left running after Ctrl+C)."""
    log = tmp_path / "calls"
    bin_dir = tmp_path / "venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").write_text(
        "#!/bin/sh\n"
        'case "$*" in\n'
        f"  *db_worker*) echo worker started >> {log}; trap 'echo worker stopped >> {log}; exit 0' TERM;"
        " for i in $(seq 300); do sleep 0.1; done;;\n"  # gone by itself after 30 s if never stopped
        f'  *runserver*) sleep 0.5; echo "$*" >> {log};;\n'
        f'  *) echo "$*" >> {log};;\n'
        "esac\n"
    )
    (bin_dir / "python").chmod(0o755)
    result = subprocess.run(
        ["make", "--no-print-directory", "-o", "demo", f"VENV={tmp_path / 'venv'}", "PORT=8619", "run"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert log.read_text().splitlines() == [
        "manage.py prepare_pdfs",
        "worker started",
        "manage.py runserver 127.0.0.1:8619",
        "worker stopped",
    ]


def test_dockerfile_is_multi_stage_non_root_and_collects_static_at_build_time():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.count("\nFROM ") + dockerfile.startswith("FROM ") >= 2
    assert "libpango-1.0-0" in dockerfile
    assert "collectstatic --no-input" in dockerfile
    users = [line.split()[1] for line in dockerfile.splitlines() if line.startswith("USER ")]
    assert users and users[-1] != "root"


def _entrypoint(tmp_path, demo):
    """Run the container's entrypoint with a stand-in python that records what it was asked to run."""
    log = tmp_path / "calls"
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "python").write_text(f'#!/bin/sh\necho "$@" >> {log}\n')
    (fake / "python").chmod(0o755)
    env = {"PATH": f"{fake}:/usr/bin:/bin", "DEMO": demo}
    result = subprocess.run(
        ["sh", str(ROOT / "scripts/docker-entrypoint.sh"), "true"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return log.read_text().splitlines()


def test_container_start_loads_no_demo_accounts_unless_asked(tmp_path):
    assert _entrypoint(tmp_path, "0") == ["manage.py migrate --no-input"]


def test_container_start_with_demo_loads_demo_data_and_accounts(tmp_path):
    calls = _entrypoint(tmp_path, "1")
    assert "manage.py load_demo" in calls
    assert "manage.py create_demo_accounts" in calls
    assert calls[-1] == "manage.py prepare_pdfs"  # the demo's PDFs, queued for the worker


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def signature(db, area, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.DEBUG = False
    version = VersionFactory(protocol=ProtocolFactory(area=area), status=ProtocolVersion.Status.DRAFT)
    approval = ApprovalFactory(party=PartyFactory(version=version), signature_kind="uploaded")
    approval.signature_image.save("sig.png", ContentFile(PNG))
    return approval


def test_signature_image_is_served_to_the_areas_manager_with_debug_off(client, signature, business_manager):
    client.force_login(business_manager)
    response = client.get(reverse("protocols:approval_signature", args=[signature.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG


def test_a_drafts_signature_is_hidden_from_anonymous_readers_and_outsiders(client, signature, outsider):
    url = reverse("protocols:approval_signature", args=[signature.pk])
    assert client.get(url).status_code == 404
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_an_agreed_versions_signature_is_public(client, signature):
    ProtocolVersion.objects.filter(pk=signature.party.version_id).update(status=ProtocolVersion.Status.AGREED)
    assert client.get(reverse("protocols:approval_signature", args=[signature.pk])).status_code == 200


def test_the_media_folder_is_not_served(client, signature):
    """Media holds the self-signed sealing key too: nothing is served from it by path."""
    assert client.get("/media/" + signature.signature_image.name).status_code == 404


def test_gunicorn_serves_pages_and_static_files_with_debug_off(tmp_path):
    """The production set-up end to end on one machine: migrate, collectstatic with the manifest storage,
    gunicorn; the manifest lists the project's and the vendored files, and the home page and a hashed static
    file answer 200 (with the manifest missing, every page was a 500)."""
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **PRODUCTION,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
    }
    # The two commands need nothing of each other: they run side by side (collectstatic is the long one).
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(
            pool.map(
                lambda command: manage(*command, env=env, timeout=300),
                [("migrate", "--no-input"), ("collectstatic", "--no-input")],
            )
        )
    for result in results:
        assert result.returncode == 0, result.stdout + result.stderr
    # collectstatic with the manifest storage (compressing every file, a long step) runs here only.
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "vendor/js/Sortable.min.js" in manifest and "js/map.js" in manifest
    assert "vendor/govuk/govuk-frontend.min.css" in manifest
    # Files are served compressed, except source maps (only developer tools fetch them; compressing the API
    # docs' maps was half of collectstatic's time).
    static_root = tmp_path / "static"
    assert (static_root / "css/registry.css.gz").exists()
    maps = list(static_root.rglob("*.map"))
    assert maps and not any(path.with_name(path.name + ".gz").exists() for path in maps)
    environment = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "SECRET_KEY"}}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env={**environment, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                home = urllib.request.urlopen(base + "/", timeout=5)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("gunicorn did not answer")
        html = home.read().decode()
        assert home.status == 200
        stylesheet = re.search(r'href="(/static/css/registry\.[0-9a-f]{12}\.css)"', html).group(1)
        static = urllib.request.urlopen(base + stylesheet, timeout=5)
        assert static.status == 200
        # Hashed names never change content: WhiteNoise lets browsers keep them for ten years without asking.
        assert "max-age=315360000" in static.headers["Cache-Control"]
        assert "immutable" in static.headers["Cache-Control"]
    finally:
        server.terminate()
        server.wait(timeout=30)
