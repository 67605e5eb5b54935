"""Accounts: invitations, roles, and the API tokens people make for themselves.

Role changes go through core.writes like every change to the registry, so each is audited with who
made it and placed in the register history of the area concerned. Who may invite whom, and act on which
role, is decided by accounts.permissions; the pages ask it first, and inviting, sending again and
removing ask it again here, so no other caller gives more than its user may.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify

from boards.models import Area, RoleAssignment
from core.writes import full_clean, record_create, record_delete, record_update

from .models import KEY_PREFIX, SHOWN_CHARACTERS, ApiToken, digest_of, new_key
from .permissions import can_invite, can_manage_assignment
from .tokens import invitation_token_generator

Role = RoleAssignment.Role
# The roles an invitation or a change gives: both belong to an area. Administrators are made in the admin.
AREA_ROLES = (Role.BUSINESS_MANAGER, Role.BOARD_MEMBER)
ROLE_FIELDS = ("user", "role", "area", "board")
TOKEN_FIELDS = ("user", "name")


# Invitations


def _free_username(email: str) -> str:
    """A username from the address's local part ('jo.bloggs'), numbered when already taken."""
    User = get_user_model()
    base = slugify(email.split("@")[0].replace(".", "-")).replace("-", ".")[:140] or "user"
    candidate, number = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base}{number}"
    return candidate


def invitation_link(user, site: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("accounts:invitation", kwargs={"uidb64": uid, "token": invitation_token_generator.make_token(user)})
    return site + path


def _send_invitation(*, user, assignment, invited_by, site):
    if not site:
        raise ValidationError("The registry's address is not known: set SITE_URL so that the email can link to it.")
    context = {
        "user": user,
        "assignment": assignment,
        "invited_by": invited_by,
        "link": invitation_link(user, site),
        "days": settings.INVITATION_TIMEOUT // (60 * 60 * 24),
        "sign_in": site + reverse("login"),
    }
    send_mail(
        subject=render_to_string("accounts/invitation_subject.txt", context).strip(),
        message=render_to_string("accounts/invitation_email.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )


def _role_errors(*, user, role, area, exclude_pk=None):
    errors = {}
    if role not in AREA_ROLES:
        errors["role"] = ["Choose business manager or board member."]
    if area is None:
        errors["area"] = ["Choose the area the role is for."]
    elif user is not None and user.pk is not None:
        taken = RoleAssignment.objects.filter(user=user, role=role, area=area, board=None).exclude(pk=exclude_pk)
        if taken.exists():
            errors["role"] = [f"{user.get_username()} already has this role in {area}."]
    return errors


def awaits_password(user) -> bool:
    """Invited, but the link was not used yet: no password was ever set, and no sign-in."""
    return not user.has_usable_password() and user.last_login is None


@transaction.atomic
def user_invite(*, invited_by, email: str, role: str, area: Area, site: str, first_name: str = "", last_name: str = ""):
    """Give the account with this email address a role in `area`, making the account when there is none.

    A new account (or one that never set its password) is emailed a one-time link to choose a password,
    on the registry's address `site` (core.addresses.site_url).
    Returns (user, emailed). Sending happens inside the transaction: if the mail server refuses, nothing
    is kept, and the administrator can try again.
    """
    User = get_user_model()
    email = User.objects.normalize_email((email or "").strip())
    if invited_by is not None and role in AREA_ROLES and area is not None and not can_invite(invited_by, role, area):
        raise PermissionDenied(f"You cannot give the role of {Role(role).label.lower()} in {area}.")
    errors = _role_errors(user=None, role=role, area=area)
    if not email:
        errors["email"] = ["Enter the email address to send the invitation to."]
    if errors:
        raise ValidationError(errors)
    user = User.objects.filter(email__iexact=email).order_by("pk").first()
    if user is None:
        user = User(username=_free_username(email), email=email, first_name=first_name, last_name=last_name)
        user.set_unusable_password()
        full_clean(user)
        user.save()
    errors = _role_errors(user=user, role=role, area=area)
    if errors:
        raise ValidationError(errors)
    assignment = RoleAssignment(user=user, role=role, area=area)
    record_create(
        user=invited_by,
        obj=assignment,
        audit_fields=ROLE_FIELDS,
        message=f"Invited {email}" if awaits_password(user) else "",
    )
    emailed = awaits_password(user)
    if emailed:
        _send_invitation(user=user, assignment=assignment, invited_by=invited_by, site=site)
    return user, emailed


@transaction.atomic
def invitation_resend(*, invited_by, assignment: RoleAssignment, site: str) -> None:
    """Email a fresh link to someone who has not yet chosen a password (the old link keeps working too)."""
    _require_assignment(invited_by, assignment)
    user = assignment.user
    if not awaits_password(user):
        raise ValidationError(f"{user.get_username()} has already set a password; they can sign in.")
    if not user.email:
        raise ValidationError(f"{user.get_username()} has no email address to send a link to.")
    _send_invitation(user=user, assignment=assignment, invited_by=invited_by, site=site)


# Roles


def _require_assignment(user, assignment):
    if user is not None and not can_manage_assignment(user, assignment):
        raise PermissionDenied("You cannot act on this role: it is kept by the registry's administrators.")


@transaction.atomic
def role_change(*, changed_by, assignment: RoleAssignment, role: str, area: Area) -> RoleAssignment:
    errors = _role_errors(user=assignment.user, role=role, area=area, exclude_pk=assignment.pk)
    if errors:
        raise ValidationError(errors)
    return record_update(user=changed_by, obj=assignment, fields={"role": role, "area": area, "board": None})


@transaction.atomic
def role_remove(*, removed_by, assignment: RoleAssignment) -> None:
    _require_assignment(removed_by, assignment)
    if assignment.user_id == removed_by.pk and assignment.role == Role.ADMINISTRATOR:
        raise ValidationError("You cannot remove your own administrator role; ask another administrator.")
    record_delete(user=removed_by, obj=assignment, audit_fields=ROLE_FIELDS)


# API tokens


def _token_errors(*, user, name):
    if not name:
        return {"name": ["Give the token a name, such as the system that will use it."]}
    if len(name) > ApiToken._meta.get_field("name").max_length:
        return {"name": ["Keep the name to 100 characters or fewer."]}
    if ApiToken.objects.filter(user=user, name=name).exists():
        return {"name": [f"You already have a token called “{name}”: choose another name, or revoke that one."]}
    return {}


@transaction.atomic
def token_create(*, user, name: str, replace: bool = False) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it with its key, which is not stored and cannot be shown again.

    With `replace`, a token of the same name is revoked first, so asking again gives a fresh key.
    """
    name = (name or "").strip()
    if replace and name:
        for old in ApiToken.objects.filter(user=user, name=name):
            record_delete(user=user, obj=old, audit_fields=TOKEN_FIELDS, message="Replaced by a new token")
    errors = _token_errors(user=user, name=name)
    if errors:
        raise ValidationError(errors)
    key = new_key()
    token = ApiToken(user=user, name=name, start=key[: len(KEY_PREFIX) + SHOWN_CHARACTERS], digest=digest_of(key))
    record_create(user=user, obj=token, audit_fields=TOKEN_FIELDS)
    return token, key


@transaction.atomic
def token_revoke(*, user, token: ApiToken) -> None:
    """Revoke a token: it stops working at once."""
    record_delete(user=user, obj=token, audit_fields=TOKEN_FIELDS)
