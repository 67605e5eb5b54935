"""The accountability map page, its JSON and SVG, the text alternative, filters, drafts and query counts."""

import json
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accountability.models import (
    BoardLegalBasis,
    Duty,
    EscalationRoute,
    EscalationStep,
    LegalInstrument,
    LegalReference,
    Meeting,
    Relation,
    ReportingObligation,
)
from boards.models import Board, Membership, PostHolding
from core.writes import unlocked
from protocols.models import ProtocolVersion
from tests.factories import (
    BoardFactory,
    ClauseFactory,
    MembershipFactory,
    ObligationFactory,
    PartyFactory,
    PersonFactory,
    PostFactory,
    ProtocolFactory,
    RecipientFactory,
    RelationFactory,
    SectionFactory,
    VersionFactory,
)
from tests.svg_support import drawn_edge_ids, groups, parse

Status = ProtocolVersion.Status


def build_area(area, size, prefix="x"):
    """An area with two main boards and `size` of everything else, all stated by one agreed protocol."""
    kscb = BoardFactory(
        name=f"{prefix} Safeguarding Children Board", short_name="KSCB", slug=f"{prefix}-kscb", areas=[area]
    )
    hwb = BoardFactory(
        name=f"{prefix} Health and Wellbeing Board",
        short_name="HWB",
        slug=f"{prefix}-hwb",
        kind=Board.Kind.HWB,
        areas=[area],
    )
    chair = PostFactory(title=f"{prefix} Independent Chair", short_title="Independent Chair", area=area)
    PostHolding.objects.create(person=PersonFactory(name="Ann Example"), post=chair)
    MembershipFactory(board=kscb, post=chair, capacity=Membership.Capacity.CHAIR)
    protocol = ProtocolFactory(title=f"{prefix} partnership protocol", slug=f"{prefix}-protocol", area=area)
    version = VersionFactory(protocol=protocol, status=Status.AGREED)
    PartyFactory(version=version, board=kscb)
    PartyFactory(version=version, board=hwb)
    section = SectionFactory(version=version, number="4")
    clause = ClauseFactory(section=section, number="4.6", text="<p>The KSCB presents its Annual Report to the HWB.</p>")
    report = ObligationFactory(senders=[kscb], version=version, source_clause=clause, presenter=chair)
    RecipientFactory(obligation=report, board=hwb)
    RelationFactory(
        kind=Relation.Kind.HOLDS_TO_ACCOUNT, subject_board=hwb, object_board=kscb, version=version, source_clause=clause
    )
    instrument, _ = LegalInstrument.objects.get_or_create(
        title="Children Act 2004", defaults={"kind": "act", "url": "https://www.legislation.gov.uk/ukpga/2004/31"}
    )
    ref, _ = LegalReference.objects.get_or_create(
        instrument=instrument,
        provision="section 13",
        defaults={"url": "https://www.legislation.gov.uk/ukpga/2004/31/section/13"},
    )
    BoardLegalBasis.objects.create(board=kscb, legal_reference=ref)
    route = EscalationRoute.objects.create(title="Resolving disagreements", version=version)
    step = EscalationStep.objects.create(route=route, order=1, description="Chairs meet")
    step.boards.set([kscb, hwb])
    for n in range(size):
        group = BoardFactory(
            name=f"{prefix} subgroup {n}", kind=Board.Kind.SUBGROUP, parent=kscb, short_name=f"SG{n}", areas=[area]
        )
        post = PostFactory(title=f"{prefix} officer {n}", short_title=f"Officer {n}", area=area)
        PostHolding.objects.create(person=PersonFactory(), post=post)
        MembershipFactory(board=kscb, post=post)
        MembershipFactory(board=hwb, post=post, capacity=Membership.Capacity.VICE_CHAIR)
        Membership.objects.create(board=group, organisation=f"Organisation {n}")
        ob = ObligationFactory(senders=[group], version=version, source_clause=clause, subject="minutes")
        RecipientFactory(obligation=ob, board=kscb)
        RelationFactory(
            kind=Relation.Kind.REPORTS_TO,
            subject_post=post,
            subject_board=None,
            object_board=kscb,
            version=version,
            source_clause=clause,
        )
        RelationFactory(kind=Relation.Kind.CHALLENGES, subject_board=kscb, object_board=group, version=version)
        Duty.objects.create(holder_board=kscb, description=f"Duty {n}", version=version).legal_references.set([ref])
        meeting = Meeting.objects.create(title=f"Meeting {n}", frequency="quarterly", version=version)
        meeting.participant_boards.set([kscb, group])
        meeting.participant_posts.set([post])
    return {"kscb": kscb, "hwb": hwb, "chair": chair, "protocol": protocol, "version": version, "clause": clause}


