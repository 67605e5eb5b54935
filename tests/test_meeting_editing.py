"""Regular meetings a clause states are kept in the editor like its other records: who meets, how often
(or not stated), what for and the standing agenda; a stale save is a conflict; an agreed version's
meetings never change."""

import pytest
from django.urls import reverse

from accountability import services
from accountability.models import AgendaItem, Meeting
from core.exceptions import VersionLocked
from protocols import services as protocol_services
from protocols.models import Clause
from tests.factories import BoardFactory, PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def boards(area):
    return BoardFactory(areas=[area], name="Health and Wellbeing Board"), BoardFactory(areas=[area], name="LSCB")


@pytest.fixture
def draft(business_manager, area, boards):
    protocol = protocol_services.protocol_create(
        user=business_manager, area=area, title="Partnership protocol", party_boards=boards
    )
    version = protocol.versions.get()
    section = protocol_services.section_create(user=business_manager, version=version, heading="Meetings", number="4")
    protocol_services.clause_create(
        user=business_manager, section=section, number="4.1", text="<p>The chairs meet to plan the year.</p>"
    )
    return version


def add_url(draft, clause):
    return reverse(
        "accountability:record_add", kwargs={"slug": draft.protocol.slug, "key": clause.key, "kind": "meeting"}
    )


def test_a_meeting_is_added_from_its_clause_with_how_often_not_stated(client, business_manager, draft, boards, area):
    clause = Clause.objects.get(section__version=draft)
    chair = PostFactory(area=area, title="LSCB Independent Chair")
    client.force_login(business_manager)

    response = client.post(
        add_url(draft, clause),
        {
            "title": "Chairs' meeting",
            "participants": [f"board:{boards[0].pk}", f"post:{chair.pk}"],
            "frequency": "",
            "purpose": "To plan the year",
            "agenda": "Annual report\n\nJoint priorities\n",
        },
    )

    assert response.status_code == 302
    meeting = Meeting.objects.get(source_clause=clause)
    assert (meeting.title, meeting.frequency) == ("Chairs' meeting", "")
    assert list(meeting.participant_boards.all()) == [boards[0]] and list(meeting.participant_posts.all()) == [chair]
    assert [item.text for item in meeting.agenda_items.order_by("position")] == ["Annual report", "Joint priorities"]
    editor = client.get(reverse("protocols:editor", args=[draft.protocol.slug])).content.decode()
    assert "Meeting: Chairs&#x27; meeting (how often not stated)" in editor and "(1 record)" in editor
    page = client.get(reverse("protocols:version_detail", args=[draft.protocol.slug, draft.number])).content.decode()
    assert "Chairs&#x27; meeting" in page and "Not stated in the protocol" in page


def test_a_meeting_needs_two_who_meet_and_a_stale_save_is_a_conflict(client, business_manager, draft, boards):
    clause = Clause.objects.get(section__version=draft)
    client.force_login(business_manager)
    alone = client.post(add_url(draft, clause), {"title": "Board", "participants": [f"board:{boards[0].pk}"]})
    assert alone.status_code == 200 and "Choose at least two boards or posts that meet" in alone.content.decode()
    assert not Meeting.objects.exists()

    meeting = services.meeting_create(
        user=business_manager, version=draft, source_clause=clause, title="Chairs", participants=boards
    )
    opened = meeting.revision
    services.meeting_update(
        user=business_manager, meeting=meeting, expected_revision=opened, frequency="quarterly", agenda=["Risks"]
    )
    edit_url = reverse(
        "accountability:record_edit", kwargs={"slug": draft.protocol.slug, "kind": "meeting", "pk": meeting.pk}
    )
    stale = client.post(
        edit_url,
        {
            "revision": opened,
            "title": "Chairs",
            "participants": [f"board:{b.pk}" for b in boards],
            "frequency": "annual",
        },
    )
    assert "Someone else changed this meeting" in stale.content.decode()
    meeting.refresh_from_db()
    assert meeting.frequency == "quarterly" and [i.text for i in meeting.agenda_items.all()] == ["Risks"]


def test_an_agreed_versions_meetings_never_change(business_manager, draft, boards):
    meeting = services.meeting_create(user=business_manager, version=draft, title="Chairs", participants=boards)
    protocol_services.version_send_for_approval(user=business_manager, version=draft, change_summary="First")
    for party in draft.parties.all():
        protocol_services.approval_record(user=business_manager, party=party, approved_on=None)
    draft.refresh_from_db()
    assert draft.is_agreed

    with pytest.raises(VersionLocked):
        services.meeting_update(user=business_manager, meeting=meeting, expected_revision=None, agenda=["New"])
    with pytest.raises(VersionLocked):
        services.meeting_delete(user=business_manager, meeting=meeting)
    assert not AgendaItem.objects.exists() and Meeting.objects.filter(pk=meeting.pk).exists()


def test_the_api_writes_meetings_through_the_same_services(business_manager, draft, boards, area):
    from tests.api_support import client_for

    api = client_for(business_manager)
    chair = PostFactory(area=area, title="LSCB Independent Chair")
    created = api.post(
        "/api/meetings/",
        {
            "version": draft.pk,
            "title": "Chairs' meeting",
            "participant_boards": [boards[0].pk],
            "participant_posts": [chair.pk],
            "agenda": ["Annual report"],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["frequency"], body["participant_posts"]) == (None, [chair.pk])  # not stated: null
    assert [item["text"] for item in body["agenda_items"]] == ["Annual report"]

    patched = api.patch(
        f"/api/meetings/{body['id']}/",
        {"participant_boards": [boards[1].pk], "frequency": "quarterly"},
        format="json",
        HTTP_IF_MATCH="*",
    )
    assert patched.status_code == 200, patched.json()
    assert (patched.json()["participant_boards"], patched.json()["participant_posts"]) == ([boards[1].pk], [chair.pk])
    alone = api.patch(
        f"/api/meetings/{body['id']}/",
        {"participant_boards": [], "participant_posts": [chair.pk]},
        format="json",
        HTTP_IF_MATCH="*",
    )
    assert alone.status_code == 400 and "participants" in alone.json()["error"]["fields"]
    assert api.delete(f"/api/meetings/{body['id']}/").status_code == 204
    assert not Meeting.objects.exists()
