"""Every change to protocols, versions, sections, clauses, parties and approvals.

The browser and the API both call these functions, so they cannot disagree. Each one checks the
rules and makes the change through core.writes, which writes its AuditRecord in the same
transaction, and raises:

- VersionLocked when the version is agreed or superseded (the signed record never changes);
- EditConflict(current=...) when the caller's expected_revision is stale (someone else saved first);
- InvalidTransition when the version's status does not allow the step;
- django ValidationError, with field errors, for bad input.
"""

from __future__ import annotations

import calendar
import datetime
import warnings
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from boards.models import Area, Board, DatePrecision, Post
from core.exceptions import InvalidTransition
from core.writes import (
    Action,
    audit,
    full_clean,
    record_create,
    record_delete,
    record_positions,
    record_rows,
    record_update,
    snapshot,
)

from .models import (
    Approval,
    Clause,
    GlossaryEntry,
    Party,
    Protocol,
    ProtocolVersion,
    Section,
)
from .sanitize import is_blank_html, rich_text_html, sanitize_html
from .signals import version_copied

Status = ProtocolVersion.Status
PROTOCOL_FIELDS = (
    "title",
    "short_title",
    "summary",
    "review_cycle_months",
    "review_on_legislation_change",
    "review_on_guidance_change",
    "review_note",
)
MAX_SIGNATURE_BYTES = 2 * 1024 * 1024
# A signature needs no more; a larger image costs seconds and gigabytes to decode and seal.
MAX_SIGNATURE_PIXELS = 4_000_000
UNCHANGED = object()  # a keyword argument left out: keep the stored value (None means "not stated")


# Helpers ---------------------------------------------------------------------------------------


def ensure_editable(version: ProtocolVersion) -> None:
    version.refuse_changes()


def _save_changes(*, user, obj, fields: dict, expected_revision=None, message="") -> list[str]:
    """Save the fields whose values differ (through the write path); return their names."""
    current = record_update(user=user, obj=obj, fields=fields, expected_revision=expected_revision, message=message)
    obj.__dict__.update(current.__dict__)
    return current.changed_fields


def _locked_copy(model, pk):
    """Re-read a row inside the transaction, locking it where the database can, so two saves queue."""
    return model.objects.select_for_update().get(pk=pk)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def normalise_partial_date(day: datetime.date, precision: str) -> datetime.date:
    """A month-precision date is stored as the 1st, a year-precision one as 1 January."""
    if precision == DatePrecision.MONTH:
        return day.replace(day=1)
    if precision == DatePrecision.YEAR:
        return day.replace(month=1, day=1)
    return day


def _unique_slug(text: str) -> str:
    base = slugify(text)[:100] or "protocol"
    slug, n = base, 2
    while Protocol.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _validate_protocol_fields(fields: dict) -> None:
    errors = _protocol_errors(fields)
    if errors:
        raise ValidationError(errors)


def _protocol_errors(fields: dict) -> dict:
    errors = {}
    if "title" in fields and not (fields["title"] or "").strip():
        errors["title"] = "Enter a title"
    cycle = fields.get("review_cycle_months")
    if cycle is not None and cycle != "" and int(cycle) < 1:
        errors["review_cycle_months"] = "Enter a review cycle of at least 1 month, or leave it empty"
    return errors


def withdraw_approvals(*, user, version: ProtocolVersion, reason: str) -> int:
    """A content edit after approvals were recorded withdraws them (parties must approve what changed)."""
    _clear_paper_copies(user=user, version=version, reason=reason)
    live = list(Approval.objects.filter(party__version=version, withdrawn_at__isnull=True).select_related("party"))
    if not live:
        return 0
    now = timezone.now()
    for approval in live:
        record_update(
            user=user,
            obj=approval,
            fields={"withdrawn_at": now, "withdrawn_reason": reason[:300]},
            validate=False,
            message="Approval withdrawn by a content edit",
        )
    return len(live)


def _clear_paper_copies(*, user, version: ProtocolVersion, reason: str) -> None:
    """A paper copy approved the text as it was; after an edit the party must approve again."""
    for party in Party.objects.filter(version=version, recorded_from_paper=True):
        record_update(
            user=user,
            obj=party,
            fields={"recorded_from_paper": False, "paper_note": ""},
            validate=False,
            message=f"Paper-copy approval withdrawn: {reason}"[:300],
        )


def live_approval_count(version: ProtocolVersion) -> int:
    return Approval.objects.filter(party__version=version, withdrawn_at__isnull=True).count()


