"""Writes through the API: the browser's services, ETags and If-Match, and the agreed record's lock."""

# ruff: noqa: F403, F405
import datetime

import pytest

from accountability.models import ReportingObligation
from core.models import AuditRecord
from protocols.models import Clause, ProtocolVersion
from tests.api_support import *

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(business_manager):
    return client_for(business_manager)


def patch_clause(client, clause, body, if_match=None):
    headers = {"HTTP_IF_MATCH": if_match} if if_match is not None else {}
    return client.patch(f"/api/clauses/{clause.pk}/", body, format="json", **headers)


def test_reading_a_clause_gives_its_etag(manager_client, knowsley):
    """Every writable record carries its revision as a weak ETag."""
    response = manager_client.get(f"/api/clauses/{knowsley.draft_clause.pk}/")
    assert response.status_code == 200
    assert response["ETag"] == f'W/"{knowsley.draft_clause.revision}"'


def test_change_without_if_match_is_refused_with_428_and_the_etag(manager_client, knowsley):
    """No silent overwrite: a change without If-Match is refused and nothing is saved."""
    response = patch_clause(manager_client, knowsley.draft_clause, {"text": "<p>New words.</p>"})
    assert response.status_code == 428
    assert response.json()["error"]["code"] == "precondition_required"
    assert response["ETag"] == 'W/"1"'
    knowsley.draft_clause.refresh_from_db()
    assert "New words" not in knowsley.draft_clause.text


def test_change_with_current_etag_is_saved_audited_and_returns_the_new_etag(manager_client, business_manager, knowsley):
    """With the current ETag the service saves, bumps the revision and records who changed what."""
    response = patch_clause(manager_client, knowsley.draft_clause, {"text": "<p>New words.</p>"}, 'W/"1"')
    assert response.status_code == 200, response.content
    assert response.json()["text"] == "<p>New words.</p>"
    assert response["ETag"] == 'W/"2"'
    event = AuditRecord.objects.filter(object_type__icontains="clause", action="update").latest("at")
    assert event.user == business_manager


def test_stale_etag_gets_412_with_the_current_record(manager_client, administrator, knowsley):
    """Two editors: the second, holding an old ETag, gets 412 and the first one's text to merge with."""
    first = client_for(administrator)
    assert patch_clause(first, knowsley.draft_clause, {"text": "<p>First edit.</p>"}, 'W/"1"').status_code == 200
    response = patch_clause(manager_client, knowsley.draft_clause, {"text": "<p>Second edit.</p>"}, 'W/"1"')
    assert response.status_code == 412
    error = response.json()["error"]
    assert error["code"] == "edit_conflict"
    assert error["current"]["text"] == "<p>First edit.</p>"
    assert error["current"]["revision"] == 2
    assert response["ETag"] == 'W/"2"'
    knowsley.draft_clause.refresh_from_db()
    assert knowsley.draft_clause.text == "<p>First edit.</p>"


def test_unreadable_if_match_counts_as_stale(manager_client, knowsley):
    """A tag that names no revision cannot match: 412, never a save."""
    response = patch_clause(manager_client, knowsley.draft_clause, {"text": "<p>x</p>"}, "banana")
    assert response.status_code == 412


def test_agreed_version_refuses_changes_with_409_and_a_reason(manager_client, knowsley):
    """The signed record never changes: 409 version_locked, whatever ETag is sent."""
    response = patch_clause(manager_client, knowsley.agreed_clause, {"text": "<p>Rewritten.</p>"}, 'W/"1"')
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "version_locked"
    assert "Start a review" in error["message"]
    delete = manager_client.delete(f"/api/clauses/{knowsley.agreed_clause.pk}/")
    assert delete.status_code == 409
    assert Clause.objects.filter(pk=knowsley.agreed_clause.pk).exists()


