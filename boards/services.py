"""Changes to the register: areas, boards, posts, people, who holds which post, and memberships.

Every function validates before it saves (ValidationError naming the field), saves only the fields
that changed, and refuses with StaleRecord when the caller's expected_revision is not the record's
revision now. Boards carry a revision counter; the other records have none, so their revision is a
fingerprint of their stored values (record_revision), which changes exactly when they do.

Each takes the acting `user` (None when no person acts, as in a command) and writes one RegisterChange
in its own transaction, naming the changed fields' values before and after; a change that changes
nothing writes nothing. Who may call these is decided by boards.permissions.
"""

import datetime
import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from .models import Area, Board, DatePrecision, Membership, Person, Post, PostHolding, RegisterChange, Revisioned

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
    "website",
)
POST_FIELDS = ("title", "short_title", "kind", "area", "board", "organisation")
PERSON_FIELDS = ("name", "honorific", "notes")
MEMBERSHIP_FIELDS = ("board", "post", "organisation", "capacity", "start_date", "end_date", "note")
HOLDING_FIELDS = ("person", "post", "start_date", "start_precision", "end_date", "note")


class StaleRecord(Exception):
    """Someone saved the record since the caller read it."""


def record_revision(obj) -> int:
    """The number an ETag carries: the counter of a Revisioned record, else a fingerprint of its values.

    The fingerprint is 14 hex digits (under 10**17), so it fits the ETag syntax the API reads back.
    """
    if isinstance(obj, Revisioned):
        return obj.revision
    values = {field.attname: field.value_to_string(obj) for field in obj._meta.concrete_fields}
    digest = hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()
    return int(digest[:14], 16)


def _check_revision(current, expected_revision):
    if expected_revision is not None and int(expected_revision) != record_revision(current):
        label = current._meta.verbose_name
        raise StaleRecord(f"Someone else changed this {label} since you read it; here is the current version.")


def _refuse_unknown(fields, allowed):
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise ValidationError({name: ["This field cannot be set here."] for name in unknown})


def _validate(obj, errors=None, exclude=None):
    """Model validation (types, choices, lengths, uniqueness) merged with the rules checked by hand.

    Check constraints are enforced by hand above each call, with a message naming the field.
    """
    errors = dict(errors or {})
    try:
        obj.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _apply(obj, fields) -> list[str]:
    """Set the given values on obj; return the names of the fields whose values changed."""
    changed = []
    for name, value in fields.items():
        attname = obj._meta.get_field(name).attname
        new = value.pk if hasattr(value, "pk") and attname != name else value
        if getattr(obj, attname) != new:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def _date_order_errors(start, end, start_name="start_date", end_name="end_date"):
    if start and end and end < start:
        return {end_name: ["The end date cannot be before the start date."]}
    return {}


def _value(obj, name):
    """One field's value as JSON: dates as ISO text, a related record as its id and label."""
    if name == "areas":
        return [{"id": area.pk, "label": area.name} for area in obj.areas.order_by("name")]
    field = obj._meta.get_field(name)
    if field.is_relation:
        related = getattr(obj, name)
        return None if related is None else {"id": related.pk, "label": str(related)}
    value = getattr(obj, name)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _snapshot(obj, names) -> dict:
    return {name: _value(obj, name) for name in names}


def _area_ids(obj) -> set[int]:
    """The areas whose register history shows a change to obj."""
    if isinstance(obj, Area):
        return {obj.pk}
    if isinstance(obj, Board):
        return set(obj.areas.values_list("pk", flat=True))
    if isinstance(obj, Post) and obj.area_id is not None:
        return {obj.area_id}
    if isinstance(obj, Post | Membership) and obj.board_id is not None:
        return set(Area.objects.filter(boards=obj.board_id).values_list("pk", flat=True))
    if isinstance(obj, PostHolding):
        return _area_ids(obj.post)
    if isinstance(obj, Person):
        # The areas of every post they hold or held, as can_edit_post places a post.
        held = Q(posts__holdings__person=obj) | Q(boards__posts__area__isnull=True, boards__posts__holdings__person=obj)
        return set(Area.objects.filter(held).values_list("pk", flat=True))
    return set()


