"""The 'Preparing your PDF' page while the worker draws an agreed version's PDF: each state said in a status
message a screen reader announces, on a desktop and a phone, and the download arriving by itself when stored."""

import datetime

import pytest
from django.utils import timezone

from protocols import pdf
from protocols.models import PdfJob, RenderedDocument
from tests.browser.conftest import assert_accessible
from tests.pdf_fixtures import build_protocol


@pytest.fixture
def version(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_protocol()


def job_for(version, state, **fields):
    now = timezone.now()
    return PdfJob.objects.create(
        version=version,
        renderer_version=pdf.RENDERER_VERSION,
        state=state,
        queued_at=now,
        started_at=now,
        attempts=1,
        next_attempt_at=now + datetime.timedelta(seconds=30),
        **fields,
    )


def hold_waiting_requests(page):
    """Answer the page's request that waits for the PDF with No Content, which leaves the page on screen as the
    reader sees it while the real request waits; return the requests so answered."""
    held = []
    page.route("**/pdf/?wait=1", lambda route: held.append(route) or route.fulfill(status=204))
    return held


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("state", "tag", "heading"),
    [
        (PdfJob.State.QUEUED, "Queued", "Preparing your PDF"),
        (PdfJob.State.DRAWING, "Being drawn", "Preparing your PDF"),
        (PdfJob.State.RETRYING, "Failed, retrying", "Preparing your PDF"),
        (PdfJob.State.FAILED, "Failed", "Your PDF could not be prepared"),
    ],
)
@pytest.mark.parametrize("width", [1280, 375])
def test_preparing_page_says_where_the_job_stands_accessibly(
    live_server, page, axe, version, state, tag, heading, width
):
    job_for(version, state, error="OSError: the fonts are missing" if state == PdfJob.State.FAILED else "")
    page.set_viewport_size({"width": width, "height": 800})
    held = hold_waiting_requests(page)
    page.goto(f"{live_server.url}{version.get_absolute_url()}pdf/")
    assert page.get_by_role("heading", level=1).inner_text() == heading
    status = page.get_by_role("status")
    assert status.locator(".govuk-tag").inner_text() == tag
    assert version.title in status.inner_text()
    assert "fonts" not in page.content()  # the technical error is for the administrator, not the reader
    if state == PdfJob.State.FAILED:
        assert page.get_by_role("link", name="Try again").get_attribute("href").endswith("pdf/?generate=1")
        assert not held
    else:
        page.wait_for_timeout(200)
        assert len(held) == 1  # it went straight on to wait for the PDF, with no timed reload
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(axe, page, f"pdf-preparing-{state}-{width}")


@pytest.mark.django_db(transaction=True)
def test_the_download_starts_by_itself_once_the_worker_stores_the_pdf(live_server, page, version):
    job_for(version, PdfJob.State.DRAWING)
    stored = pdf.sealed_document(version)
    RenderedDocument.objects.filter(pk=stored.pk).update(renderer_version="not-yet")  # drawn, not yet stored
    with page.expect_download(timeout=30_000) as download:
        page.goto(f"{live_server.url}{version.get_absolute_url()}pdf/")  # on screen while it waits, as above
        # The worker finishes while the page's request waits for it.
        RenderedDocument.objects.filter(pk=stored.pk).update(renderer_version=pdf.RENDERER_VERSION)
    assert download.value.suggested_filename == f"{version.protocol.slug}-version-{version.number}.pdf"
    assert download.value.path().read_bytes().startswith(b"%PDF-")
