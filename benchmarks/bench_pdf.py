"""Time the protocol PDF: python benchmarks/bench_pdf.py [--areas 5]

For each demo protocol's agreed version and for the largest protocol the scale generator makes,
prints: pages, render time (WeasyPrint, PDF/A-3a with certificate page), sealing time (pyHanko),
and the time to serve the stored, sealed PDF through the view (median of 20 requests). Render and
seal times are the fastest of --repeat runs, so other work on a shared machine skews them less.
Targets: under 1.5 s to render and seal a 15-page protocol; cached download under 50 ms.

Uses a throwaway SQLite database and media folder unless DATABASE_URL is set (then point it at a
scratch database: the script loads demo and generated data into it).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--areas", type=int, default=5, help="Areas for the scale generator.")
    parser.add_argument("--repeat", type=int, default=3, help="Renders per protocol; the fastest is reported.")
    args = parser.parse_args()
    scratch = tempfile.mkdtemp()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    os.environ["MEDIA_ROOT"] = f"{scratch}/media"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db.models import Count
    from django.test import Client

    from protocols import pdf, signing
    from protocols.models import ProtocolVersion

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("generate_scale_data", areas=args.areas, verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115

    locked = ProtocolVersion.objects.agreed().select_related("protocol")
    demo = [v for v in locked if v.protocol.slug in DEMO_SLUGS]
    largest = (
        locked.exclude(pk__in=[v.pk for v in demo])
        .annotate(clauses=Count("sections__clauses"))
        .order_by("-clauses")
        .first()
    )
    signing.signer()  # make the self-signed pair and load it once, outside the timings
    pdf.render_version_pdf(demo[0] if demo else largest)  # warm fonts and stylesheets

    client = Client()
    print(f"{'protocol':40} {'pages':>5} {'render s':>9} {'seal s':>7} {'total s':>8} {'cached ms':>10}")
    for version in [*demo, largest]:
        if version is None:
            continue
        render_time = seal_time = float("inf")
        for _ in range(args.repeat):
            started = time.perf_counter()
            rendered = pdf.render_version_pdf(version, certificate=True)
            render_time = min(render_time, time.perf_counter() - started)
            started = time.perf_counter()
            signing.seal_pdf(rendered.data)
            seal_time = min(seal_time, time.perf_counter() - started)
        pdf.sealed_document(version)  # store it, as the first download does
        url = f"/protocols/{version.protocol.slug}/versions/{version.number}/pdf/"
        timings = []
        for _ in range(20):
            started = time.perf_counter()
            response = client.get(url)
            b"".join(response.streaming_content)
            timings.append((time.perf_counter() - started) * 1000)
        assert response["Content-Type"] == "application/pdf"
        label = version.protocol.slug if version in demo else f"largest generated ({version.clauses} clauses)"
        print(
            f"{label[:40]:40} {rendered.page_count:5d} {render_time:9.2f} {seal_time:7.3f}"
            f" {render_time + seal_time:8.2f} {statistics.median(timings):10.1f}"
        )


DEMO_SLUGS = {
    "west-berkshire-lscb-hwb-munro",
    "westminster-hwb-tri-borough-lscb",
    "cheshire-west-joint-protocol",
    "slough-cpb-lscb",
    "knowsley-hwb-kscb",
}

if __name__ == "__main__":
    main()
