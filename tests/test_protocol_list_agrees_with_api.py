"""The protocol list page and /api/protocols/ filter with the same FilterSet, so they list the same protocols."""

import datetime

import pytest
from django.urls import reverse

from protocols.models import ProtocolVersion
from tests.factories import BoardFactory, ClauseFactory, PartyFactory, ProtocolFactory, SectionFactory, VersionFactory

Status = ProtocolVersion.Status


def version_of(protocol, number, status, *, board, text="<p>words</p>", review_due=None):
    version = VersionFactory(protocol=protocol, number=number, status=status, review_due=review_due)
    PartyFactory(version=version, board=board)
    ClauseFactory(section=SectionFactory(version=version), text=text)
    return version


@pytest.fixture
def registry(area, other_area):
    kscb = BoardFactory(areas=[area], kind="lscb")
    hwb = BoardFactory(areas=[other_area], kind="hwb")
    reviewed = ProtocolFactory(area=area, title="Under review")
    version_of(reviewed, 1, Status.AGREED, board=kscb, review_due=datetime.date(2026, 6, 1))
    version_of(reviewed, 2, Status.DRAFT, board=kscb, text="<p>The boards will consider safeguarding reports.</p>")
    version_of(ProtocolFactory(area=area, title="Draft only"), 1, Status.DRAFT, board=kscb)
    version_of(
        ProtocolFactory(area=other_area, title="Elsewhere"),
        1,
        Status.AGREED,
        board=hwb,
        text="<p>The board considers the annual report.</p>",
        review_due=datetime.date(2027, 6, 1),
    )


QUERIES = [
    {},
    {"status": "draft"},
    {"status": "agreed"},
    {"area": "knowsley"},
    {"board_kind": "hwb"},
    {"review_due_before": "2026-12-31"},
    {"search": "report"},
    {"search": "considers"},
    {"search": "safeguarding reports"},
]


def page_titles(client, query):
    response = client.get(reverse("protocols:protocol_list"), query)
    assert response.status_code == 200
    return sorted(p.title for p in response.context["page"].object_list)


def api_titles(client, query):
    response = client.get("/api/protocols/", query)
    assert response.status_code == 200, response.content
    return sorted(item["title"] for item in response.json()["results"])


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()) or "all")
def test_page_and_api_list_the_same_protocols(client, registry, board_member, query):
    """Anonymous readers and a board member of the area (who reads its drafts) get the same answer from both.
    Before, ?status=draft listed "Under review" in the API but not on the page (which filtered on the version
    it showed), and search matched stems on PostgreSQL in one and substrings in the other."""
    assert page_titles(client, query) == api_titles(client, query)
    client.force_login(board_member)
    assert page_titles(client, query) == api_titles(client, query)


def test_a_status_filter_shows_the_version_that_matched(client, registry, board_member):
    """Filtering by draft lists the protocol under review with its draft, not its agreed version."""
    client.force_login(board_member)
    response = client.get(reverse("protocols:protocol_list"), {"status": "draft"})
    shown = {p.title: p.shown_version for p in response.context["page"].object_list}
    assert set(shown) == {"Under review", "Draft only"}
    assert shown["Under review"].number == 2 and shown["Under review"].is_open
    assert client.get(reverse("protocols:protocol_list"), {"status": "draft"}).status_code == 200
    client.logout()
    assert page_titles(client, {"status": "draft"}) == []  # drafts stay private
