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
