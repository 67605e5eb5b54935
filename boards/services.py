"""Changes to the register: areas, boards, posts, people, who holds which post, and memberships.

Each function states the register's own rules and hands the write to core.writes, which validates
(ValidationError naming the field), saves only the fields that changed, refuses with EditConflict
when the caller's expected_revision is not the record's revision now, and writes one AuditRecord in
the same transaction, placed in the register history of the areas concerned. Boards carry a revision
counter; the other records have none, so their revision is a fingerprint of their stored values.

Each takes the acting `user` (None when no person acts, as in a command or the demo loader) and
refuses, with PermissionDenied saying why, what boards.permissions does not let that user do, so the
API, the admin and the register pages cannot differ. Areas are kept apart here too:

- a post belongs to a board only of its own area (or one its area shares) and a board's members are
  posts of the areas it covers (Post.clean and Membership.clean, so the admin's forms obey them too); a
  subgroup sits under a board of one of its own areas (data rules, for everyone, as field errors);
- a business manager links only what they keep: a post to a board they keep, a person to a post only
  when that person is theirs already (new, or holding a post they keep, a shared board's included), so
  giving someone a holding is no way to take over another area's person; and they add or remove only
  the areas they keep from a board, so the areas of a shared board change only with the managers of
  all the areas concerned (or an administrator).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify

from core.writes import full_clean, record_create, record_delete, record_update

from . import permissions
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
PERSON_FIELDS = ("name", "honorific", "notes", "added_in")
MEMBERSHIP_FIELDS = (
    "board",
    "post",
    "organisation",
    "capacity",
    "start_date",
    "start_precision",
    "end_date",
    "end_precision",
    "end_not_stated",
    "note",
)
HOLDING_FIELDS = (
    "person",
    "post",
    "start_date",
    "start_precision",
    "end_date",
    "end_precision",
    "end_not_stated",
    "note",
)


def _require(user, allowed, reason):
    """Refuse a person's change the rules do not allow (`allowed()` false); a command (no user) keeps the
    whole register."""
    if user is not None and not allowed():
        raise PermissionDenied(reason)


NOT_YOUR_BOARD = "You can change only the boards of the areas you keep."
NOT_YOUR_POST = "You can change only the posts of the areas you keep."


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


def _board_errors(board, area_ids):
    errors = _date_order_errors(board.established_on, board.dissolved_on, "established_on", "dissolved_on")
    if board.parent_id is not None and area_ids and not area_ids & _board_area_ids(board.parent):
        errors["parent"] = ["A subgroup belongs to a board of one of its own areas."]
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


def _board_area_ids(board):
    return {area.pk for area in board.areas.all()} if board.pk else set()


def _require_areas(user, areas):
    _require(
        user,
        lambda: all(permissions.can_edit_area_records(user, area) for area in areas),
        "You can put a board in, or take it out of, only the areas you keep; the managers of each area "
        "concerned (or an administrator) change a shared board's areas.",
    )


def _require_parent(user, parent):
    if parent is not None:
        _require(
            user, lambda: permissions.can_edit_board(user, parent), "You can put a board only under a board you keep."
        )


@transaction.atomic
def board_create(*, user, name: str, kind: str, areas: list[Area], slug: str = "", **fields) -> Board:
    _refuse_unknown(fields, BOARD_FIELDS)
    _require(user, lambda: permissions.can_edit_register(user), NOT_YOUR_BOARD)
    _require_areas(user, areas)
    _require_parent(user, fields.get("parent"))
    board = Board(name=name, kind=kind, slug=slug or slugify(name)[:250], **fields)

    def check(record):
        errors = _board_errors(record, {area.pk for area in areas})
        if not areas:
            errors["areas"] = ["A board covers at least one area."]
        return errors

    return _create(user=user, obj=board, audit_fields=("areas", *BOARD_FIELDS), rules=check, related={"areas": areas})


@transaction.atomic
def board_update(
    *, user, board: Board, expected_revision: int | None, areas: list[Area] | None = None, **fields
) -> Board:
    _refuse_unknown(fields, BOARD_FIELDS)
    _require(user, lambda: permissions.can_edit_board(user, board), NOT_YOUR_BOARD)
    current_areas = {area.pk: area for area in Area.objects.filter(boards=board)}
    if areas is not None:
        wanted = {area.pk: area for area in areas}
        moved = [area for pk, area in (current_areas | wanted).items() if (pk in current_areas) != (pk in wanted)]
        _require_areas(user, moved)
    if fields.get("parent") is not None and fields["parent"].pk != board.parent_id:
        _require_parent(user, fields["parent"])
    area_ids = {area.pk for area in areas} if areas is not None else set(current_areas)

    def check(record):
        errors = _board_errors(record, area_ids)
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
        rules=check,
    )


# Posts


def _require_post_placement(user, post):
    """The post lands where the user keeps posts, and on a board they keep."""
    _require(user, lambda: permissions.can_edit_post(user, post), NOT_YOUR_POST)
    if post.board_id is not None:
        _require(
            user,
            lambda: permissions.can_edit_board(user, post.board),
            "You can attach a post only to a board you keep.",
        )


@transaction.atomic
def post_create(*, user, title: str, kind: str, **fields) -> Post:
    _refuse_unknown(fields, POST_FIELDS)
    post = Post(title=title, kind=kind, **fields)
    _require_post_placement(user, post)
    return _create(user=user, obj=post, audit_fields=POST_FIELDS)


@transaction.atomic
def post_update(*, user, post: Post, expected_revision: int | None, **fields) -> Post:
    _require(user, lambda: permissions.can_edit_post(user, post), NOT_YOUR_POST)
    if "area" in fields or "board" in fields:
        placed = Post(area=fields.get("area", post.area), board=fields.get("board", post.board))
        if (placed.area_id, placed.board_id) != (post.area_id, post.board_id):
            _require_post_placement(user, placed)
    return _update(
        user=user,
        obj=post,
        allowed=POST_FIELDS,
        expected_revision=expected_revision,
        fields=fields,
    )


# People


def _require_person(user, person):
    if user is not None and person is not None:
        reason = permissions.person_edit_refusal(user, person)
        if reason is not None:
            raise PermissionDenied(reason)


NOT_YOUR_AREA_PEOPLE = "You can add people only to the registers of the areas you keep."


def _require_added_in(user, area):
    if area is not None:
        _require(user, lambda: permissions.can_edit_area_records(user, area), NOT_YOUR_AREA_PEOPLE)


@transaction.atomic
def person_create(*, user, name: str, **fields) -> Person:
    """Someone who holds or may hold a post. `added_in` is the area whose register adds them (by default
    the one area a business manager keeps): until they hold a post, other areas do not see them."""
    _refuse_unknown(fields, PERSON_FIELDS)
    _require(user, lambda: permissions.can_edit_people(user), "You cannot add people to the register.")
    if fields.get("added_in") is None and user is not None and not permissions.is_administrator(user):
        kept = permissions.kept_area_ids(user)
        fields["added_in"] = Area.objects.get(pk=next(iter(kept))) if len(kept) == 1 else None
    _require_added_in(user, fields.get("added_in"))
    return _create(user=user, obj=Person(name=name, **fields), audit_fields=PERSON_FIELDS)


@transaction.atomic
def person_update(*, user, person: Person, expected_revision: int | None, **fields) -> Person:
    _require_person(user, person)
    _require_added_in(user, fields.get("added_in"))
    return _update(user=user, obj=person, allowed=PERSON_FIELDS, expected_revision=expected_revision, fields=fields)


# Memberships


def _period_errors(record):
    """A holding's or membership's dates: in order, stored at their precision, and an end either dated or
    recorded as not stated, never both."""
    errors = _date_order_errors(record.start_date, record.end_date)
    errors |= _precision_errors(record, ("start_date", "start_precision"), ("end_date", "end_precision"))
    if record.end_not_stated and record.end_date is not None:
        errors["end_date"] = ["Give the date it ended, or say that the date is not stated, not both."]
    return errors


def _membership_errors(membership):
    errors = _period_errors(membership)
    if membership.post_id is None and not (membership.organisation or "").strip():
        errors["post"] = ["Name the post that sits on the board, or the organisation represented."]
    return errors


@transaction.atomic
def membership_create(*, user, board: Board, **fields) -> Membership:
    _refuse_unknown(fields, MEMBERSHIP_FIELDS)
    _require(user, lambda: permissions.can_edit_board(user, board), NOT_YOUR_BOARD)
    membership = Membership(board=board, **fields)
    return _create(user=user, obj=membership, audit_fields=MEMBERSHIP_FIELDS, rules=_membership_errors)


@transaction.atomic
def membership_update(*, user, membership: Membership, expected_revision: int | None, **fields) -> Membership:
    _require(user, lambda: permissions.can_edit_board(user, membership.board), NOT_YOUR_BOARD)
    if "board" in fields and fields["board"].pk != membership.board_id:
        _require(user, lambda: permissions.can_edit_board(user, fields["board"]), NOT_YOUR_BOARD)
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
    _require(user, lambda: permissions.can_edit_board(user, membership.board), NOT_YOUR_BOARD)
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


@transaction.atomic
def holding_create(*, user, person: Person | None, post: Post, **fields) -> PostHolding:
    """Who holds a post from when to when; `person` None when the source says it is held but names no one."""
    _refuse_unknown(fields, HOLDING_FIELDS)
    _require(user, lambda: permissions.can_edit_post(user, post), NOT_YOUR_POST)
    _require_person(user, person)
    holding = PostHolding(person=person, post=post, **fields)
    return _create(user=user, obj=holding, audit_fields=HOLDING_FIELDS, rules=_period_errors)


@transaction.atomic
def holding_update(*, user, holding: PostHolding, expected_revision: int | None, **fields) -> PostHolding:
    _require(user, lambda: permissions.can_edit_post(user, holding.post), NOT_YOUR_POST)
    if "post" in fields and fields["post"].pk != holding.post_id:
        _require(user, lambda: permissions.can_edit_post(user, fields["post"]), NOT_YOUR_POST)
    if fields.get("person") is not None and fields["person"].pk != holding.person_id:
        _require_person(user, fields["person"])
    return _update(
        user=user,
        obj=holding,
        allowed=HOLDING_FIELDS,
        expected_revision=expected_revision,
        fields=fields,
        rules=_period_errors,
    )


@transaction.atomic
def holding_delete(*, user, holding: PostHolding, expected_revision: int | None = None) -> None:
    _require(user, lambda: permissions.can_edit_post(user, holding.post), NOT_YOUR_POST)
    record_delete(user=user, obj=holding, expected_revision=expected_revision, audit_fields=HOLDING_FIELDS)
