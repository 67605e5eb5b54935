"""The import through the API: a file in, the parsed draft with its warnings out, nothing recorded
until the confirmation; hostile files answered 400 with the reason and nothing kept."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from protocols.models import ImportedDocument, Protocol
from tests.api_support import client_for
from tests.factories import BoardFactory

DOCUMENT = (
    b"Protocol between the LSCB and the Health and Wellbeing Board\n"
    b"1. Reporting\n"
    b"1.1 The LSCB will submit its annual report to the Health and Wellbeing Board.\n"
    b"1.3 The chairs meet.\n"
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def post_file(client, area, data, name="protocol.txt"):
    return client.post("/api/imports/", {"area": area.pk, "file": SimpleUploadedFile(name, data)}, format="multipart")


def test_upload_answers_the_parsed_draft_with_warnings_and_records_nothing(business_manager, area):
    lscb = BoardFactory(areas=[area], name="Local Safeguarding Children Board", short_name="LSCB")
    response = post_file(client_for(business_manager), area, DOCUMENT)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["format"] == "txt" and len(body["sha256"]) == 64
    assert body["parsed"]["title"] == "Protocol between the LSCB and the Health and Wellbeing Board"
    assert [s["number"] for s in body["parsed"]["sections"]] == ["1."]
    assert body["parsed"]["warnings"] == ["Numbering skips from 1 to 1.3 in “1. Reporting”."]
    assert body["suggestions"]["parties"] == [{"id": lscb.pk, "name": lscb.name}]
    relation = body["suggestions"]["relations"][0]
    assert (relation["sender"], relation["kind"], relation["clause"]) == ("The LSCB", "reports to", "1.1")
    assert body["version"] is None and not Protocol.objects.exists()


def test_confirm_saves_the_draft_once(business_manager, area):
    lscb = BoardFactory(areas=[area], name="Local Safeguarding Children Board", short_name="LSCB")
    client = client_for(business_manager)
    imported = post_file(client, area, DOCUMENT).json()
    url = f"/api/imports/{imported['id']}/confirm/"
    response = client.post(url, {"title": "Reporting protocol", "party_boards": [lscb.pk]}, format="json")
    assert response.status_code == 201, response.json()
    version = Protocol.objects.get().versions.get()
    assert response.json()["version"] == version.pk
    assert [p.board for p in version.parties.all()] == [lscb]
    assert sorted(version.sections.get().clauses.values_list("number", flat=True)) == ["1.1", "1.3"]
    again = client.post(url, {"title": "Reporting protocol"}, format="json")
    assert again.status_code == 400 and Protocol.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"GIF89a" + b"\x00" * 50, "not a document the registry can read"),
        (b"x" * (10 * 1024 * 1024 + 1), "the largest file the registry imports is 10 MB"),
    ],
    ids=["empty", "wrong-type", "over-10-MB"],
)
def test_unreadable_file_is_400_with_its_reason_and_nothing_kept(business_manager, area, media, data, reason):
    response = post_file(client_for(business_manager), area, data, name="protocol.pdf")
    assert response.status_code == 400
    assert reason in str(response.json())
    assert not ImportedDocument.objects.exists() and not any(media.rglob("*.*"))


def test_outsider_cannot_import_into_another_area(outsider, area):
    response = post_file(client_for(outsider), area, DOCUMENT)
    assert response.status_code == 403
    assert not ImportedDocument.objects.exists()


def test_a_new_version_of_a_protocol_through_the_api(business_manager, outsider, area):
    from django.utils import timezone

    from protocols.models import ProtocolVersion

    client = client_for(business_manager)
    first = post_file(client, area, DOCUMENT).json()
    client.post(f"/api/imports/{first['id']}/confirm/", {"title": "Reporting protocol"}, format="json")
    protocol = Protocol.objects.get()
    ProtocolVersion.objects.filter(protocol=protocol).update(
        status=ProtocolVersion.Status.AGREED, agreed_at=timezone.now()
    )
    second = DOCUMENT.replace(b"1.3 The chairs meet.", b"1.2 The chairs meet monthly.")
    body = {"area": area.pk, "protocol": protocol.pk, "file": SimpleUploadedFile("v2.txt", second)}
    refused = client_for(outsider).post("/api/imports/", body, format="multipart")
    assert refused.status_code == 403
    body["file"] = SimpleUploadedFile("v2.txt", second)
    uploaded = client.post("/api/imports/", body, format="multipart")
    assert uploaded.status_code == 201, uploaded.json()
    assert uploaded.json()["protocol"] == protocol.pk
    confirmed = client.post(
        f"/api/imports/{uploaded.json()['id']}/confirm/", {"title": "Reporting protocol"}, format="json"
    )
    assert confirmed.status_code == 201, confirmed.json()
    draft = protocol.versions.get(number=2)
    assert confirmed.json()["version"] == draft.pk and draft.is_draft
    assert sorted(draft.sections.get().clauses.values_list("number", flat=True)) == ["1.1", "1.2"]
