"""Post holdings, meetings, priorities and obligation fulfilments in the API: who reads and writes them."""

# ruff: noqa: F403, F405
import datetime
import itertools

import pytest
from django.test import Client
from django.urls import reverse

from accountability.models import AgendaItem, Meeting, ObligationFulfilment, Priority, PriorityLead
from boards.models import PostHolding
from core.models import AuditRecord
from core.writes import record_revision
from tests.api_support import *
from tests.factories import BoardFactory, ObligationFactory, PersonFactory, PostFactory, VersionFactory

pytestmark = pytest.mark.django_db

# The area's business manager and administrators keep Knowsley's posts; the outsider keeps Slough's.
CREATES = {"anonymous": 401, "outsider": 403, "board_member": 403, "business_manager": 201, "administrator": 201}
CHANGES = {**CREATES, "business_manager": 200, "administrator": 200}
SEES_DRAFTS = {"anonymous": False, "outsider": False, "board_member": True, "business_manager": True}
SEES_DRAFTS["administrator"] = True
TODAY = datetime.date.today()


def ids(response):
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}


def fields_of(response):
    assert response.status_code == 400, response.content
    return response.json()["error"]["fields"]


@pytest.fixture
def dph(area):
    return PostFactory(title="Knowsley Director of Public Health", area=area)


@pytest.fixture
def holding(dph):
    return PostHolding.objects.create(
        person=PersonFactory(name="Dr Ann Lee"), post=dph, start_date=TODAY.replace(day=1)
    )


def meeting_of(version, board, post, title="Chair and DCS meeting"):
    meeting = Meeting.objects.create(version=version, title=title, frequency="quarterly")
    meeting.participant_boards.add(board)
    meeting.participant_posts.add(post)
    AgendaItem.objects.create(meeting=meeting, text="Performance data", position=1)
    AgendaItem.objects.create(meeting=meeting, text="Serious case reviews", position=0)
    return meeting


def priority_of(version, board, title="Early help"):
    priority = Priority.objects.create(version=version, number="Priority 1", title=title)
    PriorityLead.objects.create(priority=priority, board=board, role="plan and monitor", position=0)
    PriorityLead.objects.create(priority=priority, lead_label="Individual partners", role="deliver", position=1)
    return priority


# Post holdings


@pytest.mark.parametrize("role", ROLES)
def test_adding_a_holding_is_for_whoever_keeps_the_post(role, as_role, dph, area):
    """Knowsley's manager and administrators say who holds a Knowsley post; the change is in the area's history."""
    person = PersonFactory(name="Dr Ann Lee")
    body = {"person": person.pk, "post": dph.pk, "start_date": "2015-06-01", "note": "Interim"}
    response = as_role(role).post("/api/post-holdings/", body, format="json")
    assert response.status_code == CREATES[role], response.content
    assert PostHolding.objects.filter(post=dph).exists() == (CREATES[role] == 201)
    if CREATES[role] == 201:
        made = PostHolding.objects.get(post=dph)
        assert response.json()["start_date"] == "2015-06-01"
        assert response["ETag"] == f'W/"{record_revision(made)}"'
        change = AuditRecord.objects.get(object_type="boards.PostHolding", object_id=str(made.pk))
        assert change.action == AuditRecord.Action.CREATE
        assert change.after["person"] == {"id": person.pk, "label": "Dr Ann Lee"}
        assert change.area_ids == [area.pk]
    else:
        assert not AuditRecord.objects.filter(object_type="boards.PostHolding").exists()


@pytest.mark.parametrize("role", ROLES)
def test_changing_a_holding_is_for_whoever_keeps_the_post(role, as_role, holding):
    """Everyone reads a holding; only the post's keepers end it."""
    url = f"/api/post-holdings/{holding.pk}/"
    client = as_role(role)
    tag = client.get(url)["ETag"]
    response = client.patch(url, {"end_date": "2030-01-31"}, format="json", HTTP_IF_MATCH=tag)
    assert response.status_code == CHANGES[role], response.content
    holding.refresh_from_db()
    assert (holding.end_date == datetime.date(2030, 1, 31)) == (CHANGES[role] == 200)