def _content_changed(*, user, version, what):
    withdraw_approvals(user=user, version=version, reason=f"{what} changed after approval")
    if version.auto_numbering:
        _renumber(version)


# Protocols -------------------------------------------------------------------------------------


@transaction.atomic
def protocol_create(
    *,
    user,
    area: Area,
    title: str,
    short_title: str = "",
    summary: str = "",
    review_cycle_months: int | None = 12,
    party_boards: Iterable[Board] = (),
) -> Protocol:
    """A new protocol with a first, empty draft version and its parties."""
    fields = {"title": (title or "").strip(), "review_cycle_months": review_cycle_months}
    errors = {}
    if area is None:
        errors["area"] = "Choose the area that keeps this protocol"
    try:
        _validate_protocol_fields(fields)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    protocol = Protocol(
        title=fields["title"],
        short_title=(short_title or "").strip(),
        slug=_unique_slug(short_title or title),
        area=area,
        summary=summary or "",
        review_cycle_months=review_cycle_months or None,
    )
    record_create(user=user, obj=protocol, validate=False, audited=False)
    version = ProtocolVersion(protocol=protocol, number=1, title=protocol.title, status=Status.DRAFT, created_by=user)
    record_create(user=user, obj=version, validate=False, audited=False)
    record_rows(Party(version=version, board=board, position=position) for position, board in enumerate(party_boards))
    audit(
        user=user,
        action=Action.CREATE,
        obj=protocol,
        after=snapshot(protocol, ("title", "short_title", "slug", "area", "summary", "review_cycle_months")),
        message="Protocol created with a first draft",
        scope={"version_id": version.pk},
    )
    return protocol


@transaction.atomic
def protocol_update(*, user, protocol: Protocol, expected_revision: int | None, **fields) -> Protocol:
    """Change a protocol's title, summary and review settings."""
    unknown = set(fields) - set(PROTOCOL_FIELDS)
    if unknown:
        raise TypeError(f"Unknown protocol fields: {', '.join(sorted(unknown))}")
    if "title" in fields:
        fields["title"] = (fields["title"] or "").strip()
    if "review_cycle_months" in fields and fields["review_cycle_months"] in ("", 0):
        fields["review_cycle_months"] = None
    return record_update(
        user=user,
        obj=protocol,
        fields=fields,
        expected_revision=expected_revision,
        validate=lambda record: full_clean(record, _protocol_errors(fields)),
    )


# Versions --------------------------------------------------------------------------------------


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


