"""In a real browser: a business manager changes an obligation's frequency and a clause in a review draft,
sends it for approval, and the approver's page lists both changes before anyone signs."""

import pytest
from playwright.sync_api import expect

from accountability.models import ObligationRecipient, ObligationSender, ReportingObligation
from protocols.models import Clause
from tests.browser.conftest import assert_accessible, login
from tests.browser.test_editor_journey import agreed_protocol, rich_text_in


@pytest.mark.django_db(transaction=True)
def test_approver_sees_the_changed_frequency_and_the_changed_clause(live_server, page, axe, business_manager, area):
    protocol = agreed_protocol(area)
    agreed = protocol.versions.get()
    clause = Clause.objects.get(section__version=agreed, number="3.1")
    parties = {party.board.short_name: party.board for party in agreed.parties.select_related("board")}
    obligation = ReportingObligation.objects.create(
        version=agreed,
        source_clause=clause,
        subject="annual_report",
        title="KSCB Annual Report",
        frequency="annual",
        window_start_month=9,
        window_end_month=11,
    )
    ObligationSender.objects.create(obligation=obligation, board=parties["KSCB"])
    ObligationRecipient.objects.create(obligation=obligation, board=parties["HWB"])
    login(page, live_server, "manager")

    page.goto(f"{live_server.url}/protocols/{protocol.slug}/edit/")
    page.get_by_role("button", name="Start review").click()
    page.get_by_text("Review started").wait_for()

    # The obligation's frequency, from the clause that states it.
    stating = page.locator("li.registry-editor-clause", has_text="annual report")
    expect(stating.locator("summary")).to_contain_text("(1 record)")
    stating.locator("summary").click()
    stating.get_by_role("link", name="Change obligation").click()
    page.get_by_label("How often").select_option(label="Quarterly")
    assert_accessible(axe, page, "obligation-change-form")
    page.get_by_role("button", name="Save reporting obligation").click()
    page.get_by_text("The reporting obligation was saved").wait_for()

    # A clause, saved in place: the page says so.
    clause_item = page.locator("li.registry-editor-clause", has_text="The HWB considers the report.")
    clause_item.get_by_role("link", name="Edit").click()
    editing = page.locator("li.registry-editor-clause--editing")
    rich_text_in(editing).click()
    page.keyboard.press("Control+A")
    page.keyboard.type("The HWB considers and answers the report.")
    editing.get_by_role("button", name="Save clause").click()
    expect(page.locator("#editor-status")).to_have_text("Clause 3.2 saved.")
    saved = page.locator("li.registry-editor-clause", has_text="considers and answers")
    expect(saved.locator(".registry-saved-note")).to_contain_text("Clause 3.2 saved.")
    expect(saved.get_by_role("link", name="Edit")).to_be_focused()
    assert_accessible(axe, page, "editor-after-save")

    page.get_by_role("link", name="Send for approval").click()
    changes = page.locator("#structured-changes")
    expect(changes.locator("[data-change-group=obligations]")).to_contain_text("Quarterly")
    expect(changes.locator("[data-change-group=clauses]")).to_contain_text("and answers")
    assert_accessible(axe, page, "send-for-approval")
    page.get_by_label("What changed in this version").fill("Quarterly reports; the HWB answers the report.")
    page.get_by_role("button", name="Send for approval").click()
    page.get_by_text("sent for approval").wait_for()

    page.get_by_role("link", name="Record approval by Knowsley Health and Wellbeing Board").click()
    changes = page.locator("#structured-changes")
    obligation_change = changes.locator("[data-change-group=obligations] li")
    expect(obligation_change).to_have_count(1)
    expect(obligation_change).to_contain_text("KSCB Annual Report")
    expect(obligation_change).to_contain_text("Annually")
    expect(obligation_change).to_contain_text("Quarterly")
    expect(obligation_change).to_contain_text("clause 3.1")
    expect(changes.locator("[data-change-group=clauses] li")).to_contain_text("clause 3.2")
    expect(changes.locator("[data-change-group=clauses] ins")).to_contain_text("and answers")
    assert_accessible(axe, page, "approval-form-with-changes")
