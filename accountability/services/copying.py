"""Copying what a version states to the new draft a review starts."""

from __future__ import annotations

from django.db import transaction

from core.writes import (
    record_create,
    record_rows,
)
from protocols.models import Clause, ProtocolVersion

from ..models import (
    ClauseCitation,
    Duty,
    EscalationRoute,
    Meeting,
    ObligationRecipient,
    ObligationSender,
    Priority,
    Relation,
    ReportingObligation,
)


def _copy(obj, **changes):
    """An unsaved copy of a model instance with some fields changed."""
    values = {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if not f.primary_key and f.attname not in {"created_at", "updated_at"}
    }
    values.update(changes)
    return type(obj)(**values)


@transaction.atomic
def copy_accountability(*, source_version: ProtocolVersion, target_version: ProtocolVersion) -> None:
    """Copy what the source version states to a new draft, re-pointing each source clause by clause key."""
    clause_by_key = {c.key: c.pk for c in Clause.objects.filter(section__version=target_version)}
    source_keys = dict(Clause.objects.filter(section__version=source_version).values_list("pk", "key"))

    def clause_id(old_id):
        return clause_by_key.get(source_keys.get(old_id)) if old_id else None

    def fresh(obj, **changes):
        return _copy(
            obj, version_id=target_version.pk, source_clause_id=clause_id(obj.source_clause_id), revision=1, **changes
        )

    def copy(obj, related=None):
        # Part of the new draft, which version_start_review audits as one change.
        return record_create(user=None, obj=obj, validate=False, related=related, audited=False)

    for duty in Duty.objects.filter(version=source_version).prefetch_related("legal_references"):
        copy(fresh(duty), {"legal_references": duty.legal_references.all()})
    for obligation in ReportingObligation.objects.filter(version=source_version).prefetch_related(
        "senders", "recipients"
    ):
        new = copy(fresh(obligation))
        record_rows(
            ObligationSender(obligation=new, board_id=s.board_id, post_id=s.post_id) for s in obligation.senders.all()
        )
        record_rows(
            ObligationRecipient(obligation=new, board_id=r.board_id, post_id=r.post_id)
            for r in obligation.recipients.all()
        )
    record_rows(fresh(r) for r in Relation.objects.filter(version=source_version))
    for meeting in Meeting.objects.filter(version=source_version).prefetch_related(
        "participant_posts", "participant_boards", "agenda_items"
    ):
        new = copy(
            fresh(meeting),
            {
                "participant_posts": meeting.participant_posts.all(),
                "participant_boards": meeting.participant_boards.all(),
            },
        )
        record_rows(_copy(item, meeting_id=new.pk) for item in meeting.agenda_items.all())
    for route in EscalationRoute.objects.filter(version=source_version).prefetch_related(
        "steps__posts", "steps__boards"
    ):
        new = copy(fresh(route))
        for step in route.steps.all():
            copy(_copy(step, route_id=new.pk), {"posts": step.posts.all(), "boards": step.boards.all()})
    priority_ids = {}
    # Parents first, so each child can point at its parent's copy.
    pending = list(Priority.objects.filter(version=source_version).prefetch_related("leads").order_by("position", "id"))
    while pending:
        ready = [p for p in pending if p.parent_id is None or p.parent_id in priority_ids]
        if not ready:
            break
        for priority in ready:
            new = copy(fresh(priority, parent_id=priority_ids.get(priority.parent_id)))
            priority_ids[priority.pk] = new.pk
            record_rows(_copy(lead, priority_id=new.pk) for lead in priority.leads.all())
        pending = [p for p in pending if p.pk not in priority_ids]
    record_rows(
        ClauseCitation(clause_id=clause_id(c.clause_id), legal_reference_id=c.legal_reference_id)
        for c in ClauseCitation.objects.filter(clause__section__version=source_version)
        if clause_id(c.clause_id)
    )


def copy_on_version_copied(sender, *, source_version, target_version, **kwargs):
    """Receiver for protocols.signals.version_copied (connected in AccountabilityConfig.ready)."""
    copy_accountability(source_version=source_version, target_version=target_version)
