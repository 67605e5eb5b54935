"""The map, board pages, calendars and iCal feeds are drawn once and cached, keyed by the change counters of
the areas they show: an edit shows on the next request, an edit elsewhere leaves them cached, drafts and
what a reader may do never pass from one reader to another, and an unchanged page is answered 304."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date

from boards import services as board_services
from boards.models import Board
from core.models import ChangeCounter
from core.writes import changes_in, note_change
from protocols.models import ProtocolVersion
from tests.factories import ObligationFactory, RecipientFactory, VersionFactory
from tests.test_change_counters import rename
from tests.test_map import build_area

# The change counters' rows, as a migrated database has them (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("counter_rows")


# Each cached page: a reader with no session is answered from the whole response kept for the page's address,
# after one query (the counters of the areas the page shows).
PAGES = [
    "/areas/knowsley/map/",
    "/areas/knowsley/map/?board=x-kscb",
    "/areas/knowsley/map/?partial=1&filtered=1&kind=reports_to",
    "/areas/knowsley/calendar/",
    "/areas/knowsley/calendar.ics",
    "/boards/x-kscb/",
    "/boards/x-kscb/calendar/",
    "/boards/x-kscb/calendar.ics",
]


@pytest.fixture
def knowsley(area):
    return build_area(area, 1)


@pytest.fixture
def slough(other_area):
    return build_area(other_area, 1, prefix="y")


def queries_for(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200, url
    return len(queries), response


@pytest.mark.parametrize("url", PAGES)
def test_a_page_is_drawn_once_then_served_from_the_cache_and_an_edit_shows_next(client, knowsley, administrator, url):
    drawn, first = queries_for(client, url)
    cached, second = queries_for(client, url)
    assert cached == 1 < drawn
    assert second.content == first.content
    assert b"Knowsley S" not in first.content

    rename(knowsley["kscb"], administrator, "Knowsley Safeguarding Partnership")
    after, third = queries_for(client, url)
    assert after > 1
    assert b"Knowsley S" in third.content  # the board's new name, or its short name "Knowsley S"


def test_an_edit_in_one_area_leaves_another_areas_pages_cached(client, knowsley, slough, administrator):
    """Exactness: Slough's map and board page stay cached while Knowsley's are drawn afresh."""
    for url in ("/areas/knowsley/map/", "/areas/slough/map/", "/boards/y-kscb/"):
        client.get(url)
    rename(knowsley["hwb"], administrator, "Knowsley Health Board")
    assert queries_for(client, "/areas/slough/map/")[0] == 1
    assert queries_for(client, "/boards/y-kscb/")[0] == 1
    assert queries_for(client, "/areas/knowsley/map/")[0] > 1


def test_lost_counter_rows_come_back_with_the_next_change(client, knowsley):
    """Without the registry's row nothing is cached; the next change makes it again, and a fresh count never
    matches a key an older count made."""
    first = changes_in([knowsley["kscb"].areas.get().pk])
    ChangeCounter.objects.all().delete()
    assert changes_in([1]) is None
    drawn, _ = queries_for(client, "/areas/knowsley/map/")
    assert queries_for(client, "/areas/knowsley/map/")[0] == drawn  # not cached
    note_change()
    again = changes_in([knowsley["kscb"].areas.get().pk])
    assert again is not None and again.key != first.key


def test_an_unchanged_page_is_answered_not_modified(client, knowsley, administrator):
    for url in ("/areas/knowsley/map/", "/boards/x-kscb/", "/areas/knowsley/calendar/", "/areas/knowsley/calendar.ics"):
        response = client.get(url)
        assert response["Cache-Control"] == "no-cache"
        assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
        assert client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 304
        assert client.get(url, HTTP_IF_MODIFIED_SINCE=http_date(0)).status_code == 200
    etag = client.get("/areas/knowsley/map/")["ETag"]
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/areas/knowsley/map/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert len(queries) == 1  # the counters: nothing drawn
    rename(knowsley["kscb"], administrator, "Knowsley Safeguarding Partnership")
    changed = client.get("/areas/knowsley/map/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_a_map_with_drafts_is_never_cached_nor_served_to_others(client, area, knowsley, business_manager):
    draft = VersionFactory(protocol=knowsley["protocol"], status=ProtocolVersion.Status.DRAFT, number=2)
    RecipientFactory(obligation=ObligationFactory(senders=[knowsley["hwb"]], version=draft), board=knowsley["kscb"])
    url = "/areas/knowsley/map/?filtered=1&drafts=1"
    anonymous = client.get(url).content.decode()
    assert "Drafts are shown only to" in anonymous and "This map includes drafts" not in anonymous
    client.force_login(business_manager)
    first, manager = queries_for(client, url)
    assert "This map includes drafts" in manager.content.decode() and "ETag" not in manager
    assert queries_for(client, url)[0] == first  # drawn afresh each time
    client.logout()
    assert "This map includes drafts" not in client.get(url).content.decode()


def test_a_managers_board_page_and_calendar_are_never_served_to_anonymous_readers(
    client, area, knowsley, business_manager
):
    client.force_login(business_manager)
    assert "Add a member" in client.get("/boards/x-kscb/").content.decode()
    assert "Record as met" in client.get("/areas/knowsley/calendar/").content.decode()
    client.logout()
    assert "Add a member" not in client.get("/boards/x-kscb/").content.decode()
    assert "Record as met" not in client.get("/areas/knowsley/calendar/").content.decode()
    client.force_login(business_manager)  # and the anonymous copy is never served back to the manager
    assert "Add a member" in client.get("/boards/x-kscb/").content.decode()
    assert "Record as met" in client.get("/areas/knowsley/calendar/").content.decode()


def test_a_board_moved_into_an_area_shows_on_its_map_at_once(client, area, other_area, knowsley, administrator):
    """The board's new area's map, cached before, is drawn afresh with it."""
    board = Board.objects.get(slug="x-hwb")
    assert "x Health and Wellbeing Board" not in client.get("/areas/slough/map/").content.decode()
    board_services.board_update(
        user=administrator, board=board, expected_revision=board.revision, areas=[area, other_area]
    )
    assert "x Health and Wellbeing Board" in client.get("/areas/slough/map/").content.decode()


# Queries to draw each calendar and feed afresh: the page's lookups and counters as above, the subject read
# again, the ids of the obligations its boards send or receive (one UNION of indexed look-ups), then the
# obligations with their senders, recipients and fulfilments.
DRAWN = {
    "/areas/knowsley/calendar/": 8,
    "/areas/knowsley/calendar.ics": 8,
    "/boards/x-kscb/calendar/": 9,
    "/boards/x-kscb/calendar.ics": 9,
}


@pytest.mark.parametrize("url", DRAWN)
def test_drawing_a_calendar_or_feed_reads_a_fixed_number_of_queries(client, area, knowsley, url):
    """However many boards and obligations the area has, drawing its calendars and feeds reads the same queries."""
    assert queries_for(client, url)[0] == DRAWN[url]
    build_area(area, 3, prefix="z")  # more of everything
    cache.clear()  # factories write past core.writes, so the counters stay: draw the page again
    assert queries_for(client, url)[0] == DRAWN[url]
