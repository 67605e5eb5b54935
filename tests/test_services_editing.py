"""The editing services: the rules the browser and the API share."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command

from accountability import services as records
from accountability.models import ClauseCitation, LegalInstrument, LegalReference, ReportingObligation
from core.exceptions import EditConflict, InvalidTransition, VersionLocked
from core.models import AuditRecord
from protocols import services
from protocols.diff import compare_versions
from protocols.models import Approval, Clause, ProtocolVersion, ReviewReminder
from tests.factories import BoardFactory, ClauseFactory, SectionFactory, UserFactory, VersionFactory

Status = ProtocolVersion.Status
PAST = datetime.date(2024, 5, 14)


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
    services.clause_create(user=business_manager, section=section, text="<p>The HWB responds.</p>", number="3.2")
    return version


def agree(user, version):
    services.version_send_for_approval(user=user, version=version, change_summary="First agreed text")
    for party in version.parties.all():
        services.approval_record(
            user=user,
            party=party,
            approved_on=PAST,
            approved_precision="day",
            signatory_name="A Chair",
            signature_kind="typed",
            signature_text="A Chair",
        )
    version.refresh_from_db()
    return version


def test_protocol_create_makes_a_first_draft_with_parties_and_an_audit_event(draft, business_manager):
    """A new protocol has version 1 as a draft with its parties, and who created it is recorded."""
    assert draft.number == 1 and draft.status == Status.DRAFT
    assert draft.parties.count() == 2
    event = AuditRecord.objects.filter(
        protocol_id=draft.protocol_id, action="create", object_type="protocols.Protocol"
    ).get()
    assert event.user == business_manager


def test_empty_title_is_refused_with_a_field_error(business_manager, area):
    """Creating or renaming a protocol with an empty title names the title field."""
    with pytest.raises(ValidationError) as error:
        services.protocol_create(user=business_manager, area=area, title="   ")
    assert "title" in error.value.message_dict


def test_clause_text_is_sanitised(draft, business_manager):
    """Scripts, event handlers and javascript: links never reach the stored clause."""
    section = draft.sections.get()
    clause = services.clause_create(
        user=business_manager,
        section=section,
        text='<p onclick="x()">Safe <b>bold</b><script>alert(1)</script> <a href="javascript:alert(1)">link</a></p>',
        number="3.3",
    )
    assert "<script" not in clause.text and "onclick" not in clause.text and "javascript:" not in clause.text
    assert "<b>bold</b>" in clause.text


def test_clashing_clause_number_in_a_section_is_refused(draft, business_manager):
    """Two clauses at the same level of a section cannot share a number."""
    section = draft.sections.get()
    with pytest.raises(ValidationError) as error:
        services.clause_create(user=business_manager, section=section, text="Another", number="3.1")
    assert "number" in error.value.message_dict


def test_stale_revision_raises_edit_conflict_and_keeps_the_first_save(draft, business_manager):
    """The second of two saves from the same starting revision is refused; the first is kept."""
    clause = Clause.objects.get(section__version=draft, number="3.1")
    start = clause.revision
    services.clause_update(user=business_manager, clause=clause, expected_revision=start, text="First editor's text")
    with pytest.raises(EditConflict) as conflict:
        services.clause_update(user=business_manager, clause=clause, expected_revision=start, text="Second text")
    assert "First editor" in conflict.value.current.text
    clause.refresh_from_db()
    assert "First editor" in clause.text and clause.revision == start + 1


def test_send_for_approval_requires_a_change_summary(draft, business_manager):
    """A draft cannot go for approval without saying what changed."""
    with pytest.raises(ValidationError) as error:
        services.version_send_for_approval(user=business_manager, version=draft, change_summary=" ")
    assert "change_summary" in error.value.message_dict
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_every_party_approving_agrees_the_version(draft, business_manager):
    """The last approval agrees the version: effective date at its precision, review due a cycle later."""
    services.version_send_for_approval(user=business_manager, version=draft, change_summary="New")
    first, second = draft.parties.all()
    services.approval_record(
        user=business_manager,
        party=first,
        approved_on=PAST,
        signatory_name="A",
        signature_kind="typed",
        signature_text="A",
    )
    draft.refresh_from_db()
    assert draft.status == Status.AWAITING_APPROVAL
    services.approval_record(
        user=business_manager,
        party=second,
        approved_on=datetime.date(2024, 6, 20),
        approved_precision="month",
        signatory_name="B",
        signature_kind="none",
    )
    draft.refresh_from_db()
    assert draft.status == Status.AGREED
    assert (draft.effective_date, draft.effective_date_precision) == (datetime.date(2024, 6, 1), "month")
    assert draft.review_due == datetime.date(2025, 6, 1)


def test_future_dates_and_second_approvals_are_refused(draft, business_manager):
    """An approval date in the future, and a party approving twice, are field errors."""
    services.version_send_for_approval(user=business_manager, version=draft, change_summary="New")
    party = draft.parties.first()
    with pytest.raises(ValidationError) as error:
        services.approval_record(
            user=business_manager,
            party=party,
            approved_on=datetime.date.today() + datetime.timedelta(days=3),
            signatory_name="A",
            signature_kind="none",
        )
    assert "approved_on" in error.value.message_dict
    services.approval_record(
        user=business_manager, party=party, approved_on=PAST, signatory_name="A", signature_kind="none"
    )
    with pytest.raises(ValidationError) as error:
        services.approval_record(
            user=business_manager, party=party, approved_on=PAST, signatory_name="A", signature_kind="none"
        )
    assert "party" in error.value.message_dict
    assert Approval.objects.filter(party=party).count() == 1


def test_content_edit_withdraws_recorded_approvals(draft, business_manager):
    """Editing a clause after one party approved withdraws that approval, as PolicyStat does."""
    services.version_send_for_approval(user=business_manager, version=draft, change_summary="New")
    party = draft.parties.first()
    services.approval_record(
        user=business_manager, party=party, approved_on=PAST, signatory_name="A", signature_kind="none"
    )
    clause = Clause.objects.filter(section__version=draft).first()
    services.clause_update(user=business_manager, clause=clause, expected_revision=clause.revision, text="Changed")
    approval = Approval.objects.get(party=party)
    assert approval.withdrawn_at is not None
    assert party.current_approval() is None


def test_start_review_copies_clauses_with_the_same_keys_and_their_records(draft, business_manager, boards):
    """A review draft keeps clause keys, parties and the obligations drawn from clauses, re-pointed by key."""
    clause = Clause.objects.get(section__version=draft, number="3.1")
    records.obligation_create(
        user=business_manager,
        version=draft,
        source_clause=clause,
        senders=[boards[1]],
        subject="annual_report",
        title="Annual report",
        frequency="annual",
        recipients=[boards[0]],
        window_start_month=9,
        window_end_month=11,
    )
    agreed = agree(business_manager, draft)
    review = services.version_start_review(user=business_manager, protocol=agreed.protocol)
    assert review.number == 2 and review.based_on == agreed
    assert set(Clause.objects.filter(section__version=review).values_list("key", flat=True)) == set(
        Clause.objects.filter(section__version=agreed).values_list("key", flat=True)
    )
    copied = ReportingObligation.objects.get(version=review)
    assert copied.source_clause.key == clause.key and copied.source_clause.section.version == review
    assert [r.board for r in copied.recipients.all()] == [boards[0]]
    with pytest.raises(InvalidTransition):
        services.version_start_review(user=business_manager, protocol=agreed.protocol)


def test_agreeing_a_review_supersedes_the_previous_version(draft, business_manager):
    """When the review is agreed, the old version becomes superseded and stays unchanged."""
    agreed = agree(business_manager, draft)
    fingerprint = agreed.content_fingerprint()
    review = services.version_start_review(user=business_manager, protocol=agreed.protocol)
    clause = Clause.objects.get(section__version=review, number="3.2")
    services.clause_update(
        user=business_manager, clause=clause, expected_revision=clause.revision, text="The HWB replies"
    )
    agree(business_manager, review)
    agreed.refresh_from_db()
    assert agreed.status == Status.SUPERSEDED and agreed.content_fingerprint() == fingerprint
    rows = [row for section in compare_versions(agreed, review) for row in section.rows]
    changed = next(row for row in rows if row.key == clause.key)
    assert changed.status == "changed" and "<ins>replies</ins>" in changed.new_html


def test_agreed_versions_refuse_changes_through_services_and_the_orm(draft, business_manager):
    """Services raise VersionLocked, and even direct ORM saves and deletes of agreed content are refused."""
    agreed = agree(business_manager, draft)
    clause = Clause.objects.filter(section__version=agreed).first()
    with pytest.raises(VersionLocked):
        services.clause_update(user=business_manager, clause=clause, expected_revision=clause.revision, text="No")
    with pytest.raises(VersionLocked):
        services.section_create(user=business_manager, version=agreed, heading="New")
    clause.text = "<p>Altered behind the registry's back</p>"
    with pytest.raises(VersionLocked):
        clause.save()
    with pytest.raises(VersionLocked):
        Clause.objects.filter(section__version=agreed).first().delete()
    section = agreed.sections.get()
    section.heading = "Renamed"
    with pytest.raises(VersionLocked):
        section.save()
    party = agreed.parties.first()
    with pytest.raises(VersionLocked):
        party.delete()
    agreed.title = "Another title"
    with pytest.raises(VersionLocked):
        agreed.save()
    with pytest.raises(VersionLocked):
        ProtocolVersion.objects.get(pk=agreed.pk).delete()


def test_locked_guard_allows_the_supersede_transition_and_unchanged_saves(db):
    """The step from agreed to superseded, and saving identical values (idempotent imports), are allowed."""
    version = VersionFactory(status=Status.AGREED)
    clause = ClauseFactory(section=SectionFactory(version=version))
    clause.save()
    version.status = Status.SUPERSEDED
    version.save()
    version.status = Status.DRAFT
    with pytest.raises(VersionLocked):
        version.save()


def test_obligation_window_month_13_is_a_field_error(draft, business_manager, boards):
    """An obligation window of month 13 is refused on that field."""
    with pytest.raises(ValidationError) as error:
        records.obligation_create(
            user=business_manager,
            version=draft,
            senders=[boards[1]],
            subject="annual_report",
            title="Annual report",
            frequency="annual",
            recipients=[boards[0]],
            window_start_month=13,
            window_end_month=11,
        )
    assert "window_start_month" in error.value.message_dict


def test_obligation_update_checks_the_revision(draft, business_manager, boards):
    """Obligations use the same optimistic concurrency as clauses."""
    obligation = records.obligation_create(
        user=business_manager,
        version=draft,
        senders=[boards[1]],
        subject="annual_report",
        title="Annual report",
        frequency="annual",
        recipients=[boards[0]],
    )
    records.obligation_update(user=business_manager, obligation=obligation, expected_revision=1, title="Report")
    with pytest.raises(EditConflict):
        records.obligation_update(user=business_manager, obligation=obligation, expected_revision=1, title="Other")


def test_clause_move_keeps_sub_clauses_with_their_parent_and_auto_numbering_renumbers(draft, business_manager):
    """Moving a clause carries its sub-clauses; with automatic numbering, numbers follow the new order."""
    services.version_update(user=business_manager, version=draft, expected_revision=draft.revision, auto_numbering=True)
    section = draft.sections.get()
    first = Clause.objects.get(section=section, key=section.clauses.order_by("position").first().key)
    services.clause_create(user=business_manager, section=section, text="Item", number="(a)", parent=first)
    services.clause_move(user=business_manager, clause=first, position=1)
    ordered = list(section.clauses.order_by("position"))
    assert [c.plain_text for c in ordered] == ["The HWB responds.", "The LSCB reports annually.", "Item"]
    assert [c.number for c in ordered] == ["1.1", "1.2", "(a)"]


def test_legislation_change_requests_review_of_citing_protocols(draft, business_manager, administrator):
    """Triggering a review for an instrument marks every protocol whose clauses cite it."""
    instrument = LegalInstrument.objects.create(title="Children Act 2004", kind="act")
    reference = LegalReference.objects.create(instrument=instrument, provision="section 14")
    ClauseCitation.objects.create(
        clause=Clause.objects.filter(section__version=draft).first(), legal_reference=reference
    )
    marked = records.instrument_request_reviews(user=administrator, instrument=instrument, reason="Amended in 2017")
    assert marked == [draft.protocol]
    draft.protocol.refresh_from_db()
    assert draft.protocol.review_requested_at is not None
    assert "Amended in 2017" in draft.protocol.review_requested_reason


def test_review_reminders_are_sent_once_per_due_date(draft, business_manager, settings):
    """The daily command emails business managers once for a due date, and once more when overdue."""
    settings.SITE_URL = "https://registry.example.org"
    business_manager.email = "manager@example.org"
    business_manager.save()
    UserFactory(username="no-role", email="nobody@example.org")
    agreed = agree(business_manager, draft)
    due = agreed.review_due
    call_command("send_review_reminders", today=due - datetime.timedelta(days=10), days=30, stdout=StringIO())
    call_command("send_review_reminders", today=due - datetime.timedelta(days=9), days=30, stdout=StringIO())
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["manager@example.org"]
    call_command("send_review_reminders", today=due + datetime.timedelta(days=1), days=30, stdout=StringIO())
    call_command("send_review_reminders", today=due + datetime.timedelta(days=2), days=30, stdout=StringIO())
    assert len(mail.outbox) == 2 and "overdue" in mail.outbox[1].subject
    assert ReviewReminder.objects.count() == 2


def test_every_change_is_in_the_audit_trail_with_before_and_after(draft, business_manager):
    """A clause edit records the text before and after, and who made it."""
    clause = Clause.objects.filter(section__version=draft).first()
    services.clause_update(user=business_manager, clause=clause, expected_revision=clause.revision, text="New words")
    event = AuditRecord.objects.filter(object_type="protocols.Clause", action="update").get()
    assert event.user == business_manager
    assert "reports annually" in event.before["text"] and "New words" in event.after["text"]
