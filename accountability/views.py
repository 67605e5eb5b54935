"""The area and board pages, the accountability map, its data and text alternative, the calendar of
obligations and iCal feeds.

The area and board pages show what every app records about an area or board, so they live here, in
the app built on the others: boards supplies who sits where, this app the rest.

Views only translate: graphs come from graph.py, due windows from schedule.py, reads from
selectors.py and the one write (recording a fulfilment) from fulfilment.py.
"""

import datetime
import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from boards import permissions as board_permissions
from boards import selectors as board_selectors
from boards.models import Area, Board
from core import page_cache
from core.addresses import absolute_url, site_url
from protocols.models import ProtocolVersion
from protocols.permissions import (
    can_view_version,
    editable_protocols,
    is_administrator,
    readable_draft_protocols,
)

from . import ical
from .comparison import MAX_AREAS, compared_arrows, protocols_by_area, split_shared
from .forms import AreaComparisonForm
from .fulfilment import can_record_fulfilment, obligation_fulfilment_record
from .graph import area_graph, board_graph, filter_graph, focus_graph, version_graph
from .models import ReportingObligation
from .schedule import obligation_status, obligation_windows
from .selectors import area_obligations, board_obligations, board_records, obligation_calendar
from .svg import draw, render_svg, text_groups


def area_detail(request, slug):
    """An area: its boards, links to its map, calendar and directory, and the gaps worth flagging."""
    area = get_object_or_404(Area, slug=slug)
    boards = list(board_selectors.boards_in_area(area))
    context = {
        "area": area,
        "boards": [b for b in boards if b.parent_id is None],
        "subgroups": [b for b in boards if b.parent_id is not None],
        "can_see_history": board_permissions.can_see_register_history(request.user, area),
    }
    return render(request, "accountability/area_detail.html", context)


def board_detail(request, slug):
    """A board: who sits on it (from boards) and what it owes, receives and is party to (from here).

    Its body is cached for the areas it serves (see core.page_cache); what a reader may do here is its class.
    """
    board = Board.objects.filter(slug=slug).prefetch_related("areas").first()
    if board is None:
        raise Http404("No such board")
    areas = list(board.areas.all())
    # A business manager adds and ends memberships from here, through their area's register pages.
    keep_area = next((area for area in areas if board_permissions.can_edit_area_records(request.user, area)), None)
    can_import = board_permissions.can_edit_board(request.user, board)
    reader = f"keep={keep_area.pk if keep_area else 0},import={int(can_import)}"
    cached = page_cache.page(request, area_ids=[area.pk for area in areas], reader=reader)
    if (response := cached.not_modified(request)) is not None:
        return response
    body = cached.body(lambda: _board_body(request, slug, keep_area=keep_area, can_import=can_import))
    context = {"board": board, "areas": areas, "body": mark_safe(body)}  # noqa: S308 - our own rendered template
    return cached.finish(render(request, "accountability/board_detail.html", context))


def _board_body(request, slug, *, keep_area, can_import):
    try:
        board = board_selectors.board_for_page(slug)  # read again, after the counters
    except Board.DoesNotExist as error:
        raise Http404("No such board") from error
    areas = list(board.areas.all())
    context = {
        "board": board,
        "areas": areas,
        "seats": board_selectors.board_seats(board, datetime.date.today()),
        "show_past": request.GET.get("past") == "1",
        "keep_area": keep_area,
        "matrix": board_selectors.membership_matrix(areas),
        "records": board_records(board),
        "can_import_memberships": can_import,
    }
    graph = board_graph(board, areas)
    context.update(_map_context(graph, draw(graph, title=f"Who {board.label} reports to", id_prefix="board-map")))
    return render_to_string("accountability/includes/board_body.html", context, request=request)


def _can_see_area_drafts(user, area):
    if is_administrator(user):
        return True
    return readable_draft_protocols(user).filter(area=area).exists()


