"""The accountability map drawn on the server as SVG: no JavaScript, so it works in every browser,
in the PDF export and for readers who turn scripts off.

The layout is a small layered (Sugiyama-style) one computed here: break cycles, rank nodes so
that whoever is reported to sits above whoever reports, order each rank to reduce crossings,
then draw arrows as curves, fanning out parallel arrows between the same two nodes.
"""

import hashlib
import math
from dataclasses import dataclass, field
from html import escape

from .graph import KIND_LABELS, UNDIRECTED, Kind

# Kinds where the subject sits below the object (it reports upwards) ...
UPWARD = {
    Kind.REPORTS_TO,
    Kind.PRESENTS_ANNUAL_REPORT_TO,
    Kind.ACCOUNTABLE_TO,
    Kind.MEMBER_OF,
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

NODE_HEIGHT = 40
NODE_GAP = 48
RANK_GAP = 130
ROW_GAP = 90
MAX_ROW_WIDTH = 1000
MARGIN = 24
LEGEND_COLUMN = 250
FONT = "Arial, Helvetica, sans-serif"
# The PDF embeds only the DejaVu faces its stylesheet uses; naming one here keeps the diagram from
# pulling in a further face (and its subsetting) for the same look.
PRINT_FONT = "DejaVu Sans, sans-serif"

LABEL_SIZE = 11
LABEL_HEIGHT = 15
# Along each arrow, where its label may sit (fractions of the curve), middle first.
LABEL_STEPS = (0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82)
# Wider layouts tried, in turn, while some label fits nowhere along its arrow.
SPACINGS = (1.0, 1.3)

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


def _node_width(node):
    return max(88, round(text_width(node["label"], 13, bold=True) + 28))


def _ranking_pairs(graph):
    """(higher, lower) node id pairs: the first should sit on a rank above the second."""
    pairs = []
    for edge in graph["edges"]:
        if edge["change"] == "removed" or edge["source"] == edge["target"] or not edge["directed"]:
            continue
        if edge["kind"] in UPWARD:
            pairs.append((edge["target"], edge["source"]))
        elif edge["kind"] in DOWNWARD:
            pairs.append((edge["source"], edge["target"]))
    return pairs


def _ranks(node_ids, graph):
    """Longest-path ranks after dropping the pairs that would close a cycle."""
    pairs = _ranking_pairs(graph)
    below = {n: [] for n in node_ids}
    for high, low in dict.fromkeys(pairs):
        if high in below and low in below:
            below[high].append(low)
    # Depth-first search; an edge back to a node still on the stack would close a cycle: drop it.
    state, order, acyclic = {}, [], {n: [] for n in node_ids}
    for root in node_ids:
        if root in state:
            continue
        stack = [(root, iter(below[root]))]
        state[root] = "open"
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = "done"
                order.append(node)
                stack.pop()
            elif state.get(child) == "open":
                continue
            else:
                acyclic[node].append(child)
                if child not in state:
                    state[child] = "open"
                    stack.append((child, iter(below[child])))
    rank = dict.fromkeys(node_ids, 0)
    for node in reversed(order):  # reverse post-order is a topological order
        for child in acyclic[node]:
            rank[child] = max(rank[child], rank[node] + 1)
    # A node no ranking arrow touches sits with the first neighbour it has, so it isn't stranded on top.
    constrained = {n for pair in pairs for n in pair}
    for edge in graph["edges"]:
        for mine, other in ((edge["source"], edge["target"]), (edge["target"], edge["source"])):
            if mine not in constrained and other in constrained and mine in rank:
                rank[mine] = rank[other]
                constrained.add(mine)
    return rank


def _order(ranks, node_ids, graph):
    """Nodes per rank, reordered by the barycentre of their neighbours to reduce crossings."""
    layers = {}
    for node in node_ids:
        layers.setdefault(ranks[node], []).append(node)
    layer_list = [layers[r] for r in sorted(layers)]
    neighbours = {n: [] for n in node_ids}
    for edge in graph["edges"]:
        if edge["source"] in neighbours and edge["target"] in neighbours:
            neighbours[edge["source"]].append(edge["target"])
            neighbours[edge["target"]].append(edge["source"])
    for sweep in range(6):
        indices = range(1, len(layer_list)) if sweep % 2 == 0 else range(len(layer_list) - 2, -1, -1)
        for i in indices:
            position = {n: p for layer in layer_list for p, n in enumerate(layer)}
            fixed = layer_list[i - 1] if sweep % 2 == 0 else layer_list[i + 1]
            fixed_set = set(fixed)

            def barycentre(node, fixed_set=fixed_set, position=position):
                linked = [position[n] for n in neighbours[node] if n in fixed_set]
                return sum(linked) / len(linked) if linked else position[node]

            layer_list[i] = sorted(layer_list[i], key=barycentre)
    return layer_list


def _rows(layer, widths, node_gap):
    """A rank's nodes split, in order, into rows no wider than MAX_ROW_WIDTH (one node at least per row)."""
    rows, row, width = [], [], 0
    for node in layer:
        extra = widths[node] + (node_gap if row else 0)
        if row and width + extra > MAX_ROW_WIDTH:
            rows.append(row)
            row, width, extra = [], 0, widths[node]
        row.append(node)
        width += extra
    return [*rows, row] if row else rows


def layout(graph, spacing=1.0):
    """{node id: (x centre, y centre, width, height)} and the canvas size; `spacing` widens the gaps.

    A rank too wide for a page wraps onto further rows, so a printed diagram keeps legible text.
    """
    node_gap, rank_gap = NODE_GAP * spacing, RANK_GAP * spacing
    node_ids = [n["id"] for n in graph["nodes"]]
    widths = {n["id"]: _node_width(n) for n in graph["nodes"]}
    layers = _order(_ranks(node_ids, graph), node_ids, graph)
    rows = []  # (nodes, gap above the row)
    for layer in layers:
        for index, row in enumerate(_rows(layer, widths, node_gap)):
            rows.append((row, 0 if not rows else (ROW_GAP * spacing if index else rank_gap)))
    row_widths = [sum(widths[n] for n in row) + node_gap * (len(row) - 1) for row, _gap in rows]
    canvas_width = max(row_widths, default=200) + 2 * MARGIN
    positions = {}
    y = MARGIN + 20 + NODE_HEIGHT / 2
    for (row, gap), width in zip(rows, row_widths, strict=True):
        y += gap
        x = MARGIN + (canvas_width - 2 * MARGIN - width) / 2
        for node in row:
            positions[node] = (x + widths[node] / 2, y, widths[node], NODE_HEIGHT)
            x += widths[node] + node_gap
    canvas_height = y + NODE_HEIGHT / 2 + MARGIN + 20 if rows else MARGIN * 2 + 40 + NODE_HEIGHT
    return positions, canvas_width, canvas_height


def _clip(centre, box, toward):
    """Where the line from a box's centre toward a point leaves the box."""
    cx, cy, w, h = box
    dx, dy = toward[0] - cx, toward[1] - cy
    if dx == 0 and dy == 0:
        return cx, cy
    scale = min(
        (w / 2 + 3) / abs(dx) if dx else float("inf"),
        (h / 2 + 3) / abs(dy) if dy else float("inf"),
    )
    return cx + dx * scale, cy + dy * scale


def _point(curve, t):
    """The point at `t` (0 to 1) along a quadratic curve (start, control, end)."""
    (x0, y0), (x1, y1), (x2, y2) = curve
    u = 1 - t
    return u * u * x0 + 2 * u * t * x1 + t * t * x2, u * u * y0 + 2 * u * t * y1 + t * t * y2


def _node_box(position, pad=0):
    cx, cy, w, h = position
    return (cx - w / 2 - pad, cy - h / 2 - pad, w + 2 * pad, h + 2 * pad)


def _overlap(a, b):
    """Whether two (x, y, width, height) boxes share any area."""
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _inside(point, box):
    return box[0] <= point[0] <= box[0] + box[2] and box[1] <= point[1] <= box[1] + box[3]


def _curve(edge, index, count, positions, first, shift):
    a, b = positions[edge["source"]], positions[edge["target"]]
    (ax, ay), (bx, by) = a[:2], b[:2]
    dx, dy = bx - ax, by - ay
    length = max((dx * dx + dy * dy) ** 0.5, 1)
    # Perpendicular measured from the pair's first node, so arrows both ways fan apart.
    sign = 1 if edge["source"] == first else -1
    nx, ny = -dy / length * sign, dx / length * sign
    bend = (index - (count - 1) / 2) * 40 + shift
    control = ((ax + bx) / 2 + nx * bend, (ay + by) / 2 + ny * bend)
    return _clip((ax, ay), a, control), control, _clip((bx, by), b, control)


def _crossings(curve, boxes):
    """How many sampled points of the curve fall inside the boxes (other nodes it would cross)."""
    xs, ys = [p[0] for p in curve], [p[1] for p in curve]
    near = [b for b in boxes if _overlap(b, (min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)))]
    if not near:
        return 0
    points = [_point(curve, t / 12) for t in range(1, 12)]
    return sum(_inside(point, box) for point in points for box in near)


