"""The one audit trail: every change to a record of the registry, written by core.writes."""

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst


class AuditRecordQuerySet(models.QuerySet):
    def for_protocol(self, protocol_id):
        return self.filter(protocol_id=protocol_id)

    def for_version(self, version_id):
        return self.filter(version_id=version_id)

    def for_area(self, area_id):
        """The changes an area's register history shows."""
        return self.filter(pk__in=AuditRecordArea.objects.filter(area_id=area_id).values("record_id"))

    def for_record(self, obj):
        return self.filter(object_type=obj._meta.label, object_id=str(obj.pk))


class AuditRecord(models.Model):
    """Who changed what, when, with the changed fields' values before and after.

    `before` and `after` hold the changed fields only (all of them for a create or delete); a related
    record is kept as {"id": ..., "label": ...} so the trail reads well after the record it named is
    gone. Scoping is by id, not foreign key, so core depends on no app and history outlives what it
    describes: `protocol_id` and `version_id` place a change in a protocol's audit trail, the
    AuditRecordArea rows in the register histories of areas.
    """

    class Action(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Changed"
        DELETE = "delete", "Deleted"
        TRANSITION = "transition", "Status changed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty when no person acted: a command or the demo loader.",
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=100, help_text="The model's label, e.g. protocols.Clause.")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    message = models.CharField(max_length=300, blank=True)
    protocol_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    version_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)

    objects = AuditRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_record_object")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user or 'system'} {self.get_action_display()} {self.object_repr}"

    @property
    def area_ids(self):
        """The areas whose register history shows this change, by id."""
        return sorted(link.area_id for link in self.area_links.all())

    @property
    def model(self):
        try:
            return apps.get_model(self.object_type)
        except (LookupError, ValueError):
            return None

    @property
    def object_type_label(self):
        """The kind of record as people say it ("post holding", not "postholding")."""
        model = self.model
        return model._meta.verbose_name if model else self.object_type

    def field_changes(self):
        """Each field named in before or after, by its label, with its two values as text (None where
        there was none). A created or deleted record lists only the fields that had a value."""
        before, after = self.before or {}, self.after or {}
        names = dict.fromkeys([*before, *after])
        whole = after if self.action == self.Action.CREATE else before if self.action == self.Action.DELETE else None
        if whole is not None:
            names = [
                name
                for name in names
                if whole.get(name) not in (None, "", [], False) and not _dateless_precision(name, whole)
            ]
        model = self.model
        rows = []
        for name in names:
            field = _field(model, name)
            rows.append(
                {
                    "field": capfirst(field.verbose_name) if field else name,
                    "before": _change_text(field, before, name),
                    "after": _change_text(field, after, name),
                }
            )
        return rows


def _dateless_precision(name, values):
    """A date's precision ('start_precision') says nothing while its date ('start_date') is not stated."""
    if not name.endswith("_precision"):
        return False
    stem = name.removesuffix("_precision")
    dates = [
        key
        for key in values
        if key != name and key.startswith(stem) and not key.endswith(("_precision", "_not_stated"))
    ]
    return bool(dates) and all(values.get(key) in (None, "") for key in dates)


class AuditRecordArea(models.Model):
    """An area whose register history shows the change (an id: core knows no app's models)."""

    record = models.ForeignKey(AuditRecord, on_delete=models.CASCADE, related_name="area_links")
    area_id = models.PositiveBigIntegerField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["record", "area_id"], name="unique_audit_record_area")]

    def __str__(self):
        return f"{self.record_id} in area {self.area_id}"


def _field(model, name):
    try:
        return model._meta.get_field(name) if model else None
    except FieldDoesNotExist:
        return None


def _change_text(field, values, name):
    """One stored value as a history page shows it: a related record by its label, a choice by its name."""
    if name not in values:
        return None
    value = values[name]
    if isinstance(value, dict):
        return value.get("label", "")
    if isinstance(value, list):
        return ", ".join(str(item.get("label", "") if isinstance(item, dict) else item) for item in value)
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if field is not None and getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


class ChangeCounter(models.Model):
    """Counters of the registry's changes, one row per scope: core.writes moves them on in each change's transaction.

    Scopes: "all" counts every change (current_change); "registry" the changes placed in no area (a
    legislation title, a bulk load); "area:<id>" the changes an area's pages show. Cached pages are keyed by
    the counters of what they show (read before anything else), so a page cached before a change is never
    served after it, whichever process made the change or keeps the cache; `changed_at` gives Last-Modified.
    """

    # Without a scope named, the counter of every change: the row there always was (pk 1).
    scope = models.CharField(max_length=40, unique=True, default="all")
    value = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "change counter"

    def __str__(self):
        return f"Change {self.value} ({self.scope})"
