"""Time the scale-data generator: python benchmarks/bench_scale.py [--areas 150].

Uses the database named by DATABASE_URL (default: a throwaway SQLite file). It generates into a fresh
database, so point it at a scratch database, never at real data.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--areas", type=int, default=150)
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("generate_scale_data", clear=True, areas=0, verbosity=0)
    started = time.perf_counter()
    call_command("generate_scale_data", areas=args.areas)
    elapsed = time.perf_counter() - started
    print(
        f"{connection.vendor}: {args.areas} areas in {elapsed:.1f} s ({elapsed / max(args.areas, 1) * 1000:.0f} ms per area)"
    )


if __name__ == "__main__":
    main()
