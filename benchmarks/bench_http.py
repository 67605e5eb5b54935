"""Time the registry's pages over HTTP: python benchmarks/bench_http.py [--areas 150] [--port 8180]

Serves the project under gunicorn with DEBUG off (benchmarks/bench_settings.py adds /bench-noop/, a view
that does nothing, behind the same middleware), on 127.0.0.1 only. Loads the demo and the scale
generator's national data (`manage.py generate_scale_data --areas 150`) into DATABASE_URL (a scratch
database) or a throwaway SQLite file. Then, one request at a time, prints each page's size, its first
request after the server started (cold: nothing cached), the median of the following requests (cached
where the page is cached), the median of conditional requests (answered 304) where the page sends an ETag
or a Last-Modified date, all taken in rounds of one request of each kind, so that the machine's load weighs
on every page alike, each median's ratio to the no-op view's, the fastest request and its ratio to the no-op
view's fastest (the least disturbed by other work on the machine), and the load average before and after.
With --keep FOLDER, static files and media stay in FOLDER, and later runs skip collectstatic and reuse
the data already in the database.

Targets (issue 16): cached pages of agreed content within 3x the no-op view; uncached pages under 100 ms
at 150 areas; the home page under 30 ms and the same size at any number of areas; a sealed PDF within 2x
a static file of the same size.

With CACHE_BACKEND=django.core.cache.backends.dummy.DummyCache nothing is cached (Graphviz's output neither),
so the medians are of pages drawn afresh each time; a 304 is still answered, from the change counters alone.
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
    parser.add_argument("--repeat", type=int, default=50, help="Requests per page after the first.")
    parser.add_argument("--workers", type=int, default=1, help="gunicorn workers (one request at a time anyway).")
    parser.add_argument(
        "--keep",
        metavar="FOLDER",
        help="Keep static files and media in FOLDER and reuse them on the next run (collectstatic runs once).",
    )
    args = parser.parse_args()

    scratch = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-http-"))
    scratch.mkdir(parents=True, exist_ok=True)
    print(f"load average at the start: {' '.join(f'{n:.1f}' for n in os.getloadavg())}", flush=True)
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
    if not (args.keep and (scratch / "static" / "staticfiles.json").exists()):
        manage("collectstatic", "--no-input")

    import django

    django.setup()
    from django.conf import settings
    from django.db.models import Count

    from boards.models import Area, Board
    from protocols import pdf
    from protocols.models import ProtocolVersion

    # A kept run reuses the data already loaded: loading the demo again over 150 areas takes minutes.
    if not (args.keep and ProtocolVersion.objects.agreed().filter(protocol__area__slug="knowsley").exists()):
        manage("load_demo")
        if args.areas:
            manage("generate_scale_data", "--areas", str(args.areas))

    knowsley = ProtocolVersion.objects.agreed().filter(protocol__area__slug="knowsley").order_by("-number").first()
    busiest = Area.objects.annotate(n=Count("boards__relations_out")).order_by("-n").first()
    board = Board.objects.filter(areas=busiest).annotate(n=Count("relations_out")).order_by("-n").first()
    started = time.perf_counter()
    stored = pdf.stored_document(knowsley)
    sealed = stored or pdf.sealed_document(knowsley, base_url="http://127.0.0.1")
    drawn = "stored by an earlier run" if stored else f"{time.perf_counter() - started:.2f} s"
    print(f"draw and seal Knowsley's PDF ({sealed.page_count} pages): {drawn}")
    # A signed-in reader with no role: their page's body is cached, the header around it drawn for them.
    from django.contrib.auth import get_user_model
    from django.test import Client

    reader, _ = get_user_model().objects.get_or_create(username="bench-reader")
    signed_in = Client()
    signed_in.force_login(reader)
    session_cookie = f"{settings.SESSION_COOKIE_NAME}={signed_in.cookies[settings.SESSION_COOKIE_NAME].value}"
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
        ("Knowsley agreed version page, signed in", knowsley.get_absolute_url(), {"Cookie": session_cookie}),
        (f"busiest area's map ({busiest.slug})", f"/areas/{busiest.slug}/map/"),
        ("  the same, one board chosen", f"/areas/{busiest.slug}/map/?board={board.slug}"),
        ("  the same, the picture alone (?partial=1)", f"/areas/{busiest.slug}/map/?partial=1"),
        (f"its busiest board's page ({board.slug})", board.get_absolute_url()),
        ("  that board's calendar", f"/boards/{board.slug}/calendar/"),
        ("  that board's iCal feed", f"/boards/{board.slug}/calendar.ics"),
        ("Knowsley area calendar", "/areas/knowsley/calendar/"),
        ("Knowsley area iCal feed", "/areas/knowsley/calendar.ics"),
        ("API protocol detail (Knowsley's)", f"/api/protocols/{knowsley.protocol_id}/"),
        ("API board list", "/api/boards/"),
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
        pages = [(name, path, sent[0] if sent else {}) for name, path, *sent in pages]
        first = {}
        for name, path, sent in pages:
            status, body, headers, cold = fetch(base + path, sent)
            assert status == 200, (path, status)
            first[name] = (body, headers, cold)
        # The requests timed: each page, and each conditional request its validators allow (answered 304).
        probes = []
        for name, path, sent in pages:
            probes.append((name, path, sent))
            headers = first[name][1]
            for validator, condition in (("ETag", "If-None-Match"), ("Last-Modified", "If-Modified-Since")):
                if headers.get(validator):
                    probes.append(((name, condition), path, {**sent, condition: headers[validator]}))
        # Round after round, each probe once: the load other work puts on the machine weighs on every page
        # alike, so the ratios hold better than the times.
        times = {probe: [] for probe, _, _ in probes}
        statuses = {}
        for _ in range(args.repeat):
            for probe, path, sent in probes:
                status, _, _, ms = fetch(base + path, sent)
                times[probe].append(ms)
                statuses[probe] = status
        rows = []
        floor = statistics.median(times[pages[0][0]])
        fastest_floor = min(times[pages[0][0]])
        for name, _, _ in pages:
            body, headers, cold = first[name]
            median, fastest = statistics.median(times[name]), min(times[name])
            not_modified = " / ".join(
                f"{statistics.median(times[name, condition]):.1f} ({statuses[name, condition]})"
                for condition in ("If-None-Match", "If-Modified-Since")
                if (name, condition) in times
            )
            rows.append((name, len(body), cold, median, median / floor, fastest, fastest / fastest_floor, not_modified))
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"\n{'page':44} {'bytes':>8} {'cold ms':>8} {'median ms':>9} {'x floor':>7} {'fastest':>7} {'x floor':>7}"
        "  304 ms (ETag / date)"
    )
    for name, size, cold, median, ratio, fastest, fastest_ratio, not_modified in rows:
        print(
            f"{name:44} {size:>8} {cold:>8.1f} {median:>9.1f} {ratio:>7.1f} {fastest:>7.2f} {fastest_ratio:>7.1f}"
            f"  {not_modified}"
        )
    by_name = {row[0]: row for row in rows}
    sealed_pdf, static = by_name["Knowsley sealed PDF"], rows[-1]
    print(
        f"\nsealed PDF / static file of the same size: {sealed_pdf[3] / static[3]:.1f}x by the median, "
        f"{sealed_pdf[5] / static[5]:.1f}x by the fastest (target: 2x)"
    )
    print(f"\nload average at the end: {' '.join(f'{n:.1f}' for n in os.getloadavg())}")
    if not args.keep:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
