"""At a phone's width (375 px) no page is wider than the screen: a wide table scrolls on its own."""

import pytest
from django.core.management import call_command

from tests.browser.conftest import assert_accessible

PHONE_WIDTH = 375


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_reading_pages_fit_a_phone_screen(live_server, chromium_browser, axe, demo):
    """The approval matrix, the protocol list and a board's membership table used to widen the whole
    page to 580-970 px; now the page keeps the screen's width, each table that is still too wide
    scrolls inside itself and can be reached by keyboard, and the page passes axe-core."""
    context = chromium_browser.new_context(viewport={"width": PHONE_WIDTH, "height": 800}, locale="en-GB")
    page = context.new_page()
    paths = [
        "/",
        "/protocols/",
        "/protocols/slough-cpb-lscb/versions/1/",
        "/protocols/knowsley-hwb-kscb/versions/2/",
        "/boards/knowsley-kscb/",
        "/areas/knowsley/calendar/",
    ]
    try:
        for path in paths:
            page.goto(live_server.url + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE_WIDTH, f"{path} is {width} px wide"
            unreachable = page.evaluate(
                """() => [...document.querySelectorAll('table.govuk-table')]
                     .filter(t => t.scrollWidth > t.clientWidth + 1 && t.tabIndex !== 0).length"""
            )
            assert unreachable == 0, f"{path}: a table scrolls but cannot be focused"
        page.goto(live_server.url + "/protocols/slough-cpb-lscb/versions/1/")
        assert page.evaluate("document.querySelector('table.govuk-table').tabIndex") == 0
        assert_accessible(axe, page, "version-phone")
    finally:
        context.close()
