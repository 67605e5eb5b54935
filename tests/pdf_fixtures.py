"""A protocol with everything the pages and the PDF show, built from factories for the reading tests."""

import datetime

from accountability.models import ClauseCitation, Duty, LegalInstrument, LegalReference, Relation
from boards.models import Area, DatePrecision, Membership
from protocols.models import GlossaryEntry, ProtocolVersion
from tests.factories import (
    ApprovalFactory,
    AreaFactory,
    BoardFactory,
    ClauseFactory,
    MembershipFactory,
    ObligationFactory,
    PartyFactory,
    PostFactory,
    ProtocolFactory,
    RecipientFactory,
    RelationFactory,
    SectionFactory,
    VersionFactory,
)


def build_protocol(*, status=ProtocolVersion.Status.AGREED, sections=3, clauses_per_section=3, area=None, slug=None):
    """Two boards (KSCB and HWB) agreeing a protocol: sections, clauses, an obligation, a relation, approvals."""
    area = area or Area.objects.filter(slug="knowsley").first() or AreaFactory(name="Knowsley", slug="knowsley")
    prefix = slug or "knowsley-hwb-kscb"
    kscb = BoardFactory(
        name="Knowsley Safeguarding Children Board", short_name="KSCB", slug=f"{prefix}-kscb", areas=[area]
    )
    hwb = BoardFactory(name="Knowsley Health and Wellbeing Board", short_name="HWB", slug=f"{prefix}-hwb", areas=[area])
    chair = PostFactory(title="KSCB Independent Chair", short_title="Independent Chair", organisation="KSCB")
    dph = PostFactory(title="Director of Public Health", short_title="DPH", organisation="Knowsley Council")
    MembershipFactory(board=kscb, post=chair, capacity=Membership.Capacity.CHAIR)
    MembershipFactory(board=hwb, post=dph, capacity=Membership.Capacity.MEMBER)
    protocol = ProtocolFactory(
        area=area,
        title="Joint working protocol between the KSCB and the Health and Wellbeing Board",
        slug=slug or "knowsley-hwb-kscb",
    )
    version = VersionFactory(
        protocol=protocol,
        number=2,
        status=status,
        title=protocol.title,
        effective_date=datetime.date(2015, 6, 1) if status != ProtocolVersion.Status.DRAFT else None,
        effective_date_precision=DatePrecision.MONTH,
        review_due=datetime.date(2026, 6, 1),
    )
    party_kscb = PartyFactory(version=version, board=kscb, position=0)
    party_hwb = PartyFactory(version=version, board=hwb, position=1)
    if status != ProtocolVersion.Status.DRAFT:
        ApprovalFactory(
            party=party_kscb,
            approved_on=datetime.date(2015, 6, 1),
            approved_precision=DatePrecision.MONTH,
            signatory_name="Ann Example",
            signatory_post_title="Independent Chair, KSCB",
            signature_kind="typed",
            signature_text="Ann Example",
        )
        ApprovalFactory(
            party=party_hwb,
            approved_on=datetime.date(2015, 7, 23),
            signatory_name="Councillor Bob Sample",
            signatory_post_title="Chair, Health and Wellbeing Board",
        )
    clauses = []
    for s in range(sections):
        section = SectionFactory(
            version=version, key=f"sec{s + 1}", number=str(s + 1), heading=f"Heading {s + 1}", position=s
        )
        for c in range(clauses_per_section):
            clauses.append(
                ClauseFactory(
                    section=section,
                    key=f"cl{s + 1}-{c + 1}",
                    number=f"{s + 1}.{c + 1}",
                    position=c,
                    text=f"<p>The boards agree item {s + 1}.{c + 1} of their joint working.</p>",
                )
            )
    first = clauses[0]
    ClauseFactory(
        section=first.section, parent=first, key="cl1-1a", number="(a)", position=99, text="<p>a lettered item</p>"
    )
    obligation = ObligationFactory(
        version=version,
        source_clause=first,
        senders=[kscb],
        title="KSCB Annual Report",
        presenter=chair,
    )
    RecipientFactory(obligation=obligation, board=hwb)
    RelationFactory(
        version=version, source_clause=first, subject_board=hwb, object_board=kscb, kind=Relation.Kind.CONSULTS
    )
    instrument, _ = LegalInstrument.objects.get_or_create(
        title="Children Act 2004",
        defaults={"kind": LegalInstrument.Kind.ACT, "url": "https://www.legislation.gov.uk/ukpga/2004/31"},
    )
    reference, _ = LegalReference.objects.get_or_create(
        instrument=instrument,
        provision="section 14",
        defaults={"url": "https://www.legislation.gov.uk/ukpga/2004/31/section/14"},
    )
    ClauseCitation.objects.create(clause=first, legal_reference=reference)
    duty = Duty.objects.create(version=version, source_clause=clauses[1], holder_board=kscb, description="Coordinate")
    duty.legal_references.add(reference)
    GlossaryEntry.objects.create(version=version, term="KSCB", meaning="Knowsley Safeguarding Children Board")
    GlossaryEntry.objects.create(version=version, term="HWB", meaning="Health and Wellbeing Board")
    return version
