"""A protocol's history as its front page gives it: several numbered versions, each with its own date, of
which only the last is agreed. Past versions are recorded as written (label, date at its precision, status)
without the approval workflow, from the editor and the API; an unagreed version never reads as agreed."""

# ruff: noqa: F403, F405
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from pypdf import PdfReader

from core.exceptions import VersionLocked
from core.writes import unlocked
from protocols import services
from protocols.models import ProtocolVersion, RenderedDocument
from tests.api_support import *
from tests.factories import BoardFactory, VersionFactory

pytestmark = pytest.mark.django_db
Status = ProtocolVersion.Status


@pytest.fixture
def protocol(business_manager, area):
    boards = (BoardFactory(areas=[area], name="Health and Wellbeing Board"), BoardFactory(areas=[area], name="LSCB"))
    protocol = services.protocol_create(user=business_manager, area=area, title="Joint protocol", party_boards=boards)
    draft = protocol.versions.get()
    section = services.section_create(user=business_manager, version=draft, heading="Purpose", number="1")
    services.clause_create(user=business_manager, section=section, text="<p>The boards work together.</p>")
    return protocol


def agree_the_draft(user, protocol):
    draft = services.open_draft(protocol)
    services.version_send_for_approval(user=user, version=draft, change_summary="Final version")
    for party in draft.parties.all():
        services.approval_record(
            user=user, party=party, approved_on=datetime.date(2014, 9, 1), approved_precision="month"
        )
    draft.refresh_from_db()
    return draft


def history_rows(protocol):
    return [(v.number, v.label, v.document_date_display, v.status) for v in protocol.versions.order_by("number")]


def test_four_versions_through_the_editor_only_the_last_agreed(client, business_manager, protocol):
    """Three earlier drafts recorded from the history page, each with its own date at its precision; the open
    draft, dated through its details form, goes through approval. The history lists all four; the public page
    of an earlier draft says it was never agreed; its PDF is marked NOT AGREED and is not sealed."""
    client.force_login(business_manager)
    url = f"/protocols/{protocol.slug}/history/record/"
    assert "Record a past version" in client.get(f"/protocols/{protocol.slug}/history/").content.decode()
    for label, day, month, year in (("V1", "3", "2", "2014"), ("V2", "", "4", "2014"), ("V3", "14", "5", "2014")):
        response = client.post(
            url,
            {
                "label": label,
                "status": "circulated_draft",
                "document_date_day": day,
                "document_date_month": month,
                "document_date_year": year,
            },
        )
        assert response.status_code == 302, response.content.decode()
    draft = services.open_draft(protocol)
    settings_response = client.post(
        f"/protocols/{protocol.slug}/edit/details/",
        {
            "form": "version",
            "version-revision": draft.revision,
            "version-title": draft.title,
            "version-label": "V4 (final)",
            "version-auto_numbering": "0",
            "version-document_date_day": "",
            "version-document_date_month": "9",
            "version-document_date_year": "2014",
        },
    )
    assert settings_response.status_code == 302
    agree_the_draft(business_manager, protocol)

    assert history_rows(protocol) == [
        (1, "V1", "3 February 2014", Status.CIRCULATED_DRAFT),
        (2, "V2", "April 2014", Status.CIRCULATED_DRAFT),
        (3, "V3", "14 May 2014", Status.CIRCULATED_DRAFT),
        (4, "V4 (final)", "September 2014", Status.AGREED),
    ]
    history = client.get(f"/protocols/{protocol.slug}/history/").content.decode()
    assert history.count("Circulated draft, never agreed") == 3 and "Never in force" in history

    client.logout()
    v2 = protocol.versions.get(number=2)
    page = client.get(v2.get_absolute_url()).content.decode()
    assert "never agreed" in page and "As agreed on" not in page and "Download the signed PDF" not in page
    latest = client.get(protocol.versions.get(number=4).get_absolute_url()).content.decode()
    for text in ("Version 1 (V1)", "Version 2 (V2)", "Version 3 (V3)", "dated 3 February 2014", "dated April 2014"):
        assert text in latest
    response = client.get(f"{v2.get_absolute_url()}pdf/?generate=1")
    assert response["Content-Disposition"].startswith('attachment; filename="not-agreed-')
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Circulated draft, never agreed" in text and "Never agreed" in text
    assert not RenderedDocument.objects.filter(version=v2).exists()