@transaction.atomic
def version_start_review(*, user, protocol: Protocol) -> ProtocolVersion:
    """A new draft copied from the agreed version: same section and clause keys, parties and glossary.

    Apps that keep records about a version (accountability) copy theirs on the version_copied signal.
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


def _partial_date_errors(field, value, precision):
    """(normalised date, errors) for a date known to `precision`; None stays None (not stated)."""
    if value is None:
        return None, {}
    if precision not in DatePrecision.values:
        return value, {f"{field}_precision": "Choose how precisely the date is known"}
    value = normalise_partial_date(value, precision)
    if value > timezone.localdate():
        return value, {field: "The date must be today or in the past"}
    return value, {}


@transaction.atomic
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
) -> ProtocolVersion:
    """Record a version from the document's own history (e.g. "V3, 14/05/2014, circulated draft") as it is
    written, without the approval workflow. It is a frozen record from the start and public like agreed ones;
    a circulated draft or withdrawn version is labelled so and never sealed as agreed.

    It takes `number` when given (its place in the history), else the open draft's place, moving the open
    draft after it, so the draft being worked on stays the latest. Recorded as agreed, it supersedes an
    earlier agreed version; it cannot be agreed when a later version is.
    """
    Protocol.objects.select_for_update().filter(pk=protocol.pk).first()
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
        previous = protocol.versions.agreed().first()
        if previous is not None:
            record_update(
                user=user,
                obj=previous,
                fields={"status": Status.SUPERSEDED},
                validate=False,
                action=Action.TRANSITION,
                message=f"Superseded by version {place}, recorded from the document's history",
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
    return version


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


@transaction.atomic
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
    previous = protocol.versions.agreed().exclude(pk=current.pk).first()
    if previous is not None:
        record_update(
            user=user,
            obj=previous,
            fields={"status": Status.SUPERSEDED},
            validate=False,
            action=Action.TRANSITION,
            message=f"Superseded by version {current.number}",
        )
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
    if protocol.review_requested_at:
        record_update(
            user=user,
            obj=protocol,
            fields={"review_requested_at": None, "review_requested_reason": ""},
            validate=False,
            message="Review request met by the new agreed version",
        )
    return current


# Parties and approvals ----------------------------------------------------------------------------


@transaction.atomic
def party_add(*, user, version: ProtocolVersion, board: Board, signatory_post: Post | None = None) -> Party:
    ensure_editable(version)
    if version.parties.filter(board=board).exists():
        raise ValidationError({"board": f"{board.name} is already a party to this version"})
    position = (version.parties.aggregate(p=Max("position"))["p"] or 0) + 1
    party = Party(version=version, board=board, signatory_post=signatory_post, position=position)
    return record_create(user=user, obj=party, audit_fields=("board", "signatory_post", "position"))


@transaction.atomic
def party_remove(*, user, party: Party) -> None:
    version = party.version
    ensure_editable(version)
    record_delete(user=user, obj=party, audit_fields=("board", "signatory_post", "position"))
    withdraw_approvals(user=user, version=version, reason="Parties changed after approval")


def _signature_errors(signature_kind, signature_text, signature_image):
    errors = {}
    kinds = Approval.SignatureKind
    if signature_kind not in kinds.values:
        errors["signature_kind"] = "Choose how the signatory signed"
    elif signature_kind == kinds.TYPED and not (signature_text or "").strip():
        errors["signature_text"] = "Type the signatory's name as their signature"
    elif signature_kind in (kinds.DRAWN, kinds.UPLOADED):
        field = "signature_drawn" if signature_kind == kinds.DRAWN else "signature_image"
        if not signature_image:
            errors[field] = (
                "Draw the signature" if signature_kind == kinds.DRAWN else "Choose an image of the signature"
            )
        else:
            errors.update(_image_errors(signature_image, field))
    return errors


def _image_errors(upload, field):
    from PIL import Image, UnidentifiedImageError

    if upload.size > MAX_SIGNATURE_BYTES:
        return {field: "The signature image must be smaller than 2 MB"}
    too_big = {field: f"The signature image must be at most {MAX_SIGNATURE_PIXELS:,} pixels (e.g. 2000 × 2000)"}
    try:
        upload.seek(0)
        # Opening reads only the header: the pixel count is checked before anything is decoded,
        # and Pillow's own decompression-bomb check (error or warning) is a refusal, never a crash.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                width, height = image.size
                if width * height > MAX_SIGNATURE_PIXELS:
                    return too_big
                image.verify()
                kind = image.format
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return too_big
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return {field: "The signature must be a PNG or JPEG image"}
    finally:
        upload.seek(0)
    if kind not in {"PNG", "JPEG"}:
        return {field: "The signature must be a PNG or JPEG image"}
    return {}


@transaction.atomic
def approval_record(
    *,
    user,
    party: Party,
    approved_on: datetime.date | None,
    approved_precision: str = DatePrecision.DAY,
    signatory_name: str | None = "",
    signatory_post_title: str | None = "",
    capacity: str | None = "",
    signature_kind: str = Approval.SignatureKind.NONE,
    signature_text: str = "",
    signature_image=None,
) -> Approval:
    """Record one signatory's approval for a party board; when every party's approval is complete, the
    version is agreed.

    `approved_on` None, and an empty name or post, record that the protocol does not state them.
    A party takes as many signatures as the protocol lists for it (Party.signatories_expected).
    """
    version = _locked_copy(ProtocolVersion, party.version_id)
    ensure_editable(version)
    if not version.is_awaiting_approval:
        raise InvalidTransition("Send the draft for approval before recording approvals.")
    party = Party.objects.select_related("board").prefetch_related("approvals").get(pk=party.pk)
    errors = {}
    if approved_on is not None:
        if approved_precision not in DatePrecision.values:
            errors["approved_precision"] = "Choose how precisely the date is known"
        else:
            approved_on = normalise_partial_date(approved_on, approved_precision)
        if approved_on > timezone.localdate():
            errors["approved_on"] = "The approval date must be today or in the past"
    if party.approval_complete:
        errors["party"] = _complete_message(party)
    errors.update(_signature_errors(signature_kind, signature_text, signature_image))
    if errors:
        raise ValidationError(errors)
    approval = Approval(
        party=party,
        approved_on=approved_on,
        approved_precision=approved_precision if approved_on is not None else DatePrecision.DAY,
        signatory_name=(signatory_name or "").strip(),
        signatory_post_title=(signatory_post_title or "").strip(),
        capacity=(capacity or "").strip(),
        signature_kind=signature_kind,
        signature_text=(signature_text or "").strip() if signature_kind == Approval.SignatureKind.TYPED else "",
        recorded_by=user if user is not None and user.is_authenticated else None,
    )
    if signature_image and signature_kind in (Approval.SignatureKind.DRAWN, Approval.SignatureKind.UPLOADED):
        extension = "png" if signature_kind == Approval.SignatureKind.DRAWN else _extension(signature_image)
        approval.signature_image.save(
            f"{version.protocol.slug}-v{version.number}-{party.board.slug}.{extension}", signature_image, save=False
        )
    record_create(
        user=user,
        obj=approval,
        validate=False,
        audit_fields=(
            "approved_on",
            "approved_precision",
            "signatory_name",
            "signatory_post_title",
            "capacity",
            "signature_kind",
        ),
        message=f"{party.board.name} approved" + (f" ({approval.signatory_name})" if approval.signatory_name else ""),
    )
    _agree_when_complete(user=user, version=version)
    return approval


def _complete_message(party: Party) -> str:
    if party.recorded_from_paper:
        return f"{party.board.name}'s approval is already recorded from a paper copy"
    count = party.signatories_expected
    listed = "its signatory has" if count == 1 else f"all {count} of its signatories have"
    return f"{party.board.name} has already approved this version: {listed} signed"


def _agree_when_complete(*, user, version: ProtocolVersion) -> None:
    parties = list(version.parties.prefetch_related("approvals"))
    if parties and all(p.approval_complete for p in parties):
        version_agree(user=user, version=version)


@transaction.atomic
def party_approval_rule(
    *,
    user,
    party: Party,
    signatories_expected: int | None = None,
    recorded_from_paper: bool | None = None,
    paper_note: str | None = None,
) -> Party:
    """How a party's approval is complete: how many signatories the protocol lists for it, or that the
    business manager recorded its approval from a paper copy (with a note, which is shown)."""
    version = _locked_copy(ProtocolVersion, party.version_id)
    ensure_editable(version)
    current = Party.objects.select_for_update().get(pk=party.pk)
    fields = {}
    errors = {}
    if signatories_expected is not None:
        if int(signatories_expected) < 1:
            errors["signatories_expected"] = "A party has at least one signatory"
        elif int(signatories_expected) > 20:
            errors["signatories_expected"] = "Enter at most 20 signatories"
        fields["signatories_expected"] = int(signatories_expected)
    if recorded_from_paper is not None:
        fields["recorded_from_paper"] = bool(recorded_from_paper)
        note = (paper_note if paper_note is not None else current.paper_note) or ""
        fields["paper_note"] = note.strip() if recorded_from_paper else ""
        if recorded_from_paper and not fields["paper_note"]:
            errors["paper_note"] = "Say what the paper copy shows, for example who signed it and when"
        if recorded_from_paper and not version.is_awaiting_approval:
            errors["recorded_from_paper"] = "Send the draft for approval before recording approvals"
    elif paper_note is not None and current.recorded_from_paper:
        fields["paper_note"] = paper_note.strip()
        if not fields["paper_note"]:
            errors["paper_note"] = "Say what the paper copy shows, for example who signed it and when"
    if errors:
        raise ValidationError(errors)
    current = record_update(
        user=user,
        obj=current,
        fields=fields,
        validate=False,
        message=f"How {current.board.name}'s approval is complete"[:300],
    )
    if current.changed_fields and version.is_awaiting_approval:
        _agree_when_complete(user=user, version=version)
    return current


def _extension(upload):
    name = (getattr(upload, "name", "") or "").lower()
    return "jpg" if name.endswith((".jpg", ".jpeg")) else "png"


# Sections ----------------------------------------------------------------------------------------


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


def _store_positions(items):
    record_positions((item, index) for index, item in enumerate(items))


# Clauses -----------------------------------------------------------------------------------------


def _clause_number_clash(section, number, parent_id, exclude_pk=None):
    """Two clauses at the same level of a section cannot share a number; '(a)' may recur under other parents."""
    if not number:
        return False
    return section.clauses.filter(number=number, parent_id=parent_id).exclude(pk=exclude_pk).exists()


def _ordered_tree(section):
    """The section's clauses as [(clause, [children as trees])], in position order."""
    clauses = list(section.clauses.order_by("position", "id"))
    children = {}
    for clause in clauses:
        children.setdefault(clause.parent_id, []).append(clause)
    return children


def _flatten(children, parent_id=None):
    for clause in children.get(parent_id, []):
        yield clause
        yield from _flatten(children, clause.pk)


def _store_clause_positions(children):
    _store_positions(list(_flatten(children)))


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


# Numbering ---------------------------------------------------------------------------------------

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
