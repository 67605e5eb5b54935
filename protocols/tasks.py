"""Agreed versions' PDFs drawn and sealed in the background, so that the first download is already stored.

Agreeing a version, or recording a past agreed one, queues `prepare_sealed_pdf` when the transaction commits
(`queue_sealed_pdf`); `manage.py db_worker` runs it, one job at a time in its own process (WeasyPrint is not
thread-safe). Its PdfJob row says where it has got to, for the reader waiting on the "Preparing your PDF"
page and for the administrator. Nothing depends on the worker: while no job is under way, a reader's download
draws and seals the PDF in the request, as it did before (protocols.views.version_pdf).
"""

import datetime
import functools
import logging
import time

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from . import pdf
from .models import PdfJob, ProtocolVersion

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# Seconds to wait before the second and the third attempt: a passing fault (storage, the database) has time to clear.
RETRY_DELAYS = (30, 300)
# A job queued this long ago that no worker has started means none is running; one drawing for this long
# means its worker stopped. Readers then draw the PDF in their own request rather than wait.
QUEUED_PATIENCE = datetime.timedelta(seconds=10)
DRAWING_PATIENCE = datetime.timedelta(minutes=5)
# How long a reader's request waits for the worker to store the PDF before saying where the job has got to.
READER_WAIT_SECONDS = 20


def queue_sealed_pdf(version: ProtocolVersion) -> None:
    """Queue the drawing and sealing of a locked version's PDF for when the caller's transaction commits.

    Nothing is queued if it rolls back. A failure to queue is logged and leaves the agreement standing:
    the first reader to download the PDF then draws it.
    """
    if version.is_sealed:
        transaction.on_commit(functools.partial(enqueue_sealed_pdf, version), robust=True)


def enqueue_sealed_pdf(version: ProtocolVersion) -> PdfJob | None:
    """Record the job as queued and hand it to the task backend, in one transaction. Nothing (None) when the
    version's PDF is already stored or its job is already under way, so one version has one job at a time."""
    with transaction.atomic():
        job, created = PdfJob.objects.select_for_update().get_or_create(
            version=version, renderer_version=pdf.RENDERER_VERSION, defaults={"queued_at": timezone.now()}
        )
        if not created:
            if job.is_pending or pdf.stored_document(version) is not None:
                return None
            job.state = PdfJob.State.QUEUED
            job.attempts = 0
            job.error = ""
            job.queued_at = timezone.now()
            job.started_at = job.finished_at = job.next_attempt_at = None
            job.save()
        prepare_sealed_pdf.enqueue(version.pk)
    return job


@task()
def prepare_sealed_pdf(version_id: int, attempt: int = 1) -> str:
    """Draw, seal and store one locked version's PDF, once: a PDF already stored for the current renderer is
    left as it is (what it seals, the version's record of what was agreed, never changes).

    A failure is retried after RETRY_DELAYS (MAX_ATTEMPTS in all), then logged as an error and left
    FAILED on the job for the reader's page and the administrator.
    """
    version = ProtocolVersion.objects.select_related("protocol").filter(pk=version_id).first()
    if version is None or not version.is_sealed:
        return "no locked version to draw"
    now = timezone.now()
    job, _ = PdfJob.objects.get_or_create(
        version=version, renderer_version=pdf.RENDERER_VERSION, defaults={"queued_at": now}
    )
    if pdf.stored_document(version) is not None:
        _record(job, state=PdfJob.State.DONE, finished_at=now, next_attempt_at=None)
        return "already stored"
    _record(job, state=PdfJob.State.DRAWING, attempts=attempt, started_at=now, next_attempt_at=None)
    try:
        document = pdf.sealed_document(version)
    except Exception as error:
        summary = f"{type(error).__name__}: {error}"[:500]
        if attempt < MAX_ATTEMPTS:
            delay = RETRY_DELAYS[min(attempt, len(RETRY_DELAYS)) - 1]
            retry_at = timezone.now() + datetime.timedelta(seconds=delay)
            _record(job, state=PdfJob.State.RETRYING, error=summary, next_attempt_at=retry_at)
            logger.warning(
                "Drawing the PDF of %s failed (attempt %s of %s); trying again in %s s: %s",
                version,
                attempt,
                MAX_ATTEMPTS,
                delay,
                summary,
                exc_info=True,
            )
            _enqueue_retry(version_id, attempt + 1, retry_at)
            return "retrying"
        _record(job, state=PdfJob.State.FAILED, error=summary, finished_at=timezone.now())
        logger.error("Drawing the PDF of %s failed %s times; given up: %s", version, attempt, summary, exc_info=True)
        raise  # the task backend records the failure with its traceback too
    _record(job, state=PdfJob.State.DONE, error="", finished_at=timezone.now())
    return document.file_sha256


def _enqueue_retry(version_id: int, attempt: int, retry_at: datetime.datetime) -> None:
    backend_defers = prepare_sealed_pdf.get_backend().supports_defer
    task = prepare_sealed_pdf.using(run_after=retry_at) if backend_defers else prepare_sealed_pdf
    task.enqueue(version_id, attempt)


def _record(job: PdfJob, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=list(fields))


def pdf_job_for_reader(version: ProtocolVersion) -> PdfJob | None:
    """The job a reader asking for this version's unstored PDF should be shown: one under way (they wait for
    it) or one that failed (they are told, and may try again). None when there is none, or the one queued
    or drawing has stalled (no worker running): the reader's own request then draws the PDF."""
    if not version.is_sealed:
        return None
    job = PdfJob.objects.filter(version=version, renderer_version=pdf.RENDERER_VERSION).first()
    if job is None or job.state == PdfJob.State.DONE:
        return None
    now = timezone.now()
    if job.state == PdfJob.State.QUEUED and job.queued_at < now - QUEUED_PATIENCE:
        return None
    if job.state == PdfJob.State.DRAWING and job.started_at < now - DRAWING_PATIENCE:
        return None
    if job.state == PdfJob.State.RETRYING and job.next_attempt_at < now - QUEUED_PATIENCE:
        return None
    return job


def wait_for_stored_pdf(version: ProtocolVersion, *, seconds: float) -> bool:
    """Wait up to `seconds` for the worker to store the version's PDF: True once it is stored, False when time
    runs out or its job is no longer under way (it failed, or its worker stopped)."""
    deadline = time.monotonic() + seconds
    while True:
        if pdf.stored_document(version) is not None:
            return True
        job = pdf_job_for_reader(version)
        if job is None or not job.is_pending or time.monotonic() >= deadline:
            return False
        time.sleep(0.25)
