"""At a phone's width (375 px) no page is wider than the screen: a wide table scrolls on its own or stacks."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import RequestFactory
from django.views.defaults import server_error
from playwright.sync_api import expect

from protocols import services
from protocols.models import Clause, Protocol
from tests.browser.conftest import assert_accessible, login
from tests.conftest import load_demo

PHONE_WIDTH = 375
KNOWSLEY = "/protocols/knowsley-hwb-kscb"
WESTMINSTER = "/protocols/westminster-hwb-tri-borough-lscb"

READING = [
    "/",
    "/?all=1",
    "/areas/knowsley/",
    "/areas/knowsley/boards/",
    "/boards/knowsley-kscb/",
    "/protocols/",
    "/protocols/?status=agreed&search=report",
    "/areas/knowsley/protocols/",
    "/protocols/slough-cpb-lscb/versions/1/",
    f"{KNOWSLEY}/versions/2/",
    f"{KNOWSLEY}/versions/2/print/",
    "/protocols/cheshire-west-joint-protocol/versions/1/",
    "/protocols/west-berkshire-lscb-hwb-munro/versions/1/",
    f"{KNOWSLEY}/versions/2/map/",
    "/areas/knowsley/map/",
    "/areas/knowsley/calendar/",
    "/boards/knowsley-kscb/calendar/",
    "/compare/?area=knowsley&area=slough&area=westminster&area=cheshire-west-and-chester",
    "/verify/",
    "/accounts/login/",
    "/protocols/no-such-protocol/",  # 404
]
EDITING = [
    "/",
    "/editor/",
    "/editor/new/",
    "/editor/import/",
    "/reviews/",
    f"{KNOWSLEY}/edit/",
    f"{KNOWSLEY}/edit/details/",
    f"{KNOWSLEY}/edit/parties/",
    f"{KNOWSLEY}/edit/send/",
    f"{KNOWSLEY}/history/",
    f"{KNOWSLEY}/audit/",
    f"{KNOWSLEY}/compare/",
    f"{KNOWSLEY}/compare/?all=1",
    f"{KNOWSLEY}/versions/3/",
    "/areas/knowsley/register-history/",
    "/areas/knowsley/register/",
    "/areas/knowsley/register/boards/knowsley-kscb/",
    "/areas/knowsley/register/boards/knowsley-kscb/change/",
    "/areas/knowsley/register/boards/knowsley-kscb/members/new/",
    "/boards/knowsley-kscb/?past=1",
    f"{WESTMINSTER}/edit/",  # a manager of another area: 403
]


@pytest.fixture
def demo(db):
    load_demo()
    call_command("create_demo_accounts", verbosity=0)
    manager = get_user_model().objects.get(username="manager-knowsley")
    draft = services.version_start_review(user=manager, protocol=Protocol.objects.get(slug="knowsley-hwb-kscb"))
    clause = Clause.objects.filter(section__version=draft).order_by("section__position", "position").first()
    services.clause_update(
        user=manager,
        clause=clause,
        expected_revision=clause.revision,
        text="<p>A changed clause whose words run on, to see the comparison keep the screen's width.</p>",
    )
    return {"clause": clause}


def widths(page, live_server, paths):
    """Each path with the document's width at the phone's, and any table that scrolls but cannot be focused."""
    found = []
    for path in paths:
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        unreachable = page.evaluate(
            """() => [...document.querySelectorAll('table.govuk-table')]
                 .filter(t => t.scrollWidth > t.clientWidth + 1 && t.tabIndex !== 0).length"""
        )
        found.append((path, width, unreachable))
    return found


def too_wide(found):
    return [f"{path} is {width} px wide" for path, width, _ in found if width > PHONE_WIDTH] + [
        f"{path}: a table scrolls but cannot be focused" for path, _, unreachable in found if unreachable
    ]


@pytest.mark.django_db(transaction=True)
def test_every_page_type_fits_a_phone_screen(live_server, chromium_browser, axe, demo):
    """Reading pages (home, area, board, lists, versions, print, maps, calendars, comparisons, verify, sign-in,
    not found), the editor's pages as a business manager, a board member's home and refusal, and the server
    error and refused-form pages: none is wider than 375 px; a table too wide for the screen scrolls inside
    itself and can be reached by keyboard; the pages new to phones pass axe-core."""
    problems = []
    context = chromium_browser.new_context(viewport={"width": PHONE_WIDTH, "height": 800}, locale="en-GB")
    page = context.new_page()
    try:
        problems += too_wide(widths(page, live_server, READING))
        page.goto(live_server.url + "/protocols/slough-cpb-lscb/versions/1/")
        assert page.evaluate("document.querySelector('table.govuk-table').tabIndex") == 0
        assert_accessible(axe, page, "version-phone")

        # The 500 page as Django renders it (no request context), served at the live server's address.
        html = server_error(RequestFactory().get("/")).content
        page.route(f"{live_server.url}/server-error", lambda route: route.fulfill(status=500, body=html))
        problems += too_wide(widths(page, live_server, ["/server-error"]))
        expect(page.get_by_role("heading", name="Sorry, there is a problem with the service")).to_be_visible()

        # A form sent without its CSRF cookie (a page left open past the session) gets the site's page.
        page.goto(live_server.url + "/verify/")
        context.clear_cookies()
        page.get_by_role("button", name="Check the file").click()
        expect(page.get_by_role("heading", name="Your form could not be sent")).to_be_visible()
        problems += too_wide([("/verify/ refused", page.evaluate("document.documentElement.scrollWidth"), 0)])
        assert_accessible(axe, page, "csrf-phone")

        login(page, live_server, "manager-knowsley")
        problems += too_wide(widths(page, live_server, EDITING))
        clause = demo["clause"]
        problems += too_wide(widths(page, live_server, [f"{KNOWSLEY}/edit/clauses/{clause.key}/"]))
        page.goto(f"{live_server.url}/")
        assert_accessible(axe, page, "home-signed-in-phone")

        page.context.clear_cookies()
        login(page, live_server, "member-knowsley")
        problems += too_wide(widths(page, live_server, ["/", "/editor/"]))
        expect(page.get_by_text("Only business managers and registry administrators edit protocols.")).to_be_visible()
        assert_accessible(axe, page, "refused-phone")
    finally:
        context.close()
    assert not problems, "\n".join(problems)
