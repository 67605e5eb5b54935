"""Parties to a version and their approvals (with typed, drawn or uploaded signatures)."""

from __future__ import annotations

import datetime
import warnings

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from boards.models import Board, DatePrecision, Post
from core.exceptions import InvalidTransition
from core.writes import (
    record_create,
    record_delete,
)

from ..models import (
    Approval,
    Party,
    ProtocolVersion,
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


@transaction.atomic
def approval_record(
    *,
    user,
    party: Party,
    approved_on: datetime.date,
    approved_precision: str = DatePrecision.DAY,
    signatory_name: str,
    signatory_post_title: str = "",
    signature_kind: str = Approval.SignatureKind.NONE,
    signature_text: str = "",
    signature_image=None,
) -> Approval:
    """Record one party board's approval; when every party has approved, the version is agreed."""
    version = _locked_copy(ProtocolVersion, party.version_id)
    ensure_editable(version)
    if not version.is_awaiting_approval:
        raise InvalidTransition("Send the draft for approval before recording approvals.")
    errors = {}
    if approved_on is None:
        errors["approved_on"] = "Enter the date the board approved it"
    else:
        if approved_precision not in DatePrecision.values:
            errors["approved_precision"] = "Choose how precisely the date is known"
        else:
            approved_on = normalise_partial_date(approved_on, approved_precision)
        if approved_on > timezone.localdate():
            errors["approved_on"] = "The approval date must be today or in the past"
    if not (signatory_name or "").strip():
        errors["signatory_name"] = "Enter the signatory's name"
    if Approval.objects.filter(party_id=party.pk, withdrawn_at__isnull=True).exists():
        errors["party"] = f"{party.board.name} has already approved this version"
    errors.update(_signature_errors(signature_kind, signature_text, signature_image))
    if errors:
        raise ValidationError(errors)
    approval = Approval(
        party=party,
        approved_on=approved_on,
        approved_precision=approved_precision,
        signatory_name=signatory_name.strip(),
        signatory_post_title=(signatory_post_title or "").strip(),
        signature_kind=signature_kind,
        signature_text=(signature_text or "").strip() if signature_kind == Approval.SignatureKind.TYPED else "",
        recorded_by=user if user is not None and user.is_authenticated else None,
    )
    if signature_image and signature_kind in (Approval.SignatureKind.DRAWN, Approval.SignatureKind.UPLOADED):
        extension = "png" if signature_kind == Approval.SignatureKind.DRAWN else _extension(signature_image)
        approval.signature_image.save(
            f"{version.protocol.slug}-v{version.number}-{party.board.slug}.{extension}", signature_image, save=False
        )
    try:
        with transaction.atomic():
            record_create(
                user=user,
                obj=approval,
                validate=False,
                audit_fields=(
                    "approved_on",
                    "approved_precision",
                    "signatory_name",
                    "signatory_post_title",
                    "signature_kind",
                ),
                message=f"{party.board.name} approved",
            )
    except IntegrityError as error:
        # Two people recording the same party's approval at once: the database lets only one through.
        raise ValidationError({"party": f"{party.board.name} has already approved this version"}) from error
    parties = version.parties.prefetch_related("approvals")
    if all(p.current_approval() is not None for p in parties):
        version_agree(user=user, version=version)
    return approval


def _extension(upload):
    name = (getattr(upload, "name", "") or "").lower()
    return "jpg" if name.endswith((".jpg", ".jpeg")) else "png"
