"""API reads are cached by the address, the reader and the counter of every change: an edit through the API
shows on the next read, a signed-in reader's copy is never served to anyone else, lists answer 304 on
If-None-Match, records keep their revision's ETag for If-Match and answer 304 on If-Modified-Since."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date

from tests.api_support import build_knowsley, client_for

# The change counters' rows, as a migrated database has them (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("counter_rows")


LIST = "/api/boards/"


@pytest.fixture
def knowsley(area):
    return build_knowsley(area)


def read(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    return len(queries), response


@pytest.mark.parametrize("url", [LIST, "/api/boards/?search=safeguarding", "/api/protocols/", "/api/versions/"])
def test_an_anonymous_read_is_drawn_once_then_served_in_one_query(knowsley, url):
    """The one query of a cached read: the change counter (an anonymous reader needs no other)."""
    client = client_for(None)
    drawn, first = read(client, url)
    cached, second = read(client, url)
    assert first.status_code == second.status_code == 200
    assert cached == 1 < drawn
    assert second.json() == first.json()


def test_an_edit_through_the_api_shows_on_the_next_read(knowsley, business_manager):
    client = client_for(None)
    detail = f"/api/boards/{knowsley.board.pk}/"
    assert client.get(LIST).json()["count"] == 2 and client.get(detail).json()["short_name"] == "KSCB"
    manager = client_for(business_manager)
    tag = manager.get(detail)["ETag"]
    changed = manager.patch(detail, {"short_name": "KSCP"}, format="json", HTTP_IF_MATCH=tag)
    assert changed.status_code == 200, changed.content
    assert client.get(detail).json()["short_name"] == "KSCP"
    assert "KSCP" in {board["short_name"] for board in client.get(LIST).json()["results"]}
    assert manager.get(detail).json()["short_name"] == "KSCP"


def test_a_cached_record_keeps_its_revisions_etag_for_if_match(knowsley, business_manager):
    manager = client_for(business_manager)
    detail = f"/api/boards/{knowsley.board.pk}/"
    first = manager.get(detail)
    assert read(manager, detail)[1]["ETag"] == first["ETag"] == 'W/"1"'
    response = manager.patch(detail, {"purpose": "Keeps children safe."}, format="json", HTTP_IF_MATCH=first["ETag"])
    assert response.status_code == 200, response.content
    assert manager.get(detail)["ETag"] == 'W/"2"'


def test_unchanged_reads_are_answered_not_modified(knowsley, business_manager):
    client = client_for(None)
    listed = client.get(LIST)
    assert listed["Cache-Control"] == "no-cache" and "Last-Modified" in listed
    queries, not_modified = read(client, LIST, HTTP_IF_NONE_MATCH=listed["ETag"])
    assert not_modified.status_code == 304 and queries == 1
    assert client.get(LIST, HTTP_IF_MODIFIED_SINCE=listed["Last-Modified"]).status_code == 304
    assert client.get(LIST, HTTP_IF_MODIFIED_SINCE=http_date(0)).status_code == 200

    detail = f"/api/boards/{knowsley.board.pk}/"
    record = client.get(detail)
    assert client.get(detail, HTTP_IF_MODIFIED_SINCE=record["Last-Modified"]).status_code == 304
    # The record's ETag is its revision, which does not follow its related records: never a 304 by it.
    assert client.get(detail, HTTP_IF_NONE_MATCH=record["ETag"]).status_code == 200

    manager = client_for(business_manager)
    manager.patch(detail, {"short_name": "KSCP"}, format="json", HTTP_IF_MATCH=record["ETag"])
    assert client.get(LIST, HTTP_IF_NONE_MATCH=listed["ETag"]).status_code == 200


def test_a_readers_copy_is_never_served_to_another(knowsley, business_manager, outsider):
    """The business manager lists Knowsley's draft; anonymous readers and another area's manager never get
    that copy, nor the manager theirs."""
    versions = "/api/versions/"
    manager, anonymous, other = client_for(business_manager), client_for(None), client_for(outsider)
    assert knowsley.draft.pk in {v["id"] for v in manager.get(versions).json()["results"]}
    for client in (anonymous, other, manager.__class__()):
        assert knowsley.draft.pk not in {v["id"] for v in client.get(versions).json()["results"]}
    assert knowsley.draft.pk in {v["id"] for v in manager.get(versions).json()["results"]}
    assert manager.get(versions)["Vary"].count("Authorization") == 1
