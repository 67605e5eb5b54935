"""Writes to the register through the API: who may, If-Match, and the register's own rules."""

# ruff: noqa: F403, F405
import pytest

from boards import services
from boards.models import Area, Board, Membership, Person, Post
from core.exceptions import EditConflict
from core.writes import record_revision
from protocols.models import Protocol
from tests.api_support import *
from tests.factories import BoardFactory, MembershipFactory, PersonFactory, PostFactory

pytestmark = pytest.mark.django_db

# Creating in Knowsley: the outsider manages Slough, the board member only reads.
CREATES = {"anonymous": 401, "outsider": 403, "board_member": 403, "business_manager": 201, "administrator": 201}
AREA_CREATES = {**CREATES, "business_manager": 403}
# People belong to no area: any business manager, the outsider included, records who holds a post.
PEOPLE_CREATES = {**CREATES, "outsider": 201}


@pytest.fixture
def manager_client(business_manager):
    return client_for(business_manager)


@pytest.fixture
def admin_client(administrator):
    return client_for(administrator)


def etag_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response["ETag"]


def fields_of(response):
    assert response.status_code == 400, response.content
    return response.json()["error"]["fields"]


@pytest.mark.parametrize("role", ROLES)
def test_creating_a_board_in_the_area_is_for_its_managers_and_administrators(role, as_role, knowsley, area):
    """A board in Knowsley is added by Knowsley's business manager or an administrator, and nobody else."""
    body = {"name": "Knowsley Community Safety Partnership", "kind": "csp", "areas": [area.slug]}
    response = as_role(role).post("/api/boards/", body, format="json")
    assert response.status_code == CREATES[role], response.content
    made = Board.objects.filter(name=body["name"])
    assert made.exists() == (CREATES[role] == 201)
    if CREATES[role] == 201:
        assert response.json()["areas"] == [area.slug]
        assert response.json()["slug"] == "knowsley-community-safety-partnership"
        assert response["ETag"] == 'W/"1"'


@pytest.mark.parametrize("role", ROLES)
def test_posts_memberships_and_people_follow_the_same_rule(role, as_role, knowsley, area):
    """Posts and memberships in Knowsley follow the board rule; people any manager; areas only administrators."""
    client = as_role(role)
    post = client.post("/api/posts/", {"title": "Knowsley DPH", "kind": "dph", "area": area.pk}, format="json")
    assert post.status_code == CREATES[role], post.content
    membership = client.post(
        "/api/memberships/", {"board": knowsley.hwb.pk, "organisation": "Merseyside Police"}, format="json"
    )
    assert membership.status_code == CREATES[role], membership.content
    person = client.post("/api/people/", {"name": "A. Chair", "honorific": "Councillor"}, format="json")
    assert person.status_code == PEOPLE_CREATES[role], person.content
    new_area = client.post("/api/areas/", {"name": "Halton"}, format="json")
    assert new_area.status_code == AREA_CREATES[role], new_area.content
    assert Area.objects.filter(name="Halton").exists() == (AREA_CREATES[role] == 201)


@pytest.mark.parametrize("role", ROLES)
def test_changing_a_board_needs_the_right_and_the_etag(role, as_role, knowsley):
    """With the current ETag, the keepers rename a board and its revision moves on; others are refused."""
    expected = {"anonymous": 401, "outsider": 403, "board_member": 403, "business_manager": 200, "administrator": 200}
    url = f"/api/boards/{knowsley.board.pk}/"
    response = as_role(role).patch(url, {"short_name": "KSCP"}, format="json", HTTP_IF_MATCH='W/"1"')
    assert response.status_code == expected[role], response.content
    knowsley.board.refresh_from_db()
    if expected[role] == 200:
        assert knowsley.board.short_name == "KSCP"
        assert knowsley.board.revision == 2
        assert response["ETag"] == 'W/"2"'
    else:
        assert knowsley.board.short_name == "KSCB"


def test_a_manager_cannot_put_records_in_another_area(manager_client, knowsley, area, other_area):
    """Knowsley's manager may not create a board, post or membership in Slough, nor move a board there."""
    slough_board = BoardFactory(name="Slough LSCB", areas=[other_area])
    assert (
        manager_client.post("/api/boards/", {"name": "X", "kind": "csp", "areas": [other_area.slug]}, format="json")
    ).status_code == 403
    assert (
        manager_client.post("/api/posts/", {"title": "X", "kind": "dph", "area": other_area.pk}, format="json")
    ).status_code == 403
    assert (
        manager_client.post("/api/memberships/", {"board": slough_board.pk, "organisation": "X"}, format="json")
    ).status_code == 403
    url = f"/api/boards/{knowsley.board.pk}/"
    moved = manager_client.patch(url, {"areas": [area.slug, other_area.slug]}, format="json", HTTP_IF_MATCH="*")
    assert moved.status_code == 403
    assert list(knowsley.board.areas.values_list("slug", flat=True)) == [area.slug]
    foreign = manager_client.patch(f"/api/boards/{slough_board.pk}/", {"name": "Y"}, format="json", HTTP_IF_MATCH="*")
    assert foreign.status_code == 403


