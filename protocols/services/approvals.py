"""Parties to a version and their approvals (with typed, drawn or uploaded signatures)."""

from __future__ import annotations

import datetime
import warnings

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from boards.models import Board, DatePrecision, Post
from core.exceptions import InvalidTransition
from core.writes import (
    one_change,
    record_create,
    record_delete,
    record_update,
)

from ..models import (
    Approval,
    Party,
    ProtocolVersion,
    SignatureRequest,
)
from ._helpers import _locked_copy, ensure_editable, normalise_partial_date, withdraw_approvals
from .versions import version_agree

MAX_SIGNATURE_BYTES = 2 * 1024 * 1024


MAX_SIGNATURE_PIXELS = 4_000_000


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


@one_change()
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
    signature_request: SignatureRequest | None = None,
) -> Approval:
    """Record one signatory's approval for a party board; when every party's approval is complete, the
    version is agreed.

    `approved_on` None, and an empty name or post, record that the protocol does not state them.
    A party takes as many signatures as the protocol lists for it (Party.signatories_expected).
    `signature_request` is the personal signing link the signatory signed through: it is linked to the
    approval, with its evidence, before the version may be agreed.
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
    if signature_request is not None:
        record_update(
            user=user,
            obj=signature_request,
            fields={"approval": approval},
            validate=False,
            message=f"{approval.signatory_name} signed through their signing link"[:300],
        )
        approval.signature_request = SignatureRequest.objects.get(pk=signature_request.pk)
    _agree_when_complete(user=user, version=version)
    return approval


def _extension(upload):
    name = (getattr(upload, "name", "") or "").lower()
    return "jpg" if name.endswith((".jpg", ".jpeg")) else "png"


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
