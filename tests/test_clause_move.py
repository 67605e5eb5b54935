"""Moving a clause into another section: the keyboard/no-script page, and the drag-and-drop endpoint."""

import pytest

from core.models import AuditRecord
from protocols import services
from protocols.models import Clause
from tests.factories import BoardFactory


@pytest.fixture
def draft(business_manager, area):
    protocol = services.protocol_create(
        user=business_manager, area=area, title="Partnership protocol", party_boards=[BoardFactory(areas=[area])]
    )
    version = protocol.versions.get()
    version.auto_numbering = False
    version.save(update_fields=["auto_numbering"])
    first = services.section_create(user=business_manager, version=version, heading="Reporting", number="3")
    second = services.section_create(user=business_manager, version=version, heading="Scrutiny", number="4")
    parent = services.clause_create(user=business_manager, section=first, text="<p>Annual report.</p>", number="3.1")
    services.clause_create(user=business_manager, section=first, text="<p>Its timing.</p>", number="(a)", parent=parent)
    services.clause_create(user=business_manager, section=first, text="<p>Stays here.</p>", number="3.2")
    services.clause_create(user=business_manager, section=second, text="<p>Scrutiny one.</p>", number="4.1")
    return version


def texts(section):
    return [c.plain_text for c in section.clauses.filter(parent=None).order_by("position")]


def move_url(version, clause):
    return f"/protocols/{version.protocol.slug}/edit/clauses/{clause.key}/move-to-section/"


def test_page_moves_a_clause_and_its_sub_clauses_to_the_start_of_another_section(client, business_manager, draft):
    client.force_login(business_manager)
    first, second = draft.sections.order_by("position")
    clause = Clause.objects.get(section=first, number="3.1")

    page = client.get(move_url(draft, clause))
    body = page.content.decode()
    assert page.status_code == 200 and "4 Scrutiny" in body and "3 Reporting" not in body

    response = client.post(move_url(draft, clause), {"section": second.pk, "place": "start"})
    assert response.status_code == 302 and response["Location"].endswith(f"#{clause.anchor}")
    assert texts(second) == ["Annual report.", "Scrutiny one."]
    assert texts(first) == ["Stays here."]
    assert Clause.objects.get(number="(a)").section == second  # the sub-clause came along
    event = AuditRecord.objects.filter(message="Clause moved").latest("pk")
    assert event.before["section"] == first.key and event.after["section"] == second.key


def test_page_puts_the_clause_at_the_end_by_default(client, business_manager, draft):
    client.force_login(business_manager)
    first, second = draft.sections.order_by("position")
    clause = Clause.objects.get(section=first, number="3.2")
    client.post(move_url(draft, clause), {"section": second.pk, "place": "end"})
    assert texts(second) == ["Scrutiny one.", "Stays here."]


def test_a_clashing_number_is_refused_with_a_message_and_nothing_moves(client, business_manager, draft):
    client.force_login(business_manager)
    first, second = draft.sections.order_by("position")
    clause = Clause.objects.get(section=first, number="3.2")
    services.clause_create(user=business_manager, section=second, text="<p>Clash.</p>", number="3.2")
    response = client.post(move_url(draft, clause), {"section": second.pk, "place": "end"})
    assert response.status_code == 200
    assert "already has a clause numbered 3.2" in response.content.decode()
    assert Clause.objects.get(pk=clause.pk).section == first


def test_a_sub_clause_cannot_leave_its_parent(client, business_manager, draft):
    client.force_login(business_manager)
    first, second = draft.sections.order_by("position")
    child = Clause.objects.get(number="(a)")
    response = client.post(move_url(draft, child), {"section": second.pk, "place": "end"})
    assert "Move the parent clause" in response.content.decode()
    assert Clause.objects.get(pk=child.pk).section == first


def test_a_section_from_another_version_is_not_offered(client, business_manager, draft, area):
    other = services.protocol_create(
        user=business_manager, area=area, title="Other protocol", party_boards=[BoardFactory(areas=[area])]
    )
    foreign = services.section_create(user=business_manager, version=other.versions.get(), heading="Elsewhere")
    client.force_login(business_manager)
    clause = Clause.objects.get(number="3.2")
    response = client.post(move_url(draft, clause), {"section": foreign.pk, "place": "end"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert clause.section_id == Clause.objects.get(pk=clause.pk).section_id


def test_drag_and_drop_endpoint_moves_into_the_named_section(client, business_manager, draft):
    client.force_login(business_manager)
    first, second = draft.sections.order_by("position")
    clause = Clause.objects.get(section=first, number="3.2")
    response = client.post(
        f"/protocols/{draft.protocol.slug}/edit/clauses/{clause.key}/move/",
        {"position": 1, "section": second.key},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert texts(second) == ["Scrutiny one.", "Stays here."]
    assert "Stays here." in response.content.decode()  # the redrawn sections


def test_other_areas_manager_cannot_move(client, outsider, draft):
    client.force_login(outsider)
    clause = Clause.objects.get(number="3.2")
    assert client.get(move_url(draft, clause)).status_code == 403