def _curves(graph, positions):
    """Per edge id: start, control and end of a quadratic curve.

    Arrows between the same two nodes fan apart; the whole fan bends further out when that
    keeps it from running through other nodes.
    """
    bundles = {}
    for edge in graph["edges"]:
        if edge["source"] in positions and edge["target"] in positions:
            pair = tuple(sorted((edge["source"], edge["target"])))
            bundles.setdefault(pair, []).append(edge)
    boxes = {node: _node_box(position, 4) for node, position in positions.items()}
    curves = {}
    for (first, second), edges in bundles.items():
        others = [box for node, box in boxes.items() if node not in (first, second)]
        best = None
        for shift in (0, 40, -40, 80, -80, 130, -130, 190, -190):
            drawn = {e["id"]: _curve(e, i, len(edges), positions, first, shift) for i, e in enumerate(edges)}
            crossings = sum(_crossings(curve, others) for curve in drawn.values())
            if best is None or crossings < best[0]:
                best = (crossings, drawn)
            if not crossings:
                break
        curves.update(best[1])
    return curves


class _Occupied:
    """Boxes already drawn, bucketed in a coarse grid so a new box is checked only against its neighbours."""

    CELL = 64

    def __init__(self):
        self.cells = {}

    def _keys(self, box):
        c = self.CELL
        for i in range(int(box[0] // c), int((box[0] + box[2]) // c) + 1):
            for j in range(int(box[1] // c), int((box[1] + box[3]) // c) + 1):
                yield i, j

    def add(self, box):
        for key in self._keys(box):
            self.cells.setdefault(key, []).append(box)

    def hits(self, box):
        return any(_overlap(box, other) for key in self._keys(box) for other in self.cells.get(key, ()))


@dataclass
class Label:
    """A label's box (x, y, width, height) and text; `number` is set when a numbered badge stands in for it."""

    box: tuple
    text: str
    number: int | None = None
    anchor: tuple | None = None  # the point on the arrow a badge moved off its curve points back to


def label_text(edge):
    suffix = {"added": " (draft adds)", "removed": " (draft removes)"}.get(edge["change"] or "", "")
    return edge["label"] + suffix


def _free_spot(curve, width, height, occupied, *, nearby=False):
    """A box of the size given, on the curve (or, with `nearby`, close to it) that overlaps nothing drawn."""
    for t in LABEL_STEPS:
        x, y = _point(curve, t)
        for dy in (0, -9, 9):
            box = (x - width / 2, y - height / 2 + dy, width, height)
            if not occupied.hits(box):
                return box, None
    if nearby:
        x, y = _point(curve, 0.5)
        for radius in (22, 34, 48, 64, 84, 108, 136):
            for step in range(24):
                angle = math.pi * step / 12
                cx, cy = x + radius * math.cos(angle), y + radius * math.sin(angle)
                box = (cx - width / 2, cy - height / 2, width, height)
                if not occupied.hits(box):
                    return box, (x, y)
    return None, None


def _place_labels(graph, curves, positions):
    """Labels that overlap neither each other nor any node; a numbered badge where a label won't fit.

    Returns the labels by edge id and how many found no free place at all.
    """
    occupied = _Occupied()
    for position in positions.values():
        occupied.add(_node_box(position, 3))
    labels, numbered = {}, []
    for edge in graph["edges"]:
        if edge["id"] not in curves:
            continue
        text = label_text(edge)
        box, _anchor = _free_spot(curves[edge["id"]], text_width(text, LABEL_SIZE) + 6, LABEL_HEIGHT, occupied)
        if box is None:
            numbered.append(edge)
        else:
            occupied.add(box)
            labels[edge["id"]] = Label(box, text)
    unplaced = 0
    for number, edge in enumerate(numbered, start=1):
        width = text_width(str(number), 10, bold=True) + 8
        box, anchor = _free_spot(curves[edge["id"]], width, LABEL_HEIGHT, occupied, nearby=True)
        if box is None:
            unplaced += 1
            x, y = _point(curves[edge["id"]], 0.5)
            box = (x - width / 2, y - LABEL_HEIGHT / 2, width, LABEL_HEIGHT)
        occupied.add(box)
        labels[edge["id"]] = Label(box, label_text(edge), number, anchor)
    return labels, unplaced


@dataclass
class Plan:
    """Where everything goes: node positions, arrow curves, label boxes and the canvas size."""

    positions: dict
    curves: dict
    labels: dict
    width: float
    height: float
    unplaced: int = 0
    numbered: list = field(default_factory=list)


def plan(graph):
    """Lay the graph out, widening it while some label fits nowhere along its arrow, then fit the canvas."""
    best = None
    for spacing in SPACINGS:
        positions, width, height = layout(graph, spacing)
        curves = _curves(graph, positions)
        labels, unplaced = _place_labels(graph, curves, positions)
        numbered = [edge_id for edge_id, label in labels.items() if label.number]
        candidate = Plan(positions, curves, labels, width, height, unplaced, numbered)
        if best is None or (unplaced, len(numbered)) < (best.unplaced, len(best.numbered)):
            best = candidate
        if not unplaced and not numbered:
            break
    return _fit(best)


def _fit(layout_plan):
    """Shift everything so curves bulging past the nodes and labels at the edges stay on the canvas."""
    points = [p for position in layout_plan.positions.values() for p in _corners(_node_box(position))]
    for curve in layout_plan.curves.values():
        points.extend(_point(curve, t / 10) for t in range(11))
    for label in layout_plan.labels.values():
        points.extend(_corners(label.box))
    if not points:
        return layout_plan
    left = min(x for x, _y in points) - MARGIN
    top = min(y for _x, y in points) - MARGIN
    dx, dy = -min(left, 0), -min(top, 0)
    right = max(x for x, _y in points) + dx + MARGIN
    bottom = max(y for _x, y in points) + dy + MARGIN
    if dx or dy:
        layout_plan.positions = {n: (x + dx, y + dy, w, h) for n, (x, y, w, h) in layout_plan.positions.items()}
        layout_plan.curves = {e: tuple((x + dx, y + dy) for x, y in curve) for e, curve in layout_plan.curves.items()}
        for label in layout_plan.labels.values():
            x, y, w, h = label.box
            label.box = (x + dx, y + dy, w, h)
            if label.anchor:
                label.anchor = (label.anchor[0] + dx, label.anchor[1] + dy)
    layout_plan.width = max(layout_plan.width + dx, right, 3 * LEGEND_COLUMN + 2 * MARGIN)
    layout_plan.height = max(layout_plan.height + dy, bottom)
    return layout_plan


def _corners(box):
    return (box[0], box[1]), (box[0] + box[2], box[1] + box[3])


def _f(value):
    return f"{value:.1f}".rstrip("0").rstrip(".")


def render_svg(graph, *, title="Accountability map", links=True, id_prefix=None, font=FONT):
    """The graph as a standalone SVG string: nodes, typed arrows with labels, and a legend.

    `links` wraps each arrow in a link to the clause that states it (off for print where no clause
    pages exist). `id_prefix` keeps marker ids unique when several maps share a page. A label that
    fits nowhere along its arrow becomes a numbered badge, spelt out under the legend.
    """
    if id_prefix is None:
        id_prefix = "m" + hashlib.sha1(repr(sorted(e["id"] for e in graph["edges"])).encode()).hexdigest()[:8]
    drawing = plan(graph)
    curves, labels, width = drawing.curves, drawing.labels, drawing.width
    kinds = graph["kinds"]
    styles = {k["kind"]: k for k in kinds}
    node_labels = {n["id"]: n["label"] for n in graph["nodes"]}
    legend_rows = (len(kinds) + 2) // 3
    legend_top = drawing.height + 10
    has_changes = any(e["change"] for e in graph["edges"])
    key_top = 34 + legend_rows * 24 + (24 if has_changes else 0)
    numbered = [e for e in graph["edges"] if e["id"] in labels and labels[e["id"]].number]
    key_lines = [f"{node_labels[e['source']]} {labels[e['id']].text} {node_labels[e['target']]}" for e in numbered]
    key_columns = 2 if all(text_width(t, 12) + 30 < (width - 2 * MARGIN) / 2 for t in key_lines) else 1
    key_rows = -(-len(key_lines) // key_columns)
    total_height = legend_top + key_top + (20 + key_rows * 20 if key_lines else 0)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="accountability-svg" viewBox="0 0 {_f(width)} {_f(total_height)}"'
        f' width="{_f(width)}" height="{_f(total_height)}" role="group" aria-labelledby="{id_prefix}-title"'
        f' font-family="{escape(font)}">',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        "<defs>",
    ]
    for kind in kinds:
        out.append(
            f'<marker id="{id_prefix}-arrow-{kind["kind"]}" viewBox="0 0 10 10" refX="9" refY="5"'
            f' markerWidth="8" markerHeight="8" orient="auto-start-reverse">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{kind["colour"]}"/></marker>'
        )
    out.append("</defs>")
    out.append(f'<rect width="{_f(width)}" height="{_f(total_height)}" fill="#ffffff"/>')

    out.append('<g class="accountability-svg__edges">')
    for edge in graph["edges"]:
        if edge["id"] not in curves:
            continue
        start, control, end = curves[edge["id"]]
        style = styles[edge["kind"]]
        dash = f' stroke-dasharray="{style["dash"]}"' if style["dash"] else ""
        if edge["change"] == "removed":
            dash = ' stroke-dasharray="2 6"'
        marker = f' marker-end="url(#{id_prefix}-arrow-{edge["kind"]})"' if edge["directed"] else ""
        width_attr = "3.5" if edge["change"] == "added" else "2"
        d = f"M{_f(start[0])},{_f(start[1])} Q{_f(control[0])},{_f(control[1])} {_f(end[0])},{_f(end[1])}"
        path = f'<path d="{d}" fill="none" stroke="{style["colour"]}" stroke-width="{width_attr}"{dash}{marker}/>'
        sentence = edge["sentence"] + (f" (the draft {edge['change']} this)" if edge["change"] else "")
        attrs = f'class="accountability-svg__edge" data-edge-id="{escape(edge["id"])}" data-kind="{edge["kind"]}"'
        if edge["change"]:
            attrs += f' data-change="{edge["change"]}"'
        if links and edge["clause"]:
            # A wide transparent twin makes the thin arrow easy to click or tap.
            hit = f'<path d="{d}" fill="none" stroke="transparent" stroke-width="12"/>'
            out.append(
                f'<a href="{escape(edge["clause"]["url"])}" {attrs} aria-label="{escape(sentence)}">'
                f"<title>{escape(sentence)}</title>{hit}{path}</a>"
            )
        else:
            out.append(f"<g {attrs}><title>{escape(sentence)}</title>{path}</g>")
    out.append("</g>")

    # Labels sit on white boxes that the layout keeps apart from each other and from the nodes.
    out.append('<g class="accountability-svg__labels" aria-hidden="true">')
    for edge in graph["edges"]:
        label = labels.get(edge["id"])
        if label is None:
            continue
        x, y, w, h = label.box
        colour = styles[edge["kind"]]["colour"]
        box = f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(w)}" height="{_f(h)}"'
        if label.number:
            leader = ""
            if label.anchor:
                leader = (
                    f'<line x1="{_f(label.anchor[0])}" y1="{_f(label.anchor[1])}" x2="{_f(x + w / 2)}"'
                    f' y2="{_f(y + h / 2)}" stroke="{colour}" stroke-width="1"/>'
                )
            out.append(
                f'<g class="accountability-svg__badge" data-label-for="{escape(edge["id"])}">{leader}'
                f'{box} rx="7" fill="#ffffff" stroke="{colour}" stroke-width="1.5"/>'
                f'<text x="{_f(x + w / 2)}" y="{_f(y + 11)}" text-anchor="middle" font-size="10" font-weight="bold"'
                f' fill="{colour}">{label.number}</text></g>'
            )
        else:
            out.append(
                f'<g class="accountability-svg__label" data-label-for="{escape(edge["id"])}">'
                f'{box} fill="#ffffff" fill-opacity="0.9"/>'
                f'<text x="{_f(x + w / 2)}" y="{_f(y + 11)}" text-anchor="middle" font-size="{LABEL_SIZE}"'
                f' fill="{colour}">{escape(label.text)}</text></g>'
            )
    out.append("</g>")

    out.append('<g class="accountability-svg__nodes">')
    for node in graph["nodes"]:
        cx, cy, w, h = drawing.positions[node["id"]]
        x, y = cx - w / 2, cy - h / 2
        if node["type"] == "board":
            shape = (
                f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(w)}" height="{_f(h)}" rx="3" fill="#f3f2f1"'
                f' stroke="#0b0c0c" stroke-width="2"/>'
            )
            weight = "bold"
        else:
            shape = (
                f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(w)}" height="{_f(h)}" rx="20" fill="#ffffff"'
                f' stroke="#505a5f" stroke-width="1.5"/>'
            )
            weight = "normal"
        label = (
            f'<text x="{_f(cx)}" y="{_f(cy + 4.5)}" text-anchor="middle" font-size="13" font-weight="{weight}"'
            f' fill="#0b0c0c">{escape(node["label"])}</text>'
        )
        out.append(
            f'<g class="accountability-svg__node" data-node-id="{node["id"]}"><title>{escape(node["name"])}'
            f" ({escape(node['kind_label'])})</title>{shape}{label}</g>"
        )
    out.append("</g>")

    out.append(f'<g class="accountability-svg__legend" transform="translate({MARGIN},{_f(legend_top)})">')
    out.append('<text x="0" y="14" font-size="13" font-weight="bold" fill="#0b0c0c">Key</text>')
    for index, kind in enumerate(kinds):
        col, row = index % 3, index // 3
        x, y = col * LEGEND_COLUMN, 34 + row * 24
        dash = f' stroke-dasharray="{kind["dash"]}"' if kind["dash"] else ""
        marker = f' marker-end="url(#{id_prefix}-arrow-{kind["kind"]})"' if kind["kind"] not in UNDIRECTED else ""
        out.append(
            f'<line x1="{x}" y1="{y}" x2="{x + 44}" y2="{y}" stroke="{kind["colour"]}" stroke-width="2"{dash}{marker}/>'
            f'<text x="{x + 54}" y="{y + 4}" font-size="12" fill="#0b0c0c">{escape(KIND_LABELS.get(kind["kind"], kind["label"]))}</text>'
        )
    if has_changes:
        y = 34 + legend_rows * 24
        out.append(
            f'<text x="0" y="{y + 4}" font-size="12" fill="#0b0c0c">Thick arrows: a draft would add them.'
            " Dotted arrows: a draft would remove them.</text>"
        )
    if key_lines:
        out.append(
            f'<text x="0" y="{key_top + 4}" font-size="12" font-weight="bold" fill="#0b0c0c">Numbered arrows</text>'
        )
        column_width = (width - 2 * MARGIN) / key_columns
        for index, (edge, line) in enumerate(zip(numbered, key_lines, strict=True)):
            col, row = index // key_rows, index % key_rows
            x, y = col * column_width, key_top + 24 + row * 20
            out.append(
                f'<text x="{_f(x)}" y="{_f(y)}" font-size="12" fill="#0b0c0c"><tspan font-weight="bold"'
                f' fill="{styles[edge["kind"]]["colour"]}">{labels[edge["id"]].number}</tspan>  {escape(line)}</text>'
            )
    out.append("</g>")
    out.append("</svg>")
    return "".join(out)
