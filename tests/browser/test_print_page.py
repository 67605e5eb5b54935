"""The printable version on screen: a page-width sheet with margins, a way back and a working print button."""

import pytest

from tests.browser.conftest import assert_accessible
from tests.pdf_fixtures import build_protocol


@pytest.mark.django_db(transaction=True)
def test_printable_page_has_margins_a_back_link_and_a_print_button(live_server, page, axe):
    version = build_protocol()
    page.goto(f"{live_server.url}/protocols/{version.protocol.slug}/versions/{version.number}/print/")
    heading = page.locator("h1").bounding_box()
    assert heading["x"] > 200 and heading["width"] < 760  # an A4-wide column, centred, not edge to edge
    back = page.get_by_role("link", name="Back to the version's page")
    assert back.get_attribute("href") == version.get_absolute_url()
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="Print this page").click()
    assert page.evaluate("window.printed") is True
    assert_accessible(axe, page, "print-page")
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Print this page").is_visible()
    assert not back.is_visible()
