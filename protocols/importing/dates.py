"""Dates as a document writes them, to the precision it writes them: "22nd July 2015" is a day,
"December 2012" and "? June 2015" are months, "2014" alone is a year. Nothing is filled in."""

import datetime
import re
from dataclasses import dataclass

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY_MONTH_YEAR = re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>\d{4})\b", re.I)
_MONTH_DAY_YEAR = re.compile(r"\b" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,\s*(?P<year>\d{4})\b", re.I)
_MONTH_YEAR = re.compile(r"\b" + _MONTH + r",?\s+(?P<year>\d{4})\b", re.I)
_NUMERIC = re.compile(r"\b(?P<day>\d{1,2})[/.](?P<month>\d{1,2})[/.](?P<year>\d{4})\b")
_YEAR = re.compile(r"\b(?P<year>(?:19|20)\d{2})\b")


@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        # The same words as boards.models.DatePrecision, without importing the database layer.
        return "day" if self.day else "month" if self.month else "year"

    def as_date(self) -> datetime.date:
        """The first day the written date could mean, for storing with its precision."""
        return datetime.date(self.year, self.month or 1, self.day or 1)

    def sort_key(self):
        return (self.year, self.month or 0, self.day or 0)

    def __str__(self) -> str:
        if self.day:
            return self.as_date().strftime("%-d %B %Y")
        if self.month:
            return self.as_date().strftime("%B %Y")
        return str(self.year)


def find_date(text: str) -> PartialDate | None:
    """The first date written in `text`, at the precision written, or None."""
    if not text:
        return None
    candidates = []
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        if match := pattern.search(text):
            candidates.append(
                (match.start(), _make(match.group("year"), MONTHS[match.group("month").lower()], match.group("day")))
            )
    if match := _NUMERIC.search(text):
        candidates.append((match.start(), _make(match.group("year"), int(match.group("month")), match.group("day"))))
    if candidates:
        candidates = [c for c in candidates if c[1] is not None]
        if candidates:
            return min(candidates, key=lambda c: c[0])[1]
    if match := _MONTH_YEAR.search(text):
        return _make(match.group("year"), MONTHS[match.group("month").lower()], None)
    if match := _YEAR.search(text):
        return PartialDate(int(match.group("year")))
    return None


def _make(year: str, month: int, day: str | None) -> PartialDate | None:
    try:
        datetime.date(int(year), month, int(day) if day else 1)
    except ValueError:
        return None
    return PartialDate(int(year), month, int(day) if day else None)
