"""What an import turns into records once the business manager confirms: accepted reporting obligations
and relations (corrected or as proposed, boards matched or added as new), each linked to its clause;
the version table's rows as past versions; the document itself saved as a past version. Rejected
suggestions leave nothing; a bad choice saves nothing at all."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accountability.models import Relation, ReportingObligation
from boards.models import Board
from protocols import import_services
from protocols.models import AgreedRecord, ImportedDocument, Protocol, ProtocolVersion
from tests.api_support import client_for
from tests.factories import BoardFactory

DOCUMENT = (
    "Joint protocol between the Health and Wellbeing Board and the LSCB\n"
    "Version\tDate\tStatus\tChanges\n"
    "1\tMay 2014\tDraft circulated\tFirst draft\n"
    "2\t12 June 2015\tApproved\tAgreed by both boards\n"
    "3\tMarch 2016\tApproved\tThis version\n"
    "\n"
    "Version: 3\n"
    "1. Reporting\n"
    "1.1 The LSCB will present its annual report to the Health and Wellbeing Board in September.\n"
    "1.2 The Health and Wellbeing Board will hold the Children's Trust to account for the plan.\n"
    "1.3 The Community Safety Partnership will submit its business plan to the Health and Wellbeing Board.\n"
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def boards(area):
    return {
        "hwb": BoardFactory(areas=[area], name="Health and Wellbeing Board", short_name="HWB"),
        "lscb": BoardFactory(areas=[area], name="Local Safeguarding Children Board", short_name="LSCB"),
        "csp": BoardFactory(areas=[area], name="Community Safety Partnership", short_name="CSP"),
    }


@pytest.fixture
def imported(client, business_manager, area, boards):
    client.force_login(business_manager)
    client.post(
        reverse("protocols:import_upload"),
        {"area": area.pk, "file": SimpleUploadedFile("protocol.txt", DOCUMENT.encode())},
    )
    return ImportedDocument.objects.get()


def suggestion(imported, starts):
    found = import_services.import_suggestions(imported)["relations"]
    return next(s for s in found if s["sentence"].lstrip().startswith(starts) or s["sender"].startswith(starts))


def test_review_proposes_each_obligation_unticked_with_values_read_from_its_sentence(client, imported, boards):
    page = client.get(reverse("protocols:import_review", args=[imported.pk])).content.decode()
    lscb = suggestion(imported, "The LSCB")
    prefix = f"s{lscb['id']}"
    assert f'id="{prefix}-accept" name="accept" type="checkbox" value="{lscb["id"]}" aria' in page  # not ticked
    assert f'<option value="{boards["lscb"].pk}" selected>' in page
    assert 'value="annual" selected' in page and 'value="9" selected' in page
    assert 'value="Annual report"' in page


def test_accepted_suggestions_become_records_of_their_clauses_and_rejected_ones_leave_nothing(
    client, imported, boards, area
):
    lscb, trust, csp = (
        suggestion(imported, "The LSCB"),
        suggestion(imported, "The Health"),
        suggestion(imported, "The Community"),
    )
    a, b = f"s{lscb['id']}", f"s{trust['id']}"
    response = client.post(
        reverse("protocols:import_review", args=[imported.pk]),
        {
            "title": "Reporting protocol",
            "accept": [lscb["id"], trust["id"]],  # the CSP's business plan is left unticked
            f"{a}-record": "obligation",
            f"{a}-title": "Annual report of the LSCB",
            f"{a}-subject": "annual_report",
            f"{a}-sender": boards["lscb"].pk,
            f"{a}-recipient": boards["hwb"].pk,
            f"{a}-frequency": "annual",
            f"{a}-start": "9",
            f"{a}-end": "10",  # corrected: the window runs into October
            f"{b}-record": "relation",
            f"{b}-kind": "holds_to_account",
            f"{b}-sender": boards["hwb"].pk,
            f"{b}-recipient": "new",
            f"{b}-recipient-new": "Children's Trust",
            f"s{csp['id']}-record": "obligation",
            f"s{csp['id']}-sender": boards["csp"].pk,
            f"s{csp['id']}-recipient": boards["hwb"].pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    version = Protocol.objects.get().versions.get()
    obligation = ReportingObligation.objects.get()
    assert obligation.version == version and obligation.source_clause.number == "1.1"
    assert (obligation.title, obligation.frequency, obligation.window_start_month, obligation.window_end_month) == (
        "Annual report of the LSCB",
        "annual",
        9,
        10,
    )
    assert obligation.sender_parties == [boards["lscb"]]
    assert [r.party for r in obligation.recipients.all()] == [boards["hwb"]]
    relation = Relation.objects.get()
    trust_board = Board.objects.get(name="Children's Trust")
    assert list(trust_board.areas.all()) == [area]
    assert (relation.subject_board, relation.object_board, relation.kind) == (
        boards["hwb"],
        trust_board,
        "holds_to_account",
    )
    assert relation.source_clause.number == "1.2" and relation.version == version


def test_a_bad_choice_saves_nothing_and_keeps_what_was_entered(client, imported, boards):
    lscb = suggestion(imported, "The LSCB")
    a = f"s{lscb['id']}"
    response = client.post(
        reverse("protocols:import_review", args=[imported.pk]),
        {
            "title": "Reporting protocol",
            "accept": [lscb["id"]],
            f"{a}-record": "obligation",
            f"{a}-title": "Annual report",
            f"{a}-subject": "annual_report",
            f"{a}-sender": "new",
            f"{a}-sender-new": "Safeguarding Partnership",
            f"{a}-recipient": "",  # goes to nobody: refused
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Nothing was saved" in page
    assert "Choose at least one board or post it goes to" in page
    assert f'id="{a}-accept" name="accept" type="checkbox" value="{lscb["id"]}" checked' in page
    assert not Protocol.objects.exists() and not ReportingObligation.objects.exists()
    assert not Board.objects.filter(name="Safeguarding Partnership").exists()
    assert ImportedDocument.objects.get().version is None


def test_save_as_a_past_version_with_the_version_table_as_history(client, imported, boards):
    page = client.get(reverse("protocols:import_review", args=[imported.pk])).content.decode()
    assert "Version 3, March 2016: This version (this document)" in page
    response = client.post(
        reverse("protocols:import_review", args=[imported.pk]),
        {
            "title": "Reporting protocol",
            "party": [boards["hwb"].pk, boards["lscb"].pk],
            "document_date": "accept",
            "past_version": ["0", "1"],
            "pv0-status": ProtocolVersion.Status.CIRCULATED_DRAFT,
            "pv1-status": ProtocolVersion.Status.AGREED,
            "save_as": "past",
            "past_status": ProtocolVersion.Status.AGREED,
            "past_label": "3",
        },
    )
    protocol = Protocol.objects.get()
    assert response.status_code == 302 and response.url == reverse("protocols:history", args=[protocol.slug])
    versions = {v.number: v for v in protocol.versions.all()}
    assert sorted(versions) == [1, 2, 3]
    assert versions[1].label == "Version 1" and versions[1].never_agreed and versions[1].recorded_as_past
    assert (versions[1].document_date.isoformat(), versions[1].document_date_precision) == ("2014-05-01", "month")
    assert versions[2].is_superseded and versions[2].document_date.isoformat() == "2015-06-12"
    own = versions[3]
    assert own.is_agreed and own.recorded_as_past and own.label == "Version 3"
    assert (own.document_date.isoformat(), own.document_date_precision) == ("2016-03-01", "month")
    assert sorted(own.sections.get().clauses.values_list("number", flat=True)) == ["1.1", "1.2", "1.3"]
    assert {p.board for p in own.parties.all()} == {boards["hwb"], boards["lscb"]}
    assert not protocol.versions.open().exists()
    assert ImportedDocument.objects.get().version == own
    # Agreed, it has its frozen record of what was agreed, holding the imported text.
    record = AgreedRecord.objects.get(version=own)
    assert "The LSCB will present its annual report" in json.dumps(record.document)


def test_api_confirm_records_accepted_obligations_and_relations_and_a_past_version(business_manager, imported, boards):
    lscb, trust = suggestion(imported, "The LSCB"), suggestion(imported, "The Health")
    client = client_for(business_manager)
    body = {
        "title": "Reporting protocol",
        "obligations": [
            {
                "suggestion": lscb["id"],
                "title": "Annual report",
                "subject": "annual_report",
                "senders": [boards["lscb"].pk],
                "recipients": [boards["hwb"].pk],
                "frequency": "annual",
                "window_start_month": 9,
                "window_end_month": 9,
            }
        ],
        "relations": [
            {
                "suggestion": trust["id"],
                "kind": "holds_to_account",
                "subject": boards["hwb"].pk,
                "object": "Children's Trust",
            }
        ],
        "save_as_past": True,
        "past_status": ProtocolVersion.Status.CIRCULATED_DRAFT,
    }
    unknown = client.post(
        f"/api/imports/{imported.pk}/confirm/",
        {**body, "relations": [{**body["relations"][0], "suggestion": "99-0"}]},
        format="json",
    )
    assert unknown.status_code == 400 and "Not suggestions of this document" in str(unknown.json())
    assert not Protocol.objects.exists() and not Board.objects.filter(name="Children's Trust").exists()
    response = client.post(f"/api/imports/{imported.pk}/confirm/", body, format="json")
    assert response.status_code == 201, response.json()
    version = ProtocolVersion.objects.get(pk=response.json()["version"])
    assert version.never_agreed and version.recorded_as_past and version.label == "Version 3"
    obligation = version.obligations.get()
    assert obligation.source_clause.number == "1.1" and obligation.sender_parties == [boards["lscb"]]
    relation = version.relations.get()
    assert relation.object_board.name == "Children's Trust" and relation.source_clause.number == "1.2"


def test_the_sealed_pdf_carries_the_original_document_as_its_source(client, imported, boards, settings, tmp_path):
    """Saved as a past agreed version, the version's sealed PDF/A-3 attaches the uploaded file byte for
    byte as an associated file with the relationship Source; the seal covers it."""
    import hashlib
    import io

    from pypdf import PdfReader

    from protocols import signing

    settings.SIGNING_KEY_FILE, settings.SIGNING_CERT_FILE = "", ""
    client.post(
        reverse("protocols:import_review", args=[imported.pk]),
        {
            "title": "Reporting protocol",
            "party": [boards["hwb"].pk],
            "save_as": "past",
            "past_status": ProtocolVersion.Status.AGREED,
            "past_label": "3",
        },
    )
    version = ProtocolVersion.objects.get()
    page = client.get(version.get_absolute_url()).content.decode()
    assert reverse("protocols:import_original", args=[imported.pk]) in page and imported.sha256 in page
    response = client.get(
        reverse("protocols:version_pdf", args=[version.protocol.slug, version.number]) + "?generate=1"
    )
    data = b"".join(response.streaming_content) if response.streaming else response.content
    reader = PdfReader(io.BytesIO(data))
    attached = reader.attachments["protocol.txt"][0]
    assert hashlib.sha256(attached).hexdigest() == imported.sha256 == hashlib.sha256(DOCUMENT.encode()).hexdigest()
    specs = {item.idnum: item.get_object() for item in reader.trailer["/Root"]["/AF"]}
    assert [(spec["/F"], spec["/AFRelationship"]) for spec in specs.values()] == [("protocol.txt", "/Source")]
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp
    assert signing.check_seal(data).ok


def test_boards_are_matched_without_the_area_name_in_front_and_with_ampersands(client, business_manager, area):
    """'the Health & Wellbeing Board' names the area's '<Area> Health and Wellbeing Board'; nothing
    is offered as a new board when the register has it."""
    hwb = BoardFactory(areas=[area], name=f"{area.name} Health and Wellbeing Board", short_name="")
    client.force_login(business_manager)
    text = (
        "Protocol between the Health & Wellbeing Board and the Youth Panel\n"
        "1. Reporting\n"
        "1.1 The Youth Panel will present its annual report to the Health & Wellbeing Board in June.\n"
        "Health & Wellbeing Board approved June 2016\n"
    )
    client.post(
        reverse("protocols:import_upload"), {"area": area.pk, "file": SimpleUploadedFile("p.txt", text.encode())}
    )
    found = import_services.import_suggestions(ImportedDocument.objects.get())
    assert found["parties"] == [hwb] and found["unmatched_parties"] == []
    (relation,) = found["relations"]
    assert relation["receiver_boards"] == [hwb] and relation["sender_boards"] == []


def test_a_version_table_row_without_a_status_says_which_row_and_saves_nothing(client, imported):
    response = client.post(
        reverse("protocols:import_review", args=[imported.pk]),
        {"title": "Reporting protocol", "past_version": ["0"], "pv0-status": ""},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Version 1 in the version table: Choose agreed" in page
    assert not Protocol.objects.exists()
