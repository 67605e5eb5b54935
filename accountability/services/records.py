"""The duties, reporting obligations and relations a protocol version states: create, update, delete."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

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
from protocols.models import Clause, ProtocolVersion

from ..models import (
    PERIODIC_FREQUENCIES,
    Duty,
    ObligationRecipient,
    ObligationSender,
    Relation,
    ReportingObligation,
)
from ..selectors import version_boards_and_posts

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


def _outside_errors(version, named):
    """A field error for each board or post named that is not one the version's records may name (the
    protocol's area's, and those of the boards it shares with other areas): {field: [Board | Post | None]}."""
    named = {name: [who for who in values if who is not None] for name, values in named.items()}
    if not any(named.values()):
        return {}
    boards, posts = version_boards_and_posts(version)
    board_ids, post_ids = set(boards.values_list("pk", flat=True)), set(posts.values_list("pk", flat=True))
    errors = {}
    for name, values in named.items():
        for who in values:
            if who.pk not in (board_ids if isinstance(who, Board) else post_ids):
                errors[name] = f"{who} is not a board or post of this protocol's area or of a board it shares"
    return errors


def _validate_obligation(obligation, recipients=None, senders=None):
    errors = _window_errors(obligation.window_start_month, obligation.window_end_month)
    errors |= _outside_errors(
        obligation.version,
        {"senders": senders or [], "recipients": recipients or [], "presenter": [obligation.presenter]},
    )
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
    errors |= _outside_errors(
        relation.version,
        {
            name: [getattr(relation, name)]
            for name in ("subject_board", "subject_post", "object_board", "object_post")
            if getattr(relation, f"{name}_id") is not None
        },
    )
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
    errors |= _outside_errors(
        duty.version,
        {name: [getattr(duty, name)] for name in ("holder_board", "holder_post") if getattr(duty, f"{name}_id")},
    )
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
