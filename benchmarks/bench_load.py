"""Load the registry with simulated users: python benchmarks/bench_load.py [--users 50] [--run-time 60s]

Needs locust (`pip install ".[bench]"`). Like bench_http.py: loads the demo, its accounts
(create_demo_accounts) and the scale generator's national data (`generate_scale_data --areas 150`) into
DATABASE_URL (a scratch database) or a throwaway SQLite file, draws and seals the PDFs readers will
download, then serves the project under gunicorn with DEBUG off on 127.0.0.1 only, as the Dockerfile
does (three sync workers unless told otherwise).

Then locust (headless, for --run-time) runs --users simulated users (benchmarks/locustfile.py):
anonymous readers (home page, area pages, protocol lists, agreed versions and their print pages, maps,
calendars, iCal feeds, sealed PDFs, API reads), signed-in board members of the demo areas (home page,
board pages, calendars, map, versions) and exactly two business managers of Knowsley, who edit the same
draft in the editor and through the API, send it for approval, record approvals until it is agreed, and
start again. A manager's answer the rules give on purpose (someone saved the clause first, the draft was
sent or agreed meanwhile) is counted apart, not as an error.

Prints requests per second, p50/p95/p99 per kind of request and overall, errors with their reasons,
the server's logged errors, the gunicorn setup and the machine's load average.

Board members arrive signed in (sessions made beforehand, as for people who signed in earlier in the
fortnight a session lasts) and sign in again through the form now and then; the managers sign in through
the form. Signing in hashes the password on purpose slowly (PBKDF2), so a crowd all signing in at once
would measure little else.

Again on the same database: `--no-setup` with STATIC_ROOT and MEDIA_ROOT set to folders kept between
runs skips loading, collecting static files and drawing the readers' PDFs.

The cache is each worker's memory unless CACHE_URL names a Redis (`CACHE_URL=redis://127.0.0.1:6379/0`),
which is how docker-compose.yml runs the registry: then the three workers share what each one drew.

Target (issue 16): 50 simulated users, 0 errors, p95 under 250 ms.
"""

import argparse
import csv
import importlib.util
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def timed(url):
    started = time.perf_counter()
    answers(url)
    return (time.perf_counter() - started) * 1000


def answers(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status == 200
    except (OSError, urllib.error.HTTPError):
        return False


def prepare(args, env):
    """Fill the database and return the plan the simulated users follow."""

    def manage(*command):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
        )
        print(f"manage.py {' '.join(command)}: {time.perf_counter() - started:.1f} s", flush=True)

    manage("migrate", "--no-input")  # also on a database kept from an earlier run: the code may have moved on
    if not args.no_setup:
        manage("load_demo")
        manage("create_demo_accounts")  # before the generated areas: accounts for the demo areas only
        if args.areas:
            manage("generate_scale_data", "--areas", str(args.areas))
    if not (args.no_setup and (Path(env["STATIC_ROOT"]) / "staticfiles.json").exists()):
        manage("collectstatic", "--no-input")

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connections

    from benchmarks import load_plan
    from boards.models import Area, RoleAssignment
    from protocols import pdf
    from protocols.models import ProtocolVersion

    # The second business manager of the managers' area, so that two people edit the same draft.
    area = Area.objects.get(slug=load_plan.MANAGER_AREA)
    for username in load_plan.MANAGERS:
        user, created = get_user_model().objects.get_or_create(username=username)
        if created:
            user.set_password(load_plan.PASSWORD)
            user.save()
        RoleAssignment.objects.get_or_create(
            user=user, role=RoleAssignment.Role.BUSINESS_MANAGER, area=area, board=None
        )

    # Readers download PDFs already drawn, as they are once a version is agreed: the demo's and a few more.
    started = time.perf_counter()
    agreed = ProtocolVersion.objects.agreed().select_related("protocol").order_by("protocol__area__slug")
    demo = [version for version in agreed if version.protocol.area.slug in DEMO_AREAS]
    generated = [version for version in agreed[: args.pdfs + len(demo)] if version not in demo][: args.pdfs]
    with_pdf = [*demo, *generated]
    for version in with_pdf:
        pdf.sealed_document(version, base_url="http://127.0.0.1")
    print(f"draw and seal {len(with_pdf)} PDFs: {time.perf_counter() - started:.1f} s", flush=True)
    plan = load_plan.build_plan(pdf_versions=with_pdf)
    # Board members arrive signed in, as people who signed in earlier in the fortnight a session lasts:
    # sessions made here, one for each simulated member. Signing in again is one of their tasks.
    for member in plan["members"]:
        user = get_user_model().objects.get(username=member["username"])
        member["sessions"] = [signed_in_session(user) for _ in range(args.users)]
    plan["session_cookie"] = settings.SESSION_COOKIE_NAME
    connections.close_all()
    return plan


