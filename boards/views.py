"""Area pages, the board directory and board pages. Reads live in selectors; these only translate."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from . import permissions, selectors
from .models import Area, Board

HISTORY_PAGE_SIZE = 50


def area_detail(request, slug):
    """An area: its boards, links to the map and calendar, and the gaps worth flagging (a template tag)."""
    area = get_object_or_404(Area, slug=slug)
    boards = list(selectors.boards_in_area(area))
    top_level = [b for b in boards if b.parent_id is None]
    subgroups = [b for b in boards if b.parent_id is not None]
    context = {
        "area": area,
        "boards": top_level,
        "subgroups": subgroups,
        "can_see_history": permissions.can_see_register_history(request.user, area),
    }
    return render(request, "boards/area_detail.html", context)


def area_boards(request, slug):
    """The board directory of an area, grouped by kind."""
    area = get_object_or_404(Area, slug=slug)
    groups = {}
    for board in selectors.boards_in_area(area):
        groups.setdefault(board.get_kind_display(), []).append(board)
    ordered = sorted(groups.items(), key=lambda item: (item[0] in ("Subgroup", "Local partnership group"), item[0]))
    return render(request, "boards/area_boards.html", {"area": area, "groups": ordered})


@login_required
def register_history(request, slug):
    """Who changed the area's boards, posts, people and memberships, newest first, for those who keep them."""
    area = get_object_or_404(Area, slug=slug)
    if not permissions.can_see_register_history(request.user, area):
        raise PermissionDenied("The register's history is for the area's business managers and administrators.")
    page = Paginator(selectors.register_history(area), HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "boards/register_history.html", {"area": area, "page": page})


def board_detail(request, slug):
    try:
        board = selectors.board_for_page(slug)
    except Board.DoesNotExist as error:
        raise Http404("No such board") from error
    areas = list(board.areas.all())
    today = datetime.date.today()
    escalation_routes = {}
    for step in board.escalation_steps.all():
        escalation_routes.setdefault(step.route.pk, step.route)
    context = {
        "board": board,
        "areas": areas,
        "chairs": selectors.chairs(board, today),
        "memberships": sorted(board.memberships.all(), key=lambda m: (m.capacity != "chair", m.member_label.lower())),
        "matrix": selectors.membership_matrix(areas),
        "duties": selectors.in_force(board.duties.all()),
        "obligations_owed": selectors.in_force(board.obligations_owed.all()),
        "obligations_received": selectors.in_force([r.obligation for r in board.obligations_received.all()]),
        "relations_out": selectors.in_force(board.relations_out.all()),
        "relations_in": selectors.in_force(board.relations_in.all()),
        "meetings": selectors.in_force(board.meetings.all()),
        "parties": sorted(board.protocol_parties.all(), key=lambda p: (p.version.protocol.title, -p.version.number)),
        "escalation_routes": selectors.in_force(escalation_routes.values()),
    }
    return render(request, "boards/board_detail.html", context)
