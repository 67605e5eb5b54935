"""Reads for the calendar, the iCal feeds and the area's gaps, each in a fixed number of queries."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from boards.models import Board
from protocols.models import Protocol, ProtocolVersion, ReviewState

from .models import ObligationRecipient, Relation, ReportingObligation
from .schedule import obligation_status, upcoming_windows

Kind = Relation.Kind

# A board is held to account when it is the object of one of these ...
HOLDING_KINDS = {Kind.HOLDS_TO_ACCOUNT, Kind.SCRUTINISES, Kind.OVERSEES, Kind.CHALLENGES, Kind.APPOINTS_AND_REMOVES}
# ... or the subject of one of these.
ANSWERING_KINDS = {Kind.REPORTS_TO, Kind.ACCOUNTABLE_TO, Kind.PRESENTS_ANNUAL_REPORT_TO}


def in_force():
    """Records an agreed version states, or that no protocol states (entered directly)."""
    return Q(version__isnull=True) | Q(version__status__in=ProtocolVersion.IN_FORCE)


def _obligations():
    return ReportingObligation.objects.select_related(
        "from_board",
        "from_post",
        "presenter",
        "version__protocol",
        "source_clause__parent",
        "source_clause__section__version__protocol",
    ).prefetch_related(
        Prefetch("recipients", queryset=ObligationRecipient.objects.select_related("board", "post").order_by("id")),
        "fulfilments",
    )


def area_obligations(area):
    """Obligations in force that a board of the area owes or receives: four queries."""
    boards = Board.objects.filter(areas=area).values("pk")
    return (
        _obligations()
        .filter(in_force())
        .filter(Q(from_board__in=boards) | Q(recipients__board__in=boards) | Q(from_post__area=area))
        .distinct()
        .order_by("id")
    )


def board_obligations(board):
    """Obligations in force that `board` owes or receives: four queries."""
    return (
        _obligations()
        .filter(in_force())
        .filter(Q(from_board=board) | Q(recipients__board=board))
        .distinct()
        .order_by("id")
    )


def recipients_label(obligation):
    return ", ".join(r.party.label for r in obligation.recipients.all()) or "no recipient named"


@dataclass
class CalendarEntry:
    status: object
    window: object = None

    @property
    def obligation(self):
        return self.status.obligation


@dataclass
class CalendarMonth:
    start: datetime.date
    entries: list = field(default_factory=list)

    @property
    def label(self):
        return self.start.strftime("%B %Y")


def _month_start(day):
    return day.replace(day=1)


def obligation_calendar(obligations, today, months=12):
    """The obligations by month for `months` months from today's, plus overdue and undated ones.

    A window already open on today's date is listed under the current month.
    """
    first = _month_start(today)
    year, month = divmod(first.month - 1 + months, 12)
    last = datetime.date(first.year + year, month + 1, 1) - datetime.timedelta(days=1)
    by_month = {}
    overdue, undated = [], []
    for obligation in obligations:
        status = obligation_status(obligation, today)
        if not status.is_dated:
            undated.append(status)
            continue
        if status.is_overdue:
            overdue.append(status)
        met = {f.period_start for f in obligation.fulfilments.all()}
        for window in upcoming_windows(obligation, today, last):
            key = max(_month_start(window.start), first)
            entry = CalendarEntry(status=status, window=window)
            entry.met = window.start in met
            by_month.setdefault(key, []).append(entry)
    calendar_months = []
    cursor = first
    for _ in range(months):
        entries = sorted(by_month.get(cursor, []), key=lambda e: (e.window.end, e.obligation.pk))
        calendar_months.append(CalendarMonth(start=cursor, entries=entries))
        cursor = (cursor + datetime.timedelta(days=32)).replace(day=1)
    return {"months": calendar_months, "overdue": overdue, "undated": undated}


@dataclass
class Gaps:
    unaccountable_boards: list
    obligations_without_recipient: list
    protocols_past_review: list

    def __bool__(self):
        return bool(self.unaccountable_boards or self.obligations_without_recipient or self.protocols_past_review)


def area_gaps(area, today=None):
    """What is worth flagging in an area: five queries whatever its size.

    - a board (other than a subgroup, which answers to its parent) that no arrow holds to account:
      no relation has it as the one held, answering or reporting, and it sends no obligation anyone receives;
    - an obligation in force with no recipient;
    - an agreed protocol version whose review is overdue (ProtocolVersion.review_state).
    """
    today = today or datetime.date.today()
    boards = list(Board.objects.filter(areas=area, parent__isnull=True).order_by("name"))  # query 1
    board_ids = [b.pk for b in boards]
    held = set(
        Relation.objects.filter(in_force(), kind__in=HOLDING_KINDS, object_board__in=board_ids).values_list(
            "object_board", flat=True
        )
    )  # query 2
    held |= set(
        Relation.objects.filter(in_force(), kind__in=ANSWERING_KINDS, subject_board__in=board_ids).values_list(
            "subject_board", flat=True
        )
    )  # query 3
    held |= set(
        ObligationRecipient.objects.filter(
            Q(obligation__version__isnull=True) | Q(obligation__version__status__in=ProtocolVersion.IN_FORCE),
            obligation__from_board__in=board_ids,
        ).values_list("obligation__from_board", flat=True)
    )  # query 4
    unrouted = list(
        ReportingObligation.objects.filter(in_force(), recipients__isnull=True)
        .filter(Q(from_board__in=board_ids) | Q(from_post__area=area))
        .select_related(
            "from_board",
            "from_post",
            "version__protocol",
            "source_clause__parent",
            "source_clause__section__version__protocol",
        )
        .order_by("id")
    )  # query 5
    past_review = [
        version
        for version in ProtocolVersion.objects.review_attention(today)
        .filter(protocol__in=Protocol.objects.in_area(area).values("pk"))
        .select_related("protocol")
        .order_by("review_due")
        if version.review_state(today) == ReviewState.OVERDUE
    ]  # query 6
    return Gaps(
        unaccountable_boards=[b for b in boards if b.pk not in held],
        obligations_without_recipient=unrouted,
        protocols_past_review=past_review,
    )
