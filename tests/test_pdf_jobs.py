"""Agreed versions' PDFs drawn and sealed by a background job queued when the version is agreed, so the first
download is served from storage; failures retried, then reported to the reader and the administrator."""

import datetime
import hashlib
import io
import logging
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from protocols import pdf, services, tasks
from protocols.models import PdfJob, ProtocolVersion, RenderedDocument
from tests.pdf_fixtures import build_protocol

Status = ProtocolVersion.Status


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def awaiting(area):
    """A version every party has approved, waiting only to be agreed."""
    return build_protocol(area=area, status=Status.AWAITING_APPROVAL)


@pytest.fixture
def agreed(area):
    """An agreed version written row by row (as the demo is): no job was ever queued for it."""
    return build_protocol(area=area, slug="agreed-protocol")


def run_queued_jobs(limit=None):
    """Run the queued jobs as `manage.py db_worker` does, in this test's transaction; return how many ran.

    A retry waits for its `run_after`; here it runs at once (the tests check the time it was given)."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while limit is None or ran < limit:
        job = DBTaskResult.objects.filter(status="READY").order_by("run_after", "enqueued_at").first()
        if job is None:
            break
        job.claim(worker.worker_id)
        worker.run_task(job)
        ran += 1
    return ran


def agree(version, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.version_agree(user=user, version=version)


def pdf_url(version):
    return reverse("protocols:version_pdf", args=[version.protocol.slug, version.number])


def never_render(*args, **kwargs):
    raise AssertionError("the PDF was drawn again")


# Queued on commit ------------------------------------------------------------------------------------


def test_agreeing_queues_one_job_when_the_agreement_commits(
    awaiting, business_manager, django_capture_on_commit_callbacks
):
    """Agreeing queues exactly one job for the version and draws nothing in the request itself."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.version_agree(user=business_manager, version=awaiting)
    assert not DBTaskResult.objects.exists()  # nothing before the commit
    for callback in callbacks:
        callback()
    job = DBTaskResult.objects.get()
    assert job.task_path == "protocols.tasks.prepare_sealed_pdf"
    assert job.args_kwargs == {"args": [awaiting.pk], "kwargs": {}}
    assert PdfJob.objects.get(version=awaiting).state == PdfJob.State.QUEUED
    assert not RenderedDocument.objects.exists()