def test_holding_change_needs_the_current_etag_and_is_audited(business_manager, administrator, holding, area):
    """No If-Match is 428; a stale one is 412 with the holding as it is now; each change is audited."""
    manager, admin = client_for(business_manager), client_for(administrator)
    url = f"/api/post-holdings/{holding.pk}/"
    tag = manager.get(url)["ETag"]
    assert manager.patch(url, {"note": "Blind"}, format="json").status_code == 428
    first = admin.patch(url, {"note": "Acting up"}, format="json", HTTP_IF_MATCH=tag)
    assert first.status_code == 200, first.content
    assert first["ETag"] != tag
    stale = manager.patch(url, {"note": "Substantive"}, format="json", HTTP_IF_MATCH=tag)
    assert stale.status_code == 412
    assert stale.json()["error"]["current"]["note"] == "Acting up"
    holding.refresh_from_db()
    assert holding.note == "Acting up"
    change = AuditRecord.objects.get(object_type="boards.PostHolding", action=AuditRecord.Action.UPDATE)
    assert (change.before, change.after, change.user) == ({"note": ""}, {"note": "Acting up"}, administrator)
    assert change.area_ids == [area.pk]
    # The area's history names the kind of record as people say it, with the field's label.
    browser = Client()
    browser.force_login(business_manager)
    page = browser.get(f"/areas/{area.slug}/register-history/").content.decode()
    assert "Changed post holding" in page and "postholding" not in page


def test_deleting_a_holding_honours_if_match_and_leaves_an_audit_entry(business_manager, holding, area):
    """A stale tag refuses the delete; the current one removes the holding and records what it was."""
    manager = client_for(business_manager)
    url = f"/api/post-holdings/{holding.pk}/"
    assert manager.delete(url, HTTP_IF_MATCH='W/"1"').status_code == 412
    assert manager.delete(url, HTTP_IF_MATCH=manager.get(url)["ETag"]).status_code == 204
    assert not PostHolding.objects.filter(pk=holding.pk).exists()
    entry = AuditRecord.objects.get(object_type="boards.PostHolding", action=AuditRecord.Action.DELETE)
    assert int(entry.object_id) == holding.pk
    assert entry.before["person"]["label"] == "Dr Ann Lee"
    assert entry.user == business_manager
    assert entry.area_ids == [area.pk]


def test_holding_rules_answer_by_field(administrator, business_manager, holding, dph, other_area):
    """End before start, a month-precise date not on the 1st, and a move to a post kept by others are refused."""
    admin = client_for(administrator)
    url = f"/api/post-holdings/{holding.pk}/"
    backwards = admin.patch(url, {"end_date": "2000-01-01"}, format="json", HTTP_IF_MATCH="*")
    assert "end_date" in fields_of(backwards)
    body = {"person": holding.person_id, "post": dph.pk, "start_date": "2015-06-15", "start_precision": "month"}
    assert "start_date" in fields_of(admin.post("/api/post-holdings/", body, format="json"))
    slough_post = PostFactory(title="Slough DCS", area=other_area)
    moved = client_for(business_manager).patch(url, {"post": slough_post.pk}, format="json", HTTP_IF_MATCH="*")
    assert moved.status_code == 403
    holding.refresh_from_db()
    assert (holding.post_id, holding.end_date) == (dph.pk, None)
    assert PostHolding.objects.count() == 1


def test_a_holding_moved_to_another_area_stays_in_both_histories(administrator, holding, area, other_area):
    """An administrator moves a holding to a Slough post: both areas' register history show the move."""
    slough_post = PostFactory(title="Slough DPH", area=other_area)
    url = f"/api/post-holdings/{holding.pk}/"
    moved = client_for(administrator).patch(url, {"post": slough_post.pk}, format="json", HTTP_IF_MATCH="*")
    assert moved.status_code == 200, moved.content
    change = AuditRecord.objects.get(object_type="boards.PostHolding", action=AuditRecord.Action.UPDATE)
    assert change.after == {"post": {"id": slough_post.pk, "label": "Slough DPH"}}
    assert set(change.area_ids) == {area.pk, other_area.pk}