def _filters(request, graph):
    """Chosen arrow kinds and protocols from the GET form; everything when the form wasn't sent."""
    if request.GET.get("filtered") != "1":
        return None, None
    return set(request.GET.getlist("kind")), set(request.GET.getlist("protocol"))


def _drafts_shown(request, area):
    """Whether the map shows what drafts would change: asked for, and the reader may read them."""
    return request.GET.get("drafts") == "1" and _can_see_area_drafts(request.user, area)


def _area_map_data(request, area, include_drafts=None):
    """The area's whole graph and the one to draw: seen from the chosen board (?board=), filtered by the form."""
    drafts_asked = request.GET.get("drafts") == "1"
    if include_drafts is None:
        include_drafts = _drafts_shown(request, area)
    full = area_graph(area, include_drafts=include_drafts)
    kinds, protocols = _filters(request, full)
    boards = [n for n in full["nodes"] if n["type"] == "board"]
    focus = next((n for n in boards if n["slug"] == request.GET.get("board")), None)
    shown = focus_graph(full, focus["id"]) if focus else full
    graph = filter_graph(shown, kinds=kinds, protocols=protocols)
    return (
        full,
        graph,
        {
            "drafts_asked": drafts_asked,
            "include_drafts": include_drafts,
            "kinds": kinds,
            "protocols": protocols,
            "focus": focus,
            "boards": boards,
        },
    )


def _map_context(graph, drawing):
    """What the picture, its key and its text alternative need (templates/accountability/includes/map_*.html)."""
    return {
        "graph": graph,
        "drawing": drawing,
        "svg": drawing.svg,
        "text_groups": text_groups(graph, drawing.arrows),
        "membership_rows": drawing.memberships,
    }


def area_map(request, slug):
    """The map page: the Graphviz SVG, its key, and the arrows as text, grouped by board.

    With ?partial=1 only the picture and the text are sent back: the page's script swaps them in
    when a filter changes, so filtering needs no reload; without scripts the form reloads the page.
    The map of agreed versions is the same for every reader, so its body is cached (core.page_cache);
    a map with drafts is drawn afresh for the reader who may see them.
    """
    area = get_object_or_404(Area, slug=slug)
    include_drafts = _drafts_shown(request, area)
    cached = page_cache.Page() if include_drafts else page_cache.page(request, area_ids=[area.pk])
    if (response := cached.not_modified(request)) is not None:
        return response
    partial = request.GET.get("partial") == "1"
    body = cached.body(lambda: _area_map_body(request, area.pk, include_drafts=include_drafts, partial=partial))
    if partial:
        return cached.finish(HttpResponse(body))
    context = {"area": area, "body": mark_safe(body)}  # noqa: S308 - our own rendered template
    return cached.finish(render(request, "accountability/area_map.html", context))


def _area_map_body(request, area_pk, *, include_drafts, partial):
    area = Area.objects.get(pk=area_pk)  # read again, after the counters
    full, graph, choice = _area_map_data(request, area, include_drafts)
    focus = choice["focus"]
    title = f"Accountability map: {focus['name'] if focus else area.name}"
    query = request.GET.copy()
    query.pop("partial", None)
    context = {
        "area": area,
        "full_graph": full,
        "chosen_kinds": choice["kinds"],
        "chosen_protocols": choice["protocols"],
        "include_drafts": choice["include_drafts"],
        "drafts_refused": choice["drafts_asked"] and not choice["include_drafts"],
        "focus": focus,
        "boards": choice["boards"],
        "query_string": query.urlencode(),
        **_map_context(graph, draw(graph, title=title, id_prefix="area-map")),
    }
    template = "accountability/includes/map_result.html" if partial else "accountability/includes/area_map_body.html"
    return render_to_string(template, context, request=request)


def area_map_json(request, slug):
    """The same graph as data, honouring the same filters, for other clients."""
    area = get_object_or_404(Area, slug=slug)
    _full, graph, _choice = _area_map_data(request, area)
    return JsonResponse(graph)


