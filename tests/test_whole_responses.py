"""Whole responses kept for readers with no session (core.page_cache.keep_response, protocols.middleware): every
cached page is answered after one query, the counters of the areas it shows. An edit in an area shows on the
next request to its pages, signed in or not; another area's pages stay cached; a filter, a day or a template
release never gets another's copy."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from boards import services as board_services
from core import page_cache
from protocols import services
from protocols.frozen import freeze
from protocols.models import ProtocolVersion
from tests.api_support import client_for
from tests.factories import ApprovalFactory, PartyFactory, VersionFactory
from tests.pdf_fixtures import build_protocol
from tests.test_change_counters import rename
from tests.test_map import build_area

# The change counters' rows, as a migrated database has them (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("counter_rows")


Status = ProtocolVersion.Status


@pytest.fixture
def knowsley(area):
    return build_area(area, 1)


@pytest.fixture
def slough(other_area):
    return build_area(other_area, 1, prefix="y")


@pytest.fixture
def agreed(area):
    version = build_protocol(area=area)
    freeze(version)
    return version


@pytest.fixture
def slough_agreed(other_area):
    version = build_protocol(area=other_area, slug="slough-protocol")
    freeze(version)
    return version


def queries_for(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    return len(queries), response


def test_every_kind_of_cached_page_is_answered_from_the_kept_response_in_one_query(
    client, knowsley, agreed, django_assert_num_queries
):
    """The map (with its filters), board pages, calendars, feeds, version and print pages and API reads."""
    version = agreed.get_absolute_url()
    urls = [
        "/areas/knowsley/map/",
        "/areas/knowsley/map/?board=x-kscb",
        "/areas/knowsley/calendar/",
        "/areas/knowsley/calendar.ics",
        "/boards/x-kscb/",
        "/boards/x-kscb/calendar/",
        "/boards/x-kscb/calendar.ics",
        version,
        version + "print/",
        "/api/protocols/",
        f"/api/protocols/{agreed.protocol_id}/",
        f"/api/versions/{agreed.pk}/",
    ]
    first = {url: client.get(url) for url in urls}
    for url in urls:
        with django_assert_num_queries(1):  # the counters the page was keyed by
            response = client.get(url)
        assert response.status_code == 200 and response.content == first[url].content, url
        assert response["ETag"] == first[url]["ETag"], url
        with django_assert_num_queries(1):
            if url.startswith("/api/") and url != "/api/protocols/":  # a record's ETag is its revision
                headers = {"HTTP_IF_MODIFIED_SINCE": response["Last-Modified"]}
            else:
                headers = {"HTTP_IF_NONE_MATCH": response["ETag"]}
            assert client.get(url, **headers).status_code == 304, url


def test_each_filter_is_kept_apart(client, knowsley):
    """The query string is part of the address: the map seen from one board is never served for another."""
    whole = client.get("/areas/knowsley/map/").content
    kscb = client.get("/areas/knowsley/map/?board=x-kscb").content
    assert whole != kscb
    assert client.get("/areas/knowsley/map/").content == whole
    assert client.get("/areas/knowsley/map/?board=x-kscb").content == kscb
    assert client.get("/areas/knowsley/map/?board=x-hwb").content not in (whole, kscb)


def test_an_edit_in_one_area_shows_there_at_once_and_leaves_the_other_cached(
    client, knowsley, slough, agreed, slough_agreed, administrator, board_member
):
    """A board renamed in Knowsley: Knowsley's map, board page and version page show the new name on the next
    request, to anonymous and signed-in readers; Slough's stay cached (one query each)."""
    knowsley_pages = ["/areas/knowsley/map/", "/boards/x-hwb/", agreed.get_absolute_url()]
    slough_pages = ["/areas/slough/map/", "/boards/y-kscb/", slough_agreed.get_absolute_url()]
    signed_in = client.__class__()
    signed_in.force_login(board_member)
    for url in knowsley_pages + slough_pages:
        client.get(url)
        signed_in.get(url)
    cached_signed_in = {url: queries_for(signed_in, url)[0] for url in slough_pages}

    rename(knowsley["hwb"], administrator, "Knowsley Health Partnership")
    party = agreed.parties.get(position=0).board
    board_services.board_update(
        user=administrator, board=party, expected_revision=party.revision, name="Knowsley Safeguarding Partnership"
    )

    for url in knowsley_pages:
        for reader in (client, signed_in):
            queries, response = queries_for(reader, url)
            assert queries > 1, url
            text = response.content.decode()
            assert "Knowsley Health Partnership" in text or "Knowsley Safeguarding Partnership" in text, url
    for url in slough_pages:
        assert queries_for(client, url)[0] == 1, url
        assert queries_for(signed_in, url)[0] == cached_signed_in[url], url  # the body from the cache


