"""The register pages: an area's business managers and administrators keep its boards, posts, people, who
holds which post and who sits on which board, through the services the API uses."""

import datetime

import pytest
from django.urls import reverse

from accountability import services as records
from accountability.models import BoardLegalBasis, LegalInstrument
from boards import services
from boards.models import Board, DatePrecision, Membership, Person, Post, PostHolding
from core.models import AuditRecord
from core.writes import record_revision
from tests.factories import BoardFactory, PersonFactory, PostFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "board_member", "outsider", "business_manager", "administrator"]
# Reading or opening a form: the area's keepers only; anonymous visitors are asked to sign in.
PAGE = {"anonymous": 302, "board_member": 403, "outsider": 403, "business_manager": 200, "administrator": 200}


@pytest.fixture
def register(area):
    """Knowsley's KSCB with its chair's post held by Ann, a member seat, and a legal basis."""
    board = services.board_create(user=None, name="Knowsley Safeguarding Children Board", kind="lscb", areas=[area])
    post = services.post_create(user=None, title="KSCB Independent Chair", kind="independent_chair", area=area)
    ann = services.person_create(user=None, name="Ann Example")
    holding = services.holding_create(
        user=None, person=ann, post=post, start_date=datetime.date(2012, 10, 1), start_precision=DatePrecision.MONTH
    )
    seat = services.membership_create(user=None, board=board, post=post, capacity=Membership.Capacity.CHAIR)
    act = records.instrument_create(user=None, title="Children Act 2004", kind="act", year=2004)
    basis = records.board_legal_basis_add(user=None, board=board, instrument=act, provision="section 13")
    return {"board": board, "post": post, "person": ann, "holding": holding, "membership": seat, "basis": basis}


def urls(area, r):
    slug, board = area.slug, r["board"].slug
    names = [
        ("home", []),
        ("board_new", []),
        ("board_detail", [board]),
        ("board_change", [board]),
        ("legal_basis_add", [board]),
        ("instrument_add", [board]),
        ("membership_new", [board]),
        ("membership_detail", [r["membership"].pk]),
        ("membership_change", [r["membership"].pk]),
        ("membership_end", [r["membership"].pk]),
        ("post_new", []),
        ("post_detail", [r["post"].pk]),
        ("post_change", [r["post"].pk]),
        ("holding_new", [r["post"].pk]),
        ("holding_change", [r["holding"].pk]),
        ("holding_end", [r["holding"].pk]),
        ("person_new", []),
        ("person_detail", [r["person"].pk]),
        ("person_change", [r["person"].pk]),
    ]
    return [reverse(f"register:{name}", args=[slug, *args]) for name, args in names]


def login(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client


@pytest.mark.parametrize("role", ROLES)
def test_every_register_page_is_for_the_areas_keepers(client, request, role, area, register):
    """Anonymous visitors sign in first; a board member, and the manager of another area, are refused."""
    login(client, request, role)
    for url in urls(area, register):
        response = client.get(url)
        assert response.status_code == PAGE[role], url
        if role == "anonymous":
            assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ROLES)
def test_removing_a_legal_basis_is_for_the_areas_keepers(client, request, role, area, register):
    login(client, request, role)
    url = reverse("register:legal_basis_remove", args=[area.slug, register["board"].slug, register["basis"].pk])
    response = client.post(url)
    expected = {**PAGE, "business_manager": 302, "administrator": 302}
    assert response.status_code == expected[role]
    assert BoardLegalBasis.objects.filter(pk=register["basis"].pk).exists() == (
        expected[role] != 302 or role == "anonymous"
    )


@pytest.mark.parametrize("role", ROLES)
def test_posting_a_change_is_refused_to_all_but_the_keepers(client, request, role, area, register):
    login(client, request, role)
    url = reverse("register:person_change", args=[area.slug, register["person"].pk])
    client.post(url, {"name": "Changed", "revision": record_revision(register["person"])})
    changed = Person.objects.get(pk=register["person"].pk).name == "Changed"
    assert changed == (PAGE[role] == 200)


