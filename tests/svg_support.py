"""Reading the map's SVG back in tests: what it draws, where, and how large its text is."""

from xml.etree import ElementTree

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg):
    return ElementTree.fromstring(svg)


def groups(svg, css_class):
    """Elements whose class list holds `css_class`."""
    return [el for el in parse(svg).iter() if css_class in (el.get("class") or "").split()]


def drawn_edge_ids(svg):
    """Every graph edge the picture stands for: those merged into its arrows and those its meeting boxes join."""
    ids = []
    for group in groups(svg, "accountability-svg__arrow") + groups(svg, "accountability-svg__hub"):
        ids += (group.get("data-edge-ids") or "").split()
    return ids


def box(element):
    """(x, y, width, height) of the first <rect> in an element."""
    rect = element if element.tag == f"{SVG}rect" else element.find(f".//{SVG}rect")
    return tuple(float(rect.get(name)) for name in ("x", "y", "width", "height"))


def label_boxes(svg):
    return {g.get("data-label-for"): box(g) for g in groups(svg, "accountability-svg__label")}


def node_boxes(svg):
    found = {g.get("data-node-id"): box(g) for g in groups(svg, "accountability-svg__node")}
    found.update({g.get("data-hub-id"): box(g) for g in groups(svg, "accountability-svg__hub")})
    return found


def font_sizes(svg):
    return [float(text.get("font-size")) for text in parse(svg).iter(f"{SVG}text")]


def overlap(a, b):
    """Whether two (x, y, width, height) boxes share any area."""
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def size(svg):
    root = parse(svg)
    return float(root.get("width")), float(root.get("height"))
