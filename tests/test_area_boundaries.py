"""Areas are kept apart on every link between register records, in the services the API, admin and pages call.

The three ways a business manager of one area once reached into another's register: taking over
another area's person by giving them a holding of their own post, attaching a post to another area's
board, and removing other areas from a shared board. Each is refused by the services and through the
API; a board shared by both areas is where their records may meet.
"""

# ruff: noqa: F403, F405
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from boards import services
from boards.models import Membership, Person, Post, PostHolding, RoleAssignment
from tests.api_support import *
from tests.factories import BoardFactory, PersonFactory, PostFactory, RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def slough(other_area):
    """Slough's LSCB, its chair's post, and the person who holds it."""
    board = BoardFactory(name="Slough LSCB", slug="slough-lscb", areas=[other_area])
    post = PostFactory(title="Slough LSCB Chair", kind="independent_chair", area=other_area, board=board)
    person = PersonFactory(name="Sam Slough")
    services.holding_create(user=None, person=person, post=post)
    return board, post, person


@pytest.fixture
def knowsley_post(area):
    return PostFactory(title="Knowsley DCS", kind="dcs", area=area)


@pytest.fixture
def shared_board(area, other_area):
    return BoardFactory(name="Joint Adoption Panel", slug="joint-panel", kind="panel", areas=[area, other_area])


@pytest.fixture
def manager_of_both(area, other_area):
    user = UserFactory(username="manager-of-both")
    for each in (area, other_area):
        RoleAssignmentFactory(user=user, role=RoleAssignment.Role.BUSINESS_MANAGER, area=each)
    return user


# Taking over another area's person -------------------------------------------------------------------------


def test_a_manager_cannot_give_another_areas_person_a_holding(business_manager, slough, knowsley_post):
    """Sam holds only a Slough post: Knowsley's manager may not make them hold a Knowsley post, and so
    never gains the right to change them."""
    _board, _post, sam = slough
    with pytest.raises(PermissionDenied, match="only posts in areas you do not keep"):
        services.holding_create(user=business_manager, person=sam, post=knowsley_post)
    assert not PostHolding.objects.filter(post=knowsley_post).exists()
    with pytest.raises(PermissionDenied):
        services.person_update(user=business_manager, person=sam, expected_revision=None, name="Taken")


def test_a_manager_cannot_move_a_holding_of_their_post_to_another_areas_person(business_manager, slough, knowsley_post):
    _board, _post, sam = slough
    mine = services.holding_create(user=business_manager, person=None, post=knowsley_post)
    with pytest.raises(PermissionDenied):
        services.holding_update(user=business_manager, holding=mine, expected_revision=None, person=sam)
    mine.refresh_from_db()
    assert mine.person is None


def test_a_person_shared_through_a_shared_board_may_be_given_a_holding(business_manager, slough, shared_board, area):
    """Sam holds the chair of a board Slough shares with Knowsley: Knowsley's manager may record them
    in a Knowsley post too, since the shared board makes them both areas' person."""
    _board, _post, sam = slough
    panel_chair = PostFactory(title="Panel chair", kind="board_chair", area=None, board=shared_board)
    services.holding_create(user=None, person=sam, post=panel_chair)
    knowsley_post = PostFactory(title="Knowsley DCS", kind="dcs", area=area)
    holding = services.holding_create(user=business_manager, person=sam, post=knowsley_post)
    assert holding.person == sam


def test_a_new_person_and_a_holding_whose_person_is_not_stated_are_the_managers_to_make(
    business_manager, knowsley_post
):
    person = services.person_create(user=business_manager, name="Kim New")
    services.holding_create(user=business_manager, person=person, post=knowsley_post)
    unnamed = services.holding_create(user=business_manager, person=None, post=knowsley_post)
    assert str(unnamed) == "Name not stated in the protocol as Knowsley DCS"


def test_an_administrator_records_a_person_holding_posts_in_unrelated_areas(administrator, slough, knowsley_post):
    """An independent chair may chair two areas' boards: an administrator records it."""
    _board, _post, sam = slough
    services.holding_create(user=administrator, person=sam, post=knowsley_post)
    assert sam.holdings.count() == 2


def test_api_refuses_the_person_take_over(business_manager, slough, knowsley_post):
    client = client_for(business_manager)
    _board, _post, sam = slough
    response = client.post("/api/post-holdings/", {"person": sam.pk, "post": knowsley_post.pk}, format="json")
    assert response.status_code == 403, response.content
    assert "areas you do not keep" in response.json()["error"]["message"]
    renamed = client.patch(f"/api/people/{sam.pk}/", {"name": "Taken"}, format="json", HTTP_IF_MATCH="*")
    assert renamed.status_code == 403
    assert Person.objects.get(pk=sam.pk).name == "Sam Slough"