def test_holdings_filter_by_post_person_area_and_current(holding, dph, area, other_area):
    """current=true is who holds a post today; false the ones that ended or have not begun."""
    past = PostHolding.objects.create(
        person=PersonFactory(name="Dr Old"),
        post=dph,
        start_date=datetime.date(2010, 1, 1),
        end_date=datetime.date(2014, 12, 31),
    )
    elsewhere = PostHolding.objects.create(person=PersonFactory(), post=PostFactory(area=other_area))
    client = client_for(None)
    assert ids(client.get("/api/post-holdings/")) == {holding.pk, past.pk, elsewhere.pk}
    assert ids(client.get("/api/post-holdings/", {"current": "true", "area": area.slug})) == {holding.pk}
    assert ids(client.get("/api/post-holdings/", {"current": "false"})) == {past.pk}
    assert ids(client.get("/api/post-holdings/", {"post": dph.pk})) == {holding.pk, past.pk}
    assert ids(client.get("/api/post-holdings/", {"person": past.person_id})) == {past.pk}
    assert ids(client.get("/api/post-holdings/", {"area": other_area.pk})) == {elsewhere.pk}


# Meetings and priorities


@pytest.mark.parametrize("role", ROLES)
def test_meetings_of_drafts_are_hidden_from_the_public(role, as_role, knowsley, dph):
    """An agreed version's meeting is public with its participants and agenda; a draft's only for its readers."""
    agreed = meeting_of(knowsley.agreed, knowsley.board, dph)
    draft = meeting_of(knowsley.draft, knowsley.hwb, dph, title="Draft meeting")
    client = as_role(role)
    expected = {agreed.pk, draft.pk} if SEES_DRAFTS[role] else {agreed.pk}
    assert ids(client.get("/api/meetings/")) == expected
    assert ids(client.get("/api/meetings/", {"version": knowsley.draft.pk})) == expected - {agreed.pk}
    assert client.get(f"/api/meetings/{draft.pk}/").status_code == (200 if SEES_DRAFTS[role] else 404)
    body = client.get(f"/api/meetings/{agreed.pk}/").json()
    assert body["participant_boards"] == [knowsley.board.pk]
    assert body["participant_posts"] == [dph.pk]
    assert [item["text"] for item in body["agenda_items"]] == ["Serious case reviews", "Performance data"]


def test_meetings_filter_by_area_and_board(knowsley, dph, other_area):
    """A Slough meeting is not among Knowsley's; the board filter finds meetings a board attends."""
    mine = meeting_of(knowsley.agreed, knowsley.board, dph)
    slough = meeting_of(VersionFactory(status="agreed", protocol__area=other_area), BoardFactory(), PostFactory())
    client = client_for(None)
    assert ids(client.get("/api/meetings/", {"area": knowsley.protocol.area.slug})) == {mine.pk}
    assert ids(client.get("/api/meetings/", {"area": other_area.slug})) == {slough.pk}
    assert ids(client.get("/api/meetings/", {"board": knowsley.board.slug})) == {mine.pk}


@pytest.mark.parametrize("role", ROLES)
def test_priorities_show_their_leads_and_follow_their_version(role, as_role, knowsley):
    """A priority lists who leads and how, in order; a draft's priorities only for those who read drafts."""
    agreed = priority_of(knowsley.agreed, knowsley.board)
    draft = priority_of(knowsley.draft, knowsley.hwb, title="Neglect")
    client = as_role(role)
    assert ids(client.get("/api/priorities/")) == ({agreed.pk, draft.pk} if SEES_DRAFTS[role] else {agreed.pk})
    assert client.get(f"/api/priorities/{draft.pk}/").status_code == (200 if SEES_DRAFTS[role] else 404)
    leads = client.get(f"/api/priorities/{agreed.pk}/").json()["leads"]
    assert [(lead["board"], lead["lead_label"], lead["role"]) for lead in leads] == [
        (knowsley.board.pk, "", "plan and monitor"),
        (None, "Individual partners", "deliver"),
    ]
    assert ids(client.get("/api/priorities/", {"board": knowsley.board.slug})) == {agreed.pk}


