"""What a version states about who owes what to whom, for its record of what was agreed (protocols.frozen).

protocols asks for it through the collect_agreed_parts signal; each record is written out in plain
values with the boards' and posts' names as they are at that moment, plus the diagram as drawn data.
"""

from django.db.models import Prefetch
from django.utils.text import Truncator

from protocols.templatetags.protocol_tags import obligation_recipients, obligation_when, relation_sentence

from .graph import version_graph
from .models import Meeting, ObligationRecipient, ObligationSender


def _label(party):
    return party.label if party is not None else ""


def _clause(clause):
    """Which clause states it: its key and number, and for an unnumbered one its opening words."""
    if clause is None:
        return {"key": "", "reference": "", "anchor": "", "opening": ""}
    opening = Truncator(clause.plain_line).words(6, truncate=" …")
    return {"key": clause.key, "reference": clause.reference, "anchor": clause.anchor, "opening": opening}


def _obligations(version):
    senders = ObligationSender.objects.select_related("board", "post").order_by("id")
    recipients = ObligationRecipient.objects.select_related("board", "post").order_by("id")
    obligations = (
        version.obligations.select_related("presenter", "source_clause__parent")
        .prefetch_related(Prefetch("senders", queryset=senders), Prefetch("recipients", queryset=recipients))
        .order_by("id")
    )
    return [
        {
            "subject": obligation.subject,
            "title": obligation.title,
            "description": obligation.description,
            "senders": [_label(sender.party) for sender in obligation.senders.all()],
            "senders_label": obligation.senders_label,
            "recipients": [_label(recipient.party) for recipient in obligation.recipients.all()],
            "recipients_label": obligation_recipients(obligation),
            "frequency": obligation.frequency or "",
            "frequency_at_least": obligation.frequency_at_least,
            "frequency_label": obligation.frequency_label,
            "window_start_month": obligation.window_start_month,
            "window_end_month": obligation.window_end_month,
            "when": obligation_when(obligation),
            "presenter": obligation.presenter.title if obligation.presenter_id else "",
            "clause": _clause(obligation.source_clause),
        }
        for obligation in obligations
    ]


def _duties(version):
    duties = (
        version.duties.select_related("holder_board", "holder_post", "source_clause__parent")
        .prefetch_related("legal_references__instrument")
        .order_by("id")
    )
    return [
        {
            "holder": _label(duty.holder),
            "kind": duty.kind,
            "description": duty.description,
            "legal_references": [str(reference) for reference in duty.legal_references.all()],
            "clause": _clause(duty.source_clause),
        }
        for duty in duties
    ]


def _relations(version):
    relations = version.relations.select_related(
        "subject_board", "subject_post", "object_board", "object_post", "source_clause__parent"
    ).order_by("id")
    return [
        {
            "kind": relation.kind,
            "subject": _label(relation.subject),
            "object": _label(relation.object),
            "negated": relation.negated,
            "symmetric": relation.symmetric,
            "description": relation.description,
            "frequency": relation.frequency,
            "sentence": relation_sentence(relation),
            "clause": _clause(relation.source_clause),
        }
        for relation in relations
    ]


def _meetings(version):
    meetings = (
        Meeting.objects.filter(version=version)
        .select_related("source_clause__parent")
        .prefetch_related("participant_boards", "participant_posts", "agenda_items")
        .order_by("id")
    )
    return [
        {
            "title": meeting.title,
            "frequency": meeting.frequency,
            "purpose": meeting.purpose,
            "participants": sorted(
                [_label(board) for board in meeting.participant_boards.all()]
                + [_label(post) for post in meeting.participant_posts.all()]
            ),
            "agenda": [item.text for item in sorted(meeting.agenda_items.all(), key=lambda item: item.position)],
            "clause": _clause(meeting.source_clause),
        }
        for meeting in meetings
    ]


def agreed_parts(sender, version, **kwargs):
    """The collect_agreed_parts receiver: this app's records of `version`, in plain values."""
    return {
        "obligations": _obligations(version),
        "duties": _duties(version),
        "relations": _relations(version),
        "meetings": _meetings(version),
        "diagram": version_graph(version),
    }
