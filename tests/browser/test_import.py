"""Importing a Word document in a real browser: upload, check the review screen, save as a draft."""

import io

import pytest
from playwright.sync_api import expect

from protocols.models import ImportedDocument, Protocol
from tests.browser.conftest import assert_accessible, login
from tests.factories import BoardFactory


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def word_document() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Protocol between the LSCB and the Health and Wellbeing Board", style="Title")
    document.add_paragraph("1. Reporting", style="Heading 1")
    document.add_paragraph(
        "1.1 The LSCB will present its annual report to the Health and Wellbeing Board in September."
    )
    document.add_paragraph("1.2 The chairs will meet:")
    document.add_paragraph("twice a year", style="List Bullet")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_upload_a_word_document_check_it_and_save_a_draft(live_server, page, axe, business_manager, area):
    lscb = BoardFactory(areas=[area], name="Local Safeguarding Children Board", short_name="LSCB")
    BoardFactory(areas=[area], name="Community Safety Partnership", short_name="CSP")
    login(page, live_server, "manager")
    page.goto(f"{live_server.url}/editor/new/")
    page.get_by_role("link", name="Import a document").click()
    page.set_input_files(
        "#id_file",
        files=[
            {
                "name": "protocol.docx",
                "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "buffer": word_document(),
            }
        ],
    )
    page.get_by_role("button", name="Read the document").click()
    expect(page.get_by_role("heading", name="Check what the registry read")).to_be_visible()
    expect(
        page.get_by_text("Record: The LSCB sends annual report to Health and Wellbeing Board (in September)")
    ).to_be_visible()
    expect(page.get_by_label("Local Safeguarding Children Board")).to_be_checked()
    expect(page.get_by_label("Community Safety Partnership")).not_to_be_checked()
    assert_accessible(axe, page, "import-review")
    assert not Protocol.objects.exists()
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_text("Draft saved from protocol.docx")).to_be_visible()
    version = Protocol.objects.get().versions.get()
    assert [party.board for party in version.parties.all()] == [lscb]
    clauses = version.sections.get(number="1.").clauses
    assert sorted(clauses.values_list("number", flat=True)) == ["", "1.1", "1.2"]
    assert ImportedDocument.objects.get().version == version


def reporting_document() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(
        "Reporting protocol between the LSCB, the CSP and the Health and Wellbeing Board", style="Title"
    )
    document.add_paragraph("1. Reporting", style="Heading 1")
    document.add_paragraph(
        "1.1 The LSCB will present its annual report to the Health and Wellbeing Board in September."
    )
    document.add_paragraph(
        "1.2 The Community Safety Partnership will submit its business plan to the Health and Wellbeing Board."
    )
    document.add_paragraph("1.3 The LSCB will share its minutes to the Community Safety Partnership.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_accept_two_suggested_obligations_and_see_them_on_the_map_of_drafts(
    live_server, page, axe, business_manager, area
):
    """A business manager uploads a Word document, ticks two of the three reporting lines it states,
    saves the draft, and finds exactly those two on the area's map with drafts shown."""
    BoardFactory(areas=[area], name="Local Safeguarding Children Board", short_name="LSCB")
    BoardFactory(areas=[area], name="Health and Wellbeing Board", short_name="HWB")
    BoardFactory(areas=[area], name="Community Safety Partnership", short_name="CSP")
    login(page, live_server, "manager")
    page.goto(f"{live_server.url}/editor/import/")
    page.set_input_files(
        "#id_file",
        files=[
            {
                "name": "reporting.docx",
                "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "buffer": reporting_document(),
            }
        ],
    )
    page.get_by_role("button", name="Read the document").click()
    expect(page.get_by_role("heading", name="Check what the registry read")).to_be_visible()
    annual = page.get_by_label("Record: The LSCB sends annual report to Health and Wellbeing Board (in September)")
    plan = page.get_by_label(
        "Record: The Community Safety Partnership sends business plan to Health and Wellbeing Board"
    )
    minutes = page.get_by_label("Record: The LSCB sends minutes to Community Safety Partnership")
    for box in (annual, plan, minutes):
        expect(box).not_to_be_checked()  # nothing is a record until the business manager says so
    annual.check()
    plan.check()
    # The proposed values can be checked and corrected before saving.
    page.get_by_text("Change what is recorded from clause 1.2").click()
    expect(page.locator("select[name$='-sender'] option[selected]").nth(1)).to_have_text("Community Safety Partnership")
    assert_accessible(axe, page, "import-review-suggestions")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_text("Draft saved from reporting.docx")).to_be_visible()
    version = Protocol.objects.get().versions.get()
    assert sorted(version.obligations.values_list("title", flat=True)) == ["Annual report", "Business plan"]
    page.goto(f"{live_server.url}/areas/{area.slug}/map/?drafts=1")
    expect(page.get_by_text("This map includes drafts")).to_be_visible()
    text = page.locator("#map-text")
    expect(text.locator("li[data-change='added']")).to_have_count(2)
    expect(text).to_contain_text("LSCB presents its annual report to HWB, September, clause 1.1")
    expect(text).to_contain_text("CSP reports to HWB, Business plan")
    expect(text).not_to_contain_text("inutes")
    assert_accessible(axe, page, "map-with-imported-draft")
