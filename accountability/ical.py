"""iCalendar (RFC 5545) feeds of obligations' due windows, for Outlook and Google Calendar to subscribe to.

Each window is a one-day, all-day event on the window's first day (the day the report falls due to
be prepared), its description naming the whole window: an event spanning the window's months would
lie across every day of a calendar as a banner. UIDs are stable (obligation and period), so a
calendar that refreshes the feed updates events instead of duplicating them.

The feed is written here line by line, as the icalendar library writes it (the same properties in the same
order, escaped and folded by its rules; a test compares the two): the library builds an object per property
and folds lines one character at a time, which made a busy board's feed (900 events) 60 ms of work.
"""

import datetime

from django.utils import timezone

from core.text import NOT_STATED, titled_by_sender

from .schedule import upcoming_windows
from .selectors import recipients_label

PAST_DAYS = 366
FUTURE_DAYS = 2 * 366


def obligation_feed(obligations, *, name, base_url, today=None):
    """The calendar as bytes: one event per due window from a year ago to two years ahead."""
    today = today or datetime.date.today()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Protocol Registry//Obligations//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{name}",  # an X- property's value is written as it is, as icalendar writes it
        "X-PUBLISHED-TTL:PT12H",
    ]
    stamp = _stamp(timezone.now())
    first, last = today - datetime.timedelta(days=PAST_DAYS), today + datetime.timedelta(days=FUTURE_DAYS)
    for obligation in obligations:
        met = {f.period_start: f for f in obligation.fulfilments.all()}
        for window in upcoming_windows(obligation, first, last):
            sender = obligation.senders_label or f"Sender: {NOT_STATED.lower()}"
            heading = titled_by_sender(sender, obligation.title)
            if obligation.window_start_month is None:
                due = f"Due some time in {window.label}; when in the period: {NOT_STATED.lower()}."
            else:
                due = f"Due {window.label}."
            description = [due, f"How often: {obligation.frequency_label}."]
            if not obligation.senders_label:
                description.append(f"Who sends it: {NOT_STATED.lower()}.")
            if obligation.presenter_id:
                description.append(f"Presented by the {obligation.presenter.title}.")
            fulfilment = met.get(window.start)
            if fulfilment:
                description.append(f"Met on {fulfilment.met_on:%d %B %Y}.")
            clause_url = None
            if obligation.source_clause_id:
                clause = obligation.source_clause
                clause_url = base_url + clause.get_absolute_url()
                # The clause's words as plain text (each paragraph and list item on its own line):
                # a description is plain text, so markup or entities would show as typed characters.
                description.append(f"Stated in {clause.citation}: {clause_url}")
                description.append(clause.plain_text)
            lines += [
                "BEGIN:VEVENT",
                f"SUMMARY:{_text(f'{heading} to {recipients_label(obligation)}')}",
                f"DTSTART;VALUE=DATE:{_date(window.start)}",
                f"DTEND;VALUE=DATE:{_date(window.start + datetime.timedelta(days=1))}",  # exclusive: one whole day
                f"DTSTAMP:{stamp}",
                f"UID:{_text(f'obligation-{obligation.pk}-{window.start.isoformat()}@protocol-registry')}",
                f"DESCRIPTION:{_text(chr(10).join(description))}",
                "STATUS:CONFIRMED",
                "TRANSP:TRANSPARENT",
            ]
            if clause_url:
                lines.append(f"URL:{clause_url}")
            lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode()


def _text(value):
    """A TEXT value escaped (RFC 5545 3.3.11): backslashes, semicolons, commas, and line breaks as \\n."""
    return (
        value.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def _date(day):
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _stamp(moment):
    moment = moment.astimezone(datetime.UTC)
    return f"{_date(moment)}T{moment.hour:02d}{moment.minute:02d}{moment.second:02d}Z"


FOLD = 74  # octets a line holds before it is folded (RFC 5545 3.1 allows 75)


def _fold(line):
    """The line folded into lines of at most 74 octets, each after the first starting with a space.

    A fold never splits a UTF-8 character, and never separates a backslash or caret from the character it
    escapes: such a character starts the next line instead.
    """
    if line.isascii():  # one octet a character: cut by length
        parts, start = [], 0
        while len(line) - start > FOLD:
            end = start + FOLD
            if line[end - 1] in "\\^":
                end -= 1
            parts.append(line[start:end])
            start = end
        parts.append(line[start:])
        return "\r\n ".join(parts)
    parts, current, size = [], [], 0
    for char in line:
        width = len(char.encode())
        if current and size + width > FOLD:
            if len(current) > 1 and current[-1] in "\\^":
                carried = current.pop()
                parts.append("".join(current))
                current, size = [carried], len(carried.encode())
            else:
                parts.append("".join(current))
                current, size = [], 0
        current.append(char)
        size += width
    if current:
        parts.append("".join(current))
    return "\r\n ".join(parts)
