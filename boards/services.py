"""Changes to the register: areas, boards, posts, people, who holds which post, and memberships.

Each function states the register's own rules and hands the write to core.writes, which validates
(ValidationError naming the field), saves only the fields that changed, refuses with EditConflict
when the caller's expected_revision is not the record's revision now, and writes one AuditRecord in
the same transaction, placed in the register history of the areas concerned. Boards carry a revision
counter; the other records have none, so their revision is a fingerprint of their stored values.

Each takes the acting `user` (None when no person acts, as in a command). Who may call these is
decided by boards.permissions.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from core.writes import full_clean, record_create, record_delete, record_update

from .models import Area, Board, DatePrecision, Membership, Person, Post, PostHolding

AREA_FIELDS = ("name", "slug", "kind", "council_name", "website")
BOARD_FIELDS = (
    "name",
    "short_name",
    "slug",
    "kind",
    "parent",
    "purpose",
    "statutory_basis",
    "is_statutory",
    "is_independent",
    "established_on",
    "established_precision",
    "dissolved_on",
    "dissolved_precision",
    "website",
)
POST_FIELDS = ("title", "short_title", "kind", "area", "board", "organisation")
PERSON_FIELDS = ("name", "honorific", "notes")
MEMBERSHIP_FIELDS = (
    "board",
    "post",
    "organisation",
    "capacity",
    "start_date",
    "start_precision",
    "end_date",
    "end_precision",
    "note",
)
HOLDING_FIELDS = ("person", "post", "start_date", "start_precision", "end_date", "end_precision", "note")


def _refuse_unknown(fields, allowed):
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise ValidationError({name: ["This field cannot be set here."] for name in unknown})


def _date_order_errors(start, end, start_name="start_date", end_name="end_date"):
    if start and end and end < start:
        return {end_name: ["The end date cannot be before the start date."]}
    return {}


def _rules(rules):
    """Model validation merged with the rules checked by hand (rules(record) returns their errors)."""
    return lambda record: full_clean(record, rules(record) if rules else None)


def _create(*, user, obj, audit_fields, rules=None, related=None):
    return record_create(user=user, obj=obj, validate=_rules(rules), audit_fields=audit_fields, related=related)


def _update(*, user, obj, allowed, expected_revision, fields, rules=None):
    _refuse_unknown(fields, allowed)
    return record_update(user=user, obj=obj, fields=fields, expected_revision=expected_revision, validate=_rules(rules))


# Areas


@transaction.atomic
def area_create(*, user, name: str, slug: str = "", **fields) -> Area:
    _refuse_unknown(fields, AREA_FIELDS)
    area = Area(name=name, slug=slug or slugify(name)[:200], **fields)
    return _create(user=user, obj=area, audit_fields=AREA_FIELDS)


@transaction.atomic
def area_update(*, user, area: Area, expected_revision: int | None, **fields) -> Area:
    return _update(user=user, obj=area, allowed=AREA_FIELDS, expected_revision=expected_revision, fields=fields)


# Boards


def _board_errors(board):
    errors = _date_order_errors(board.established_on, board.dissolved_on, "established_on", "dissolved_on")
    errors |= _precision_errors(
        board, ("established_on", "established_precision"), ("dissolved_on", "dissolved_precision")
    )
    if board.parent_id is not None and board.pk is not None:
        # Walk up from the new parent: meeting the board itself means it would sit under itself.
        seen = set()
        ancestor = board.parent
        while ancestor is not None and ancestor.pk not in seen:
            if ancestor.pk == board.pk:
                message = "A board cannot be its own parent." if board.parent_id == board.pk else None
                errors["parent"] = [message or "A board cannot sit under one of its own subgroups."]
                break
            seen.add(ancestor.pk)
            ancestor = ancestor.parent
    return errors


@transaction.atomic
def board_create(*, user, name: str, kind: str, areas: list[Area], slug: str = "", **fields) -> Board:
    _refuse_unknown(fields, BOARD_FIELDS)
    board = Board(name=name, kind=kind, slug=slug or slugify(name)[:250], **fields)

    def rules(record):
        errors = _board_errors(record)
        if not areas:
            errors["areas"] = ["A board covers at least one area."]
        return errors

    return _create(user=user, obj=board, audit_fields=("areas", *BOARD_FIELDS), rules=rules, related={"areas": areas})


@transaction.atomic
def board_update(
    *, user, board: Board, expected_revision: int | None, areas: list[Area] | None = None, **fields
) -> Board:
    _refuse_unknown(fields, BOARD_FIELDS)

    def rules(record):
        errors = _board_errors(record)
        if areas is not None and not areas:
            errors["areas"] = ["A board covers at least one area."]
        return errors

    # The areas are part of the board: its revision moves with them, and a board moved out of an
    # area stays in that area's history.
    fields = {**fields, "areas": areas} if areas is not None else fields
    return _update(
        user=user,
        obj=board,
        allowed=(*BOARD_FIELDS, "areas"),
        expected_revision=expected_revision,
        fields=fields,
        rules=rules,
    )


# Posts


@transaction.atomic
def post_create(*, user, title: str, kind: str, **fields) -> Post:
    _refuse_unknown(fields, POST_FIELDS)
    return _create(user=user, obj=Post(title=title, kind=kind, **fields), audit_fields=POST_FIELDS)


@transaction.atomic
def post_update(*, user, post: Post, expected_revision: int | None, **fields) -> Post:
    return _update(
        user=user,
        obj=post,
        allowed=POST_FIELDS,
        expected_revision=expected_revision,
        fields=fields,
    )


# People


@transaction.atomic
def person_create(*, user, name: str, **fields) -> Person:
    _refuse_unknown(fields, PERSON_FIELDS)
    return _create(user=user, obj=Person(name=name, **fields), audit_fields=PERSON_FIELDS)


@transaction.atomic
def person_update(*, user, person: Person, expected_revision: int | None, **fields) -> Person:
    return _update(user=user, obj=person, allowed=PERSON_FIELDS, expected_revision=expected_revision, fields=fields)


# Memberships


def _membership_errors(membership):
    errors = _date_order_errors(membership.start_date, membership.end_date)
    errors |= _precision_errors(membership, ("start_date", "start_precision"), ("end_date", "end_precision"))
    if membership.post_id is None and not (membership.organisation or "").strip():
        errors["post"] = ["Name the post that sits on the board, or the organisation represented."]
    return errors


@transaction.atomic
def membership_create(*, user, board: Board, **fields) -> Membership:
    _refuse_unknown(fields, MEMBERSHIP_FIELDS)
    membership = Membership(board=board, **fields)
    return _create(user=user, obj=membership, audit_fields=MEMBERSHIP_FIELDS, rules=_membership_errors)


@transaction.atomic
def membership_update(*, user, membership: Membership, expected_revision: int | None, **fields) -> Membership:
    return _update(
        user=user,
        obj=membership,
        allowed=MEMBERSHIP_FIELDS,
        expected_revision=expected_revision,
        fields=fields,
        rules=_membership_errors,
    )


@transaction.atomic
def membership_delete(*, user, membership: Membership, expected_revision: int | None = None) -> None:
    record_delete(user=user, obj=membership, expected_revision=expected_revision, audit_fields=MEMBERSHIP_FIELDS)


# Post holdings


def _precision_errors(obj, *pairs):
    """A date known only to the month or year is stored as its first day (the models' check constraints)."""
    errors = {}
    for date_field, precision_field in pairs:
        value, precision = getattr(obj, date_field), getattr(obj, precision_field)
        if value and precision == DatePrecision.MONTH and value.day != 1:
            errors[date_field] = ["A date known only to the month is given as the 1st of that month."]
        if value and precision == DatePrecision.YEAR and (value.month, value.day) != (1, 1):
            errors[date_field] = ["A date known only to the year is given as 1 January."]
    return errors


def _holding_errors(holding):
    errors = _date_order_errors(holding.start_date, holding.end_date)
    return errors | _precision_errors(holding, ("start_date", "start_precision"), ("end_date", "end_precision"))


@transaction.atomic
def holding_create(*, user, person: Person, post: Post, **fields) -> PostHolding:
    _refuse_unknown(fields, HOLDING_FIELDS)
    holding = PostHolding(person=person, post=post, **fields)
    return _create(user=user, obj=holding, audit_fields=HOLDING_FIELDS, rules=_holding_errors)


@transaction.atomic
def holding_update(*, user, holding: PostHolding, expected_revision: int | None, **fields) -> PostHolding:
    return _update(
        user=user,
        obj=holding,
        allowed=HOLDING_FIELDS,
        expected_revision=expected_revision,
        fields=fields,
        rules=_holding_errors,
    )


@transaction.atomic
def holding_delete(*, user, holding: PostHolding, expected_revision: int | None = None) -> None:
    record_delete(user=user, obj=holding, expected_revision=expected_revision, audit_fields=HOLDING_FIELDS)
