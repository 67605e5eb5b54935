"""What changed between two versions in the records a protocol states: reporting obligations, duties,
relations and meetings. Registered with protocols.extensions.change_readers, so the summary of a new
version's changes (protocols.changes.version_changes) lists them beside clauses, parties and glossary."""

from django.db.models import Prefetch

from core.text import NOT_STATED, month_window
from protocols.changes import Snapshot, clause_ref, group_from_snapshots, or_not_stated

from .models import Duty, Meeting, ObligationRecipient, ObligationSender, Relation, ReportingObligation, join_labels


def _name(party):
    return party.name if hasattr(party, "name") else party.title


def _names(parties):
    return join_labels(sorted(_name(p) for p in parties))


def _obligation(obligation):
    key, citation = clause_ref(obligation.source_clause)
    senders = [s.party for s in obligation.senders.all()]
    recipients = [r.party for r in obligation.recipients.all()]
    sender_label = _names(senders) or NOT_STATED
    return Snapshot(
        label=f"{obligation.title} ({sender_label} to {_names(recipients) or NOT_STATED})",
        fields={
            "What is sent": obligation.title,
            "Kind of report": obligation.get_subject_display(),
            "Who reports": sender_label,
            "To whom": or_not_stated(_names(recipients)),
            "How often": or_not_stated(obligation.frequency_label),
            "Window": or_not_stated(month_window(obligation.window_start_month, obligation.window_end_month)),
            "Presented by": obligation.presenter.title if obligation.presenter_id else NOT_STATED,
            "Notes": or_not_stated(obligation.description),
        },
        clause_key=key,
        clause=citation,
        same_thing=(obligation.subject, obligation.title.casefold()),
        same_kind=(obligation.subject,),
    )


def _duty(duty):
    key, citation = clause_ref(duty.source_clause)
    holder = _name(duty.holder)
    return Snapshot(
        label=f"{holder}: {duty.description[:80]}".rstrip(": "),
        fields={"Who holds it": holder, "Kind": duty.get_kind_display(), "The duty": or_not_stated(duty.description)},
        clause_key=key,
        clause=citation,
        same_thing=(duty.holder_board_id, duty.holder_post_id, duty.description.casefold()),
        same_kind=(duty.holder_board_id, duty.holder_post_id),
    )


def _relation(relation):
    key, citation = clause_ref(relation.source_clause)
    subject, target = _name(relation.subject), _name(relation.object)
    return Snapshot(
        label=relation.sentence(subject, target),
        fields={
            "Who": subject,
            "Relation": relation.verb,
            "To or with whom": target,
            "How often": or_not_stated(relation.get_frequency_display() if relation.frequency else ""),
            "Notes": or_not_stated(relation.description),
        },
        clause_key=key,
        clause=citation,
        same_thing=(
            relation.subject_board_id,
            relation.subject_post_id,
            relation.object_board_id,
            relation.object_post_id,
            relation.kind,
        ),
        same_kind=(relation.kind,),
    )


def _meeting(meeting):
    key, citation = clause_ref(meeting.source_clause)
    participants = [*meeting.participant_boards.all(), *meeting.participant_posts.all()]
    return Snapshot(
        label=meeting.title,
        fields={
            "Meeting": meeting.title,
            "How often": or_not_stated(meeting.get_frequency_display() if meeting.frequency else ""),
            "Who meets": or_not_stated(_names(participants)),
            "Purpose": or_not_stated(meeting.purpose),
            "Standing agenda": or_not_stated("; ".join(item.text for item in meeting.agenda_items.all())),
        },
        clause_key=key,
        clause=citation,
        same_thing=(meeting.title.casefold(),),
        same_kind=(meeting.frequency,),
    )


def _records(queryset, versions):
    by_version = {version.pk: [] for version in versions}
    for record in queryset.filter(version__in=versions):
        by_version[record.version_id].append(record)
    return [by_version[version.pk] for version in versions]


def record_changes(*, old, new):
    """Obligations, duties, relations and meetings added, removed or changed from `old` to `new`.

    Eleven queries whatever the number of records: each kind once for both versions, with what it names.
    """
    versions = [old, new]
    clause = ("source_clause__section", "source_clause__parent")
    obligations = _records(
        ReportingObligation.objects.select_related(*clause, "presenter").prefetch_related(
            Prefetch("senders", queryset=ObligationSender.objects.select_related("board", "post")),
            Prefetch("recipients", queryset=ObligationRecipient.objects.select_related("board", "post")),
        ),
        versions,
    )
    duties = _records(Duty.objects.select_related(*clause, "holder_board", "holder_post"), versions)
    relations = _records(
        Relation.objects.select_related(*clause, "subject_board", "subject_post", "object_board", "object_post"),
        versions,
    )
    meetings = _records(
        Meeting.objects.select_related(*clause).prefetch_related(
            "participant_boards", "participant_posts", "agenda_items"
        ),
        versions,
    )
    return [
        group_from_snapshots(
            "obligations",
            "Reporting obligations",
            [_obligation(o) for o in obligations[0]],
            [_obligation(o) for o in obligations[1]],
        ),
        group_from_snapshots("duties", "Duties", [_duty(d) for d in duties[0]], [_duty(d) for d in duties[1]]),
        group_from_snapshots(
            "relations", "Relations", [_relation(r) for r in relations[0]], [_relation(r) for r in relations[1]]
        ),
        group_from_snapshots(
            "meetings", "Meetings", [_meeting(m) for m in meetings[0]], [_meeting(m) for m in meetings[1]]
        ),
    ]
