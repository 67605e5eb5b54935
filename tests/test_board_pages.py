"""Board pages, the board directory and the area page with its gaps worth flagging."""

import datetime

import pytest

from accountability.models import Relation
from boards.models import Board, Membership
from protocols.models import ProtocolVersion
from tests.factories import (
    BoardFactory,
    MembershipFactory,
    ObligationFactory,
    PartyFactory,
    PostFactory,
    ProtocolFactory,
    RelationFactory,
    VersionFactory,
)
from tests.test_map import build_area


@pytest.fixture
def knowsley(area):
    return build_area(area, 2)


def test_board_page_shows_what_a_member_needs(client, area, knowsley):
    """Purpose, legislation links, chair and holder, members with capacities, matrix, duties, reports, relations,
    meetings, protocols and escalation routes all appear on the KSCB page."""
    html = client.get("/boards/x-kscb/").content.decode()
    assert 'href="https://www.legislation.gov.uk/ukpga/2004/31/section/13"' in html
    assert "x Independent Chair: Ann Example" in html  # chair post and its current holder
    assert "Who sits on which board in Knowsley" in html
    assert "Vice-chair" in html and "Organisation 0" in html  # matrix reaches the other boards and subgroups
    assert "x subgroup 1" in html  # subgroups
    assert "Duty 0" in html
    assert "Annual report to HWB" in html  # sends
    assert "from SG0" in html  # receives the subgroup's minutes
    assert "holds to account" in html and "challenges" in html
    assert "Meeting 1" in html
    assert "x partnership protocol" in html
    assert "Resolving disagreements" in html


def test_membership_matrix_rows_posts_columns_boards(client, area, knowsley):
    """The matrix has a row per post or organisation, a column per board, and the capacity in each cell."""
    from boards.selectors import membership_matrix

    matrix = membership_matrix([area])
    columns = [b.slug for b in matrix.boards]
    assert columns[:2] == ["x-hwb", "x-kscb"]
    officer = next(row for row in matrix.rows if row["label"] == "x officer 0")
    assert officer["cells"][columns.index("x-kscb")] == "Member"
    assert officer["cells"][columns.index("x-hwb")] == "Vice-chair"
    chair = next(row for row in matrix.rows if row["label"] == "x Independent Chair")
    assert chair["cells"][columns.index("x-kscb")] == "Chair"


def test_board_page_leaves_out_drafts(client, area, knowsley):
    """A relation only a draft states is not on the board page."""
    draft = VersionFactory(protocol=knowsley["protocol"], number=2, status=ProtocolVersion.Status.DRAFT)
    RelationFactory(
        kind=Relation.Kind.APPOINTS_AND_REMOVES,
        subject_board=knowsley["hwb"],
        object_board=knowsley["kscb"],
        version=draft,
    )
    assert "appoints and removes" not in client.get("/boards/x-kscb/").content.decode()


def test_board_page_query_count_is_pinned(client, area, knowsley, django_assert_num_queries):
    """The board page takes 44 queries when drawn: the board and its areas, the change counters (read before
    what the page shows); the board again; its areas, legal bases, memberships and their holdings,
    subgroups; duties and their legislation; obligations sent, their senders and recipients, obligations
    received and their senders; relations out and in; meetings and their boards and posts; protocols;
    escalation steps, the routes' steps and their boards and posts; the membership matrix; and those of the
    board's own map (graph.board_graph: the records that name the board, and the rest of the areas' arrows
    read as ids alone, for its key posts and the labels it must tell apart)."""
    with django_assert_num_queries(44):
        assert client.get("/boards/x-kscb/").status_code == 200


def test_unknown_board_is_404(client, db):
    """A board that doesn't exist is a 404."""
    assert client.get("/boards/nope/").status_code == 404


def test_directory_groups_boards_by_kind(client, area, knowsley):
    """The area's board directory lists every board under its kind, with its chair."""
    html = client.get("/areas/knowsley/boards/").content.decode()
    assert "Local Safeguarding Children Board" in html and "Health and Wellbeing Board" in html
    assert "Chair: x Independent Chair" in html
    assert html.index("Health and Wellbeing Board") < html.index("Subgroup")


def test_area_page_links_and_flags_gaps(client, area, knowsley):
    """The area page links to the map, calendar and directory, and flags the three kinds of gap."""
    lonely = BoardFactory(name="Lonely Board", slug="lonely", areas=[area], kind=Board.Kind.CSP)
    ObligationFactory(senders=[lonely], title="Unaddressed plan", version=knowsley["version"])
    stale = ProtocolFactory(title="Old protocol", slug="old", area=area)
    VersionFactory(protocol=stale, status=ProtocolVersion.Status.AGREED, review_due=datetime.date(2016, 6, 1))
    html = client.get("/areas/knowsley/").content.decode()
    assert "/areas/knowsley/map/" in html and "/areas/knowsley/calendar/" in html and "/areas/knowsley/boards/" in html
    gaps = html[html.index('id="gaps"') :]
    assert "Lonely Board" in gaps  # nothing holds it to account
    assert "x Health and Wellbeing Board</a>: no relation" in gaps  # the HWB answers to no one here
    assert "x Safeguarding Children Board</a>: no relation" not in gaps  # the HWB holds the KSCB to account
    assert "Unaddressed plan" in gaps
    assert "Old protocol" in gaps and "1 June 2016" in gaps


def test_area_without_gaps_says_so(client, area):
    """With one board answering to another and nothing stale, there is nothing to flag."""
    a = BoardFactory(areas=[area], slug="a")
    b = BoardFactory(areas=[area], slug="b")
    version = VersionFactory(protocol=ProtocolFactory(area=area), status=ProtocolVersion.Status.AGREED)
    PartyFactory(version=version, board=a)
    RelationFactory(kind=Relation.Kind.ACCOUNTABLE_TO, subject_board=a, object_board=b, version=version)
    RelationFactory(kind=Relation.Kind.SCRUTINISES, subject_board=a, object_board=b, version=version)
    html = client.get("/areas/knowsley/").content.decode()
    assert "Nothing to flag" in html
    MembershipFactory(board=a, post=PostFactory(), capacity=Membership.Capacity.CHAIR)


def _breadcrumbs(html):
    start = html.index('class="govuk-breadcrumbs"')
    return html[start : html.index("</nav>", start)]


def test_breadcrumbs_lead_from_home_to_what_the_page_sits_under(client, area, knowsley):
    """Board page: home, then the board's area, not the board itself. Calendar: home, area, board."""
    crumbs = _breadcrumbs(client.get("/boards/x-kscb/").content.decode())
    assert 'href="/">Areas and protocols</a>' in crumbs
    assert f'href="/areas/{area.slug}/">{area.name}</a>' in crumbs
    assert "/boards/x-kscb/" not in crumbs
    crumbs = _breadcrumbs(client.get("/boards/x-kscb/calendar/").content.decode())
    assert crumbs.index("Areas and protocols") < crumbs.index('href="/boards/x-kscb/"')
