"""The one write path: every change to a record of the registry goes through these functions.

record_create, record_update and record_delete each, in one transaction: lock the row, refuse a
record of an agreed version, check the caller's revision, validate, save only what changed, and
write one AuditRecord. A change that changes nothing saves nothing and records nothing.

core imports no app. What it needs to know about a record it asks the record itself, through
methods a model may define (all optional):

- ``refuse_locked(fields)``: raise VersionLocked when changing `fields` (empty for a create, None
  for a delete) would change an agreed or superseded version;
- ``audit_scope()``: a dict with any of ``protocol_id``, ``version_id`` and ``area_ids``, placing
  the change in a protocol's audit trail or in areas' register histories.

A record with a `revision` field carries a counter bumped on each save; any other record's
revision is a fingerprint of its stored values (record_revision), which changes exactly when they do.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import datetime
import decimal
import hashlib
import json
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone

from .exceptions import EditConflict
from .models import AuditRecord, AuditRecordArea, ChangeCounter

Action = AuditRecord.Action

# Writes may only run inside these functions; tests/test_write_path.py checks the browser, the API
# and the admin against this.
WRITE_FUNCTIONS = (
    "record_create",
    "record_update",
    "record_delete",
    "record_rows",
    "record_positions",
    "audit",
    "note_change",
    "note_change_showing",
    "one_change",
)


# Unlocking --------------------------------------------------------------------------------------------

_UNLOCKED = contextvars.ContextVar("unlocked", default=False)


def locks_apply() -> bool:
    """False only inside unlocked(): the model guards of agreed versions stand aside."""
    return not _UNLOCKED.get()


@contextlib.contextmanager
def unlocked():
    """Let agreed records be changed or removed, which nothing else may do: for commands that delete the
    synthetic data they generated, and tests that stand in for a copy an older release stored. On
    PostgreSQL the triggers that freeze agreed versions read the same permission from a setting local
    to the transaction."""
    postgresql = connection.vendor == "postgresql"
    token = _UNLOCKED.set(True)
    try:
        with transaction.atomic():
            if postgresql:
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL registry.unlocked = 'on'")
            yield
            if postgresql:  # on failure the rollback to the savepoint undoes the setting
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL registry.unlocked = 'off'")
    finally:
        _UNLOCKED.reset(token)


# Revisions ------------------------------------------------------------------------------------------


def has_counter(obj) -> bool:
    return any(field.name == "revision" for field in obj._meta.concrete_fields)


def record_revision(obj) -> int:
    """The number an ETag carries: the counter of a revisioned record, else a fingerprint of its values.

    The fingerprint is 14 hex digits (under 10**17), so it fits the ETag syntax the API reads back.
    """
    if has_counter(obj):
        return obj.revision
    values = {field.attname: field.value_to_string(obj) for field in obj._meta.concrete_fields}
    digest = hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()
    return int(digest[:14], 16)


def check_revision(current, expected_revision) -> None:
    if expected_revision is not None and int(expected_revision) != record_revision(current):
        label = current._meta.verbose_name
        raise EditConflict(f"Someone else changed this {label} since you opened it.", current=current)


# Snapshots ------------------------------------------------------------------------------------------


def _json(value):
    if isinstance(value, models.Model):
        return {"id": value.pk, "label": str(value)[:300]}
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return value


def snapshot(obj, names: Iterable[str]) -> dict:
    """Some fields' values as JSON: dates as ISO text, a related record (or several) as id and label."""
    values = {}
    for name in names:
        field = _field(obj, name)
        if field is not None and field.many_to_many:
            values[name] = [_json(item) for item in getattr(obj, name).all()] if obj.pk else []
        else:
            values[name] = _json(getattr(obj, name))
    return values


def _field(obj, name):
    try:
        return obj._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a property or an annotation: read as it is
        return None


# Audit ------------------------------------------------------------------------------------------------


# The change counter -------------------------------------------------------------------------------------


ALL = "all"
REGISTRY = "registry"

# Where else a change shows, beyond the areas its record names: functions (area_ids, protocol_id) -> area ids,
# added by the apps that know (accountability: the areas whose pages show a protocol's records).
page_areas: list[Callable[[set, int | None], set]] = []


def area_scope(area_id) -> str:
    return f"area:{area_id}"


def areas_showing(area_ids: Iterable[int] = (), protocol_id: int | None = None) -> set:
    """The areas whose pages show a change to records of these areas or of this protocol."""
    shown = set(area_ids)
    if protocol_id is not None or shown:
        for find in page_areas:
            shown |= find(set(shown), protocol_id)
    return shown


