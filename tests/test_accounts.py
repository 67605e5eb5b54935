"""People and accounts in the registry: "Your account" with its API tokens and password change, and the
administrators' pages to invite people, change and remove their roles, and see who has which role."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services
from accounts.models import ApiToken, digest_of
from boards.models import RoleAssignment
from core.models import AuditRecord
from tests.factories import AreaFactory, BoardFactory, RoleAssignmentFactory, UserFactory

Role = RoleAssignment.Role
ROLES = ["anonymous", "outsider", "board_member", "business_manager", "administrator"]
LINK = re.compile(r"https?://\S+/accounts/invitation/\S+/")


@pytest.fixture
def invited(administrator, area):
    """Someone an administrator invited as business manager of the area, who has not chosen a password yet."""
    user, _ = services.user_invite(
        invited_by=administrator,
        email="sam.jones@example.org",
        role=Role.BUSINESS_MANAGER,
        area=area,
        site="https://registry.example.org",
    )
    return user


def role_of(user, area):
    return RoleAssignment.objects.get(user=user, area=area)


# Who may open each page ---------------------------------------------------------------------------------


def account_urls(role_assignment, token):
    """(method, url, who may use it): every page of accounts that needs a signed-in user."""
    everyone = set(ROLES) - {"anonymous"}
    admins = {"administrator"}
    managers = {"administrator", "business_manager", "outsider"}  # a business manager invites board members
    pk = role_assignment.pk
    return [
        ("get", reverse("accounts:account"), everyone),
        ("get", reverse("accounts:password_change"), everyone),
        ("post", reverse("accounts:token_create"), everyone),
        ("get", reverse("accounts:people"), managers),
        ("get", reverse("accounts:invite"), managers),
        ("get", reverse("accounts:area_new"), admins),
        ("post", reverse("accounts:area_new"), admins),
        ("get", reverse("accounts:role_change", args=[pk]), admins),
        ("get", reverse("accounts:role_remove", args=[pk]), admins),
        ("post", reverse("accounts:invitation_resend", args=[pk]), admins),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_accounts_page_admits_only_whom_it_is_for(client, request, role, business_manager, area):
    """Anonymous visitors are sent to sign in; account pages are for everyone signed in; the people page and
    inviting for administrators and business managers; changing, removing and re-sending a business manager's
    role for administrators only (403 for a business manager, even of the area)."""
    request.getfixturevalue("administrator")
    target = role_of(business_manager, area)
    token, _ = services.token_create(user=business_manager, name="Sync")
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    for method, url, permitted in account_urls(target, token):
        response = getattr(client, method)(url)
        if role == "anonymous":
            assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
        elif role in permitted:
            assert response.status_code in (200, 302, 400), (url, response.status_code)
        else:
            assert response.status_code == 403, (url, response.status_code)


def test_a_token_is_revoked_only_by_its_owner(client, business_manager, outsider):
    """Another person's token is not found (404), and stays."""
    token, _ = services.token_create(user=business_manager, name="Sync")
    client.force_login(outsider)
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    assert client.get(reverse("accounts:token_revoke", args=[token.pk])).status_code == 405
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_the_header_links_your_account_when_signed_in(client, board_member):
    assert "Your account" not in client.get("/").content.decode()
    client.force_login(board_member)
    html = client.get("/").content.decode()
    assert f'href="{reverse("accounts:account")}"' in html and "Your account" in html


# Your account --------------------------------------------------------------------------------------------


def test_your_account_lists_your_roles(client, business_manager, area):
    RoleAssignmentFactory(user=business_manager, role=Role.BOARD_MEMBER, area=AreaFactory(name="Slough"))
    client.force_login(business_manager)
    html = client.get(reverse("accounts:account")).content.decode()
    assert "Business manager in" in html and "Knowsley" in html
    assert "Board member in" in html and "Slough" in html
    assert "invite board members to the areas you keep" in html  # a manager's own part of People and roles
    assert "invite business managers" not in html  # that part is for administrators