def test_no_job_when_the_agreement_rolls_back(awaiting, business_manager, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.version_agree(user=business_manager, version=awaiting)
        raise RuntimeError("the agreement fails after the version was marked agreed")
    assert callbacks == []
    assert not DBTaskResult.objects.exists()
    assert not PdfJob.objects.exists()


def test_recording_a_past_agreed_version_queues_its_pdf_and_a_circulated_draft_does_not(
    agreed, business_manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        past = services.version_record_past(
            user=business_manager, protocol=agreed.protocol, status=Status.SUPERSEDED, label="V1", number=1
        )
        services.version_record_past(
            user=business_manager, protocol=agreed.protocol, status=Status.CIRCULATED_DRAFT, label="V3 draft"
        )
    assert [job.args_kwargs["args"] for job in DBTaskResult.objects.all()] == [[past.pk]]


def test_a_version_has_one_job_at_a_time(agreed):
    """Queuing again while a job is under way, or once the PDF is stored, queues nothing."""
    assert tasks.enqueue_sealed_pdf(agreed) is not None
    assert tasks.enqueue_sealed_pdf(agreed) is None
    run_queued_jobs()
    assert tasks.enqueue_sealed_pdf(agreed) is None
    assert DBTaskResult.objects.count() == 1


# The job stores the PDF ----------------------------------------------------------------------------------


def test_the_queued_job_stores_the_sealed_pdf_and_the_first_download_serves_it(
    client, awaiting, business_manager, django_capture_on_commit_callbacks, monkeypatch
):
    """After the worker ran the job, the first GET of the PDF's address is the stored file: no preparing page,
    no drawing, its size and its SHA-256 as the ETag."""
    agree(awaiting, business_manager, django_capture_on_commit_callbacks)
    assert run_queued_jobs() == 1
    stored = RenderedDocument.objects.get(version=awaiting)
    assert stored.sealed and stored.renderer_version == pdf.RENDERER_VERSION
    assert DBTaskResult.objects.get().return_value == stored.file_sha256
    job = PdfJob.objects.get(version=awaiting)
    assert (job.state, job.attempts, job.error) == (PdfJob.State.DONE, 1, "")

    monkeypatch.setattr(pdf, "render_version_pdf", never_render)
    response = client.get(pdf_url(awaiting))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["ETag"] == f'"{stored.file_sha256}"'
    body = b"".join(response.streaming_content)
    assert int(response["Content-Length"]) == len(body) == stored.file.size
    assert hashlib.sha256(body).hexdigest() == stored.file_sha256
    assert client.get(pdf_url(awaiting), HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_running_the_job_again_draws_nothing(agreed, monkeypatch):
    """Idempotent: a job for a version whose PDF is already stored leaves the stored file as it is."""
    document = pdf.sealed_document(agreed)
    monkeypatch.setattr(pdf, "render_version_pdf", never_render)
    tasks.prepare_sealed_pdf.enqueue(agreed.pk)
    run_queued_jobs()
    assert DBTaskResult.objects.get().return_value == "already stored"
    assert RenderedDocument.objects.get() == document
    assert PdfJob.objects.get(version=agreed).state == PdfJob.State.DONE


# Failures ------------------------------------------------------------------------------------------------


def test_a_failing_drawing_is_retried_with_backoff_then_reported(client, agreed, monkeypatch, caplog):
    """Three attempts, the later ones deferred; the reader is told at each step and offered to try again in the
    end, which draws the PDF in their own request; the failure is logged as an error and listed."""
    real_render = pdf.render_version_pdf

    def broken(*args, **kwargs):
        raise OSError("the fonts are missing")

    monkeypatch.setattr(pdf, "render_version_pdf", broken)
    tasks.enqueue_sealed_pdf(agreed)
    url = pdf_url(agreed)

    with caplog.at_level(logging.WARNING, logger="protocols.tasks"):
        assert run_queued_jobs(limit=1) == 1
    job = PdfJob.objects.get(version=agreed)
    assert (job.state, job.attempts) == (PdfJob.State.RETRYING, 1)
    assert "the fonts are missing" in job.error
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["args"] == [agreed.pk, 2]
    assert datetime.timedelta(seconds=25) < retry.run_after - timezone.now() <= datetime.timedelta(seconds=30)
    page = client.get(url).content.decode()
    assert "Failed, retrying" in page and "Attempt 1 of 3" in page
    assert [r.levelname for r in caplog.records] == ["WARNING"]

    with caplog.at_level(logging.WARNING, logger="protocols.tasks"):
        assert run_queued_jobs() == 2  # the second attempt, and the third it queued
    job.refresh_from_db()
    assert (job.state, job.attempts) == (PdfJob.State.FAILED, 3)
    attempts = DBTaskResult.objects.order_by("enqueued_at")
    assert [a.status for a in attempts] == ["SUCCESSFUL", "SUCCESSFUL", "FAILED"]
    assert attempts[2].run_after - attempts[2].enqueued_at > datetime.timedelta(seconds=290)
    errors = [r for r in caplog.records if r.levelname == "ERROR" and r.name == "protocols.tasks"]
    assert len(errors) == 1 and "failed 3 times" in errors[0].getMessage()
    assert not RenderedDocument.objects.exists()

    response = client.get(url)
    page = response.content.decode()
    assert "Your PDF could not be prepared" in page
    assert "tried 3 times" in page
    assert f'href="{url}?generate=1">Try again' in page
    assert 'http-equiv="refresh"' not in page
    listed = io.StringIO()
    call_command("prepare_pdfs", "--failed", stdout=listed)
    assert f"{agreed}: 3 attempts" in listed.getvalue() and "the fonts are missing" in listed.getvalue()

    monkeypatch.setattr(pdf, "render_version_pdf", real_render)
    again = client.get(url + "?generate=1")
    assert again["Content-Type"] == "application/pdf"
    assert RenderedDocument.objects.filter(version=agreed, sealed=True).exists()


# The preparing page --------------------------------------------------------------------------------------


def job_for(version, state, **fields):
    now = timezone.now()
    defaults = {"queued_at": now, "started_at": now, "attempts": 1}
    return PdfJob.objects.create(
        version=version, renderer_version=pdf.RENDERER_VERSION, state=state, **{**defaults, **fields}
    )


def refresh_target(page):
    found = re.search(r'<meta http-equiv="refresh" content="0;url=([^"]+)">', page)
    return found and found.group(1)


@pytest.mark.parametrize(
    ("state", "tag"),
    [
        (PdfJob.State.QUEUED, "Queued"),
        (PdfJob.State.DRAWING, "Being drawn"),
        (PdfJob.State.RETRYING, "Failed, retrying"),
    ],
)
def test_preparing_page_says_how_far_the_job_has_got_and_goes_on_to_wait_for_it(client, agreed, state, tag):
    job_for(agreed, state, next_attempt_at=timezone.now() + datetime.timedelta(seconds=30))
    url = pdf_url(agreed)
    page = client.get(url).content.decode()
    status = re.search(r'<div role="status" aria-live="polite">(.*?)</div>', page, re.S).group(1)
    assert '<strong class="govuk-tag' in status and f">{tag}</strong>" in status
    assert refresh_target(page) == f"{url}?wait=1"  # no delay: never a page that reloads on a timer


def test_waiting_serves_the_pdf_as_soon_as_the_worker_stores_it(client, agreed, monkeypatch):
    job_for(agreed, PdfJob.State.DRAWING)

    def worker_finishes(seconds):  # the worker stores the PDF while the reader's request waits
        pdf.sealed_document(agreed)

    monkeypatch.setattr(tasks.time, "sleep", worker_finishes)
    response = client.get(pdf_url(agreed) + "?wait=1")
    assert response.status_code == 302 and response["Location"] == pdf_url(agreed)
    assert client.get(response["Location"])["Content-Type"] == "application/pdf"


def test_waiting_too_long_says_where_the_job_stands_and_offers_to_draw_it_now(client, agreed, monkeypatch):
    job_for(agreed, PdfJob.State.QUEUED)
    monkeypatch.setattr(tasks, "READER_WAIT_SECONDS", 0)
    url = pdf_url(agreed)
    page = client.get(url + "?wait=1").content.decode()
    assert "Queued" in page and "taking longer than usual" in page
    assert f'href="{url}?wait=1">Check again' in page and f'href="{url}?generate=1">draw the PDF now' in page
    assert refresh_target(page) is None


@pytest.mark.parametrize(
    "stalled",
    [
        {"state": PdfJob.State.QUEUED, "queued_at": timezone.now() - datetime.timedelta(minutes=1)},
        {"state": PdfJob.State.DRAWING, "started_at": timezone.now() - datetime.timedelta(minutes=10)},
    ],
    ids=["queued-but-no-worker", "worker-stopped-while-drawing"],
)
def test_with_no_worker_running_the_reader_draws_the_pdf_as_before(client, agreed, stalled):
    job_for(agreed, **stalled)
    url = pdf_url(agreed)
    page = client.get(url).content.decode()
    assert "Preparing your PDF" in page
    assert refresh_target(page) == f"{url}?generate=1"
    assert client.get(url + "?generate=1")["Content-Type"] == "application/pdf"


def test_a_version_without_a_job_is_drawn_in_the_request_as_before(client, agreed):
    page = client.get(pdf_url(agreed)).content.decode()
    assert refresh_target(page) == f"{pdf_url(agreed)}?generate=1"
    assert 'role="status"' in page


# Queuing what is missing ---------------------------------------------------------------------------------


def test_prepare_pdfs_queues_each_locked_version_whose_pdf_is_not_stored(agreed, area):
    stored = build_protocol(area=area, slug="stored-protocol")
    pdf.sealed_document(stored)
    build_protocol(area=area, status=Status.DRAFT, slug="draft-protocol")
    out = io.StringIO()
    call_command("prepare_pdfs", stdout=out)
    assert "1 PDFs queued" in out.getvalue()
    assert [job.args_kwargs["args"] for job in DBTaskResult.objects.all()] == [[agreed.pk]]
    call_command("prepare_pdfs", stdout=out)
    assert DBTaskResult.objects.count() == 1
    run_queued_jobs()
    assert pdf.stored_document(agreed) is not None
