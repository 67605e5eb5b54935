"""The Westminster H&WB / Tri-borough LSCB demo protocol holds the seed's facts as structured records."""

import datetime
import io

import pytest
from django.core.management import call_command

from accountability.demo import tri_borough
from accountability.demo.builder import DemoBuilder
from accountability.models import Duty, Relation, ReportingObligation
from boards.models import Board, DatePrecision, Membership, Post
from protocols.models import Approval, Clause, Protocol, ProtocolVersion, Section
from tests.conftest import module_data

from .demo_facts import glossary_terms, legal_references, priorities, relations, section_numbers

SLUG = "westminster-hwb-tri-borough-lscb"
BOROUGHS = {"hammersmith-and-fulham", "kensington-and-chelsea", "westminster"}


# This demo module alone, as load_demo runs it: a fraction of the time of loading all five protocols.
tri_borough_data = module_data(lambda: tri_borough.load(DemoBuilder()))


@pytest.fixture
def demo(tri_borough_data, db):
    return ProtocolVersion.objects.get(protocol__slug=SLUG, number=1)


def area_slugs(board):
    return {area.slug for area in board.areas.all()}


def test_tri_borough_lscb_its_subgroups_partnership_groups_and_the_three_hwbs(demo):
    """One independent LSCB covers the three boroughs since April 2012 (month precision), chaired by Jean
    Daintith; its five subgroups each have a named chair in the post the report gives; each borough has a
    Partnership Group under the LSCB and its own Health and Wellbeing Board."""
    lscb = Board.objects.get(slug="tri-borough-lscb")
    assert lscb.kind == Board.Kind.LSCB
    assert area_slugs(lscb) == BOROUGHS
    assert lscb.is_independent and lscb.is_statutory
    assert (lscb.established_on, lscb.established_precision) == (datetime.date(2012, 4, 1), DatePrecision.MONTH)
    # 3.1 cites section 13 of the Children Act 2004, the only provision of an Act the report cites.
    assert {basis.legal_reference.provision for basis in lscb.legal_bases.all()} == {"section 13"}

    chair = Membership.objects.get(board=lscb, capacity=Membership.Capacity.CHAIR)
    assert chair.post.kind == Post.Kind.INDEPENDENT_CHAIR
    assert [h.person.name for h in chair.post.holdings.all()] == ["Jean Daintith"]

    expected_chairs = {
        "Quality Assurance": ("Clare Chamberlain", "Director of Family Services RBKC"),
        "Learning and Development": ("Liz Royle", "CLCH Head of Safeguarding"),
        "Case Review": ("Steve Miley", "Director of Family Service Hammersmith and Fulham"),
        "Child Death Overview Panel": ("Nicky Brownjohn", "Associate Director for Safeguarding (CWHH)"),
        "Chairs Group": ("Jean Daintith", "Independent Chair of the Tri-borough Local Safeguarding Children Board"),
    }
    subgroups = Board.objects.filter(parent=lscb, kind=Board.Kind.SUBGROUP)
    assert {s.name for s in subgroups} == set(expected_chairs)
    for subgroup in subgroups:
        assert area_slugs(subgroup) == BOROUGHS
        membership = Membership.objects.get(board=subgroup, capacity=Membership.Capacity.CHAIR)
        person, post_title = expected_chairs[subgroup.name]
        assert membership.post.title == post_title
        assert [h.person.name for h in membership.post.holdings.all()] == [person]
    assert Post.objects.get(title="Director of Family Services RBKC").area.slug == "kensington-and-chelsea"

    groups = Board.objects.filter(parent=lscb, kind=Board.Kind.PARTNERSHIP_GROUP)
    assert sorted(slug for g in groups for slug in area_slugs(g)) == sorted(BOROUGHS)
    assert all("early help" in g.purpose for g in groups)

    hwbs = Board.objects.filter(kind=Board.Kind.HWB, slug__in=[f"{slug}-hwb" for slug in BOROUGHS])
    assert {slug for h in hwbs for slug in area_slugs(h)} == BOROUGHS
    assert not any(h.is_independent for h in hwbs)


