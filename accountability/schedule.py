"""When an obligation falls due: windows of months computed from its frequency.

A window is the span of months in which the protocol expects the report, e.g. an annual report due
September to November. Windows may wrap the year (October to February runs into the next year).
Periodic obligations repeat their window every 3, 6 or 12 months; with no months stated, the
window is the whole period (the calendar year, half-year or quarter). Obligations due after each
meeting, on request or as required have no date, and so are never overdue.
"""

import calendar
import datetime
from dataclasses import dataclass

from .models import Frequency

PERIOD_MONTHS = {
    Frequency.ANNUAL: 12,
    Frequency.SIX_MONTHLY: 6,
    Frequency.QUARTERLY: 3,
}
UNDATED_LABELS = {
    Frequency.AFTER_EACH_MEETING: "After every meeting",
    Frequency.ON_REQUEST: "On request",
    Frequency.AS_REQUIRED: "As and when required",
    Frequency.THREE_YEARLY: "Every three years",
    Frequency.ONCE: "Once",
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


def window_shape(frequency, start_month, end_month):
    """(period in months, first month, length in months) or None when the obligation has no date."""
    period = PERIOD_MONTHS.get(frequency)
    if period is None:
        return None
    if start_month is None:
        return period, 1, period
    length = (end_month - start_month) % 12 + 1
    return period, start_month, min(length, period)


def windows_between(frequency, start_month, end_month, first_day, last_day):
    """Every window that overlaps [first_day, last_day], in order."""
    shape = window_shape(frequency, start_month, end_month)
    if shape is None:
        return []
    period, month, length = shape
    # Windows repeat from the first month of the year before: none lasts over a year, so the
    # earliest one that could still be open on first_day starts there or later.
    year = first_day.year - 1
    windows = []
    while True:
        end_year, end_month_ = _add_months(year, month, length - 1)
        window = DueWindow(datetime.date(year, month, 1), _last_day(end_year, end_month_))
        if window.start > last_day:
            return windows
        if window.end >= first_day:
            windows.append(window)
        year, month = _add_months(year, month, period)


def window_for(frequency, start_month, end_month, period_start):
    """The window beginning on `period_start`, or None when no window of this obligation starts then."""
    for window in windows_between(frequency, start_month, end_month, period_start, period_start):
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
    shape = window_shape(obligation.frequency, obligation.window_start_month, obligation.window_end_month)
    if shape is None:
        label = UNDATED_LABELS.get(obligation.frequency) or obligation.get_frequency_display()
        return ObligationStatus(obligation, None, None, last, label)
    period = shape[0]
    nearby = windows_between(
        obligation.frequency,
        obligation.window_start_month,
        obligation.window_end_month,
        today - datetime.timedelta(days=31 * period + 31),
        today + datetime.timedelta(days=31 * period * 2),
    )
    ended = [w for w in nearby if w.end < today]
    overdue = ended[-1] if ended and ended[-1].start not in met else None
    upcoming = [w for w in nearby if w.end >= today and w.start not in met]
    return ObligationStatus(obligation, upcoming[0] if upcoming else None, overdue, last)


def upcoming_windows(obligation, first_day, last_day):
    """Windows of this obligation overlapping the span, for the calendar and the iCal feed."""
    return windows_between(
        obligation.frequency, obligation.window_start_month, obligation.window_end_month, first_day, last_day
    )
