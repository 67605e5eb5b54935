"""Protocols citing an instrument, and asking for their review when the legislation changes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from core.writes import (
    record_update,
)
from protocols.models import Protocol, ProtocolVersion
from protocols.permissions import editable_protocols

from ..models import (
    LegalInstrument,
)


def protocols_citing(instrument: LegalInstrument):
    """Protocols whose agreed or open draft version has a clause citing any provision of the instrument."""
    return Protocol.objects.filter(
        versions__status__in=ProtocolVersion.LIVE,
        versions__sections__clauses__citations__legal_reference__instrument=instrument,
    ).distinct()


def instruments_with_citing_counts():
    """Cited instruments, each annotated with `citing_protocols`: one query for the whole list."""
    path = "references__citations__clause__section__version"
    return (
        LegalInstrument.objects.filter(references__citations__isnull=False)
        .annotate(
            citing_protocols=Count(
                f"{path}__protocol", filter=Q(**{f"{path}__status__in": ProtocolVersion.LIVE}), distinct=True
            )
        )
        .order_by("title")
    )


@transaction.atomic
def instrument_request_reviews(*, user, instrument: LegalInstrument, reason: str) -> list[Protocol]:
    """Mark every protocol citing the instrument (that this user may edit) as needing review, and why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say what changed, e.g. the amending Act or new guidance"})
    protocols = list(protocols_citing(instrument).filter(pk__in=editable_protocols(user).values("pk")))
    now = timezone.now()
    message = f"{instrument.short_title or instrument.title}: {reason}"[:300]
    return [
        record_update(
            user=user,
            obj=protocol,
            fields={"review_requested_at": now, "review_requested_reason": message},
            validate=False,
            message="Review requested because legislation changed",
        )
        for protocol in protocols
    ]
