"""The database itself refuses records that must never exist."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from accountability.models import ObligationSender, Relation, ReportingObligation
from boards.models import DatePrecision, format_partial_date
from protocols.models import Approval, ProtocolVersion
from tests.factories import (
    ApprovalFactory,
    BoardFactory,
    ObligationFactory,
    PartyFactory,
    PostFactory,
    RelationFactory,
    VersionFactory,
)


def refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


@pytest.mark.django_db
def test_an_obligation_window_must_use_months_one_to_twelve():
    """Month 13 (or 0) is refused; a window that wraps the year end (October to February) is fine."""
    refused(lambda: ObligationFactory(window_start_month=13, window_end_month=2))
    refused(lambda: ObligationFactory(window_start_month=0, window_end_month=2))
    refused(lambda: ObligationFactory(window_start_month=9, window_end_month=None))
    assert ObligationFactory(window_start_month=10, window_end_month=2).pk


@pytest.mark.django_db
def test_an_obligation_sender_is_a_board_or_a_post():
    """Each sender row names a board or a post, never both and never neither; an obligation may have none."""
    board, post = BoardFactory(), PostFactory()
    obligation = ReportingObligation.objects.create(title="x", subject="other", frequency="annual")
    refused(lambda: ObligationSender.objects.create(obligation=obligation, board=board, post=post))
    refused(lambda: ObligationSender.objects.create(obligation=obligation))
    ObligationSender.objects.create(obligation=obligation, board=board)
    refused(lambda: ObligationSender.objects.create(obligation=obligation, board=board))


@pytest.mark.django_db
def test_a_relation_can_join_boards_and_posts_but_needs_both_ends():
    """Either end may be a board or a post; an end with neither is refused."""
    assert RelationFactory(subject_board=None, subject_post=PostFactory()).pk
    refused(lambda: Relation.objects.create(kind="challenges", subject_board=BoardFactory()))


@pytest.mark.django_db
def test_a_month_precision_date_never_carries_an_invented_day():
    """'June 2015' is stored as 1 June with month precision; 12 June at month precision is refused."""
    approval = ApprovalFactory(approved_on=datetime.date(2015, 6, 1), approved_precision=DatePrecision.MONTH)
    assert approval.approved_display == "June 2015"
    refused(lambda: ApprovalFactory(approved_on=datetime.date(2015, 6, 12), approved_precision=DatePrecision.MONTH))
    assert format_partial_date(datetime.date(2015, 8, 11), DatePrecision.DAY) == "11 August 2015"
    assert format_partial_date(datetime.date(2012, 1, 1), DatePrecision.YEAR) == "2012"


@pytest.mark.django_db
def test_approvals_hang_off_a_party_and_a_paper_copy_needs_a_note():
    """Approvals hang off a Party (so off a party of that version); two co-chairs give two live approvals;
    a party lists at least one signatory, and a paper-copy record always carries its note."""
    party = PartyFactory()
    ApprovalFactory(party=party, capacity="Co-chair")
    ApprovalFactory(party=party, capacity="Co-chair", approved_on=None)
    assert {a.party.version for a in Approval.objects.all()} == {party.version}
    party.signatories_expected = 0
    refused(party.save)
    party.refresh_from_db()
    party.recorded_from_paper = True
    refused(party.save)


@pytest.mark.django_db
def test_a_protocol_has_at_most_one_agreed_version():
    """Two agreed versions of one protocol at once are refused: the older must be superseded first."""
    first = VersionFactory(status=ProtocolVersion.Status.AGREED)
    refused(lambda: VersionFactory(protocol=first.protocol, number=2, status=ProtocolVersion.Status.AGREED))
    assert VersionFactory(protocol=first.protocol, number=2, status=ProtocolVersion.Status.DRAFT).pk


@pytest.mark.django_db
def test_a_review_due_after_a_month_precision_agreement_is_shown_to_the_month():
    """Agreed 'June 2015' with a yearly cycle is due 'June 2016', never an invented '1 June 2016'."""
    version = VersionFactory(
        status=ProtocolVersion.Status.AGREED,
        effective_date=datetime.date(2015, 6, 1),
        effective_date_precision=DatePrecision.MONTH,
        review_due=datetime.date(2016, 6, 1),
    )
    assert version.review_due_display == "June 2016"
    version.effective_date_precision = DatePrecision.DAY
    assert version.review_due_display == "1 June 2016"
