"""Time from agreeing a version to its sealed PDF being stored, with the worker running:
python benchmarks/bench_pdf_job.py [--runs 3]

Loads the demo into a scratch database and starts `manage.py db_worker` beside it as a second process, as
`make run` and docker-compose do. Each run starts a review of Knowsley's protocol, sends it for approval and
records each party's approval; the last agrees the version, which queues the drawing and sealing when it
commits. Prints, per run, the time from that commit to the stored PDF, split into the wait for the worker
to pick the job up (it looks every second when idle) and the drawing and sealing itself; then the first
download's time and whether it was the stored file.

Uses a throwaway SQLite database and media folder unless DATABASE_URL is set (then point it at a scratch
database: the script loads the demo into it and agrees new versions).
"""

import argparse
import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.scratch import load_data, start_django  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="Versions agreed one after another.")
    parser.add_argument("--slug", default="knowsley-hwb-kscb", help="The demo protocol to agree again.")
    args = parser.parse_args()
    start_django(media=True)
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from protocols import pdf, services, signing
    from protocols.models import PdfJob, Protocol

    settings.ALLOWED_HOSTS = ["*"]
    load_data()
    signing.signer()  # the self-signed pair is made once, before the worker starts, not by both processes
    user, _ = get_user_model().objects.get_or_create(username="bench-manager")
    protocol = Protocol.objects.get(slug=args.slug)

    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--verbosity", "0"], cwd=ROOT, env=os.environ
    )
    try:
        time.sleep(3)  # the worker's start-up (Django, WeasyPrint's import) is not part of the figure
        print(
            f"{'run':>3} {'pages':>5} {'agreed to stored s':>19} {'queue wait s':>13} {'drawing s':>10} {'first GET ms':>13}"
        )
        for run in range(1, args.runs + 1):
            draft = services.version_start_review(user=user, protocol=protocol)
            draft = services.version_send_for_approval(user=user, version=draft, change_summary=f"Benchmark run {run}")
            parties = list(draft.parties.all())
            for party in parties:
                for _ in range(party.signatories_expected):
                    services.approval_record(
                        user=user, party=party, approved_on=datetime.date.today(), signatory_name="A. Chair"
                    )
            agreed_at = time.perf_counter()
            draft.refresh_from_db()
            assert draft.is_agreed, draft.status
            while pdf.stored_document(draft) is None:
                if time.perf_counter() - agreed_at > 120:
                    raise SystemExit("No PDF stored within two minutes: is the worker running?")
                time.sleep(0.02)
            stored = time.perf_counter() - agreed_at
            while (job := PdfJob.objects.get(version=draft)).finished_at is None:  # stored, and then marked done
                time.sleep(0.02)
            queue_wait = (job.started_at - job.queued_at).total_seconds()
            drawing = (job.finished_at - job.started_at).total_seconds()
            url = f"/protocols/{protocol.slug}/versions/{draft.number}/pdf/"
            started = time.perf_counter()
            response = Client().get(url)
            first = (time.perf_counter() - started) * 1000
            served = "stored file" if response.get("Content-Type") == "application/pdf" else "NOT STORED"
            pages = pdf.stored_document(draft).page_count
            print(f"{run:>3} {pages:>5} {stored:>19.2f} {queue_wait:>13.2f} {drawing:>10.2f} {first:>10.1f} ({served})")
    finally:
        worker.terminate()
        worker.wait(timeout=30)


if __name__ == "__main__":
    main()
