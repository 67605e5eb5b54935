"""The register pages of an area: its boards, posts, people, who holds which post and who sits on which
board, for the area's business managers and administrators.

They call the services the API calls (boards.services, and accountability.services for a board's legal
bases), which also decide who may do what: these pages only show the area's own records (and those of
the boards it shares), translate forms into calls, and show what a service refuses beside the field.
A change never deletes history: ending a holding or a membership gives it an end date, and it stays
listed among the past ones.
"""

import datetime
import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from boards import permissions
from boards import selectors as board_selectors
from boards import services as register
from boards.models import Area, Board, Membership, PostHolding
from core.forms import service_errors
from core.models import AuditRecord
from core.writes import record_revision

from . import register_forms as forms
from . import services
from .models import BoardLegalBasis

KEEPERS_ONLY = "The register pages are for the area's business managers and administrators."
# A service names a date by its model field; the form shows its error beside the year box.
DATE_ALIASES = {
    "start_date": "start_year",
    "end_date": "end_year",
    "established_on": "established_year",
    "dissolved_on": "dissolved_year",
}


def keeper_view(view):
    """A register page: sign-in required, then only for those who keep the area's register (403 otherwise).
    The view receives the area instead of its slug."""

    @functools.wraps(view)
    def wrapper(request, slug, *args, **kwargs):
        area = get_object_or_404(Area, slug=slug)
        if not permissions.can_edit_area_records(request.user, area):
            raise PermissionDenied(KEEPERS_ONLY)
        return view(request, area, *args, **kwargs)

    return login_required(wrapper)


def _url(name, area, *args):
    return reverse(f"register:{name}", args=[area.slug, *args])


def _trail(record):
    """The record's own changes, newest first, with who made each."""
    return AuditRecord.objects.for_record(record).select_related("user").order_by("-at", "-id")


def _save(request, form, save, *, refused_field=None):
    """Run `save()` for a valid form; a refusal (field errors, a conflict, a rule) lands on the form.

    Returns what save() returned, or None when something was refused. After an edit conflict the form
    carries the record's current revision, so saving again is a choice made after reading the message.
    """
    result = None
    with service_errors(form, aliases=DATE_ALIASES) as saved:
        try:
            result = save()
        except PermissionDenied as error:
            saved.failed = True
            form.add_error(refused_field, str(error) or KEEPERS_ONLY)
    if saved.conflict is not None and "revision" in form.fields:
        form.data = form.data.copy()
        form.data["revision"] = record_revision(saved.conflict.current)
    return result if saved else None


def _render_form(request, area, form, *, heading, caption, cancel, button, template="register/form.html", **extra):
    context = {"area": area, "form": form, "heading": heading, "caption": caption, "cancel": cancel, "button": button}
    context |= {"board": None, "trail": None, "links": [], "intro": ""}
    return render(request, template, {**context, **extra}, status=400 if form.errors else 200)


def _form_page(request, area, form, *, save, done, refused_field=None, **page):
    """The shape every register form shares: a valid POST calls `save(**fields)` through `_save`; once saved,
    `done(record)` gives the message and where to go next. Otherwise (a GET, or something refused) the form
    is drawn again with `page` (heading, caption, cancel, button and extras for `_render_form`)."""
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        record = _save(request, form, lambda: save(**fields), refused_field=refused_field)
        if record is not None:
            message, next_url = done(record)
            messages.success(request, message)
            return redirect(next_url)
    return _render_form(request, area, form, **page)


def _update(request, form, service, **record):
    """Calls an update service with the revision the form was drawn at, so a stale save is a conflict."""
    return lambda **fields: service(
        user=request.user, expected_revision=form.cleaned_data["revision"], **record, **fields
    )


# The area's register ----------------------------------------------------------------------------------------


@keeper_view
def register_home(request, area):
    """The area's boards, posts and people, each linking to its own page, and what can be added."""
    posts = forms.area_posts(area).select_related("board")
    holdings = PostHolding.objects.select_related("person").order_by("-start_date")
    posts = posts.prefetch_related(Prefetch("holdings", queryset=holdings))
    today = datetime.date.today()
    context = {
        "area": area,
        "boards": forms.area_boards(area).select_related("parent").prefetch_related("areas"),
        "posts": [(post, post.holding_on(today)) for post in posts],
        "people": forms.area_people(area),
    }
    return render(request, "register/home.html", context)


# Boards -----------------------------------------------------------------------------------------------------


def _board(area, board_slug):
    return get_object_or_404(Board.objects.filter(areas=area).prefetch_related("areas"), slug=board_slug)


