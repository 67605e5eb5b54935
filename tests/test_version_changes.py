"""Every change a party signs: the structured summary of a new version against the one it replaces,
on the comparison page, the "send for approval" page and each party's approval pages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountability import services as records
from accountability.models import Duty, Meeting, ReportingObligation
from protocols import services
from protocols.changes import version_changes
from protocols.diff import word_diff
from protocols.models import Clause, GlossaryEntry
from tests.factories import BoardFactory

PAST = datetime.date(2024, 5, 14)


@pytest.fixture
def boards(area):
    return (
        BoardFactory(areas=[area], name="Health and Wellbeing Board", short_name="HWB"),
        BoardFactory(areas=[area], name="Local Safeguarding Children Board", short_name="LSCB"),
    )


def agree(user, version):
    services.version_send_for_approval(user=user, version=version, change_summary="Agreed text")
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


@pytest.fixture
def review(business_manager, area, boards):
    """Version 1 agreed with an obligation, a duty, a relation, a meeting and a glossary entry; version 2 a draft."""
    hwb, lscb = boards
    protocol = services.protocol_create(
        user=business_manager, area=area, title="Partnership protocol", party_boards=boards
    )
    first = protocol.versions.get()
    section = services.section_create(user=business_manager, version=first, heading="Reporting", number="3")
    reports = services.clause_create(
        user=business_manager, section=section, text="<p>The LSCB reports annually.</p>", number="3.1"
    )
    services.clause_create(user=business_manager, section=section, text="<p>The HWB responds.</p>", number="3.2")
    records.obligation_create(
        user=business_manager,
        version=first,
        source_clause=reports,
        senders=[lscb],
        subject="annual_report",
        title="LSCB Annual Report",
        frequency="annual",
        recipients=[hwb],
        window_start_month=9,
        window_end_month=11,
    )
    records.duty_create(
        user=business_manager,
        version=first,
        source_clause=reports,
        holder_board=lscb,
        kind="duty",
        description="Publish an annual report",
    )
    records.relation_create(
        user=business_manager,
        version=first,
        source_clause=reports,
        subject_board=hwb,
        object_board=lscb,
        kind="holds_to_account",
    )
    Meeting.objects.create(version=first, source_clause=reports, title="Chairs' meeting", frequency="quarterly")
    GlossaryEntry.objects.create(version=first, term="HWB", meaning="Health and Wellbeing Board")
    agree(business_manager, first)
    return services.version_start_review(user=business_manager, protocol=protocol)


def _change(changes, group, label_part):
    return next(c for c in changes.group(group).changes if label_part in c.label)


def test_an_unchanged_review_lists_no_change(review):
    """A draft just copied from the agreed version differs in nothing a party signs."""
    changes = version_changes(old=review.based_on, new=review)
    assert changes.total == 0, [(g.key, g.changes) for g in changes.changed_groups]


def test_summary_lists_each_kind_of_change_with_old_and_new_values_and_its_clause(review, business_manager, boards):
    """Obligation frequency and window, a negated relation, a removed duty, a reworded clause, a party,
    a glossary meaning and a meeting: each is added, removed or changed (old -> new) with its clause."""
    hwb, lscb = boards
    obligation = ReportingObligation.objects.get(version=review)
    records.obligation_update(
        user=business_manager,
        obligation=obligation,
        expected_revision=obligation.revision,
        frequency="quarterly",
        frequency_at_least=True,
        window_start_month=None,
        window_end_month=None,
        senders=[lscb, hwb],
    )
    relation = review.relations.get()
    records.relation_update(user=business_manager, relation=relation, expected_revision=relation.revision, negated=True)
    records.duty_delete(user=business_manager, duty=Duty.objects.get(version=review))
    clause = Clause.objects.get(section__version=review, number="3.2")
    services.clause_update(
        user=business_manager, clause=clause, expected_revision=clause.revision, text="<p>The HWB replies.</p>"
    )
    services.party_add(user=business_manager, version=review, board=BoardFactory(name="Community Safety Partnership"))
    GlossaryEntry.objects.filter(version=review).update(meaning="The Health and Wellbeing Board")
    review.meetings.update(frequency="monthly")

    changes = version_changes(old=review.based_on, new=review)

    report = _change(changes, "obligations", "LSCB Annual Report")
    assert report.status == "changed" and report.clause == "clause 3.1"
    fields = {f.label: (f.old, f.new) for f in report.fields}
    assert fields["How often"] == ("Annually", "At least quarterly")
    assert fields["Window"] == ("September to November", "Not stated in the protocol")
    assert fields["Who reports"] == (
        "Local Safeguarding Children Board",
        "Health and Wellbeing Board and Local Safeguarding Children Board",
    )
    denied = changes.group("relations").changes[0]
    assert denied.status == "changed" and ("holds to account", "does not hold to account") in [
        (f.old, f.new) for f in denied.fields
    ]
    assert [c.status for c in changes.group("duties").changes] == ["removed"]
    reworded = _change(changes, "clauses", "clause 3.2")
    assert "<ins>replies.</ins>" in next(f.new for f in reworded.fields if f.label == "Text")
    assert [(c.status, c.label) for c in changes.group("parties").changes] == [
        ("added", "Community Safety Partnership")
    ]
    assert [(f.old, f.new) for f in changes.group("glossary").changes[0].fields] == [
        ("Health and Wellbeing Board", "The Health and Wellbeing Board")
    ]
    assert [(f.old, f.new) for f in changes.group("meetings").changes[0].fields] == [("Quarterly", "Monthly")]


def test_a_record_moved_to_another_clause_says_where_it_is_stated_now(review, business_manager):
    obligation = ReportingObligation.objects.get(version=review)
    other = Clause.objects.get(section__version=review, number="3.2")
    records.obligation_update(
        user=business_manager, obligation=obligation, expected_revision=obligation.revision, source_clause=other
    )
    change = version_changes(old=review.based_on, new=review).group("obligations").changes[0]
    assert change.status == "changed" and change.clause == "clause 3.2"
    assert [(f.label, f.old, f.new) for f in change.fields] == [("Stated in", "clause 3.1", "clause 3.2")]


def test_summary_runs_a_fixed_number_of_queries(review, business_manager, boards):
    """The summary costs the same number of queries with one record of each kind as with many."""
    old = review.based_on

    def queries():
        with CaptureQueriesContext(connection) as captured:
            version_changes(old=old, new=review)
        return len(captured)

    before = queries()
    clause = Clause.objects.get(section__version=review, number="3.1")
    for n in range(4):
        records.obligation_create(
            user=business_manager,
            version=review,
            source_clause=clause,
            senders=[boards[n % 2]],
            subject="progress_report",
            title=f"Progress report {n}",
            recipients=[boards[(n + 1) % 2]],
        )
        services.clause_create(
            user=business_manager, section=clause.section, text=f"<p>New {n}</p>", number=f"3.{n + 3}"
        )
        GlossaryEntry.objects.create(version=review, term=f"T{n}", meaning="A term")
    assert queries() == before


def test_approvers_see_every_change_before_signing(client, review, business_manager):
    """The comparison, the send-for-approval page, the approvals page and each party's signature form
    list the changed obligation beside the reworded clause."""
    obligation = ReportingObligation.objects.get(version=review)
    records.obligation_update(
        user=business_manager, obligation=obligation, expected_revision=obligation.revision, frequency="quarterly"
    )
    clause = Clause.objects.get(section__version=review, number="3.2")
    services.clause_update(
        user=business_manager, clause=clause, expected_revision=clause.revision, text="<p>The HWB replies.</p>"
    )
    client.force_login(business_manager)
    slug = review.protocol.slug
    compare = client.get(reverse("protocols:compare", kwargs={"slug": slug})).content.decode()
    assert "Reporting obligations" in compare and "Annually" in compare and "Quarterly" in compare
    send = client.get(reverse("protocols:send_for_approval", kwargs={"slug": slug})).content.decode()
    assert "Every change since version 1" in send
    assert "Quarterly" in send and "<ins>replies.</ins>" in send and "(clause 3.1)" in send
    services.version_send_for_approval(user=business_manager, version=review, change_summary="Quarterly reports")
    pages = [reverse("protocols:editor_approvals", kwargs={"slug": slug})] + [
        reverse("protocols:approval_add", kwargs={"slug": slug, "party_id": party.pk}) for party in review.parties.all()
    ]
    for path in pages:
        body = client.get(path).content.decode()
        assert "Every change since version 1" in body and "Quarterly" in body and "<ins>replies.</ins>" in body, path


def test_first_version_says_everything_is_new(client, business_manager, area, boards):
    protocol = services.protocol_create(user=business_manager, area=area, title="New protocol", party_boards=boards)
    client.force_login(business_manager)
    body = client.get(reverse("protocols:send_for_approval", kwargs={"slug": protocol.slug})).content.decode()
    assert "first version in the registry" in body


def test_a_drafts_pdf_can_carry_its_changes_as_an_appendix(client, review, business_manager, settings, tmp_path):
    """Asked for, the draft's PDF ends with "Changes since version 1" listing the changed frequency;
    by default it does not, and the version page offers both."""
    import io

    from pypdf import PdfReader

    settings.MEDIA_ROOT = tmp_path
    obligation = ReportingObligation.objects.get(version=review)
    records.obligation_update(
        user=business_manager, obligation=obligation, expected_revision=obligation.revision, frequency="quarterly"
    )
    client.force_login(business_manager)
    path = reverse("protocols:version_pdf", kwargs={"slug": review.protocol.slug, "number": review.number})

    def text(query):
        response = client.get(path, query)
        assert response["Content-Type"] == "application/pdf"
        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)

    with_changes = text({"generate": "1", "changes": "1"})
    assert "Changes since version 1" in with_changes and "Quarterly" in with_changes
    assert "Changes since version 1" not in text({"generate": "1"})
    page = client.get(reverse("protocols:version_detail", kwargs={"slug": review.protocol.slug, "number": 2}))
    assert "?changes=1" in page.content.decode()


@pytest.mark.parametrize("text", ["", "The KSCB & the HWB <meet>", "First line\nsecond  line, with  spaces\n"])
def test_an_unchanged_clause_reads_as_the_word_comparison_would_show_it(text):
    """Unchanged words are shown without comparing them word by word, exactly as the comparison shows the
    unchanged part of a changed clause: escaped, line breaks as <br>, nothing marked."""
    unchanged_old, unchanged_new = word_diff(text, text)
    assert unchanged_old == unchanged_new == word_diff(text, text + " added")[0]
    assert "<del>" not in unchanged_old and "<ins>" not in unchanged_new
