"""The register's audit trail, the area's history page, and whose people a business manager may change."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from boards import services
from boards.models import Board, Person, PostHolding
from core.models import AuditRecord
from tests.api_support import client_for
from tests.factories import BoardFactory, MembershipFactory, PersonFactory, PostFactory

pytestmark = pytest.mark.django_db

Action = AuditRecord.Action


@pytest.fixture
def manager_client(business_manager):
    return client_for(business_manager)


@pytest.fixture
def slough_client(outsider):
    """Slough's business manager."""
    return client_for(outsider)


@pytest.fixture
def as_role_clients(request):
    """A token client for the persona of that name."""
    return lambda role: client_for(request.getfixturevalue(role))


@pytest.fixture
def kscb(area):
    return BoardFactory(name="Knowsley Safeguarding Children Board", short_name="KSCB", slug="kscb", areas=[area])


def etag_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response["ETag"]


def newest():
    return AuditRecord.objects.order_by("-id").first()


def area_ids(entry):
    return entry.area_ids


def hold(person, post, **dates):
    return PostHolding.objects.create(person=person, post=post, **dates)


# Each API write records one entry -----------------------------------------------------------------------


def test_creating_and_changing_a_board_records_who_and_what(manager_client, business_manager, area):
    """A create records every value it was given; a change records the changed fields before and after."""
    body = {"name": "Knowsley Community Safety Partnership", "kind": "csp", "areas": [area.slug]}
    created = manager_client.post("/api/boards/", body, format="json")
    assert created.status_code == 201, created.content
    entry = AuditRecord.objects.get()
    assert (entry.user, entry.action, entry.object_type) == (business_manager, Action.CREATE, "boards.Board")
    assert int(entry.object_id) == created.json()["id"]
    assert entry.object_repr == body["name"]
    assert entry.before is None
    assert entry.after["name"] == body["name"]
    assert entry.after["kind"] == "csp"
    assert entry.after["areas"] == [{"id": area.pk, "label": "Knowsley"}]
    assert area_ids(entry) == [area.pk]

    url = f"/api/boards/{int(entry.object_id)}/"
    changed = manager_client.patch(url, {"short_name": "KCSP"}, format="json", HTTP_IF_MATCH=created["ETag"])
    assert changed.status_code == 200, changed.content
    assert AuditRecord.objects.count() == 2
    entry = newest()
    assert (entry.user, entry.action) == (business_manager, Action.UPDATE)
    assert entry.before == {"short_name": ""}
    assert entry.after == {"short_name": "KCSP"}
    assert area_ids(entry) == [area.pk]


def test_creating_and_changing_a_post_records_its_area(manager_client, business_manager, area):
    """A post's entry names its area by id and label, and concerns that area."""
    created = manager_client.post(
        "/api/posts/", {"title": "Knowsley DPH", "kind": "dph", "area": area.pk}, format="json"
    )
    assert created.status_code == 201, created.content
    entry = AuditRecord.objects.get()
    assert (entry.user, entry.action, entry.object_type) == (business_manager, Action.CREATE, "boards.Post")
    assert entry.after["area"] == {"id": area.pk, "label": "Knowsley"}
    assert entry.after["title"] == "Knowsley DPH"

    url = f"/api/posts/{int(entry.object_id)}/"
    changed = manager_client.patch(
        url, {"title": "Knowsley Director of Public Health"}, format="json", HTTP_IF_MATCH=created["ETag"]
    )
    assert changed.status_code == 200, changed.content
    entry = newest()
    assert (entry.user, entry.action, entry.object_type) == (business_manager, Action.UPDATE, "boards.Post")
    assert entry.before == {"title": "Knowsley DPH"}
    assert entry.after == {"title": "Knowsley Director of Public Health"}
    assert area_ids(entry) == [area.pk]
    assert AuditRecord.objects.count() == 2


