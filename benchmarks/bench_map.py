"""Time the accountability pages: python benchmarks/bench_map.py [--areas 150]

Loads the demo protocols and the scale generator's national data (150 areas by default) into a
throwaway SQLite database (or DATABASE_URL, which should then be a scratch database), then prints
the server time (median and worst of 20 requests, through Django's test client, so no network) and
the query count of: Knowsley's map page, its JSON data endpoint, the KSCB board page, the same
three for the largest generated area and board, and the comparison of four demo areas and of the
six busiest areas. Target: under 150 ms each (no target is set for comparing six areas).

Then the drawing alone (graph to SVG through Graphviz's `dot`) of the busiest generated area and of
Cheshire West and Chester, the busiest demo area: first with an empty cache each time (`dot` runs),
then with `dot`'s output cached as the pages use it. Target: under 300 ms.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.scratch import load_data, start_django  # noqa: E402

REPEATS = 20
UNTARGETED = {"compare the 6 busiest areas"}  # an analyst's page, six whole maps at once
FOUR_DEMO_AREAS = ["knowsley", "slough", "cheshire-west-and-chester", "west-berkshire"]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--areas", type=int, default=150, help="Areas for the scale generator (0 to skip it).")
    args = parser.parse_args()
    start_django()
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from boards.models import Area, Board

    settings.ALLOWED_HOSTS = ["*"]
    started = time.perf_counter()
    load_data(areas=args.areas)
    print(
        f"database migrated and data loaded in {time.perf_counter() - started:.1f} s: {Area.objects.count()} areas, {Board.objects.count()} boards"
    )

    by_arrows = Area.objects.annotate(n=Count("boards__relations_out")).order_by("-n")
    biggest_area = by_arrows.first()
    busiest_six = list(by_arrows[:6])
    biggest_board = Board.objects.annotate(n=Count("memberships")).order_by("-n").first()
    urls = [
        ("Knowsley map page", "/areas/knowsley/map/"),
        ("Knowsley map data", "/areas/knowsley/map.json"),
        ("KSCB board page", "/boards/knowsley-kscb/"),
        (f"{biggest_area.name[:24]} map page", f"/areas/{biggest_area.slug}/map/"),
        (f"{biggest_area.name[:24]} map data", f"/areas/{biggest_area.slug}/map.json"),
        (f"{biggest_board.label[:24]} board page", f"/boards/{biggest_board.slug}/"),
        ("compare 4 demo areas", "/compare/?" + "&".join(f"area={slug}" for slug in FOUR_DEMO_AREAS)),
        ("compare the 6 busiest areas", "/compare/?" + "&".join(f"area={area.slug}" for area in busiest_six)),
    ]
    client = Client()
    print(f"{'page':38} {'queries':>7} {'median ms':>10} {'worst ms':>9} {'target':>7}")
    for name, url in urls:
        connection.queries_log.clear()  # the log is capped; loading the data filled it
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)  # also warms templates and caches
        assert response.status_code == 200, (url, response.status_code)
        timings = []
        for _ in range(REPEATS):
            began = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - began) * 1000)
        median = statistics.median(timings)
        verdict = "-" if name in UNTARGETED else ("ok" if median < 150 else "SLOW")
        print(f"{name:38} {len(queries):>7} {median:>10.1f} {max(timings):>9.1f} {verdict:>7}")

    from django.core.cache import cache

    from accountability.graph import area_graph
    from accountability.svg import draw

    print()
    print(f"{'drawing the map':38} {'arrows':>7} {'median ms':>10} {'worst ms':>9} {'target':>7}")
    cheshire = Area.objects.get(slug="cheshire-west-and-chester")
    for area in (biggest_area, cheshire):
        graph = area_graph(area)
        for cached in (False, True):
            draw(graph)
            timings = []
            for _ in range(REPEATS):
                if not cached:
                    cache.clear()
                began = time.perf_counter()
                drawing = draw(graph)
                timings.append((time.perf_counter() - began) * 1000)
            median = statistics.median(timings)
            name = f"{area.name[:24]} ({'cached' if cached else 'dot runs'})"
            verdict = "ok" if median < 300 else "SLOW"
            print(f"{name:38} {len(drawing.arrows):>7} {median:>10.1f} {max(timings):>9.1f} {verdict:>7}")


if __name__ == "__main__":
    main()
