"""The protocol list, a version's page and /verify/ in Chromium, checked with axe-core (WCAG 2.2 AA)."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.pdf_fixtures import build_protocol


@pytest.mark.django_db(transaction=True)
def test_list_version_and_verify_pages_are_accessible(live_server, page, axe):
    """Each reading page renders its key content and passes axe-core."""
    version = build_protocol()

    page.goto(f"{live_server.url}/protocols/?q=joint")
    assert page.get_by_role("link", name=version.protocol.title).is_visible()
    assert_accessible(axe, page, "protocol-list")

    page.goto(f"{live_server.url}/protocols/?area=nowhere&review_due_after=soon")
    assert page.get_by_text("There is a problem with the filters").is_visible()
    assert_accessible(axe, page, "protocol-list-errors")

    page.goto(live_server.url + version.get_absolute_url())
    assert page.get_by_text("Agreed in June 2015.").is_visible()
    page.get_by_role("link", name="Link to this clause (clause 1.1)").click()
    assert page.url.endswith("#c-cl1-1")
    assert_accessible(axe, page, "version")

    page.goto(f"{live_server.url}/verify/")
    page.set_input_files("#document", files=[{"name": "x.txt", "mimeType": "text/plain", "buffer": b"hello"}])
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("This is not a PDF file")).to_be_visible()
    assert_accessible(axe, page, "verify")
