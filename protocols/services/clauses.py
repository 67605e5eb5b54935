"""Clauses and sub-clauses of a draft: adding, changing, deleting and moving them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from core.writes import (
    Action,
    audit,
    record_create,
    record_delete,
    record_positions,
    snapshot,
)

from ..models import (
    Clause,
    Section,
)
from ..sanitize import is_blank_html, sanitize_html
from ._helpers import (
    _flatten,
    _locked_copy,
    _ordered_tree,
    _save_changes,
    _store_clause_positions,
    ensure_editable,
    withdraw_approvals,
)
from .numbering import TO_BE_NUMBERED, _content_changed


def _clause_number_clash(section, number, parent_id, exclude_pk=None):
    """Two clauses at the same level of a section cannot share a number; '(a)' may recur under other parents."""
    if not number:
        return False
    return section.clauses.filter(number=number, parent_id=parent_id).exclude(pk=exclude_pk).exists()


@transaction.atomic
def clause_create(
    *,
    user,
    section: Section,
    text: str,
    number: str = "",
    parent: Clause | None = None,
    position: int | None = None,
) -> Clause:
    """Add a clause (or a sub-clause under `parent`) at `position` among its siblings; the end by default."""
    section = _locked_copy(Section, section.pk)
    version = section.version
    ensure_editable(version)
    clean_text = sanitize_html(text)
    number = (number or "").strip()
    errors = {}
    if is_blank_html(clean_text):
        errors["text"] = "Enter the clause text"
    if parent is not None and parent.section_id != section.pk:
        errors["parent"] = "A sub-clause must be in the same section as its parent"
    parent_id = parent.pk if parent is not None else None
    if _clause_number_clash(section, number, parent_id):
        errors["number"] = f"Another clause in this section is already numbered {number}"
    if errors:
        raise ValidationError(errors)
    children = _ordered_tree(section)
    siblings = children.setdefault(parent_id, [])
    if (
        not number
        and version.auto_numbering
        and (any(s.number for s in siblings) or (parent is None and not siblings and section.number))
    ):
        number = TO_BE_NUMBERED  # among numbered clauses: numbered by the renumbering that follows
    clause = Clause(section=section, parent=parent, number=number, text=clean_text, position=0)
    record_create(user=user, obj=clause, validate=False, audited=False)  # audited below, in its place
    index = len(siblings) if position is None else max(0, min(int(position), len(siblings)))
    siblings.insert(index, clause)
    _store_clause_positions(children)
    clause.refresh_from_db()
    audit(
        user=user,
        action=Action.CREATE,
        obj=clause,
        after=snapshot(clause, ("key", "number", "text", "parent", "position")),
    )
    _content_changed(user=user, version=version, what="A clause")
    clause.refresh_from_db()
    return clause


@transaction.atomic
def clause_update(
    *,
    user,
    clause: Clause,
    expected_revision: int | None,
    text: str | None = None,
    number: str | None = None,
) -> Clause:
    """Save new text or number. Refused with EditConflict if someone saved since expected_revision."""
    current = _locked_copy(Clause, clause.pk)
    version = current.section.version
    ensure_editable(version)
    fields = {}
    errors = {}
    if text is not None:
        fields["text"] = sanitize_html(text)
        if is_blank_html(fields["text"]):
            errors["text"] = "Enter the clause text"
    if number is not None:
        fields["number"] = number.strip()
        if _clause_number_clash(current.section, fields["number"], current.parent_id, exclude_pk=current.pk):
            errors["number"] = f"Another clause in this section is already numbered {fields['number']}"
    if errors:
        raise ValidationError(errors)
    if all(getattr(current, name) == value for name, value in fields.items()):
        return current  # saving what is there is no change, even from a stale copy
    _save_changes(user=user, obj=current, fields=fields, expected_revision=expected_revision)
    withdraw_approvals(user=user, version=version, reason=f"Clause {current.reference or current.key} changed")
    return current


@transaction.atomic
def clause_delete(*, user, clause: Clause, expected_revision: int | None) -> None:
    current = _locked_copy(Clause, clause.pk)
    section = current.section
    version = section.version
    ensure_editable(version)
    record_delete(
        user=user,
        obj=current,
        expected_revision=expected_revision,
        audit_fields=("key", "number", "text", "parent", "position"),
        before_extra={"children": [{"key": c.key, "number": c.number, "text": c.text} for c in current.children.all()]},
    )
    _store_clause_positions(_ordered_tree(section))
    _content_changed(user=user, version=version, what="A clause")


@transaction.atomic
def clause_move(*, user, clause: Clause, position: int, section: Section | None = None) -> Clause:
    """Move a clause (with its sub-clauses) to `position` among its siblings, optionally into another section."""
    current = _locked_copy(Clause, clause.pk)
    source = current.section
    version = source.version
    ensure_editable(version)
    target = source if section is None else _locked_copy(Section, section.pk)
    if target.version_id != version.pk:
        raise ValidationError({"section": "A clause can only move within its own version"})
    before = {"section": source.key, "position": current.position}
    if target.pk != source.pk:
        if current.parent_id is not None:
            raise ValidationError({"section": "Move the parent clause to move a sub-clause to another section"})
        if _clause_number_clash(target, current.number, None):
            raise ValidationError({"number": f"The other section already has a clause numbered {current.number}"})
        descendants = list(_flatten(_ordered_tree(source), current.pk))
        record_positions([(item, target) for item in [current, *descendants]], field="section")
        _store_clause_positions(_ordered_tree(source))
    children = _ordered_tree(target)
    siblings = [c for c in children.get(current.parent_id, []) if c.pk != current.pk]
    index = max(0, min(int(position), len(siblings)))
    siblings.insert(index, current)
    children[current.parent_id] = siblings
    _store_clause_positions(children)
    current.refresh_from_db()
    after = {"section": target.key, "position": current.position}
    if after != before:
        audit(user=user, action=Action.UPDATE, obj=current, before=before, after=after, message="Clause moved")
        _content_changed(user=user, version=version, what="The order of clauses")
        current.refresh_from_db()
    return current
