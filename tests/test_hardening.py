"""Hardening: the Content-Security-Policy and pages without inline code, private caching of signed-in
responses, sign-in throttling and password reset by email."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from protocols.models import ProtocolVersion
from tests.factories import ClauseFactory, ProtocolFactory, SectionFactory, UserFactory, VersionFactory

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=|\son[a-z]+=", re.I)


@pytest.fixture
def agreed(area):
    version = VersionFactory(protocol=ProtocolFactory(area=area, slug="kept"), status=ProtocolVersion.Status.AGREED)
    ClauseFactory(section=SectionFactory(version=version))
    return version


def test_pages_send_a_content_security_policy_without_inline_code(client, agreed, business_manager):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    client.force_login(business_manager)
    for url in ["/", "/protocols/", "/protocols/kept/versions/1/", "/protocols/kept/versions/1/print/", "/verify/"]:
        html = client.get(url).content.decode()
        assert not INLINE_SCRIPT.search(html), url
        assert not INLINE_STYLE.search(html), url
    for url in ["/accounts/login/", "/accounts/password-reset/", "/editor/", "/protocols/kept/edit/"]:
        client.logout() if "accounts" in url else client.force_login(business_manager)
        html = client.get(url).content.decode()
        assert not INLINE_SCRIPT.search(html), url
        assert not INLINE_STYLE.search(html), url


def test_signed_in_responses_are_private_and_vary_by_cookie(client, agreed, board_member):
    anonymous = client.get("/protocols/")
    assert "private" not in anonymous.get("Cache-Control", "")
    client.force_login(board_member)
    for url in ["/protocols/", "/api/protocols/"]:
        response = client.get(url)
        assert "private" in response["Cache-Control"], url
        assert "Cookie" in response["Vary"], url


def test_api_token_responses_are_private(client, agreed, board_member):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=board_member)
    response = client.get("/api/protocols/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "Authorization" in response["Vary"]


def test_fifty_wrong_passwords_lock_the_account_even_against_the_right_one(client, db):
    UserFactory(username="chair")
    for _ in range(50):
        client.post(reverse("login"), {"username": "chair", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "chair", "password": "demo-password"})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()


def test_the_admin_sign_in_is_throttled_too(client, db):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    for _ in range(12):
        client.post("/admin/login/", {"username": "root", "password": "wrong"})
    client.post("/admin/login/", {"username": "root", "password": "demo-password"})
    assert "_auth_user_id" not in client.session


def test_a_few_wrong_passwords_do_not_lock_the_account(client, db):
    UserFactory(username="chair")
    for _ in range(3):
        client.post(reverse("login"), {"username": "chair", "password": "wrong"})
    client.post(reverse("login"), {"username": "chair", "password": "demo-password"})
    assert "_auth_user_id" in client.session


def test_password_reset_sends_a_link_that_sets_a_new_password(client, db):
    user = UserFactory(username="chair", email="chair@example.org")
    response = client.post(reverse("password_reset"), {"email": "chair@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["chair@example.org"]
    assert message.subject == "Reset your Protocol Registry password"
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": "a-new-Long-passphrase", "new_password2": "a-new-Long-passphrase"}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-new-Long-passphrase")
    assert "This link no longer works" in client.get(link, follow=True).content.decode()


def test_password_reset_says_the_same_for_an_unknown_address(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)
    assert "Check your email" in response.content.decode()
    assert mail.outbox == []


def test_swagger_ui_starts_from_a_script_file(client, db):
    """The API's interactive documentation works under the policy: its start-up script is a file."""
    html = client.get("/api/docs/").content.decode()
    assert not INLINE_SCRIPT.search(html)
    assert client.get("/api/docs/?script=")["Content-Type"] == "application/javascript"