# Attaching a post to another area's board -------------------------------------------------------------------


def test_a_manager_cannot_attach_a_post_to_another_areas_board(business_manager, slough, knowsley_post, area):
    slough_board, _post, _sam = slough
    with pytest.raises(PermissionDenied, match="only to a board you keep"):
        services.post_create(user=business_manager, title="Chair", kind="board_chair", area=area, board=slough_board)
    with pytest.raises(PermissionDenied):
        services.post_update(user=business_manager, post=knowsley_post, expected_revision=None, board=slough_board)
    knowsley_post.refresh_from_db()
    assert knowsley_post.board is None


def test_a_manager_cannot_seat_their_post_on_another_areas_board(business_manager, slough, knowsley_post):
    slough_board, _post, _sam = slough
    with pytest.raises(PermissionDenied):
        services.membership_create(user=business_manager, board=slough_board, post=knowsley_post)
    assert not Membership.objects.filter(board=slough_board).exists()


def test_nobody_links_a_post_to_a_board_that_does_not_cover_its_area(administrator, slough, knowsley_post, area):
    """A data rule, for administrators too: a post belongs to a board of its own area, a board seats the
    posts of the areas it covers. Said against the field."""
    slough_board, _post, _sam = slough
    with pytest.raises(ValidationError) as post_error:
        services.post_create(user=administrator, title="Chair", kind="board_chair", area=area, board=slough_board)
    assert "board" in post_error.value.message_dict
    with pytest.raises(ValidationError) as seat_error:
        services.membership_create(user=administrator, board=slough_board, post=knowsley_post)
    assert "post" in seat_error.value.message_dict


def test_a_shared_board_seats_the_posts_of_each_area_it_covers(business_manager, shared_board, other_area):
    slough_dcs = PostFactory(title="Slough DCS", kind="dcs", area=other_area)
    seat = services.membership_create(
        user=business_manager, board=shared_board, post=slough_dcs, capacity=Membership.Capacity.CHAIR
    )
    assert seat.post == slough_dcs


def test_api_refuses_attaching_a_post_to_another_areas_board(business_manager, slough, knowsley_post, area):
    client = client_for(business_manager)
    slough_board, _post, _sam = slough
    made = client.post(
        "/api/posts/",
        {"title": "Chair", "kind": "board_chair", "area": area.pk, "board": slough_board.pk},
        format="json",
    )
    assert made.status_code == 403, made.content
    moved = client.patch(
        f"/api/posts/{knowsley_post.pk}/", {"board": slough_board.pk}, format="json", HTTP_IF_MATCH="*"
    )
    assert moved.status_code == 403, moved.content
    seated = client.post("/api/memberships/", {"board": slough_board.pk, "post": knowsley_post.pk}, format="json")
    assert seated.status_code == 403, seated.content
    assert not Post.objects.filter(board=slough_board).exclude(title="Slough LSCB Chair").exists()


