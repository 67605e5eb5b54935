"""What the protocol services share: the locked re-read, the edit guard, approval withdrawal, positions."""

from __future__ import annotations

import calendar
import datetime

from django.utils import timezone

from boards.models import DatePrecision
from core.writes import (
    record_positions,
    record_update,
)

from ..models import (
    Approval,
    Party,
    ProtocolVersion,
)

Status = ProtocolVersion.Status


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


def live_approval_count(version: ProtocolVersion) -> int:
    return Approval.objects.filter(party__version=version, withdrawn_at__isnull=True).count()


def _store_positions(items):
    record_positions((item, index) for index, item in enumerate(items))


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


UNCHANGED = object()  # a keyword argument left out: keep the stored value (None means "not stated")
