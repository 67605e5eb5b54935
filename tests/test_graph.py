"""The accountability graph builder, its SVG and the template tags the PDF embeds."""

import re
from html import escape

import pytest
from django.template import Context, Template

from accountability.graph import area_graph, filter_graph, version_graph
from accountability.models import Meeting, Relation, ReportingObligation
from accountability.svg import render_svg
from boards.models import Board, Membership, Post
from protocols.models import ProtocolVersion
from tests.factories import (
    BoardFactory,
    ClauseFactory,
    MembershipFactory,
    ObligationFactory,
    PartyFactory,
    PostFactory,
    ProtocolFactory,
    RecipientFactory,
    RelationFactory,
    SectionFactory,
    VersionFactory,
)
from tests.svg_support import SVG, drawn_edge_ids, groups, node_boxes

Status = ProtocolVersion.Status


@pytest.fixture
def knowsley_like(area):
    """Two boards in an area, an agreed protocol stating three arrows, and a chair post."""
    kscb = BoardFactory(name="Knowsley Safeguarding Children Board", short_name="KSCB", slug="kscb", areas=[area])
    hwb = BoardFactory(
        name="Health and Wellbeing Board", short_name="HWB", slug="hwb", kind=Board.Kind.HWB, areas=[area]
    )
    chair = PostFactory(title="Independent Chair of the KSCB", short_title="Independent Chair", area=area)
    MembershipFactory(board=kscb, post=chair, capacity=Membership.Capacity.CHAIR)
    protocol = ProtocolFactory(title="Joint working protocol", short_title="Joint protocol", slug="joint", area=area)
    version = VersionFactory(protocol=protocol, status=Status.AGREED)
    PartyFactory(version=version, board=kscb)
    PartyFactory(version=version, board=hwb)
    section = SectionFactory(version=version, number="4")
    clause = ClauseFactory(section=section, number="4.6", text="<p>The KSCB presents its Annual Report to the HWB.</p>")
    obligation = ObligationFactory(
        senders=[kscb], version=version, source_clause=clause, presenter=chair, window_start_month=9
    )
    RecipientFactory(obligation=obligation, board=hwb)
    RelationFactory(
        kind=Relation.Kind.CHALLENGES, subject_board=hwb, object_board=kscb, version=version, source_clause=clause
    )
    meeting = Meeting.objects.create(title="Chairs meet", frequency="quarterly", version=version)
    meeting.participant_boards.set([kscb, hwb])
    return {"kscb": kscb, "hwb": hwb, "chair": chair, "protocol": protocol, "version": version, "clause": clause}


def edge_set(graph):
    return {(e["kind"], e["source"], e["target"]) for e in graph["edges"]}


def test_area_graph_has_typed_edges_with_clause_and_protocol(knowsley_like):
    """The annual report is an arrow KSCB -> HWB typed 'presents its annual report to', carrying clause 4.6."""
    graph = area_graph(knowsley_like["kscb"].areas.get())
    kscb, hwb = f"board-{knowsley_like['kscb'].pk}", f"board-{knowsley_like['hwb'].pk}"
    chair = f"post-{knowsley_like['chair'].pk}"
    assert edge_set(graph) == {
        ("presents_annual_report_to", kscb, hwb),
        ("challenges", hwb, kscb),
        ("meets_with", hwb, kscb),
        ("member_of", chair, kscb),
    }
    report = next(e for e in graph["edges"] if e["kind"] == "presents_annual_report_to")
    assert report["clause"]["reference"] == "4.6"
    assert report["clause"]["url"] == knowsley_like["clause"].get_absolute_url()
    assert "presents its Annual Report" in report["clause"]["text"]
    assert report["protocol"]["slug"] == "joint"
    assert report["sentence"] == (
        "KSCB presents its annual report to HWB, September to November, "
        "presented by the Independent Chair of the KSCB, clause 4.6"
    )
    assert {n["id"] for n in graph["nodes"]} == {kscb, hwb, chair}


