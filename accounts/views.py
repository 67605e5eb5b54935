"""Your account (roles, password, API tokens) and people and their roles: all of them for administrators,
the board members of the areas they keep for business managers.

Rules live in accounts.services and accounts.permissions; these views only translate.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from boards import services as board_services
from boards.models import Area, RoleAssignment
from core.addresses import site_url
from core.forms import service_errors

from . import services
from .forms import AreaFilterForm, AreaForm, InviteForm, RoleForm, TokenForm
from .models import ApiToken
from .permissions import (
    can_manage_accounts,
    can_manage_assignment,
    can_see_people,
    invitable_areas,
    invitable_roles,
)
from .tokens import invitation_token_generator

# Your account


def _account_page(request, token_form, status=200):
    roles = RoleAssignment.objects.filter(user=request.user).select_related("area", "board").order_by("role", "pk")
    context = {
        "roles": roles,
        "tokens": ApiToken.objects.filter(user=request.user),
        "token_form": token_form,
        "is_superuser": request.user.is_superuser,
        "can_manage_accounts": can_manage_accounts(request.user),
        "can_see_people": can_see_people(request.user),
    }
    return render(request, "accounts/account.html", context, status=status)


@login_required
def account(request):
    return _account_page(request, TokenForm())


@login_required
@require_POST
def token_create(request):
    form = TokenForm(request.POST)
    if form.is_valid():
        with service_errors(form) as saved:
            token, key = services.token_create(user=request.user, name=form.cleaned_data["name"])
        if saved:
            # The key is on this page only: never stored, never redirected through, never cached.
            response = render(request, "accounts/token_created.html", {"token": token, "key": key})
            add_never_cache_headers(response)
            return response
    return _account_page(request, form, status=400)


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.token_revoke(user=request.user, token=token)
    messages.success(request, f"The token “{token.name}” is revoked: it no longer works.")
    return redirect("accounts:account")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password is changed.")
        return response


class InvitationView(auth_views.PasswordResetConfirmView):
    """The link in an invitation: choose a password, then sign in (Django's reset view, its own token)."""

    token_generator = invitation_token_generator
    template_name = "accounts/invitation.html"
    reset_url_token = "choose-password"
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, f"Your password is set. Sign in as {form.user.get_username()}.")
        return response


# People and roles (administrators; business managers for their areas' board members)

ADMINISTRATORS_ONLY = "People and their roles are managed by the registry's administrators."


def _require_manager(request):
    if not can_manage_accounts(request.user):
        raise PermissionDenied(ADMINISTRATORS_ONLY)


def _require_people_page(request):
    if not can_see_people(request.user):
        raise PermissionDenied(ADMINISTRATORS_ONLY)


@login_required
def people(request):
    """Who has which role, by area; accounts without a role too for administrators, when no area is chosen.
    A business manager sees the roles in the areas they keep."""
    _require_people_page(request)
    areas = invitable_areas(request.user)
    filter_form = AreaFilterForm(request.GET or None, areas=areas)
    area = filter_form.cleaned_data["area"] if filter_form.is_valid() else None
    assignments = RoleAssignment.objects.select_related("user", "area", "board").order_by(
        "area__name", "role", "user__username", "pk"
    )
    administrator = can_manage_accounts(request.user)
    if area is not None or not administrator:
        where = (
            Q(area=area) | Q(board__areas=area) if area is not None else Q(area__in=areas) | Q(board__areas__in=areas)
        )
        assignments = assignments.filter(pk__in=RoleAssignment.objects.filter(where).values("pk"))
    assignments = list(assignments)
    for assignment in assignments:
        assignment.manageable = can_manage_assignment(request.user, assignment)
    without_role = []
    if area is None and administrator:
        without_role = get_user_model().objects.filter(role_assignments__isnull=True).order_by("username")
    context = {
        "filter_form": filter_form,
        "area": area,
        "assignments": assignments,
        "without_role": without_role,
        "administrator": administrator,
    }
    return render(request, "accounts/people.html", context)


