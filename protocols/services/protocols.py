"""Protocols: creating one with its first draft, and changing its title, summary and review settings."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from boards.models import Area, Board
from core.writes import (
    Action,
    audit,
    full_clean,
    record_create,
    record_rows,
    record_update,
    snapshot,
)

from ..models import (
    Party,
    Protocol,
    ProtocolVersion,
)
from ._helpers import Status

PROTOCOL_FIELDS = (
    "title",
    "short_title",
    "summary",
    "review_cycle_months",
    "review_on_legislation_change",
    "review_on_guidance_change",
    "review_note",
)


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
