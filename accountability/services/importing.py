"""Records from an imported document: the reporting obligations and relations the business manager
accepted on the review screen, each linked to the clause that states it, and the values the review
screen proposes for them from the sentence (a proposal only: nothing is saved until it is accepted)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

from protocols.importing.dates import MONTHS

from ..models import Frequency, Relation, ReportingObligation
from .records import obligation_create, relation_create

_FREQUENCY_WORDS = (
    (r"\bquarterly\b|\bevery (?:three|3) months\b", Frequency.QUARTERLY),
    (r"\bmonthly\b|\bevery month\b", Frequency.MONTHLY),
    (r"\bsix[- ]monthly\b|\bevery six months\b|\btwice a year\b|\bbi-?annual", Frequency.SIX_MONTHLY),
    (r"\bevery two years\b|\bbiennial", Frequency.TWO_YEARLY),
    (r"\bannual(?:ly)?\b|\bevery year\b|\beach year\b|\byearly\b", Frequency.ANNUAL),
    (r"\b(?:after|following) each meeting\b", Frequency.AFTER_EACH_MEETING),
    (r"\bon request\b", Frequency.ON_REQUEST),
)
_SUBJECT_WORDS = (
    (r"annual report", ReportingObligation.Subject.ANNUAL_REPORT),
    (r"business plan", ReportingObligation.Subject.BUSINESS_PLAN),
    (r"needs assessment|\bJSNA\b", ReportingObligation.Subject.NEEDS_ASSESSMENT),
    (r"performance|data|dashboard", ReportingObligation.Subject.PERFORMANCE_DATA),
    (r"minutes", ReportingObligation.Subject.MINUTES),
    (r"progress|update", ReportingObligation.Subject.PROGRESS_REPORT),
    (r"plan|strategy", ReportingObligation.Subject.PLAN),
)
_MONTH_NAMES = re.compile(r"\b(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b", re.IGNORECASE)


def proposed_values(suggestion: dict) -> dict:
    """What the review screen fills in for a suggested obligation or relation, read from its sentence:
    the title in the document's words, the kind of report, how often and in which months when the
    sentence says so; empty where it does not."""
    sentence = suggestion.get("sentence", "")
    what = re.sub(r"^(?:its|their|the|an?|his|her)\s+", "", (suggestion.get("what") or "").strip(), flags=re.I)
    title = what or "Report"
    subject = next(
        (value for pattern, value in _SUBJECT_WORDS if re.search(pattern, title, re.I)),
        ReportingObligation.Subject.OTHER,
    )
    frequency = next((value for pattern, value in _FREQUENCY_WORDS if re.search(pattern, sentence, re.I)), "")
    months = [MONTHS[name.lower()] for name in _MONTH_NAMES.findall(suggestion.get("when") or "")]
    kind = Relation.Kind.HOLDS_TO_ACCOUNT if suggestion.get("kind") == "holds to account" else Relation.Kind.REPORTS_TO
    return {
        "record": "relation" if suggestion.get("kind") == "holds to account" else "obligation",
        "title": title[:1].upper() + title[1:],
        "subject": subject,
        "frequency": frequency,
        "window_start_month": months[0] if months else None,
        "window_end_month": months[-1] if months else None,
        "kind": kind,
    }


def _month(value):
    return int(value) if value not in (None, "") else None


def records_from_import(sender, *, version, user, obligations, relations, **kwargs):
    """Receiver for protocols.signals.import_confirmed (connected in AccountabilityConfig.ready)."""
    for item in obligations:
        where = f"The obligation from “{item['sentence'][:80]}”"
        try:
            obligation_create(
                user=user,
                version=version,
                source_clause=item.get("clause"),
                senders=item.get("senders") or [],
                recipients=item.get("recipients") or [],
                subject=item.get("subject") or ReportingObligation.Subject.OTHER,
                title=(item.get("title") or "").strip()[:250],
                frequency=item.get("frequency") or "",
                frequency_at_least=bool(item.get("frequency_at_least")),
                window_start_month=_month(item.get("window_start_month")),
                window_end_month=_month(item.get("window_end_month")),
            )
        except ValidationError as error:
            raise ValidationError([f"{where}: {message}" for message in _messages(error)]) from error
    for item in relations:
        where = f"The relation from “{item['sentence'][:80]}”"
        try:
            relation_create(
                user=user,
                version=version,
                source_clause=item.get("clause"),
                kind=item.get("kind") or "",
                subject_board=item.get("subject"),
                object_board=item.get("object"),
            )
        except ValidationError as error:
            raise ValidationError([f"{where}: {message}" for message in _messages(error)]) from error


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [message for messages in error.message_dict.values() for message in messages]
    return error.messages
