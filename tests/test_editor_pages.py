"""The editor's pages: fragments, error messages next to fields, the merge screen, comparisons and query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from protocols import services
from protocols.diff import compare_versions
from protocols.models import Clause, ProtocolVersion
from tests.factories import BoardFactory, ClauseFactory, ProtocolFactory, SectionFactory, VersionFactory


@pytest.fixture
def boards(area):
    return BoardFactory(areas=[area], name="Health and Wellbeing Board"), BoardFactory(areas=[area], name="LSCB")


@pytest.fixture
def draft(business_manager, area, boards):
    protocol = services.protocol_create(
        user=business_manager, area=area, title="Partnership protocol", party_boards=boards
    )
    version = protocol.versions.get()
    section = services.section_create(user=business_manager, version=version, heading="Reporting", number="3")
    services.clause_create(
        user=business_manager, section=section, text="<p>The LSCB reports annually.</p>", number="3.1"
    )
    return version


@pytest.fixture
def editor_client(client, business_manager):
    client.force_login(business_manager)
    return client


def url(version, name, **kwargs):
    return reverse(f"protocols:{name}", kwargs={"slug": version.protocol.slug, **kwargs})


def clause_post(clause, text, revision, number=None):
    prefix = f"c-{clause.key}"
    return {f"{prefix}-revision": revision, f"{prefix}-number": number or clause.number, f"{prefix}-text": text}


def test_saving_a_clause_with_htmx_returns_only_the_clause(editor_client, draft):
    """An htmx save answers with the clause's fragment, so the page keeps the user's place."""
    clause = Clause.objects.get(section__version=draft)
    response = editor_client.post(
        url(draft, "clause_edit", key=clause.key),
        clause_post(clause, "<p>Now twice a year.</p>", 1),
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200 and "Now twice a year." in body
    assert "<html" not in body and body.lstrip().startswith("<li")


def test_second_save_from_a_stale_revision_shows_both_texts_to_merge(editor_client, draft):
    """The merge screen shows the saved text and keeps the second editor's text in the editor."""
    clause = Clause.objects.get(section__version=draft)
    editor_client.post(url(draft, "clause_edit", key=clause.key), clause_post(clause, "<p>First editor.</p>", 1))
    response = editor_client.post(
        url(draft, "clause_edit", key=clause.key), clause_post(clause, "<p>Second editor.</p>", 1)
    )
    body = response.content.decode()
    assert "Someone else changed this clause" in body
    assert "First editor." in body and "Second editor." in body
    assert f'name="c-{clause.key}-revision" value="2"' in body
    clause.refresh_from_db()
    assert "First editor." in clause.text


def test_clashing_clause_number_is_shown_next_to_the_number_field(editor_client, draft):
    """A clash is reported in the error summary and beside the Number field."""
    section = draft.sections.get()
    response = editor_client.post(
        url(draft, "clause_add", key=section.key),
        {f"add-{section.key}-number": "3.1", f"add-{section.key}-text": "Copy"},
    )
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert f'id="id_add-{section.key}-number-error"' in body and "already numbered 3.1" in body


def test_empty_protocol_title_is_a_field_error(editor_client, area):
    response = editor_client.post(reverse("protocols:protocol_create"), {"area": area.pk, "title": " "})
    body = response.content.decode()
    assert response.status_code == 200 and 'id="id_title-error"' in body and "Enter a title" in body


def test_obligation_month_13_is_shown_next_to_the_month_field(editor_client, draft, boards):
    clause = Clause.objects.get(section__version=draft)
    response = editor_client.post(
        reverse(
            "accountability:record_add", kwargs={"slug": draft.protocol.slug, "key": clause.key, "kind": "obligation"}
        ),
        {
            "sender": f"board:{boards[1].pk}",
            "title": "Annual report",
            "subject": "annual_report",
            "recipients": [f"board:{boards[0].pk}"],
            "frequency": "annual",
            "window_start_month": "13",
            "window_end_month": "2",
        },
    )
    body = response.content.decode()
    assert 'id="id_window_start_month-error"' in body and "1 (January) to 12 (December)" in body
    assert not draft.obligations.exists()


def test_future_approval_date_and_second_approval_are_shown_as_errors(editor_client, draft, business_manager):
    services.version_send_for_approval(user=business_manager, version=draft, change_summary="First")
    party = draft.parties.first()
    future = datetime.date.today() + datetime.timedelta(days=40)
    data = {"signatory_name": "A Chair", "signature_kind": "typed", "signature_text": "A Chair"}
    response = editor_client.post(
        url(draft, "approval_add", party_id=party.pk),
        {**data, "day": future.day, "month": future.month, "year": future.year},
    )
    assert "must be today or in the past" in response.content.decode()
    editor_client.post(url(draft, "approval_add", party_id=party.pk), {**data, "month": "5", "year": "2024"})
    response = editor_client.post(url(draft, "approval_add", party_id=party.pk), {**data, "month": "6", "year": "2024"})
    assert "has already approved this version" in response.content.decode()
    assert party.approvals.get().approved_precision == "month"


