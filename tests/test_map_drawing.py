"""The map as Graphviz lays it out: on every demo area's map, every board's own map and every demo
version's diagram (screen and print), the text is large enough to read, no label overlaps another or a
box, the arrows between two boards are merged into one, and every arrow drawn is an edge of the graph."""

import subprocess
from itertools import combinations

import pytest
from django.template import Context, Template

from accountability.graph import _areas_graph, area_graph, board_graph, board_node_id, focus_graph, version_graph
from accountability.svg import draw, shrink
from accountability.templatetags.accountability_tags import PRINT_BOX
from boards.models import Area, Board
from protocols.models import ProtocolVersion
from tests.conftest import demo_data  # noqa: F401 - a fixture
from tests.svg_support import drawn_edge_ids, font_sizes, groups, label_boxes, node_boxes, overlap, size

pytestmark = pytest.mark.usefixtures("demo_data")


@pytest.fixture(scope="module")
def drawings(demo_data, django_db_blocker):  # noqa: F811 - the fixture imported above
    """(name, graph, svg) for every demo area's map, every board's own map and every version's diagram: drawn
    once for the module's tests, which only read them."""
    with django_db_blocker.unblock():
        return draw_all()


def draw_all():
    found = []
    for area in Area.objects.order_by("slug"):
        graph = area_graph(area)
        found.append((area.slug, graph, draw(graph).svg))
    for board in Board.objects.prefetch_related("areas").order_by("slug"):
        graph = board_graph(board, list(board.areas.all()))
        found.append((f"board {board.slug}", graph, draw(graph).svg))
    for version in ProtocolVersion.objects.select_related("protocol").order_by("protocol__slug", "number"):
        graph = version_graph(version)
        found.append((f"{version.protocol.slug} v{version.number}", graph, draw(graph).svg))
    return found


def test_every_demo_map_is_drawn_with_text_of_13_px_or_more(drawings):
    """Shown at its own size (as the page does on a wide screen), no text is smaller than 12 px."""
    assert {"knowsley", "cheshire-west-and-chester", "board knowsley-kscb"} <= {name for name, _g, _s in drawings}
    for name, _graph, svg in drawings:
        assert min(font_sizes(svg)) >= 12, name


def test_no_label_overlaps_another_label_or_a_box(drawings):
    """Every arrow has a label box; no two label boxes overlap, none covers a board, post or meeting, and no
    two boxes overlap each other."""
    busiest = max(len(graph["edges"]) for _name, graph, _svg in drawings)
    assert busiest > 50  # Cheshire West and Chester's map is among them
    for name, _graph, svg in drawings:
        labels, boxes = label_boxes(svg), node_boxes(svg)
        arrows = {g.get("data-arrow-id") for g in groups(svg, "accountability-svg__arrow") if g.get("data-arrow-id")}
        assert set(labels) == arrows, name
        for (first, a), (second, b) in combinations(labels.items(), 2):
            assert not overlap(a, b), f"{name}: the labels of {first} and {second} overlap"
        for (first, a), (second, b) in combinations(boxes.items(), 2):
            assert not overlap(a, b), f"{name}: {first} and {second} overlap"
        for arrow, label in labels.items():
            for node, node_box in boxes.items():
                assert not overlap(label, node_box), f"{name}: the label of {arrow} covers {node}"


def test_parallel_arrows_are_merged_and_every_edge_is_drawn_once(drawings):
    """Between two nodes there is at most one arrow each way; every edge of the graph but the memberships is
    drawn exactly once (in an arrow or a meeting's box), and memberships never are."""
    merged_somewhere = False
    for name, graph, svg in drawings:
        ends = [(g.get("data-from"), g.get("data-to")) for g in groups(svg, "accountability-svg__arrow")]
        ends = [pair for pair in ends if pair[0]]
        assert len(ends) == len(set(ends)), f"{name}: two arrows join the same nodes the same way"
        drawn = drawn_edge_ids(svg)
        assert len(drawn) == len(set(drawn)), name
        expected = {e["id"] for e in graph["edges"] if e["kind"] != "member_of"}
        assert set(drawn) == expected, name
        merged_somewhere |= len(ends) < len(expected)
    assert merged_somewhere


