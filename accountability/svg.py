"""The accountability map drawn by Graphviz, for the page, the board page and the PDF alike.

The graph (graph.py) has one edge per record; the picture merges them: every edge between the same
two nodes in the same direction becomes one arrow whose label lists its kinds (with an obligation's
due months, else how often), "meets with" between two nodes already joined by an arrow joins that
arrow's label, and a meeting of three or more is one box joined to each participant (`Hub`).
Memberships are not drawn: they are a table beside the picture (`memberships`). On paper (`PRINT`)
the labels give way to numbers that the list under the diagram spells out.

Graphviz's `dot` only places things: this module measures every label itself (with DejaVu Sans's
advance widths, wider than Arial and Liberation Sans, so the boxes hold the text in any of the three),
hands `dot` boxes of those sizes, reads the positions back from its SVG, and writes its own SVG from
them: nothing in `dot`'s output is copied through, so the markup carries only what is written here,
escaped here, with links, titles and classes. The output of `dot` is cached, keyed by its input.
"""

import hashlib
import logging
import re
import shutil
import subprocess
import textwrap
from calendar import month_abbr
from dataclasses import dataclass, field
from html import escape
from xml.etree import ElementTree

import graphviz
from django.core.cache import cache

from .graph import KIND_ORDER, KIND_STYLES, UNDIRECTED, Kind
from .models import join_labels

logger = logging.getLogger(__name__)

# Kinds where the subject sits below the object (it reports upwards) ...
UPWARD = {
    Kind.REPORTS_TO,
    Kind.PRESENTS_ANNUAL_REPORT_TO,
    Kind.ACCOUNTABLE_TO,
    Kind.RECOMMENDS_TO,
    Kind.SUBORDINATE_TO,
}
# ... and kinds where it sits above (it holds the object to account). Other kinds don't rank.
DOWNWARD = {
    Kind.HOLDS_TO_ACCOUNT,
    Kind.SCRUTINISES,
    Kind.OVERSEES,
    Kind.APPOINTS_AND_REMOVES,
    Kind.EXECUTIVE_RESPONSIBILITY_FOR,
}

FONT = "Arial, Helvetica, sans-serif"
# The PDF embeds only the DejaVu faces its stylesheet uses; naming one here keeps the diagram from
# pulling in a further face (and its subsetting) for the same look.
PRINT_FONT = "DejaVu Sans, sans-serif"
DOT_TIMEOUT = 10  # seconds; the busiest demo map takes a few hundredths
CACHE_SECONDS = 24 * 60 * 60
TEXT = "#0b0c0c"


@dataclass(frozen=True)
class Sizes:
    """Font sizes in SVG units, which the page shows as CSS pixels (1:1 on a desktop screen)."""

    node: int = 16  # a node's short label, bold
    name: int = 13  # a board's full name under it
    label: int = 14  # an arrow's label
    line_height: float = 1.3
    label_chars: int = 22  # an arrow label's lines wrap at this many characters
    name_chars: int = 24
    # On paper, where the picture is shrunk to the page, each arrow and meeting carries a number that the
    # list under the picture spells out, and boards their short names only (the list gives full names).
    numbered: bool = False


SCREEN = Sizes()
PRINT = Sizes(node=15, label=15, name_chars=18, numbered=True)


# Advance widths in thousandths of an em for ASCII 32-126, regular and bold: DejaVu Sans, which is
# wider than Arial and Liberation Sans, so a box measured with them holds the text in any of them.
_WIDTHS = (
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636,
    636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775,
    752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390,
    337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612,
    635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
)  # fmt: skip
_BOLD_WIDTHS = (
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696,
    696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821,
    837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457,
    365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687,
    716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
)  # fmt: skip


def text_width(text, size, *, bold=False):
    """Width in pixels of `text` at font size `size`; characters outside ASCII count as a full em."""
    table = _BOLD_WIDTHS if bold else _WIDTHS
    return size * sum(table[ord(ch) - 32] if 32 <= ord(ch) < 127 else 1000 for ch in text) / 1000


# Merging edges into arrows ------------------------------------------------------------------


@dataclass
class Line:
    """One kind on an arrow's label: 'presents its annual report to (Sep-Nov)', and the edges it stands for."""

    kind: str
    text: str
    edges: list

    @property
    def url(self):
        return next((e["clause"]["url"] for e in self.edges if e["clause"]), "")

    @property
    def sentence(self):
        return "; ".join(_edge_sentence(e) for e in self.edges)