@dataclasses.dataclass
class _OneChange:
    scopes: set = dataclasses.field(default_factory=set)
    questions: set = dataclasses.field(default_factory=set)  # (area ids, protocol id) for areas_showing
    areas: set = dataclasses.field(default_factory=set)  # shown before a record moved away
    facts: dict = dataclasses.field(default_factory=dict)  # what guards looked up once (kept_for_change)


_ONE_CHANGE: contextvars.ContextVar[_OneChange | None] = contextvars.ContextVar("one_change", default=None)


@contextlib.contextmanager
def one_change():
    """Many writes that make one change (a draft copied from the agreed version), in one transaction.

    Inside it the change counters do not move write by write: each write's scopes and its question "which
    areas show this?" are gathered, and at the end, once the rows are all written and before the transaction
    commits, each question is answered once and each counter moves once. Nested uses join the outermost.
    """
    if _ONE_CHANGE.get() is not None:
        yield
        return
    gathered = _OneChange()
    token = _ONE_CHANGE.set(gathered)
    try:
        with transaction.atomic():
            yield
            _ONE_CHANGE.reset(token)
            token = None
            if gathered.questions:
                shown = set(gathered.areas)
                for area_ids, protocol_id in gathered.questions:
                    shown |= areas_showing(area_ids, protocol_id)
                gathered.scopes |= _scopes(shown)
            if gathered.scopes:
                _move_counters(gathered.scopes)
    finally:
        if token is not None:
            _ONE_CHANGE.reset(token)


def kept_for_change(name: str) -> dict | None:
    """Inside one_change(): a dict that lives as long as the change, where a guard keeps what it looked up
    (which versions are open) instead of asking again for each row; None outside, where nothing is kept."""
    gathered = _ONE_CHANGE.get()
    return None if gathered is None else gathered.facts.setdefault(name, {})


def forget_for_change(name: str) -> None:
    """Drop what kept_for_change(name) holds: the facts it kept may have just changed."""
    gathered = _ONE_CHANGE.get()
    if gathered is not None:
        gathered.facts.pop(name, None)


def note_change_showing(area_ids: Iterable[int] = (), protocol_id: int | None = None, *, also: Iterable[int] = ()):
    """note_change for the areas whose pages show records of these areas or of this protocol, and `also`."""
    gathered = _ONE_CHANGE.get()
    if gathered is None:
        note_change(area_ids=set(also) | areas_showing(area_ids, protocol_id))
        return
    gathered.questions.add((frozenset(area_ids), protocol_id))
    gathered.areas |= set(also)


def _scopes(area_ids) -> set:
    scopes = {ALL, *(area_scope(pk) for pk in set(area_ids or ()))}
    if len(scopes) == 1:
        scopes.add(REGISTRY)
    return scopes


def note_change(area_ids: Iterable[int] | None = None) -> None:
    """Move the change counters on, in the caller's transaction: cached pages drawn before it are not served again.

    The counter of every change moves, and each named area's, or the registry's where no area is named (a
    change that may show anywhere). Every audited change does this; commands that add rows in bulk without
    an audit record call it with no areas. Inside one_change() they move once, at its end.
    """
    gathered = _ONE_CHANGE.get()
    if gathered is not None:
        gathered.scopes |= _scopes(area_ids)
        return
    _move_counters(_scopes(area_ids))


def _move_counters(scopes: set) -> None:
    scopes = sorted(scopes)
    now = timezone.now()
    moved = ChangeCounter.objects.filter(scope__in=scopes).update(value=models.F("value") + 1, changed_at=now)
    if moved < len(scopes):
        # An area's row comes with its first change; where the others have gone (a database emptied row by
        # row, as tests that run in real transactions do), caching stays off until this change makes them again.
        present = set(ChangeCounter.objects.filter(scope__in=scopes).values_list("scope", flat=True))
        for scope in scopes:
            if scope not in present:
                ChangeCounter.objects.get_or_create(scope=scope, defaults={"value": 1, "changed_at": now})


def current_change() -> int | None:
    """The counter of every change (one query), or None where it is missing, when nothing may be cached.

    Read it before reading what a cached page shows: a change committed in between then only makes the
    cached copy newer than its key, never older.
    """
    return ChangeCounter.objects.filter(scope=ALL).values_list("value", flat=True).first()


@dataclasses.dataclass(frozen=True)
class Changes:
    """Where the counters of some areas stand: `key` for a cache key or an ETag, `modified` for Last-Modified."""

    key: str
    modified: datetime.datetime


def change_scopes(area_ids: Iterable[int] | None = None) -> list[str]:
    """The counters a page showing records of these areas depends on: the registry's and each area's; for None
    (a page of the whole registry), every change's. The first is the one that must be there (changes_at)."""
    return [ALL] if area_ids is None else [REGISTRY, *(area_scope(pk) for pk in sorted(set(area_ids)))]