def count_queries(client, url):
    """The queries of drawing the page: factories write around core.writes, so no counter moves and the
    cached copy is set aside here (test_area_page_cache checks the cache)."""
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.fixture
def knowsley(area):
    return build_area(area, 2)


def test_map_page_shows_svg_text_and_filters(client, area, knowsley):
    """Anyone sees the server-drawn map, the key as filters, and every arrow as text with its clause."""
    response = client.get("/areas/knowsley/map/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and 'class="accountability-svg"' in html
    assert "KSCB presents its annual report to HWB" in html
    assert f'href="{knowsley["clause"].get_absolute_url()}"' in html
    assert 'name="kind" type="checkbox" value="holds_to_account"' in html
    assert 'name="protocol" type="checkbox" value="x-protocol"' in html


def page_svg(html):
    """The map's SVG in a page (not the key's small swatches)."""
    start = html.index('<svg xmlns="http://www.w3.org/2000/svg" class="accountability-svg"')
    return html[start : html.index("</svg>", start) + len("</svg>")]


def test_text_alternative_lists_every_arrow_the_picture_draws(client, area, knowsley):
    """The text lists each arrow the picture draws (same ids) with every edge merged into it; the memberships,
    which the picture does not draw, are the table's rows; together they are the JSON's edges."""
    data = client.get("/areas/knowsley/map.json").json()
    html = client.get("/areas/knowsley/map/").content.decode()
    svg = page_svg(html)
    json_edges = {e["id"] for e in data["edges"]}
    text_edges = set(re.findall(r'<li data-edge-id="([^"]+)"', html))
    table_edges = set(re.findall(r'<tr class="govuk-table__row" data-edge-id="([^"]+)"', html))
    assert set(drawn_edge_ids(svg)) == text_edges
    assert {g.get("data-arrow-id") for g in groups(svg, "accountability-svg__arrow") if g.get("data-arrow-id")} == set(
        re.findall(r'<li data-arrow-id="([^"]+)"', html)
    )
    assert json_edges and json_edges == text_edges | table_edges
    assert {e["kind"] for e in data["edges"] if e["id"] in table_edges} == {"member_of"}
    kinds = {e["kind"] for e in data["edges"]}
    assert {"presents_annual_report_to", "holds_to_account", "reports_to", "meets_with", "member_of"} <= kinds


def test_arrows_between_the_same_boards_are_one_arrow_listing_its_kinds(client, area, knowsley):
    """KSCB's annual report to HWB and HWB holding KSCB to account are two arrows (one each way); a second kind
    from KSCB to HWB joins the first arrow's label rather than drawing another."""
    RelationFactory(
        kind=Relation.Kind.REPORTS_TO,
        subject_board=knowsley["kscb"],
        object_board=knowsley["hwb"],
        version=knowsley["version"],
        source_clause=knowsley["clause"],
    )
    svg = page_svg(client.get("/areas/knowsley/map/").content.decode())
    kscb, hwb = f"board-{knowsley['kscb'].pk}", f"board-{knowsley['hwb'].pk}"
    between = [
        g for g in groups(svg, "accountability-svg__arrow") if {g.get("data-from"), g.get("data-to")} == {kscb, hwb}
    ]
    kinds = {g.get("data-from"): set(g.get("data-kinds").split()) for g in between}
    assert len(between) == 2
    assert kinds == {hwb: {"holds_to_account"}, kscb: {"presents_annual_report_to", "reports_to"}}
    label = groups(svg, "accountability-svg__label")
    texts = ["".join(g.itertext()) for g in label if g.get("data-label-for") == f"arrow-{kscb}-{hwb}"]
    assert "presents its annual" in texts[0] and "reports to" in texts[0]


def test_a_board_chosen_on_the_area_map_shows_only_its_own_arrows(client, area, knowsley):
    """?board= draws what that board sends, receives and is held to account for, with its counterparts only;
    the page's own link to the board keeps the choice, and the board page shows the same map."""
    kscb = f"board-{knowsley['kscb'].pk}"
    html = client.get("/areas/knowsley/map/?board=x-kscb").content.decode()
    svg = page_svg(html)
    arrows = [g for g in groups(svg, "accountability-svg__arrow") if g.get("data-arrow-id")]
    assert arrows and all(kscb in (g.get("data-from"), g.get("data-to")) for g in arrows)
    assert '<option value="x-kscb" selected>' in html
    whole = page_svg(client.get("/areas/knowsley/map/").content.decode())
    assert len(groups(whole, "accountability-svg__arrow")) > len(arrows)
    board_page = client.get("/boards/x-kscb/").content.decode()
    assert "Who KSCB reports to, and when" in board_page
    assert set(drawn_edge_ids(page_svg(board_page))) == set(drawn_edge_ids(svg))


def test_the_picture_says_when_a_report_is_due(client, area, knowsley):
    """An obligation's due months are written on its arrow, shortened ('Sep'), and in words in the text."""
    with unlocked():  # arranging what the agreed version states
        ReportingObligation.objects.update(window_start_month=9, window_end_month=11)
    html = client.get("/boards/x-kscb/").content.decode()
    svg = page_svg(html)
    assert "(Sep–Nov)" in "".join(parse(svg).itertext())
    assert "September to November" in html


def test_the_partial_answer_is_the_picture_and_text_alone(client, area, knowsley):
    """The script's request (?partial=1) gets the re-filtered picture and text without the page around them."""
    response = client.get("/areas/knowsley/map/?filtered=1&kind=holds_to_account&protocol=x-protocol&partial=1")
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<div class="registry-map-layout" id="map-result"')
    assert "<html" not in html and "<form" not in html
    assert set(re.findall(r'data-kind="([^"]+)"', html)) == {"holds_to_account"}


def test_get_form_filters_by_kind_and_protocol(client, area, knowsley):
    """Without JavaScript, the GET form narrows the SVG, the text and the JSON to the chosen arrows."""
    url = "/areas/knowsley/map/?filtered=1&kind=holds_to_account&protocol=x-protocol"
    html = client.get(url).content.decode()
    assert set(re.findall(r'<li data-edge-id="([^"]+)"', html)) == {
        e["id"] for e in client.get(url.replace("map/", "map.json")).json()["edges"]
    }
    kinds = set(re.findall(r'<li data-edge-id="[^"]+" data-kind="([^"]+)"', html))
    assert kinds == {"holds_to_account"}
    assert 'value="reports_to"' in html and 'value="reports_to" checked' not in html
    nothing = client.get("/areas/knowsley/map.json?filtered=1&kind=holds_to_account&protocol=other").json()
    assert nothing["edges"] == []


def test_drafts_only_for_people_of_the_area(client, area, knowsley, board_member):
    """An anonymous reader asking for drafts gets the agreed map; a board member sees what a draft would add."""
    draft = VersionFactory(protocol=knowsley["protocol"], number=2, status=Status.DRAFT)
    RelationFactory(
        kind=Relation.Kind.SCRUTINISES, subject_board=knowsley["hwb"], object_board=knowsley["kscb"], version=draft
    )
    anonymous = client.get("/areas/knowsley/map/?drafts=1").content.decode()
    assert "Drafts are shown only to" in anonymous and "scrutinises" not in anonymous
    client.force_login(board_member)
    data = client.get("/areas/knowsley/map.json?drafts=1").json()
    assert ("scrutinises", "added") in {(e["kind"], e["change"]) for e in data["edges"]}
    assert "Draft adds" in client.get("/areas/knowsley/map/?drafts=1").content.decode()


def test_svg_download_and_version_map(client, area, knowsley):
    """The SVG is served on its own, and a version's map page lists that version's arrows."""
    response = client.get("/areas/knowsley/map.svg")
    assert response["Content-Type"] == "image/svg+xml" and response.content.startswith(b"<svg")
    page = client.get("/protocols/x-protocol/versions/1/map/").content.decode()
    assert "KSCB presents its annual report to HWB" in page


def test_draft_version_map_is_private(client, area, knowsley, outsider):
    """A draft's map is not shown to someone outside the area."""
    VersionFactory(protocol=knowsley["protocol"], number=2, status=Status.DRAFT)
    client.force_login(outsider)
    assert client.get("/protocols/x-protocol/versions/2/map/").status_code == 403


@pytest.mark.parametrize("url", ["/areas/knowsley/map/", "/areas/knowsley/map.json", "/boards/x-kscb/"])
def test_query_count_is_fixed_whatever_the_size(client, area, url):
    """The map page, its data and the board page run the same number of queries for 1 or 12 of everything."""
    build_area(area, 1)
    small = count_queries(client, url)
    more = build_area(area, 0, prefix="y")  # a second set of boards and posts
    for n in range(11):
        extra = BoardFactory(areas=[area], kind=Board.Kind.SUBGROUP, parent=more["kscb"], slug=f"more-{n}")
        MembershipFactory(board=extra, post=PostFactory(area=area))
    kscb = Board.objects.get(slug="x-kscb")
    for n in range(11):
        post = PostFactory(area=area, title=f"added post {n}")
        MembershipFactory(board=kscb, post=post, capacity=Membership.Capacity.CHAIR if n == 0 else "member")
        ob = ObligationFactory(senders=[kscb], version=more["version"], subject="minutes")
        RecipientFactory(obligation=ob, post=post, board=None)
        RelationFactory(
            kind=Relation.Kind.OVERSEES,
            subject_post=post,
            subject_board=None,
            object_board=kscb,
            version=more["version"],
        )
        Duty.objects.create(holder_board=kscb, description=f"Extra duty {n}")
    large = count_queries(client, url)
    assert small == large


def test_map_query_counts_are_pinned(client, area, knowsley, django_assert_num_queries):
    """Map page drawn: the area, the change counters, the area again (read after them), 10 for the graph;
    JSON: the area and the graph. Cached, the map page takes two (test_area_page_cache)."""
    with django_assert_num_queries(13):
        client.get("/areas/knowsley/map/")
    with django_assert_num_queries(11):
        client.get("/areas/knowsley/map.json")


def test_map_json_shape(client, area, knowsley):
    """Each edge carries its kind, label, ends, clause reference and URL, and protocol."""
    data = json.loads(client.get("/areas/knowsley/map.json").content)
    edge = next(e for e in data["edges"] if e["kind"] == "presents_annual_report_to")
    assert edge["clause"]["reference"] == "4.6"
    assert edge["clause"]["url"].endswith(knowsley["clause"].anchor)
    assert edge["protocol"]["slug"] == "x-protocol"
    assert edge["source"] == f"board-{knowsley['kscb'].pk}" and edge["target"] == f"board-{knowsley['hwb'].pk}"
    assert {k["kind"] for k in data["kinds"]} >= {"presents_annual_report_to", "holds_to_account"}


def test_unknown_area_is_404(client, db):
    """A map of an area that doesn't exist is a 404, not an error."""
    assert client.get("/areas/nowhere/map/").status_code == 404
    assert client.get("/areas/nowhere/map.json").status_code == 404