def test_a_new_token_is_shown_once_stored_hashed_and_works(client, business_manager):
    client.force_login(business_manager)
    response = client.post(reverse("accounts:token_create"), {"name": "Intranet sync"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = re.search(r'id="new-token" type="text" value="([^"]+)"', response.content.decode()).group(1)
    token = ApiToken.objects.get(user=business_manager)
    assert token.name == "Intranet sync" and token.digest == digest_of(key)
    assert key not in {token.start, token.digest} and key.startswith(token.start)
    # The account page lists it by name and its first characters, never in full.
    listing = client.get(reverse("accounts:account")).content.decode()
    assert "Intranet sync" in listing and token.start in listing and key not in listing

    client.logout()
    api = client.get("/api/protocols/", HTTP_AUTHORIZATION=f"Token {key}")
    assert api.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert client.get("/api/protocols/", HTTP_AUTHORIZATION=f"Token {key}x").status_code == 401


def test_several_named_tokens_and_revoking_one_stops_only_it(client, business_manager):
    first, first_key = services.token_create(user=business_manager, name="Intranet")
    _, second_key = services.token_create(user=business_manager, name="Reports")
    client.force_login(business_manager)
    response = client.post(reverse("accounts:token_revoke", args=[first.pk]), follow=True)
    assert "The token “Intranet” is revoked" in response.content.decode()
    client.logout()
    assert client.get("/api/protocols/", HTTP_AUTHORIZATION=f"Token {first_key}").status_code == 401
    assert client.get("/api/protocols/", HTTP_AUTHORIZATION=f"Token {second_key}").status_code == 200
    revoked = AuditRecord.objects.filter(object_type="accounts.ApiToken", action="delete").get()
    assert revoked.user == business_manager and revoked.before["name"] == "Intranet"


def test_a_token_needs_a_name_not_used_by_another_of_yours(client, business_manager):
    services.token_create(user=business_manager, name="Sync")
    client.force_login(business_manager)
    for name, message in [("", "Give the token a name"), ("Sync", "You already have a token called “Sync”")]:
        response = client.post(reverse("accounts:token_create"), {"name": name})
        assert response.status_code == 400
        assert message in response.content.decode()
    assert ApiToken.objects.filter(user=business_manager).count() == 1


def test_tokens_an_administrator_issued_in_the_admin_still_work(client, board_member):
    from rest_framework.authtoken.models import Token

    key = Token.objects.create(user=board_member).key
    assert client.get("/api/protocols/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


def test_changing_your_password(client, business_manager):
    client.force_login(business_manager)
    url = reverse("accounts:password_change")
    wrong = client.post(url, {"old_password": "nope", "new_password1": "x", "new_password2": "y"})
    assert wrong.status_code == 200 and "govuk-error-summary" in wrong.content.decode()
    response = client.post(
        url,
        {
            "old_password": "demo-password",
            "new_password1": "a long new passphrase",
            "new_password2": "a long new passphrase",
        },
        follow=True,
    )
    assert "Your password is changed." in response.content.decode()
    business_manager.refresh_from_db()
    assert business_manager.check_password("a long new passphrase")
    assert response.context["user"].is_authenticated  # still signed in after the change


# Invitations --------------------------------------------------------------------------------------------


def test_an_invitation_makes_the_account_and_role_and_emails_a_one_time_link(client, administrator, area, settings):
    settings.SITE_URL = "https://registry.example.org"
    client.force_login(administrator)
    response = client.post(
        reverse("accounts:invite"),
        {
            "email": "Sam.Jones@Example.org",
            "first_name": "Sam",
            "last_name": "Jones",
            "role": "business_manager",
            "area": area.slug,
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:people") + "?area=knowsley"
    user = get_user_model().objects.get(email="Sam.Jones@example.org")
    assert user.username == "sam.jones" and not user.has_usable_password()
    assert role_of(user, area).role == Role.BUSINESS_MANAGER
    created = AuditRecord.objects.filter(object_type="boards.RoleAssignment", action="create").get()
    assert created.user == administrator and created.area_ids == [area.pk]

    [email] = mail.outbox
    assert email.to == ["Sam.Jones@example.org"]
    assert "business manager in Knowsley" in email.body and "sam.jones" in email.body
    link = LINK.search(email.body).group(0)
    assert link.startswith("https://registry.example.org/accounts/invitation/")
    assert "sign in at https://registry.example.org/accounts/login/" in email.body
    client.logout()

    # The link leads (through Django's redirect that hides the token) to choosing a password.
    path = link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    assert "Choose your password" in form_page.content.decode() and "sam.jones" in form_page.content.decode()
    chosen = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "correct horse staple", "new_password2": "correct horse staple"},
    )
    assert chosen.status_code == 302 and chosen["Location"] == reverse("login")
    signed_in = client.post(reverse("login"), {"username": "sam.jones", "password": "correct horse staple"})
    assert signed_in.status_code == 302 and "_auth_user_id" in client.session

    # Once used, the link no longer works.
    client.logout()
    again = client.get("/" + path, follow=True)
    assert "This link no longer works" in again.content.decode()


def test_inviting_an_existing_address_adds_the_role_without_an_email(client, administrator, area, other_area, invited):
    invited.set_password("chosen already")
    invited.save()
    mail.outbox.clear()
    client.force_login(administrator)
    response = client.post(
        reverse("accounts:invite"), {"email": "SAM.JONES@example.org", "role": "board_member", "area": other_area.slug}
    )
    assert response.status_code == 302
    assert mail.outbox == []
    assert set(invited.role_assignments.values_list("role", "area__slug")) == {
        ("business_manager", "knowsley"),
        ("board_member", "slough"),
    }
    again = client.post(
        reverse("accounts:invite"), {"email": "sam.jones@example.org", "role": "board_member", "area": other_area.slug}
    )
    assert again.status_code == 400 and "already has this role in Slough" in again.content.decode()


def test_an_invitation_needs_an_address_a_role_and_an_area(client, administrator):
    client.force_login(administrator)
    response = client.post(reverse("accounts:invite"), {"email": "not an address", "role": "administrator"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Enter a valid email address." in html and "Choose business manager or board member." in html
    assert "Choose the area the role is for." in html
    assert get_user_model().objects.count() == 1


def test_an_invitation_not_yet_used_can_be_sent_again(client, administrator, area, invited):
    mail.outbox.clear()
    client.force_login(administrator)
    response = client.post(reverse("accounts:invitation_resend", args=[role_of(invited, area).pk]), follow=True)
    assert "A new invitation link was sent to sam.jones@example.org" in response.content.decode()
    # Without SITE_URL the link is on the address the administrator is using.
    assert len(mail.outbox) == 1 and "http://testserver/accounts/invitation/" in mail.outbox[0].body
    invited.set_password("chosen")
    invited.save()
    refused = client.post(reverse("accounts:invitation_resend", args=[role_of(invited, area).pk]), follow=True)
    assert "has already set a password" in refused.content.decode()
    assert len(mail.outbox) == 1


def test_an_invitation_link_expires_after_a_week(invited, settings):
    from accounts.tokens import invitation_token_generator

    token = invitation_token_generator.make_token(invited)
    assert invitation_token_generator.check_token(invited, token)
    settings.INVITATION_TIMEOUT = -1
    assert not invitation_token_generator.check_token(invited, token)
    # A password-reset token is not an invitation token, and the other way round.
    from django.contrib.auth.tokens import default_token_generator

    assert not default_token_generator.check_token(invited, token)


# Roles ---------------------------------------------------------------------------------------------------


def test_the_people_page_shows_who_has_which_role_filtered_by_area(client, administrator, area, other_area, invited):
    RoleAssignmentFactory(user=UserFactory(username="reader"), role=Role.BOARD_MEMBER, area=other_area)
    board = BoardFactory(areas=[area], name="Knowsley Safeguarding Children Board")
    RoleAssignmentFactory(user=UserFactory(username="chair"), role=Role.BOARD_MEMBER, area=None, board=board)
    UserFactory(username="no-role-yet")
    client.force_login(administrator)
    everything = client.get(reverse("accounts:people")).content.decode()
    for name in ["sam.jones", "reader", "chair", "admin-person"]:
        assert name in everything
    assert "Accounts without a role" in everything and "no-role-yet" in everything
    assert "Invited" in everything and "Send the invitation again" in everything

    knowsley = client.get(reverse("accounts:people"), {"area": "knowsley"}).content.decode()
    assert "sam.jones" in knowsley and "chair" in knowsley  # a board's role shows in the board's areas
    assert "reader" not in knowsley and "no-role-yet" not in knowsley


def test_the_people_page_reads_in_a_fixed_number_of_queries(client, administrator, area):
    client.force_login(administrator)
    url = reverse("accounts:people")
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count()
    for n in range(5):
        RoleAssignmentFactory(user=UserFactory(username=f"member{n}"), role=Role.BOARD_MEMBER, area=area)
        UserFactory(username=f"spare{n}")
    # session, user, the administrator's roles, areas for the filter, the role list, accounts without a role
    assert count() == before <= 7


def test_an_administrator_changes_a_role_and_it_is_in_both_areas_histories(
    client, administrator, area, other_area, invited
):
    assignment = role_of(invited, area)
    client.force_login(administrator)
    url = reverse("accounts:role_change", args=[assignment.pk])
    assert 'value="business_manager" checked' in client.get(url).content.decode()
    response = client.post(url, {"role": "board_member", "area": other_area.slug})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert (assignment.role, assignment.area) == (Role.BOARD_MEMBER, other_area)
    change = AuditRecord.objects.filter(object_type="boards.RoleAssignment", action="update").get()
    assert change.before["role"] == "business_manager" and change.after["area"]["label"] == "Slough"
    assert change.area_ids == sorted([area.pk, other_area.pk])


def test_an_administrator_removes_a_role_but_not_their_own_administrator_role(client, administrator, area, invited):
    client.force_login(administrator)
    assignment = role_of(invited, area)
    response = client.post(reverse("accounts:role_remove", args=[assignment.pk]), follow=True)
    assert "sam.jones is no longer business manager in Knowsley" in response.content.decode()
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert get_user_model().objects.filter(pk=invited.pk).exists()  # the account stays

    own = RoleAssignment.objects.get(user=administrator, role=Role.ADMINISTRATOR)
    refused = client.post(reverse("accounts:role_remove", args=[own.pk]))
    assert refused.status_code == 400 and "cannot remove your own administrator role" in refused.content.decode()
    assert RoleAssignment.objects.filter(pk=own.pk).exists()
    # An administrator's role is changed in the admin, not on the area roles form.
    assert client.get(reverse("accounts:role_change", args=[own.pk])).status_code == 403


def test_a_role_change_to_one_the_person_already_has_is_refused(client, administrator, area, invited):
    RoleAssignmentFactory(user=invited, role=Role.BOARD_MEMBER, area=area)
    client.force_login(administrator)
    response = client.post(
        reverse("accounts:role_change", args=[invited.role_assignments.get(role=Role.BUSINESS_MANAGER).pk]),
        {"role": "board_member", "area": area.slug},
    )
    assert response.status_code == 400 and "already has this role in Knowsley" in response.content.decode()


# Services ------------------------------------------------------------------------------------------------


def test_an_invitation_is_refused_without_an_address_an_area_role_or_an_area(administrator):
    with pytest.raises(ValidationError) as refused:
        services.user_invite(invited_by=administrator, email=" ", role=Role.ADMINISTRATOR, area=None, site="https://x")
    assert set(refused.value.message_dict) == {"email", "role", "area"}


def test_an_invitation_that_cannot_link_to_the_registry_keeps_nothing(administrator, area):
    """Without SITE_URL or a request there is no address for the link: no account, no role, no email."""
    with pytest.raises(ValidationError, match="set SITE_URL"):
        services.user_invite(
            invited_by=administrator, email="kim@example.org", role=Role.BOARD_MEMBER, area=area, site=""
        )
    assert not get_user_model().objects.filter(email="kim@example.org").exists()
    assert mail.outbox == [] and not AuditRecord.objects.exists()


def test_replacing_a_token_revokes_only_the_one_of_that_name(business_manager):
    kept, _ = services.token_create(user=business_manager, name="Reports")
    old, _ = services.token_create(user=business_manager, name="API")
    new, key = services.token_create(user=business_manager, name="API", replace=True)
    assert set(ApiToken.objects.values_list("pk", flat=True)) == {kept.pk, new.pk}
    assert new.digest == digest_of(key) and old.pk != new.pk
    with pytest.raises(ValidationError, match="already have a token called"):
        services.token_create(user=business_manager, name="API")


def test_the_accounts_pages_carry_no_inline_code(client, administrator, area, invited):
    """The Content-Security-Policy refuses inline scripts and styles, so these pages must not need any."""
    from tests.test_hardening import INLINE_SCRIPT, INLINE_STYLE

    client.force_login(administrator)
    pages = [
        client.get(reverse("accounts:account")),
        client.post(reverse("accounts:token_create"), {"name": "Sync"}),
        client.get(reverse("accounts:people")),
        client.get(reverse("accounts:invite")),
        client.get(reverse("accounts:role_change", args=[role_of(invited, area).pk])),
        client.get(reverse("accounts:password_change")),
    ]
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        assert not INLINE_SCRIPT.search(html) and not INLINE_STYLE.search(html), response.request["PATH_INFO"]


# Adding an area -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_administrator_adds_an_area_and_is_taken_to_invite_its_business_manager(client, administrator):
    from boards.models import Area

    client.force_login(administrator)
    response = client.post(
        reverse("accounts:area_new"),
        {"name": "North Tyneside", "kind": "metropolitan", "council_name": "", "website": "www.example.gov.uk"},
    )
    area = Area.objects.get(name="North Tyneside")
    assert (area.slug, area.kind, area.website) == ("north-tyneside", "metropolitan", "https://www.example.gov.uk")
    assert response["Location"] == reverse("accounts:invite") + "?area=north-tyneside"
    page = client.get(response["Location"]).content.decode()
    assert "North Tyneside is added." in page
    assert '<option value="north-tyneside" selected>' in page
    assert AuditRecord.objects.filter(object_id=str(area.pk), object_type="boards.Area").exists()


@pytest.mark.django_db
def test_an_area_whose_name_is_taken_is_a_field_error_and_adds_nothing(client, administrator, area):
    from boards.models import Area

    client.force_login(administrator)
    response = client.post(reverse("accounts:area_new"), {"name": area.name, "kind": "unitary"})
    assert response.status_code == 400
    assert f"There is already an area called {area.name}." in response.content.decode()
    assert "Slug" not in response.content.decode()
    assert Area.objects.filter(name=area.name).count() == 1


# Business managers invite the board members of the areas they keep ---------------------------------------


def test_a_business_manager_invites_a_board_member_to_their_area(client, business_manager, area, settings):
    settings.SITE_URL = "https://registry.example.org"
    client.force_login(business_manager)
    form = client.get(reverse("accounts:invite"), {"area": area.slug})
    assert [value for value, _ in form.context["form"].fields["role"].choices] == [Role.BOARD_MEMBER]
    assert list(form.context["form"].fields["area"].queryset) == [area]

    response = client.post(
        reverse("accounts:invite"), {"email": "lee@example.org", "role": "board_member", "area": area.slug}
    )

    assert response.status_code == 302
    invited = get_user_model().objects.get(email="lee@example.org")
    assert role_of(invited, area).role == Role.BOARD_MEMBER
    assert AuditRecord.objects.get(object_type="boards.RoleAssignment", action="create").user == business_manager
    [email] = mail.outbox
    assert "board member in Knowsley" in email.body


def test_a_business_manager_cannot_invite_a_manager_or_to_another_area(
    client, business_manager, area, other_area, settings
):
    settings.SITE_URL = "https://registry.example.org"
    client.force_login(business_manager)
    url = reverse("accounts:invite")

    manager = client.post(url, {"email": "kim@example.org", "role": "business_manager", "area": area.slug})
    elsewhere = client.post(url, {"email": "kim@example.org", "role": "board_member", "area": other_area.slug})

    assert manager.status_code == 400 and "You can invite board members only" in manager.content.decode()
    assert elsewhere.status_code == 400 and "area" in elsewhere.context["form"].errors
    assert not get_user_model().objects.filter(email="kim@example.org").exists()
    assert mail.outbox == []
    with pytest.raises(PermissionDenied):
        services.user_invite(
            invited_by=business_manager, email="kim@example.org", role=Role.BOARD_MEMBER, area=other_area, site="x"
        )


def test_a_business_manager_sees_and_removes_only_their_areas_board_members(
    client, administrator, business_manager, board_member, outsider, area, other_area
):
    elsewhere = RoleAssignmentFactory(
        user=UserFactory(username="slough-member"), role=Role.BOARD_MEMBER, area=other_area
    )
    client.force_login(business_manager)

    page = client.get(reverse("accounts:people"))

    listed = {assignment.user.get_username() for assignment in page.context["assignments"]}
    assert listed == {"manager", "member"}
    assert page.context["without_role"] == []
    html = page.content.decode()
    assert "Add an area" not in html
    member_role = role_of(board_member, area)
    assert reverse("accounts:role_remove", args=[member_role.pk]) in html
    assert reverse("accounts:role_remove", args=[role_of(business_manager, area).pk]) not in html
    assert f'href="{reverse("accounts:role_change", args=[member_role.pk])}"' not in html

    assert client.post(reverse("accounts:role_remove", args=[elsewhere.pk])).status_code == 403
    assert client.post(reverse("accounts:role_remove", args=[role_of(business_manager, area).pk])).status_code == 403
    removed = client.post(reverse("accounts:role_remove", args=[member_role.pk]))
    assert removed.status_code == 302
    assert not RoleAssignment.objects.filter(pk=member_role.pk).exists()
    assert RoleAssignment.objects.filter(pk=elsewhere.pk).exists()


def test_the_register_and_your_account_link_inviting_board_members(client, business_manager, board_member, area):
    client.force_login(business_manager)
    invite_link = reverse("accounts:invite") + f"?area={area.slug}"
    assert invite_link in client.get(reverse("register:home", args=[area.slug])).content.decode()
    assert reverse("accounts:people") in client.get(reverse("accounts:account")).content.decode()
    client.force_login(board_member)
    assert reverse("accounts:people") not in client.get(reverse("accounts:account")).content.decode()


def test_signing_out_ends_the_session_and_the_header_offers_sign_in_again(client, business_manager):
    client.force_login(business_manager)
    assert "Sign out" in client.get("/").content.decode()
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("protocols:home")
    home = client.get("/").content.decode()
    assert "Sign out" not in home and ">Sign in</a>" in home
    assert "_auth_user_id" not in client.session