def test_change_without_if_match_is_428_with_the_etag(manager_client, knowsley):
    """No blind overwrite of a board: 428 names the current ETag and nothing changes."""
    response = manager_client.patch(f"/api/boards/{knowsley.board.pk}/", {"name": "Renamed"}, format="json")
    assert response.status_code == 428
    assert response.json()["error"]["code"] == "precondition_required"
    assert response["ETag"] == 'W/"1"'
    knowsley.board.refresh_from_db()
    assert knowsley.board.name == "Knowsley Safeguarding Children Board"


def test_stale_board_etag_is_412_with_the_current_board(manager_client, admin_client, knowsley):
    """The second of two editors gets 412 with the first one's board to merge with."""
    url = f"/api/boards/{knowsley.board.pk}/"
    assert admin_client.patch(url, {"purpose": "First."}, format="json", HTTP_IF_MATCH='W/"1"').status_code == 200
    response = manager_client.patch(url, {"purpose": "Second."}, format="json", HTTP_IF_MATCH='W/"1"')
    assert response.status_code == 412
    error = response.json()["error"]
    assert error["code"] == "edit_conflict"
    assert error["current"]["purpose"] == "First."
    assert response["ETag"] == 'W/"2"'


def test_records_without_a_revision_get_a_fingerprint_etag(manager_client, admin_client, area):
    """A post has no revision counter; its ETag follows its stored values, so a stale one still gets 412."""
    post = PostFactory(title="Knowsley DCS", area=area)
    url = f"/api/posts/{post.pk}/"
    tag = etag_of(manager_client, url)
    assert tag == f'W/"{record_revision(post)}"'
    changed = admin_client.patch(url, {"organisation": "Knowsley Council"}, format="json", HTTP_IF_MATCH=tag)
    assert changed.status_code == 200, changed.content
    assert changed["ETag"] != tag
    assert changed["ETag"] == etag_of(manager_client, url)
    stale = manager_client.patch(url, {"title": "Renamed"}, format="json", HTTP_IF_MATCH=tag)
    assert stale.status_code == 412
    assert stale.json()["error"]["current"]["organisation"] == "Knowsley Council"
    post.refresh_from_db()
    assert post.title == "Knowsley DCS"


def test_people_and_areas_are_updated_with_if_match(manager_client, admin_client, area):
    """A manager corrects a person's name; only an administrator changes an area."""
    person = PersonFactory(name="J Smith")
    url = f"/api/people/{person.pk}/"
    response = manager_client.put(
        url, {"name": "Jane Smith"}, format="json", HTTP_IF_MATCH=etag_of(manager_client, url)
    )
    assert response.status_code == 200, response.content
    assert Person.objects.get(pk=person.pk).name == "Jane Smith"
    area_url = f"/api/areas/{area.slug}/"
    tag = etag_of(admin_client, area_url)
    assert manager_client.patch(area_url, {"council_name": "X"}, format="json", HTTP_IF_MATCH=tag).status_code == 403
    done = admin_client.patch(area_url, {"council_name": "Knowsley Council"}, format="json", HTTP_IF_MATCH=tag)
    assert done.status_code == 200, done.content
    assert done.json()["council_name"] == "Knowsley Council"


def test_membership_update_and_delete(manager_client, knowsley):
    """A manager changes a membership with If-Match and deletes it; a stale tag refuses the delete."""
    membership = MembershipFactory(board=knowsley.hwb, post=PostFactory(title="Knowsley DPH"))
    url = f"/api/memberships/{membership.pk}/"
    tag = etag_of(manager_client, url)
    changed = manager_client.patch(url, {"capacity": "chair"}, format="json", HTTP_IF_MATCH=tag)
    assert changed.status_code == 200, changed.content
    assert changed.json()["capacity"] == "chair"
    assert manager_client.delete(url, HTTP_IF_MATCH=tag).status_code == 412
    assert manager_client.delete(url, HTTP_IF_MATCH=changed["ETag"]).status_code == 204
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_boards_posts_people_and_areas_are_not_deleted_through_the_api(admin_client, knowsley, area):
    """Records that protocols point at are not deleted here: 405."""
    assert admin_client.delete(f"/api/boards/{knowsley.board.pk}/").status_code == 405
    assert admin_client.delete(f"/api/areas/{area.slug}/").status_code == 405
    assert Board.objects.filter(pk=knowsley.board.pk).exists()