def test_agreeing_a_new_version_shows_the_old_one_superseded_on_the_next_request(
    client, agreed, administrator, django_capture_on_commit_callbacks
):
    old = agreed.get_absolute_url()
    client.get(old)
    assert queries_for(client, old)[0] == 1
    assert "Superseded" not in client.get(old).content.decode()
    new = VersionFactory(protocol=agreed.protocol, number=3, status=Status.AWAITING_APPROVAL, title="Version three")
    party = PartyFactory(version=new, board=agreed.parties.get(position=0).board, position=0)
    ApprovalFactory(party=party, approved_on=datetime.date(2024, 5, 1))
    with django_capture_on_commit_callbacks(execute=False):
        services.version_agree(user=administrator, version=new)
    queries, response = queries_for(client, old)
    assert queries > 1
    text = response.content.decode()
    assert "Superseded" in text and new.get_absolute_url() in text
    assert queries_for(client, old)[0] == 1  # kept again


def test_an_api_record_follows_its_area_and_a_list_of_everything_every_change(
    knowsley, slough, agreed, slough_agreed, administrator
):
    client = client_for(None)
    detail = f"/api/protocols/{agreed.protocol_id}/"
    other = f"/api/protocols/{slough_agreed.protocol_id}/"
    for url in (detail, other, "/api/protocols/"):
        client.get(url)
    new = VersionFactory(protocol=agreed.protocol, number=3, status=Status.AWAITING_APPROVAL)
    party = PartyFactory(version=new, board=agreed.parties.get(position=0).board, position=0)
    ApprovalFactory(party=party, approved_on=datetime.date(2024, 5, 1))
    services.version_agree(user=administrator, version=new)
    assert queries_for(client, other)[0] == 1  # Slough's protocol: still cached
    queries, response = queries_for(client, detail)
    assert queries > 1 and response.json()["current_version"] == new.pk
    assert queries_for(client, "/api/protocols/")[0] > 1


def test_a_kept_response_is_not_served_the_next_day(client, knowsley, monkeypatch):
    """Calendars show what is due today: the day is part of the key."""
    client.get("/areas/knowsley/calendar/")
    assert queries_for(client, "/areas/knowsley/calendar/")[0] == 1

    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    monkeypatch.setattr(page_cache, "today", lambda: tomorrow)
    assert queries_for(client, "/areas/knowsley/calendar/")[0] > 1


def test_a_new_release_or_another_host_gets_its_own_copy(client, knowsley, monkeypatch):
    client.get("/areas/knowsley/calendar.ics")
    assert queries_for(client, "/areas/knowsley/calendar.ics")[0] == 1
    assert queries_for(client, "/areas/knowsley/calendar.ics", HTTP_HOST="127.0.0.1")[0] > 1  # links name the host
    monkeypatch.setattr(page_cache, "release", lambda: "another-release")
    assert queries_for(client, "/areas/knowsley/calendar.ics")[0] > 1


def test_a_page_a_signed_in_reader_drew_is_never_kept_for_anonymous_readers(client, knowsley, business_manager):
    client.force_login(business_manager)
    assert "Add a member" in client.get("/boards/x-kscb/").content.decode()
    client.logout()
    queries, response = queries_for(client, "/boards/x-kscb/")
    assert queries > 1 and "Add a member" not in response.content.decode()


def test_a_board_or_area_record_follows_its_areas(knowsley, slough, administrator):
    """Read without credentials, a board's record is keyed by its areas and an area's by itself: a rename shows
    at once, an edit in another area leaves them cached, and a board moved into another area follows it."""
    client = client_for(None)
    board, other = knowsley["kscb"], slough["kscb"]
    urls = [f"/api/boards/{board.pk}/", "/api/areas/knowsley/", f"/api/boards/{other.pk}/", "/api/areas/slough/"]
    for url in urls:
        client.get(url)
        assert queries_for(client, url)[0] == 1, url
    rename(board, administrator, "Knowsley Safeguarding Partnership")
    assert queries_for(client, urls[2])[0] == queries_for(client, urls[3])[0] == 1  # Slough's: still kept
    queries, response = queries_for(client, urls[0])
    assert queries > 1 and response.json()["name"] == "Knowsley Safeguarding Partnership"

    board.refresh_from_db()
    board_services.board_update(
        user=administrator, board=board, expected_revision=board.revision, areas=[board.areas.get(), other.areas.get()]
    )
    assert sorted(client.get(urls[0]).json()["areas"]) == ["knowsley", "slough"]
    rename(other, administrator, "Slough Safeguarding Partnership")  # an edit in Slough alone
    assert queries_for(client, urls[0])[0] > 1  # the board now follows Slough's changes too


def test_a_record_that_moved_while_it_was_read_is_not_kept(knowsley, slough, monkeypatch):
    """Its areas are read before the counters and the record after them: should the two disagree (it moved in
    between), neither its copy nor the whole response is kept under the areas it left."""
    from boards.api import BoardViewSet

    client = client_for(None)
    board, slough_area = knowsley["kscb"], slough["kscb"].areas.get()
    monkeypatch.setattr(BoardViewSet, "cache_areas", lambda self: [slough_area.pk])
    url = f"/api/boards/{board.pk}/"
    drawn = queries_for(client, url)[0]
    assert queries_for(client, url)[0] == drawn > 1
