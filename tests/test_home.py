"""The home page: a signed-in user starts on their area; anyone else on every area's protocols. Every
protocol it lists opens for the reader who sees it."""

import datetime
import re

import pytest

from protocols.models import ProtocolVersion
from tests.factories import (
    AreaFactory,
    BoardFactory,
    ObligationFactory,
    PartyFactory,
    ProtocolFactory,
    RecipientFactory,
    VersionFactory,
)
from tests.test_map import build_area

Status = ProtocolVersion.Status


@pytest.fixture
def knowsley(area, other_area):
    built = build_area(area, 1)
    build_area(other_area, 1, prefix="y")
    next_month = datetime.date.today().month % 12 + 1
    due = ObligationFactory(
        senders=[built["kscb"]],
        version=built["version"],
        title="Business plan",
        window_start_month=next_month,
        window_end_month=next_month,
    )
    RecipientFactory(obligation=due, board=built["hwb"])
    sent = VersionFactory(
        protocol=ProtocolFactory(area=area, title="Protocol sent for approval"), status=Status.AWAITING_APPROVAL
    )
    PartyFactory(version=sent, board=built["kscb"])
    draft_only = VersionFactory(protocol=ProtocolFactory(area=area, title="Draft only protocol"), status=Status.DRAFT)
    PartyFactory(version=draft_only, board=built["hwb"])
    ProtocolFactory(area=area, title="Protocol with no version yet")
    return built


def test_a_board_member_starts_on_their_area(client, knowsley, board_member):
    """Their area by name, what awaits approval (with each party's state), what falls due soon, their
    boards and their area's protocols (drafts they may read included); not the other area's."""
    client.force_login(board_member)
    html = client.get("/").content.decode()
    assert re.search(r"<h1[^>]*>Knowsley</h1>", html)
    awaiting = html.split('id="awaiting"')[1].split('id="due"')[0]
    assert "Protocol sent for approval" in awaiting and "not yet approved" in awaiting
    due = html.split('id="due"')[1].split('id="boards"')[0]
    assert "Business plan" in due
    boards = html.split('id="boards"')[1]
    assert "x Safeguarding Children Board" in boards and "y Safeguarding Children Board" not in boards
    assert "Draft only protocol" in html and "y partnership protocol" not in html
    assert "Record approvals" not in html  # a board member does not record them
    assert 'href="/?all=1"' in html


def test_anonymous_readers_and_all_keep_every_areas_list(client, knowsley, board_member):
    html = client.get("/").content.decode()
    assert "Protocols between local statutory boards" in html and "y partnership protocol" in html
    client.force_login(board_member)
    assert "y partnership protocol" in client.get("/?all=1").content.decode()


def test_the_signed_in_home_reads_in_a_fixed_number_of_queries(
    client, knowsley, board_member, django_assert_num_queries
):
    """Eighteen queries, however many boards, obligations and protocols the area has: session and user, roles,
    areas, versions awaiting approval with their parties and approvals, reviews, boards, the areas' protocols
    with their versions and parties, and each area's obligations due soon (their ids, then the obligations)."""
    client.force_login(board_member)
    with django_assert_num_queries(18):
        client.get("/")
    build_area(knowsley["version"].protocol.area, 3, prefix="z")
    with django_assert_num_queries(18):
        client.get("/")


@pytest.mark.parametrize("persona", [None, "board_member", "business_manager", "outsider", "administrator"])
def test_every_protocol_the_home_page_lists_opens_for_its_reader(client, knowsley, request, persona):
    """A draft-only protocol is listed only to those who may read it, and every link opens (a protocol with no
    version yet says so on its public page)."""
    if persona:
        client.force_login(request.getfixturevalue(persona))
    for url in ("/", "/?all=1"):
        html = client.get(url).content.decode()
        links = set(re.findall(r'href="(/protocols/[^"/]+/(?:versions/\d+/)?)"', html))
        assert links
        for link in links:
            assert client.get(link, follow=True).status_code == 200, (persona, link)
        assert ("Draft only protocol" in html) == (persona in ("board_member", "business_manager", "administrator"))


def make_areas(count, start=0):
    """`count` areas named alike, each with an agreed protocol between two of its boards."""
    for number in range(start, start + count):
        area = AreaFactory(name=f"Generated borough {number:05d}", slug=f"generated-{number:05d}")
        version = VersionFactory(protocol=ProtocolFactory(area=area), status=Status.AGREED)
        PartyFactory(version=version, board=BoardFactory(areas=[area]), position=1)
        PartyFactory(version=version, board=BoardFactory(areas=[area]), position=2)


def area_slugs(html):
    return re.findall(r'<h2 class="govuk-heading-l" id="area-([^"]+)"', html)


def test_the_public_home_page_keeps_its_size_and_queries_as_areas_are_added(db, client, django_assert_num_queries):
    """Ten areas a page in five queries (the count of areas, a page of them, their protocols, those protocols'
    versions and the versions' parties) whether the registry has 72 areas or 150; the page stays the same size."""
    make_areas(72)
    with django_assert_num_queries(5):
        small = client.get("/").content.decode()
    make_areas(78, start=72)
    with django_assert_num_queries(5):
        large = client.get("/").content.decode()
    assert len(area_slugs(small)) == len(area_slugs(large)) == 10
    assert abs(len(large) - len(small)) < 20  # only the count of areas and the last page's number differ
    assert "150 areas, showing 1 to 10" in large and 'aria-label="Page 15"' in large


def test_the_home_page_pages_through_every_area_and_finds_one_by_name(db, client):
    """Every area is on exactly one page; a search by part of a name lists those areas only and keeps `?all=1`."""
    make_areas(23)
    seen = []
    for number in (1, 2, 3):
        html = client.get(f"/?page={number}").content.decode()
        seen += area_slugs(html)
    assert sorted(seen) == [f"generated-{number:05d}" for number in range(23)]
    assert 'class="govuk-pagination"' in html and 'rel="prev"' in html
    found = client.get("/", {"search": "borough 0001", "all": "1"}).content.decode()
    assert area_slugs(found) == [f"generated-{number:05d}" for number in range(10, 20)]
    assert 'name="all" value="1"' in found and "10 areas whose name contains" in found
    assert area_slugs(client.get("/", {"search": "nowhere"}).content.decode()) == []


def _row(html, title):
    """The home page's table row of the protocol with this title."""
    return next(row for row in re.findall(r"<tr class=\"govuk-table__row\">.*?</tr>", html, re.S) if title in row)


def test_each_protocol_shows_its_newest_version_the_reader_may_read(client, knowsley, board_member):
    """Older versions are not read at all, yet each row shows the newest version its reader may read, with that
    version's parties: the agreed one to the public, the draft after it to the area's board member."""
    agreed = knowsley["version"]
    draft = VersionFactory(protocol=agreed.protocol, number=agreed.number + 1, status=Status.DRAFT)
    PartyFactory(version=draft, board=BoardFactory(short_name="Draft-only board", areas=[agreed.protocol.area]))
    public = _row(client.get("/").content.decode(), agreed.protocol.title)
    assert "Agreed" in public and "KSCB" in public and "Draft-only board" not in public
    client.force_login(board_member)
    member = _row(client.get("/").content.decode(), agreed.protocol.title)
    assert "Draft" in member and "Draft-only board" in member and "KSCB" not in member
