from django import template
from django.utils.html import format_html

from core import text
from core.text import NOT_STATED

register = template.Library()


@register.filter
def or_not_stated(value):
    """Show a value, or say plainly that the protocol does not state it; never fill the gap."""
    if value in (None, ""):
        return format_html('<span class="not-stated">{}</span>', NOT_STATED)
    return value


@register.filter
def month_window(start, end):
    """{{ start|month_window:end }}: 'September to November'."""
    return text.month_window(start, end)
