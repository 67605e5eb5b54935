"""The editor in a real browser: the business manager's whole journey, two editors at once, and scope."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from accountability.models import ReportingObligation
from boards.models import RoleAssignment
from protocols.models import Approval, Clause, ProtocolVersion
from tests.browser.conftest import assert_accessible, login
from tests.factories import (
    AreaFactory,
    BoardFactory,
    ClauseFactory,
    PartyFactory,
    ProtocolFactory,
    RoleAssignmentFactory,
    SectionFactory,
    UserFactory,
    VersionFactory,
)

Status = ProtocolVersion.Status


def agreed_protocol(area):
    """An agreed protocol between two boards with two clauses, built the way the demo data is."""
    hwb = BoardFactory(areas=[area], name="Knowsley Health and Wellbeing Board", short_name="HWB")
    lscb = BoardFactory(areas=[area], name="Knowsley Safeguarding Children Board", short_name="KSCB")
    protocol = ProtocolFactory(area=area, title="Partnership protocol", slug="partnership-protocol")
    version = VersionFactory(
        protocol=protocol,
        status=Status.AGREED,
        effective_date=datetime.date(2015, 6, 1),
        effective_date_precision="month",
    )
    section = SectionFactory(version=version, number="3", heading="Reporting", position=0)
    ClauseFactory(section=section, number="3.1", position=0, text="<p>The KSCB presents its annual report.</p>")
    ClauseFactory(section=section, number="3.2", position=1, text="<p>The HWB considers the report.</p>")
    for position, board in enumerate((hwb, lscb)):
        party = PartyFactory(version=version, board=board, position=position)
        Approval.objects.create(party=party, approved_on=datetime.date(2015, 6, 1), approved_precision="month")
    return protocol


def draw_signature(page):
    canvas = page.locator("canvas[data-signature-pad]")
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 30, box["y"] + 100)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 30 + step * 25, box["y"] + 100 - (step % 3) * 30, steps=3)
    page.mouse.up()


def rich_text_in(locator):
    return locator.locator("[role=textbox][contenteditable=true]")


@pytest.mark.django_db(transaction=True)
def test_business_manager_journey_from_edit_to_agreed_and_compared(live_server, page, axe, business_manager, area):
    """Start a review, edit a clause, add an obligation from it, send, record drawn signatures, see it agreed and compared."""
    protocol = agreed_protocol(area)
    login(page, live_server, "manager")

    page.goto(f"{live_server.url}/protocols/{protocol.slug}/edit/")
    page.get_by_role("button", name="Start review").click()
    page.get_by_text("Review started").wait_for()
    assert_accessible(axe, page, "editor")

    clause = page.locator("li.registry-editor-clause", has_text="The HWB considers the report.")
    clause.get_by_role("link", name="Edit").click()
    editing = page.locator("li.registry-editor-clause--editing")
    editor = rich_text_in(editing)
    editor.wait_for()
    assert_accessible(axe, page, "clause-form")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("The HWB considers and responds to the report.")
    editing.get_by_role("button", name="Save clause").click()
    page.locator("li.registry-editor-clause", has_text="considers and responds").get_by_role(
        "link", name="Edit"
    ).wait_for()
    # Saved without a page reload: the start-review banner from the last full page load is still there.
    assert page.get_by_text("Review started").is_visible()

    page.locator("li.registry-editor-clause", has_text="annual report").locator("summary").click()
    page.get_by_role("link", name="a reporting obligation").first.click()
    page.get_by_label("Who reports").select_option(label="Knowsley Safeguarding Children Board")
    page.get_by_label("What is sent").fill("KSCB Annual Report")
    page.get_by_label("To whom").select_option(label="Knowsley Health and Wellbeing Board")
    page.get_by_label("From month").fill("9")
    page.get_by_label("To month").fill("11")
    assert_accessible(axe, page, "obligation-form")
    page.get_by_role("button", name="Add reporting obligation").click()
    page.get_by_text("The reporting obligation was added").wait_for()

    page.get_by_role("link", name="Send for approval").click()
    page.get_by_role("button", name="Send for approval").click()
    expect(page.get_by_text("Enter a summary of what changed").first).to_be_visible()
    page.get_by_label("What changed in this version").fill("The HWB now responds to the KSCB annual report.")
    page.get_by_role("button", name="Send for approval").click()
    page.get_by_text("sent for approval").wait_for()

    for board in ("Knowsley Health and Wellbeing Board", "Knowsley Safeguarding Children Board"):
        page.get_by_role("link", name=f"Record approval by {board}").click()
        page.get_by_label("Day").fill("14")
        page.get_by_label("Month").fill("5")
        page.get_by_label("Year").fill("2024")
        page.get_by_label("Signatory's name").fill("Chair of " + board)
        page.get_by_label("Draw the signature on screen").check()
        draw_signature(page)
        if board.endswith("Wellbeing Board"):
            assert_accessible(axe, page, "approval-form")
        page.get_by_role("button", name="Record approval").click()

    page.get_by_text("version 2 is now agreed").wait_for()
    assert_accessible(axe, page, "history")
    rows = page.locator("tbody tr")
    assert "Agreed" in rows.nth(0).inner_text() and "Superseded" in rows.nth(1).inner_text()

    page.get_by_role("link", name="With version 1").click()
    page.wait_for_url(re.compile(r"/compare/\?"))
    # expect() retries until the comparison page has loaded; a bare count() would not wait.
    expect(page.locator("ins", has_text="and responds to")).to_have_count(1)
    assert_accessible(axe, page, "compare")

    versions = {v.number: v for v in protocol.versions.all()}
    assert versions[1].status == Status.SUPERSEDED and versions[2].status == Status.AGREED
    assert all(
        a.signature_kind == "drawn" and a.signature_image.read().startswith(b"\x89PNG")
        for a in Approval.objects.filter(party__version=versions[2])
    )
    obligation = ReportingObligation.objects.get(version=versions[2])
    assert obligation.source_clause.plain_text == "The KSCB presents its annual report."
    assert (obligation.window_start_month, obligation.window_end_month) == (9, 11)


@pytest.mark.django_db(transaction=True)
def test_two_editors_saving_the_same_clause_lose_nothing(live_server, page, chromium_browser, business_manager, area):
    """The second save is refused with both texts shown; the merged text keeps both editors' words."""
    other = RoleAssignmentFactory(
        user=UserFactory(username="second-manager"), role=RoleAssignment.Role.BUSINESS_MANAGER, area=area
    ).user
    protocol = agreed_protocol(area)
    from protocols.services import version_start_review

    version_start_review(user=other, protocol=protocol)
    second_context = chromium_browser.new_context(viewport={"width": 1280, "height": 900})
    second = second_context.new_page()
    try:
        login(page, live_server, "manager")
        login(second, live_server, "second-manager")
        for editor_page in (page, second):
            editor_page.goto(f"{live_server.url}/protocols/{protocol.slug}/edit/")
            clause = editor_page.locator("li.registry-editor-clause", has_text="The HWB considers the report.")
            clause.get_by_role("link", name="Edit").click()
            rich_text_in(editor_page.locator("li.registry-editor-clause--editing")).wait_for()

        rich_text_in(page.locator("li.registry-editor-clause--editing")).click()
        page.keyboard.press("End")
        page.keyboard.type(" It meets in public.")
        page.get_by_role("button", name="Save clause").click()
        page.locator("li.registry-editor-clause", has_text="It meets in public.").get_by_role(
            "link", name="Edit"
        ).wait_for()

        editing = second.locator("li.registry-editor-clause--editing")
        rich_text_in(editing).click()
        second.keyboard.press("End")
        second.keyboard.type(" Minutes are published.")
        second.get_by_role("button", name="Save clause").click()
        second.get_by_text("Someone else changed this clause while you were editing").wait_for()
        assert "It meets in public." in second.locator("[data-theirs]").inner_text()
        merged = rich_text_in(second.locator("li.registry-editor-clause--editing"))
        assert "Minutes are published." in merged.inner_text()

        merged.click()
        second.keyboard.press("Control+A")
        second.keyboard.type("The HWB considers the report. It meets in public. Minutes are published.")
        second.get_by_role("button", name="Save merged text").click()
        second.locator("li.registry-editor-clause", has_text="Minutes are published.").get_by_role(
            "link", name="Edit"
        ).wait_for()
    finally:
        second_context.close()
    saved = Clause.objects.get(section__version__status=Status.DRAFT, number="3.2")
    assert "It meets in public." in saved.text and "Minutes are published." in saved.text


@pytest.mark.django_db(transaction=True)
def test_manager_of_one_area_cannot_edit_another_areas_protocol(live_server, page, axe, outsider, area):
    """A business manager of Slough gets 'forbidden' on a Knowsley protocol's editor and never sees it listed."""
    protocol = agreed_protocol(area)
    AreaFactory(name="Elsewhere", slug="elsewhere")
    login(page, live_server, "outsider")

    response = page.goto(f"{live_server.url}/protocols/{protocol.slug}/edit/")
    assert response.status == 403
    assert page.get_by_role("button", name="Start review").count() == 0

    page.goto(f"{live_server.url}/editor/")
    assert page.get_by_text("Partnership protocol").count() == 0
    assert_accessible(axe, page, "editor-home")

    response = page.request.post(f"{live_server.url}/protocols/{protocol.slug}/edit/start-review/")
    assert response.status == 403
    assert protocol.versions.count() == 1