def test_a_board_cannot_be_its_own_parent_or_under_its_subgroup(admin_client, knowsley):
    """The parent field names the problem; a loop through a subgroup is refused too."""
    url = f"/api/boards/{knowsley.board.pk}/"
    own = admin_client.patch(url, {"parent": knowsley.board.pk}, format="json", HTTP_IF_MATCH="*")
    assert "own parent" in fields_of(own)["parent"][0]
    subgroup = BoardFactory(name="Serious Case Review Subgroup", kind="subgroup", parent=knowsley.board)
    loop = admin_client.patch(url, {"parent": subgroup.pk}, format="json", HTTP_IF_MATCH="*")
    assert "parent" in fields_of(loop)
    knowsley.board.refresh_from_db()
    assert knowsley.board.parent_id is None


def test_validation_errors_name_their_fields(admin_client, knowsley, area):
    """Bad input is a 400 whose fields say what is wrong; nothing is saved."""
    assert "post" in fields_of(admin_client.post("/api/memberships/", {"board": knowsley.hwb.pk}, format="json"))
    dates = admin_client.post(
        "/api/memberships/",
        {"board": knowsley.hwb.pk, "organisation": "NHS", "start_date": "2015-06-01", "end_date": "2014-01-01"},
        format="json",
    )
    assert "end_date" in fields_of(dates)
    dissolved = admin_client.patch(
        f"/api/boards/{knowsley.board.pk}/",
        {"established_on": "2015-01-01", "dissolved_on": "2010-01-01"},
        format="json",
        HTTP_IF_MATCH="*",
    )
    assert "dissolved_on" in fields_of(dissolved)
    duplicate = admin_client.post(
        "/api/boards/", {"name": "B", "kind": "csp", "areas": [area.slug], "slug": "kscb"}, format="json"
    )
    assert "slug" in fields_of(duplicate)
    no_areas = admin_client.post("/api/boards/", {"name": "B", "kind": "csp", "areas": []}, format="json")
    assert "areas" in fields_of(no_areas)
    assert "kind" in fields_of(admin_client.post("/api/posts/", {"title": "T", "kind": "emperor"}, format="json"))
    assert "name" in fields_of(admin_client.post("/api/areas/", {"name": "Knowsley"}, format="json"))
    assert "name" in fields_of(
        admin_client.put(f"/api/people/{PersonFactory().pk}/", {}, format="json", HTTP_IF_MATCH="*")
    )
    assert Membership.objects.count() == 0
    assert Board.objects.filter(name="B").count() == 0
    assert Post.objects.filter(title="T").count() == 0


def test_services_refuse_a_stale_revision():
    """The comparison happens in the service, inside its transaction, not only in the view."""
    area = services.area_create(user=None, name="Halton")
    assert area.slug == "halton"
    board = services.board_create(user=None, name="Halton LSCB", kind="lscb", areas=[area])
    board = services.board_update(user=None, board=board, expected_revision=1, short_name="HSCB")
    assert board.revision == 2
    unchanged = services.board_update(user=None, board=board, expected_revision=2, short_name="HSCB")
    assert unchanged.revision == 2
    with pytest.raises(EditConflict):
        services.board_update(user=None, board=board, expected_revision=1, short_name="X")
    other = services.area_create(user=None, name="Knowsley")
    board = services.board_update(user=None, board=board, expected_revision=2, areas=[area, other])
    assert board.revision == 3  # the areas it covers are part of the board
    assert set(board.areas.values_list("slug", flat=True)) == {"halton", "knowsley"}
    person = services.person_create(user=None, name="Sam")
    old = record_revision(person)
    services.person_update(user=None, person=person, expected_revision=old, honorific="Dr")
    with pytest.raises(EditConflict):
        services.person_update(user=None, person=person, expected_revision=old, honorific="Prof")


def test_business_manager_creates_a_protocol_in_their_area_only(manager_client, area, other_area):
    """A business manager starts protocols in the area they manage, not in another."""
    mine = manager_client.post(
        "/api/protocols/", {"title": "Knowsley escalation protocol", "area": area.pk}, format="json"
    )
    assert mine.status_code == 201, mine.content
    assert Protocol.objects.get(pk=mine.json()["id"]).area == area
    theirs = manager_client.post("/api/protocols/", {"title": "Slough protocol", "area": other_area.pk}, format="json")
    assert theirs.status_code == 403
    assert not Protocol.objects.filter(title="Slough protocol").exists()