def test_agreed_version_refuses_new_sections(manager_client, knowsley):
    """Adding to an agreed version is refused the same way."""
    response = manager_client.post(
        "/api/sections/", {"version": knowsley.agreed.pk, "heading": "Late addition"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "version_locked"


def test_put_replaces_and_requires_the_text(manager_client, knowsley):
    """PUT needs the whole record; a missing text is a 400 naming the field."""
    response = manager_client.put(
        f"/api/clauses/{knowsley.draft_clause.pk}/", {"number": "1.2"}, format="json", HTTP_IF_MATCH='W/"1"'
    )
    assert response.status_code == 400
    assert "text" in response.json()["error"]["fields"]


def test_clause_create_move_and_delete(manager_client, knowsley):
    """Clauses are added at a position, moved and deleted through the services."""
    created = manager_client.post(
        "/api/clauses/",
        {"section": knowsley.draft_section.pk, "number": "1.0", "text": "<p>Opening words.</p>", "position": 0},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["position"] == 0
    assert created["ETag"] == 'W/"1"'
    moved = manager_client.post(f"/api/clauses/{created.json()['id']}/move/", {"position": 5}, format="json")
    assert moved.status_code == 200, moved.content
    assert moved.json()["position"] > 0
    stale = manager_client.delete(f"/api/clauses/{created.json()['id']}/", HTTP_IF_MATCH='W/"99"')
    assert stale.status_code == 412
    deleted = manager_client.delete(f"/api/clauses/{created.json()['id']}/")
    assert deleted.status_code == 204


def test_html_is_sanitised_by_the_service(manager_client, knowsley):
    """What the API accepts is cleaned exactly as the editor cleans it."""
    response = patch_clause(
        manager_client, knowsley.draft_clause, {"text": "<p>Safe<script>alert(1)</script></p>"}, 'W/"1"'
    )
    assert response.status_code == 200
    assert "<script>" not in response.json()["text"]


def test_full_approval_cycle_ends_with_an_agreed_version(manager_client, knowsley):
    """Send for approval, record each party's approval; the last one agrees it and supersedes version 1."""
    sent = manager_client.post(
        f"/api/versions/{knowsley.draft.pk}/send-for-approval/", {"change_summary": "Annual review"}, format="json"
    )
    assert sent.status_code == 200, sent.content
    assert sent.json()["status"] == "awaiting_approval"
    for party in knowsley.draft.parties.all():
        approval = manager_client.post(
            "/api/approvals/",
            {
                "party": party.pk,
                "approved_on": "2015-06-01",
                "approved_precision": "month",
                "signatory_name": "A. Chair",
                "signature_kind": "typed",
                "signature_text": "A. Chair",
            },
            format="json",
        )
        assert approval.status_code == 201, approval.content
    version = manager_client.get(f"/api/versions/{knowsley.draft.pk}/").json()
    assert version["status"] == "agreed"
    assert version["effective_date_display"] == "June 2015"
    knowsley.agreed.refresh_from_db()
    assert knowsley.agreed.status == ProtocolVersion.Status.SUPERSEDED


def test_agreeing_before_every_party_approved_is_409(manager_client, knowsley):
    """The step is refused with invalid_transition while approvals are missing."""
    response = manager_client.post(f"/api/versions/{knowsley.draft.pk}/agree/")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"


def test_approval_date_in_the_future_is_a_field_error(manager_client, knowsley):
    """The service's validation comes back as 400 with the field named."""
    manager_client.post(
        f"/api/versions/{knowsley.draft.pk}/send-for-approval/", {"change_summary": "Review"}, format="json"
    )
    party = knowsley.draft.parties.first()
    tomorrow = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    response = manager_client.post(
        "/api/approvals/", {"party": party.pk, "approved_on": tomorrow, "signatory_name": "A. Chair"}, format="json"
    )
    assert response.status_code == 400
    assert "approved_on" in response.json()["error"]["fields"]


def test_start_review_copies_the_agreed_version(manager_client, knowsley):
    """A review needs no open draft; with one open it is refused with 409."""
    response = manager_client.post("/api/versions/start-review/", {"protocol": knowsley.protocol.pk}, format="json")
    assert response.status_code == 409
    knowsley.draft.delete()
    response = manager_client.post("/api/versions/start-review/", {"protocol": knowsley.protocol.pk}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft"
    assert body["number"] == 2
    assert body["sections"][0]["clauses"][0]["key"] == knowsley.agreed_clause.key


def test_protocol_update_with_if_match(manager_client, knowsley):
    """Protocol settings change through protocol_update with the same concurrency rule."""
    url = f"/api/protocols/{knowsley.protocol.pk}/"
    assert manager_client.patch(url, {"summary": "Why we agree"}, format="json").status_code == 428
    response = manager_client.patch(url, {"summary": "Why we agree"}, format="json", HTTP_IF_MATCH='W/"1"')
    assert response.status_code == 200, response.content
    assert response.json()["summary"] == "Why we agree"
    assert response["ETag"] == 'W/"2"'


def test_version_update_with_if_match(manager_client, knowsley):
    """A draft's title changes with If-Match; the agreed version's cannot."""
    response = manager_client.patch(
        f"/api/versions/{knowsley.draft.pk}/", {"title": "Revised"}, format="json", HTTP_IF_MATCH='W/"1"'
    )
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Revised"
    locked = manager_client.patch(
        f"/api/versions/{knowsley.agreed.pk}/", {"title": "Revised"}, format="json", HTTP_IF_MATCH='W/"1"'
    )
    assert locked.status_code == 409


def test_obligation_update_with_if_match_and_recipients(manager_client, knowsley):
    """Obligations change through obligation_update; recipients are replaced as sent."""
    url = f"/api/obligations/{knowsley.obligation.pk}/"
    assert manager_client.patch(url, {"window_start_month": 10}, format="json").status_code == 428
    response = manager_client.patch(
        url,
        {"window_start_month": 10, "window_end_month": 2, "recipients": [{"board": knowsley.board.pk}]},
        format="json",
        HTTP_IF_MATCH='W/"1"',
    )
    assert response.status_code == 200, response.content
    assert response.json()["window_start_month"] == 10
    assert response.json()["recipients"] == [{"board": knowsley.board.pk, "post": None}]
    stale = manager_client.patch(url, {"title": "x"}, format="json", HTTP_IF_MATCH='W/"1"')
    assert stale.status_code == 412
    assert stale.json()["error"]["current"]["window_start_month"] == 10


def test_obligation_with_a_bad_window_is_a_field_error(manager_client, knowsley):
    """The service's rule (a month from 1 to 12) comes back as 400, nothing saved."""
    response = manager_client.patch(
        f"/api/obligations/{knowsley.obligation.pk}/",
        {"senders": [{"board": knowsley.board.pk}], "window_start_month": 13},
        format="json",
        HTTP_IF_MATCH='W/"1"',
    )
    assert response.status_code == 400
    assert "window_start_month" in response.json()["error"]["fields"]
    assert ReportingObligation.objects.get(pk=knowsley.obligation.pk).window_start_month == 9


def test_relation_and_duty_writes(manager_client, knowsley):
    """Relations and duties are created, changed and deleted through accountability.services."""
    relation = manager_client.post(
        "/api/relations/",
        {
            "version": knowsley.draft.pk,
            "kind": "reports_to",
            "subject_board": knowsley.board.pk,
            "object_board": knowsley.hwb.pk,
            "source_clause": knowsley.draft_clause.pk,
        },
        format="json",
    )
    assert relation.status_code == 201, relation.content
    changed = manager_client.patch(
        f"/api/relations/{relation.json()['id']}/", {"kind": "challenges"}, format="json", HTTP_IF_MATCH='W/"1"'
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["kind"] == "challenges"
    duty = manager_client.post(
        "/api/duties/",
        {"version": knowsley.draft.pk, "holder_board": knowsley.board.pk, "description": "Publish an annual report"},
        format="json",
    )
    assert duty.status_code == 201, duty.content
    assert manager_client.delete(f"/api/duties/{duty.json()['id']}/").status_code == 204