def test_another_areas_records_are_not_found_under_this_area(client, business_manager, area, other_area, register):
    """Slough's post is not a page of Knowsley's register, even for Knowsley's manager."""
    slough_post = PostFactory(title="Slough DCS", kind="dcs", area=other_area)
    client.force_login(business_manager)
    assert client.get(reverse("register:post_detail", args=[area.slug, slough_post.pk])).status_code == 404
    assert client.get(reverse("register:post_detail", args=[other_area.slug, slough_post.pk])).status_code == 403


# Boards -----------------------------------------------------------------------------------------------------


def test_a_manager_adds_a_board_shared_with_an_area_they_also_keep(client, area, other_area):
    from boards.models import RoleAssignment
    from tests.factories import RoleAssignmentFactory, UserFactory

    manager = UserFactory(username="two-areas")
    for each in (area, other_area):
        RoleAssignmentFactory(user=manager, role=RoleAssignment.Role.BUSINESS_MANAGER, area=each)
    client.force_login(manager)
    response = client.post(
        reverse("register:board_new", args=[area.slug]),
        {
            "name": "Joint Adoption Panel",
            "kind": "panel",
            "areas": [area.pk, other_area.pk],
            "established_month": "4",
            "established_year": "2015",
        },
    )
    board = Board.objects.get(name="Joint Adoption Panel")
    assert response.status_code == 302
    assert response["Location"] == reverse("register:board_detail", args=[area.slug, board.slug])
    assert set(board.areas.all()) == {area, other_area}
    assert (board.established_on, board.established_precision) == (datetime.date(2015, 4, 1), DatePrecision.MONTH)
    page = client.get(response["Location"]).content.decode()
    assert "Established in April 2015" in page
    assert "Created" in page  # its history


