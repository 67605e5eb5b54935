"""Template tags that put the accountability map on any page, including the protocol PDF.

{% load accountability_tags %}
{% accountability_svg version %}       the map one protocol version states
{% accountability_svg version links=False for_print=True %}   the same for the PDF (no links, print font)
{% area_accountability_svg area %}     the map of an area (agreed versions)
{% accountability_arrow_list version %}   the version's map as text: one sentence per arrow it draws
{% graph_svg graph title id_prefix %}  {% graph_arrow_list graph %}   the same for a map already built
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from accountability.graph import area_graph, version_graph
from accountability.svg import FONT, PRINT_FONT, render_svg

register = template.Library()


@register.simple_tag
def accountability_svg(version, links=True, for_print=False):
    """Safe SVG of the arrows `version` records between its parties and key posts."""
    graph = version_graph(version)
    title = f"Accountability map: {version.protocol}, version {version.number}"
    font = PRINT_FONT if for_print else FONT
    return mark_safe(render_svg(graph, title=title, links=links, id_prefix=f"v{version.pk}", font=font))  # noqa: S308 - escaped in render_svg


@register.simple_tag
def graph_svg(graph, title, id_prefix, links=True, for_print=False):
    """Safe SVG of a map already built (a version's record of what was agreed keeps its map as data)."""
    if not graph:
        return ""
    font = PRINT_FONT if for_print else FONT
    return mark_safe(render_svg(graph, title=title, links=links, id_prefix=id_prefix, font=font))  # noqa: S308 - escaped in render_svg


@register.simple_tag
def accountability_arrow_list(version):
    """The text alternative to the version's map: every arrow it draws, as a sentence, in a list, then what
    it states but draws no arrow for (an obligation whose sender is not stated, a denied relation)."""
    return graph_arrow_list(version_graph(version))


@register.simple_tag
def graph_arrow_list(graph):
    """The text alternative to a map already built: one sentence per arrow, then what it draws no arrow for."""
    if not graph:
        return ""
    sentences = [edge["sentence"] for edge in graph["edges"]] + [u["sentence"] for u in graph["unmapped"]]
    if not sentences:
        return ""
    return format_html(
        '<ul class="relations">{}</ul>', format_html_join("", "<li>{}</li>", ((sentence,) for sentence in sentences))
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