def area_map_svg(request, slug):
    area = get_object_or_404(Area, slug=slug)
    _full, graph, _choice = _area_map_data(request, area)
    return HttpResponse(render_svg(graph, title=f"Accountability map: {area.name}"), content_type="image/svg+xml")


def version_map(request, slug, number):
    """The map of one protocol version: what this version says about who reports to whom."""
    version = get_object_or_404(
        ProtocolVersion.objects.select_related("protocol__area"), protocol__slug=slug, number=number
    )
    if not can_view_version(request.user, version):
        raise PermissionDenied
    graph = version_graph(version)
    title = f"Accountability map: {version.protocol}, version {version.number}"
    return render(
        request,
        "accountability/version_map.html",
        {"version": version, **_map_context(graph, draw(graph, title=title, id_prefix="version-map"))},
    )


# Calendar -----------------------------------------------------------------------------------


def _calendar_reader(user):
    """What about the reader changes a calendar: the protocols whose obligations they may record as met."""
    if not user.is_authenticated:
        return "public"
    if is_administrator(user):
        return "administrator"
    editable = sorted(editable_protocols(user).values_list("pk", flat=True))
    return "records=" + hashlib.sha256(repr(editable).encode()).hexdigest()[:16]


def _calendar_context(request, obligations, **extra):
    today = datetime.date.today()
    user = request.user
    editable = None
    if user.is_authenticated:
        editable = set(editable_protocols(user).values_list("pk", flat=True))
    can_record_free = is_administrator(user)
    calendar = obligation_calendar(obligations, today)
    for status in calendar["overdue"] + calendar["undated"] + [e.status for m in calendar["months"] for e in m.entries]:
        ob = status.obligation
        status.can_record = can_record_free or (
            editable is not None and ob.version_id is not None and ob.version.protocol_id in editable
        )
    return {"calendar": calendar, "today": today, **extra}


def _calendar_page(request, subject, area_ids, draw_context):
    """A calendar page of an area or a board: its body cached by the areas it shows, the day and the reader."""
    cached = page_cache.page(request, area_ids=area_ids, reader=_calendar_reader(request.user))
    if (response := cached.not_modified(request)) is not None:
        return response
    body = cached.body(
        lambda: render_to_string("accountability/includes/calendar_body.html", draw_context(), request=request)
    )
    context = {"subject": subject, "body": mark_safe(body)}  # noqa: S308 - our own rendered template
    context[subject._meta.model_name] = subject
    return cached.finish(render(request, "accountability/calendar.html", context))


def area_calendar(request, slug):
    area = get_object_or_404(Area, slug=slug)

    def draw_context():
        fresh = Area.objects.get(pk=area.pk)  # read again, after the counters
        context = _calendar_context(request, area_obligations(fresh), area=fresh, subject=fresh)
        context["feed_url"] = absolute_url(reverse("accountability:area_calendar_ics", args=[fresh.slug]), request)
        return context

    return _calendar_page(request, area, [area.pk], draw_context)


def board_calendar(request, slug):
    board = Board.objects.filter(slug=slug).prefetch_related("areas").first()
    if board is None:
        raise Http404("No such board")

    def draw_context():
        fresh = Board.objects.get(pk=board.pk)  # read again, after the counters
        context = _calendar_context(request, board_obligations(fresh), board=fresh, subject=fresh)
        context["feed_url"] = absolute_url(reverse("accountability:board_calendar_ics", args=[fresh.slug]), request)
        return context

    return _calendar_page(request, board, [area.pk for area in board.areas.all()], draw_context)


