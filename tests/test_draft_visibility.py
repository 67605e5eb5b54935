"""Drafts never appear to those who may not read them, on any page.

A draft-only protocol is planted with a marker in its title, slug, clause, parties' obligations and
relations; every public page and API list is crawled anonymously and as a board member of another
area, and none may show the marker. The area's own board member does see it (the crawl can find it).
"""

import pytest

from accountability.models import Relation
from boards.models import RoleAssignment
from protocols.models import ProtocolVersion
from tests.factories import (
    ClauseFactory,
    ObligationFactory,
    PartyFactory,
    ProtocolFactory,
    RecipientFactory,
    RelationFactory,
    RoleAssignmentFactory,
    SectionFactory,
    UserFactory,
    VersionFactory,
)
from tests.test_map import build_area

MARKER = "Zqxdraftonly"

API_LISTS = [
    "areas",
    "boards",
    "posts",
    "memberships",
    "post-holdings",
    "protocols",
    "versions",
    "sections",
    "clauses",
    "approvals",
    "duties",
    "obligations",
    "obligation-fulfilments",
    "relations",
    "meetings",
    "priorities",
    "escalation-routes",
]


@pytest.fixture
def registry(area, other_area):
    knowsley = build_area(area, 1)
    build_area(other_area, 1, prefix="y")
    protocol = ProtocolFactory(title=f"{MARKER} protocol", slug=f"{MARKER.lower()}-protocol", area=area)
    draft = VersionFactory(protocol=protocol, status=ProtocolVersion.Status.DRAFT, title=f"{MARKER} protocol")
    PartyFactory(version=draft, board=knowsley["kscb"])
    PartyFactory(version=draft, board=knowsley["hwb"])
    clause = ClauseFactory(section=SectionFactory(version=draft), text=f"<p>{MARKER} clause.</p>")
    report = ObligationFactory(
        senders=[knowsley["kscb"]], version=draft, source_clause=clause, title=f"{MARKER} report"
    )
    RecipientFactory(obligation=report, board=knowsley["hwb"])
    RelationFactory(
        kind=Relation.Kind.APPOINTS_AND_REMOVES,
        subject_board=knowsley["hwb"],
        object_board=knowsley["kscb"],
        version=draft,
        source_clause=clause,
    )
    return {"area": area, "other_area": other_area, "draft": draft}


def pages(area, other_area):
    urls = ["/", "/protocols/", "/protocols/?status=draft", "/protocols/?q=clause"]
    urls += [f"/compare/?area={area.slug}&area={other_area.slug}"]
    for slug in (area.slug, other_area.slug):
        urls += [
            f"/areas/{slug}/",
            f"/areas/{slug}/protocols/",
            f"/areas/{slug}/boards/",
            f"/areas/{slug}/map/",
            f"/areas/{slug}/map.json",
            f"/areas/{slug}/map.svg",
            f"/areas/{slug}/calendar/",
            f"/areas/{slug}/calendar.ics",
            f"/api/graph/{slug}/",
        ]
    for prefix in ("x", "y"):
        for board in ("kscb", "hwb"):
            urls += [f"/boards/{prefix}-{board}/", f"/boards/{prefix}-{board}/calendar/"]
            urls += [f"/boards/{prefix}-{board}/calendar.ics"]
    urls += [f"/api/{name}/?page_size=200" for name in API_LISTS]
    urls += ["/api/versions/?status=draft&search=clause"]
    return urls


def crawl(client, urls):
    """The pages that showed the marker, with their status codes."""
    leaks = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if MARKER.lower().encode() in body.lower():
            leaks.append(url)
    return leaks


def test_no_page_shows_a_draft_to_anonymous_readers(client, registry):
    assert crawl(client, pages(registry["area"], registry["other_area"])) == []


def test_no_page_shows_a_draft_to_a_board_member_of_another_area(client, registry):
    member = RoleAssignmentFactory(
        user=UserFactory(username="member-elsewhere"),
        role=RoleAssignment.Role.BOARD_MEMBER,
        area=registry["other_area"],
    ).user
    client.force_login(member)
    assert crawl(client, pages(registry["area"], registry["other_area"])) == []


def test_the_areas_own_board_member_sees_the_draft(client, registry, board_member):
    """The crawl can see the marker where it is allowed: the home page and protocol list show the draft."""
    client.force_login(board_member)
    leaks = crawl(client, ["/", "/protocols/", "/api/versions/?status=draft&search=clause"])
    assert leaks == ["/", "/protocols/", "/api/versions/?status=draft&search=clause"]


def test_the_home_page_lists_only_what_the_reader_may_see_in_five_queries(client, registry, django_assert_num_queries):
    """The count of areas, a page of areas, protocols (with a readable version), their versions, their parties' boards."""
    with django_assert_num_queries(5):
        html = client.get("/").content.decode()
    assert "x partnership protocol" in html
    assert MARKER not in html
