"""When an obligation falls due: windows of months computed from its frequency.

A window is the span of months in which the protocol expects the report, e.g. an annual report due
September to November. Windows may wrap the year (October to February runs into the next year).
Periodic obligations repeat their window every 1, 2, 3, 6, 12, 24 or 36 months; with no months
stated, the window is the whole period (the month, the calendar year, half-year or quarter); such an
obligation is due some time in the period, and since the protocol does not say when, it is never
shown as overdue.
"At least annually" is due as annually: the protocol's least.

A cycle longer than a year needs a year to count from: the year the version takes effect, or else
its document's year. When the version gives neither, a two- or three-yearly obligation has no date
rather than an invented one. Obligations due after each meeting, on request, as required, or whose
frequency the protocol does not state have no date, and so are never overdue.
"""

import calendar
import datetime
from dataclasses import dataclass

from core.text import NOT_STATED

from .models import Frequency

PERIOD_MONTHS = {
    Frequency.MONTHLY: 1,
    Frequency.TWO_MONTHLY: 2,
    Frequency.QUARTERLY: 3,
    Frequency.SIX_MONTHLY: 6,
    Frequency.ANNUAL: 12,
    Frequency.TWO_YEARLY: 24,
    Frequency.THREE_YEARLY: 36,
}
UNDATED_LABELS = {
    Frequency.AFTER_EACH_MEETING: "After every meeting",
    Frequency.ON_REQUEST: "On request",
    Frequency.AS_REQUIRED: "As and when required",
    Frequency.ONCE: "Once",
    "": f"How often: {NOT_STATED.lower()}",
}


def _add_months(year, month, count):
    """(year, month) `count` months after the given one (month is 1-12)."""
    index = year * 12 + (month - 1) + count
    return index // 12, index % 12 + 1


def _last_day(year, month):
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True, order=True)
class DueWindow:
    start: datetime.date
    end: datetime.date

    @property
    def label(self):
        """'September to November 2025', 'October 2025 to February 2026', 'June 2025'."""
        start, end = self.start, self.end
        if (start.year, start.month) == (end.year, end.month):
            return f"{calendar.month_name[start.month]} {start.year}"
        if start.year == end.year:
            return f"{calendar.month_name[start.month]} to {calendar.month_name[end.month]} {end.year}"
        return f"{calendar.month_name[start.month]} {start.year} to {calendar.month_name[end.month]} {end.year}"

    def contains(self, day):
        return self.start <= day <= self.end


def window_shape(frequency, start_month, end_month, anchor_year=None):
    """(period in months, first month, length in months) or None when the obligation has no date.

    A cycle longer than a year has a date only when `anchor_year` (the year it is counted from) is known.
    """
    period = PERIOD_MONTHS.get(frequency)
    if period is None or (period > 12 and anchor_year is None):
        return None
    if start_month is None:
        return period, 1, period
    length = (end_month - start_month) % 12 + 1
    return period, start_month, min(length, period)


def windows_between(frequency, start_month, end_month, first_day, last_day, anchor_year=None):
    """Every window that overlaps [first_day, last_day], in order."""
    shape = window_shape(frequency, start_month, end_month, anchor_year)
    if shape is None:
        return []
    period, month, length = shape
    # Months are counted from year 0. A cycle of a year or less repeats every year, so any year can
    # start the count; a longer one counts from its anchor year.
    base = (anchor_year if period > 12 else first_day.year - 1) * 12 + month - 1
    first_index = first_day.year * 12 + first_day.month - 1
    # The earliest window that could still be open on first_day starts at most `length` months before it.
    index = base + (first_index - length - base) // period * period
    windows = []
    while True:
        year, month_ = divmod(index, 12)
        end_year, end_month_ = divmod(index + length - 1, 12)
        window = DueWindow(datetime.date(year, month_ + 1, 1), _last_day(end_year, end_month_ + 1))
        if window.start > last_day:
            return windows
        if window.end >= first_day:
            windows.append(window)
        index += period


def window_for(frequency, start_month, end_month, period_start, anchor_year=None):
    """The window beginning on `period_start`, or None when no window of this obligation starts then."""
    for window in windows_between(frequency, start_month, end_month, period_start, period_start, anchor_year):
        if window.start == period_start:
            return window
    return None


def anchor_year(obligation):
    """The year a long cycle counts from: the version's effective date, else its document date, else None."""
    version = obligation.version
    if version is None:
        return None
    day = getattr(version, "effective_date", None) or getattr(version, "document_date", None)
    return day.year if day else None


def obligation_shape(obligation):
    return window_shape(
        obligation.frequency, obligation.window_start_month, obligation.window_end_month, anchor_year(obligation)
    )


def obligation_windows(obligation, first_day, last_day):
    """The obligation's windows overlapping [first_day, last_day]."""
    return windows_between(
        obligation.frequency,
        obligation.window_start_month,
        obligation.window_end_month,
        first_day,
        last_day,
        anchor_year(obligation),
    )


def obligation_window_for(obligation, period_start):
    for window in obligation_windows(obligation, period_start, period_start):
        if window.start == period_start:
            return window
    return None


@dataclass
class ObligationStatus:
    """Where an obligation stands on a day: its next window, and one that ended unmet, if any."""

    obligation: object
    next_window: DueWindow | None
    overdue_window: DueWindow | None
    last_fulfilment: object
    undated_label: str = ""
    window_stated: bool = True

    @property
    def is_overdue(self):
        return self.overdue_window is not None

    @property
    def is_dated(self):
        return not self.undated_label


def obligation_status(obligation, today):
    """The obligation's standing on `today`, using its prefetched fulfilments.

    The next window is the earliest one not yet over and not yet met. The obligation is overdue
    when the last window that ended before today has no fulfilment recorded for it.
    """
    fulfilments = list(obligation.fulfilments.all())
    met = {f.period_start for f in fulfilments}
    last = max(fulfilments, key=lambda f: (f.met_on, f.period_start)) if fulfilments else None
    shape = obligation_shape(obligation)
    if shape is None:
        label = UNDATED_LABELS.get(obligation.frequency)
        if label is None:  # a cycle of years with no year to count from
            label = f"{obligation.frequency_label}; first due date not stated"
        return ObligationStatus(obligation, None, None, last, label)
    period = shape[0]
    nearby = obligation_windows(
        obligation,
        today - datetime.timedelta(days=31 * period + 31),
        today + datetime.timedelta(days=31 * period * 2),
    )
    stated = obligation.window_start_month is not None
    ended = [w for w in nearby if w.end < today]
    # With no window stated, the protocol does not say the report was late, so the registry does not either.
    overdue = ended[-1] if stated and ended and ended[-1].start not in met else None
    upcoming = [w for w in nearby if w.end >= today and w.start not in met]
    return ObligationStatus(obligation, upcoming[0] if upcoming else None, overdue, last, window_stated=stated)


def upcoming_windows(obligation, first_day, last_day):
    """Windows of this obligation overlapping the span, for the calendar and the iCal feed."""
    return obligation_windows(obligation, first_day, last_day)