def _feed(request, subject, area_ids, draw, filename):
    """An iCal feed: its body cached by the areas it shows, the day and the address (its links are absolute).

    The feed's own DTSTAMP is the time its body was drawn; a calendar already holding it loses nothing.
    """
    cached = page_cache.page(request, area_ids=area_ids, cookies=False)
    if (response := cached.not_modified(request)) is not None:
        return response
    response = HttpResponse(cached.body(draw), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return cached.finish(response)


def area_calendar_ics(request, slug):
    area = get_object_or_404(Area, slug=slug)

    def draw():
        fresh = Area.objects.get(pk=area.pk)
        name = f"{fresh.name}: board obligations"
        return ical.obligation_feed(area_obligations(fresh), name=name, base_url=site_url(request))

    return _feed(request, area, [area.pk], draw, f"{area.slug}-obligations.ics")


def board_calendar_ics(request, slug):
    board = Board.objects.filter(slug=slug).prefetch_related("areas").first()
    if board is None:
        raise Http404("No such board")

    def draw():
        fresh = Board.objects.get(pk=board.pk)
        name = f"{fresh.label}: obligations"
        return ical.obligation_feed(board_obligations(fresh), name=name, base_url=site_url(request))

    return _feed(request, board, [area.pk for area in board.areas.all()], draw, f"{board.slug}-obligations.ics")


def _parse_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_http_methods(["GET", "POST"])
def obligation_fulfilment(request, pk):
    """Record that an obligation was met for one of its periods (business managers of its protocol)."""
    obligation = get_object_or_404(
        ReportingObligation.objects.select_related("version__protocol").prefetch_related(
            "fulfilments", "senders__board", "senders__post", "recipients__board", "recipients__post"
        ),
        pk=pk,
    )
    if not can_record_fulfilment(request.user, obligation):
        raise PermissionDenied
    today = datetime.date.today()
    status = obligation_status(obligation, today)
    periods = obligation_windows(
        obligation,
        today - datetime.timedelta(days=3 * 366),
        today + datetime.timedelta(days=366),
    )
    met = {f.period_start for f in obligation.fulfilments.all()}
    periods = [w for w in reversed(periods) if w.start not in met]
    errors, values = {}, {}
    if request.method == "POST":
        values = request.POST
        met_on = _parse_date(request.POST.get("met_on"))
        period_start = _parse_date(request.POST.get("period_start")) if periods else met_on
        if met_on is None:
            errors["met_on"] = "Enter the date it was met, for example 2025-10-14."
        if period_start is None and "met_on" not in errors:
            errors["period_start"] = "Choose the period this meets."
        if not errors:
            try:
                obligation_fulfilment_record(
                    user=request.user,
                    obligation=obligation,
                    period_start=period_start,
                    met_on=met_on,
                    note=request.POST.get("note", ""),
                    link=request.POST.get("link", ""),
                )
            except ValidationError as error:
                errors = {k: v[0] for k, v in error.message_dict.items()}
            else:
                messages.success(request, f"Recorded “{obligation.title}” as met on {met_on:%d %B %Y}.")
                sending_board = next((s.board for s in obligation.senders.all() if s.board_id), None)
                fallback = (
                    reverse("accountability:board_calendar", args=[sending_board.slug])
                    if sending_board
                    else reverse("protocols:home")
                )
                return redirect(_safe_next(request) or fallback)
    return render(
        request,
        "accountability/fulfilment_form.html",
        {
            "obligation": obligation,
            "status": status,
            "periods": periods,
            "errors": errors,
            "values": values,
            "next": _safe_next(request),
        },
        status=400 if errors else 200,
    )


def _safe_next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return ""


def compare_areas(request):
    """Side by side: which arrangements the agreed protocols of two to six areas make, and their protocols."""
    # "Compare with other areas" on an area's page arrives with that area ticked and nothing compared yet.
    started = "area" not in request.GET
    form = AreaComparisonForm(
        None if started else request.GET,
        areas=Area.objects.order_by("name"),
        max_areas=MAX_AREAS,
        initial={"area": request.GET.getlist("start")},
    )
    context = {"form": form, "max_areas": MAX_AREAS}
    if form.is_valid():
        areas = form.cleaned_data["area"]
        shared, own = split_shared(compared_arrows(areas), areas)
        context.update(areas=areas, shared=shared, own=own, protocols=protocols_by_area(areas, user=request.user))
    return render(request, "accountability/compare.html", context)