def test_protocol_is_proposed_but_unsigned(demo):
    """The appendix was proposed and never signed: awaiting approval, dated 22 January 2015 to the day, with two
    parties and their signatory posts but no approval, no effective date and no agreed version."""
    protocol = Protocol.objects.get(slug=SLUG)
    assert protocol.area.slug == "westminster"
    assert protocol.current_version() is None
    assert demo.status == ProtocolVersion.Status.AWAITING_APPROVAL
    assert (demo.document_date, demo.document_date_precision) == (datetime.date(2015, 1, 22), DatePrecision.DAY)
    assert demo.effective_date is None and demo.review_due is None
    assert "April 2014" in protocol.summary

    parties = list(demo.parties.select_related("board", "signatory_post"))
    assert [(p.board.slug, p.signatory_post.title) for p in parties] == [
        ("westminster-hwb", "Chair of Westminster Health and Wellbeing Board"),
        ("tri-borough-lscb", "Independent Chair of the Tri-borough Local Safeguarding Children Board"),
    ]
    assert not Approval.objects.filter(party__version=demo).exists()


def test_covering_report_and_appendix_numbering_as_written(demo):
    """The covering report keeps paragraphs 1.1-5.1 with lettered items; Appendix A keeps 1-16 with 8 a)-b)
    and 16 a.-c.; the five subgroups are unnumbered items under 3.7."""
    sections = list(demo.sections.all())
    report = [s for s in sections if s.kind == Section.Kind.COVERING_REPORT]
    appendix = [s for s in sections if s.kind == Section.Kind.APPENDIX]
    assert {s.part for s in report} == {"Covering report"}
    assert {s.part for s in appendix} == {"Appendix A"}
    assert [s.number for s in report if s.number] == ["1", "2", "3", "4", "5"]

    def references(section_list):
        return [
            c.reference
            for c in Clause.objects.filter(section__in=section_list).select_related("parent", "section")
            if c.number
        ]

    report_refs = references(report)
    for ref in ["1.1", "1.5", "2.1(a)", "2.1(d)", "3.1(a)", "3.1(b)", "3.9", "4.6(a)", "4.6(b)", "4.6(c)", "5.1"]:
        assert ref in report_refs
    appendix_refs = references(appendix)
    assert [r for r in appendix_refs if "(" not in r] == [str(n) for n in range(1, 17)]
    assert [r for r in appendix_refs if "(" in r] == ["8(a)", "8(b)", "16(a)", "16(b)", "16(c)"]
    assert Clause.objects.get(section__version=demo, number="c.").parent.number == "16"

    bullets = Clause.objects.filter(section__version=demo, parent__number="3.7", number="")
    assert bullets.count() == 5
    assert "Clare Chamberlain" in bullets.first().text
    assert "<strong>does not</strong>" in Clause.objects.get(section__version=demo, number="1.4").text