def changes_in(area_ids: Iterable[int] | None = None) -> Changes | None:
    """The counters a page depends on, in one query: the registry's and each area's; every change's for None.

    None where the registry's (or every change's) row is missing, when nothing may be cached. Read it
    before what the page shows, as current_change.
    """
    return changes_at(change_scopes(area_ids))


def changes_at(scopes: list[str]) -> Changes | None:
    """Where these counters stand (change_scopes), in one query; None where the first one's row is missing."""
    rows = ChangeCounter.objects.filter(scope__in=scopes).values_list("scope", "value", "changed_at")
    return changes_from(scopes, {scope: (value, at) for scope, value, at in rows})


def changes_from(scopes: list[str], found: dict) -> Changes | None:
    """Changes from the rows read of these scopes ({scope: (value, changed_at)}); an area's row may be missing
    (it comes with the area's first change), the first scope's may not."""
    if scopes[0] not in found:
        return None
    # The time as well as the value: a row lost and made again counts from 1 without reusing an older key.
    parts = [
        f"{scope}={found[scope][0]}@{found[scope][1].timestamp()}" if scope in found else scope for scope in scopes
    ]
    return Changes(key=";".join(parts), modified=max(at for _value, at in found.values()))


def scope_of(obj) -> dict:
    scope = getattr(obj, "audit_scope", None)
    return dict(scope()) if scope is not None else {}


def audit(*, user, action, obj, before=None, after=None, message="", scope=None) -> AuditRecord:
    """Record who did what; the caller's transaction holds the record and the change together.

    `scope` adds to (or, key by key, replaces) what the record's own audit_scope() says.
    """
    where = scope_of(obj)
    extra = dict(scope or {})
    area_ids = set(where.pop("area_ids", ())) | set(extra.pop("area_ids", ()))
    shown_before = set(extra.pop("shown_area_ids", ()))
    where.update(extra)
    record = AuditRecord.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        before=before,
        after=after,
        message=(message or "")[:300],
        protocol_id=where.get("protocol_id"),
        version_id=where.get("version_id"),
    )
    AuditRecordArea.objects.bulk_create(AuditRecordArea(record=record, area_id=pk) for pk in sorted(area_ids))
    note_change_showing(area_ids, where.get("protocol_id"), also=shown_before)
    return record


# Validation -------------------------------------------------------------------------------------------


def full_clean(obj, errors=None, exclude=None) -> None:
    """Model validation (types, choices, lengths, uniqueness) merged with rules checked by hand.

    Check constraints are the database's last word; the rules that mirror them give the messages.
    """
    errors = {name: messages if isinstance(messages, list) else [messages] for name, messages in (errors or {}).items()}
    try:
        obj.full_clean(exclude=["revision", *(exclude or ())], validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, messages)
    if errors:
        raise ValidationError(errors)


def _validate(obj, validate):
    if validate is None:
        full_clean(obj)
    elif validate is not False:
        validate(obj)


# Writes -----------------------------------------------------------------------------------------------


def refuse_locked(obj, fields=()) -> None:
    guard = getattr(obj, "refuse_locked", None)
    if guard is not None:
        guard(fields)


def locked_copy(obj):
    """The row as stored, locked until the transaction ends where the database can, so two saves queue.

    No ordering: a default ordering that joins a nullable relation cannot be locked FOR UPDATE.
    """
    return type(obj)._default_manager.select_for_update().filter(pk=obj.pk).order_by().get()


def _apply(obj, fields) -> tuple[list[str], dict]:
    """Set the given values; return the changed field names and the many-to-many values to store."""
    changed, related = [], {}
    for name, value in fields.items():
        field = obj._meta.get_field(name)
        if field.many_to_many:
            wanted = {item.pk for item in value}
            if wanted != set(getattr(obj, name).values_list("pk", flat=True)):
                related[name] = list(value)
                changed.append(name)
            continue
        new = value.pk if isinstance(value, models.Model) else value
        if getattr(obj, field.attname) != new:
            setattr(obj, name, value)
            changed.append(name)
    return changed, related


@transaction.atomic
def record_create(
    *,
    user,
    obj,
    validate: Callable | None | bool = None,
    audit_fields: Iterable[str] | None = None,
    related: dict | None = None,
    message: str = "",
    scope: dict | None = None,
    audited: bool = True,
):
    """Validate and save a new record (and its many-to-many values in `related`), and audit it.

    `validate(obj)` raises ValidationError (use full_clean for model validation); None runs
    full_clean alone, False nothing (the caller validated). `audited=False` when the caller records
    the change as part of a larger one with audit().
    """
    refuse_locked(obj)
    _validate(obj, validate)
    obj.save()
    for name, values in (related or {}).items():
        getattr(obj, name).set(values)
    if audited:
        names = list(audit_fields) if audit_fields is not None else _editable_names(obj)
        audit(user=user, action=Action.CREATE, obj=obj, after=snapshot(obj, names), message=message, scope=scope)
    return obj


