"""Numbering a version's sections and clauses, and what every content edit does afterwards."""

from __future__ import annotations

from django.db import transaction

from core.writes import (
    Action,
    audit,
    record_positions,
)

from ..models import (
    Clause,
    ProtocolVersion,
    Section,
)
from ._helpers import _locked_copy, _ordered_tree, ensure_editable, withdraw_approvals


def _content_changed(*, user, version, what):
    withdraw_approvals(user=user, version=version, reason=f"{what} changed after approval")
    if version.auto_numbering:
        _renumber(version)


LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _renumber(version: ProtocolVersion) -> None:
    """Sections 1, 2, 3 (appendices keep theirs); clauses 1.1, 1.2; sub-clauses (a), (b); bullets stay bullets."""
    number = 0
    for section in version.sections.order_by("position", "id"):
        if section.kind == Section.Kind.BODY:
            number += 1
            record_positions([(section, str(number))], field="number")
        children = _ordered_tree(section)
        for index, clause in enumerate(children.get(None, []), start=1):
            wanted = f"{section.number}.{index}" if section.number else str(index)
            _set_number(clause, wanted)
            # Unnumbered sub-items are bullets and stay so; numbered ones are lettered in order.
            numbered = [child for child in children.get(clause.pk, []) if child.number]
            for sub_index, child in enumerate(numbered):
                _set_number(child, f"({LETTERS[sub_index % len(LETTERS)]})")


def _set_number(clause, number):
    # An editor may hold the clause open: its revision moves, so a save from the old number conflicts.
    record_positions([(clause, number)], field="number", bump=True)


@transaction.atomic
def version_renumber(*, user, version: ProtocolVersion) -> ProtocolVersion:
    """Number the whole version automatically once, keeping the numbering mode as it is."""
    version = _locked_copy(ProtocolVersion, version.pk)
    ensure_editable(version)
    before = {c.key: c.number for c in Clause.objects.filter(section__version=version)}
    _renumber(version)
    after = {c.key: c.number for c in Clause.objects.filter(section__version=version)}
    changed = {key for key in after if before.get(key) != after[key]}
    if changed:
        audit(
            user=user,
            action=Action.UPDATE,
            obj=version,
            before={key: before.get(key) for key in sorted(changed)},
            after={key: after[key] for key in sorted(changed)},
            message="Clauses renumbered",
        )
        withdraw_approvals(user=user, version=version, reason="Clauses renumbered")
    return version