@dataclass
class Arrow:
    """Every edge between two nodes in one direction, drawn once."""

    id: str
    source: str
    target: str
    directed: bool
    edges: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    source_label: str = ""
    target_label: str = ""
    number: int = 0  # its place in the order drawn, which numbered pictures print on it

    @property
    def kind(self):
        """The kind that decides its colour and which end sits higher: the first in the key's order."""
        directed = [e["kind"] for e in self.edges if e["kind"] not in UNDIRECTED] or [e["kind"] for e in self.edges]
        return min(directed, key=_kind_rank)

    @property
    def change(self):
        changes = {e["change"] for e in self.edges}
        return changes.pop() if len(changes) == 1 else None

    @property
    def edge_ids(self):
        return [e["id"] for e in self.edges]


@dataclass
class Hub:
    """A meeting of three or more: one box joined to each participant, rather than a line between every pair."""

    id: str
    title: str
    when: str
    participants: list
    edges: list = field(default_factory=list)
    labels: list = field(default_factory=list)  # the participants' labels, for the text
    number: int = 0

    @property
    def edge_ids(self):
        return [e["id"] for e in self.edges]

    @property
    def sentence(self):
        return f"{join_labels(self.labels)} meet: {self.title}" + (f", {self.when}" if self.when else "")


_MEETING = re.compile(r"^meeting-(\d+)-")


def hubs(graph):
    """Meetings of three or more participants, each drawn as one box (see `Hub`)."""
    found = {}
    for edge in graph["edges"]:
        match = _MEETING.match(edge["id"])
        if not match:
            continue
        hub = found.setdefault(
            match.group(1),
            Hub(f"meeting-{match.group(1)}", edge["details"][0] if edge["details"] else "", edge.get("when", ""), []),
        )
        hub.edges.append(edge)
        for end in (edge["source"], edge["target"]):
            if end not in hub.participants:
                hub.participants.append(end)
    labels = {n["id"]: n["label"] for n in graph["nodes"]}
    result = [hub for hub in found.values() if len(hub.participants) >= 3]
    for hub in result:
        hub.labels = [labels[p] for p in hub.participants]
    return result


def numbered(graph):
    """The arrows and meeting boxes a picture of `graph` draws, numbered in the order drawn: (arrows, hubs)."""
    drawn_hubs = hubs(graph)
    drawn_arrows = arrows(graph, {edge_id for hub in drawn_hubs for edge_id in hub.edge_ids})
    for number, item in enumerate([*drawn_arrows, *drawn_hubs], start=1):
        item.number = number
    return drawn_arrows, drawn_hubs


def _kind_rank(kind):
    return next((i for i, k in enumerate(KIND_ORDER) if str(k) == kind), len(KIND_ORDER))


def _edge_sentence(edge):
    return edge["sentence"] + (f" (the draft {edge['change']} this)" if edge["change"] else "")


def short_months(window):
    """'Sep–Nov', 'Jun': due months short enough to sit on an arrow."""
    if not window:
        return ""
    start, end = month_abbr[window["start"]], month_abbr[window["end"]]
    return start if start == end else f"{start}–{end}"


def arrows(graph, hubbed=()):
    """The graph's edges merged into arrows, in a stable order; memberships are left to the table, and the
    edges of meetings drawn as hubs (`hubbed`, edge ids) to their hubs."""
    directed, undirected = {}, {}
    for edge in graph["edges"]:
        if edge["kind"] == Kind.MEMBER_OF or edge["id"] in hubbed:
            continue
        if edge["directed"]:
            key = (edge["source"], edge["target"])
            directed.setdefault(key, Arrow(f"arrow-{key[0]}-{key[1]}", *key, True)).edges.append(edge)
        else:
            key = tuple(sorted((edge["source"], edge["target"])))
            undirected.setdefault(key, Arrow(f"arrow-{key[0]}-{key[1]}-both", *key, False)).edges.append(edge)
    for (first, second), arrow in undirected.items():
        # Two boards that meet and report to each other: one arrow says both.
        host = directed.get((first, second)) or directed.get((second, first))
        if host:
            host.edges.extend(arrow.edges)
        else:
            directed[(first, second, "both")] = arrow
    labels = {n["id"]: n["label"] for n in graph["nodes"]}
    result = list(directed.values())
    for arrow in result:
        arrow.lines = _lines(arrow.edges)
        arrow.source_label, arrow.target_label = labels[arrow.source], labels[arrow.target]
    return result


