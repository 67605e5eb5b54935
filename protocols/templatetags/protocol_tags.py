"""Template helpers for reading a protocol on screen and in the PDF.

{% load protocol_tags %}
{{ obligation|obligation_when }}        'Annually, September to November'
{{ obligation|obligation_sentence }}    'KSCB sends its Annual Report to HWB, annually, September to November'
{{ obligation|obligation_recipients }}  'HWB, Children's Trust'
{% diagram_img graph title id_prefix alt %}   the accountability diagram as an <img> of vector SVG
"""

import base64

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.text import NOT_STATED, month_window, sends_phrase

register = template.Library()

# The accountability app's own drawing, reached through its template tags (protocols never imports it).
_THEIR_DIAGRAM = "{% load accountability_tags %}{% graph_svg graph title id_prefix links=False for_print=True %}"
_THEIR_DIAGRAM_TEXT = "{% load accountability_tags %}{% graph_arrow_list graph %}"


@register.filter
def css_string(value):
    """Text safe inside a double-quoted CSS string in a <style> block: every non-alphanumeric as a CSS escape.

    Each escape ends with a space, which CSS reads as the escape's end and drops: without it, a space
    that follows the escaped character in the text (the one after a comma) would be taken as that end
    and lost ("Board,Health" for "Board, Health").
    """
    return mark_safe("".join(ch if ch.isalnum() or ch == " " else f"\\{ord(ch):06x} " for ch in str(value)))  # noqa: S308


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
    """'At least annually, September to November'; says so when the protocol does not state how often."""
    frequency = obligation.frequency_label or f"How often: {NOT_STATED.lower()}"
    window = month_window(obligation.window_start_month, obligation.window_end_month)
    return f"{frequency}, {window}" if window else frequency


@register.filter
def obligation_sentence(obligation):
    """One sentence a person would write: the frequency in lower case, month names capitalised, and a report
    named after its sender not named twice ('KSCB sends its Annual Report', not 'KSCB sends KSCB Annual Report').
    Joint senders send together; a sender or frequency the protocol does not state is said to be so."""
    senders = obligation.sender_parties
    if len(senders) == 1:
        parts = [sends_phrase(party_label(senders[0]), obligation.title)]
    elif senders:
        parts = [f"{obligation.senders_label} send jointly {obligation.title}"]
    else:
        parts = [obligation.title]
    recipients = obligation_recipients(obligation)
    if recipients:
        parts[0] += f" to {recipients}"
    frequency = obligation.frequency_label
    parts.append(frequency[0].lower() + frequency[1:] if frequency else f"how often: {NOT_STATED.lower()}")
    window = month_window(obligation.window_start_month, obligation.window_end_month)
    if window:
        parts.append(window)
    if obligation.presenter_id:
        parts.append(f"presented by {obligation.presenter.title}")
    if not senders:
        parts.append(f"sender: {NOT_STATED.lower()}")
    return ", ".join(parts)


@register.filter
def obligation_recipients(obligation):
    return ", ".join(party_label(r.board or r.post) for r in obligation.recipients.all())


@register.filter
def relation_sentence(relation):
    """'LSCB holds HWB to account'; a relation that knows its own words ('is not subordinate to', 'are equal
    partners') says them."""
    subject, object_ = party_label(relation.subject), party_label(relation.object)
    if hasattr(relation, "sentence"):
        return relation.sentence(subject, object_)
    return f"{subject} {relation.get_kind_display()} {object_}"


@register.filter
def capacity_rank(memberships):
    """Chairs (and co-chairs) first, then vice-chairs, members, observers, officers: as membership tables are printed."""
    order = ["chair", "co_chair", "vice_chair", "member", "participant_observer", "supporting_officer", "attendee"]
    return sorted(memberships, key=lambda m: (order.index(m.capacity) if m.capacity in order else 99, m.member_label))


@register.simple_tag
def diagram_img(graph, title, id_prefix, alt):
    """The accountability diagram (a map as data, from the version's document) as an <img> of SVG, so the PDF
    keeps it as vectors and tags it with `alt`."""
    context = {"graph": graph, "title": title, "id_prefix": id_prefix}
    svg = template.engines["django"].from_string(_THEIR_DIAGRAM).render(context)
    data = base64.b64encode(svg.encode()).decode()
    return format_html('<img class="diagram" src="data:image/svg+xml;base64,{}" alt="{}">', mark_safe(data), alt)


@register.simple_tag
def diagram_text(graph):
    """The diagram as a list of sentences, one per arrow it draws."""
    return mark_safe(  # noqa: S308 - the accountability tag escapes each sentence
        template.engines["django"].from_string(_THEIR_DIAGRAM_TEXT).render({"graph": graph})
    )


@register.simple_tag
def edits_protocols(user):
    """{% edits_protocols user as edits %}: whether to offer "Your protocols" (someone who edits none is not)."""
    from protocols.permissions import can_edit_anything

    return bool(user) and can_edit_anything(user)
