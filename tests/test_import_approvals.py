"""Approvals a document states become approval records only when the business manager ticks them and saves
the document as the agreed version it was: each with the date at the precision written and the signatory
only where named, quoting the sentence it comes from. Unticked, or saved as a draft, they leave nothing."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from protocols.models import AgreedRecord, Approval, ImportedDocument, Protocol, ProtocolVersion
from tests.api_support import client_for
from tests.factories import BoardFactory

DOCUMENT = (
    "Joint protocol between the Health and Wellbeing Board and the LSCB\n"
    "Version: 3\n"
    "1. Reporting\n"
    "1.1 The LSCB will present its annual report to the Health and Wellbeing Board in September.\n"
    "2. Signatures\n"
    "Signed: Chair of the Health and Wellbeing Board (Ann Example)\n"
    "Date: 12 March 2016\n"
    "Signed: Chair of the LSCB\n"
    "Date: March 2016\n"
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def boards(area):
    return {
        "hwb": BoardFactory(areas=[area], name="Health and Wellbeing Board", short_name="HWB"),
        "lscb": BoardFactory(areas=[area], name="Local Safeguarding Children Board", short_name="LSCB"),
    }


@pytest.fixture
def imported(client, business_manager, area, boards):
    client.force_login(business_manager)
    client.post(
        reverse("protocols:import_upload"),
        {"area": area.pk, "file": SimpleUploadedFile("protocol.txt", DOCUMENT.encode())},
    )
    return ImportedDocument.objects.get()


def review(imported):
    return reverse("protocols:import_review", args=[imported.pk])


def as_agreed(boards, **more):
    return {
        "title": "Reporting protocol",
        "party": [boards["hwb"].pk, boards["lscb"].pk],
        "save_as": "past",
        "past_status": ProtocolVersion.Status.AGREED,
        "past_label": "3",
        **more,
    }


def test_the_review_offers_each_stated_approval_unticked_with_its_party_chosen(client, imported, boards):
    response = client.get(review(imported))
    page = response.content.decode()
    rows = response.context["approval_rows"]
    assert [(row["board"], row["ticked"]) for row in rows] == [
        (str(boards["hwb"].pk), False),
        (str(boards["lscb"].pk), False),
    ]
    assert "signed by Ann Example, 12 March 2016" in page
    assert 'signed by <span class="not-stated">name not stated</span>, March 2016' in page
    assert 'name="approval" type="checkbox" value="0" checked' not in page


def test_ticked_approvals_are_recorded_as_written_with_the_agreed_version(client, imported, boards):
    response = client.post(
        review(imported),
        as_agreed(boards, approval=["0", "1"], **{"ap0-board": boards["hwb"].pk, "ap1-board": boards["lscb"].pk}),
    )

    assert response.status_code == 302
    version = ProtocolVersion.objects.get()
    assert version.is_agreed and version.recorded_as_past
    hwb, lscb = (Approval.objects.get(party__version=version, party__board=boards[key]) for key in ("hwb", "lscb"))
    assert (hwb.signatory_name, hwb.approved_on, hwb.approved_precision) == (
        "Ann Example",
        datetime.date(2016, 3, 12),
        "day",
    )
    assert (lscb.signatory_name, lscb.approved_on, lscb.approved_precision) == ("", datetime.date(2016, 3, 1), "month")
    assert hwb.note == "As the document states it: Signed: Chair of the Health and Wellbeing Board (Ann Example)"
    assert hwb.recorded_by is not None
    # Frozen with the version: the record of what was agreed holds them as written.
    record = AgreedRecord.objects.get(version=version).document
    signers = [a["signatory_name"] for party in record["parties"] for a in party["approvals"]]
    assert sorted(signers) == ["", "Ann Example"]
    page = client.get(reverse("protocols:version_detail", args=[version.protocol.slug, version.number]))
    assert "Ann Example" in page.content.decode() and "Not yet approved" not in page.content.decode()


def test_unticked_approvals_leave_nothing(client, imported, boards):
    client.post(review(imported), as_agreed(boards, **{"ap0-board": boards["hwb"].pk}))
    assert ProtocolVersion.objects.get().is_agreed
    assert not Approval.objects.exists()


def test_approvals_are_refused_with_a_draft_or_for_a_board_not_party_and_nothing_is_saved(client, imported, boards):
    as_draft = client.post(
        review(imported), {"title": "Reporting protocol", "approval": ["0"], "ap0-board": boards["hwb"].pk}
    )
    not_party = client.post(
        review(imported),
        as_agreed(boards, party=[boards["lscb"].pk], approval=["0"], **{"ap0-board": boards["hwb"].pk}),
    )
    circulated = client.post(
        review(imported),
        as_agreed(
            boards,
            past_status=ProtocolVersion.Status.CIRCULATED_DRAFT,
            approval=["0"],
            **{"ap0-board": boards["hwb"].pk},
        ),
    )

    assert as_draft.status_code == 200 and "a draft collects its approvals" in as_draft.content.decode()
    assert "Health and Wellbeing Board is not a party" in not_party.content.decode()
    assert "recorded only with a version that was agreed" in circulated.content.decode()
    assert not Protocol.objects.exists() and not Approval.objects.exists()
    ticked = not_party.context["approval_rows"][0]
    assert ticked["ticked"] and ticked["board"] == str(boards["hwb"].pk)  # what was entered is kept


def test_the_api_confirm_records_the_approvals_it_names(business_manager, imported, boards):
    client = client_for(business_manager)
    body = {
        "title": "Reporting protocol",
        "party_boards": [boards["hwb"].pk, boards["lscb"].pk],
        "save_as_past": True,
        "past_status": ProtocolVersion.Status.AGREED,
        "past_label": "Version 3",
        "approvals": [{"index": 1, "board": boards["lscb"].pk}],
    }

    out_of_range = client.post(
        f"/api/imports/{imported.pk}/confirm/", {**body, "approvals": [{"index": 5, "board": 1}]}, format="json"
    )
    response = client.post(f"/api/imports/{imported.pk}/confirm/", body, format="json")

    assert out_of_range.status_code == 400 and "The document states 2 approvals" in str(out_of_range.json())
    assert response.status_code == 201, response.json()
    [approval] = Approval.objects.all()
    assert approval.party.board == boards["lscb"] and approval.approved_precision == "month"
