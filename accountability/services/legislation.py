"""Legislation: the Acts and guidance the registry knows, the ones a board is established under, the
protocols citing an instrument, and asking for their review when the legislation changes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from boards import permissions as register_rules
from boards.models import Board
from core.writes import full_clean, record_create, record_delete, record_update
from protocols.models import Protocol, ProtocolVersion
from protocols.permissions import editable_protocols

from ..models import BoardLegalBasis, LegalInstrument, LegalReference

INSTRUMENT_FIELDS = ("title", "short_title", "kind", "year", "url")


@transaction.atomic
def instrument_create(
    *, user, title: str, kind: str, short_title: str = "", year=None, url: str = ""
) -> LegalInstrument:
    """Add an Act, regulations or guidance to the registry's list, for anyone keeping part of the register."""
    if user is not None and not register_rules.can_edit_register(user):
        raise PermissionDenied("You cannot add legislation to the registry.")
    instrument = LegalInstrument(
        title=(title or "").strip(), short_title=(short_title or "").strip(), kind=kind, year=year, url=url or ""
    )
    errors = {}
    if LegalInstrument.objects.filter(title__iexact=instrument.title).exists():
        errors["title"] = ["The registry already lists legislation with this title: choose it from the list."]
    return record_create(
        user=user, obj=instrument, validate=lambda record: full_clean(record, errors), audit_fields=INSTRUMENT_FIELDS
    )


@transaction.atomic
def board_legal_basis_add(
    *, user, board: Board, instrument: LegalInstrument, provision: str = "", note: str = ""
) -> BoardLegalBasis:
    """Record that `board` is established under (a provision of) `instrument`."""
    if user is not None and not register_rules.can_edit_board(user, board):
        raise PermissionDenied("You can change only the boards of the areas you keep.")
    provision = (provision or "").strip()
    reference = LegalReference.objects.filter(instrument=instrument, provision=provision).first()
    if reference is None:
        reference = LegalReference(instrument=instrument, provision=provision)
        record_create(user=user, obj=reference, audit_fields=("instrument", "provision"))
    basis = BoardLegalBasis(board=board, legal_reference=reference, note=(note or "").strip())
    errors = {}
    if BoardLegalBasis.objects.filter(board=board, legal_reference=reference).exists():
        errors["provision"] = ["This board already has this legal basis."]
    return record_create(
        user=user,
        obj=basis,
        validate=lambda record: full_clean(record, errors, exclude=["board", "legal_reference"]),
        audit_fields=("board", "legal_reference", "note"),
    )


@transaction.atomic
def board_legal_basis_remove(*, user, basis: BoardLegalBasis) -> None:
    """Take a legal basis off a board (kept in the register's history)."""
    if user is not None and not register_rules.can_edit_board(user, basis.board):
        raise PermissionDenied("You can change only the boards of the areas you keep.")
    record_delete(user=user, obj=basis, audit_fields=("board", "legal_reference", "note"))


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