def test_creating_and_changing_a_person_records_the_areas_of_their_posts(manager_client, business_manager, area):
    """A new person is the area's whose register added them (the one Knowsley's manager keeps); once they hold
    a Knowsley post, a change to them is Knowsley's through that post too."""
    created = manager_client.post("/api/people/", {"name": "Jane Smith"}, format="json")
    assert created.status_code == 201, created.content
    entry = AuditRecord.objects.get()
    assert (entry.user, entry.action, entry.object_type) == (business_manager, Action.CREATE, "boards.Person")
    assert entry.after == {
        "name": "Jane Smith",
        "honorific": "",
        "notes": "",
        "added_in": {"id": area.pk, "label": "Knowsley"},
    }
    assert area_ids(entry) == [area.pk]

    person = Person.objects.get(pk=int(entry.object_id))
    hold(person, PostFactory(title="Knowsley DCS", area=area))
    url = f"/api/people/{person.pk}/"
    changed = manager_client.patch(url, {"honorific": "Dr"}, format="json", HTTP_IF_MATCH=etag_of(manager_client, url))
    assert changed.status_code == 200, changed.content
    entry = newest()
    assert (entry.user, entry.action, entry.object_repr) == (business_manager, Action.UPDATE, "Dr Jane Smith")
    assert entry.before == {"honorific": ""}
    assert entry.after == {"honorific": "Dr"}
    assert area_ids(entry) == [area.pk]
    assert AuditRecord.objects.count() == 2


def test_creating_changing_and_deleting_a_membership(manager_client, business_manager, area, kscb):
    """Three writes, three entries; the delete keeps the values the membership had and its board's area."""
    created = manager_client.post(
        "/api/memberships/", {"board": kscb.pk, "organisation": "Merseyside Police"}, format="json"
    )
    assert created.status_code == 201, created.content
    entry = AuditRecord.objects.get()
    assert (entry.user, entry.action, entry.object_type) == (business_manager, Action.CREATE, "boards.Membership")
    assert entry.after["board"] == {"id": kscb.pk, "label": kscb.name}
    assert entry.after["organisation"] == "Merseyside Police"
    assert area_ids(entry) == [area.pk]

    url = f"/api/memberships/{int(entry.object_id)}/"
    changed = manager_client.patch(url, {"capacity": "chair"}, format="json", HTTP_IF_MATCH=created["ETag"])
    assert changed.status_code == 200, changed.content
    entry = newest()
    assert (entry.action, entry.before, entry.after) == (Action.UPDATE, {"capacity": "member"}, {"capacity": "chair"})

    deleted = manager_client.delete(url, HTTP_IF_MATCH=changed["ETag"])
    assert deleted.status_code == 204
    entry = newest()
    assert (entry.user, entry.action, entry.after) == (business_manager, Action.DELETE, None)
    assert int(entry.object_id) == created.json()["id"]
    assert entry.before["capacity"] == "chair"
    assert entry.before["organisation"] == "Merseyside Police"
    assert area_ids(entry) == [area.pk]
    assert AuditRecord.objects.count() == 3


def test_refused_stale_and_empty_writes_record_nothing(manager_client, slough_client, kscb):
    """Only a change that happened is recorded: not a 403, not a 412, not a PATCH that changes nothing."""
    url = f"/api/boards/{kscb.pk}/"
    assert slough_client.patch(url, {"name": "X"}, format="json", HTTP_IF_MATCH='W/"1"').status_code == 403
    assert manager_client.patch(url, {"name": "X"}, format="json", HTTP_IF_MATCH='W/"7"').status_code == 412
    same = manager_client.patch(url, {"short_name": "KSCB"}, format="json", HTTP_IF_MATCH='W/"1"')
    assert same.status_code == 200, same.content
    assert not AuditRecord.objects.exists()


