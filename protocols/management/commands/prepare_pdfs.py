from django.core.management.base import BaseCommand

from protocols import pdf
from protocols.models import PdfJob, ProtocolVersion
from protocols.tasks import enqueue_sealed_pdf


class Command(BaseCommand):
    help = (
        "Queue the drawing and sealing of every agreed or superseded version's PDF that is not stored for the "
        "current renderer (after a restore without media, a new renderer, or loading the demo), for the worker "
        "(`manage.py db_worker`) to draw. Versions whose PDF is stored or already queued are left alone. "
        "With --failed, list the jobs that failed instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--failed", action="store_true", help="List failed jobs and their errors; queue nothing.")

    def handle(self, *args, failed=False, **options):
        if failed:
            jobs = PdfJob.objects.filter(state=PdfJob.State.FAILED, renderer_version=pdf.RENDERER_VERSION)
            count = 0
            for job in jobs.select_related("version__protocol").order_by("finished_at"):
                count += 1
                self.stdout.write(
                    f"{job.version}: {job.attempts} attempts, last at {job.finished_at:%Y-%m-%d %H:%M}: {job.error}"
                )
            self.stdout.write(f"{count} failed.")
            return
        queued = 0
        for version in ProtocolVersion.objects.sealed().select_related("protocol").order_by("pk").iterator():
            if pdf.stored_document(version) is None and enqueue_sealed_pdf(version) is not None:
                queued += 1
        self.stdout.write(f"{queued} PDFs queued.")
