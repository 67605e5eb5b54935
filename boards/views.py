"""The board directory and the register's history. Reads live in selectors; these only translate.

The area and board pages show what other apps record too, so the app built on the others serves them."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from . import permissions, selectors
from .models import Area

HISTORY_PAGE_SIZE = 50


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
