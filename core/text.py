"""Words the registry uses wherever a protocol is silent, and the phrases it builds sentences from, so every
page, PDF, feed and API words a fact the same way."""

import calendar

NOT_STATED = "Not stated in the protocol"


def month_window(start, end):
    """A window of months as a person writes it: 'September to November', 'June', or '' when none is stated."""
    if not start:
        return ""
    if not end or start == end:
        return calendar.month_name[start]
    return f"{calendar.month_name[start]} to {calendar.month_name[end]}"


def title_after_name(name, title):
    """What follows `name` when `title` begins with it ('KSCB', 'KSCB Annual Report' -> 'Annual Report'), else None.

    A report called after its sender reads badly in a sentence that names the sender first.
    """
    if not name or not title:
        return None
    lowered, prefix = title.lower(), name.lower()
    for joint in (" ", "'s ", "\u2019s "):
        if lowered.startswith(prefix + joint):
            rest = title[len(name) + len(joint) :].strip()
            return rest or None
    return None


def sends_phrase(sender, title):
    """'KSCB sends its Annual Report' for a report named after its sender, else 'LSCB sends Minutes of meetings'."""
    rest = title_after_name(sender, title)
    return f"{sender} sends its {rest}" if rest else f"{sender} sends {title}"


def titled_by_sender(sender, title):
    """A heading for a report: 'KSCB Annual Report' when the title already names the sender, else 'HWB: Minutes'."""
    return title if title_after_name(sender, title) else f"{sender}: {title}"


# The longest free text the registry accepts in one field, from a form or the API. A long clause runs
# to a few thousand characters; anything far beyond is a mistake or an attack (a history page that
# shows a megabyte field megabytes long).
MAX_TEXT_LENGTH = 20_000
