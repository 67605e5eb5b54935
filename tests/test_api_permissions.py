"""Each endpoint answers each persona as the browser would: protocols.permissions decides."""

# The shared API fixtures come in by star import so pytest registers them here.
# ruff: noqa: F403, F405

import pytest
from rest_framework.authtoken.models import Token

from tests.api_support import *

pytestmark = pytest.mark.django_db

SEES_DRAFTS = {
    "anonymous": False,
    "outsider": False,
    "board_member": True,
    "business_manager": True,
    "administrator": True,
}
EDITS = {"anonymous": 401, "outsider": 404, "board_member": 403, "business_manager": 200, "administrator": 200}


def ids(response):
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}


@pytest.mark.parametrize("role", ROLES)
def test_version_list_shows_drafts_only_to_readers_of_the_area(role, as_role, knowsley):
    """Agreed versions are public; the draft is listed only for members, managers and administrators."""
    expected = {knowsley.agreed.pk, knowsley.draft.pk} if SEES_DRAFTS[role] else {knowsley.agreed.pk}
    assert ids(as_role(role).get("/api/versions/")) == expected


@pytest.mark.parametrize("role", ROLES)
def test_draft_version_detail_is_hidden_from_those_who_cannot_read_drafts(role, as_role, knowsley):
    """Reading a draft is 404 (not 403) for those who may not know it exists."""
    response = as_role(role).get(f"/api/versions/{knowsley.draft.pk}/")
    assert response.status_code == (200 if SEES_DRAFTS[role] else 404)


@pytest.mark.parametrize("role", ROLES)
def test_agreed_version_is_public_with_sections_and_clauses(role, as_role, knowsley):
    """Everyone reads the agreed version with its sections and clauses nested."""
    response = as_role(role).get(f"/api/versions/{knowsley.agreed.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["sections"][0]["clauses"][0]["id"] == knowsley.agreed_clause.pk
    assert [party["board"] for party in body["parties"]] == [knowsley.board.pk, knowsley.hwb.pk]
    assert response["ETag"] == f'W/"{knowsley.agreed.revision}"'


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "url", ["/api/clauses/", "/api/sections/", "/api/obligations/", "/api/relations/", "/api/approvals/"]
)
def test_records_of_drafts_are_listed_only_for_draft_readers(role, url, as_role, knowsley):
    """Clauses, sections, obligations, relations of a draft follow the draft's visibility."""
    draft_ids = {
        "/api/clauses/": knowsley.draft_clause.pk,
        "/api/sections/": knowsley.draft_section.pk,
        "/api/obligations/": knowsley.obligation.pk,
        "/api/relations/": knowsley.relation.pk,
    }
    listed = ids(as_role(role).get(url, {"version": knowsley.draft.pk}))
    if url in draft_ids:
        assert (draft_ids[url] in listed) == SEES_DRAFTS[role]
    else:
        assert listed == set()


@pytest.mark.parametrize("role", ROLES)
def test_protocol_lists_only_the_versions_the_reader_may_see(role, as_role, knowsley):
    """The protocol is public (it has an agreed version), but its draft is named only to draft readers."""
    response = as_role(role).get(f"/api/protocols/{knowsley.protocol.pk}/")
    assert response.status_code == 200
    numbers = {v["number"] for v in response.json()["versions"]}
    assert numbers == ({1, 2} if SEES_DRAFTS[role] else {1})
    assert response.json()["current_version"] == knowsley.agreed.pk


@pytest.mark.parametrize("role", ROLES)
def test_editing_a_draft_clause_needs_edit_rights(role, as_role, knowsley):
    """Only the area's business manager and administrators change a draft clause."""
    response = as_role(role).patch(
        f"/api/clauses/{knowsley.draft_clause.pk}/",
        {"text": "<p>Changed.</p>"},
        format="json",
        HTTP_IF_MATCH=f'W/"{knowsley.draft_clause.revision}"',
    )
    assert response.status_code == EDITS[role], response.content
    assert "error" in response.json() or response.status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_adding_a_section_needs_edit_rights(role, as_role, knowsley):
    """Creating goes through the same rule; an unseen version is an unknown id (400) for outsiders."""
    expected = {"anonymous": 401, "outsider": 400, "board_member": 403, "business_manager": 201, "administrator": 201}
    response = as_role(role).post("/api/sections/", {"version": knowsley.draft.pk, "heading": "Review"}, format="json")
    assert response.status_code == expected[role], response.content


