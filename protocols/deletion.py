"""Deleting a record that an agreed version names is refused, on every database.

Django deletes what a record's deletion reaches (a board's duties, a person's place on a signature, a
meeting's participants) with bulk SQL, past the rows' own delete() guards. On PostgreSQL the triggers
refuse those rows of agreed versions; this pre_delete guard refuses the deletion before it starts, on
SQLite too, with a sentence for people. It listens only to models that agreed content points at and that
are not themselves such content (boards, posts, people, users, legal references, versions), so deleting
draft content costs no extra queries.
"""

from django.apps import apps
from django.db import models
from django.db.models.signals import pre_delete

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


def connect():
    for model in apps.get_models():
        if getattr(model, "VERSION_PATH", None) or not _content_relations(model):
            continue
        pre_delete.connect(
            refuse_deleting_agreed_content, sender=model, dispatch_uid=f"refuse_deleting_agreed_{model._meta.label}"
        )
