"""Helpers for the editor: GOV.UK-styled form fields, and the panels other apps add under each clause.

{% load editor_tags %}
{{ field|govuk_widget }}     the field's widget with the Design System's classes
{% clause_panels clause %}   what other apps show under a clause (see protocols.extensions)
"""

from django import template
from django.utils.safestring import mark_safe

from protocols import extensions

register = template.Library()

INPUT_CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "selectmultiple": "govuk-select registry-select-multiple",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
    "checkbox": "govuk-checkboxes__input",
    "radioselect": "govuk-radios__input",
    "checkboxselectmultiple": "govuk-checkboxes__input",
}


@register.filter
def govuk_widget(field, width=""):
    """The field's widget with the Design System's classes, error state and described-by ids."""
    widget_type = field.widget_type
    css = INPUT_CLASSES.get(widget_type, "govuk-input")
    if field.errors:
        css += {"govuk-textarea": " govuk-textarea--error", "govuk-select": " govuk-select--error"}.get(
            css, " govuk-input--error" if css == "govuk-input" else ""
        )
    if width:
        css += f" {width}"
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    attrs = {"class": css}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def error_anchor(field):
    """Where an error summary link should jump: the first option of a group, else the input."""
    if field.widget_type in {"radioselect", "checkboxselectmultiple"}:
        return f"{field.auto_id}_0"
    return field.auto_id


@register.filter
def can_edit(user, protocol):
    """Whether to offer the editor link; anonymous readers cost no query."""
    from protocols.permissions import can_edit_protocol

    return user.is_authenticated and can_edit_protocol(user, protocol)


@register.filter
def can_read_history(user, protocol):
    from protocols.permissions import can_read_drafts

    return user.is_authenticated and can_read_drafts(user, protocol)


@register.simple_tag(takes_context=True)
def clause_panels(context, clause):
    """Render each registered clause panel with the current context and this clause."""
    engine = context.template.engine
    parts = []
    with context.push(clause=clause):
        for name in extensions.clause_panels:
            parts.append(engine.get_template(name).render(context))
    return mark_safe("".join(parts))  # noqa: S308 - the panels are templates, autoescaped as they render
