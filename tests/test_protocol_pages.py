"""The protocol list, a version's page and its PDF download, as readers with different rights see them."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from protocols import pdf
from protocols.models import ProtocolVersion, RenderedDocument
from tests.factories import (
    BoardFactory,
    ClauseFactory,
    PartyFactory,
    ProtocolFactory,
    SectionFactory,
    VersionFactory,
)
from tests.pdf_fixtures import build_protocol

Status = ProtocolVersion.Status


@pytest.fixture
def agreed(area):
    return build_protocol(area=area)


@pytest.fixture
def draft(area):
    return build_protocol(area=area, status=Status.DRAFT, slug="draft-protocol")


def protocol_in(area, *, title, status=Status.AGREED, review_due=None, clause_text="<p>words</p>", board=None):
    version = VersionFactory(protocol=ProtocolFactory(area=area, title=title), status=status, review_due=review_due)
    PartyFactory(version=version, board=board or BoardFactory(areas=[area]))
    ClauseFactory(section=SectionFactory(version=version), text=clause_text)
    return version


# The list --------------------------------------------------------------------------------------


def list_titles(client, **params):
    response = client.get(reverse("protocols:protocol_list"), params)
    assert response.status_code == 200
    return [p.title for p in response.context["page"].object_list]


def test_list_shows_public_protocols_with_parties_status_and_dates(client, agreed, draft):
    """Anonymous readers see agreed protocols with parties, status, agreed date and review date; not drafts."""
    response = client.get(reverse("protocols:protocol_list"))
    html = response.content.decode()
    assert agreed.protocol.title in html
    assert "KSCB, HWB" in html and "June 2015" in html and "June 2026" in html
    assert f"/protocols/{draft.protocol.slug}/" not in html


def test_board_member_sees_drafts_of_their_area(client, board_member, draft):
    """A board member of the area sees the draft-only protocol in the list, marked as a draft."""
    client.force_login(board_member)
    assert draft.protocol.title in list_titles(client)


def test_filters_by_area_board_status_and_review_due(client, area, other_area):
    """Each filter narrows the list: area, board, status and the review-due window."""
    board = BoardFactory(areas=[area])
    protocol_in(area, title="Alpha", review_due=datetime.date(2026, 3, 1), board=board)
    protocol_in(area, title="Beta", status=Status.SUPERSEDED, review_due=datetime.date(2027, 3, 1))
    protocol_in(other_area, title="Gamma", review_due=datetime.date(2028, 3, 1))
    assert list_titles(client, area=area.slug) == ["Alpha", "Beta"]
    assert list_titles(client, board=board.slug) == ["Alpha"]
    assert list_titles(client, status="superseded") == ["Beta"]
    # The review date is the version in force's, as in the API: Beta's only version was replaced.
    assert list_titles(client, review_due_after="2027-01-01") == ["Gamma"]
    assert list_titles(client, review_due_before="2027-01-01") == ["Alpha"]
    response = client.get(reverse("protocols:area_protocol_list", args=[other_area.slug]))
    assert [p.title for p in response.context["page"].object_list] == ["Gamma"]


def test_bad_filter_values_get_clear_errors(client, db):
    """An unknown area or a non-date is reported next to its field; the list still shows."""
    response = client.get(reverse("protocols:protocol_list"), {"area": "nowhere", "review_due_after": "soon"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose an area from the list" in html
    assert "Enter a real date" in html


def test_search_covers_titles_and_clause_text_but_not_hidden_drafts(client, area, board_member):
    """Search finds words in titles and clause text; a draft's words don't surface it to anonymous readers."""
    protocol_in(area, title="Annual reporting protocol")
    protocol_in(area, title="Other", clause_text="<p>The Independent Chair presents the report.</p>")
    protocol_in(area, title="Secret draft", status=Status.DRAFT, clause_text="<p>zebra crossing</p>")
    assert list_titles(client, q="annual") == ["Annual reporting protocol"]
    assert list_titles(client, q="independent chair") == ["Other"]
    assert list_titles(client, q="zebra") == []
    client.force_login(board_member)
    assert list_titles(client, q="zebra") == ["Secret draft"]


def test_list_is_paginated(client, area):
    """Twenty to a page, with the filters kept in the page links."""
    for n in range(23):
        protocol_in(area, title=f"Protocol {n:02d}")
    first = client.get(reverse("protocols:protocol_list"), {"area": area.slug})
    assert len(first.context["page"].object_list) == 20
    assert f"area={area.slug}&amp;page=2" in first.content.decode()
    second = client.get(reverse("protocols:protocol_list"), {"area": area.slug, "page": 2})
    assert len(second.context["page"].object_list) == 3


def test_list_query_count_is_fixed(client, django_assert_num_queries, area):
    """Five queries however many protocols: count, page, shown versions (with protocols), their parties
    (with boards), areas for the filter; once an area is chosen, two more: that area and its boards for the filter."""
    for n in range(3):
        protocol_in(area, title=f"Small {n}")
    with django_assert_num_queries(5):
        client.get(reverse("protocols:protocol_list"))
    with django_assert_num_queries(7):
        client.get(reverse("protocols:protocol_list"), {"area": area.slug})
    for n in range(12):
        protocol_in(area, title=f"More {n}")
    with django_assert_num_queries(5):
        client.get(reverse("protocols:protocol_list"))
    with django_assert_num_queries(7):
        client.get(reverse("protocols:protocol_list"), {"area": area.slug})


def test_the_board_filter_offers_the_chosen_areas_boards_only(client, area, other_area):
    """Every board in the country would make the page grow with the registry: the board filter lists the chosen
    area's boards (and a board already chosen), and asks for an area first otherwise."""
    here, there = BoardFactory(areas=[area]), BoardFactory(areas=[other_area])
    protocol_in(area, title="Here", board=here)
    protocol_in(other_area, title="There", board=there)
    url = reverse("protocols:protocol_list")

    def offered(**params):
        html = client.get(url, params).content.decode()
        return set(re.findall(r'<option value="(board-[^"]+)"', html)), html

    boards, html = offered()
    assert boards == set() and "Choose an area first to list its boards" in html
    assert offered(area=area.slug)[0] == {here.slug}
    assert offered(board=there.slug)[0] == {there.slug}
    assert offered(area=area.slug, board=there.slug)[0] == {here.slug, there.slug}
    assert offered(area=other_area.slug)[0] == {there.slug}


