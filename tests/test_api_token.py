"""POST /api/auth/token/: a username and password traded for a named API token, behind the same lockout as
the sign-in forms, and described in the OpenAPI schema."""

import json

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from accounts.models import ApiToken
from tests.factories import UserFactory

URL = "/api/auth/token/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def chair(db):
    return UserFactory(username="chair")


def test_the_right_password_gets_a_token_that_works(api, chair):
    response = api.post(URL, {"username": "chair", "password": "demo-password", "name": "Intranet"}, format="json")
    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["name"] == "Intranet" and body["token"].startswith("reg_")
    token = ApiToken.objects.get(user=chair)
    assert body["token"] not in (token.digest, token.start)
    reader = APIClient()
    reader.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert reader.get("/api/protocols/").status_code == 200


def test_asking_again_under_the_same_name_replaces_the_token(api, chair):
    first = api.post(URL, {"username": "chair", "password": "demo-password"}, format="json").json()
    second = api.post(URL, {"username": "chair", "password": "demo-password"}, format="json").json()
    assert first["name"] == second["name"] == "API" and first["token"] != second["token"]
    assert ApiToken.objects.filter(user=chair).count() == 1
    reader = APIClient()
    reader.credentials(HTTP_AUTHORIZATION=f"Token {first['token']}")
    assert reader.get("/api/protocols/").status_code == 401
    other = api.post(URL, {"username": "chair", "password": "demo-password", "name": "Reports"}, format="json")
    assert other.status_code == 201 and ApiToken.objects.filter(user=chair).count() == 2


def test_a_wrong_password_is_refused_with_a_reason(api, chair):
    response = api.post(URL, {"username": "chair", "password": "wrong"}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_credentials"
    assert error["message"] == "The username or password is not right, or the account is not active."
    assert not ApiToken.objects.exists()


def test_an_inactive_account_gets_no_token(api, db):
    UserFactory(username="gone", is_active=False)
    response = api.post(URL, {"username": "gone", "password": "demo-password"}, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_credentials"


def test_missing_fields_are_named(api, db):
    response = api.post(URL, {"username": "chair"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"password": ["This field is required."]}


def test_after_the_configured_failures_even_the_right_password_is_locked_out(api, chair):
    """AXES_FAILURE_LIMIT wrong passwords lock the account from this address: the right one then gets 429."""
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert api.post(URL, {"username": "chair", "password": "wrong"}, format="json").status_code == 400
    last = api.post(URL, {"username": "chair", "password": "wrong"}, format="json")
    assert last.status_code == 429
    response = api.post(URL, {"username": "chair", "password": "demo-password"}, format="json")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert int(response["Retry-After"]) == int(settings.AXES_COOLOFF_TIME.total_seconds())
    error = response.json()["error"]
    assert error["code"] == "locked_out" and "locked" in error["message"]
    assert not ApiToken.objects.exists()
    # The lock is the sign-in form's too: the browser gets the lockout page for this account.
    page = api.post("/accounts/login/", {"username": "chair", "password": "demo-password"})
    assert page.status_code == 429 and "Too many attempts to sign in" in page.content.decode()


def test_one_wrong_password_then_the_right_one_starts_the_count_again(api, chair):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        api.post(URL, {"username": "chair", "password": "wrong"}, format="json")
    assert api.post(URL, {"username": "chair", "password": "demo-password"}, format="json").status_code == 201
    assert api.post(URL, {"username": "chair", "password": "wrong"}, format="json").status_code == 400


def test_a_stale_token_header_does_not_stop_a_sign_in(api, chair):
    api.credentials(HTTP_AUTHORIZATION="Token reg_revoked-long-ago")
    assert api.post(URL, {"username": "chair", "password": "demo-password"}, format="json").status_code == 201


def test_the_schema_documents_the_endpoint_and_its_answers(client, db):
    schema = json.loads(client.get("/api/schema/?format=json").content)
    operation = schema["paths"]["/api/auth/token/"]["post"]
    assert operation.get("security", []) in ([], [{}])  # no credentials needed but these
    assert {"username", "password", "name"} <= set(schema["components"]["schemas"]["CredentialsRequest"]["properties"])
    assert set(operation["responses"]) == {"201", "400", "405", "406", "413", "415", "429"}
    assert "invalid_credentials" in operation["responses"]["400"]["description"]
    assert "locked_out" in operation["responses"]["429"]["description"]
