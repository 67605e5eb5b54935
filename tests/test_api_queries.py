"""Every list endpoint reads in a fixed number of queries: pinned here, and the same at two data sizes."""

# ruff: noqa: F403, F405
import itertools

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accountability.models import (
    Duty,
    EscalationRoute,
    EscalationStep,
    LegalInstrument,
    LegalReference,
)
from tests.api_support import *
from tests.factories import (
    ApprovalFactory,
    BoardFactory,
    ClauseFactory,
    MembershipFactory,
    ObligationFactory,
    PartyFactory,
    PersonFactory,
    PostFactory,
    RecipientFactory,
    RelationFactory,
    SectionFactory,
    VersionFactory,
)

pytestmark = pytest.mark.django_db
counter = itertools.count()


def grow(area):
    """One more protocol's worth of everything each list shows, with the relations each row needs."""
    n = next(counter)
    boards = [BoardFactory(areas=[area]), BoardFactory(areas=[area], kind="hwb")]
    post = PostFactory(area=area, board=boards[0])
    PersonFactory()
    MembershipFactory(board=boards[0], post=post)
    version = VersionFactory(status="agreed", protocol__area=area)
    parties = [PartyFactory(version=version, board=board) for board in boards]
    ApprovalFactory(party=parties[0])
    section = SectionFactory(version=version)
    parent = ClauseFactory(section=section)
    clause = ClauseFactory(section=section, parent=parent, number="(a)")
    obligation = ObligationFactory(version=version, source_clause=clause, senders=[boards[0]])
    RecipientFactory(obligation=obligation, board=boards[1])
    RecipientFactory(obligation=obligation, board=None, post=post)
    RelationFactory(version=version, source_clause=clause, subject_board=boards[0], object_board=boards[1])
    instrument = LegalInstrument.objects.create(title=f"Children Act {n}", kind="act")
    reference = LegalReference.objects.create(instrument=instrument, provision="section 13")
    duty = Duty.objects.create(version=version, source_clause=clause, holder_board=boards[0], description="Duty")
    duty.legal_references.add(reference)
    route = EscalationRoute.objects.create(version=version, source_clause=clause, title="Resolution")
    step = EscalationStep.objects.create(route=route, order=1)
    step.posts.add(post)
    step.boards.add(boards[1])


# Per endpoint, for an administrator using a token: the token with its user (one query; a superuser
# needs no role look-up), the change counter (one: reads are cached by it, see test_api_cache), then the
# page count and the page, and one query per prefetched relation.
EXPECTED = {
    "/api/areas/": 2 + 2,
    "/api/boards/": 2 + 3,  # + areas of the boards on the page
    "/api/posts/": 2 + 2,
    "/api/people/": 2 + 2,
    "/api/memberships/": 2 + 2,
    "/api/protocols/": 2 + 3,  # + visible versions
    "/api/versions/": 2 + 2,
    "/api/sections/": 2 + 2,
    "/api/clauses/": 2 + 2,
    "/api/approvals/": 2 + 2,
    "/api/parties/": 2 + 3,  # + their approvals
    "/api/legal-instruments/": 2 + 2,
    "/api/legal-references/": 2 + 2,
    "/api/duties/": 2 + 3,  # + legal references
    "/api/obligations/": 2 + 4,  # + senders, recipients
    "/api/relations/": 2 + 2,
    "/api/escalation-routes/": 2 + 5,  # + steps, their posts, their boards
}


@pytest.mark.parametrize("url", list(EXPECTED))
def test_list_query_count_is_pinned_and_does_not_grow(url, administrator, area):
    """The count is the pinned one with one protocol's data and with four."""
    client = client_for(administrator)
    grow(area)
    small, small_rows = count_queries(client, url)
    for _ in range(3):
        grow(area)
    large, large_rows = count_queries(client, url)
    assert large_rows > small_rows or url == "/api/areas/"
    assert (small, large) == (EXPECTED[url], EXPECTED[url])


@pytest.mark.parametrize("url", ["/api/versions/", "/api/protocols/", "/api/obligations/", "/api/clauses/"])
def test_anonymous_lists_need_no_role_queries(url, area):
    """Anonymous readers skip the token look-up: one query fewer, and still flat."""
    client = client_for(None)
    grow(area)
    small, _ = count_queries(client, url)
    grow(area)
    large, _ = count_queries(client, url)
    assert small == large == EXPECTED[url] - 1


def test_version_detail_reads_in_fixed_queries(administrator, area):
    """A whole version (parties, approvals, sections, clauses, glossary) in the same queries at any size."""
    client = client_for(administrator)
    grow(area)
    from protocols.models import ProtocolVersion

    version = ProtocolVersion.objects.latest("id")
    cache.clear()  # drawn each time: factories write around core.writes, moving no change counter
    with CaptureQueriesContext(connection) as first:
        assert client.get(f"/api/versions/{version.pk}/").status_code == 200
    for _ in range(5):
        ClauseFactory(section=version.sections.first())
        PartyFactory(version=version)
    cache.clear()
    with CaptureQueriesContext(connection) as second:
        assert client.get(f"/api/versions/{version.pk}/").status_code == 200
    # token, change counter, version, parties, approvals, sections, clauses, glossary
    assert len(first) == len(second) == 8


def test_graph_reads_in_fixed_queries(area):
    """The map endpoint costs the graph builder's queries whatever the area's size."""
    client = client_for(None)
    grow(area)
    with CaptureQueriesContext(connection) as first:
        assert client.get(f"/api/graph/{area.slug}/").status_code == 200
    grow(area)
    grow(area)
    with CaptureQueriesContext(connection) as second:
        assert client.get(f"/api/graph/{area.slug}/").status_code == 200
    assert len(first) == len(second)


@pytest.mark.parametrize("url", ["/api/versions/", "/api/protocols/", "/api/obligations/", "/api/clauses/"])
def test_business_manager_lists_add_one_role_query(url, business_manager, area):
    """A scoped reader costs one more query (their roles, read once per request), still flat."""
    grow(area)
    small, _ = count_queries(client_for(business_manager), url)
    grow(area)
    large, _ = count_queries(client_for(business_manager), url)
    assert small == large == EXPECTED[url] + 1
