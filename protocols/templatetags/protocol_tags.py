"""Template helpers for reading a protocol on screen and in the PDF.

{% load protocol_tags %}
{{ obligation|obligation_when }}        'Annually, September to November'
{{ obligation|obligation_sentence }}    'KSCB sends its Annual Report to HWB, annually, September to November'
{{ obligation|obligation_recipients }}  'HWB, Children's Trust'
{% diagram_img version alt %}           the accountability diagram as an <img> of vector SVG
"""

import base64
import math
from html import escape

from django import template
from django.template import TemplateSyntaxError
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from boards.models import Board
from core.text import month_window, sends_phrase

register = template.Library()

# The accountability app's own drawing, reached through its template tags (protocols never imports it).
_THEIR_DIAGRAM = "{% load accountability_tags %}{% accountability_svg version links=False for_print=True %}"
_THEIR_DIAGRAM_TEXT = "{% load accountability_tags %}{% accountability_arrow_list version %}"


@register.filter
def css_string(value):
    """Text safe inside a double-quoted CSS string in a <style> block: every non-alphanumeric as a CSS escape."""
    return mark_safe("".join(ch if ch.isalnum() or ch == " " else f"\\{ord(ch):06x}" for ch in str(value)))  # noqa: S308


@register.filter
def signature_data_uri(approval):
    """A stored signature image inlined, so rendering needs no file paths or web requests."""
    image = approval.signature_image
    if not image:
        return ""
    try:
        with image.open("rb") as handle:
            data = handle.read()
    except OSError:
        return ""
    kind = "image/svg+xml" if image.name.lower().endswith(".svg") else "image/png"
    if image.name.lower().endswith((".jpg", ".jpeg")):
        kind = "image/jpeg"
    return f"data:{kind};base64,{base64.b64encode(data).decode()}"


@register.filter
def party_label(record):
    """A board's or post's short label: 'LSCB', 'DCS'."""
    if record is None:
        return ""
    return getattr(record, "label", str(record))


@register.filter
def obligation_when(obligation):
    frequency = obligation.get_frequency_display()
    window = month_window(obligation.window_start_month, obligation.window_end_month)
    return f"{frequency}, {window}" if window else frequency


@register.filter
def obligation_sentence(obligation):
    """One sentence a person would write: the frequency in lower case, month names capitalised, and a report
    named after its sender not named twice ('KSCB sends its Annual Report', not 'KSCB sends KSCB Annual Report')."""
    parts = [sends_phrase(party_label(obligation.sender), obligation.title)]
    recipients = obligation_recipients(obligation)
    if recipients:
        parts[0] += f" to {recipients}"
    parts.append(obligation.get_frequency_display().lower())
    window = month_window(obligation.window_start_month, obligation.window_end_month)
    if window:
        parts.append(window)
    if obligation.presenter_id:
        parts.append(f"presented by {obligation.presenter.title}")
    return ", ".join(parts)


@register.filter
def obligation_recipients(obligation):
    return ", ".join(party_label(r.board or r.post) for r in obligation.recipients.all())


@register.filter
def relation_sentence(relation):
    return f"{party_label(relation.subject)} {relation.get_kind_display()} {party_label(relation.object)}"


@register.filter
def capacity_rank(memberships):
    """Chairs first, then vice-chairs, members, observers, officers: as membership tables are printed."""
    order = ["chair", "vice_chair", "member", "participant_observer", "supporting_officer", "attendee"]
    return sorted(memberships, key=lambda m: (order.index(m.capacity) if m.capacity in order else 99, m.member_label))


def _node_key(record):
    return ("board" if isinstance(record, Board) else "post", record.pk)


def _simple_svg(version, parties, relations):
    """A plain drawing: the parties round a circle, an arrow for each relation the version records."""
    nodes = {}
    for party in parties:
        nodes.setdefault(("b", party.board_id), party.board.label)
    for relation in relations:
        for record in (relation.subject, relation.object):
            nodes.setdefault(_node_key(record), party_label(record))
    width, height = 640, 420
    cx, cy, radius = width / 2, height / 2, 150 if len(nodes) > 2 else 110
    positions = {}
    for index, key in enumerate(nodes):
        angle = -math.pi / 2 + 2 * math.pi * index / max(len(nodes), 1)
        positions[key] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}"'
        ' font-family="DejaVu Sans, sans-serif">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7"'
        ' orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#1d70b8"/></marker></defs>',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    for relation in relations:
        start, end = positions[_node_key(relation.subject)], positions[_node_key(relation.object)]
        dx, dy = end[0] - start[0], end[1] - start[1]
        length = math.hypot(dx, dy) or 1
        trim = 48
        x1, y1 = start[0] + dx / length * trim, start[1] + dy / length * trim
        x2, y2 = end[0] - dx / length * trim, end[1] - dy / length * trim
        out.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#1d70b8" stroke-width="2"'
            ' marker-end="url(#arrow)"/>'
        )
        out.append(
            f'<text x="{(x1 + x2) / 2:.1f}" y="{(y1 + y2) / 2 - 4:.1f}" font-size="11" text-anchor="middle"'
            f' fill="#0b0c0c">{escape(relation.get_kind_display())}</text>'
        )
    for key, label in nodes.items():
        x, y = positions[key]
        box = max(80, len(label) * 8 + 20)
        out.append(
            f'<rect x="{x - box / 2:.1f}" y="{y - 18:.1f}" width="{box}" height="36" rx="4" fill="#f3f2f1"'
            ' stroke="#0b0c0c" stroke-width="1.5"/>'
        )
        out.append(
            f'<text x="{x:.1f}" y="{y + 5:.1f}" font-size="13" font-weight="bold" text-anchor="middle"'
            f' fill="#0b0c0c">{escape(label)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


@register.simple_tag(takes_context=True)
def diagram_img(context, version, alt):
    """The accountability diagram as an <img> of SVG, so the PDF keeps it as vectors and tags it with `alt`.

    Uses the accountability app's map when its template tags are installed, else a simple drawing.
    """
    try:
        svg = template.engines["django"].from_string(_THEIR_DIAGRAM).render({"version": version})
    except (TemplateSyntaxError, ImportError):
        svg = _simple_svg(version, context.get("parties", []), context.get("relations", []))
    data = base64.b64encode(svg.encode()).decode()
    return format_html('<img class="diagram" src="data:image/svg+xml;base64,{}" alt="{}">', mark_safe(data), alt)


@register.simple_tag(takes_context=True)
def diagram_text(context, version):
    """The diagram as a list of sentences, one per arrow: the accountability app's when installed, else
    the relations the version records (what the simple drawing shows)."""
    try:
        return mark_safe(  # noqa: S308 - the accountability tag escapes each sentence
            template.engines["django"].from_string(_THEIR_DIAGRAM_TEXT).render({"version": version})
        )
    except (TemplateSyntaxError, ImportError):
        sentences = [
            relation_sentence(r) + (f" (clause {r.source_clause.reference})" if r.source_clause_id else "")
            for r in context.get("relations", [])
        ]
        if not sentences:
            return ""
        return format_html(
            '<ul class="relations">{}</ul>', format_html_join("", "<li>{}</li>", ((s,) for s in sentences))
        )
