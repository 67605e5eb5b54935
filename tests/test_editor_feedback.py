"""The editor says what happened: a saved clause says so, a save that lost a race says so on its own form,
and each clause's "What this clause states" box counts its records."""

import datetime

import pytest
from django.urls import reverse

from accountability import services as records
from accountability.models import Duty, Relation, ReportingObligation
from protocols import services
from protocols.models import Clause
from tests.factories import BoardFactory


@pytest.fixture
def boards(area):
    return (
        BoardFactory(areas=[area], name="Health and Wellbeing Board", short_name="HWB"),
        BoardFactory(areas=[area], name="Local Safeguarding Children Board", short_name="LSCB"),
    )


@pytest.fixture
def draft(business_manager, area, boards):
    protocol = services.protocol_create(
        user=business_manager, area=area, title="Partnership protocol", party_boards=boards
    )
    version = protocol.versions.get()
    section = services.section_create(user=business_manager, version=version, heading="Reporting", number="3")
    clause = services.clause_create(
        user=business_manager, section=section, text="<p>The LSCB reports annually.</p>", number="3.1"
    )
    hwb, lscb = boards
    records.obligation_create(
        user=business_manager,
        version=version,
        source_clause=clause,
        senders=[lscb],
        subject="annual_report",
        title="Annual report",
        frequency="annual",
        recipients=[hwb],
    )
    records.duty_create(
        user=business_manager, version=version, source_clause=clause, holder_board=lscb, description="Report"
    )
    records.relation_create(
        user=business_manager,
        version=version,
        source_clause=clause,
        subject_board=hwb,
        object_board=lscb,
        kind="holds_to_account",
    )
    return version


@pytest.fixture
def editor_client(client, business_manager):
    client.force_login(business_manager)
    return client


def test_what_this_clause_states_counts_the_clauses_records(editor_client, draft):
    """The box under a clause with an obligation, a duty and a relation says 3 records, not 0."""
    body = editor_client.get(reverse("protocols:editor", kwargs={"slug": draft.protocol.slug})).content.decode()
    assert "What this clause states (3 records)" in body
    assert "(0 records)" not in body


