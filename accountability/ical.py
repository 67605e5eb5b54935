"""iCalendar (RFC 5545) feeds of obligations' due windows, for Outlook and Google Calendar to subscribe to.

Each window is a one-day, all-day event on the window's first day (the day the report falls due to
be prepared), its description naming the whole window: an event spanning the window's months would
lie across every day of a calendar as a banner. UIDs are stable (obligation and period), so a
calendar that refreshes the feed updates events instead of duplicating them.
"""

import datetime

from django.utils import timezone
from icalendar import Calendar, Event

from core.text import NOT_STATED, titled_by_sender

from .schedule import upcoming_windows
from .selectors import recipients_label

PAST_DAYS = 366
FUTURE_DAYS = 2 * 366


def obligation_feed(obligations, *, name, base_url, today=None):
    """The calendar as bytes: one event per due window from a year ago to two years ahead."""
    today = today or datetime.date.today()
    calendar = Calendar()
    calendar.add("prodid", "-//Protocol Registry//Obligations//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-published-ttl", "PT12H")
    stamp = timezone.now()
    first, last = today - datetime.timedelta(days=PAST_DAYS), today + datetime.timedelta(days=FUTURE_DAYS)
    for obligation in obligations:
        met = {f.period_start: f for f in obligation.fulfilments.all()}
        for window in upcoming_windows(obligation, first, last):
            event = Event()
            event.add("uid", f"obligation-{obligation.pk}-{window.start.isoformat()}@protocol-registry")
            event.add("dtstamp", stamp)
            event.add("dtstart", window.start)
            event.add("dtend", window.start + datetime.timedelta(days=1))  # DTEND of an all-day event is exclusive
            sender = obligation.senders_label or f"Sender: {NOT_STATED.lower()}"
            heading = titled_by_sender(sender, obligation.title)
            event.add("summary", f"{heading} to {recipients_label(obligation)}")
            if obligation.window_start_month is None:
                due = f"Due some time in {window.label}; when in the period: {NOT_STATED.lower()}."
            else:
                due = f"Due {window.label}."
            lines = [due, f"How often: {obligation.frequency_label}."]
            if not obligation.senders_label:
                lines.append(f"Who sends it: {NOT_STATED.lower()}.")
            if obligation.presenter_id:
                lines.append(f"Presented by the {obligation.presenter.title}.")
            fulfilment = met.get(window.start)
            if fulfilment:
                lines.append(f"Met on {fulfilment.met_on:%d %B %Y}.")
            if obligation.source_clause_id:
                clause = obligation.source_clause
                clause_url = base_url + clause.get_absolute_url()
                # The clause's words as plain text (each paragraph and list item on its own line):
                # a description is plain text, so markup or entities would show as typed characters.
                lines.append(f"Stated in {clause.citation}: {clause_url}")
                lines.append(clause.plain_text)
                event.add("url", clause_url)
            event.add("description", "\n".join(lines))
            event.add("transp", "TRANSPARENT")
            event.add("status", "CONFIRMED")
            calendar.add_component(event)
    return calendar.to_ical()
