import pytest

from accountability.models import ClauseCitation, LegalInstrument, LegalReference
from accountability.services import instruments_with_citing_counts, protocols_citing
from tests.factories import ClauseFactory, ProtocolFactory, SectionFactory, VersionFactory


def cite(version, reference):
    clause = ClauseFactory(section=SectionFactory(version=version))
    ClauseCitation.objects.create(clause=clause, legal_reference=reference)


@pytest.mark.django_db
def test_citing_counts_match_protocols_citing_and_ignore_superseded_versions(django_assert_num_queries):
    """Each cited instrument carries the number of protocols whose live versions cite it, in one query."""
    act = LegalInstrument.objects.create(title="Children Act 2004", kind="act")
    s13 = LegalReference.objects.create(instrument=act, provision="section 13")
    s14 = LegalReference.objects.create(instrument=act, provision="section 14")
    both = ProtocolFactory()
    agreed = VersionFactory(protocol=both, number=1, status="agreed")
    cite(agreed, s13)
    cite(VersionFactory(protocol=both, number=2, status="draft"), s14)  # same protocol counts once
    cite(VersionFactory(status="superseded"), s13)  # only superseded: no longer cites it

    with django_assert_num_queries(1):
        counts = {i.title: i.citing_protocols for i in instruments_with_citing_counts()}

    assert counts == {"Children Act 2004": protocols_citing(act).count()} == {"Children Act 2004": 1}