def test_a_clause_saved_in_place_says_so_beside_it_and_in_the_status_region(editor_client, draft):
    clause = Clause.objects.get(section__version=draft)
    prefix = f"c-{clause.key}"
    response = editor_client.post(
        reverse("protocols:clause_edit", kwargs={"slug": draft.protocol.slug, "key": clause.key}),
        {f"{prefix}-revision": 1, f"{prefix}-number": "3.1", f"{prefix}-text": "<p>Twice a year.</p>"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert "Clause 3.1 saved." in body and 'data-focus="edit-' in body
    assert '<div id="editor-status" hx-swap-oob="innerHTML">Clause 3.1 saved.</div>' in body
    page = editor_client.get(reverse("protocols:editor", kwargs={"slug": draft.protocol.slug})).content.decode()
    assert 'id="editor-status"' in page and 'role="status"' in page


def test_a_clause_saved_without_javascript_says_so_on_the_editor(editor_client, draft):
    clause = Clause.objects.get(section__version=draft)
    prefix = f"c-{clause.key}"
    response = editor_client.post(
        reverse("protocols:clause_edit", kwargs={"slug": draft.protocol.slug, "key": clause.key}),
        {f"{prefix}-revision": 1, f"{prefix}-number": "3.1", f"{prefix}-text": "<p>Twice a year.</p>"},
        follow=True,
    )
    assert "Clause 3.1 saved." in response.content.decode()


RECORD_POSTS = {
    "obligation": (
        ReportingObligation,
        "frequency",
        "quarterly",
        lambda boards: {
            "senders": [f"board:{boards[1].pk}"],
            "recipients": [f"board:{boards[0].pk}"],
            "title": "Annual report",
            "subject": "annual_report",
            "frequency": "quarterly",
        },
    ),
    "duty": (
        Duty,
        "description",
        "Report twice",
        lambda boards: {"holder": f"board:{boards[1].pk}", "kind": "function", "description": "Report twice"},
    ),
    "relation": (
        Relation,
        "negated",
        True,
        lambda boards: {
            "subject": f"board:{boards[0].pk}",
            "object": f"board:{boards[1].pk}",
            "kind": "holds_to_account",
            "negated": "on",
        },
    ),
}


@pytest.mark.parametrize("kind", RECORD_POSTS)
def test_a_record_can_be_changed_from_its_clause(editor_client, draft, boards, kind):
    model, field, value, post = RECORD_POSTS[kind]
    record = model.objects.get(version=draft)
    path = reverse("accountability:record_edit", kwargs={"slug": draft.protocol.slug, "kind": kind, "pk": record.pk})
    assert editor_client.get(path).status_code == 200
    response = editor_client.post(path, {"revision": record.revision, **post(boards)}, follow=True)
    assert "was saved" in response.content.decode()
    record.refresh_from_db()
    assert getattr(record, field) == value


@pytest.mark.parametrize("kind", RECORD_POSTS)
def test_a_stale_record_save_shows_the_conflict_on_its_form(editor_client, draft, boards, business_manager, kind):
    """Two editors open the same record; the second save says someone else changed it and keeps what was typed."""
    model, field, value, post = RECORD_POSTS[kind]
    record = model.objects.get(version=draft)
    update = {"obligation": records.obligation_update, "duty": records.duty_update, "relation": records.relation_update}
    update[kind](user=business_manager, expected_revision=record.revision, **{kind: record, "description": "First"})
    path = reverse("accountability:record_edit", kwargs={"slug": draft.protocol.slug, "kind": kind, "pk": record.pk})
    response = editor_client.post(path, {"revision": 1, **post(boards)})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this" in body and 'name="revision" value="2"' in body
    record.refresh_from_db()
    assert record.description == "First" and getattr(record, field) != value


def test_an_approval_from_a_page_drawn_before_the_draft_changed_is_a_conflict(editor_client, draft, business_manager):
    """The approver read the changes; the draft then changed; recording the approval shows the new changes
    instead of signing words the approver was not shown."""
    services.version_send_for_approval(user=business_manager, version=draft, change_summary="First text")
    party = draft.parties.first()
    path = reverse("protocols:approval_add", kwargs={"slug": draft.protocol.slug, "party_id": party.pk})
    page = editor_client.get(path).content.decode()
    seen = page.split('name="seen" value="')[1].split('"')[0]
    obligation = ReportingObligation.objects.get(version=draft)
    records.obligation_update(
        user=business_manager, obligation=obligation, expected_revision=obligation.revision, frequency="quarterly"
    )
    when = datetime.date.today()
    data = {
        "seen": seen,
        "day": when.day,
        "month": when.month,
        "year": when.year,
        "signatory_name": "A Chair",
        "signature_kind": "typed",
        "signature_text": "A Chair",
    }
    response = editor_client.post(path, data)
    body = response.content.decode()
    assert response.status_code == 200 and "changed while this page was open" in body
    assert not party.approvals.exists()
    fresh = body.split('name="seen" value="')[1].split('"')[0]
    assert fresh != seen
    response = editor_client.post(path, {**data, "seen": fresh})
    assert response.status_code == 302 and party.approvals.exists()


def test_adding_a_board_another_editor_added_meanwhile_says_it_is_already_a_party(
    editor_client, draft, business_manager, area
):
    board = BoardFactory(areas=[area], name="Community Safety Partnership")
    path = reverse("protocols:editor_parties", kwargs={"slug": draft.protocol.slug})
    assert "Community Safety Partnership" in editor_client.get(path).content.decode()
    services.party_add(user=business_manager, version=draft, board=board)
    response = editor_client.post(path, {"action": "add", "board": board.pk})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Community Safety Partnership is already a party to this version" in body
    assert draft.parties.filter(board=board).count() == 1


def test_removing_a_party_another_editor_removed_meanwhile_says_so(editor_client, draft, business_manager):
    party = draft.parties.first()
    services.party_remove(user=business_manager, party=party)
    path = reverse("protocols:editor_parties", kwargs={"slug": draft.protocol.slug})
    response = editor_client.post(path, {"action": "remove", "party": party.pk}, follow=True)
    assert response.status_code == 200
    assert "someone else removed it" in response.content.decode()