def _board_form_choices(request, area, board=None):
    """Areas to tick: those the user keeps, and those the board already covers; parents: the area's boards."""
    areas = Area.objects.order_by("name")
    if not permissions.is_administrator(request.user):
        kept = [a.pk for a in areas if permissions.can_edit_area_records(request.user, a)]
        covered = [a.pk for a in board.areas.all()] if board is not None else []
        areas = areas.filter(pk__in={*kept, *covered})
    parents = forms.area_boards(area)
    if board is not None:
        parents = parents.exclude(pk=board.pk)
    return {"areas": areas, "parents": parents}


@keeper_view
def board_new(request, area):
    form = forms.BoardForm(request.POST or None, initial={"areas": [area]}, **_board_form_choices(request, area))
    return _form_page(
        request,
        area,
        form,
        save=lambda **fields: register.board_create(user=request.user, **fields),
        done=lambda board: (f"Added {board.name}.", _url("board_detail", area, board.slug)),
        refused_field="areas",
        heading="Add a board",
        caption=area.name,
        cancel=_url("home", area),
        button="Add board",
    )


@keeper_view
def board_detail(request, area, board_slug):
    """A board as the register keeps it: its details, legal bases, seats and history."""
    board = _board(area, board_slug)
    page_board = board_selectors.board_for_page(board.slug)
    context = {
        "area": area,
        "board": page_board,
        "seats": board_selectors.board_seats(page_board),
        "legal_bases": BoardLegalBasis.objects.filter(board=board).select_related("legal_reference__instrument"),
        "trail": _trail(board),
        "can_keep": True,
    }
    return render(request, "register/board_detail.html", context)


@keeper_view
def board_change(request, area, board_slug):
    board = _board(area, board_slug)
    initial = {
        **{name: getattr(board, name) for name in ("name", "short_name", "kind", "parent", "purpose")},
        **{name: getattr(board, name) for name in ("statutory_basis", "is_statutory", "is_independent", "website")},
        "areas": list(board.areas.all()),
        "revision": board.revision,
        **forms.BoardForm.initial_dates(board),
    }
    form = forms.BoardForm(request.POST or None, initial=initial, **_board_form_choices(request, area, board))

    def done(saved):
        # A board moved out of this area is no longer on its register: back to the register's home then.
        still_here = area.pk in {a.pk for a in saved.areas.all()}
        return f"Saved {saved.name}.", _url("board_detail", area, saved.slug) if still_here else _url("home", area)

    return _form_page(
        request,
        area,
        form,
        save=_update(request, form, register.board_update, board=board),
        done=done,
        refused_field="areas",
        heading=f"Change {board.name}",
        caption=area.name,
        cancel=_url("board_detail", area, board.slug),
        button="Save changes",
    )


@keeper_view
def legal_basis_add(request, area, board_slug):
    """Pick the Act, regulations or guidance the board is established under; 'Add an Act or guidance' when missing."""
    board = _board(area, board_slug)
    form = forms.LegalBasisForm(request.POST or None, initial={"instrument": request.GET.get("instrument")})
    basis_url = _url("board_detail", area, board.slug) + "#basis"
    return _form_page(
        request,
        area,
        form,
        save=lambda **fields: services.board_legal_basis_add(user=request.user, board=board, **fields),
        done=lambda basis: (f"Added {basis.legal_reference} to {board.label}'s statutory basis.", basis_url),
        heading="Add to the statutory basis",
        caption=board.name,
        cancel=basis_url,
        button="Add",
        board=board,
        links=[(_url("instrument_add", area, board.slug), "Add an Act or guidance the registry does not list")],
    )


@keeper_view
def instrument_add(request, area, board_slug):
    """Add an Act or guidance the registry does not list yet, then return to the picker with it chosen."""
    board = _board(area, board_slug)
    picker_url = _url("legal_basis_add", area, board.slug)
    return _form_page(
        request,
        area,
        forms.InstrumentForm(request.POST or None),
        save=lambda **fields: services.instrument_create(user=request.user, **fields),
        done=lambda instrument: (
            f"Added {instrument} to the registry's legislation.",
            f"{picker_url}?instrument={instrument.pk}",
        ),
        heading="Add an Act or guidance",
        caption=board.name,
        cancel=picker_url,
        button="Add",
    )


@keeper_view
@require_POST
def legal_basis_remove(request, area, board_slug, pk):
    board = _board(area, board_slug)
    basis = get_object_or_404(BoardLegalBasis.objects.select_related("legal_reference__instrument"), board=board, pk=pk)
    services.board_legal_basis_remove(user=request.user, basis=basis)
    messages.success(request, f"Removed {basis.legal_reference} from {board.label}'s statutory basis.")
    return redirect(_url("board_detail", area, board.slug) + "#basis")


