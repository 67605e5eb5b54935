"""A draft's glossary: the terms and abbreviations it defines, added, changed and removed as the text is."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from core.writes import record_create, record_delete

from ..models import GlossaryEntry, ProtocolVersion
from ._helpers import _locked_copy, _save_changes, ensure_editable
from .numbering import _content_changed

GLOSSARY_FIELDS = ("term", "meaning")


def _entry_errors(version, term, meaning, exclude_pk=None) -> dict:
    errors = {}
    if not term:
        errors["term"] = "Enter the term or abbreviation"
    elif len(term) > GlossaryEntry._meta.get_field("term").max_length:
        errors["term"] = "A term can be 60 characters at most"
    elif version.glossary_entries.filter(term__iexact=term).exclude(pk=exclude_pk).exists():
        errors["term"] = f"The glossary already explains “{term}”"
    if not meaning:
        errors["meaning"] = "Enter what the term means, as the protocol explains it"
    elif len(meaning) > GlossaryEntry._meta.get_field("meaning").max_length:
        errors["meaning"] = "A meaning can be 300 characters at most"
    return errors


@transaction.atomic
def glossary_entry_create(*, user, version: ProtocolVersion, term: str, meaning: str) -> GlossaryEntry:
    version = _locked_copy(ProtocolVersion, version.pk)
    ensure_editable(version)
    term, meaning = (term or "").strip(), (meaning or "").strip()
    errors = _entry_errors(version, term, meaning)
    if errors:
        raise ValidationError(errors)
    entry = GlossaryEntry(version=version, term=term, meaning=meaning)
    record_create(user=user, obj=entry, audit_fields=GLOSSARY_FIELDS, message=f"Glossary: {term} added")
    _content_changed(user=user, version=version, what="The glossary")
    return entry


@transaction.atomic
def glossary_entry_update(
    *, user, entry: GlossaryEntry, expected_revision: int | None, term: str | None = None, meaning: str | None = None
) -> GlossaryEntry:
    current = _locked_copy(GlossaryEntry, entry.pk)
    version = current.version
    ensure_editable(version)
    fields = {name: value.strip() for name, value in (("term", term), ("meaning", meaning)) if value is not None}
    errors = _entry_errors(
        version, fields.get("term", current.term), fields.get("meaning", current.meaning), exclude_pk=current.pk
    )
    if errors:
        raise ValidationError(errors)
    if _save_changes(user=user, obj=current, fields=fields, expected_revision=expected_revision):
        _content_changed(user=user, version=version, what="The glossary")
    return current


@transaction.atomic
def glossary_entry_delete(*, user, entry: GlossaryEntry, expected_revision: int | None = None) -> None:
    current = _locked_copy(GlossaryEntry, entry.pk)
    version = current.version
    ensure_editable(version)
    record_delete(user=user, obj=current, expected_revision=expected_revision, audit_fields=GLOSSARY_FIELDS)
    _content_changed(user=user, version=version, what="The glossary")