def test_the_change_and_its_entry_are_saved_together(business_manager, area, monkeypatch):
    """When the entry cannot be written, the change it describes is not kept either."""

    def broken(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(AuditRecord.objects, "create", broken)
    with pytest.raises(RuntimeError):
        services.board_create(user=business_manager, name="Knowsley CSP", kind="csp", areas=[area])
    assert not Board.objects.filter(name="Knowsley CSP").exists()


def test_a_board_moved_between_areas_stays_in_both_histories(administrator, area, other_area, kscb):
    """The area a board leaves still sees that it left."""
    services.board_update(user=administrator, board=kscb, expected_revision=None, areas=[other_area])
    entry = newest()
    assert entry.before == {"areas": [{"id": area.pk, "label": "Knowsley"}]}
    assert entry.after == {"areas": [{"id": other_area.pk, "label": "Slough"}]}
    assert area_ids(entry) == sorted([area.pk, other_area.pk])


def test_commands_record_no_user(area):
    """Writes made by no person (the demo loader, a command) are recorded with an empty user."""
    services.post_create(user=None, title="Knowsley DCS", kind="dcs", area=area)
    assert newest().user is None


# The history page ------------------------------------------------------------------------------------------------


def history_url(area):
    return f"/areas/{area.slug}/register-history/"


def test_the_areas_manager_reads_its_history_newest_first(client, business_manager, area, other_area, kscb):
    """Knowsley's manager sees Knowsley's changes, newest first, with who made them; not Slough's."""
    services.post_create(user=business_manager, title="Knowsley DCS", kind="dcs", area=area)
    services.board_update(user=business_manager, board=kscb, expected_revision=1, short_name="KSCP")
    services.post_create(user=None, title="Slough DCS", kind="dcs", area=other_area)
    client.force_login(business_manager)
    response = client.get(history_url(area))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Knowsley Safeguarding Children Board") < html.index("Knowsley DCS")
    assert "KSCP" in html
    assert html.count('<td class="govuk-table__cell">manager</td>') == 2
    assert "Slough DCS" not in html
    assert list(response.context["page"]) == list(AuditRecord.objects.for_area(area.pk).order_by("-id"))


def test_the_area_page_links_to_the_history_only_for_its_keepers(client, business_manager, board_member, area):
    """The link is shown to the area's manager, not to a board member or a reader who is not signed in."""
    link = history_url(area)
    assert link not in client.get(area.get_absolute_url()).content.decode()
    client.force_login(board_member)
    assert link not in client.get(area.get_absolute_url()).content.decode()
    client.force_login(business_manager)
    assert link in client.get(area.get_absolute_url()).content.decode()


@pytest.mark.parametrize("persona", ["board_member", "outsider"])
def test_board_members_and_other_areas_managers_are_refused(client, request, persona, area):
    """A board member of Knowsley and Slough's manager get 403."""
    client.force_login(request.getfixturevalue(persona))
    assert client.get(history_url(area)).status_code == 403


def test_anonymous_readers_are_sent_to_sign_in(client, area):
    """Not signed in: the sign-in page, which brings them back here."""
    response = client.get(history_url(area))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_administrator_reads_any_areas_history(client, administrator, other_area):
    """Administrators keep the whole register, so read every area's history."""
    client.force_login(administrator)
    assert client.get(history_url(other_area)).status_code == 200


def _fill_history(user, area, count):
    for n in range(count):
        services.post_create(user=user, title=f"Knowsley post {n}", kind="other", area=area)


def test_history_page_query_count_is_pinned_and_does_not_grow(client, business_manager, administrator, area):
    """Six queries whatever the number of entries or who made them: the session, the user, the area, the
    user's roles, the count for the pages, and one page of entries with their users joined in."""
    client.force_login(business_manager)
    _fill_history(business_manager, area, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(history_url(area)).status_code == 200
    _fill_history(administrator, area, 60)
    _fill_history(None, area, 5)
    with CaptureQueriesContext(connection) as many:
        response = client.get(history_url(area))
    assert response.status_code == 200
    assert response.context["page"].paginator.num_pages == 2
    assert len(few) == len(many) == 6, [q["sql"] for q in many.captured_queries]


# Whose people a business manager may change ------------------------------------------------------------------------


def test_a_slough_manager_cannot_change_someone_who_holds_only_knowsley_posts(slough_client, area):
    """403 in the API's error shape, with the reason; the person is unchanged and nothing is recorded."""
    person = PersonFactory(name="Jane Smith")
    hold(person, PostFactory(title="Knowsley DCS", area=area))
    url = f"/api/people/{person.pk}/"
    response = slough_client.patch(url, {"name": "J. Smith"}, format="json", HTTP_IF_MATCH=etag_of(slough_client, url))
    assert response.status_code == 403
    error = response.json()["error"]
    assert (error["status"], error["code"]) == (403, "permission_denied")
    assert "areas you do not keep" in error["message"]
    person.refresh_from_db()
    assert person.name == "Jane Smith"
    assert not AuditRecord.objects.exists()


def test_a_slough_manager_changes_someone_they_just_added(slough_client, outsider):
    """Someone no post holding names yet may be corrected by the manager who added them."""
    created = slough_client.post("/api/people/", {"name": "Sam Patel"}, format="json")
    assert created.status_code == 201, created.content
    url = f"/api/people/{created.json()['id']}/"
    response = slough_client.patch(url, {"honorific": "Councillor"}, format="json", HTTP_IF_MATCH=created["ETag"])
    assert response.status_code == 200, response.content
    assert newest().user == outsider


def test_a_manager_changes_someone_who_held_one_of_their_posts(slough_client, area, other_area):
    """A past Slough holding is enough, and so is a post that belongs to a Slough board."""
    former = PersonFactory(name="Former Slough DCS")
    hold(former, PostFactory(area=other_area), start_date=datetime.date(2010, 1, 1), end_date=datetime.date(2012, 1, 1))
    hold(former, PostFactory(area=area))
    chair = PersonFactory(name="Slough board chair")
    hold(chair, PostFactory(title="Chair", board=BoardFactory(areas=[other_area])))
    for person in (former, chair):
        url = f"/api/people/{person.pk}/"
        response = slough_client.patch(url, {"notes": "Checked."}, format="json", HTTP_IF_MATCH="*")
        assert response.status_code == 200, response.content


def test_administrators_change_anyone_and_board_members_no_one(as_role_clients, area):
    """The rule's two ends: an administrator changes anyone, a board member no one."""
    person = PersonFactory(name="Jane Smith")
    hold(person, PostFactory(area=area))
    url = f"/api/people/{person.pk}/"
    for role, expected in (("board_member", 403), ("administrator", 200)):
        response = as_role_clients(role).patch(url, {"notes": role}, format="json", HTTP_IF_MATCH="*")
        assert response.status_code == expected, response.content


def test_memberships_follow_their_board_for_history(business_manager, area, kscb):
    """A membership changed through the service is Knowsley's because its board is."""
    membership = MembershipFactory(board=kscb, post=PostFactory(area=None))
    services.membership_update(user=business_manager, membership=membership, expected_revision=None, note="Vice")
    assert area_ids(newest()) == [area.pk]


def test_the_history_reads_fields_by_their_labels(business_manager, kscb):
    """Field names, choices and related records read as people write them; a deleted record lists only
    the values it had."""
    membership = services.membership_create(
        user=business_manager, board=kscb, organisation="Merseyside Fire and Rescue", capacity="attendee"
    )
    services.membership_delete(user=business_manager, membership=membership)
    rows = {row["field"]: (row["before"], row["after"]) for row in newest().field_changes()}
    assert rows == {
        "Board": (kscb.name, None),
        "Organisation": ("Merseyside Fire and Rescue", None),
        "Capacity": ("Attends when appropriate", None),
    }