# Memberships ------------------------------------------------------------------------------------------------


def _back_to_board(request, area, board):
    """Back to the board's public page when the change began there, else to its register page."""
    if request.GET.get("from") == "board":
        return board.get_absolute_url() + "#members"
    return _url("board_detail", area, board.slug) + "#members"


def _membership(area, pk):
    return get_object_or_404(
        Membership.objects.filter(board__areas=area).select_related("board", "post").distinct(), pk=pk
    )


@keeper_view
def membership_new(request, area, board_slug):
    board = _board(area, board_slug)

    def done(membership):
        capacity = membership.get_capacity_display().lower()
        message = f"Added {membership.member_label} to {board.label} as {capacity}."
        return message, _back_to_board(request, area, board)

    return _form_page(
        request,
        area,
        forms.MembershipForm(request.POST or None, posts=forms.seat_posts(board)),
        save=lambda **fields: register.membership_create(user=request.user, board=board, **fields),
        done=done,
        heading=f"Add a member to {board.label}",
        caption=board.name,
        cancel=_url("board_detail", area, board.slug) + "#members",
        button="Add member",
        board=board,
    )


@keeper_view
def membership_detail(request, area, pk):
    membership = _membership(area, pk)
    context = {
        "area": area,
        "membership": membership,
        "ended": membership.ended_by(datetime.date.today()),
        "trail": _trail(membership),
    }
    return render(request, "register/membership_detail.html", context)


@keeper_view
def membership_change(request, area, pk):
    membership = _membership(area, pk)
    initial = {
        "post": membership.post,
        "organisation": membership.organisation,
        "capacity": membership.capacity,
        "note": membership.note,
        "revision": record_revision(membership),
        **forms.MembershipForm.initial_dates(membership),
    }
    form = forms.MembershipForm(request.POST or None, initial=initial, posts=forms.seat_posts(membership.board))
    detail_url = _url("membership_detail", area, membership.pk)
    return _form_page(
        request,
        area,
        form,
        save=_update(request, form, register.membership_update, membership=membership),
        done=lambda saved: ("Saved the membership.", detail_url),
        heading=f"Change {membership.member_label} on {membership.board.label}",
        caption=membership.board.name,
        cancel=detail_url,
        button="Save changes",
        board=membership.board,
    )


@keeper_view
def membership_end(request, area, pk):
    """End a membership: it keeps its place in the board's history, among the past members."""
    membership = _membership(area, pk)
    form = forms.EndForm(request.POST or None, initial={"revision": record_revision(membership)})
    ended = f"{membership.member_label}'s membership of {membership.board.label}"
    return _form_page(
        request,
        area,
        form,
        save=_update(request, form, register.membership_update, membership=membership),
        done=lambda saved: (f"Ended {ended}.", _back_to_board(request, area, membership.board)),
        heading=f"End {ended}",
        caption=membership.board.name,
        cancel=_url("membership_detail", area, membership.pk),
        button="End membership",
        intro="The membership stays in the register, listed among the board's past members.",
    )


# Posts and who holds them ---------------------------------------------------------------------------------------


def _post(area, pk):
    return get_object_or_404(forms.area_posts(area).select_related("area", "board"), pk=pk)


@keeper_view
def post_new(request, area):
    return _form_page(
        request,
        area,
        forms.PostForm(request.POST or None, boards=forms.area_boards(area)),
        save=lambda **fields: register.post_create(user=request.user, area=area, **fields),
        done=lambda post: (f"Added the post {post.title}.", _url("post_detail", area, post.pk)),
        refused_field="board",
        heading="Add a post",
        caption=area.name,
        cancel=_url("home", area),
        button="Add post",
    )


@keeper_view
def post_detail(request, area, pk):
    post = _post(area, pk)
    context = {
        "area": area,
        "post": post,
        **_current_and_past(post.holdings.select_related("person")),
        "memberships": post.memberships.select_related("board").order_by("board__name"),
        "trail": _trail(post),
    }
    return render(request, "register/post_detail.html", context)


@keeper_view
def post_change(request, area, pk):
    post = _post(area, pk)
    initial = {name: getattr(post, name) for name in ("title", "short_title", "kind", "board", "organisation")}
    form = forms.PostForm(
        request.POST or None, initial={**initial, "revision": record_revision(post)}, boards=forms.area_boards(area)
    )
    detail_url = _url("post_detail", area, post.pk)
    return _form_page(
        request,
        area,
        form,
        save=_update(request, form, register.post_update, post=post),
        done=lambda saved: (f"Saved the post {saved.title}.", detail_url),
        refused_field="board",
        heading=f"Change {post.title}",
        caption=area.name,
        cancel=detail_url,
        button="Save changes",
    )


