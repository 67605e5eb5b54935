"""Comparing areas: which arrangements each area's agreed protocols make, side by side.

Boards and posts differ in name from area to area ("KSCB", "Tri-borough LSCB"), so an arrow is
compared by the kinds at its ends: "Local Safeguarding Children Board presents its annual report to
Health and Wellbeing Board" is the same arrangement in Knowsley and in Slough. Bodies of no common
kind ("Other body", subgroups, panels, other posts) are compared by their names instead.
Memberships are left out: the board pages' membership tables compare those, and here they would
drown the arrows.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from protocols.models import Protocol
from protocols.permissions import visible_versions

from .graph import KIND_ORDER, area_graph

MAX_AREAS = 6
# Kinds too broad to say two bodies are alike.
GENERIC_KINDS = {"other", "subgroup", "partnership_group", "panel"}


@dataclass
class ComparedArrow:
    source: str
    label: str
    target: str
    order: int
    edges_by_area: dict = field(default_factory=dict)

    columns: list = field(default_factory=list)  # one list of edges per chosen area, empty where not stated

    @property
    def area_count(self):
        return len(self.edges_by_area)


def _end(node):
    if node["kind"] in GENERIC_KINDS:
        return ("name", node["name"]), node["name"]
    return (node["type"], node["kind"]), node["kind_label"]


def compared_arrows(areas):
    """The arrows the areas' agreed protocols state, merged by the kinds at their ends.

    Runs a fixed number of queries per area (those of area_graph), whatever the size of the data.
    """
    order = {str(kind): index for index, kind in enumerate(KIND_ORDER)}
    arrows = {}
    for area in areas:
        graph = area_graph(area, with_memberships=False)
        nodes = {node["id"]: node for node in graph["nodes"]}
        for edge in graph["edges"]:
            (source_key, source_label), (target_key, target_label) = (
                _end(nodes[edge["source"]]),
                _end(nodes[edge["target"]]),
            )
            key = (source_key, edge["kind"], target_key)
            arrow = arrows.get(key)
            if arrow is None:
                arrow = arrows[key] = ComparedArrow(
                    source=source_label, label=edge["label"], target=target_label, order=order.get(edge["kind"], 99)
                )
            arrow.edges_by_area.setdefault(area.pk, []).append(edge)
    for arrow in arrows.values():
        arrow.columns = [arrow.edges_by_area.get(area.pk, []) for area in areas]
    # Arrangements every area shares first, then by kind of arrow and the bodies' names.
    return sorted(arrows.values(), key=lambda a: (-a.area_count, a.order, a.source.lower(), a.target.lower()))


def split_shared(arrows, areas):
    """Arrangements two or more areas state (compared in a table), and each area's own (listed per area)."""
    shared = [arrow for arrow in arrows if arrow.area_count > 1]
    own = []
    for area, index in zip(areas, range(len(areas)), strict=True):
        mine = [(arrow, arrow.columns[index]) for arrow in arrows if arrow.area_count == 1 and arrow.columns[index]]
        own.append((area, mine))
    return shared, own


def protocols_by_area(areas, *, user):
    """Each chosen area's protocols (kept there or with a party board covering it), newest version first,
    as far as this user may read them: a protocol with only drafts the user may not read is left out.

    Two queries per area, whatever the number of protocols."""
    readable = visible_versions(user)
    rows = []
    for area in areas:
        entries = []
        protocols = Protocol.objects.in_area(area).filter(pk__in=readable.values("protocol_id"))
        for protocol in protocols.prefetch_related(Prefetch("versions", queryset=readable)).order_by("title"):
            versions = sorted(protocol.versions.all(), key=lambda v: -v.number)
            agreed = next((v for v in versions if v.is_agreed), None)
            entries.append({"protocol": protocol, "agreed": agreed, "latest": versions[0] if versions else None})
        rows.append((area, entries))
    return rows