def test_meetings_are_written_with_their_draft_and_priorities_are_read_only(administrator, knowsley, dph):
    """Meetings are written like the other records a draft states (tests/test_meeting_editing.py); priorities
    are read here only."""
    meeting = meeting_of(knowsley.draft, knowsley.board, dph)
    admin = client_for(administrator)
    assert admin.post("/api/meetings/", {"title": "X"}, format="json").status_code == 400  # no version named
    assert admin.delete(f"/api/meetings/{meeting.pk}/").status_code == 204
    assert admin.patch("/api/priorities/1/", {}, format="json").status_code == 405


# Obligation fulfilments


@pytest.fixture
def agreed_obligation(knowsley):
    """An annual obligation of the agreed version, due September to November."""
    return ObligationFactory(version=knowsley.agreed, senders=[knowsley.board], title="Annual report to the HWB")


def last_window_start():
    year = TODAY.year if datetime.date(TODAY.year, 9, 1) <= TODAY else TODAY.year - 1
    return datetime.date(year, 9, 1)


@pytest.mark.parametrize("role", ROLES)
def test_recording_a_fulfilment_is_for_whoever_edits_the_protocol(role, as_role, agreed_obligation):
    """As in the browser: the protocol's business manager and administrators; agreed versions take it too."""
    body = {"obligation": agreed_obligation.pk, "period_start": str(last_window_start()), "met_on": str(TODAY)}
    response = as_role(role).post("/api/obligation-fulfilments/", body, format="json")
    assert response.status_code == CREATES[role], response.content
    recorded = ObligationFulfilment.objects.filter(obligation=agreed_obligation)
    assert recorded.exists() == (CREATES[role] == 201)
    if CREATES[role] == 201:
        assert response.json()["period_start"] == str(last_window_start())
        event = AuditRecord.objects.get(action=AuditRecord.Action.CREATE, version_id=agreed_obligation.version_id)
        assert "as met" in event.message


@pytest.mark.parametrize("role", ["outsider", "board_member", "business_manager", "administrator"])
def test_the_api_and_the_browser_agree_on_who_records_a_fulfilment(role, request, agreed_obligation):
    """Whoever the browser's form lets in may POST here, and nobody else."""
    user = request.getfixturevalue(role)
    browser = Client()
    browser.force_login(user)
    page = browser.get(reverse("accountability:obligation_fulfilment", args=[agreed_obligation.pk]))
    body = {"obligation": agreed_obligation.pk, "period_start": str(last_window_start()), "met_on": str(TODAY)}
    api = client_for(user).post("/api/obligation-fulfilments/", body, format="json")
    assert (page.status_code, api.status_code) in {(200, 201), (403, 403)}
    assert (api.status_code == 201) == (role in {"business_manager", "administrator"})


def test_a_draft_obligation_is_unknown_to_those_who_cannot_read_it(outsider, knowsley):
    """The outsider cannot see the draft's obligation, so its id names nothing: 400 on the field."""
    body = {"obligation": knowsley.obligation.pk, "period_start": str(last_window_start()), "met_on": str(TODAY)}
    assert "obligation" in fields_of(client_for(outsider).post("/api/obligation-fulfilments/", body, format="json"))


def test_fulfilment_rules_come_from_the_service(business_manager, agreed_obligation):
    """A day that starts no window, a future day and a second record of one period are refused by field."""
    manager = client_for(business_manager)
    url = "/api/obligation-fulfilments/"
    start = str(last_window_start())
    wrong = manager.post(
        url, {"obligation": agreed_obligation.pk, "period_start": "2020-02-01", "met_on": str(TODAY)}, format="json"
    )
    assert "period_start" in fields_of(wrong)
    future = str(TODAY + datetime.timedelta(days=30))
    assert "met_on" in fields_of(
        manager.post(url, {"obligation": agreed_obligation.pk, "period_start": start, "met_on": future}, format="json")
    )
    assert "met_on" in fields_of(
        manager.post(url, {"obligation": agreed_obligation.pk, "met_on": "0001-01-01"}, format="json")
    )
    body = {"obligation": agreed_obligation.pk, "period_start": start, "met_on": str(TODAY)}
    assert manager.post(url, body, format="json").status_code == 201
    assert "period_start" in fields_of(manager.post(url, body, format="json"))
    assert ObligationFulfilment.objects.count() == 1


