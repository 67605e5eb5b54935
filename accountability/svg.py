"""The accountability map drawn on the server as SVG: no JavaScript, so it works in every browser,
in the PDF export and for readers who turn scripts off.

The layout is a small layered (Sugiyama-style) one computed here: break cycles, rank nodes so
that whoever is reported to sits above whoever reports, order each rank to reduce crossings,
then draw arrows as curves, fanning out parallel arrows between the same two nodes.
"""

import hashlib
from html import escape

from .graph import KIND_LABELS, Kind

# Kinds where the subject sits below the object (it reports upwards) ...
UPWARD = {
    Kind.REPORTS_TO,
    Kind.PRESENTS_ANNUAL_REPORT_TO,
    Kind.ACCOUNTABLE_TO,
    Kind.MEMBER_OF,
    Kind.RECOMMENDS_TO,
}
# ... and kinds where it sits above (it holds the object to account). Other kinds don't rank.
DOWNWARD = {Kind.HOLDS_TO_ACCOUNT, Kind.SCRUTINISES, Kind.OVERSEES, Kind.APPOINTS_AND_REMOVES}

CHAR_WIDTH = 7.4
NODE_HEIGHT = 40
NODE_GAP = 48
RANK_GAP = 130
MARGIN = 24
FONT = "Arial, Helvetica, sans-serif"


def _node_width(node):
    return max(88, round(len(node["label"]) * CHAR_WIDTH + 28))


def _ranking_pairs(graph):
    """(higher, lower) node id pairs: the first should sit on a rank above the second."""
    pairs = []
    for edge in graph["edges"]:
        if edge["change"] == "removed" or edge["source"] == edge["target"]:
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


def layout(graph):
    """{node id: (x centre, y centre, width, height)} and the canvas size."""
    node_ids = [n["id"] for n in graph["nodes"]]
    nodes = {n["id"]: n for n in graph["nodes"]}
    layers = _order(_ranks(node_ids, graph), node_ids, graph)
    widths = [sum(_node_width(nodes[n]) for n in layer) + NODE_GAP * (len(layer) - 1) for layer in layers]
    canvas_width = max(widths, default=200) + 2 * MARGIN
    positions = {}
    for depth, (layer, width) in enumerate(zip(layers, widths, strict=True)):
        x = MARGIN + (canvas_width - 2 * MARGIN - width) / 2
        y = MARGIN + 20 + depth * RANK_GAP + NODE_HEIGHT / 2
        for node in layer:
            w = _node_width(nodes[node])
            positions[node] = (x + w / 2, y, w, NODE_HEIGHT)
            x += w + NODE_GAP
    canvas_height = MARGIN * 2 + 40 + max(len(layers) - 1, 0) * RANK_GAP + NODE_HEIGHT
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


def _curves(graph, positions):
    """Per edge: start, control and end points of a quadratic curve, and where its label sits."""
    bundles = {}
    for edge in graph["edges"]:
        if edge["source"] in positions and edge["target"] in positions:
            pair = tuple(sorted((edge["source"], edge["target"])))
            bundles.setdefault(pair, []).append(edge)
    curves = {}
    for (first, _second), edges in bundles.items():
        for index, edge in enumerate(edges):
            a, b = positions[edge["source"]], positions[edge["target"]]
            (ax, ay), (bx, by) = a[:2], b[:2]
            mx, my = (ax + bx) / 2, (ay + by) / 2
            dx, dy = bx - ax, by - ay
            length = max((dx * dx + dy * dy) ** 0.5, 1)
            # Perpendicular measured from the pair's first node, so arrows both ways fan apart.
            sign = 1 if edge["source"] == first else -1
            nx, ny = -dy / length * sign, dx / length * sign
            bend = (index - (len(edges) - 1) / 2) * 46
            if ay == by and abs(dx) > a[2] / 2 + b[2] / 2 + NODE_GAP + 1:
                bend += 56  # same rank with nodes between: arc over them
            control = (mx + nx * bend, my + ny * bend)
            start = _clip((ax, ay), a, control)
            end = _clip((bx, by), b, control)
            label = (
                0.25 * start[0] + 0.5 * control[0] + 0.25 * end[0],
                0.25 * start[1] + 0.5 * control[1] + 0.25 * end[1],
            )
            curves[edge["id"]] = (start, control, end, label)
    return curves


def _f(value):
    return f"{value:.1f}".rstrip("0").rstrip(".")