@pytest.mark.parametrize("role", ROLES)
def test_adding_an_obligation_needs_edit_rights(role, as_role, knowsley):
    """Obligations are written through accountability.services by those who edit the protocol."""
    expected = {"anonymous": 401, "outsider": 400, "board_member": 403, "business_manager": 201, "administrator": 201}
    response = as_role(role).post(
        "/api/obligations/",
        {
            "version": knowsley.draft.pk,
            "source_clause": knowsley.draft_clause.pk,
            "senders": [{"board": knowsley.hwb.pk}],
            "subject": "business_plan",
            "title": "Business plan",
            "frequency": "annual",
            "window_start_month": 3,
            "window_end_month": 5,
            "recipients": [{"board": knowsley.board.pk}],
        },
        format="json",
    )
    assert response.status_code == expected[role], response.content


@pytest.mark.parametrize("role", ROLES)
def test_creating_a_protocol_is_for_administrators_and_the_areas_business_managers(role, as_role, knowsley, area):
    """Administrators start protocols anywhere, business managers in their own areas (the outsider's is elsewhere)."""
    expected = {"anonymous": 401, "outsider": 403, "board_member": 403, "business_manager": 201, "administrator": 201}
    response = as_role(role).post("/api/protocols/", {"title": "New protocol", "area": area.pk}, format="json")
    assert response.status_code == expected[role], response.content


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "url",
    [
        "/api/areas/",
        "/api/boards/",
        "/api/posts/",
        "/api/people/",
        "/api/memberships/",
        "/api/legal-instruments/",
        "/api/legal-references/",
        "/api/duties/",
        "/api/escalation-routes/",
        "/api/graph/knowsley/",
    ],
)
def test_the_register_and_the_map_are_public(role, url, as_role, knowsley):
    """The register of boards and posts, the law and the agreed map are public reading."""
    assert as_role(role).get(url).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_the_register_is_changed_only_by_its_keepers(role, as_role, knowsley):
    """A board is changed by the area's business manager and administrators (who then need If-Match)."""
    expected = {"anonymous": 401, "outsider": 403, "board_member": 403, "business_manager": 428, "administrator": 428}
    response = as_role(role).patch(f"/api/boards/{knowsley.board.pk}/", {"name": "x"}, format="json")
    assert response.status_code == expected[role]


@pytest.mark.parametrize("role", ROLES)
def test_map_with_drafts_needs_draft_access(role, as_role, knowsley):
    """The map with drafts' arrows is for those who may read the area's drafts."""
    expected = {"anonymous": 401, "outsider": 403, "board_member": 200, "business_manager": 200, "administrator": 200}
    response = as_role(role).get("/api/graph/knowsley/", {"include_drafts": "true"})
    assert response.status_code == expected[role]


def test_revoked_token_is_refused(business_manager, knowsley):
    """Deleting the token (as an administrator does in the admin) locks the system out at once."""
    client = client_for(business_manager)
    assert client.get(f"/api/versions/{knowsley.draft.pk}/").status_code == 200
    Token.objects.filter(user=business_manager).delete()
    response = client.get(f"/api/versions/{knowsley.draft.pk}/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"
    assert response["WWW-Authenticate"] == "Token"


def test_session_authentication_works_for_the_browser(client, board_member, knowsley):
    """A signed-in browser session reads the same API with the same rights."""
    client.force_login(board_member)
    assert client.get(f"/api/versions/{knowsley.draft.pk}/").status_code == 200
