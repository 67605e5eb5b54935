"""Helpers for the editor's GOV.UK-styled forms."""

from django import template

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