def _record(*, user, action, obj, before=None, after=None, area_ids=()) -> RegisterChange:
    """Write the audit entry for one change; the caller's transaction holds it and the change together."""
    change = RegisterChange.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        record_type=obj._meta.model_name,
        record_id=obj.pk,
        record_label=str(obj)[:300],
        before=before,
        after=after,
    )
    through = RegisterChange.areas.through
    through.objects.bulk_create(
        [through(registerchange_id=change.pk, area_id=pk) for pk in sorted(set(area_ids) | _area_ids(obj))]
    )
    return change


def _record_update(*, user, obj, before: dict, changed, area_ids=()):
    """Audit an update of the fields in `changed`, from the snapshot taken before they were applied."""
    if changed:
        _record(
            user=user,
            action=RegisterChange.Action.CHANGE,
            obj=obj,
            before={name: before[name] for name in changed},
            after=_snapshot(obj, changed),
            area_ids=area_ids,
        )


def _save(obj, changed):
    if not changed:
        return obj
    update_fields = list(changed)
    if isinstance(obj, Revisioned):
        obj.revision += 1
        update_fields += ["revision", "updated_at"]
    obj.save(update_fields=update_fields)
    return obj


def _update(*, user, obj, allowed, expected_revision, fields, rules=None, keeps_old_areas=False):
    """What every register update does: lock the row, check the revision, apply, validate, save, audit.

    `rules(record)` returns the errors of the rules checked by hand; with `keeps_old_areas` a record
    moved to another area stays in the old area's history too.
    """
    _refuse_unknown(fields, allowed)
    current = type(obj).objects.select_for_update().get(pk=obj.pk)
    _check_revision(current, expected_revision)
    before = _snapshot(current, fields)
    old_areas = _area_ids(current) if keeps_old_areas else ()
    changed = _apply(current, fields)
    _validate(current, rules(current) if rules else None)
    _save(current, changed)
    _record_update(user=user, obj=current, before=before, changed=changed, area_ids=old_areas)
    return current


# Areas


@transaction.atomic
def area_create(*, user, name: str, slug: str = "", **fields) -> Area:
    _refuse_unknown(fields, AREA_FIELDS)
    area = Area(name=name, slug=slug or slugify(name)[:200], **fields)
    _validate(area)
    area.save()
    _record(user=user, action=RegisterChange.Action.CREATE, obj=area, after=_snapshot(area, AREA_FIELDS))
    return area


@transaction.atomic
def area_update(*, user, area: Area, expected_revision: int | None, **fields) -> Area:
    return _update(user=user, obj=area, allowed=AREA_FIELDS, expected_revision=expected_revision, fields=fields)


# Boards


def _board_errors(board):
    errors = _date_order_errors(board.established_on, board.dissolved_on, "established_on", "dissolved_on")
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
    errors = _board_errors(board)
    if not areas:
        errors["areas"] = ["A board covers at least one area."]
    _validate(board, errors)
    board.save()
    board.areas.set(areas)
    _record(user=user, action=RegisterChange.Action.CREATE, obj=board, after=_snapshot(board, ("areas", *BOARD_FIELDS)))
    return board


@transaction.atomic
def board_update(
    *, user, board: Board, expected_revision: int | None, areas: list[Area] | None = None, **fields
) -> Board:
    _refuse_unknown(fields, BOARD_FIELDS)
    current = Board.objects.select_for_update().get(pk=board.pk)
    _check_revision(current, expected_revision)
    before = _snapshot(current, [*fields, "areas"])
    changed = _apply(current, fields)
    errors = _board_errors(current)
    if areas is not None and not areas:
        errors["areas"] = ["A board covers at least one area."]
    _validate(current, errors)
    audited = list(changed)
    if areas is not None and {a.pk for a in areas} != {a["id"] for a in before["areas"]}:
        current.areas.set(areas)
        audited.append("areas")
        if not changed:
            changed = ["updated_at"]  # the areas are part of the board: its revision moves with them
    _save(current, changed)
    # A board moved out of an area stays in that area's history.
    _record_update(user=user, obj=current, before=before, changed=audited, area_ids=[a["id"] for a in before["areas"]])
    return current


# Posts


@transaction.atomic
def post_create(*, user, title: str, kind: str, **fields) -> Post:
    _refuse_unknown(fields, POST_FIELDS)
    post = Post(title=title, kind=kind, **fields)
    _validate(post)
    post.save()
    _record(user=user, action=RegisterChange.Action.CREATE, obj=post, after=_snapshot(post, POST_FIELDS))
    return post


