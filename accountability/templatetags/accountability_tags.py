"""Template tags that put the accountability map on any page, including the protocol PDF.

{% load accountability_tags %}
{% accountability_svg version %}       the map one protocol version states
{% accountability_svg version links=False for_print=True %}   the same for the PDF (no links, print font)
{% area_accountability_svg area %}     the map of an area (agreed versions)
{% accountability_arrow_list version %}   the key to the version's printed map: its numbered arrows in words
{% graph_svg graph title id_prefix %}  {% graph_arrow_list graph %}   the same for a map already built
"""

import datetime

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from accountability.graph import area_graph, version_graph
from accountability.svg import FONT, PRINT, PRINT_FONT, draw, memberships, numbered, render_svg

register = template.Library()

# Where the PDF puts the diagram, in CSS pixels: A4's width less its margins, and the height the
# stylesheet allows it (static/css/pdf.css, .diagram).
PRINT_BOX = (642, 775)


@register.simple_tag
def accountability_svg(version, links=True, for_print=False):
    """Safe SVG of the arrows `version` records between its parties and key posts."""
    title = f"Accountability map: {version.protocol}, version {version.number}"
    return graph_svg(version_graph(version), title, f"v{version.pk}", links=links, for_print=for_print)


@register.simple_tag
def graph_svg(graph, title, id_prefix, links=True, for_print=False):
    """Safe SVG of a map already built (a version's record of what was agreed keeps its map as data)."""
    if not graph:
        return ""
    if for_print:
        # On paper the picture is shrunk to the page: of the two directions, the one shrunk least.
        drawing = draw(
            graph, title=title, links=links, id_prefix=id_prefix, font=PRINT_FONT, sizes=PRINT, fit=PRINT_BOX
        )
        return mark_safe(drawing.svg)  # noqa: S308 - escaped in svg.draw
    return mark_safe(render_svg(graph, title=title, links=links, id_prefix=id_prefix, font=FONT))  # noqa: S308 - escaped in render_svg


@register.simple_tag
def accountability_arrow_list(version):
    """The text alternative to the version's map: every arrow it draws, as a sentence, in a list, then what
    it states but draws no arrow for (an obligation whose sender is not stated, a denied relation)."""
    return graph_arrow_list(version_graph(version))


@register.simple_tag
def graph_arrow_list(graph):
    """The key to a printed diagram, which numbers its arrows and meetings: for each number, what it joins and
    every sentence it stands for; then the memberships, which it does not draw, and what the protocol states
    but draws no arrow for (an obligation whose sender is not stated, a denied relation)."""
    if not graph:
        return ""
    drawn_arrows, drawn_hubs = numbered(graph)
    items = [
        (
            arrow.number,
            f"{arrow.source_label} {'to' if arrow.directed else 'and'} {arrow.target_label}",
            [edge["sentence"] for edge in arrow.edges],
        )
        for arrow in drawn_arrows
    ]
    items += [(hub.number, f"Meeting {hub.number}", [hub.sentence]) for hub in drawn_hubs]
    others = [row["edge"]["sentence"] for row in memberships(graph)] + [u["sentence"] for u in graph["unmapped"]]
    if not items and not others:
        return ""
    numbered_list = format_html_join(
        "",
        '<li value="{}"><strong>{}</strong><ul>{}</ul></li>',
        (
            (number, heading, format_html_join("", "<li>{}</li>", ((sentence,) for sentence in sentences)))
            for number, heading, sentences in items
        ),
    )
    rest = format_html_join("", "<li>{}</li>", ((sentence,) for sentence in others))
    return format_html(
        '<ol class="relations relations--numbered">{}</ol>{}',
        numbered_list,
        format_html('<ul class="relations">{}</ul>', rest) if others else "",
    )


@register.simple_tag
def area_accountability_svg(area, links=True):
    """Safe SVG of an area's map from its agreed protocol versions."""
    graph = area_graph(area)
    return mark_safe(  # noqa: S308 - escaped in render_svg
        render_svg(graph, title=f"Accountability map: {area.name}", links=links, id_prefix=f"a{area.pk}")
    )


@register.simple_tag
def area_gaps(area):
    """What is worth flagging in an area (see selectors.area_gaps): use as {% area_gaps area as gaps %}."""
    from accountability.selectors import area_gaps as gaps_for

    return gaps_for(area)


@register.simple_tag
def area_due_soon(area, days=92):
    """{% area_due_soon area as due %}: the area's obligations overdue or falling due soon (selectors.obligations_due_soon)."""
    import datetime

    from accountability.selectors import obligations_due_soon

    return obligations_due_soon(area, datetime.date.today(), days)


@register.inclusion_tag("accountability/import/suggestion_fields.html")
def import_suggestion_fields(suggestion, boards, posted=None):
    """One suggested obligation or relation on the import review screen: a box to accept it and the
    fields to correct it, filled from what the business manager sent, or else from the sentence."""
    from accountability.models import Frequency, Relation, ReportingObligation
    from accountability.services import proposed_values

    proposed = proposed_values(suggestion)
    prefix = f"s{suggestion['id']}"

    def board_value(found, written):
        return (str(found[0].pk), "") if len(found) == 1 else ("new" if written and not found else "", written)

    sender, sender_new = board_value(suggestion.get("sender_boards") or [], suggestion.get("sender", ""))
    recipient, recipient_new = board_value(suggestion.get("receiver_boards") or [], suggestion.get("receiver", ""))
    values = {
        "accept": False,
        "title": proposed["title"],
        "subject": proposed["subject"],
        "sender": sender,
        "sender_new": sender_new,
        "recipient": recipient,
        "recipient_new": recipient_new,
        "frequency": proposed["frequency"],
        "start": str(proposed["window_start_month"] or ""),
        "end": str(proposed["window_end_month"] or ""),
        "kind": proposed["kind"],
    }
    if posted:
        values = {name: posted.get(f"{prefix}-{name.replace('_', '-')}", value) for name, value in values.items()}
        values["accept"] = suggestion["id"] in posted.getlist("accept")
    months = [(str(n), datetime.date(2000, n, 1).strftime("%B")) for n in range(1, 13)]
    return {
        "s": suggestion,
        "prefix": prefix,
        "record": proposed["record"],
        "values": values,
        "boards": [(str(board.pk), board.name) for board in boards],
        "frequencies": Frequency.choices,
        "subjects": ReportingObligation.Subject.choices,
        "kinds": Relation.Kind.choices,
        "months": months,
    }
