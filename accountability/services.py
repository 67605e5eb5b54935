"""Changes to the duties, reporting obligations and relations a protocol version states.

Each function refuses agreed and superseded versions (VersionLocked), checks optimistic concurrency
on updates (EditConflict), validates with field errors (ValidationError), and writes the change and
its AuditEvent in one transaction. The browser and the API call these same functions.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from boards.models import Board, Post
from protocols.models import AuditEvent, Clause, Protocol, ProtocolVersion
from protocols.permissions import editable_protocols
from protocols.services import audit, ensure_editable, snapshot

from .models import (
    AgendaItem,
    ClauseCitation,
    Duty,
    EscalationRoute,
    LegalInstrument,
    Meeting,
    ObligationRecipient,
    Priority,
    PriorityLead,
    Relation,
    ReportingObligation,
)

OBLIGATION_FIELDS = (
    "from_board",
    "from_post",
    "subject",
    "title",
    "frequency",
    "window_start_month",
    "window_end_month",
    "presenter",
    "description",
    "source_clause",
)
RELATION_FIELDS = (
    "kind",
    "subject_board",
    "subject_post",
    "object_board",
    "object_post",
    "description",
    "frequency",
    "source_clause",
)
DUTY_FIELDS = ("holder_board", "holder_post", "kind", "description", "source_clause")
MONTH_MESSAGE = "Enter a month number from 1 (January) to 12 (December)"


# Helpers -----------------------------------------------------------------------------------------


def _check_revision(obj, expected_revision, what):
    from core.exceptions import EditConflict

    if expected_revision is not None and int(expected_revision) != obj.revision:
        raise EditConflict(f"Someone else changed this {what} since you opened it.", current=obj)


def _one_of(errors, first, second, first_value, second_value, message):
    if (first_value is None) == (second_value is None):
        errors[first] = message


def _full_clean(obj, extra_errors=None):
    """Model validation plus our own messages, reported together as field errors."""
    errors = dict(extra_errors or {})
    try:
        obj.full_clean(exclude=["revision"], validate_constraints=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, messages)
    for field in ("window_start_month", "window_end_month"):
        if field in errors:
            errors[field] = MONTH_MESSAGE
    if errors:
        raise ValidationError(errors)


def _window_errors(start, end):
    errors = {}
    for field, value in (("window_start_month", start), ("window_end_month", end)):
        if value is not None and not 1 <= int(value) <= 12:
            errors[field] = MONTH_MESSAGE
    if not errors and (start is None) != (end is None):
        errors["window_end_month" if end is None else "window_start_month"] = (
            "Enter both the first and the last month of the window, or neither"
        )
    return errors


def _save_with_audit(*, user, obj, version, fields, before=None, action):
    obj.save()
    audit(
        user=user,
        action=action,
        obj=obj,
        protocol=version.protocol,
        version=version,
        before=before,
        after=snapshot(obj, fields),
    )
    return obj


def _update(*, user, obj, expected_revision, fields, allowed, what, validate):
    version = obj.version
    ensure_editable(version)
    _check_revision(obj, expected_revision, what)
    unknown = set(fields) - set(allowed) - {"recipients"}
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    before = snapshot(obj, [f for f in fields if f != "recipients"])
    for name, value in fields.items():
        if name != "recipients":
            setattr(obj, name, value)
    validate(obj)
    obj.revision += 1
    return _save_with_audit(
        user=user, obj=obj, version=version, fields=allowed, before=before, action=AuditEvent.Action.UPDATE
    )


def _delete(*, user, obj, fields, expected_revision=None, what="record"):
    version = obj.version
    ensure_editable(version)
    _check_revision(obj, expected_revision, what)
    audit(
        user=user,
        action=AuditEvent.Action.DELETE,
        obj=obj,
        protocol=version.protocol,
        version=version,
        before=snapshot(obj, fields),
    )
    obj.delete()


# Reporting obligations ------------------------------------------------------------------------------


def _validate_obligation(obligation, recipients=None):
    errors = _window_errors(obligation.window_start_month, obligation.window_end_month)
    _one_of(
        errors,
        "from_board",
        "from_post",
        obligation.from_board_id,
        obligation.from_post_id,
        "Choose who reports: a board or a post, not both",
    )
    if recipients is not None and not list(recipients):
        errors["recipients"] = "Choose at least one board or post it goes to"
    _check_clause_errors(errors, obligation)
    _full_clean(obligation, errors)


def _check_clause_errors(errors, obj):
    if obj.source_clause_id and obj.source_clause.section.version_id != obj.version_id:
        errors["source_clause"] = "The clause must belong to the same protocol version."


def _set_recipients(obligation, recipients):
    obligation.recipients.all().delete()
    ObligationRecipient.objects.bulk_create(
        ObligationRecipient(
            obligation=obligation,
            board=r if isinstance(r, Board) else None,
            post=r if isinstance(r, Post) else None,
        )
        for r in recipients
    )


@transaction.atomic
def obligation_create(
    *,
    user,
    version: ProtocolVersion,
    source_clause: Clause | None = None,
    from_board: Board | None = None,
    from_post: Post | None = None,
    subject: str,
    title: str,
    frequency: str,
    recipients: Iterable[Board | Post] = (),
    window_start_month: int | None = None,
    window_end_month: int | None = None,
    presenter: Post | None = None,
    description: str = "",
) -> ReportingObligation:
    """A reporting obligation stated by `source_clause`: who sends what to whom, how often, in which months."""
    ensure_editable(version)
    recipients = list(recipients)
    obligation = ReportingObligation(
        version=version,
        source_clause=source_clause,
        from_board=from_board,
        from_post=from_post,
        subject=subject,
        title=(title or "").strip(),
        frequency=frequency,
        window_start_month=window_start_month,
        window_end_month=window_end_month,
        presenter=presenter,
        description=description or "",
    )
    _validate_obligation(obligation, recipients)
    obligation.save()
    _set_recipients(obligation, recipients)
    audit(
        user=user,
        action=AuditEvent.Action.CREATE,
        obj=obligation,
        protocol=version.protocol,
        version=version,
        after={**snapshot(obligation, OBLIGATION_FIELDS), "recipients": [str(r) for r in recipients]},
    )
    return obligation


@transaction.atomic
def obligation_update(
    *, user, obligation: ReportingObligation, expected_revision: int | None, **fields
) -> ReportingObligation:
    obligation = ReportingObligation.objects.select_for_update().get(pk=obligation.pk)
    recipients = fields.get("recipients")
    obligation = _update(
        user=user,
        obj=obligation,
        expected_revision=expected_revision,
        fields=fields,
        allowed=OBLIGATION_FIELDS,
        what="obligation",
        validate=lambda o: _validate_obligation(o, recipients),
    )
    if recipients is not None:
        _set_recipients(obligation, recipients)
    return obligation


@transaction.atomic
def obligation_delete(*, user, obligation: ReportingObligation, expected_revision: int | None = None) -> None:
    _delete(user=user, obj=obligation, fields=OBLIGATION_FIELDS, expected_revision=expected_revision, what="obligation")


# Relations ---------------------------------------------------------------------------------------------


def _validate_relation(relation):
    errors = {}
    _one_of(
        errors,
        "subject_board",
        "subject_post",
        relation.subject_board_id,
        relation.subject_post_id,
        "Choose who the relation is from: a board or a post, not both",
    )
    _one_of(
        errors,
        "object_board",
        "object_post",
        relation.object_board_id,
        relation.object_post_id,
        "Choose who the relation is to: a board or a post, not both",
    )
    if not errors and (relation.subject_board_id, relation.subject_post_id) == (
        relation.object_board_id,
        relation.object_post_id,
    ):
        errors["object_board"] = "A relation links two different boards or posts"
    _check_clause_errors(errors, relation)
    _full_clean(relation, errors)


@transaction.atomic
def relation_create(
    *,
    user,
    version: ProtocolVersion,
    kind: str,
    source_clause: Clause | None = None,
    subject_board: Board | None = None,
    subject_post: Post | None = None,
    object_board: Board | None = None,
    object_post: Post | None = None,
    description: str = "",
    frequency: str = "",
) -> Relation:
    ensure_editable(version)
    relation = Relation(
        version=version,
        source_clause=source_clause,
        kind=kind,
        subject_board=subject_board,
        subject_post=subject_post,
        object_board=object_board,
        object_post=object_post,
        description=description or "",
        frequency=frequency or "",
    )
    _validate_relation(relation)
    return _save_with_audit(
        user=user, obj=relation, version=version, fields=RELATION_FIELDS, action=AuditEvent.Action.CREATE
    )


@transaction.atomic
def relation_update(*, user, relation: Relation, expected_revision: int | None, **fields) -> Relation:
    relation = Relation.objects.select_for_update().get(pk=relation.pk)
    return _update(
        user=user,
        obj=relation,
        expected_revision=expected_revision,
        fields=fields,
        allowed=RELATION_FIELDS,
        what="relation",
        validate=_validate_relation,
    )


@transaction.atomic
def relation_delete(*, user, relation: Relation, expected_revision: int | None = None) -> None:
    _delete(user=user, obj=relation, fields=RELATION_FIELDS, expected_revision=expected_revision, what="relation")


# Duties ------------------------------------------------------------------------------------------------


def _validate_duty(duty):
    errors = {}
    _one_of(
        errors,
        "holder_board",
        "holder_post",
        duty.holder_board_id,
        duty.holder_post_id,
        "Choose who holds the duty: a board or a post, not both",
    )
    if not (duty.description or "").strip():
        errors["description"] = "Describe the duty"
    _check_clause_errors(errors, duty)
    _full_clean(duty, errors)


@transaction.atomic
def duty_create(
    *,
    user,
    version: ProtocolVersion,
    description: str,
    source_clause: Clause | None = None,
    holder_board: Board | None = None,
    holder_post: Post | None = None,
    kind: str = Duty.Kind.FUNCTION,
    legal_references=(),
) -> Duty:
    ensure_editable(version)
    duty = Duty(
        version=version,
        source_clause=source_clause,
        holder_board=holder_board,
        holder_post=holder_post,
        kind=kind,
        description=(description or "").strip(),
    )
    _validate_duty(duty)
    _save_with_audit(user=user, obj=duty, version=version, fields=DUTY_FIELDS, action=AuditEvent.Action.CREATE)
    if legal_references:
        duty.legal_references.set(legal_references)
    return duty


@transaction.atomic
def duty_update(*, user, duty: Duty, expected_revision: int | None, **fields) -> Duty:
    duty = Duty.objects.select_for_update().get(pk=duty.pk)
    references = fields.pop("legal_references", None)
    duty = _update(
        user=user,
        obj=duty,
        expected_revision=expected_revision,
        fields=fields,
        allowed=DUTY_FIELDS,
        what="duty",
        validate=_validate_duty,
    )
    if references is not None:
        duty.legal_references.set(references)
    return duty


@transaction.atomic
def duty_delete(*, user, duty: Duty, expected_revision: int | None = None) -> None:
    _delete(user=user, obj=duty, fields=DUTY_FIELDS, expected_revision=expected_revision, what="duty")


# Copying to a new draft ----------------------------------------------------------------------------------


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

    for duty in Duty.objects.filter(version=source_version).prefetch_related("legal_references"):
        new = fresh(duty)
        new.save()
        new.legal_references.set(duty.legal_references.all())
    for obligation in ReportingObligation.objects.filter(version=source_version).prefetch_related("recipients"):
        new = fresh(obligation)
        new.save()
        ObligationRecipient.objects.bulk_create(
            ObligationRecipient(obligation=new, board_id=r.board_id, post_id=r.post_id)
            for r in obligation.recipients.all()
        )
    Relation.objects.bulk_create(fresh(r) for r in Relation.objects.filter(version=source_version))
    for meeting in Meeting.objects.filter(version=source_version).prefetch_related(
        "participant_posts", "participant_boards", "agenda_items"
    ):
        new = fresh(meeting)
        new.save()
        new.participant_posts.set(meeting.participant_posts.all())
        new.participant_boards.set(meeting.participant_boards.all())
        AgendaItem.objects.bulk_create(_copy(item, meeting_id=new.pk) for item in meeting.agenda_items.all())
    for route in EscalationRoute.objects.filter(version=source_version).prefetch_related(
        "steps__posts", "steps__boards"
    ):
        new = fresh(route)
        new.save()
        for step in route.steps.all():
            new_step = _copy(step, route_id=new.pk)
            new_step.save()
            new_step.posts.set(step.posts.all())
            new_step.boards.set(step.boards.all())
    priority_ids = {}
    # Parents first, so each child can point at its parent's copy.
    pending = list(Priority.objects.filter(version=source_version).prefetch_related("leads").order_by("position", "id"))
    while pending:
        ready = [p for p in pending if p.parent_id is None or p.parent_id in priority_ids]
        if not ready:
            break
        for priority in ready:
            new = fresh(priority, parent_id=priority_ids.get(priority.parent_id))
            new.save()
            priority_ids[priority.pk] = new.pk
            PriorityLead.objects.bulk_create(_copy(lead, priority_id=new.pk) for lead in priority.leads.all())
        pending = [p for p in pending if p.pk not in priority_ids]
    ClauseCitation.objects.bulk_create(
        ClauseCitation(clause_id=clause_id(c.clause_id), legal_reference_id=c.legal_reference_id)
        for c in ClauseCitation.objects.filter(clause__section__version=source_version)
        if clause_id(c.clause_id)
    )


def copy_on_version_copied(sender, *, source_version, target_version, **kwargs):
    """Receiver for protocols.signals.version_copied (connected in AccountabilityConfig.ready)."""
    copy_accountability(source_version=source_version, target_version=target_version)


# Review when legislation changes --------------------------------------------------------------------------


def protocols_citing(instrument: LegalInstrument):
    """Protocols whose agreed or open draft version has a clause citing any provision of the instrument."""
    return Protocol.objects.filter(
        versions__status__in=ProtocolVersion.LIVE,
        versions__sections__clauses__citations__legal_reference__instrument=instrument,
    ).distinct()


def instruments_with_citing_counts():
    """Cited instruments, each annotated with `citing_protocols`: one query for the whole list."""
    path = "references__citations__clause__section__version"
    return (
        LegalInstrument.objects.filter(references__citations__isnull=False)
        .annotate(
            citing_protocols=Count(
                f"{path}__protocol", filter=Q(**{f"{path}__status__in": ProtocolVersion.LIVE}), distinct=True
            )
        )
        .order_by("title")
    )


@transaction.atomic
def instrument_request_reviews(*, user, instrument: LegalInstrument, reason: str) -> list[Protocol]:
    """Mark every protocol citing the instrument (that this user may edit) as needing review, and why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say what changed, e.g. the amending Act or new guidance"})
    protocols = list(protocols_citing(instrument).filter(pk__in=editable_protocols(user).values("pk")))
    now = timezone.now()
    message = f"{instrument.short_title or instrument.title}: {reason}"[:300]
    for protocol in protocols:
        before = snapshot(protocol, ("review_requested_at", "review_requested_reason"))
        protocol.review_requested_at = now
        protocol.review_requested_reason = message
        protocol.save(update_fields=["review_requested_at", "review_requested_reason", "updated_at"])
        audit(
            user=user,
            action=AuditEvent.Action.UPDATE,
            obj=protocol,
            protocol=protocol,
            before=before,
            after=snapshot(protocol, ("review_requested_at", "review_requested_reason")),
            message="Review requested because legislation changed",
        )
    return protocols
