"""Changes to the register: areas, boards, posts, people and memberships.

Every function validates before it saves (ValidationError naming the field), saves only the fields
that changed, and refuses with StaleRecord when the caller's expected_revision is not the record's
revision now. Boards carry a revision counter; the other records have none, so their revision is a
fingerprint of their stored values (record_revision), which changes exactly when they do.

Who may call these is decided by protocols.permissions; boards knows nothing of users or audit.
"""

import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from .models import Area, Board, Membership, Person, Post, Revisioned

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


def _save(obj, changed):
    if not changed:
        return obj
    update_fields = list(changed)
    if isinstance(obj, Revisioned):
        obj.revision += 1
        update_fields += ["revision", "updated_at"]
    obj.save(update_fields=update_fields)
    return obj


# Areas


@transaction.atomic
def area_create(*, name: str, slug: str = "", **fields) -> Area:
    _refuse_unknown(fields, AREA_FIELDS)
    area = Area(name=name, slug=slug or slugify(name)[:200], **fields)
    _validate(area)
    area.save()
    return area


@transaction.atomic
def area_update(*, area: Area, expected_revision: int | None, **fields) -> Area:
    _refuse_unknown(fields, AREA_FIELDS)
    current = Area.objects.select_for_update().get(pk=area.pk)
    _check_revision(current, expected_revision)
    changed = _apply(current, fields)
    _validate(current)
    return _save(current, changed)


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
def board_create(*, name: str, kind: str, areas: list[Area], slug: str = "", **fields) -> Board:
    _refuse_unknown(fields, BOARD_FIELDS)
    board = Board(name=name, kind=kind, slug=slug or slugify(name)[:250], **fields)
    errors = _board_errors(board)
    if not areas:
        errors["areas"] = ["A board covers at least one area."]
    _validate(board, errors)
    board.save()
    board.areas.set(areas)
    return board


@transaction.atomic
def board_update(*, board: Board, expected_revision: int | None, areas: list[Area] | None = None, **fields) -> Board:
    _refuse_unknown(fields, BOARD_FIELDS)
    current = Board.objects.select_for_update().get(pk=board.pk)
    _check_revision(current, expected_revision)
    changed = _apply(current, fields)
    errors = _board_errors(current)
    if areas is not None and not areas:
        errors["areas"] = ["A board covers at least one area."]
    _validate(current, errors)
    if areas is not None and {a.pk for a in areas} != set(current.areas.values_list("pk", flat=True)):
        current.areas.set(areas)
        if not changed:
            changed = ["updated_at"]  # the areas are part of the board: its revision moves with them
    return _save(current, changed)


# Posts


@transaction.atomic
def post_create(*, title: str, kind: str, **fields) -> Post:
    _refuse_unknown(fields, POST_FIELDS)
    post = Post(title=title, kind=kind, **fields)
    _validate(post)
    post.save()
    return post


@transaction.atomic
def post_update(*, post: Post, expected_revision: int | None, **fields) -> Post:
    _refuse_unknown(fields, POST_FIELDS)
    current = Post.objects.select_for_update().get(pk=post.pk)
    _check_revision(current, expected_revision)
    changed = _apply(current, fields)
    _validate(current)
    return _save(current, changed)


# People


@transaction.atomic
def person_create(*, name: str, **fields) -> Person:
    _refuse_unknown(fields, PERSON_FIELDS)
    person = Person(name=name, **fields)
    _validate(person)
    person.save()
    return person


@transaction.atomic
def person_update(*, person: Person, expected_revision: int | None, **fields) -> Person:
    _refuse_unknown(fields, PERSON_FIELDS)
    current = Person.objects.select_for_update().get(pk=person.pk)
    _check_revision(current, expected_revision)
    changed = _apply(current, fields)
    _validate(current)
    return _save(current, changed)


# Memberships


def _membership_errors(membership):
    errors = _date_order_errors(membership.start_date, membership.end_date)
    if membership.post_id is None and not (membership.organisation or "").strip():
        errors["post"] = ["Name the post that sits on the board, or the organisation represented."]
    return errors


@transaction.atomic
def membership_create(*, board: Board, **fields) -> Membership:
    _refuse_unknown(fields, MEMBERSHIP_FIELDS)
    membership = Membership(board=board, **fields)
    _validate(membership, _membership_errors(membership))
    membership.save()
    return membership


@transaction.atomic
def membership_update(*, membership: Membership, expected_revision: int | None, **fields) -> Membership:
    _refuse_unknown(fields, MEMBERSHIP_FIELDS)
    current = Membership.objects.select_for_update().get(pk=membership.pk)
    _check_revision(current, expected_revision)
    changed = _apply(current, fields)
    _validate(current, _membership_errors(current))
    return _save(current, changed)


@transaction.atomic
def membership_delete(*, membership: Membership, expected_revision: int | None = None) -> None:
    # Not .first(): the default ordering joins the nullable post, which FOR UPDATE cannot lock.
    current = Membership.objects.select_for_update().filter(pk=membership.pk).order_by().first()
    if current is None:
        return
    _check_revision(current, expected_revision)
    current.delete()
