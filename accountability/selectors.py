"""Reads for the board page, the calendar, the iCal feeds and the area's gaps, each in a fixed number of queries."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from boards.models import Area, Board, Post
from protocols.models import Party, Protocol, ProtocolVersion, ReviewState

from .models import (
    BoardLegalBasis,
    Duty,
    EscalationRoute,
    EscalationStep,
    LegalReference,
    Meeting,
    ObligationRecipient,
    ObligationSender,
    Relation,
    ReportingObligation,
)
from .schedule import obligation_status, upcoming_windows

Kind = Relation.Kind


def version_boards_and_posts(version):
    """The boards and posts a version's records may name: those of the protocol's area, of its parties, and
    of the other areas a party board covers (a board shared by several areas joins their registers); and
    posts placed in no area. Querysets, ordered by name."""
    protocol = version.protocol
    party_boards = Board.objects.filter(protocol_parties__version=version)
    areas = Area.objects.filter(Q(pk=protocol.area_id) | Q(boards__in=party_boards))
    boards = Board.objects.filter(Q(areas__in=areas) | Q(pk__in=party_boards)).distinct().order_by("name")
    posts = (
        Post.objects.filter(
            Q(area__in=areas) | Q(board__in=boards.values("pk")) | Q(area__isnull=True, board__isnull=True)
        )
        .distinct()
        .order_by("title")
    )
    return boards, posts


# A board is held to account when it is the object of one of these ...
HOLDING_KINDS = {Kind.HOLDS_TO_ACCOUNT, Kind.SCRUTINISES, Kind.OVERSEES, Kind.CHALLENGES, Kind.APPOINTS_AND_REMOVES}
# ... or the subject of one of these.
ANSWERING_KINDS = {Kind.REPORTS_TO, Kind.ACCOUNTABLE_TO, Kind.PRESENTS_ANNUAL_REPORT_TO}


def in_force(through=""):
    """Records an agreed version states, or that no protocol states (entered directly); `through` is the
    lookup to the record from the rows queried (e.g. "obligation__")."""
    return Q(**{f"{through}version__isnull": True}) | Q(**{f"{through}version__status__in": ProtocolVersion.IN_FORCE})


def _obligations():
    return ReportingObligation.objects.select_related(
        "presenter",
        "version__protocol",
        "source_clause__parent",
        "source_clause__section__version__protocol",
    ).prefetch_related(
        Prefetch("senders", queryset=ObligationSender.objects.select_related("board", "post").order_by("id")),
        Prefetch("recipients", queryset=ObligationRecipient.objects.select_related("board", "post").order_by("id")),
        "fulfilments",
    )


def _obligation_ids(*owners):
    """The ids of the obligations these sender and recipient rows belong to, in one query.

    Read apart from the obligations themselves: a filter joining senders and recipients by OR makes
    PostgreSQL read every obligation in the registry, while each part of the UNION is an indexed look-up.
    """
    # Unordered: SQLite allows no ORDER BY (a model's default ordering) in the parts of a UNION.
    first, *rest = [rows.order_by().values_list("obligation_id", flat=True) for rows in owners]
    return list(first.union(*rest))


def area_obligations(area):
    """Obligations in force that a board of the area owes or receives: five queries."""
    boards = Board.objects.filter(areas=area).values("pk")
    ids = _obligation_ids(
        ObligationSender.objects.filter(board__in=boards),
        ObligationSender.objects.filter(post__area=area),
        ObligationRecipient.objects.filter(board__in=boards),
    )
    return _obligations().filter(in_force(), pk__in=ids).order_by("id")


def board_obligations(board):
    """Obligations in force that `board` owes or receives: five queries."""
    ids = _obligation_ids(ObligationSender.objects.filter(board=board), ObligationRecipient.objects.filter(board=board))
    return _obligations().filter(in_force(), pk__in=ids).order_by("id")


# Where a record came from, for its "(clause 4.2 of the protocol)" note: joined in the record's own query.
_SOURCE = ("source_clause__parent", "source_clause__section__version__protocol", "version__protocol")


@dataclass
class BoardRecords:
    """What the registry records about a board beyond who sits on it: in force only, and parties to
    published (agreed or superseded) versions."""

    legal_bases: list
    duties: list
    obligations_owed: list
    obligations_received: list
    relations_out: list
    relations_in: list
    meetings: list
    parties: list
    escalation_routes: list


def board_records(board):
    """The board page's duties, reports, relations, meetings, protocols and escalation routes: 18 queries,
    however many records the board has (each list one query, plus one per relation its rows show)."""
    legal_references = Prefetch("legal_references", queryset=LegalReference.objects.select_related("instrument"))
    recipients = Prefetch("recipients", queryset=ObligationRecipient.objects.select_related("board", "post"))
    senders = Prefetch("senders", queryset=ObligationSender.objects.select_related("board", "post"))
    sent = ObligationSender.objects.filter(in_force("obligation__"), board=board).order_by("obligation_id")
    received = ObligationRecipient.objects.filter(in_force("obligation__"), board=board).order_by("id")
    steps = Prefetch("steps", queryset=EscalationStep.objects.order_by("order").prefetch_related("boards", "posts"))
    # A draft's title and parties are for its area's readers, never the public board page.
    parties = Party.objects.filter(board=board, version__in=ProtocolVersion.objects.public())
    parties = parties.select_related("version__protocol")
    return BoardRecords(
        legal_bases=list(BoardLegalBasis.objects.filter(board=board).select_related("legal_reference__instrument")),
        duties=list(
            Duty.objects.filter(in_force(), holder_board=board)
            .select_related(*_SOURCE)
            .prefetch_related(legal_references)
        ),
        # Read through the board's own sender rows (an indexed look-up; one row per obligation), as received below.
        obligations_owed=[
            sender.obligation
            for sender in sent.select_related(
                *(f"obligation__{path}" for path in ("presenter", *_SOURCE))
            ).prefetch_related(
                Prefetch("obligation__senders", queryset=senders.queryset),
                Prefetch("obligation__recipients", queryset=recipients.queryset),
            )
        ],
        obligations_received=[
            recipient.obligation
            for recipient in received.select_related(
                *(f"obligation__{path}" for path in ("presenter", *_SOURCE))
            ).prefetch_related(Prefetch("obligation__senders", queryset=senders.queryset))
        ],
        relations_out=list(
            Relation.objects.filter(in_force(), subject_board=board).select_related(
                "object_board", "object_post", *_SOURCE
            )
        ),
        relations_in=list(
            Relation.objects.filter(in_force(), object_board=board).select_related(
                "subject_board", "subject_post", *_SOURCE
            )
        ),
        meetings=list(
            Meeting.objects.filter(in_force(), participant_boards=board)
            .select_related(*_SOURCE)
            .prefetch_related("participant_boards", "participant_posts")
        ),
        parties=sorted(parties, key=lambda p: (p.version.protocol.title, -p.version.number)),
        escalation_routes=list(
            EscalationRoute.objects.filter(
                in_force(), pk__in=EscalationStep.objects.filter(boards=board).values("route")
            )
            .select_related("version__protocol", "source_clause__parent", "source_clause__section__version__protocol")
            .prefetch_related(steps)
        ),
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
    """What is worth flagging in an area: seven queries whatever its size.

    - a board (other than a subgroup, which answers to its parent) that no arrow holds to account:
      no relation has it as the one held, answering or reporting, and it sends no obligation anyone receives;
    - an obligation in force with no recipient;
    - an agreed protocol version whose review is overdue (ProtocolVersion.review_state).
    """
    today = today or datetime.date.today()
    boards = list(Board.objects.filter(areas=area, parent__isnull=True).order_by("name"))  # query 1
    board_ids = [b.pk for b in boards]
    held = set(
        Relation.objects.filter(
            in_force(), kind__in=HOLDING_KINDS, negated=False, object_board__in=board_ids
        ).values_list("object_board", flat=True)
    )  # query 2
    held |= set(
        Relation.objects.filter(
            in_force(), kind__in=ANSWERING_KINDS, negated=False, subject_board__in=board_ids
        ).values_list("subject_board", flat=True)
    )  # query 3
    held |= set(
        ObligationSender.objects.filter(
            Q(obligation__version__isnull=True) | Q(obligation__version__status__in=ProtocolVersion.IN_FORCE),
            obligation__recipients__isnull=False,
            board__in=board_ids,
        ).values_list("board", flat=True)
    )  # query 4
    unrouted = list(
        ReportingObligation.objects.filter(in_force(), recipients__isnull=True)
        .filter(
            pk__in=ObligationSender.objects.filter(Q(board__in=board_ids) | Q(post__area=area)).values("obligation")
        )
        .select_related(
            "version__protocol",
            "source_clause__parent",
            "source_clause__section__version__protocol",
        )
        .prefetch_related(Prefetch("senders", queryset=ObligationSender.objects.select_related("board", "post")))
        .order_by("id")
    )  # queries 5, 6
    past_review = [
        version
        for version in ProtocolVersion.objects.review_attention(today)
        .filter(protocol__in=Protocol.objects.in_area(area).values("pk"))
        .select_related("protocol")
        .order_by("review_due")
        if version.review_state(today) == ReviewState.OVERDUE
    ]  # query 7
    return Gaps(
        unaccountable_boards=[b for b in boards if b.pk not in held],
        obligations_without_recipient=unrouted,
        protocols_past_review=past_review,
    )


def obligations_due_soon(area, today, days=92):
    """The area's obligations overdue, or whose next window opens within `days` (a window open today
    included), soonest first: the obligation reads of area_obligations, whatever the number."""
    horizon = today + datetime.timedelta(days=days)
    due = []
    for obligation in area_obligations(area):
        status = obligation_status(obligation, today)
        if status.is_overdue or (status.next_window is not None and status.next_window.start <= horizon):
            due.append(status)
    return sorted(due, key=lambda s: (not s.is_overdue, s.next_window.start if s.next_window else today))
