"""Sections of a draft: adding, changing, deleting and moving them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from core.writes import (
    Action,
    audit,
    record_create,
    record_delete,
)

from ..models import (
    ProtocolVersion,
    Section,
)
from ._helpers import _locked_copy, _save_changes, _store_positions, ensure_editable
from .numbering import TO_BE_NUMBERED, _content_changed


def _section_number_clash(version, number, exclude_pk=None, part=None):
    """Two sections cannot share a number, except in different parts ('2' in the body and '2' in
    Appendix 1, where numbering restarts)."""
    if not number:
        return False
    sections = version.sections.filter(number=number).exclude(pk=exclude_pk)
    if part is not None:
        sections = sections.filter(part=part)
    return sections.exists()


@transaction.atomic
def section_create(
    *,
    user,
    version: ProtocolVersion,
    heading: str,
    number: str = "",
    kind: str = Section.Kind.BODY,
    part: str = "",
    position: int | None = None,
) -> Section:
    version = _locked_copy(ProtocolVersion, version.pk)
    ensure_editable(version)
    # An empty heading or number records that the document gives none (an untitled opening section).
    heading, number = (heading or "").strip(), (number or "").strip()
    errors = {}
    if _section_number_clash(version, number, part=(part or "").strip()):
        errors["number"] = f"Another section is already numbered {number}"
    if errors:
        raise ValidationError(errors)
    siblings = list(version.sections.order_by("position", "id"))
    if not number and version.auto_numbering and kind == Section.Kind.BODY and any(s.number for s in siblings):
        number = TO_BE_NUMBERED  # among numbered sections: numbered by the renumbering that follows
    section = Section(version=version, heading=heading, number=number, kind=kind, part=(part or "").strip())
    index = len(siblings) if position is None else max(0, min(int(position), len(siblings)))
    siblings.insert(index, section)
    section.position = index
    record_create(user=user, obj=section, audit_fields=("key", "number", "heading", "kind", "part", "position"))
    _store_positions(siblings)
    _content_changed(user=user, version=version, what="A section")
    return section


@transaction.atomic
def section_update(
    *,
    user,
    section: Section,
    expected_revision: int | None,
    heading: str | None = None,
    number: str | None = None,
    kind: str | None = None,
    part: str | None = None,
) -> Section:
    current = _locked_copy(Section, section.pk)
    version = current.version
    ensure_editable(version)
    fields = {}
    errors = {}
    if heading is not None:
        fields["heading"] = heading.strip()
    if number is not None:
        fields["number"] = number.strip()
        if _section_number_clash(version, fields["number"], exclude_pk=current.pk):
            errors["number"] = f"Another section is already numbered {fields['number']}"
    if kind is not None:
        fields["kind"] = kind
    if part is not None:
        fields["part"] = part.strip()
    if errors:
        raise ValidationError(errors)
    if not _save_changes(user=user, obj=current, fields=fields, expected_revision=expected_revision):
        return current
    _content_changed(user=user, version=version, what="A section")
    return current


@transaction.atomic
def section_delete(*, user, section: Section, expected_revision: int | None = None) -> None:
    current = _locked_copy(Section, section.pk)
    version = current.version
    ensure_editable(version)
    record_delete(
        user=user,
        obj=current,
        expected_revision=expected_revision,
        audit_fields=("key", "number", "heading", "kind", "part", "position"),
        before_extra={"clauses": [{"key": c.key, "number": c.number, "text": c.text} for c in current.clauses.all()]},
    )
    _store_positions(list(version.sections.order_by("position", "id")))
    _content_changed(user=user, version=version, what="A section")


@transaction.atomic
def section_move(*, user, section: Section, position: int) -> Section:
    current = _locked_copy(Section, section.pk)
    version = current.version
    ensure_editable(version)
    siblings = [s for s in version.sections.order_by("position", "id") if s.pk != current.pk]
    old_position = current.position
    index = max(0, min(int(position), len(siblings)))
    siblings.insert(index, current)
    _store_positions(siblings)
    current.refresh_from_db()
    if current.position != old_position:
        audit(
            user=user,
            action=Action.UPDATE,
            obj=current,
            before={"position": old_position},
            after={"position": current.position},
            message="Section moved",
        )
        _content_changed(user=user, version=version, what="The order of sections")
    return current