@pytest.mark.parametrize("role", ROLES)
def test_fulfilments_of_draft_obligations_are_listed_only_for_draft_readers(role, as_role, knowsley, agreed_obligation):
    """A fulfilment follows its obligation's version; the version filter narrows to one."""
    public = ObligationFulfilment.objects.create(
        obligation=agreed_obligation, period_start=datetime.date(2020, 9, 1), met_on=datetime.date(2020, 10, 1)
    )
    draft = ObligationFulfilment.objects.create(
        obligation=knowsley.obligation, period_start=datetime.date(2020, 9, 1), met_on=datetime.date(2020, 10, 1)
    )
    client = as_role(role)
    assert ids(client.get("/api/obligation-fulfilments/")) == (
        {public.pk, draft.pk} if SEES_DRAFTS[role] else {public.pk}
    )
    assert ids(client.get("/api/obligation-fulfilments/", {"version": knowsley.agreed.pk})) == {public.pk}
    assert client.get(f"/api/obligation-fulfilments/{draft.pk}/").status_code == (200 if SEES_DRAFTS[role] else 404)


# Query counts

counter = itertools.count()


def grow(area):
    """One more agreed version with a meeting, a priority, a met obligation, and a post with two holders."""
    n = next(counter)
    boards = [BoardFactory(areas=[area]), BoardFactory(areas=[area])]
    post = PostFactory(area=area, board=boards[0])
    PostHolding.objects.create(person=PersonFactory(), post=post, end_date=datetime.date(2014, 1, 1))
    PostHolding.objects.create(person=PersonFactory(), post=post, start_date=datetime.date(2014, 1, 2))
    version = VersionFactory(status="agreed", protocol__area=area)
    meeting_of(version, boards[0], post, title=f"Meeting {n}")
    meeting_of(version, boards[1], post, title=f"Meeting {n}b")
    priority_of(version, boards[0])
    obligation = ObligationFactory(version=version, senders=[boards[0]])
    for year in (2020, 2021):
        ObligationFulfilment.objects.create(
            obligation=obligation, period_start=datetime.date(year, 9, 1), met_on=datetime.date(year, 10, 1)
        )


# For an administrator with a token: the token with its user, the change counter (reads are cached by it),
# the page count and the page, then one query per prefetched relation.
EXPECTED = {
    "/api/post-holdings/": 2 + 2,
    "/api/meetings/": 2 + 5,  # + participant boards, participant posts, agenda items
    "/api/priorities/": 2 + 3,  # + leads
    "/api/obligation-fulfilments/": 2 + 2,
}


@pytest.mark.parametrize("url", list(EXPECTED))
def test_new_lists_read_in_a_fixed_number_of_queries(url, administrator, area):
    """The count is the pinned one with one version's records and with four."""
    client = client_for(administrator)
    grow(area)
    small, small_rows = count_queries(client, url)
    for _ in range(3):
        grow(area)
    large, large_rows = count_queries(client, url)
    assert large_rows > small_rows
    assert (small, large) == (EXPECTED[url], EXPECTED[url])


@pytest.mark.parametrize("url", ["/api/meetings/", "/api/priorities/", "/api/obligation-fulfilments/"])
def test_version_bound_lists_stay_flat_for_a_scoped_reader(url, business_manager, area):
    """Where drafts are filtered, a business manager costs one more query (their roles), at any size."""
    grow(area)
    small, _ = count_queries(client_for(business_manager), url)
    grow(area)
    large, _ = count_queries(client_for(business_manager), url)
    assert small == large == EXPECTED[url] + 1
