"""A version's lifecycle: its own text, a review started from the agreed version, sending, agreeing."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from boards.models import DatePrecision
from core.exceptions import InvalidTransition
from core.writes import (
    Action,
    audit,
    one_change,
    record_create,
    record_rows,
    record_update,
)

from ..frozen import freeze
from ..models import (
    Approval,
    Clause,
    GlossaryEntry,
    Party,
    Protocol,
    ProtocolVersion,
    Section,
)
from ..sanitize import rich_text_html, sanitize_html
from ..signals import version_copied
from ..tasks import queue_sealed_pdf
from ._helpers import (
    UNCHANGED,
    Status,
    _add_months,
    _locked_copy,
    _partial_date_errors,
    ensure_editable,
    withdraw_approvals,
)
from .numbering import _renumber


@transaction.atomic
def version_update(
    *,
    user,
    version: ProtocolVersion,
    expected_revision: int | None,
    title: str | None = None,
    label: str | None = None,
    introduction: str | None = None,
    auto_numbering: bool | None = None,
    document_date: datetime.date | None | object = UNCHANGED,
    document_date_precision: str | None = None,
) -> ProtocolVersion:
    """Change a draft's own title, label, preamble, document date or numbering mode.

    `document_date` None records that the document states no date; leave it out to keep the date.
    """
    ensure_editable(version)
    fields = {}
    if document_date is not UNCHANGED:
        precision = document_date_precision or DatePrecision.DAY
        day, errors = _partial_date_errors("document_date", document_date, precision)
        if errors:
            raise ValidationError(errors)
        fields["document_date"] = day
        fields["document_date_precision"] = precision if day else DatePrecision.DAY
    if title is not None:
        if not title.strip():
            raise ValidationError({"title": "Enter a title"})
        fields["title"] = title.strip()
    if label is not None:
        fields["label"] = label.strip()
    if introduction is not None:
        fields["introduction"] = sanitize_html(introduction)
    if auto_numbering is not None:
        fields["auto_numbering"] = bool(auto_numbering)
    current = record_update(user=user, obj=version, fields=fields, expected_revision=expected_revision)
    changed = current.changed_fields
    if not changed:
        return current
    if set(changed) & {"title", "introduction"}:
        withdraw_approvals(user=user, version=current, reason="Version text changed after approval")
    if current.auto_numbering and "auto_numbering" in changed:
        _renumber(current)
    return current


def open_draft(protocol: Protocol) -> ProtocolVersion | None:
    return protocol.versions.open().order_by("-number").first()


@one_change()
def version_start_review(*, user, protocol: Protocol) -> ProtocolVersion:
    """A new draft copied from the agreed version: same section and clause keys, parties and glossary.

    Apps that keep records about a version (accountability) copy theirs on the version_copied signal.
    The copy is one change: the counters of the pages it shows on move once, when it is complete.
    """
    Protocol.objects.select_for_update().filter(pk=protocol.pk).first()
    existing = open_draft(protocol)
    if existing is not None:
        raise InvalidTransition(f"Version {existing.number} is already open as a draft; edit that one.")
    source = protocol.versions.agreed().first()
    if source is None:
        raise InvalidTransition("There is no agreed version to start a review from.")
    number = (protocol.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = ProtocolVersion(
        protocol=protocol,
        number=number,
        title=source.title,
        status=Status.DRAFT,
        # A draft starts from the agreed words as they are shown, so text an older release stored
        # escaped twice is stored once-escaped in the new draft (the agreed rows stay as signed).
        introduction=rich_text_html(source.introduction),
        based_on=source,
        created_by=user,
        auto_numbering=source.auto_numbering,
    )
    # The copy is one change, audited once below.
    record_create(user=user, obj=draft, validate=False, audited=False)
    for section in source.sections.order_by("position"):
        new_section = Section(
            version=draft,
            key=section.key,
            kind=section.kind,
            part=section.part,
            number=section.number,
            heading=section.heading,
            position=section.position,
        )
        record_create(user=user, obj=new_section, validate=False, audited=False)
        copies = {}
        # Parents come before their children in position order, so each parent is copied first.
        for clause in section.clauses.order_by("position", "id"):
            copies[clause.pk] = record_create(
                user=user,
                obj=Clause(
                    section=new_section,
                    parent=copies.get(clause.parent_id),
                    key=clause.key,
                    number=clause.number,
                    text=rich_text_html(clause.text),
                    position=clause.position,
                ),
                validate=False,
                audited=False,
            )
    record_rows(
        Party(version=draft, board_id=p.board_id, signatory_post_id=p.signatory_post_id, position=p.position)
        for p in source.parties.all()
    )
    record_rows(GlossaryEntry(version=draft, term=g.term, meaning=g.meaning) for g in source.glossary_entries.all())
    version_copied.send(sender=ProtocolVersion, source_version=source, target_version=draft, user=user)
    audit(
        user=user,
        action=Action.CREATE,
        obj=draft,
        after={"number": draft.number, "based_on": source.number, "status": draft.status},
        message=f"Review started: draft version {draft.number} copied from version {source.number}",
    )
    return draft


@transaction.atomic
def version_send_for_approval(*, user, version: ProtocolVersion, change_summary: str) -> ProtocolVersion:
    """Send a draft to its parties. A change summary is required, and at least one party."""
    current = _locked_copy(ProtocolVersion, version.pk)
    ensure_editable(current)
    if not current.is_draft:
        raise InvalidTransition("Only a draft can be sent for approval.")
    summary = (change_summary or "").strip()
    errors = {}
    if not summary:
        errors["change_summary"] = "Enter a summary of what changed in this version"
    if not current.parties.exists():
        errors["__all__"] = "Add at least one party board before sending for approval"
    if errors:
        raise ValidationError(errors)
    return record_update(
        user=user,
        obj=current,
        fields={"status": Status.AWAITING_APPROVAL, "change_summary": summary, "sent_for_approval_at": timezone.now()},
        validate=False,
        action=Action.TRANSITION,
        message="Sent for approval",
    )


@transaction.atomic
def version_return_to_draft(*, user, version: ProtocolVersion) -> ProtocolVersion:
    """Take a version back from approval to draft; recorded approvals are withdrawn."""
    current = _locked_copy(ProtocolVersion, version.pk)
    ensure_editable(current)
    if not current.is_awaiting_approval:
        raise InvalidTransition("Only a version awaiting approval can go back to draft.")
    withdraw_approvals(user=user, version=current, reason="Returned to draft")
    return record_update(
        user=user,
        obj=current,
        fields={"status": Status.DRAFT},
        validate=False,
        action=Action.TRANSITION,
        message="Returned to draft",
    )


@one_change()
def version_agree(*, user, version: ProtocolVersion) -> ProtocolVersion:
    """Every party has approved: the version becomes agreed and the previous agreed one superseded.

    The effective date is the last approval's date at its precision; the review is due one review
    cycle later.
    """
    current = _locked_copy(ProtocolVersion, version.pk)
    ensure_editable(current)
    if not current.is_awaiting_approval:
        raise InvalidTransition("Only a version awaiting approval can become agreed.")
    parties = list(current.parties.select_related("board").prefetch_related("approvals"))
    waiting = [p.board.name for p in parties if not p.approval_complete]
    if not parties or waiting:
        raise InvalidTransition(
            "Every party must approve before the version is agreed"
            + (f"; still waiting for {', '.join(waiting)}." if waiting else ".")
        )
    effective_on, effective_precision = _effective_date(parties)
    protocol = current.protocol
    _supersede_agreed(user=user, protocol=protocol, exclude=current, message=f"Superseded by version {current.number}")
    current = record_update(
        user=user,
        obj=current,
        fields={
            "status": Status.AGREED,
            "effective_date": effective_on,
            "effective_date_precision": effective_precision,
            "agreed_at": timezone.now(),
            "review_due": (
                _add_months(effective_on, protocol.review_cycle_months)
                if protocol.review_cycle_months and effective_on
                else None
            ),
        },
        validate=False,
        action=Action.TRANSITION,
        message="Agreed by every party",
    )
    freeze(current)
    queue_sealed_pdf(current)  # drawn and sealed by the worker once this commits: the first download is stored
    if protocol.review_requested_at:
        record_update(
            user=user,
            obj=protocol,
            fields={"review_requested_at": None, "review_requested_reason": ""},
            validate=False,
            message="Review request met by the new agreed version",
        )
    return current


@one_change()
def version_record_past(
    *,
    user,
    protocol: Protocol,
    status: str,
    label: str,
    title: str = "",
    document_date: datetime.date | None = None,
    document_date_precision: str = DatePrecision.DAY,
    change_summary: str = "",
    number: int | None = None,
    draft: ProtocolVersion | None = None,
    approvals_as_written: list[dict] = (),
) -> ProtocolVersion:
    """Record a version from the document's own history (e.g. "V3, 14/05/2014, circulated draft") as it is
    written, without the approval workflow. It is a frozen record from the start and public like agreed ones;
    a circulated draft or withdrawn version is labelled so and never sealed as agreed.

    It takes `number` when given (its place in the history), else the open draft's place, moving the open
    draft after it, so the draft being worked on stays the latest. Recorded as agreed, it supersedes an
    earlier agreed version; it cannot be agreed when a later version is.

    With `draft` (the protocol's open draft, holding a document's text as imported), that draft itself
    becomes the past version, keeping its text, parties and records, and its date unless one is given.
    `approvals_as_written` then adds the approvals the document states, each a dict of its `party` (of
    that draft), `signatory_name`, `approved_on` and `approved_precision` (None and "" where the document
    is silent) and the `source` sentence; only an agreed or superseded version takes them.
    """
    Protocol.objects.select_for_update().filter(pk=protocol.pk).first()
    if draft is not None:
        return _record_draft_as_past(
            user=user,
            protocol=protocol,
            draft=draft,
            status=status,
            label=label,
            title=title,
            document_date=document_date,
            document_date_precision=document_date_precision,
            change_summary=change_summary,
            approvals_as_written=approvals_as_written,
        )
    if approvals_as_written:
        raise ValidationError({"approvals": "Approvals as written are recorded with a document's own text"})
    label, title = (label or "").strip(), (title or "").strip()
    errors = {}
    if status not in ProtocolVersion.PAST:
        errors["status"] = "Choose agreed, superseded, circulated draft or withdrawn"
    if not label:
        errors["label"] = "Enter the version's name as the document gives it, for example 'V3' or 'Version 3'"
    document_date, date_errors = _partial_date_errors("document_date", document_date, document_date_precision)
    errors.update(date_errors)
    draft = open_draft(protocol)
    if number is not None:
        number = int(number)
        if number < 1:
            errors["number"] = "Enter a number of 1 or more"
        elif protocol.versions.filter(number=number).exists():
            errors["number"] = f"Version {number} already exists; choose a free place in the history"
        elif draft is not None and number > draft.number:
            errors["number"] = f"A past version comes before the open draft (version {draft.number})"
    place = number if number is not None else (draft.number if draft is not None else None)
    if place is None:
        place = (protocol.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    in_force = status in ProtocolVersion.IN_FORCE
    if in_force and not errors:
        later = protocol.versions.agreed().filter(number__gt=place).first()
        if later is not None:
            errors["status"] = f"Version {later.number} is agreed and comes later: record this one as superseded"
    if errors:
        raise ValidationError(errors)
    if draft is not None and place == draft.number:
        record_update(
            user=user,
            obj=draft,
            fields={"number": (protocol.versions.aggregate(n=Max("number"))["n"] or 0) + 1},
            validate=False,
            message="Open draft moved after a past version recorded before it",
        )
    if in_force:
        _supersede_agreed(
            user=user, protocol=protocol, message=f"Superseded by version {place}, recorded from the document's history"
        )
    version = ProtocolVersion(
        protocol=protocol,
        number=place,
        label=label,
        title=title or protocol.title,
        status=status,
        document_date=document_date,
        document_date_precision=document_date_precision if document_date else DatePrecision.DAY,
        change_summary=(change_summary or "").strip(),
        recorded_as_past=True,
        created_by=user,
    )
    record_create(
        user=user,
        obj=version,
        validate=False,
        audit_fields=("number", "label", "title", "status", "document_date", "document_date_precision"),
        message=f"Past version recorded as written: {label}",
    )
    if version.is_sealed:
        freeze(version)
        queue_sealed_pdf(version)
    return version


def _record_draft_as_past(
    *,
    user,
    protocol,
    draft,
    status,
    label,
    title,
    document_date,
    document_date_precision,
    change_summary,
    approvals_as_written=(),
) -> ProtocolVersion:
    current = _locked_copy(ProtocolVersion, draft.pk)
    label, title = (label or "").strip(), (title or "").strip()
    errors = {}
    if current.protocol_id != protocol.pk or not current.is_draft:
        errors["version"] = "Only the protocol's open draft can be recorded as a past version"
    if status not in ProtocolVersion.PAST:
        errors["status"] = "Choose agreed, superseded, circulated draft or withdrawn"
    if not label:
        errors["label"] = "Enter the version's name as the document gives it, for example 'V3' or 'Version 3'"
    if document_date is None:
        document_date, document_date_precision = current.document_date, current.document_date_precision
    document_date, date_errors = _partial_date_errors("document_date", document_date, document_date_precision)
    errors.update(date_errors)
    in_force = status in ProtocolVersion.IN_FORCE
    if in_force and not errors:
        later = protocol.versions.agreed().filter(number__gt=current.number).first()
        if later is not None:
            errors["status"] = f"Version {later.number} is agreed and comes later: record this one as superseded"
    errors |= _approvals_as_written_errors(current, status, approvals_as_written)
    if errors:
        raise ValidationError(errors)
    for written in approvals_as_written:
        _record_approval_as_written(user=user, **written)
    if in_force:
        _supersede_agreed(
            user=user,
            protocol=protocol,
            message=f"Superseded by version {current.number}, recorded from the document's history",
        )
    current = record_update(
        user=user,
        obj=current,
        fields={
            "status": status,
            "label": label,
            "title": title or current.title,
            "document_date": document_date,
            "document_date_precision": document_date_precision if document_date else DatePrecision.DAY,
            "change_summary": (change_summary or "").strip() or current.change_summary,
            "recorded_as_past": True,
        },
        validate=False,
        action=Action.TRANSITION,
        message=f"Past version recorded as written, with its text: {label}",
    )
    if current.is_sealed:
        freeze(current)  # its record of what was agreed, from the text it holds
        queue_sealed_pdf(current)
    return current


def _approvals_as_written_errors(version, status, approvals) -> dict:
    if not approvals:
        return {}
    if status not in ProtocolVersion.SEALED:
        return {"approvals": "Approvals the document states are recorded only with a version that was agreed"}
    strangers = sorted({a["party"].board.name for a in approvals if a["party"].version_id != version.pk})
    if strangers:
        return {"approvals": f"Not parties to this version: {', '.join(strangers)}"}
    late = [a for a in approvals if a["approved_on"] is not None and a["approved_on"] > timezone.localdate()]
    if late:
        return {"approvals": "An approval's date must be today or in the past"}
    return {}


def _record_approval_as_written(*, user, party, signatory_name, approved_on, approved_precision, source=""):
    """One approval as a document states it, on the draft about to be recorded as that agreed version:
    nothing is added that the document does not say, and the note quotes where it says it."""
    approval = Approval(
        party=party,
        approved_on=approved_on,
        approved_precision=approved_precision if approved_on is not None else DatePrecision.DAY,
        signatory_name=(signatory_name or "").strip(),
        note=f"As the document states it: {source.strip()}"[:300] if source.strip() else "As the document states it",
        recorded_by=user if user is not None and user.is_authenticated else None,
    )
    record_create(
        user=user,
        obj=approval,
        validate=False,
        audit_fields=("approved_on", "approved_precision", "signatory_name", "note"),
        message=f"{party.board.name}'s approval recorded as the document states it",
    )


def _effective_date(parties) -> tuple[datetime.date | None, str]:
    """The date of the last approval, at its precision; not stated (None) when any party's date is unknown.

    The latest of the stated dates would only be a lower bound when another is not stated, so the
    registry records no date rather than a guess.
    """
    dated = []
    for party in parties:
        live = party.live_approvals()
        if not live or any(a.approved_on is None for a in live):
            return None, DatePrecision.DAY
        dated.extend(live)
    last = max(dated, key=lambda a: a.approved_on)
    return last.approved_on, last.approved_precision


def _supersede_agreed(*, user, protocol, message, exclude=None) -> None:
    """The version in force until now becomes superseded: one protocol has one agreed version."""
    previous = protocol.versions.agreed().exclude(pk=getattr(exclude, "pk", None)).first()
    if previous is not None:
        record_update(
            user=user,
            obj=previous,
            fields={"status": Status.SUPERSEDED},
            validate=False,
            action=Action.TRANSITION,
            message=message,
        )