def test_four_versions_through_the_api_and_the_document_date_is_kept(business_manager, protocol):
    """POST /api/versions/ with recorded_as_past records each earlier version; a draft's document_date sent in a
    PATCH is saved (not dropped); only the last version reads as agreed."""
    client = client_for(business_manager)
    for label, day, precision in (("V1", "2014-02-03", "day"), ("V2", "2014-04-01", "month"), ("V3", None, "day")):
        response = client.post(
            "/api/versions/",
            {
                "protocol": protocol.pk,
                "recorded_as_past": True,
                "label": label,
                "status": "circulated_draft",
                "document_date": day,
                "document_date_precision": precision,
            },
            format="json",
        )
        assert response.status_code == 201, response.content
        assert response.json()["recorded_as_past"] is True
    read = client.get(f"/api/versions/{protocol.versions.get(number=3).pk}/").json()
    assert (read["document_date"], read["document_date_precision"], read["document_date_display"]) == (None,) * 3

    draft = services.open_draft(protocol)
    etag = client.get(f"/api/versions/{draft.pk}/")["ETag"]
    patched = client.patch(
        f"/api/versions/{draft.pk}/",
        {"label": "V4", "document_date": "2014-09-01", "document_date_precision": "month"},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["document_date_display"] == "September 2014"
    agree_the_draft(business_manager, protocol)

    listed = client.get(f"/api/versions/?protocol={protocol.slug}").json()["results"]
    rows = sorted((v["number"], v["label"], v["document_date_display"], v["status"]) for v in listed)
    assert rows == [
        (1, "V1", "3 February 2014", "circulated_draft"),
        (2, "V2", "April 2014", "circulated_draft"),
        (3, "V3", None, "circulated_draft"),
        (4, "V4", "September 2014", "agreed"),
    ]
    anonymous = client_for(None).get(f"/api/versions/{protocol.versions.get(number=1).pk}/")
    assert anonymous.status_code == 200 and anonymous.json()["status"] == "circulated_draft"


def test_the_api_creates_only_past_versions_and_only_for_editors(business_manager, board_member, protocol):
    body = {"protocol": protocol.pk, "label": "V1", "status": "withdrawn"}
    refused = client_for(business_manager).post("/api/versions/", {**body, "recorded_as_past": False}, format="json")
    assert refused.status_code == 400 and "recorded_as_past" in refused.json()["error"]["fields"]
    forbidden = client_for(board_member).post("/api/versions/", {**body, "recorded_as_past": True}, format="json")
    assert forbidden.status_code == 403
    assert protocol.versions.count() == 1


def test_several_past_drafts_but_one_open_draft(business_manager, protocol):
    """Past drafts do not count as open; the database refuses a second draft open for editing."""
    for label in ("V1", "V2"):
        services.version_record_past(
            user=business_manager, protocol=protocol, status=Status.CIRCULATED_DRAFT, label=label
        )
    assert protocol.versions.filter(status=Status.CIRCULATED_DRAFT).count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        VersionFactory(protocol=protocol, number=9, status=Status.AWAITING_APPROVAL)


def test_a_past_version_is_frozen_and_never_sealed(business_manager, protocol):
    withdrawn = services.version_record_past(
        user=business_manager, protocol=protocol, status=Status.WITHDRAWN, label="Draft B"
    )
    assert withdrawn.is_locked and not withdrawn.is_sealed and withdrawn.never_agreed
    with pytest.raises(VersionLocked):
        services.version_update(user=business_manager, version=withdrawn, expected_revision=None, title="Changed")
    with pytest.raises(VersionLocked):
        services.section_create(user=business_manager, version=withdrawn, heading="Added")
    withdrawn.status = Status.SUPERSEDED
    with pytest.raises(VersionLocked):
        withdrawn.save()


def test_a_past_agreed_version_supersedes_an_earlier_one_and_cannot_come_before_a_later_one(business_manager, protocol):
    agreed = agree_the_draft(business_manager, protocol)  # version 1
    with unlocked():  # stands in for an agreed version numbered 5
        ProtocolVersion.objects.filter(pk=agreed.pk).update(number=5)
    with pytest.raises(ValidationError, match="Version 5 is agreed and comes later"):
        services.version_record_past(
            user=business_manager, protocol=protocol, status=Status.AGREED, label="V2", number=2
        )
    later = services.version_record_past(user=business_manager, protocol=protocol, status=Status.AGREED, label="V6")
    agreed.refresh_from_db()
    assert (later.number, later.status, agreed.status) == (6, Status.AGREED, Status.SUPERSEDED)
    assert later.effective_date is None  # the registry has no approval date for it: not stated


def test_a_label_that_only_repeats_the_number_is_not_shown_twice(client, protocol):
    """ "Version 2 · Version 2" said nothing new: the history shows a label only when it adds to the number."""
    version = protocol.versions.get()
    ProtocolVersion.objects.filter(pk=version.pk).update(label=f"Version {version.number}")
    version.refresh_from_db()
    assert version.own_label == ""
    ProtocolVersion.objects.filter(pk=version.pk).update(label="V4 (final)")
    version.refresh_from_db()
    assert version.own_label == "V4 (final)"