def test_comparison_marks_added_removed_moved_and_changed_clauses(db):
    """Clauses are matched by key: a new key is added, a missing one removed, a reordered one moved."""
    protocol = ProtocolFactory()
    old = VersionFactory(protocol=protocol, number=1, status=ProtocolVersion.Status.SUPERSEDED)
    new = VersionFactory(protocol=protocol, number=2, based_on=old)
    old_section = SectionFactory(version=old, key="s1")
    new_section = SectionFactory(version=new, key="s1")
    for position, (key, text) in enumerate(
        [("a", "Alpha one"), ("b", "Beta two"), ("c", "Gamma three"), ("d", "Gone")]
    ):
        ClauseFactory(section=old_section, key=key, position=position, text=f"<p>{text}</p>")
    for position, (key, text) in enumerate([("c", "Gamma three"), ("a", "Alpha one"), ("b", "Beta 2"), ("e", "New")]):
        ClauseFactory(section=new_section, key=key, position=position, text=f"<p>{text}</p>")
    rows = {row.key: row for section in compare_versions(old, new) for row in section.rows}
    assert rows["e"].status == "added" and rows["d"].status == "removed"
    assert (
        rows["b"].status == "changed"
        and "<del>two</del>" in rows["b"].old_html
        and "<ins>2</ins>" in rows["b"].new_html
    )
    assert rows["c"].moved and not rows["a"].moved


def test_compare_page_shows_word_level_changes(client, db):
    protocol = ProtocolFactory()
    old = VersionFactory(protocol=protocol, number=1, status=ProtocolVersion.Status.SUPERSEDED)
    new = VersionFactory(protocol=protocol, number=2, status=ProtocolVersion.Status.AGREED, based_on=old)
    ClauseFactory(section=SectionFactory(version=old, key="s"), key="k", text="<p>Reports each year</p>")
    ClauseFactory(section=SectionFactory(version=new, key="s"), key="k", text="<p>Reports each quarter</p>")
    body = client.get(reverse("protocols:compare", kwargs={"slug": protocol.slug})).content.decode()
    assert "<del>year</del>" in body and "<ins>quarter</ins>" in body


def test_compare_page_shows_only_what_changed_until_asked_for_everything(client, db):
    """Reviewers see the changed clause and a count of the rest; 'show=all' brings the unchanged text back."""
    protocol = ProtocolFactory()
    old = VersionFactory(protocol=protocol, number=1, status=ProtocolVersion.Status.SUPERSEDED)
    new = VersionFactory(protocol=protocol, number=2, status=ProtocolVersion.Status.AGREED, based_on=old)
    for version, changing in ((old, "year"), (new, "quarter")):
        section = SectionFactory(version=version, key="s", number="1", heading="Reporting")
        ClauseFactory(section=section, key="a", number="1", text="<p>The board meets in public.</p>", position=0)
        ClauseFactory(section=section, key="b", number="2", text=f"<p>Reports each {changing}</p>", position=1)
    path = reverse("protocols:compare", kwargs={"slug": protocol.slug})

    changes_only = client.get(path).content.decode()
    assert "<ins>quarter</ins>" in changes_only and "meets in public" not in changes_only
    assert "1 clause reworded, 0 added, 0 removed, 0 moved; 1 unchanged" in changes_only
    everything = client.get(path, {"show": "all"}).content.decode()
    assert "<ins>quarter</ins>" in everything and "meets in public" in everything


def test_compare_page_says_plainly_when_nothing_changed(client, db):
    protocol = ProtocolFactory()
    old = VersionFactory(protocol=protocol, number=1, status=ProtocolVersion.Status.SUPERSEDED)
    new = VersionFactory(protocol=protocol, number=2, status=ProtocolVersion.Status.AGREED, based_on=old)
    for version in (old, new):
        section = SectionFactory(version=version, key="s", number="1", heading="Reporting")
        ClauseFactory(section=section, key="k", number="1.1", text="<p>Same words.</p>")
    body = client.get(reverse("protocols:compare", kwargs={"slug": protocol.slug})).content.decode()
    assert "No differences" in body and "Same words." not in body


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_editor_page_queries_do_not_grow_with_clauses(editor_client, draft, business_manager):
    """The editor fetches sections, clauses and their records in a fixed number of queries."""
    path = url(draft, "editor")
    section = draft.sections.get()
    before = count_queries(editor_client, path)
    for n in range(10):
        services.clause_create(user=business_manager, section=section, text=f"Clause {n}", number=f"3.{n + 2}")
    services.section_create(user=business_manager, version=draft, heading="More", number="4")
    assert count_queries(editor_client, path) == before