def signed_in_session(user):
    """The key of a new session signed in as `user`, as django.contrib.auth.login would store it."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


DEMO_AREAS = {"west-berkshire", "westminster", "cheshire-west-and-chester", "slough", "knowsley"}


def read_stats(prefix):
    with open(f"{prefix}_stats.csv", newline="") as handle:
        stats = list(csv.DictReader(handle))
    with open(f"{prefix}_failures.csv", newline="") as handle:
        failures = list(csv.DictReader(handle))
    return stats, failures


def cpu_seconds(pid):
    """CPU time (user and system) used so far by gunicorn's master and workers."""
    import psutil  # comes with locust

    processes = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    return sum(sum(process.cpu_times()[:2]) for process in processes)


def worker_times(access_log):
    """Milliseconds each request spent in a worker, by kind, from gunicorn's access log."""
    times = {}
    for line in access_log.read_text(errors="replace").splitlines():
        kind, _, ms = line.rpartition("\t")
        if kind not in ("", "-") and ms.isdigit():
            times.setdefault(kind, []).append(int(ms))
    return times


def percentile(values, fraction):
    values = sorted(values)
    return values[min(len(values) - 1, int(fraction * len(values)))] if values else 0


def report(stats, failures, server_errors, duration, server_cpu, in_worker):
    def ms(row, column):
        value = row.get(column) or "0"
        return "n/a" if value == "N/A" else f"{float(value):.0f}"

    rows = sorted((row for row in stats if row["Name"] != "Aggregated"), key=lambda row: row["Name"])
    total = next(row for row in stats if row["Name"] == "Aggregated")
    print(
        f"\n{'request':66} {'count':>5} {'req/s':>5} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>6} {'errors':>6}"
        f" | {'in worker p50':>13} {'p95':>5}"
    )
    every = [ms for times in in_worker.values() for ms in times]
    for row in [*rows, total]:
        name = "all requests" if row is total else row["Name"]
        # A request answered "(expected)" was logged under its kind's name; its worker times are in that row.
        worker = every if row is total else in_worker.get(name, [])
        print(
            f"{name:66} {row['Request Count']:>5} {float(row['Requests/s']):>5.1f} {ms(row, '50%'):>6}"
            f" {ms(row, '95%'):>6} {ms(row, '99%'):>6} {ms(row, 'Max Response Time'):>6} {row['Failure Count']:>6}"
            + (f" | {percentile(worker, 0.5):>13} {percentile(worker, 0.95):>5}" if worker else " |")
        )
    print(
        "(times in ms: from the simulated user's request to the end of the answer, then the part of it spent in"
        " a gunicorn worker, from its access log; the rest is waiting for a free worker)"
    )
    expected = [row for row in rows if row["Name"].endswith("(expected)")]
    if expected:
        print("\nAnswered as the rules say, counted apart from errors:")
        for row in expected:
            print(f"  {row['Request Count']:>5}  {row['Name']}")
    errors = int(total["Failure Count"])
    print(f"\nErrors: {errors} of {total['Request Count']} requests")
    for failure in failures:
        print(f"  {failure['Occurrences']:>5}  {failure['Method']} {failure['Name']}: {failure['Error']}")
    print(f"Server errors logged by the application: {len(server_errors)}")
    for line in server_errors[:10]:
        print(f"  {line}")
    count = int(total["Request Count"]) or 1
    print(
        f"Server CPU: {server_cpu:.1f} s for {count} requests, {server_cpu * 1000 / count:.0f} ms a request on"
        f" average: {os.cpu_count()} idle cores would serve about {os.cpu_count() * count / server_cpu:.0f} requests/s"
        " of this mix."
    )
    p95 = float(total["95%"] or 0)
    print(
        f"\nThroughput {float(total['Requests/s']):.1f} requests/s over {duration:.0f} s;"
        f" p50 {ms(total, '50%')} ms, p95 {p95:.0f} ms, p99 {ms(total, '99%')} ms."
        f" Target: 0 errors and p95 under 250 ms: {'met' if errors == 0 and p95 < 250 else 'not met'}."
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50, help="Simulated users, the business managers included.")
    parser.add_argument(
        "--managers", type=int, default=2, help="Business managers among the users (0: readers and members only)."
    )
    parser.add_argument("--spawn-rate", type=float, default=10, help="Users started per second.")
    parser.add_argument("--run-time", default="60s", help="How long the load lasts (locust's format: 60s, 5m).")
    parser.add_argument("--areas", type=int, default=150, help="Areas for the scale generator (0 to skip it).")
    parser.add_argument("--pdfs", type=int, default=5, help="Generated protocols' PDFs drawn for readers.")
    parser.add_argument("--port", type=int, default=8640)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (the Dockerfile runs 3).")
    parser.add_argument("--threads", type=int, default=1, help="Threads per worker (above 1: gthread workers).")
    parser.add_argument(
        "--no-setup",
        action="store_true",
        help="DATABASE_URL already holds the demo, its accounts and the generated areas: do not load them again.",
    )
    parser.add_argument("--verbose", action="store_true", help="Show locust's own output too.")
    args = parser.parse_args()
    if importlib.util.find_spec("locust") is None:
        parser.error('locust is not installed: pip install ".[bench]"')
    if args.no_setup and not os.environ.get("DATABASE_URL"):
        parser.error("--no-setup needs DATABASE_URL")

    scratch = Path(tempfile.mkdtemp(prefix="bench-load-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": os.environ.get("STATIC_ROOT", str(scratch / "static")),
        "MEDIA_ROOT": os.environ.get("MEDIA_ROOT", str(scratch / "media")),
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{scratch / 'bench.sqlite3'}"),
    }
    os.environ.update(env)
    plan = prepare(args, env)
    plan_file = scratch / "plan.json"
    plan_file.write_text(json.dumps(plan))

    worker_class = "gthread" if args.threads > 1 else "sync"
    gunicorn = [
        *("--workers", str(args.workers), "--worker-class", worker_class, "--threads", str(args.threads)),
        *("--timeout", "60"),
    ]
    access_log = scratch / "access.log"
    timing = [*("--access-logfile", str(access_log), "--access-logformat", "%({x-bench-kind}i)s\t%(M)s")]
    server_log = scratch / "server.log"
    base = f"http://127.0.0.1:{args.port}"
    with open(server_log, "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{args.port}"]
            + [*gunicorn, *timing],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        for _ in range(240):
            if answers(base + "/accounts/login/"):
                break
            time.sleep(0.5)
        else:
            raise SystemExit(f"gunicorn did not answer; its log: {server_log}")
        # Each worker's first requests import code and compile templates: a few rounds of every kind of
        # page first, so that the figures are of a server that has been up for a while.
        for _ in range(args.workers * 2):
            for paths in plan["readers"].values():
                if paths:
                    answers(base + paths[0])
        # How fast this machine is right now: a small page, one request at a time, before the load.
        alone = sorted(timed(base + "/accounts/login/") for _ in range(20))
        load_before = os.getloadavg()
        server_cpu_before = cpu_seconds(server.pid)
        prefix = scratch / "locust"
        locust = [
            *(sys.executable, "-m", "locust", "-f", str(ROOT / "benchmarks" / "locustfile.py"), "--headless"),
            *("--users", str(args.users), "--spawn-rate", str(args.spawn_rate), "--run-time", args.run_time),
            *("--host", base, "--csv", str(prefix), "--only-summary", "--stop-timeout", "10"),
            *("--exit-code-on-error", "0"),
            # Naming the user classes leaves the managers out (locust reads a fixed count of 0 as none fixed).
            *(("Reader", "BoardMember") if args.managers == 0 else ()),
        ]
        print(
            f"\nlocust: {args.users} users ({args.spawn_rate:g} started a second) for {args.run_time}; load average"
            f" {load_before[0]:.1f}",
            flush=True,
        )
        started = time.perf_counter()
        output = None if args.verbose else subprocess.DEVNULL
        subprocess.run(
            locust,
            cwd=ROOT,
            env={**env, "LOAD_PLAN": str(plan_file), "LOAD_MANAGERS": str(args.managers)},
            check=True,
            stdout=output,
            stderr=output,
        )
        duration = time.perf_counter() - started
        load_after = os.getloadavg()
        server_cpu = cpu_seconds(server.pid) - server_cpu_before
    finally:
        server.terminate()
        server.wait(timeout=30)
    server_errors = [
        line.strip()
        for line in server_log.read_text(errors="replace").splitlines()
        if "Internal Server Error" in line or "[ERROR]" in line or "[CRITICAL]" in line or "Error" in line[:40]
    ]
    stats, failures = read_stats(prefix)
    print(
        f"\ngunicorn: {args.workers} {worker_class} workers"
        + (f" x {args.threads} threads" if args.threads > 1 else "")
        + f", DEBUG off, {'PostgreSQL' if env['DATABASE_URL'].startswith('postgres') else 'SQLite'},"
        f" cache {'in Redis (CACHE_URL)' if env.get('CACHE_URL', '').startswith('redis') else 'in each worker'};"
        f" {len(plan['members'])} board member accounts"
        + (f", {args.managers} managers: {', '.join(m['username'] for m in plan['managers'])}" if args.managers else "")
    )
    print(f"The sign-in form alone, one request at a time before the load: median {alone[10]:.0f} ms")
    print(
        f"Load average (1, 5, 15 min): before {load_before[0]:.1f}, after {', '.join(f'{x:.1f}' for x in load_after)}"
    )
    report(stats, failures, server_errors, duration, server_cpu, worker_times(access_log))
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