def render_svg(graph, *, title="Accountability map", links=True, id_prefix=None):
    """The graph as a standalone SVG string: nodes, typed arrows with labels, and a legend.

    `links` wraps each arrow in a link to the clause that states it (off for print where no clause
    pages exist). `id_prefix` keeps marker ids unique when several maps share a page.
    """
    if id_prefix is None:
        id_prefix = "m" + hashlib.sha1(repr(sorted(e["id"] for e in graph["edges"])).encode()).hexdigest()[:8]
    positions, width, height = layout(graph)
    curves = _curves(graph, positions)
    kinds = graph["kinds"]
    legend_rows = (len(kinds) + 2) // 3
    legend_top = height + 10
    total_height = legend_top + 30 + legend_rows * 24 + (24 if any(e["change"] for e in graph["edges"]) else 0)
    width = max(width, 3 * 250 + 2 * MARGIN)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="accountability-svg" viewBox="0 0 {_f(width)} {_f(total_height)}"'
        f' width="{_f(width)}" height="{_f(total_height)}" role="group" aria-labelledby="{id_prefix}-title"'
        f' font-family="{FONT}">',
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

    styles = {k["kind"]: k for k in kinds}
    out.append('<g class="accountability-svg__edges">')
    for edge in graph["edges"]:
        if edge["id"] not in curves:
            continue
        start, control, end, _label = curves[edge["id"]]
        style = styles[edge["kind"]]
        dash = f' stroke-dasharray="{style["dash"]}"' if style["dash"] else ""
        if edge["change"] == "removed":
            dash = ' stroke-dasharray="2 6"'
        marker = f' marker-end="url(#{id_prefix}-arrow-{edge["kind"]})"' if edge["directed"] else ""
        width_attr = "3.5" if edge["change"] == "added" else "2"
        path = (
            f'<path d="M{_f(start[0])},{_f(start[1])} Q{_f(control[0])},{_f(control[1])} {_f(end[0])},{_f(end[1])}"'
            f' fill="none" stroke="{style["colour"]}" stroke-width="{width_attr}"{dash}{marker}/>'
        )
        # A wide transparent twin makes the thin arrow easy to click or tap.
        hit = (
            f'<path d="M{_f(start[0])},{_f(start[1])} Q{_f(control[0])},{_f(control[1])} {_f(end[0])},{_f(end[1])}"'
            f' fill="none" stroke="transparent" stroke-width="12"/>'
        )
        sentence = edge["sentence"] + (f" (the draft {edge['change']} this)" if edge["change"] else "")
        attrs = f'class="accountability-svg__edge" data-edge-id="{escape(edge["id"])}" data-kind="{edge["kind"]}"'
        if edge["change"]:
            attrs += f' data-change="{edge["change"]}"'
        if links and edge["clause"]:
            out.append(
                f'<a href="{escape(edge["clause"]["url"])}" {attrs} aria-label="{escape(sentence)}">'
                f"<title>{escape(sentence)}</title>{hit}{path}</a>"
            )
        else:
            out.append(f"<g {attrs}><title>{escape(sentence)}</title>{hit}{path}</g>")
    out.append("</g>")

    out.append('<g class="accountability-svg__labels" aria-hidden="true">')
    for edge in graph["edges"]:
        if edge["id"] not in curves:
            continue
        x, y = curves[edge["id"]][3]
        text = edge["label"] + (" (draft adds)" if edge["change"] == "added" else "")
        text = text + (" (draft removes)" if edge["change"] == "removed" else "")
        out.append(
            f'<text x="{_f(x)}" y="{_f(y + 4)}" text-anchor="middle" font-size="11" fill="{styles[edge["kind"]]["colour"]}"'
            f' stroke="#ffffff" stroke-width="3" paint-order="stroke">{escape(text)}</text>'
        )
    out.append("</g>")

    out.append('<g class="accountability-svg__nodes">')
    for node in graph["nodes"]:
        cx, cy, w, h = positions[node["id"]]
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
        x, y = col * 250, 34 + row * 24
        dash = f' stroke-dasharray="{kind["dash"]}"' if kind["dash"] else ""
        marker = f' marker-end="url(#{id_prefix}-arrow-{kind["kind"]})"' if kind["kind"] != Kind.MEETS_WITH else ""
        out.append(
            f'<line x1="{x}" y1="{y}" x2="{x + 44}" y2="{y}" stroke="{kind["colour"]}" stroke-width="2"{dash}{marker}/>'
            f'<text x="{x + 54}" y="{y + 4}" font-size="12" fill="#0b0c0c">{escape(KIND_LABELS.get(kind["kind"], kind["label"]))}</text>'
        )
    if any(e["change"] for e in graph["edges"]):
        y = 34 + legend_rows * 24
        out.append(
            f'<text x="0" y="{y + 4}" font-size="12" fill="#0b0c0c">Thick arrows: a draft would add them.'
            " Dotted arrows: a draft would remove them.</text>"
        )
    out.append("</g>")
    out.append("</svg>")
    return "".join(out)