def test_review_dashboard_queries_do_not_grow_with_protocols(editor_client, area, business_manager):
    """The reviews page reads protocols and their versions in a fixed number of queries."""
    ProtocolFactory(area=area)
    before = count_queries(editor_client, reverse("protocols:reviews"))
    for _ in range(5):
        VersionFactory(protocol=ProtocolFactory(area=area), status=ProtocolVersion.Status.AGREED)
    assert count_queries(editor_client, reverse("protocols:reviews")) == before


def test_review_dashboard_lists_overdue_and_due_soon(editor_client, area, settings):
    """Overdue protocols and those due within the warning period are marked as such."""
    settings.REVIEW_WARNING_DAYS = 30
    today = datetime.date.today()
    overdue = VersionFactory(
        protocol=ProtocolFactory(area=area, title="Overdue one"),
        status=ProtocolVersion.Status.AGREED,
        review_due=today - datetime.timedelta(days=3),
    )
    due = VersionFactory(
        protocol=ProtocolFactory(area=area, title="Due soon one"),
        status=ProtocolVersion.Status.AGREED,
        review_due=today + datetime.timedelta(days=10),
    )
    body = editor_client.get(reverse("protocols:reviews")).content.decode()
    assert body.index(overdue.protocol.title) < body.index(due.protocol.title)
    assert "1 overdue" in body and "1 due soon" in body


def test_stale_section_save_shows_the_conflict_on_the_heading_form(editor_client, draft, business_manager):
    """Two editors open a section; the second save says someone else changed it, keeps what the second
    editor typed, and carries the new revision so saving again is a deliberate choice."""
    section = draft.sections.get()
    services.section_update(user=business_manager, section=section, expected_revision=1, heading="Reports")
    response = editor_client.post(
        url(draft, "section_edit", key=section.key),
        {"revision": 1, "number": "3", "heading": "Reporting duties", "kind": section.kind},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this section while you were editing" in body
    assert 'value="Reporting duties"' in body and 'name="revision" value="2"' in body
    section.refresh_from_db()
    assert section.heading == "Reports"


def test_stale_protocol_details_save_keeps_the_form_and_says_why(editor_client, draft, business_manager):
    """The details form answers a stale save with the conflict above it instead of losing what was typed."""
    protocol = draft.protocol
    services.protocol_update(user=business_manager, protocol=protocol, expected_revision=protocol.revision, title="New")
    response = editor_client.post(
        url(draft, "editor_settings"), {"form": "protocol", "revision": 1, "title": "Mine", "review_cycle_months": 12}
    )
    body = response.content.decode()
    assert "Someone else saved these details while you were editing" in body and 'value="Mine"' in body
    protocol.refresh_from_db()
    assert protocol.title == "New"


def test_a_step_the_version_state_refuses_is_a_message_on_the_editor(editor_client, draft):
    """Going back to draft from a draft is refused: the editor says why, for htmx too."""
    response = editor_client.post(url(draft, "return_to_draft"))
    assert response.status_code == 302 and response.url == url(draft, "editor")
    body = editor_client.get(response.url).content.decode()
    assert "Only a version awaiting approval can go back to draft." in body
    response = editor_client.post(url(draft, "return_to_draft"), HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"] == url(draft, "editor")


def test_a_locked_version_is_a_message_on_the_editor(editor_client, draft, monkeypatch):
    """A version agreed between opening the page and saving: the reason is shown, nothing else happens."""
    from core.exceptions import VersionLocked

    def agreed_meanwhile(**kwargs):
        raise VersionLocked("This version was agreed; start a review to change it.")

    monkeypatch.setattr(services, "section_delete", agreed_meanwhile)
    section = draft.sections.get()
    response = editor_client.post(url(draft, "section_delete", key=section.key), follow=True)
    assert "This version was agreed; start a review to change it." in response.content.decode()
    assert response.redirect_chain[-1][0] == url(draft, "editor")


def test_a_clauses_own_address_answers_htmx_with_the_clause_and_a_browser_with_its_place_in_the_editor(
    editor_client, draft
):
    """Cancel on a clause's form asks for the clause again: its fragment for htmx, the editor at the clause else."""
    clause = Clause.objects.get(section__version=draft)
    address = url(draft, "clause_detail", key=clause.key)
    fragment = editor_client.get(address, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "The LSCB reports annually." in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    plain = editor_client.get(address)
    assert plain.status_code == 302 and plain["Location"] == f"{url(draft, 'editor')}#{clause.anchor}"