def test_area_graph_ignores_drafts_unless_asked_and_marks_changes(knowsley_like):
    """A draft's new arrow is hidden by default; with drafts it is 'added' and a dropped one 'removed'."""
    area = knowsley_like["kscb"].areas.get()
    draft = VersionFactory(protocol=knowsley_like["protocol"], number=2, status=Status.DRAFT)
    RelationFactory(
        kind=Relation.Kind.HOLDS_TO_ACCOUNT,
        subject_board=knowsley_like["hwb"],
        object_board=knowsley_like["kscb"],
        version=draft,
    )
    obligation = ObligationFactory(senders=[knowsley_like["kscb"]], version=draft)
    RecipientFactory(obligation=obligation, board=knowsley_like["hwb"])

    agreed_only = area_graph(area)
    assert "holds_to_account" not in {e["kind"] for e in agreed_only["edges"]}
    assert all(e["change"] is None for e in agreed_only["edges"])

    with_drafts = area_graph(area, include_drafts=True)
    changes = {(e["kind"], e["change"]) for e in with_drafts["edges"]}
    assert ("holds_to_account", "added") in changes
    assert ("presents_annual_report_to", None) in changes  # in both versions: unchanged
    assert ("challenges", "removed") in changes
    assert ("meets_with", "removed") in changes


def test_version_graph_shows_only_that_version(knowsley_like):
    """A version's map holds its parties and its own arrows, not another protocol's."""
    other_version = VersionFactory(status=Status.AGREED)
    RelationFactory(subject_board=knowsley_like["kscb"], object_board=knowsley_like["hwb"], version=other_version)
    graph = version_graph(knowsley_like["version"])
    assert {e["kind"] for e in graph["edges"]} == {
        "presents_annual_report_to",
        "challenges",
        "meets_with",
        "member_of",
    }
    assert graph["scope"]["type"] == "version"


def test_filter_graph_by_kind_and_protocol(knowsley_like):
    """Filtering keeps the chosen kinds and protocols and drops posts left without arrows."""
    graph = area_graph(knowsley_like["kscb"].areas.get())
    only_challenges = filter_graph(graph, kinds={"challenges"})
    assert {e["kind"] for e in only_challenges["edges"]} == {"challenges"}
    assert all(n["type"] == "board" for n in only_challenges["nodes"])
    none_of_them = filter_graph(graph, protocols={"another"})
    assert {e["kind"] for e in none_of_them["edges"]} == {"member_of"}


def test_graph_query_count_is_fixed(knowsley_like, django_assert_num_queries):
    """Building an area's map takes ten queries however many records it has."""
    area = knowsley_like["kscb"].areas.get()
    with django_assert_num_queries(10):
        small = area_graph(area)
    version = knowsley_like["version"]
    for n in range(6):
        board = BoardFactory(areas=[area])
        post = PostFactory(area=area)
        MembershipFactory(board=board, post=post, capacity=Membership.Capacity.CHAIR)
        ob = ObligationFactory(senders=[post], version=version, subject="minutes")
        RecipientFactory(obligation=ob, board=knowsley_like["hwb"])
        RelationFactory(subject_board=board, object_board=knowsley_like["kscb"], version=version)
        m = Meeting.objects.create(title=f"M{n}", frequency="annual", version=version)
        m.participant_posts.set([post])
        m.participant_boards.set([board])
    with django_assert_num_queries(10):
        large = area_graph(area)
    assert len(large["edges"]) > len(small["edges"]) + 20


def test_svg_draws_every_edge_and_node(knowsley_like):
    """The SVG stands for every edge but the memberships (a table, not arrows), each arrow's label linked to its
    clause; it has one box per board and per post an arrow touches, each board linked to its page."""
    graph = area_graph(knowsley_like["kscb"].areas.get())
    svg = render_svg(graph)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert set(drawn_edge_ids(svg)) == {e["id"] for e in graph["edges"] if e["kind"] != "member_of"}
    assert any(e["kind"] == "member_of" for e in graph["edges"])
    boxes = {g.get("data-node-id") for g in groups(svg, "accountability-svg__node")}
    assert boxes == {n["id"] for n in graph["nodes"] if n["type"] == "board"}  # the chair sits on KSCB only
    assert f'href="{knowsley_like["clause"].get_absolute_url()}"' in svg
    assert f'href="{knowsley_like["kscb"].get_absolute_url()}"' in svg
    assert "presents its annual" in svg and "(Sep–Nov)" in svg
    assert all(g.find(f"{SVG}title") is not None for g in groups(svg, "accountability-svg__arrow"))


