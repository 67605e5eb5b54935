"""A write naming a field the API does not save is refused with 400, never answered 200 with the value lost.

Keys a client read from the record (id, links, revision, ...) may be sent back unchanged, so a
record fetched, edited and returned whole is accepted.
"""

# ruff: noqa: F403, F405
import pytest

from accountability.models import ReportingObligation
from boards.models import Person
from core.models import AuditRecord
from protocols.models import Clause
from tests.api_support import *
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

UNKNOWN = "Unknown field: it is not saved here."


@pytest.fixture
def manager_client(business_manager):
    return client_for(business_manager)


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json(), response["ETag"]


def unknown_fields(response):
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    return error["fields"]


def test_person_patch_with_an_unknown_key_is_refused_and_saves_nothing(manager_client):
    """A misspelt field is named in the 400; the valid change sent beside it is not saved either."""
    person = PersonFactory(name="J Smith", honorific="")
    url = f"/api/people/{person.pk}/"
    _, etag = read(manager_client, url)
    response = manager_client.patch(
        url, {"name": "Jane Smith", "honorfic": "Councillor"}, format="json", HTTP_IF_MATCH=etag
    )
    assert unknown_fields(response) == {"honorfic": [UNKNOWN]}
    person.refresh_from_db()
    assert (person.name, person.honorific) == ("J Smith", "")
    assert not AuditRecord.objects.filter(object_type="boards.Person", object_id=str(person.pk)).exists()


def test_person_create_with_an_unknown_key_creates_nobody(manager_client):
    response = manager_client.post("/api/people/", {"name": "A. Chair", "title": "Chair"}, format="json")
    assert unknown_fields(response) == {"title": [UNKNOWN]}
    assert not Person.objects.filter(name="A. Chair").exists()


def test_person_notes_round_trip_and_are_in_the_register_history(manager_client, business_manager):
    """Notes are read and written like the name; the change is recorded with its before and after."""
    person = PersonFactory(name="Jane Smith", notes="")
    url = f"/api/people/{person.pk}/"
    body, etag = read(manager_client, url)
    assert body["notes"] == ""
    body["notes"] = "Chairs the board until March."
    response = manager_client.put(url, body, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    assert response.json()["notes"] == "Chairs the board until March."
    assert read(manager_client, url)[0]["notes"] == "Chairs the board until March."
    assert Person.objects.get(pk=person.pk).notes == "Chairs the board until March."
    change = AuditRecord.objects.get(object_type="boards.Person", object_id=str(person.pk), action="update")
    assert change.user == business_manager
    assert change.before == {"notes": ""}
    assert change.after == {"notes": "Chairs the board until March."}


def test_person_created_with_notes(manager_client):
    response = manager_client.post("/api/people/", {"name": "Sam", "notes": "Interim."}, format="json")
    assert response.status_code == 201, response.content
    assert Person.objects.get(pk=response.json()["id"]).notes == "Interim."


def test_clause_patch_with_an_unknown_key_is_refused_and_saves_nothing(manager_client, knowsley):
    clause = knowsley.draft_clause
    url = f"/api/clauses/{clause.pk}/"
    _, etag = read(manager_client, url)
    response = manager_client.patch(
        url, {"text": "<p>New words.</p>", "heading": "Reports"}, format="json", HTTP_IF_MATCH=etag
    )
    assert unknown_fields(response) == {"heading": [UNKNOWN]}
    fresh = Clause.objects.get(pk=clause.pk)
    assert (fresh.text, fresh.revision) == (clause.text, clause.revision)


def test_clause_sent_back_as_read_with_new_text_is_saved(manager_client, knowsley):
    """id, key, reference, version and revision come back from the GET; only the text changed."""
    url = f"/api/clauses/{knowsley.draft_clause.pk}/"
    body, etag = read(manager_client, url)
    assert {"id", "key", "reference", "revision"} <= body.keys()
    body["text"] = "<p>The KSCB presents its annual report in October.</p>"
    response = manager_client.put(url, body, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    assert Clause.objects.get(pk=knowsley.draft_clause.pk).text == body["text"]


def test_clause_create_and_move_refuse_unknown_keys(manager_client, knowsley):
    """A new clause is not made, and a move is not made, when the body names a field not saved there."""
    before = Clause.objects.count()
    body = {"section": knowsley.draft_section.pk, "text": "<p>More.</p>", "colour": "red"}
    assert unknown_fields(manager_client.post("/api/clauses/", body, format="json")) == {"colour": [UNKNOWN]}
    assert Clause.objects.count() == before
    # A move body is not a clause: text sent with it would be lost, so it is refused.
    move = manager_client.post(
        f"/api/clauses/{knowsley.draft_clause.pk}/move/", {"position": 0, "text": "<p>x</p>"}, format="json"
    )
    assert unknown_fields(move) == {"text": [UNKNOWN]}


def test_obligation_patch_with_an_unknown_key_is_refused_and_saves_nothing(manager_client, knowsley):
    """Unknown keys are named wherever they are, in a recipient too, beside any invalid value."""
    obligation = knowsley.obligation
    url = f"/api/obligations/{obligation.pk}/"
    _, etag = read(manager_client, url)
    response = manager_client.patch(url, {"title": "Annual report", "due_month": 10}, format="json", HTTP_IF_MATCH=etag)
    assert unknown_fields(response) == {"due_month": [UNKNOWN]}
    nested = manager_client.patch(
        url,
        {"window_start_month": 13, "recipients": [{"board": knowsley.hwb.pk, "role": "chair"}]},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    fields = unknown_fields(nested)
    assert fields["recipients"] == {"0": {"role": [UNKNOWN]}}  # failing items by index
    assert "window_start_month" in fields
    fresh = ReportingObligation.objects.get(pk=obligation.pk)
    assert (fresh.title, fresh.window_start_month, fresh.revision) == (
        obligation.title,
        obligation.window_start_month,
        obligation.revision,
    )
    assert [r.board_id for r in fresh.recipients.all()] == [knowsley.hwb.pk]


def test_obligation_sent_back_as_read_with_a_new_title_is_saved(manager_client, knowsley):
    url = f"/api/obligations/{knowsley.obligation.pk}/"
    body, etag = read(manager_client, url)
    assert {"id", "source_url", "revision"} <= body.keys()
    body["title"] = "Annual report of the KSCB to the HWB"
    response = manager_client.put(url, body, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    fresh = ReportingObligation.objects.get(pk=knowsley.obligation.pk)
    assert fresh.title == body["title"]
    assert fresh.window_start_month == 9


def test_a_body_that_is_not_an_object_keeps_the_usual_error(manager_client):
    person = PersonFactory()
    url = f"/api/people/{person.pk}/"
    _, etag = read(manager_client, url)
    response = manager_client.patch(url, ["notes"], format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 400
    assert "fields" not in response.json()["error"]
    assert "dictionary" in response.json()["error"]["message"]