def test_api_answers_a_post_on_a_board_of_another_area_as_a_field_error(administrator, slough, area):
    slough_board, _post, _sam = slough
    response = client_for(administrator).post(
        "/api/posts/",
        {"title": "Chair", "kind": "board_chair", "area": area.pk, "board": slough_board.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "board" in response.json()["error"]["fields"]


# Removing other areas from a shared board ------------------------------------------------------------------


def test_a_manager_cannot_remove_other_areas_from_a_shared_board(business_manager, shared_board, area, other_area):
    with pytest.raises(PermissionDenied, match="managers of each area concerned"):
        services.board_update(user=business_manager, board=shared_board, expected_revision=None, areas=[area])
    assert set(shared_board.areas.all()) == {area, other_area}


def test_a_manager_may_rename_a_shared_board_and_leave_it_themselves(business_manager, shared_board, other_area):
    """Their own area they may take out; the name they may correct; the other area stays."""
    services.board_update(user=business_manager, board=shared_board, expected_revision=None, short_name="JAP")
    services.board_update(user=business_manager, board=shared_board, expected_revision=None, areas=[other_area])
    assert list(shared_board.areas.all()) == [other_area]


def test_the_managers_of_all_areas_concerned_or_an_administrator_change_a_shared_boards_areas(
    manager_of_both, administrator, shared_board, area, other_area
):
    services.board_update(user=manager_of_both, board=shared_board, expected_revision=None, areas=[area])
    assert list(shared_board.areas.all()) == [area]
    services.board_update(user=administrator, board=shared_board, expected_revision=None, areas=[other_area])
    assert list(shared_board.areas.all()) == [other_area]


def test_a_manager_cannot_put_a_subgroup_under_another_areas_board(business_manager, slough, area):
    slough_board, _post, _sam = slough
    with pytest.raises(PermissionDenied):
        services.board_create(user=business_manager, name="Sub", kind="subgroup", areas=[area], parent=slough_board)


def test_api_refuses_removing_other_areas_from_a_shared_board(business_manager, shared_board, area, other_area):
    client = client_for(business_manager)
    response = client.patch(
        f"/api/boards/{shared_board.pk}/", {"areas": [area.slug]}, format="json", HTTP_IF_MATCH='W/"1"'
    )
    assert response.status_code == 403, response.content
    assert set(shared_board.areas.values_list("slug", flat=True)) == {area.slug, other_area.slug}


# What a protocol's records may name ---------------------------------------------------------------------------


def test_a_protocols_records_name_only_its_areas_boards_and_posts(business_manager, knowsley, slough):
    """The editor's choices and the services agree: Slough's board is neither offered to, nor accepted
    from, a Knowsley protocol; Knowsley's are."""
    from accountability import services as records
    from accountability.forms import RelationForm

    slough_board, slough_post, _sam = slough
    form = RelationForm(version=knowsley.draft)
    offered = {value for _group, options in form.fields["subject"].choices[1:] for value, _label in options}
    assert f"board:{knowsley.board.pk}" in offered
    assert f"board:{slough_board.pk}" not in offered
    assert f"post:{slough_post.pk}" not in offered
    with pytest.raises(ValidationError) as error:
        records.relation_create(
            user=business_manager,
            version=knowsley.draft,
            kind="reports_to",
            subject_board=knowsley.board,
            object_board=slough_board,
        )
    assert "object_board" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        records.obligation_create(
            user=business_manager,
            version=knowsley.draft,
            subject="annual_report",
            title="Annual report",
            senders=[knowsley.board],
            recipients=[slough_board],
        )
    assert "recipients" in error.value.message_dict


def test_api_answers_a_record_naming_another_areas_board_with_a_field_error(business_manager, knowsley, slough):
    slough_board, _post, _sam = slough
    response = client_for(business_manager).post(
        "/api/relations/",
        {
            "version": knowsley.draft.pk,
            "kind": "reports_to",
            "subject_board": knowsley.board.pk,
            "object_board": slough_board.pk,
        },
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "object_board" in response.json()["error"]["fields"]


def test_a_shared_party_board_brings_its_other_areas_boards(knowsley, shared_board, other_area):
    """A protocol one of whose parties is shared with Slough may name Slough's boards, as the tri-borough
    working agreement names each borough's Health and Wellbeing Board."""
    from accountability.selectors import version_boards_and_posts
    from tests.factories import PartyFactory

    slough_hwb = BoardFactory(name="Slough HWB", areas=[other_area])
    assert slough_hwb not in version_boards_and_posts(knowsley.draft)[0]
    PartyFactory(version=knowsley.draft, board=shared_board, position=2)
    assert slough_hwb in version_boards_and_posts(knowsley.draft)[0]


def test_the_admin_obeys_the_same_area_rules(client, administrator, slough, knowsley_post):
    """The admin's forms validate through the models' own rules: a post is not put on a board that does not
    cover its area, a board does not seat another area's post."""
    slough_board, _post, _sam = slough
    client.force_login(administrator)
    response = client.post(
        f"/admin/boards/post/{knowsley_post.pk}/change/",
        {
            "title": "Knowsley DCS",
            "kind": "dcs",
            "area": knowsley_post.area_id,
            "board": slough_board.pk,
            "holdings-TOTAL_FORMS": 0,
            "holdings-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200  # the form again, with its error
    assert "does not cover the post" in response.content.decode()
    knowsley_post.refresh_from_db()
    assert knowsley_post.board is None
    seat = client.post(
        "/admin/boards/membership/add/",
        {
            "board": slough_board.pk,
            "post": knowsley_post.pk,
            "capacity": "member",
            "start_precision": "day",
            "end_precision": "day",
        },
    )
    assert seat.status_code == 200
    assert "belongs to an area the board does not cover" in seat.content.decode()
    assert not Membership.objects.filter(board=slough_board).exists()
