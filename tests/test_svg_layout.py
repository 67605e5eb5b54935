"""The server-side map's layout: on every demo area and protocol version, each arrow's label (or the
numbered badge standing in for it) sits in a box of its own, clear of every other label and every node."""

import io
import re
from html import unescape
from itertools import combinations

from django.core.management import call_command

from accountability.graph import area_graph, version_graph
from accountability.svg import render_svg, text_width
from boards.models import Area
from protocols.models import ProtocolVersion

BOX = r'<rect x="([-\d.]+)" y="([-\d.]+)" width="([\d.]+)" height="([\d.]+)"'


def demo_drawings():
    """(name, graph, svg) for each demo area's map and each demo version's diagram."""
    call_command("load_demo", stdout=io.StringIO())
    graphs = [(area.slug, area_graph(area)) for area in Area.objects.order_by("slug")]
    graphs += [
        (f"{v.protocol.slug} v{v.number}", version_graph(v))
        for v in ProtocolVersion.objects.select_related("protocol").order_by("protocol__slug", "number")
    ]
    return [(name, graph, render_svg(graph)) for name, graph in graphs]


def boxes(svg, attribute):
    """{id: (x, y, width, height)} of the first rect inside each element carrying `attribute`."""
    found = re.findall(rf'{attribute}="([^"]+)">(?:<title>[^<]*</title>)?(?:<line [^>]*/>)?{BOX}', svg)
    return {key: tuple(float(n) for n in numbers) for key, *numbers in found}


def overlap(a, b):
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def test_on_demo_maps_label_boxes_clear_each_other_and_the_nodes(db):
    """On every demo map and diagram (Knowsley, Tri-borough and Cheshire West's busy ones among them), every
    arrow has a label box as wide as its text, no two label boxes overlap and none covers a node."""
    drawings = demo_drawings()
    assert {"knowsley", "westminster", "cheshire-west-and-chester"} <= {name for name, _graph, _svg in drawings}
    assert max(len(graph["edges"]) for _name, graph, _svg in drawings) > 50
    for name, graph, svg in drawings:
        labels = boxes(svg, "data-label-for")
        nodes = boxes(svg, "data-node-id")
        assert set(labels) == {e["id"] for e in graph["edges"]}, name
        assert set(nodes) == {n["id"] for n in graph["nodes"]}, name
        for (first, a), (second, b) in combinations(labels.items(), 2):
            assert not overlap(a, b), f"{name}: labels of {first} and {second} overlap"
        for edge_id, label in labels.items():
            for node_id, node in nodes.items():
                assert not overlap(label, node), f"{name}: label of {edge_id} covers {node_id}"
        texts = re.findall(r'class="accountability-svg__label" data-label-for="([^"]+)">.*?>([^<>]+)</text>', svg)
        for edge_id, text in texts:
            assert labels[edge_id][2] >= text_width(unescape(text), 11), f"{name}: {text} spills out of its box"


def test_numbered_badges_are_spelt_out_under_the_key():
    """A label that fits nowhere becomes a numbered badge, and the key says which arrow the number is."""
    nodes = [
        {"id": f"n{i}", "type": "board", "label": f"B{i}", "name": f"Board {i}", "kind_label": "Board"} for i in (1, 2)
    ]
    edges = [
        {
            "id": f"e{i}",
            "kind": "presents_annual_report_to",
            "label": "presents its annual report to",
            "source": "n1",
            "target": "n2",
            "directed": True,
            "sentence": "B1 presents its annual report to B2",
            "clause": None,
            "change": None,
        }
        for i in range(16)
    ]
    kinds = [{"kind": "presents_annual_report_to", "label": "presents", "colour": "#003078", "dash": ""}]
    svg = render_svg({"nodes": nodes, "edges": edges, "kinds": kinds, "protocols": [], "scope": {}})
    assert 'class="accountability-svg__badge"' in svg
    assert "Numbered arrows" in svg and "B1 presents its annual report to B2" in svg
    labels = list(boxes(svg, "data-label-for").values())
    assert len(labels) == 16
    assert not any(overlap(a, b) for a, b in combinations(labels, 2))
