"""Clause text is HTML typed by people; only a small, harmless subset ever reaches another reader."""

import html
import re

import nh3
from django.utils.html import strip_tags

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "ul",
    "ol",
    "li",
    "a",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope", "colspan", "rowspan"}, "td": {"colspan", "rowspan"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Script and style bodies are dropped with their tags, not turned into visible text.
DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template"}


def sanitize_html(value):
    """Sanitised HTML for a clause. Plain text (no tags) becomes paragraphs, one per blank-line block."""
    value = (value or "").strip()
    if not value:
        return ""
    if "<" not in value:
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", value) if p.strip()]
        value = "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    cleaned = nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    # Browsers' contenteditable leaves empty paragraphs and non-breaking spaces behind.
    cleaned = re.sub(r"<p>(\s|&nbsp;|<br>)*</p>", "", cleaned).strip()
    return cleaned


def is_blank_html(value):
    return not html.unescape(strip_tags(value or "")).strip()
