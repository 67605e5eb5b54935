"""Changes to the duties, reporting obligations and relations a protocol version states.

Each function states the rules of its record and hands the write to core.writes, which refuses
agreed and superseded versions (VersionLocked), checks optimistic concurrency on updates
(EditConflict), validates with field errors (ValidationError), and writes the change and its
AuditRecord in one transaction. The browser and the API call these same functions.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from boards.models import Board, Post
from core.writes import (
    Action,
    audit,
    full_clean,
    record_create,
    record_delete,
    record_rows,
    record_update,
    snapshot,
)
from protocols.models import Clause, Protocol, ProtocolVersion
from protocols.permissions import editable_protocols

from .models import (
    PERIODIC_FREQUENCIES,
    ClauseCitation,
    Duty,
    EscalationRoute,
    LegalInstrument,
    Meeting,
    ObligationRecipient,
    ObligationSender,
    Priority,
    Relation,
    ReportingObligation,
)

OBLIGATION_FIELDS = (
    "subject",
    "title",
    "frequency",
    "frequency_at_least",
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
    "negated",
    "symmetric",
    "source_clause",
)
DUTY_FIELDS = ("holder_board", "holder_post", "kind", "description", "source_clause")
MONTH_MESSAGE = "Enter a month number from 1 (January) to 12 (December)"


# Helpers -----------------------------------------------------------------------------------------


def _one_of(errors, first, second, first_value, second_value, message):
    if (first_value is None) == (second_value is None):
        errors[first] = message


def _full_clean(obj, extra_errors=None):
    """Model validation plus our own messages, reported together as field errors."""
    try:
        full_clean(obj, extra_errors)
    except ValidationError as error:
        errors = error.message_dict
        for field in ("window_start_month", "window_end_month"):
            if field in errors:
                errors[field] = MONTH_MESSAGE
        raise ValidationError(errors) from None


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


def _update(*, user, obj, expected_revision, fields, allowed, validate):
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    return record_update(user=user, obj=obj, fields=fields, expected_revision=expected_revision, validate=validate)


# Reporting obligations ------------------------------------------------------------------------------


def _validate_obligation(obligation, recipients=None, senders=None):
    errors = _window_errors(obligation.window_start_month, obligation.window_end_month)
    if obligation.frequency_at_least and obligation.frequency not in PERIODIC_FREQUENCIES:
        errors["frequency_at_least"] = "Only a regular frequency, such as annually, can be “at least”"
    if senders is not None and len({(type(s), s.pk) for s in senders}) != len(senders):
        errors["senders"] = "Name each board or post that sends it once"
    if recipients is not None and not list(recipients):
        errors["recipients"] = "Choose at least one board or post it goes to"
    _check_clause_errors(errors, obligation)
    _full_clean(obligation, errors)


def _check_clause_errors(errors, obj):
    if obj.source_clause_id and obj.source_clause.section.version_id != obj.version_id:
        errors["source_clause"] = "The clause must belong to the same protocol version."


def _recipient_names(obligation):
    return sorted(str(r) for r in obligation.recipients.all())


def _set_senders(obligation, senders):
    """Who sends it, in the order given: none when the protocol does not say, several when sent jointly.
    The caller audits them as part of the obligation."""
    for sender in obligation.senders.all():
        record_delete(user=None, obj=sender, audited=False)
    record_rows(
        ObligationSender(
            obligation=obligation,
            board=s if isinstance(s, Board) else None,
            post=s if isinstance(s, Post) else None,
        )
        for s in senders
    )


def _set_recipients(obligation, recipients):
    """Replace who an obligation goes to; the caller audits them as part of the obligation."""
    for recipient in obligation.recipients.all():
        record_delete(user=None, obj=recipient, audited=False)
    record_rows(
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
    senders: Iterable[Board | Post] = (),
    subject: str,
    title: str,
    frequency: str = "",
    frequency_at_least: bool = False,
    recipients: Iterable[Board | Post] = (),
    window_start_month: int | None = None,
    window_end_month: int | None = None,
    presenter: Post | None = None,
    description: str = "",
) -> ReportingObligation:
    """A reporting obligation stated by `source_clause`: who sends what to whom, how often, in which months.

    `senders` is empty when the protocol does not say who sends it, and lists every board or post
    when several send it jointly.
    """
    version.refuse_changes()
    recipients = list(recipients)
    senders = list(senders)
    obligation = ReportingObligation(
        version=version,
        source_clause=source_clause,
        subject=subject,
        title=(title or "").strip(),
        frequency=frequency or "",
        frequency_at_least=bool(frequency_at_least),
        window_start_month=window_start_month,
        window_end_month=window_end_month,
        presenter=presenter,
        description=description or "",
    )
    record_create(
        user=user, obj=obligation, validate=lambda o: _validate_obligation(o, recipients, senders), audited=False
    )
    _set_senders(obligation, senders)
    _set_recipients(obligation, recipients)
    audit(
        user=user,
        action=Action.CREATE,
        obj=obligation,
        after={
            **snapshot(obligation, OBLIGATION_FIELDS),
            "senders": [str(s) for s in senders],
            "recipients": [str(r) for r in recipients],
        },
    )
    return obligation


@transaction.atomic
def obligation_update(
    *, user, obligation: ReportingObligation, expected_revision: int | None, **fields
) -> ReportingObligation:
    recipients = fields.pop("recipients", None)
    senders = fields.pop("senders", None)
    parts = {}
    if recipients is not None:
        recipients = list(recipients)
        parts["recipients"] = (
            _recipient_names(obligation),
            sorted(str(r) for r in recipients),
            lambda current: _set_recipients(current, recipients),
        )
    if senders is not None:
        senders = list(senders)
        parts["senders"] = (
            [str(s) for s in obligation.sender_parties],
            [str(s) for s in senders],
            lambda current: _set_senders(current, senders),
        )
    unknown = set(fields) - set(OBLIGATION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    return record_update(
        user=user,
        obj=obligation,
        fields=fields,
        expected_revision=expected_revision,
        validate=lambda o: _validate_obligation(o, recipients, senders),
        parts=parts or None,
    )


@transaction.atomic
def obligation_delete(*, user, obligation: ReportingObligation, expected_revision: int | None = None) -> None:
    record_delete(user=user, obj=obligation, expected_revision=expected_revision, audit_fields=OBLIGATION_FIELDS)


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
    if relation.negated and relation.symmetric:
        errors["symmetric"] = "A relation the protocol denies cannot also hold both ways"
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
    negated: bool = False,
    symmetric: bool = False,
) -> Relation:
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
        negated=bool(negated),
        symmetric=bool(symmetric),
    )
    return record_create(user=user, obj=relation, validate=_validate_relation, audit_fields=RELATION_FIELDS)


@transaction.atomic
def relation_update(*, user, relation: Relation, expected_revision: int | None, **fields) -> Relation:
    return _update(
        user=user,
        obj=relation,
        expected_revision=expected_revision,
        fields=fields,
        allowed=RELATION_FIELDS,
        validate=_validate_relation,
    )


@transaction.atomic
def relation_delete(*, user, relation: Relation, expected_revision: int | None = None) -> None:
    record_delete(user=user, obj=relation, expected_revision=expected_revision, audit_fields=RELATION_FIELDS)


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
    duty = Duty(
        version=version,
        source_clause=source_clause,
        holder_board=holder_board,
        holder_post=holder_post,
        kind=kind,
        description=(description or "").strip(),
    )
    return record_create(
        user=user,
        obj=duty,
        validate=_validate_duty,
        audit_fields=(*DUTY_FIELDS, "legal_references"),
        related={"legal_references": legal_references},
    )


@transaction.atomic
def duty_update(*, user, duty: Duty, expected_revision: int | None, **fields) -> Duty:
    return _update(
        user=user,
        obj=duty,
        expected_revision=expected_revision,
        fields=fields,
        allowed=(*DUTY_FIELDS, "legal_references"),
        validate=_validate_duty,
    )


@transaction.atomic
def duty_delete(*, user, duty: Duty, expected_revision: int | None = None) -> None:
    record_delete(user=user, obj=duty, expected_revision=expected_revision, audit_fields=DUTY_FIELDS)


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
    return [
        record_update(
            user=user,
            obj=protocol,
            fields={"review_requested_at": now, "review_requested_reason": message},
            validate=False,
            message="Review requested because legislation changed",
        )
        for protocol in protocols
    ]