def text_groups(graph, drawn_arrows):
    """[(node, [arrows])]: each arrow under the node it leaves, boards first (the focused board before all)."""
    by_source = {}
    for arrow in drawn_arrows:
        by_source.setdefault(arrow.source, []).append(arrow)
    nodes = sorted(graph["nodes"], key=lambda n: n["id"] != graph.get("focus"))
    return [
        (node, sorted(by_source[node["id"]], key=lambda a: a.target_label.lower()))
        for node in nodes
        if node["id"] in by_source
    ]


def _lines(edges):
    grouped = {}
    for edge in edges:
        grouped.setdefault((edge["kind"], edge["label"], edge["change"] or ""), []).append(edge)
    lines = []
    for (kind, label, change), members in sorted(grouped.items(), key=lambda item: (_kind_rank(item[0][0]), item[0])):
        months = list(
            # .get: a version's record of what was agreed keeps a map drawn before edges said when.
            dict.fromkeys(
                short_months(e.get("window")) or e.get("when") for e in members if e.get("window") or e.get("when")
            )
        )
        if kind == Kind.PRESENTS_ANNUAL_REPORT_TO:
            months = [m for m in months if m != "annually"]  # "its annual report (annually)" says it twice
        text = label + (f" ({', '.join(months)})" if months else "")
        text += {"added": " [draft adds]", "removed": " [draft removes]"}.get(change, "")
        lines.append(Line(kind, text, members))
    return lines


def memberships(graph):
    """The membership edges, which the picture does not draw, as rows for the table beside it:
    {edge, post, board, capacity}, by post then board."""
    rows = []
    for edge in graph["edges"]:
        if edge["kind"] != Kind.MEMBER_OF:
            continue
        capacity = next((d.removeprefix("as ") for d in edge["details"] if d.startswith("as ")), "member")
        rows.append({"edge": edge, "post": edge["source_label"], "board": edge["target_label"], "capacity": capacity})
    return sorted(rows, key=lambda r: (r["post"].lower(), r["board"].lower()))


def drawn_nodes(graph, drawn_arrows, drawn_hubs=()):
    """The boards and posts an arrow touches; a map without arrows shows its boards.

    Posts linked only by membership are in the table, and boards no arrow touches are named under
    the picture (`Drawing.unlinked`): a row of unconnected boxes would only widen the picture.
    """
    linked = {a.source for a in drawn_arrows} | {a.target for a in drawn_arrows}
    linked |= {p for hub in drawn_hubs for p in hub.participants}
    if not linked:
        return [n for n in graph["nodes"] if n["type"] == "board"]
    return [n for n in graph["nodes"] if n["id"] in linked]


# Asking Graphviz where things go --------------------------------------------------------------


@dataclass
class Box:
    id: str
    rows: list  # [(text, size, bold)]
    width: float
    height: float
    x: float = 0.0  # top left, once placed
    y: float = 0.0


def _node_box(node, sizes):
    rows = [(text, sizes.node, True) for text in textwrap.wrap(node["label"], sizes.name_chars)]
    if node["type"] == "board" and node["name"] != node["label"] and not sizes.numbered:
        rows += [(text, sizes.name, False) for text in textwrap.wrap(node["name"], sizes.name_chars)]
    return _box(node["id"], rows, sizes, pad_x=14, pad_y=9)


def _label_box(arrow, sizes):
    if sizes.numbered:
        return _box(arrow.id, [(str(arrow.number), sizes.label, True, -1)], sizes, pad_x=6, pad_y=2)
    rows = []
    for index, line in enumerate(arrow.lines):
        rows += [(text, sizes.label, False, index) for text in textwrap.wrap(line.text, sizes.label_chars)]
    return _box(arrow.id, rows, sizes, pad_x=5, pad_y=3)


def _box(box_id, rows, sizes, *, pad_x, pad_y):
    width = max(text_width(row[0], row[1], bold=row[2]) for row in rows) + 2 * pad_x
    height = sum(row[1] * sizes.line_height for row in rows) + 2 * pad_y
    return Box(box_id, rows, round(width + 0.5), round(height + 0.5))


