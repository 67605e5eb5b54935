"""The admin writes through core.writes like every other page, and never changes what was agreed.

Every ModelAdmin of the registry's apps derives from RecordAdmin: saves, deletes, inline rows and
the bulk delete action each go through record_create, record_update or record_delete, so they are
validated, revision-counted and audited as the editor's changes are. A record of an agreed or
superseded version (refuse_locked) opens read-only; anything the write path still refuses is shown
as a message, never as a server error. The audit trail itself is read-only.
"""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import HttpResponseRedirect

from .exceptions import RegistryError, VersionLocked
from .models import AuditRecord
from .writes import record_create, record_delete, record_update, refuse_locked


def is_frozen(obj, deleting=False) -> bool:
    """True for a record the write path would refuse to change (or delete): part of an agreed version."""
    try:
        refuse_locked(obj, None if deleting else ())
    except VersionLocked:
        return True
    return False


def _changes(form_or_obj, obj, names):
    """The values to hand to record_update: the changed model fields, many-to-many ones included."""
    fields = {}
    opts = obj._meta
    for name in names:
        try:
            field = opts.get_field(name)
        except Exception:  # noqa: BLE001 - a form-only field
            continue
        if not field.concrete or field.primary_key:
            continue
        if field.many_to_many:
            cleaned = getattr(form_or_obj, "cleaned_data", {})
            if name in cleaned:
                fields[name] = list(cleaned[name])
        else:
            fields[name] = getattr(obj, name)
    return fields


class RefusalsAsMessages:
    """A change the registry's rules refuse (an agreed version's record, say) comes back as a message."""

    def _refusing(self, request, view, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (RegistryError, ValidationError, DatabaseError) as error:
            if isinstance(error, DatabaseError) and "agreed or superseded" not in str(error):
                raise
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error).splitlines()[0]
            self.message_user(request, f"Not saved: {text}", level=messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return self._refusing(request, super().changeform_view, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        return self._refusing(request, super().delete_view, object_id, extra_context)

    def changelist_view(self, request, extra_context=None):
        return self._refusing(request, super().changelist_view, extra_context)


class RecordAdmin(RefusalsAsMessages, admin.ModelAdmin):
    def has_change_permission(self, request, obj=None):
        if obj is not None and is_frozen(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and is_frozen(obj, deleting=True):
            return False
        return super().has_delete_permission(request, obj)

    # Writes -------------------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if change:
            saved = record_update(
                user=request.user, obj=obj, fields=_changes(form, obj, form.changed_data), validate=False
            )
            obj.__dict__.update(saved.__dict__)
        else:
            record_create(user=request.user, obj=obj, validate=False)

    def save_related(self, request, form, formsets, change):
        # Many-to-many values went through save_model's record_update; a new record's are set here.
        if not change:
            form.save_m2m()
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        formset.save(commit=False)
        for obj in formset.deleted_objects:
            record_delete(user=request.user, obj=obj)
        for obj in formset.new_objects:
            record_create(user=request.user, obj=obj, validate=False)
        for obj, names in formset.changed_objects:
            record_update(user=request.user, obj=obj, fields=_changes(obj, obj, names), validate=False)
        formset.save_m2m()

    def delete_model(self, request, obj):
        record_delete(user=request.user, obj=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            record_delete(user=request.user, obj=obj)


class FrozenInlineMixin:
    """An inline of rows that belong to an agreed version shows them read-only."""

    def has_add_permission(self, request, obj=None):
        return not (obj is not None and is_frozen(obj)) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not (obj is not None and is_frozen(obj)) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not (obj is not None and is_frozen(obj)) and super().has_delete_permission(request, obj)


class TabularInline(FrozenInlineMixin, admin.TabularInline):
    pass


class StackedInline(FrozenInlineMixin, admin.StackedInline):
    pass


@admin.register(AuditRecord)
class AuditRecordAdmin(admin.ModelAdmin):
    """The audit trail: read here, written only by core.writes, never changed or removed."""

    list_display = ["at", "user", "action", "object_type", "object_repr", "protocol_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "message", "user__username"]
    list_select_related = ["user"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditRecord._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Accounts are Django's own, but deleting one that an agreed approval names is refused like any other
# record an agreed version names (protocols.deletion): say so instead of failing.
_user_model = get_user_model()
if admin.site.is_registered(_user_model):
    _user_admin = type(admin.site._registry[_user_model])
    admin.site.unregister(_user_model)
    admin.site.register(_user_model, type("UserAdmin", (RefusalsAsMessages, _user_admin), {}))