def test_bad_input_is_answered_beside_the_field_and_nothing_saved(client, business_manager, area):
    client.force_login(business_manager)
    response = client.post(
        reverse("register:board_new", args=[area.slug]),
        {
            "name": "",
            "kind": "",
            "areas": [area.pk],
            "established_day": "31",
            "established_month": "2",
            "established_year": "2015",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter a real date" in html
    assert 'id="id_name-error"' in html
    assert not Board.objects.exists()


def test_a_stale_save_shows_a_conflict_and_overwrites_nothing(client, business_manager, area, register):
    """Two people open the board's form; the second save is refused with the reason, the first one's change kept."""
    client.force_login(business_manager)
    board = register["board"]
    url = reverse("register:board_change", args=[area.slug, board.slug])
    opened = {"name": board.name, "kind": "lscb", "areas": [area.pk], "revision": board.revision}
    services.board_update(user=None, board=board, expected_revision=board.revision, short_name="KSCP")
    response = client.post(url, {**opened, "short_name": "KSCB"})
    assert response.status_code == 400
    assert "Someone else changed this board since you opened it" in response.content.decode()
    board.refresh_from_db()
    assert board.short_name == "KSCP"
    # The form now carries the current revision: saving again is a choice made after reading the message.
    assert f'name="revision" value="{board.revision}"' in response.content.decode()


def test_a_stale_save_of_a_record_without_a_counter_is_refused_too(client, business_manager, area, register):
    client.force_login(business_manager)
    person = register["person"]
    opened = record_revision(person)
    services.person_update(user=None, person=person, expected_revision=None, honorific="Dr")
    response = client.post(
        reverse("register:person_change", args=[area.slug, person.pk]), {"name": "Ann Changed", "revision": opened}
    )
    assert response.status_code == 400
    assert "Someone else changed this person" in response.content.decode()
    assert Person.objects.get(pk=person.pk).name == "Ann Example"


def test_statutory_basis_from_the_list_or_a_new_act(client, business_manager, area, register):
    client.force_login(business_manager)
    board = register["board"]
    new_act = client.post(
        reverse("register:instrument_add", args=[area.slug, board.slug]),
        {"title": "Working Together to Safeguard Children 2015", "kind": "statutory_guidance", "year": "2015"},
    )
    instrument = LegalInstrument.objects.get(title__startswith="Working Together")
    assert new_act["Location"].endswith(f"?instrument={instrument.pk}")
    picker = client.get(new_act["Location"]).content.decode()
    assert f'<option value="{instrument.pk}" selected>' in picker
    added = client.post(
        reverse("register:legal_basis_add", args=[area.slug, board.slug]),
        {"instrument": instrument.pk, "provision": "chapter 3"},
    )
    assert added.status_code == 302
    page = client.get(reverse("register:board_detail", args=[area.slug, board.slug])).content.decode()
    assert "Working Together to Safeguard Children 2015, chapter 3" in page
    again = client.post(
        reverse("register:legal_basis_add", args=[area.slug, board.slug]),
        {"instrument": instrument.pk, "provision": "chapter 3"},
    )
    assert again.status_code == 400
    assert "already has this legal basis" in again.content.decode()


# Posts, people and who holds which post --------------------------------------------------------------------------


def test_a_post_its_holder_and_the_end_of_their_holding(client, business_manager, area, register):
    client.force_login(business_manager)
    made = client.post(
        reverse("register:post_new", args=[area.slug]), {"title": "Director of Public Health", "kind": "dph"}
    )
    post = Post.objects.get(title="Director of Public Health")
    assert post.area == area
    assert made["Location"] == reverse("register:post_detail", args=[area.slug, post.pk])
    person = client.post(reverse("register:person_new", args=[area.slug]), {"name": "Dana Doctor", "honorific": "Dr"})
    assert person.status_code == 302
    dana = Person.objects.get(name="Dana Doctor")
    held = client.post(
        reverse("register:holding_new", args=[area.slug, post.pk]), {"person": dana.pk, "start_year": "2013"}
    )
    assert held.status_code == 302
    holding = PostHolding.objects.get(post=post)
    assert (holding.start_date, holding.start_precision) == (datetime.date(2013, 1, 1), DatePrecision.YEAR)
    ended = client.post(
        reverse("register:holding_end", args=[area.slug, holding.pk]),
        {"end_month": "3", "end_year": "2016", "revision": record_revision(holding)},
    )
    assert ended.status_code == 302
    holding.refresh_from_db()
    assert (holding.end_date, holding.end_precision) == (datetime.date(2016, 3, 1), DatePrecision.MONTH)
    page = client.get(reverse("register:post_detail", args=[area.slug, post.pk])).content.decode()
    assert "Before" in page and "From 2013 to March 2016" in page  # kept, as a past holding
    assert "Nobody holds this post today" in page


def test_ending_needs_at_least_the_year(client, business_manager, area, register):
    client.force_login(business_manager)
    holding = register["holding"]
    response = client.post(
        reverse("register:holding_end", args=[area.slug, holding.pk]), {"revision": record_revision(holding)}
    )
    assert response.status_code == 400
    assert "Enter when it ended, at least the year" in response.content.decode()


def test_a_holding_whose_holder_is_not_named(client, business_manager, area, register):
    client.force_login(business_manager)
    post = register["post"]
    response = client.post(reverse("register:holding_new", args=[area.slug, post.pk]), {"person": "not-stated"})
    assert response.status_code == 302
    assert PostHolding.objects.filter(post=post, person=None).exists()
    assert "Name not stated in the protocol" in client.get(response["Location"]).content.decode()


def test_the_pages_refuse_the_person_take_over(client, business_manager, area, other_area, register):
    """Slough's person is neither offered nor accepted as the holder of a Knowsley post."""
    sam = PersonFactory(name="Sam Slough")
    services.holding_create(user=None, person=sam, post=PostFactory(title="Slough DCS", kind="dcs", area=other_area))
    client.force_login(business_manager)
    url = reverse("register:holding_new", args=[area.slug, register["post"].pk])
    assert "Sam Slough" not in client.get(url).content.decode()
    response = client.post(url, {"person": sam.pk})
    assert response.status_code == 400
    assert not PostHolding.objects.filter(person=sam, post=register["post"]).exists()


def test_the_pages_refuse_attaching_a_post_to_another_areas_board(client, business_manager, area, other_area, register):
    slough_board = BoardFactory(name="Slough LSCB", areas=[other_area])
    client.force_login(business_manager)
    url = reverse("register:post_change", args=[area.slug, register["post"].pk])
    form = client.get(url).content.decode()
    assert "Slough LSCB" not in form
    response = client.post(
        url,
        {"title": "KSCB Independent Chair", "kind": "independent_chair", "board": slough_board.pk, "revision": ""},
    )
    assert response.status_code == 400
    register["post"].refresh_from_db()
    assert register["post"].board is None
    seat = client.post(
        reverse("register:membership_new", args=[area.slug, register["board"].slug]),
        {"post": PostFactory(title="Slough DCS", kind="dcs", area=other_area).pk, "capacity": "member"},
    )
    assert seat.status_code == 400


def test_the_pages_refuse_removing_other_areas_from_a_shared_board(client, business_manager, area, other_area):
    shared = BoardFactory(name="Joint Panel", slug="joint-panel", kind="panel", areas=[area, other_area])
    client.force_login(business_manager)
    url = reverse("register:board_change", args=[area.slug, shared.slug])
    response = client.post(url, {"name": "Joint Panel", "kind": "panel", "areas": [area.pk], "revision": 1})
    assert response.status_code == 400
    assert "managers of each area concerned" in response.content.decode()
    assert set(shared.areas.all()) == {area, other_area}


# Memberships --------------------------------------------------------------------------------------------------


def test_two_co_chairs_then_one_ends_and_stays_among_the_past(client, business_manager, area, register):
    client.force_login(business_manager)
    board = register["board"]
    council = PostFactory(title="Leader of the Council", kind="leader", area=area)
    url = reverse("register:membership_new", args=[area.slug, board.slug])
    for post in (register["post"], council):
        assert client.post(url, {"post": post.pk, "capacity": "co_chair", "start_year": "2014"}).status_code == 302
    page = client.get(board.get_absolute_url()).content.decode()
    assert "Co-chairs" in page
    assert 'Leader of the Council: <strong class="govuk-tag govuk-tag--yellow">Vacant</strong>' in page
    seat = Membership.objects.get(board=board, post=council)
    ended = client.post(
        reverse("register:membership_end", args=[area.slug, seat.pk]) + "?from=board",
        {"end_year": "2015", "revision": record_revision(seat)},
    )
    assert ended["Location"] == board.get_absolute_url() + "#members"
    seat.refresh_from_db()
    assert seat.end_date == datetime.date(2015, 1, 1)
    page = client.get(board.get_absolute_url()).content.decode()
    assert "Show past members (1)" in page
    past = client.get(board.get_absolute_url() + "?past=1").content.decode()
    assert "Past members" in past and "Leader of the Council, co-chair" in past
    trail = client.get(reverse("register:membership_detail", args=[area.slug, seat.pk])).content.decode()
    assert "Ended" in trail and "Changed" in trail and "Created" in trail


def test_a_membership_needs_a_post_or_an_organisation(client, business_manager, area, register):
    client.force_login(business_manager)
    url = reverse("register:membership_new", args=[area.slug, register["board"].slug])
    response = client.post(url, {"capacity": "member"})
    assert response.status_code == 400
    assert "Name the post that sits on the board" in response.content.decode()


def test_every_change_is_in_the_records_history(client, business_manager, area, register):
    client.force_login(business_manager)
    person = register["person"]
    client.post(
        reverse("register:person_change", args=[area.slug, person.pk]),
        {"name": "Ann Example", "honorific": "Dr", "revision": record_revision(person)},
    )
    entry = AuditRecord.objects.for_record(person).first()
    assert entry.user == business_manager and entry.after == {"honorific": "Dr"}
    page = client.get(reverse("register:person_detail", args=[area.slug, person.pk])).content.decode()
    assert "History of this record" in page and "<ins>Dr</ins>" in page


# Reads ---------------------------------------------------------------------------------------------------------


def test_seats_a_post_held_by_someone_unnamed_is_held_and_an_organisation_is_never_vacant(area, register):
    """Vacant means no holding covers today; a holding whose person is not stated still fills the seat."""
    from boards.selectors import board_for_page, board_seats

    board = register["board"]
    empty = PostFactory(title="Director of Public Health", kind="dph", area=area)
    unnamed = PostFactory(title="Designated Doctor", kind="other", area=area)
    services.holding_create(user=None, person=None, post=unnamed)
    services.holding_create(
        user=None, person=PersonFactory(name="Old Holder"), post=empty, end_date=datetime.date(2010, 1, 1)
    )
    for post in (empty, unnamed):
        services.membership_create(user=None, board=board, post=post)
    services.membership_create(user=None, board=board, organisation="NHS England")
    services.membership_create(
        user=None, board=board, organisation="Primary Care Trust", end_date=datetime.date(2013, 3, 31)
    )
    seats = board_seats(board_for_page(board.slug), datetime.date(2025, 1, 1))
    assert [label for label, _members in seats.groups] == ["Chair", "Members"]
    assert [seat.membership.member_label for seat in seats.vacancies] == ["Director of Public Health"]
    assert [m.organisation for m in seats.past] == ["Primary Care Trust"]
    chair = seats.groups[0][1][0]
    assert chair.holding.person.name == "Ann Example" and not chair.vacant


def test_the_register_home_reads_in_a_fixed_number_of_queries(client, business_manager, area, register):
    """Boards (with parents and areas), posts (with boards and holders), people: the count does not grow
    with the register."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(business_manager)
    url = reverse("register:home", args=[area.slug])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for n in range(5):
        board = BoardFactory(name=f"Board {n}", areas=[area])
        post = PostFactory(title=f"Post {n}", kind="other", area=area, board=board)
        services.holding_create(user=None, person=PersonFactory(name=f"Person {n}"), post=post)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert "Person 4" in response.content.decode()
    assert len(large) == len(small)


@pytest.mark.parametrize("role", ROLES)
def test_the_board_page_offers_adding_and_ending_members_to_the_areas_keepers_only(
    client, request, role, area, register
):
    """Everyone reads who sits on the board; only its area's keepers see the links that change it."""
    login(client, request, role)
    html = client.get(register["board"].get_absolute_url()).content.decode()
    assert "KSCB Independent Chair: Ann Example" in html
    keeps = PAGE[role] == 200
    add = reverse("register:membership_new", args=[area.slug, register["board"].slug])
    assert (add in html) == keeps
    assert (reverse("register:membership_end", args=[area.slug, register["membership"].pk]) in html) == keeps


def test_an_ended_membership_is_not_sealed_as_a_member(area, register):
    """What a version records of its parties' members leaves out those whose membership has ended."""
    from protocols import frozen
    from tests.factories import PartyFactory, ProtocolFactory, VersionFactory

    board = register["board"]
    services.membership_create(
        user=None, board=board, organisation="Primary Care Trust", end_date=datetime.date(2013, 3, 31)
    )
    version = VersionFactory(protocol=ProtocolFactory(area=area))
    PartyFactory(version=version, board=board, position=0)
    members = [row["member_label"] for row in frozen.build_document(version)["parties"][0]["memberships"]]
    assert members == ["KSCB Independent Chair"]


def test_an_end_before_the_start_is_said_beside_the_date(client, business_manager, area, register):
    client.force_login(business_manager)
    holding = register["holding"]  # from October 2012
    response = client.post(
        reverse("register:holding_end", args=[area.slug, holding.pk]),
        {"end_year": "2011", "revision": record_revision(holding)},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_end_year-error"' in html and "The end date cannot be before the start date." in html
    holding.refresh_from_db()
    assert holding.end_date is None