def dot_source(nodes, drawn_arrows, node_boxes, label_boxes, *, rankdir="BT", focus=None, drawn_hubs=()):
    """The DOT text: fixed-size boxes for nodes, meetings and arrow labels, each with the id it is read back by."""
    dot = graphviz.Digraph(
        graph_attr={"rankdir": rankdir, "nodesep": "0.35", "ranksep": "0.45", "pad": "0.15", "margin": "0"},
        node_attr={"shape": "box", "fixedsize": "true", "label": ""},
        edge_attr={"color": "#000001", "arrowsize": "0.9"},
    )
    for node in nodes:
        box = node_boxes[node["id"]]
        dot.node(node["id"], id=node["id"], width=_inches(box.width), height=_inches(box.height))
    for arrow in drawn_arrows:
        box = label_boxes[arrow.id]
        label = (
            '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0" BGCOLOR="#fffffe"><TR>'
            f'<TD FIXEDSIZE="TRUE" WIDTH="{box.width}" HEIGHT="{box.height}"> </TD></TR></TABLE>>'
        )
        attrs = {"id": arrow.id, "label": label}
        tail, head = arrow.source, arrow.target
        if not arrow.directed:
            attrs["dir"] = "none"
        elif arrow.kind in DOWNWARD:
            # Drawn from the object up to the subject, so the one who holds to account sits higher.
            tail, head, attrs["dir"] = head, tail, "back"
        if arrow.change == "removed" or arrow.kind not in UPWARD | DOWNWARD:
            attrs["constraint"] = "false"
        if focus and focus in (arrow.source, arrow.target):
            attrs["weight"] = "3"
        dot.edge(tail, head, **attrs)
    for hub in drawn_hubs:
        box = node_boxes[hub.id]
        dot.node(hub.id, id=hub.id, width=_inches(box.width), height=_inches(box.height))
        for participant in hub.participants:
            dot.edge(hub.id, participant, id=f"{hub.id}--{participant}", dir="none", constraint="false")
    return dot.source


def _inches(points):
    return f"{points / 72:.4f}"


