"""Time the registry's pages over HTTP: python benchmarks/bench_http.py [--areas 150] [--port 8180]

Serves the project under gunicorn with DEBUG off (benchmarks/bench_settings.py adds /bench-noop/, a view
that does nothing, behind the same middleware), on 127.0.0.1 only. Loads the demo and the scale
generator's national data (`manage.py generate_scale_data --areas 150`) into DATABASE_URL (a scratch
database) or a throwaway SQLite file. Then, one request at a time, prints each page's size, its first
request after the server started (cold: nothing cached), the median of the following requests (cached
where the page is cached), a conditional request answered 304 where the page sends an ETag, and each
median's ratio to the no-op view's.

Targets (issue 16): cached pages of agreed content within 3x the no-op view; uncached pages under 100 ms
at 150 areas; the home page under 30 ms and the same size at any number of areas; a sealed PDF within 2x
a static file of the same size.
"""

import argparse
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def fetch(url, headers=None):
    """(status, body bytes, headers, milliseconds) of one GET."""
    request = urllib.request.Request(url, headers=headers or {})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            body = response.read()
            status, answer = response.status, response.headers
    except urllib.error.HTTPError as error:  # 304 arrives as an "error"
        body, status, answer = error.read(), error.code, error.headers
    return status, body, answer, (time.perf_counter() - started) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--areas", type=int, default=150, help="Areas for the scale generator (0 to skip it).")
    parser.add_argument("--port", type=int, default=8180)
    parser.add_argument("--repeat", type=int, default=20, help="Requests per page after the first.")
    parser.add_argument("--workers", type=int, default=1, help="gunicorn workers (one request at a time anyway).")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="bench-http-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.bench_settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(scratch / "static"),
        "MEDIA_ROOT": str(scratch / "media"),
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{scratch / 'bench.sqlite3'}"),
    }
    os.environ.update(env)

    def manage(*command):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
        )
        print(f"manage.py {' '.join(command)}: {time.perf_counter() - started:.1f} s", flush=True)

    manage("migrate", "--no-input")
    manage("collectstatic", "--no-input")
    manage("load_demo")
    if args.areas:
        manage("generate_scale_data", "--areas", str(args.areas))

    import django

    django.setup()
    from django.db.models import Count

    from boards.models import Area
    from protocols import pdf
    from protocols.models import ProtocolVersion

    knowsley = ProtocolVersion.objects.agreed().filter(protocol__area__slug="knowsley").order_by("-number").first()
    busiest = Area.objects.annotate(n=Count("boards__relations_out")).order_by("-n").first()
    started = time.perf_counter()
    sealed = pdf.sealed_document(knowsley, base_url="http://127.0.0.1")
    print(f"draw and seal Knowsley's PDF ({sealed.page_count} pages): {time.perf_counter() - started:.2f} s")
    # A static file of the same size, served by WhiteNoise as every static file is.
    size = sealed.file.size
    same_size = Path(env["STATIC_ROOT"]) / "bench-same-size.bin"
    same_size.write_bytes(os.urandom(size))
    from django.db import connections

    connections.close_all()

    pages = [
        ("no-op view (the floor)", "/bench-noop/"),
        ("home page", "/"),
        ("home page, page 8", "/?page=8"),
        ("protocol list", "/protocols/"),
        ("API protocol list", "/api/protocols/"),
        ("Knowsley agreed version page", knowsley.get_absolute_url()),
        ("Knowsley print page", knowsley.get_absolute_url() + "print/"),
        (f"busiest area's map ({busiest.slug})", f"/areas/{busiest.slug}/map/"),
        ("Knowsley area iCal feed", "/areas/knowsley/calendar.ics"),
        ("Knowsley sealed PDF", knowsley.get_absolute_url() + "pdf/"),
        (f"static file of the same size ({size // 1024} KB)", "/static/bench-same-size.bin"),
    ]
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(240):
            try:
                fetch(base + "/bench-noop/")
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise SystemExit("gunicorn did not answer")
        for _ in range(5):
            fetch(base + "/bench-noop/")  # the worker's first requests load code
        rows = []
        floor = None
        for name, path in pages:
            status, body, headers, cold = fetch(base + path)
            assert status == 200, (path, status)
            times = [fetch(base + path)[3] for _ in range(args.repeat)]
            median = statistics.median(times)
            floor = floor or median
            etag = headers.get("ETag")
            not_modified = ""
            if etag:
                status, _, _, ms = fetch(base + path, {"If-None-Match": etag})
                not_modified = f"{ms:.1f} ({status})"
            rows.append((name, len(body), cold, median, median / floor, not_modified))
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"\n{'page':44} {'bytes':>8} {'cold ms':>8} {'median ms':>9} {'x floor':>7} {'304 ms':>10}")
    for name, size, cold, median, ratio, not_modified in rows:
        print(f"{name:44} {size:>8} {cold:>8.1f} {median:>9.1f} {ratio:>7.1f} {not_modified:>10}")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