def test_reporting_windows_and_appendix_obligations(demo):
    """4.6 sets three yearly windows (annual report Sep-Nov presented by the Independent Chair; H&WBs liaise
    Oct-Feb; business plans Mar-May); paragraphs 11 and 14 add post-to-post and as-required reporting."""
    obligations = (
        ReportingObligation.objects.filter(version=demo)
        .select_related("presenter", "source_clause")
        .prefetch_related("senders__board", "senders__post")
    )
    hwb_slugs = {f"{slug}-hwb" for slug in BOROUGHS}

    def recipients(obligation):
        return {r.party.slug if r.board_id else r.party.title for r in obligation.recipients.all()}

    annual = obligations.get(source_clause__number="a)", source_clause__parent__number="4.6")
    assert [s.slug for s in annual.sender_parties] == ["tri-borough-lscb"]
    assert annual.subject == ReportingObligation.Subject.ANNUAL_REPORT
    assert (annual.window_start_month, annual.window_end_month) == (9, 11)
    assert annual.presenter.kind == Post.Kind.INDEPENDENT_CHAIR
    assert recipients(annual) == hwb_slugs

    liaison = obligations.get(source_clause__number="b)", source_clause__parent__number="4.6")
    assert {s.slug for s in liaison.sender_parties} == hwb_slugs  # the three boards liaise together
    assert (liaison.window_start_month, liaison.window_end_month) == (10, 2)
    assert recipients(liaison) == {"tri-borough-lscb"}

    plans = obligations.get(source_clause__number="c)", source_clause__parent__number="4.6")
    assert plans.subject == ReportingObligation.Subject.BUSINESS_PLAN
    assert (plans.window_start_month, plans.window_end_month) == (3, 5)
    assert recipients(plans) == hwb_slugs

    forwarded = obligations.get(source_clause__number="11", subject=ReportingObligation.Subject.ANNUAL_REPORT)
    assert [s.title for s in forwarded.sender_parties] == [
        "Independent Chair of the Tri-borough Local Safeguarding Children Board"
    ]
    assert recipients(forwarded) == {"Chair of Westminster Health and Wellbeing Board"}
    assert obligations.filter(source_clause__number="11").count() == 2

    clause_14 = obligations.filter(source_clause__number="14")
    assert clause_14.count() == 2
    assert {o.frequency for o in clause_14} == {"as_required", ""}  # only "at any time necessary" says when
    assert obligations.filter(source_clause__number="12").count() == 2


def test_relations_keep_the_lscb_independent_and_trace_to_clauses(demo):
    """No 'reports to' or 'accountable to' links the H&WB and the LSCB; every relation and duty names a clause
    of this version; the LSCB presents its annual report to the three H&WBs (4.6 a)), scrutinises and
    challenges agencies (3.4, 16) and is an equal partner (16); the Chairs Group oversees the other subgroups."""
    relations = Relation.objects.filter(version=demo).select_related("source_clause__section", "source_clause__parent")
    assert relations.exists()
    assert all(r.source_clause and r.source_clause.section.version_id == demo.pk for r in relations)
    assert not relations.filter(kind__in=[Relation.Kind.REPORTS_TO, Relation.Kind.ACCOUNTABLE_TO]).exists()

    presents = relations.filter(kind=Relation.Kind.PRESENTS_ANNUAL_REPORT_TO, subject_board__slug="tri-borough-lscb")
    assert {r.object_board.slug for r in presents} == {f"{slug}-hwb" for slug in BOROUGHS}
    assert {r.source_clause.reference for r in presents} == {"4.6(a)"}
    westminster_consults = relations.get(kind=Relation.Kind.CONSULTS, subject_board__slug="westminster-hwb")
    assert westminster_consults.source_clause.number == "12"
    overseen = relations.filter(kind=Relation.Kind.OVERSEES, subject_board__name="Chairs Group")
    assert {r.object_board.name for r in overseen} >= {
        "Quality Assurance",
        "Learning and Development",
        "Case Review",
        "Child Death Overview Panel",
    }

    duties = Duty.objects.filter(version=demo).select_related("source_clause__section", "holder_board")
    assert all(d.source_clause.section.version_id == demo.pk for d in duties)
    lscb_duties = {(d.source_clause.number, d.kind) for d in duties if d.holder_board.slug == "tri-borough-lscb"}
    assert ("3.4", Duty.Kind.FUNCTION) in lscb_duties
    assert ("16", Duty.Kind.DUTY) in lscb_duties
    assert ("1.4", Duty.Kind.RESPONSIBILITY) in lscb_duties
    equal_partners = duties.filter(source_clause__number="16", description__icontains="equal partner")
    assert {d.holder_board.slug for d in equal_partners} == {"tri-borough-lscb", "westminster-hwb"}
    coordinate = duties.get(source_clause__number="a)", source_clause__parent__number="8")
    # Paragraph 8 cites no provision; the protocol's paragraph 4 names the Children Act 2004 as a whole.
    assert {(r.instrument.title, r.provision) for r in coordinate.legal_references.all()} == {("Children Act 2004", "")}