@login_required
def invite(request):
    _require_people_page(request)
    form = InviteForm(
        request.POST or None,
        initial={"area": request.GET.get("area")},
        roles=invitable_roles(request.user),
        areas=invitable_areas(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with service_errors(form) as saved:
            user, emailed = services.user_invite(
                invited_by=request.user,
                email=data["email"],
                role=data["role"],
                area=data["area"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                site=site_url(request),
            )
        if saved:
            role = RoleAssignment.Role(data["role"]).label.lower()
            if emailed:
                message = f"Invitation sent to {user.email}: they choose a password from its link and sign in as {user.get_username()}."
            else:
                message = f"{user.get_username()} already had an account and is now {role} in {data['area']}."
            messages.success(request, message)
            return redirect(reverse("accounts:people") + f"?area={data['area'].slug}")
    return render(request, "accounts/invite.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def area_new(request):
    """An administrator adds a council area, then invites the business manager who keeps its register."""
    _require_manager(request)
    form = AreaForm(request.POST or None, initial={"kind": Area.Kind.UNITARY})
    if request.method == "POST" and form.is_valid():
        with service_errors(form) as saved:
            area = board_services.area_create(user=request.user, **form.cleaned_data)
        if saved:
            messages.success(request, f"{area} is added. Invite the business manager who will keep its register.")
            return redirect(reverse("accounts:invite") + f"?area={area.slug}")
    return render(request, "accounts/area_new.html", {"form": form}, status=400 if form.errors else 200)


def _assignment(request, pk, *, allowed=None):
    """The role assignment, if this user may act on it (administrators; `allowed` widens that)."""
    assignment = get_object_or_404(RoleAssignment.objects.select_related("user", "area", "board"), pk=pk)
    if not can_manage_accounts(request.user) and not (allowed and allowed(request.user, assignment)):
        raise PermissionDenied(ADMINISTRATORS_ONLY)
    return assignment


def _back_to_people(assignment):
    url = reverse("accounts:people")
    return url + f"?area={assignment.area.slug}" if assignment.area_id else url


@login_required
def role_change(request, pk):
    assignment = _assignment(request, pk)
    if assignment.role not in services.AREA_ROLES:
        raise PermissionDenied("An administrator's role is changed in the admin, not here.")
    initial = {"role": assignment.role, "area": assignment.area.slug if assignment.area_id else None}
    form = RoleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with service_errors(form) as saved:
            updated = services.role_change(
                changed_by=request.user,
                assignment=assignment,
                role=form.cleaned_data["role"],
                area=form.cleaned_data["area"],
            )
        if saved:
            messages.success(
                request,
                f"{assignment.user.get_username()} is now {updated.get_role_display().lower()} in {updated.area}.",
            )
            return redirect(_back_to_people(updated))
    context = {"form": form, "assignment": assignment}
    return render(request, "accounts/role_change.html", context, status=400 if form.errors else 200)


@login_required
def role_remove(request, pk):
    assignment = _assignment(request, pk, allowed=can_manage_assignment)
    error = None
    if request.method == "POST":
        try:
            services.role_remove(removed_by=request.user, assignment=assignment)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            where = assignment.board or assignment.area or "the registry"
            role = assignment.get_role_display().lower()
            messages.success(request, f"{assignment.user.get_username()} is no longer {role} in {where}.")
            return redirect(_back_to_people(assignment))
    context = {"assignment": assignment, "error": error}
    return render(request, "accounts/role_remove.html", context, status=400 if error else 200)


@login_required
@require_POST
def invitation_resend(request, pk):
    assignment = _assignment(request, pk, allowed=can_manage_assignment)
    try:
        services.invitation_resend(invited_by=request.user, assignment=assignment, site=site_url(request))
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, f"A new invitation link was sent to {assignment.user.email}.")
    return redirect(_back_to_people(assignment))