@transaction.atomic
def record_update(
    *,
    user,
    obj,
    fields: dict,
    expected_revision: int | None = None,
    validate: Callable | None | bool = None,
    action: str = Action.UPDATE,
    message: str = "",
    scope: dict | None = None,
    parts: dict | None = None,
    audited: bool = True,
):
    """Change some fields of a record; return it as saved, with `changed_fields` naming what changed.

    Locks the row, refuses a locked version, checks `expected_revision` (EditConflict), applies the
    values, validates, and when something changed saves those fields (bumping the counter) and
    audits before and after. A record moved to another area stays in the old area's history too.

    `parts` names rows that belong to the record (an obligation's recipients): name -> (value before,
    value after, store(record)); when the two values differ, store runs and they are audited with
    the fields, as one change. `audited=False` for bookkeeping that is no one's change (a counter of
    attempts), as in record_create.
    """
    current = locked_copy(obj)
    refuse_locked(current, fields)
    check_revision(current, expected_revision)
    before = snapshot(current, fields)
    old_scope = scope_of(current)
    changed, related = _apply(current, fields)
    _validate(current, validate)
    parts = {name: part for name, part in (parts or {}).items() if part[0] != part[1]}
    current.changed_fields = [*changed, *parts]
    if not current.changed_fields:
        return current
    # A changed reference may leave an area whose pages showed the record: those pages move on too.
    shown_before = areas_showing((), old_scope["protocol_id"]) if audited and old_scope.get("protocol_id") else set()
    update_fields = [name for name in changed if name not in related]
    if has_counter(current):
        current.revision += 1
        update_fields += ["revision", "updated_at"]
    current.save(update_fields=update_fields)
    for name, values in related.items():
        getattr(current, name).set(values)
    for _before, _after, store in parts.values():
        store(current)
    if not audited:
        return current
    where = {"area_ids": old_scope.get("area_ids", ()), "shown_area_ids": shown_before, **(scope or {})}
    audit(
        user=user,
        action=action,
        obj=current,
        before={**{name: before[name] for name in changed}, **{name: part[0] for name, part in parts.items()}},
        after={**snapshot(current, changed), **{name: part[1] for name, part in parts.items()}},
        message=message,
        scope=where,
    )
    return current


@transaction.atomic
def record_delete(
    *,
    user,
    obj,
    expected_revision: int | None = None,
    audit_fields: Iterable[str] | None = None,
    before_extra: dict | None = None,
    message: str = "",
    audited: bool = True,
) -> None:
    """Delete a record after locking it, refusing a locked version and checking the revision.

    Audited first, while the record still has its id and its scope (unless the caller records the
    deletion as part of a larger change). A record already gone is a no-op.
    """
    current = type(obj)._default_manager.select_for_update().filter(pk=obj.pk).order_by().first()
    if current is None:
        return
    refuse_locked(current, None)
    check_revision(current, expected_revision)
    if audited:
        names = list(audit_fields) if audit_fields is not None else _editable_names(current)
        before = {**snapshot(current, names), **(before_extra or {})}
        audit(user=user, action=Action.DELETE, obj=current, before=before, message=message)
    current.delete()


@transaction.atomic
def record_rows(objs: Iterable[models.Model]) -> list:
    """Create rows that are part of a change the caller audits as one (a draft copied from a version)."""
    objs = list(objs)
    if not objs:
        return objs
    for obj in objs:
        refuse_locked(obj)
    created = type(objs[0])._default_manager.bulk_create(objs)
    where = scope_of(objs[0])  # rows of one change share a place: a version, or an area
    note_change_showing(where.get("area_ids", ()), where.get("protocol_id"))
    return created


def record_positions(items: Iterable[models.Model], *, field: str = "position", bump: bool = False) -> list:
    """Store each item's place in a list (or a computed value such as a clause number), unaudited.

    The caller audits the move or the renumbering as one change; `bump` moves the revision counter
    when the value is one an editor could be holding (a clause's number).
    """
    saved = []
    for item, value in items:
        if getattr(item, field) == value:
            continue
        refuse_locked(item, [field])
        setattr(item, field, value)
        update_fields = [field]
        if has_counter(item):
            if bump:
                item.revision += 1
                update_fields.append("revision")
            update_fields.append("updated_at")
        item.save(update_fields=update_fields)
        saved.append(item)
    return saved


def _editable_names(obj):
    return [
        field.name
        for field in [*obj._meta.concrete_fields, *obj._meta.many_to_many]
        if field.editable and not field.primary_key and field.name != "revision"
    ]