# A version's page ----------------------------------------------------------------------------


def test_version_page_shows_the_agreed_record(client, agreed):
    """Agreed in its month, parties, the approval matrix at its true precision, numbered clauses with
    anchors and a link to each, obligations beside their clause, glossary and legislation links."""
    html = client.get(agreed.get_absolute_url()).content.decode()
    assert "Agreed in June 2015." in html
    assert "Knowsley Safeguarding Children Board" in html and "Knowsley Health and Wellbeing Board" in html
    assert "Ann Example<" in html and "Independent Chair, KSCB<" in html and "23 July 2015" in html
    clause = agreed.sections.get(key="sec1").clauses.get(key="cl1-1")
    assert f'id="{clause.anchor}"' in html
    assert f'href="#{clause.anchor}">Link to this clause' in html
    assert "KSCB sends its Annual Report to HWB, annually, September to November" in html
    assert "HWB consults KSCB" in html
    assert 'href="https://www.legislation.gov.uk/ukpga/2004/31/section/14"' in html
    assert "Knowsley Safeguarding Children Board</dd>" in html  # glossary


def test_version_page_links_earlier_versions(client, agreed):
    """Earlier (superseded) versions are listed and linked."""
    old = VersionFactory(protocol=agreed.protocol, number=1, status=Status.SUPERSEDED)
    html = client.get(agreed.get_absolute_url()).content.decode()
    assert f'href="{old.get_absolute_url()}"' in html


def test_drafts_are_404_to_anonymous_and_outsiders_and_visible_to_members(client, draft, outsider, board_member):
    """A draft is not found for readers without rights, and clearly marked for those with them."""
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(outsider)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(reverse("protocols:version_pdf", args=[draft.protocol.slug, 2])).status_code == 404
    client.force_login(board_member)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Draft: this version has not been agreed" in response.content.decode()


def test_version_page_query_count_does_not_grow_with_clauses(client, django_assert_num_queries, area):
    """The page reads a fixed number of queries (version, parties, approvals, sections, clauses and what is drawn
    from each, obligations' senders, glossary, obligations, relations, other versions), whether 3 clauses or 40."""
    small = build_protocol(area=area, sections=1, clauses_per_section=3, slug="small")
    large = build_protocol(area=area, sections=8, clauses_per_section=5, slug="large")
    with CaptureQueriesContext(connection) as small_queries:
        client.get(small.get_absolute_url())
    with django_assert_num_queries(len(small_queries)):
        client.get(large.get_absolute_url())
    # Each record's boards, posts and legislation come in the record's own query, not one query per relation;
    # two of these are the page cache's: the change counter and the agreed fingerprint.
    assert len(small_queries) == 23


# PDF download --------------------------------------------------------------------------------


def test_pdf_link_shows_preparing_page_then_serves_and_caches(client, agreed, settings, tmp_path, monkeypatch):
    """First visit: an accessible 'Preparing your PDF' page that refreshes to the rendering URL. The rendered,
    sealed PDF is stored once; later downloads are served from storage without rendering."""
    settings.MEDIA_ROOT = tmp_path
    url = reverse("protocols:version_pdf", args=[agreed.protocol.slug, agreed.number])
    first = client.get(url)
    assert first.status_code == 200
    assert "Preparing your PDF" in first.content.decode()
    assert f'content="0;url={url}?generate=1"' in first.content.decode()

    generated = client.get(url + "?generate=1")
    assert generated.status_code == 200
    assert generated["Content-Type"] == "application/pdf"
    body = b"".join(generated.streaming_content)
    assert body.startswith(b"%PDF-")
    stored = RenderedDocument.objects.get(version=agreed)
    assert stored.sealed and stored.renderer_version == pdf.RENDERER_VERSION and stored.page_count > 3

    def fail(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(pdf, "render_version_pdf", fail)
    again = client.get(url)
    assert again["Content-Type"] == "application/pdf"
    assert b"".join(again.streaming_content) == body


def test_draft_pdf_renders_on_demand_and_is_not_stored(client, draft, board_member, settings, tmp_path):
    """A draft's PDF is rendered for each request and never stored."""
    settings.MEDIA_ROOT = tmp_path
    client.force_login(board_member)
    url = reverse("protocols:version_pdf", args=[draft.protocol.slug, draft.number]) + "?generate=1"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="draft-')
    assert not RenderedDocument.objects.exists()


def test_protocol_redirects_to_its_agreed_version(client, agreed):
    """The protocol's address leads to the version in force."""
    response = client.get(reverse("protocols:protocol_detail", args=[agreed.protocol.slug]))
    assert response.status_code == 302 and response["Location"] == agreed.get_absolute_url()


def test_unknown_area_list_is_404(client, db):
    assert client.get(reverse("protocols:area_protocol_list", args=["nowhere"])).status_code == 404