@transaction.atomic
def post_update(*, user, post: Post, expected_revision: int | None, **fields) -> Post:
    return _update(
        user=user,
        obj=post,
        allowed=POST_FIELDS,
        expected_revision=expected_revision,
        fields=fields,
        keeps_old_areas=True,
    )


# People


@transaction.atomic
def person_create(*, user, name: str, **fields) -> Person:
    _refuse_unknown(fields, PERSON_FIELDS)
    person = Person(name=name, **fields)
    _validate(person)
    person.save()
    _record(user=user, action=RegisterChange.Action.CREATE, obj=person, after=_snapshot(person, PERSON_FIELDS))
    return person


@transaction.atomic
def person_update(*, user, person: Person, expected_revision: int | None, **fields) -> Person:
    return _update(user=user, obj=person, allowed=PERSON_FIELDS, expected_revision=expected_revision, fields=fields)


# Memberships


def _membership_errors(membership):
    errors = _date_order_errors(membership.start_date, membership.end_date)
    if membership.post_id is None and not (membership.organisation or "").strip():
        errors["post"] = ["Name the post that sits on the board, or the organisation represented."]
    return errors


@transaction.atomic
def membership_create(*, user, board: Board, **fields) -> Membership:
    _refuse_unknown(fields, MEMBERSHIP_FIELDS)
    membership = Membership(board=board, **fields)
    _validate(membership, _membership_errors(membership))
    membership.save()
    after = _snapshot(membership, MEMBERSHIP_FIELDS)
    _record(user=user, action=RegisterChange.Action.CREATE, obj=membership, after=after)
    return membership


@transaction.atomic
def membership_update(*, user, membership: Membership, expected_revision: int | None, **fields) -> Membership:
    return _update(
        user=user,
        obj=membership,
        allowed=MEMBERSHIP_FIELDS,
        expected_revision=expected_revision,
        fields=fields,
        rules=_membership_errors,
        keeps_old_areas=True,  # moved to another board: the old board's areas keep the entry
    )


@transaction.atomic
def membership_delete(*, user, membership: Membership, expected_revision: int | None = None) -> None:
    # Not .first(): the default ordering joins the nullable post, which FOR UPDATE cannot lock.
    current = Membership.objects.select_for_update().filter(pk=membership.pk).order_by().first()
    if current is None:
        return
    _check_revision(current, expected_revision)
    # Recorded first, while the membership still has its id and its board's areas.
    before = _snapshot(current, MEMBERSHIP_FIELDS)
    _record(user=user, action=RegisterChange.Action.DELETE, obj=current, before=before)
    current.delete()


# Post holdings


def _holding_errors(holding):
    errors = _date_order_errors(holding.start_date, holding.end_date)
    start, precision = holding.start_date, holding.start_precision
    # A date known only to the month or year is stored as its first day (the model's check constraint).
    if start and precision == DatePrecision.MONTH and start.day != 1:
        errors["start_date"] = ["A date known only to the month is given as the 1st of that month."]
    if start and precision == DatePrecision.YEAR and (start.month, start.day) != (1, 1):
        errors["start_date"] = ["A date known only to the year is given as 1 January."]
    return errors


@transaction.atomic
def holding_create(*, user, person: Person, post: Post, **fields) -> PostHolding:
    _refuse_unknown(fields, HOLDING_FIELDS)
    holding = PostHolding(person=person, post=post, **fields)
    _validate(holding, _holding_errors(holding))
    holding.save()
    _record(user=user, action=RegisterChange.Action.CREATE, obj=holding, after=_snapshot(holding, HOLDING_FIELDS))
    return holding


@transaction.atomic
def holding_update(*, user, holding: PostHolding, expected_revision: int | None, **fields) -> PostHolding:
    return _update(
        user=user,
        obj=holding,
        allowed=HOLDING_FIELDS,
        expected_revision=expected_revision,
        fields=fields,
        rules=_holding_errors,
        keeps_old_areas=True,  # moved to another post: the old post's areas keep the entry
    )


@transaction.atomic
def holding_delete(*, user, holding: PostHolding, expected_revision: int | None = None) -> None:
    # Not .first(): the default ordering joins the post, which FOR UPDATE would lock as well.
    current = PostHolding.objects.select_for_update().filter(pk=holding.pk).order_by().first()
    if current is None:
        return
    _check_revision(current, expected_revision)
    # Recorded first, while the holding still has its id and its post's areas.
    _record(user=user, action=RegisterChange.Action.DELETE, obj=current, before=_snapshot(current, HOLDING_FIELDS))
    current.delete()