def run_dot(source):
    """`dot -Tsvg` on `source`, cached by its content; None when Graphviz is missing, fails or takes too long."""
    key = "map-dot:" + hashlib.sha256(source.encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return cached
    executable = shutil.which("dot")
    if executable is None:
        logger.error("Graphviz's dot is not installed: maps are drawn as text only")
        return None
    try:
        done = subprocess.run(  # noqa: S603 - a fixed executable; the DOT text arrives on standard input
            [executable, "-Tsvg"], input=source.encode(), capture_output=True, timeout=DOT_TIMEOUT, check=True
        )
    except (subprocess.TimeoutExpired, subprocess.CalledProcessError) as error:
        logger.error("Graphviz could not lay out a map: %s", error)
        return None
    output = done.stdout.decode()
    cache.set(key, output, CACHE_SECONDS)
    return output


_SVG = "{http://www.w3.org/2000/svg}"
_PAIR = re.compile(r"(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)")


@dataclass
class Placed:
    """What `dot` decided: the canvas, node and label boxes (x, y, width, height), arrow paths and heads."""

    width: float
    height: float
    nodes: dict = field(default_factory=dict)
    labels: dict = field(default_factory=dict)
    paths: dict = field(default_factory=dict)
    heads: dict = field(default_factory=dict)


def read_positions(svg_text):
    """Positions from `dot`'s SVG, moved into a canvas whose top left is (0, 0); only numbers are kept."""
    root = ElementTree.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", svg_text, count=1))
    view = [float(n) for n in root.get("viewBox").split()]
    graph = root.find(f"{_SVG}g")
    match = re.search(r"translate\((-?[\d.]+) (-?[\d.]+)\)", graph.get("transform", ""))
    dx, dy = (float(match.group(1)), float(match.group(2))) if match else (0.0, 0.0)
    placed = Placed(view[2], view[3])

    def points(text):
        return [(float(x) + dx, float(y) + dy) for x, y in _PAIR.findall(text)]

    for group in graph.findall(f"{_SVG}g"):
        kind, element_id = group.get("class"), group.get("id")
        polygons = group.findall(f"{_SVG}polygon")
        if kind == "node" and polygons:
            placed.nodes[element_id] = _bounds(points(polygons[0].get("points")))
        elif kind == "edge":
            path = group.find(f"{_SVG}path")
            placed.paths[element_id] = points(path.get("d")) if path is not None else []
            placed.heads[element_id] = []
            for polygon in polygons:
                corners = points(polygon.get("points"))
                if polygon.get("fill") == "#fffffe":
                    placed.labels[element_id] = _bounds(corners)
                else:
                    placed.heads[element_id].append(corners)
    return placed


def _bounds(corners):
    xs, ys = [x for x, _y in corners], [y for _x, y in corners]
    return (min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


# Writing the SVG ------------------------------------------------------------------------------


@dataclass
class Drawing:
    """A map ready to show: the SVG, the arrows it draws and the membership rows the table beside it lists."""

    svg: str
    arrows: list
    memberships: list
    width: float = 0.0
    height: float = 0.0
    drawn: bool = True
    unlinked: list = field(default_factory=list)  # boards the picture leaves out, as no arrow touches them
    hubs: list = field(default_factory=list)


def _f(value):
    return f"{value:.1f}".rstrip("0").rstrip(".")


def draw(graph, *, title="Accountability map", links=True, id_prefix="map", font=FONT, sizes=SCREEN, fit=None):
    """The graph drawn: SVG and what it shows, bottom to top (who reports sits below whom it reports to).

    With `fit`, a (width, height) box the picture will be shrunk into (a printed page), it is laid out
    both bottom to top and left to right, and the one shrunk least wins.
    """
    rankdirs = ("BT", "LR") if fit else ("BT",)
    drawn_arrows, drawn_hubs = numbered(graph)
    nodes = drawn_nodes(graph, drawn_arrows, drawn_hubs)
    node_boxes = {n["id"]: _node_box(n, sizes) for n in nodes}
    for hub in drawn_hubs:
        rows = [(text, sizes.label, True) for text in textwrap.wrap(hub.title or "Meeting", sizes.name_chars)]
        rows += [(hub.when, sizes.label, False)] if hub.when else []
        if sizes.numbered:
            rows = [(f"Meeting {hub.number}", sizes.label, True)]
        node_boxes[hub.id] = _box(hub.id, rows, sizes, pad_x=10, pad_y=6)
    label_boxes = {a.id: _label_box(a, sizes) for a in drawn_arrows}
    focus = graph.get("focus")
    best = None
    for rankdir in rankdirs:
        source = dot_source(
            nodes, drawn_arrows, node_boxes, label_boxes, rankdir=rankdir, focus=focus, drawn_hubs=drawn_hubs
        )
        output = run_dot(source)
        if output is None:
            continue
        placed = read_positions(output)
        if best is None or shrink(placed.width, placed.height, fit) > shrink(best.width, best.height, fit):
            best = placed
    rows = memberships(graph)
    unlinked = [n for n in graph["nodes"] if n["type"] == "board" and n["id"] not in node_boxes]
    if best is None:
        svg = _unavailable(title, id_prefix, font)
        return Drawing(svg, drawn_arrows, rows, drawn=False, unlinked=unlinked, hubs=drawn_hubs)
    svg = _write(
        graph, best, nodes, drawn_arrows, drawn_hubs, node_boxes, label_boxes, title, links, id_prefix, font, sizes
    )
    return Drawing(svg, drawn_arrows, rows, best.width, best.height, unlinked=unlinked, hubs=drawn_hubs)


def shrink(width, height, box):
    """How much a picture of this size is scaled to fit in `box` (1 when it fits, or when there is no box)."""
    if not box:
        return 1.0
    return min(1.0, box[0] / width, box[1] / height)


def render_svg(graph, **options):
    """The graph as a standalone SVG string (see `draw`)."""
    return draw(graph, **options).svg


def _unavailable(title, id_prefix, font):
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="accountability-svg" viewBox="0 0 480 40" width="480"'
        f' height="40" role="img" aria-labelledby="{id_prefix}-title" font-family="{escape(font)}">'
        f'<title id="{id_prefix}-title">{escape(title)}</title>'
        f'<text x="8" y="24" font-size="14" fill="{TEXT}">The picture could not be drawn: the list of arrows says it all.</text>'
        "</svg>"
    )


def _write(
    graph, placed, nodes, drawn_arrows, drawn_hubs, node_boxes, label_boxes, title, links, id_prefix, font, sizes
):
    width, height = placed.width, placed.height
    styles = {kind: KIND_STYLES[kind] for kind in KIND_STYLES}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="accountability-svg" viewBox="0 0 {_f(width)} {_f(height)}"'
        f' width="{_f(width)}" height="{_f(height)}" role="group" aria-labelledby="{id_prefix}-title"'
        f' font-family="{escape(font)}">',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<rect class="accountability-svg__background" width="{_f(width)}" height="{_f(height)}" fill="#ffffff"/>',
        '<g class="accountability-svg__arrows">',
    ]
    for arrow in drawn_arrows:
        colour, dash = styles[arrow.kind]
        if arrow.change == "removed":
            dash = "2 6"
        stroke_width = "3.5" if arrow.change == "added" else "2"
        path = placed.paths.get(arrow.id, [])
        if not path:
            continue
        d = (
            "M"
            + " ".join(f"{_f(x)},{_f(y)}" for x, y in path[:1])
            + " C"
            + " ".join(f"{_f(x)},{_f(y)}" for x, y in path[1:])
        )
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        heads = "".join(
            f'<polygon points="{" ".join(f"{_f(x)},{_f(y)}" for x, y in corners)}" fill="{colour}" stroke="{colour}"/>'
            for corners in placed.heads.get(arrow.id, [])
        )
        classes = f"accountability-svg__arrow accountability-svg__arrow--{arrow.kind}"
        attrs = (
            f'class="{classes}" data-arrow-id="{escape(arrow.id)}" data-from="{arrow.source}" data-to="{arrow.target}"'
            f' data-edge-ids="{escape(" ".join(arrow.edge_ids))}"'
            f' data-kinds="{escape(" ".join(dict.fromkeys(e["kind"] for e in arrow.edges)))}"'
        )
        if arrow.change:
            attrs += f' data-change="{arrow.change}"'
        sentence = "; ".join(line.sentence for line in arrow.lines)
        body = (
            f"<title>{escape(sentence)}</title>"
            f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="{stroke_width}"{dash_attr}/>{heads}'
        )
        url = next((line.url for line in arrow.lines if line.url), "")
        if links and url:
            # The line itself opens its first clause with a pointer, along a wide invisible twin that is
            # easy to hit; keyboards and screen readers reach each clause through the label's own links.
            hit = f'<path d="{d}" fill="none" stroke="#ffffff" stroke-opacity="0" stroke-width="12"/>'
            out.append(f'<a href="{escape(url)}" tabindex="-1" aria-hidden="true"><g {attrs}>{body}{hit}</g></a>')
        else:
            out.append(f"<g {attrs}>{body}</g>")

    colour, dash = styles[Kind.MEETS_WITH]
    for hub in drawn_hubs:
        paths = "".join(
            f'<path d="{_path(placed.paths[f"{hub.id}--{p}"])}" fill="none" stroke="{colour}" stroke-width="2"'
            f' stroke-dasharray="{dash}"/>'
            for p in hub.participants
            if placed.paths.get(f"{hub.id}--{p}")
        )
        out.append(
            f'<g class="accountability-svg__arrow accountability-svg__arrow--meets_with" data-hub-id="{hub.id}">'
            f"<title>{escape(hub.sentence)}</title>{paths}</g>"
        )
    out.append("</g>")

    out.append('<g class="accountability-svg__labels">')
    for arrow in drawn_arrows:
        if arrow.id not in placed.labels:
            continue
        x, y, w, h = placed.labels[arrow.id]
        colour = styles[arrow.kind][0]
        parts = [
            f'<g class="accountability-svg__label" data-label-for="{escape(arrow.id)}">'
            f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(w)}" height="{_f(h)}" rx="3" fill="#ffffff"'
            f' stroke="{colour}" stroke-width="1"/>'
        ]
        rows = label_boxes[arrow.id].rows
        top = y + (h - sum(r[1] * sizes.line_height for r in rows)) / 2
        if sizes.numbered:
            sentence = "; ".join(line.sentence for line in arrow.lines)
            texts = _rows([row[:3] for row in rows], x, y, w, h, sizes)
            parts.append(f'<g class="accountability-svg__number"><title>{escape(sentence)}</title>{texts}</g>')
        for index, line in enumerate([] if sizes.numbered else arrow.lines):
            # An invisible box over the line's rows, so a click between its letters still follows its link.
            line_height = sum(row[1] * sizes.line_height for row in rows if row[3] == index)
            texts = [
                f'<rect x="{_f(x)}" y="{_f(top)}" width="{_f(w)}" height="{_f(line_height)}" fill="#ffffff"'
                ' fill-opacity="0"/>'
            ]
            for text, size, _bold, owner in rows:
                if owner == index:
                    baseline = top + size * (sizes.line_height + 0.75) / 2
                    texts.append(
                        f'<text x="{_f(x + w / 2)}" y="{_f(baseline)}" text-anchor="middle" font-size="{size}"'
                        f' fill="{TEXT}">{escape(text)}</text>'
                    )
                top += size * sizes.line_height if owner == index else 0
            line_attrs = (
                f'class="accountability-svg__line" data-edge-ids="{escape(" ".join(e["id"] for e in line.edges))}"'
                f' data-kind="{escape(line.kind)}"'
            )
            if links and line.url:
                parts.append(
                    f'<a href="{escape(line.url)}" {line_attrs} aria-label="{escape(line.sentence)}">'
                    f"<title>{escape(line.sentence)}</title>{''.join(texts)}</a>"
                )
            else:
                parts.append(f"<g {line_attrs}><title>{escape(line.sentence)}</title>{''.join(texts)}</g>")
        parts.append("</g>")
        out.append("".join(parts))
    out.append("</g>")

    out.append('<g class="accountability-svg__nodes">')
    focus = graph.get("focus")
    for node in nodes:
        if node["id"] not in placed.nodes:
            continue
        x, y, w, h = placed.nodes[node["id"]]
        board = node["type"] == "board"
        fill = "#fff7bf" if node["id"] == focus else ("#f3f2f1" if board else "#ffffff")
        stroke_width = "3" if node["id"] == focus else ("2" if board else "1.5")
        shape = (
            f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(w)}" height="{_f(h)}" rx="{"3" if board else "14"}"'
            f' fill="{fill}" stroke="{TEXT if board else "#505a5f"}" stroke-width="{stroke_width}"/>'
        )
        texts = _rows(node_boxes[node["id"]].rows, x, y, w, h, sizes)
        name = f"{node['name']} ({node['kind_label']})"
        group = (
            f'<g class="accountability-svg__node accountability-svg__node--{node["type"]}" data-node-id="{node["id"]}">'
            f"<title>{escape(name)}</title>{shape}{texts}</g>"
        )
        if links and node["url"]:
            group = f'<a href="{escape(node["url"])}" aria-label="{escape(node["name"])}: its page">{group}</a>'
        out.append(group)
    for hub in drawn_hubs:
        if hub.id not in placed.nodes:
            continue
        x, y, w, h = placed.nodes[hub.id]
        rows = node_boxes[hub.id].rows
        texts = _rows(rows, x, y, w, h, sizes)
        group = (
            f'<g class="accountability-svg__hub" data-hub-id="{hub.id}"'
            f' data-edge-ids="{escape(" ".join(hub.edge_ids))}"><title>{escape(hub.sentence)}</title>'
            f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(w)}" height="{_f(h)}" rx="{_f(h / 2)}" fill="#ffffff"'
            f' stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/>{texts}</g>'
        )
        clause = next((e["clause"] for e in hub.edges if e["clause"]), None)
        if links and clause:
            group = f'<a href="{escape(clause["url"])}" aria-label="{escape(hub.sentence)}">{group}</a>'
        out.append(group)
    out.append("</g>")
    out.append("</svg>")
    return "".join(out)


def _path(points):
    """An SVG path through `dot`'s points: a start, then cubic Bézier segments."""
    return (
        "M"
        + " ".join(f"{_f(x)},{_f(y)}" for x, y in points[:1])
        + " C"
        + " ".join(f"{_f(x)},{_f(y)}" for x, y in points[1:])
    )


def _rows(rows, x, y, w, h, sizes):
    """Centred lines of text in a box."""
    top = y + (h - sum(r[1] * sizes.line_height for r in rows)) / 2
    texts = []
    for text, size, bold in rows:
        baseline = top + size * (sizes.line_height + 0.75) / 2
        weight = ' font-weight="bold"' if bold else ""
        texts.append(
            f'<text x="{_f(x + w / 2)}" y="{_f(baseline)}" text-anchor="middle" font-size="{size}"{weight}'
            f' fill="{TEXT}">{escape(text)}</text>'
        )
        top += size * sizes.line_height
    return "".join(texts)
