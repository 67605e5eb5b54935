"""Deleting a record that an agreed version names is refused, on every database.

Django deletes what a record's deletion reaches (a board's duties, a person's place on a signature, a
meeting's participants) with bulk SQL, past the rows' own delete() guards. On PostgreSQL the triggers
refuse those rows of agreed versions; this pre_delete guard refuses the deletion before it starts, on
SQLite too, with a sentence for people. It listens only to models that agreed content points at and that
are not themselves such content (boards, posts, people, users, legal references, versions), so deleting
draft content costs no extra queries.

The links of agreed content to other records (the boards and posts of an agreed meeting, the Acts an
agreed duty cites) are part of it as well: removing or clearing them through a many-to-many manager is
refused the same way (on PostgreSQL the triggers of accountability migration 0010 refuse it in SQL).
Adding a link stays allowed, as adding rows is: a past version is entered row by row after it is agreed.
"""

from django.apps import apps
from django.db import models
from django.db.models.signals import m2m_changed, pre_delete

from core.exceptions import VersionLocked
from core.writes import locks_apply

from .models import ProtocolVersion


def _content_relations(model):
    """The reverse relations of `model` from rows that belong to a version (models with VERSION_PATH)."""
    return [
        relation
        for relation in model._meta.get_fields(include_hidden=True)
        if relation.auto_created
        and not relation.concrete
        and getattr(relation.related_model, "VERSION_PATH", None)
        and getattr(relation, "on_delete", None) not in (models.PROTECT, models.DO_NOTHING)
    ]


def refuse_deleting_agreed_content(sender, instance, **kwargs):
    if not locks_apply():
        return
    for relation in _content_relations(sender):
        model = relation.related_model
        locked = model._default_manager.filter(
            **{relation.field.name: instance, f"{model.VERSION_PATH}__status__in": ProtocolVersion.LOCKED}
        )
        if locked.exists():
            raise VersionLocked(
                f"{sender._meta.verbose_name.capitalize()} “{instance}” is named in an agreed version "
                f"(its {model._meta.verbose_name_plural}), which is the signed record: it cannot be deleted."
            )


def refuse_unlinking_agreed_content(sender, instance, action, reverse, model, pk_set, **kwargs):
    """m2m_changed: before links of a row of an agreed version are removed or cleared, from either side."""
    if action not in ("pre_remove", "pre_clear") or not locks_apply():
        return
    owner, field = _link_owner(sender)
    if not reverse:
        rows = owner._default_manager.filter(pk=instance.pk)
    elif pk_set is not None:
        rows = owner._default_manager.filter(pk__in=pk_set)
    else:  # cleared from the other side: every row linked to this record
        rows = owner._default_manager.filter(**{field.name: instance})
    if rows.filter(**{f"{owner.VERSION_PATH}__status__in": ProtocolVersion.LOCKED}).exists():
        raise VersionLocked(
            f"The {field.verbose_name} of an agreed version's {owner._meta.verbose_name} are part of the signed "
            "record: they cannot be removed."
        )


def _link_owner(through):
    """The model with VERSION_PATH whose many-to-many field uses this `through` table, and that field."""
    for model in apps.get_models():
        for field in model._meta.many_to_many:
            if field.remote_field.through is through and getattr(model, "VERSION_PATH", None):
                return model, field
    raise LookupError(through)


def connect():
    for model in apps.get_models():
        if getattr(model, "VERSION_PATH", None):
            for field in model._meta.many_to_many:
                m2m_changed.connect(
                    refuse_unlinking_agreed_content,
                    sender=field.remote_field.through,
                    dispatch_uid=f"refuse_unlinking_agreed_{model._meta.label}_{field.name}",
                )
            continue
        if not _content_relations(model):
            continue
        pre_delete.connect(
            refuse_deleting_agreed_content, sender=model, dispatch_uid=f"refuse_deleting_agreed_{model._meta.label}"
        )
