"""A draft's glossary is kept in the editor and through the API, through one set of services: terms are
unique within a version, a stale edit is a conflict, a change after approvals withdraws them, and an
agreed version's glossary never changes."""

import datetime

import pytest
from django.urls import reverse

from core.writes import record_revision
from protocols import services
from protocols.models import GlossaryEntry
from tests.api_support import client_for
from tests.factories import BoardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def boards(area):
    return BoardFactory(areas=[area], name="Health and Wellbeing Board"), BoardFactory(areas=[area], name="LSCB")


@pytest.fixture
def draft(business_manager, area, boards):
    protocol = services.protocol_create(
        user=business_manager, area=area, title="Partnership protocol", party_boards=boards
    )
    version = protocol.versions.get()
    section = services.section_create(user=business_manager, version=version, heading="Reporting", number="1")
    services.clause_create(user=business_manager, section=section, text="<p>The LSCB reports each year.</p>")
    return version


def url(version, name, **kwargs):
    return reverse(f"protocols:{name}", kwargs={"slug": version.protocol.slug, **kwargs})


def test_a_term_is_added_changed_and_removed_in_the_editor(client, business_manager, draft):
    client.force_login(business_manager)
    assert "Glossary" in client.get(url(draft, "editor")).content.decode()

    added = client.post(url(draft, "editor_glossary"), {"term": "LSCB", "meaning": "Local Safeguarding Children Board"})
    assert added.status_code == 302
    entry = GlossaryEntry.objects.get(version=draft)
    page = client.get(url(draft, "editor_glossary")).content.decode()
    assert "LSCB" in page and "Local Safeguarding Children Board" in page

    changed = client.post(
        url(draft, "editor_glossary_entry", pk=entry.pk),
        {
            "term": "LSCB",
            "meaning": "Local Safeguarding Children Board (now the partnership)",
            "revision": record_revision(entry),
        },
    )
    assert changed.status_code == 302
    entry.refresh_from_db()
    assert entry.meaning.endswith("(now the partnership)")
    version_page = client.get(reverse("protocols:version_detail", args=[draft.protocol.slug, draft.number]))
    assert "(now the partnership)" in version_page.content.decode()

    removed = client.post(url(draft, "editor_glossary_entry", pk=entry.pk), {"action": "remove"})
    assert removed.status_code == 302 and not GlossaryEntry.objects.exists()


def test_a_term_twice_or_without_a_meaning_is_said_beside_the_field(client, business_manager, draft):
    services.glossary_entry_create(
        user=business_manager, version=draft, term="HWB", meaning="Health and Wellbeing Board"
    )
    client.force_login(business_manager)

    twice = client.post(url(draft, "editor_glossary"), {"term": "hwb", "meaning": "Another meaning"})
    empty = client.post(url(draft, "editor_glossary"), {"term": "CSP", "meaning": ""})

    assert twice.status_code == 400 and "The glossary already explains “hwb”" in twice.content.decode()
    assert empty.status_code == 400 and "Enter what the term means" in empty.content.decode()
    assert list(GlossaryEntry.objects.values_list("term", flat=True)) == ["HWB"]


def test_a_stale_edit_is_a_conflict_and_saves_nothing(client, business_manager, draft):
    entry = services.glossary_entry_create(user=business_manager, version=draft, term="HWB", meaning="Health board")
    opened = record_revision(entry)
    services.glossary_entry_update(user=business_manager, entry=entry, expected_revision=opened, meaning="Theirs")
    client.force_login(business_manager)

    response = client.post(
        url(draft, "editor_glossary_entry", pk=entry.pk), {"term": "HWB", "meaning": "Mine", "revision": opened}
    )

    assert response.status_code == 400
    assert "Someone else changed this entry while you were editing" in response.content.decode()
    assert GlossaryEntry.objects.get().meaning == "Theirs"


def test_changing_the_glossary_after_an_approval_withdraws_it(business_manager, draft):
    services.version_send_for_approval(user=business_manager, version=draft, change_summary="First")
    party = draft.parties.order_by("position").first()
    services.approval_record(
        user=business_manager, party=party, approved_on=datetime.date(2026, 1, 5), signatory_name="Ann Example"
    )
    assert services.live_approval_count(draft) == 1

    services.glossary_entry_create(user=business_manager, version=draft, term="LSCB", meaning="The safeguarding board")

    assert services.live_approval_count(draft) == 0


def test_others_cannot_open_the_glossary_editor(client, board_member, outsider, draft):
    for user in (board_member, outsider):
        client.force_login(user)
        assert client.get(url(draft, "editor_glossary")).status_code in (403, 404)
        client.post(url(draft, "editor_glossary"), {"term": "X", "meaning": "Y"})
    assert not GlossaryEntry.objects.exists()


def test_the_api_keeps_a_drafts_glossary_and_refuses_an_agreed_ones(business_manager, draft, boards):
    api = client_for(business_manager)

    created = api.post(
        "/api/glossary-entries/", {"version": draft.pk, "term": "CT", "meaning": "Children's Trust"}, format="json"
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    listed = api.get("/api/glossary-entries/", {"version": draft.pk}).json()
    assert [item["term"] for item in listed["results"]] == ["CT"]
    patched = api.patch(
        f"/api/glossary-entries/{pk}/", {"meaning": "The Children's Trust"}, format="json", HTTP_IF_MATCH="*"
    )
    assert patched.status_code == 200 and patched.json()["meaning"] == "The Children's Trust"
    duplicate = api.post("/api/glossary-entries/", {"version": draft.pk, "term": "ct", "meaning": "x"}, format="json")
    assert duplicate.status_code == 400 and "term" in duplicate.json()["error"]["fields"]

    services.version_send_for_approval(user=business_manager, version=draft, change_summary="First")
    for party in draft.parties.all():
        services.approval_record(user=business_manager, party=party, approved_on=datetime.date(2026, 1, 5))
    draft.refresh_from_db()
    assert draft.is_agreed
    locked = api.patch(f"/api/glossary-entries/{pk}/", {"meaning": "Changed"}, format="json", HTTP_IF_MATCH="*")
    deleted = api.delete(f"/api/glossary-entries/{pk}/")
    assert locked.status_code == 409 and deleted.status_code == 409
    assert GlossaryEntry.objects.get(pk=pk).meaning == "The Children's Trust"