def test_loading_all_demo_modules_again_leaves_this_protocol_unchanged(demo):
    """load_demo (this module again, plus the other four protocols) finds every record of this protocol:
    same ids, same revisions, nothing added, and nothing of it overwritten by another module."""

    def fingerprint():
        return (
            demo.content_fingerprint(),
            sorted(Clause.objects.filter(section__version=demo).values_list("pk", "key", "revision")),
            sorted(ReportingObligation.objects.filter(version=demo).values_list("pk", "revision")),
            sorted(Relation.objects.filter(version=demo).values_list("pk", "revision")),
            sorted(Membership.objects.filter(board__slug__startswith="tri-borough-lscb").values_list("pk", "capacity")),
        )

    before = fingerprint()
    call_command("load_demo", stdout=io.StringIO())
    assert fingerprint() == before


def test_records_only_what_the_document_states(demo):
    """Glossary, priorities, relations and law, each compared with the report of 22 January 2015."""
    # Neither the report nor Appendix A has a glossary. It lists no priorities: 2.1 b) mentions the LSCB's
    # priority areas for 2013/14-2014/15 without naming them, and 3.9 names child sexual exploitation, female
    # genital mutilation and missing children only as examples of where the H&WB could add value.
    assert glossary_terms(demo) == []
    assert priorities(demo) == {}
    # Law: section 13 of the Children Act 2004 (3.1), the Act as a whole (background papers; protocol 4), the
    # Health and Social Care Act 2012 (protocol 3), Working Together 2013 (4.2, background papers, protocol 5)
    # and the Ofsted inspection framework (4.5), which the report neither names nor dates.
    assert legal_references(demo) == {
        ("Children Act 2004", ""),
        ("Children Act 2004", "section 13"),
        ("Health and Social Care Act 2012", ""),
        ("Working Together to Safeguard Children 2013", ""),
        ("Ofsted inspection framework", "review of the effectiveness of the LSCB"),
    }
    assert section_numbers(demo) == {("Children Act 2004", "section 13")}
    # Relations as clauses state them: 4.6 a) the Independent Chair presents the Annual Report to the H&WBs;
    # 4.6 b) the H&WBs liaise with the LSCB on their strategies and the JSNA (Westminster's own liaison is
    # protocol 12, with the LSCB's feedback); protocol 16 b) the LSCB supports the H&WB; 3.7 the Chairs Group
    # oversees the subgroups and partnership groups, and the Quality Assurance subgroup supports the Board.
    # No relation is drawn from 3.8 (partnership groups), 3.9 (opportunities to add value) or 4.5 (Ofsted).
    K = Relation.Kind
    lscb, hwbs = "tri-borough-lscb", [f"{slug}-hwb" for slug in sorted(BOROUGHS)]
    chairs = "tri-borough-lscb-chairs-group"
    assert relations(demo) == {
        *((lscb, K.PRESENTS_ANNUAL_REPORT_TO, hwb) for hwb in hwbs),
        *((hwb, K.CONSULTS, lscb) for hwb in hwbs),
        (lscb, K.ADVISES, "westminster-hwb"),
        (lscb, K.SUPPORTS, "westminster-hwb"),
        *(
            (chairs, K.OVERSEES, f"tri-borough-lscb-{suffix}")
            for suffix in ("quality-assurance", "learning-and-development", "case-review", "child-death-overview-panel")
        ),
        *((chairs, K.OVERSEES, f"{slug}-lscb-partnership-group") for slug in BOROUGHS),
        ("tri-borough-lscb-quality-assurance", K.SUPPORTS, lscb),
        # 1.4 denies two relations (recorded as negated): the H&WB has no executive responsibility for the LSCB,
        # which is not subordinate to it; 16 makes them equal partners (recorded as holding both ways).
        ("westminster-hwb", K.EXECUTIVE_RESPONSIBILITY_FOR, lscb),
        (lscb, K.SUBORDINATE_TO, "westminster-hwb"),
        (lscb, K.PARTNER_OF, "westminster-hwb"),
    }