def _current_and_past(holdings):
    """Holdings newest first, split into those held today and those that have ended."""
    today = datetime.date.today()
    holdings = list(holdings.order_by("-start_date", "-id"))
    return {
        "current": [h for h in holdings if not h.ended_by(today)],
        "past": [h for h in holdings if h.ended_by(today)],
    }


def _holding(area, pk):
    return get_object_or_404(
        PostHolding.objects.filter(post__in=forms.area_posts(area)).select_related("post", "person"), pk=pk
    )


@keeper_view
def holding_new(request, area, pk):
    post = _post(area, pk)
    detail_url = _url("post_detail", area, post.pk)
    return _form_page(
        request,
        area,
        forms.HoldingForm(request.POST or None, people=forms.area_people(area)),
        save=lambda **fields: register.holding_create(user=request.user, post=post, **fields),
        done=lambda holding: (f"Recorded {holding}.", detail_url),
        refused_field="person",
        heading=f"Record who holds {post.title}",
        caption=area.name,
        cancel=detail_url,
        button="Save",
        links=[(_url("person_new", area), "Add a person not listed")],
    )


@keeper_view
def holding_change(request, area, pk):
    holding = _holding(area, pk)
    initial = {
        "person": str(holding.person_id) if holding.person_id else forms.NOT_STATED_CHOICE,
        "note": holding.note,
        "revision": record_revision(holding),
        **forms.HoldingForm.initial_dates(holding),
    }
    form = forms.HoldingForm(request.POST or None, initial=initial, people=forms.area_people(area))
    post_url = _url("post_detail", area, holding.post_id)
    return _form_page(
        request,
        area,
        form,
        save=_update(request, form, register.holding_update, holding=holding),
        done=lambda saved: (f"Saved: {saved}.", post_url),
        refused_field="person",
        heading=f"Change who held {holding.post.title}",
        caption=area.name,
        cancel=post_url,
        button="Save changes",
        links=[(_url("person_new", area), "Add a person not listed")],
        trail=_trail(holding),
    )


@keeper_view
def holding_end(request, area, pk):
    """Someone leaves a post: the holding gets its end date and stays listed among the past holders."""
    holding = _holding(area, pk)
    form = forms.EndForm(request.POST or None, initial={"revision": record_revision(holding)})
    post_url = _url("post_detail", area, holding.post_id)
    return _form_page(
        request,
        area,
        form,
        save=_update(request, form, register.holding_update, holding=holding),
        done=lambda saved: (f"Ended: {saved}.", post_url),
        heading=f"End {holding.person_label}'s holding of {holding.post.title}",
        caption=area.name,
        cancel=post_url,
        button="End holding",
        intro="The holding stays in the register, listed among the post's past holders.",
    )


# People -----------------------------------------------------------------------------------------------------


def _person(area, pk):
    return get_object_or_404(forms.area_people(area), pk=pk)


@keeper_view
def person_new(request, area):
    return _form_page(
        request,
        area,
        forms.PersonForm(request.POST or None),
        save=lambda **fields: register.person_create(user=request.user, added_in=area, **fields),
        done=lambda person: (f"Added {person}.", _url("person_detail", area, person.pk)),
        heading="Add a person",
        caption=area.name,
        cancel=_url("home", area),
        button="Add person",
    )


@keeper_view
def person_detail(request, area, pk):
    person = _person(area, pk)
    context = {
        "area": area,
        "person": person,
        **_current_and_past(person.holdings.select_related("post")),
        "refusal": permissions.person_edit_refusal(request.user, person),
        "trail": _trail(person),
    }
    return render(request, "register/person_detail.html", context)


@keeper_view
def person_change(request, area, pk):
    person = _person(area, pk)
    initial = {"name": person.name, "honorific": person.honorific, "notes": person.notes}
    form = forms.PersonForm(request.POST or None, initial={**initial, "revision": record_revision(person)})
    detail_url = _url("person_detail", area, person.pk)
    return _form_page(
        request,
        area,
        form,
        save=_update(request, form, register.person_update, person=person),
        done=lambda saved: (f"Saved {saved}.", detail_url),
        heading=f"Change {person}",
        caption=area.name,
        cancel=detail_url,
        button="Save changes",
    )