def test_svg_ranks_recipient_above_sender(knowsley_like):
    """Whoever receives the annual report is drawn above whoever sends it."""
    graph = area_graph(knowsley_like["kscb"].areas.get())
    boxes = node_boxes(render_svg(graph))
    assert boxes[f"board-{knowsley_like['hwb'].pk}"][1] < boxes[f"board-{knowsley_like['kscb'].pk}"][1]


def test_svg_escapes_labels(area):
    """Names are escaped, so a board called '<script>' cannot inject markup."""
    board = BoardFactory(name="<script>alert(1)</script>", short_name="<b>&", areas=[area])
    svg = render_svg(area_graph(area))
    assert "<script>" not in svg and "&lt;b&gt;&amp;" in svg
    assert board.pk


def test_svg_survives_cycles_and_empty_graphs(area):
    """A cycle of 'reports to' arrows and an area with nothing in it both render."""
    a, b, c = (BoardFactory(areas=[area]) for _ in range(3))
    for s, o in ((a, b), (b, c), (c, a)):
        RelationFactory(kind=Relation.Kind.REPORTS_TO, subject_board=s, object_board=o)
    assert render_svg(area_graph(area)).count('class="accountability-svg__arrow ') == 3
    assert "<svg" in render_svg({"nodes": [], "edges": [], "kinds": [], "protocols": [], "scope": {}})


def test_template_tags_render_svg_for_version_and_area(knowsley_like):
    """{% accountability_svg version %} and {% area_accountability_svg area %} give unescaped SVG."""
    template = Template(
        "{% load accountability_tags %}{% accountability_svg version %}|{% area_accountability_svg area %}"
    )
    html = template.render(Context({"version": knowsley_like["version"], "area": knowsley_like["kscb"].areas.get()}))
    version_svg, area_svg = html.split("|")
    assert version_svg.startswith("<svg") and area_svg.startswith("<svg")
    assert "presents its annual report to" in version_svg
    assert 'id="v' in version_svg and 'id="a' in area_svg  # distinct title ids on one page


def test_obligation_without_recipient_draws_nothing(area):
    """An obligation with no recipient has no arrow (it is flagged as a gap instead)."""
    board = BoardFactory(areas=[area])
    ObligationFactory(senders=[board])
    assert area_graph(area)["edges"] == []
    assert ReportingObligation.objects.count() == 1
    assert Post.objects.count() == 0


def test_boards_with_the_same_short_name_are_told_apart_by_their_full_names(area):
    """A protocol between three boroughs' boards that are each called 'H&WB' draws three distinct nodes."""
    lscb = BoardFactory(name="Tri-borough LSCB", short_name="LSCB", areas=[area])
    version = VersionFactory(protocol=ProtocolFactory(area=area), status=Status.AGREED)
    names = ["Westminster Health and Wellbeing Board", "Kensington and Chelsea Health and Wellbeing Board"]
    for name in names:
        hwb = BoardFactory(name=name, short_name="H&WB", kind=Board.Kind.HWB, areas=[area])
        RelationFactory(kind=Relation.Kind.CHALLENGES, subject_board=hwb, object_board=lscb, version=version)

    graph = area_graph(area)

    labels = sorted(node["label"] for node in graph["nodes"])
    assert labels == sorted([*names, "LSCB"])
    assert sorted(edge["sentence"].split(" challenges ")[0] for edge in graph["edges"]) == sorted(names)
    assert all(edge["source_label"] in names for edge in graph["edges"])


def test_pdf_diagram_text_lists_every_arrow_the_diagram_draws(knowsley_like):
    """Under the PDF's diagram, each number its arrows carry, spelt out with every sentence the arrow stands
    for (clause included), then the memberships it does not draw."""
    version = knowsley_like["version"]
    html = Template("{% load protocol_tags %}{% diagram_text graph %}").render(
        Context({"graph": version_graph(version)})
    )
    svg = Template("{% load accountability_tags %}{% accountability_svg version links=False for_print=True %}").render(
        Context({"version": version})
    )
    numbers = sorted(
        int(n) for n in re.findall(r'class="accountability-svg__number"><title>[^<]*</title><text[^>]*>(\d+)<', svg)
    )
    assert numbers == [int(n) for n in re.findall(r'<li value="(\d+)">', html)] and numbers
    edges = version_graph(version)["edges"]
    assert all(escape(edge["sentence"]) in html for edge in edges)
    assert any(
        "presents its annual report to" in item and "clause 4.6" in item for item in re.findall(r"<li>(.*?)</li>", html)
    )