def test_a_merged_arrow_lists_its_kinds_and_when(db):
    """Cheshire West and Chester's LSCB to its Health and Wellbeing Board: one arrow, whose label says each kind
    of link once, with how often, each line linked to the clause that states it."""
    area = Area.objects.get(slug="cheshire-west-and-chester")
    drawing = draw(area_graph(area))
    (arrow,) = [a for a in drawing.arrows if (a.source_label, a.target_label) == ("LSCB", "Health and Wellbeing Board")]
    texts = [line.text for line in arrow.lines]
    assert len(texts) == len({line.kind for line in arrow.lines}) >= 3
    assert "reports to (annually)" in texts
    assert "presents its annual report to" in texts  # not "(annually)": the kind says it already
    assert all(line.url for line in arrow.lines)
    assert all(f'href="{line.url}"' in drawing.svg for line in arrow.lines)


def test_the_pdf_diagram_keeps_its_text_at_8_pt_or_more(db):
    """Shrunk to the PDF's diagram box (A4 less margins), every demo version's diagram keeps text of 8 pt or
    more: 1 CSS pixel is 0.75 pt."""
    template = Template("{% load accountability_tags %}{% accountability_svg version links=False for_print=True %}")
    for version in ProtocolVersion.objects.select_related("protocol"):
        svg = template.render(Context({"version": version}))
        width, height = size(svg)
        scale = min(PRINT_BOX[0] / width, PRINT_BOX[1] / height)
        assert min(font_sizes(svg)) * 0.75 * scale >= 8, f"{version.protocol.slug}: {width} x {height}"
        assert "<a " not in svg


def test_shrink_says_how_much_a_picture_is_scaled_to_fit(db):
    assert shrink(100, 100, None) == 1.0
    assert shrink(1284, 500, (642, 775)) == 0.5
    assert shrink(300, 1550, (642, 775)) == 0.5


def test_graphviz_runs_once_for_the_same_graph(db, monkeypatch):
    """Drawing the same map twice runs `dot` once: its output is cached by the DOT text."""
    calls = []
    real = subprocess.run

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(subprocess, "run", counting)
    graph = area_graph(Area.objects.get(slug="knowsley"))
    first, second = draw(graph).svg, draw(graph).svg
    assert first == second and len(calls) == 1


def test_without_graphviz_the_map_page_still_lists_every_arrow(db, client, monkeypatch):
    """If `dot` fails (missing, crashed or too slow), the page says the picture could not be drawn and its
    text still lists every arrow."""

    def failing(*args, **kwargs):
        raise subprocess.TimeoutExpired(cmd="dot", timeout=10)

    monkeypatch.setattr(subprocess, "run", failing)
    html = client.get("/areas/cheshire-west-and-chester/map/").content.decode()
    assert "The picture could not be drawn" in html
    assert 'data-edge-id="' in html and "LSCB presents its annual report to Health and Wellbeing Board" in html


@pytest.mark.parametrize("include_drafts", [False, True], ids=["agreed", "with drafts"])
def test_a_boards_own_map_is_its_areas_whole_map_seen_from_it(db, include_drafts):
    """board_graph reads only the records that name the board (and the rest as ids): for every demo board, with
    and without drafts, it is exactly the whole map of its areas focused on it, labels told apart alike."""
    # The whole map of the same areas is read once for all their boards: the scope it is given only
    # becomes its "scope" entry, which is set for each board.
    wholes = {}
    for board in Board.objects.prefetch_related("areas").order_by("slug"):
        areas = list(board.areas.all())
        scope = {"type": "board", "slug": board.slug, "name": board.name, "drafts": include_drafts}
        key = tuple(area.pk for area in areas)
        if key not in wholes:
            wholes[key] = _areas_graph(areas, scope, include_drafts=include_drafts, with_memberships=True)
        whole = {**wholes[key], "scope": scope}
        assert board_graph(board, areas, include_drafts=include_drafts) == focus_graph(
            whole, board_node_id(board.pk)
        ), board.slug
