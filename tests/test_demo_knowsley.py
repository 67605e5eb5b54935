"""The Knowsley demo protocol (HWB and KSCB, Version 2, approved June 2015) holds the seed's facts as records."""

import datetime

import pytest

from accountability.models import Duty, EscalationRoute, Meeting, Relation, ReportingObligation
from boards.models import Board, DatePrecision, Membership, Person, Post, PostHolding
from protocols.models import Approval, Clause, GlossaryEntry, Protocol, Section

from .demo_facts import glossary_terms, legal_references, priorities, relations, section_numbers

SLUG = "knowsley-hwb-kscb"


@pytest.fixture
def demo(demo_data, db):
    return Protocol.objects.get(slug=SLUG).versions.get(number=2)


def clause(version, number, parent=None, part=""):
    """The clause numbered `number` (under `parent`'s number when given) in the body or in Appendix 1."""
    clauses = Clause.objects.filter(section__version=version, section__part=part, number=number)
    if parent is not None:
        clauses = clauses.filter(parent__number=parent)
    return clauses.get()


def test_version_2_is_agreed_in_june_2015_by_both_boards_at_month_precision(demo):
    """Version 2 is agreed, effective June 2015 (month only); no signatory, post or day is invented."""
    protocol = demo.protocol
    assert protocol.area.slug == "knowsley"
    assert demo.label == "Version 2"
    assert demo.status == "agreed"
    assert protocol.current_version() == demo
    assert (demo.effective_date, demo.effective_date_precision) == (datetime.date(2015, 6, 1), DatePrecision.MONTH)
    assert demo.effective_date_display == "June 2015"
    assert demo.review_due == datetime.date(2016, 6, 1)
    assert protocol.review_cycle_months == 12
    assert protocol.review_on_guidance_change is True
    assert "roles" in protocol.review_note

    parties = {party.board.slug: party for party in demo.parties.select_related("board", "signatory_post")}
    assert set(parties) == {"knowsley-hwb", "knowsley-kscb"}
    assert all(party.signatory_post is None for party in parties.values())  # the document names none

    approvals = Approval.objects.filter(party__version=demo, withdrawn_at__isnull=True).select_related("party__board")
    assert len(approvals) == 2
    for approval in approvals:
        assert approval.approved_on == datetime.date(2015, 6, 1)
        assert approval.approved_precision == DatePrecision.MONTH
        assert approval.approved_display == "June 2015"
        assert (approval.signatory_name, approval.post_display, approval.signatory_post) == ("", "", None)


def test_sections_and_clauses_keep_the_documents_numbering_including_appendix_1(demo):
    """Sections 1-11 and Appendix 1 (its own numbering, kind APPENDIX) carry every numbered and lettered clause."""
    body = demo.sections.filter(kind=Section.Kind.BODY).order_by("position")
    assert [s.number for s in body] == [str(n) for n in range(1, 12)]
    appendix = demo.sections.filter(kind=Section.Kind.APPENDIX).order_by("position")
    assert {s.part for s in appendix} == {"Appendix 1"}
    assert [s.number for s in appendix] == ["", "1", "2", "3", "4"]
    assert "safeguarding relationship" in appendix[0].heading

    def children(number, part=""):
        return [c.number for c in clause(demo, number, part=part).children.order_by("position")]

    assert children("3.6") == [f"({letter})" for letter in "abcdefghi"]
    assert len(clause(demo, "(a)", parent="3.6").children.all()) == 6
    assert children("3.5") == ["", ""]
    assert children("4.3") == [f"{letter})" for letter in "abcdef"]
    assert len(clause(demo, "a)", parent="4.3").children.all()) == 2
    assert children("5.1") == [f"{letter})" for letter in "abcdef"]
    assert children("7.3") == ["", "", "", ""]
    assert [c.number for c in Clause.objects.filter(section__version=demo, section__number="6")] == [
        f"6.{n}" for n in range(1, 11)
    ]
    assert clause(demo, "(f)", parent="3.6").reference == "3.6(f)"

    assert children("2.1", part="Appendix 1") == [f"{letter})" for letter in "abcdefghij"]
    assert children("3.2", part="Appendix 1") == ["a)", "b)"]
    assert children("3.3", part="Appendix 1") == ["a)", "b)", "c)"]
    assert clause(demo, "3.1", part="Appendix 1").section.number == "3"
    assert clause(demo, "4.1", part="Appendix 1").section.number == "4"

    table = clause(demo, "6.8").text
    assert "<table" in table and "Participant observer" in table
    cited = set(clause(demo, "6.9").citations.values_list("legal_reference__provision", flat=True))
    assert "section 11" in cited


def test_boards_posts_and_the_full_membership_table(demo):
    """Boards have their kinds and bases; clause 6.8's table, 6.5 and 6.9 are memberships with exact capacities."""
    boards = {b.slug: b for b in Board.objects.filter(areas__slug="knowsley").prefetch_related("legal_bases")}
    kscb, hwb, strategic = boards["knowsley-kscb"], boards["knowsley-hwb"], boards["knowsley-strategic-board"]
    assert (kscb.kind, kscb.is_statutory, kscb.is_independent) == (Board.Kind.LSCB, True, True)
    assert (hwb.kind, hwb.is_statutory, hwb.is_independent) == (Board.Kind.HWB, True, False)
    assert "statutory committee of Knowsley Council" in hwb.statutory_basis
    assert {str(b.legal_reference) for b in kscb.legal_bases.all()} >= {"Children Act 2004, section 13"}
    assert {b.legal_reference.provision for b in hwb.legal_bases.all()} == {
        "section 194",
        "section 195",
        "section 196",
        "section 199",
    }
    assert boards["knowsley-cdop"].parent == kscb
    assert boards["knowsley-local-advisory-groups"].parent == boards["knowsley-engagement-network"]

    assert Post.objects.get(area__slug="knowsley", title="Portfolio Holder for Children Services").kind == (
        Post.Kind.LEAD_MEMBER
    )
    chair = Post.objects.get(area__slug="knowsley", title="KSCB Independent Chair")
    assert chair.board == kscb
    holding = PostHolding.objects.get(post=chair)
    assert (holding.start_date, holding.start_precision) == (datetime.date(2012, 10, 1), DatePrecision.MONTH)
    # Held from October 2012 by someone clause 2.2 does not name: no person stands in for the silence.
    assert holding.person is None
    assert str(holding) == "Name not stated in the protocol as KSCB Independent Chair"
    assert not Person.objects.filter(name__startswith="Name not given").exists()

    Cap = Membership.Capacity
    seats = {
        (m.post.title if m.post_id else m.organisation, m.board.slug, m.capacity)
        for m in Membership.objects.filter(board__areas__slug="knowsley").select_related("post", "board")
    }
    table = {
        ("Leader of the Council", "knowsley-strategic-board", Cap.CHAIR),
        ("Portfolio Holder for Children Services", "knowsley-kscb", Cap.PARTICIPANT_OBSERVER),
        ("Portfolio Holder for Children Services", "knowsley-hwb", Cap.MEMBER),
        ("Portfolio Holder for Children Services", "knowsley-strategic-board", Cap.MEMBER),
        ("KSCB Independent Chair", "knowsley-kscb", Cap.CHAIR),
        ("HWB Independent Chair", "knowsley-hwb", Cap.CHAIR),
        ("Director of Children's Services", "knowsley-kscb", Cap.MEMBER),
        ("Director of Children's Services", "knowsley-hwb", Cap.MEMBER),
        ("Director of Children's Services", "knowsley-strategic-board", Cap.SUPPORTING_OFFICER),
        ("Director of Public Health", "knowsley-kscb", Cap.MEMBER),
        ("Director of Public Health", "knowsley-hwb", Cap.MEMBER),
        ("Director of Public Health", "knowsley-strategic-board", Cap.SUPPORTING_OFFICER),
    }
    assert table <= seats
    strategic_seats = {s for s in seats if s[1] == strategic.slug}
    assert strategic_seats == {s for s in table if s[1] == strategic.slug}
    assert {
        ("Portfolio Holder for Public Health and Wellbeing", "knowsley-hwb", Cap.MEMBER),
        ("Portfolio Holder for Adult Social Care", "knowsley-hwb", Cap.MEMBER),
        ("Director of Public Health", "knowsley-cdop", Cap.CHAIR),
    } <= seats
    for organisation in ("Knowsley Clinical Commissioning Group", "NHS England"):
        assert {(organisation, "knowsley-kscb", Cap.MEMBER), (organisation, "knowsley-hwb", Cap.MEMBER)} <= seats


def test_reporting_obligations_with_senders_recipients_and_frequencies(demo):
    """Annual reports both ways, the KSCB chair's report to four recipients, minutes after every meeting."""
    obligations = {
        o.title: o
        for o in ReportingObligation.objects.filter(version=demo)
        .select_related("presenter", "source_clause")
        .prefetch_related("senders__board", "senders__post")
    }

    def recipients(title):
        return {str(r.party) for r in obligations[title].recipients.select_related("board", "post")}

    kscb_report = obligations["KSCB annual report, for the HWB's consideration"]
    assert ([s.slug for s in kscb_report.sender_parties], kscb_report.frequency) == (["knowsley-kscb"], "annual")
    assert recipients(kscb_report.title) == {"Knowsley Health and Wellbeing Board"}
    assert kscb_report.source_clause.reference == "5.1(c)"
    assert recipients("HWB annual report, for the KSCB's consideration") == {"Knowsley Safeguarding Children Board"}

    governance = next(
        o for o in obligations.values() if o.title.startswith("Annual report on how well local governance")
    )
    assert [s.title for s in governance.sender_parties] == ["KSCB Independent Chair"]
    assert recipients(governance.title) == {
        "Chief Executive",
        "Leader of the Council",
        "Police and Crime Commissioner",
        "Knowsley Health and Wellbeing Board",
    }
    assert governance.source_clause.number == "6.6"

    for sender, recipient in (("KSCB", "HWB"), ("HWB", "KSCB")):
        minutes = obligations[f"{sender} minutes"]
        assert minutes.frequency == "after_each_meeting"
        assert [s.title for s in minutes.sender_parties] == [f"{sender} Independent Chair"]
        assert recipients(minutes.title) == {f"{recipient} Independent Chair"}
        assert minutes.source_clause.number == "8.1"

    dph = obligations["Independent annual report on the health of the population"]
    assert (dph.senders_label, dph.frequency, dph.source_clause.number) == ("DPH", "annual", "6.3")
    high_risk = obligations["High-risk issues raised at HWB meetings"]
    assert (high_risk.presenter.short_title, high_risk.source_clause.reference) == ("DCS", "5.1(d)")
    review = next(o for o in obligations.values() if o.source_clause.number == "9.1")
    assert "KSCB annual report" in review.title

    frontline = Meeting.objects.get(version=demo, source_clause__number="8.2")
    assert frontline.frequency == "annual"
    assert list(frontline.participant_boards.values_list("slug", flat=True)) == ["knowsley-kscb"]
    assert frontline.agenda_items.count() == 2


def test_relations_duties_and_escalation_trace_to_their_clauses(demo):
    """Typed relations, duties with legal bases and the 10.1 route, each from this version."""
    relations = Relation.objects.filter(version=demo).select_related(
        "subject_board", "subject_post", "object_board", "object_post", "source_clause__parent"
    )
    traced = {(str(r.subject), r.kind, str(r.object), r.source_clause.reference) for r in relations}
    K = Relation.Kind
    hwb, kscb = "Knowsley Health and Wellbeing Board", "Knowsley Safeguarding Children Board"
    assert {
        ("Knowsley Strategic Board", K.RECOMMENDS_TO, hwb, "2.3"),
        ("Chief Executive", K.APPOINTS_AND_REMOVES, "KSCB Independent Chair", "6.7"),
        ("Chief Executive", K.HOLDS_TO_ACCOUNT, "Director of Children's Services", "6.7"),
        (hwb, K.SUPPORTS, kscb, "5.1(a)"),
        (kscb, K.SUPPORTS, hwb, "5.1(b)"),
        (kscb, K.PRESENTS_ANNUAL_REPORT_TO, hwb, "5.1(c)"),
        (hwb, K.PRESENTS_ANNUAL_REPORT_TO, kscb, "5.1(c)"),
        (kscb, K.ADVISES, hwb, "5.1(d)"),
    } <= traced

    duties = Duty.objects.filter(version=demo).prefetch_related("legal_references")
    kscb_functions = [d for d in duties if d.source_clause.parent and d.source_clause.parent.number == "3.6"]
    assert len(kscb_functions) == 9
    for duty in kscb_functions:
        assert {str(r) for r in duty.legal_references.all()} == {
            "Local Safeguarding Children Boards Regulations 2006",
            "Children Act 2004, section 14",
        }
    hwb_functions = [d for d in duties if d.source_clause.parent and d.source_clause.parent.number == "4.3"]
    assert len(hwb_functions) == 6
    assert {r.provision for d in hwb_functions for r in d.legal_references.all()} == {
        "section 195",
        "section 196",
        "section 199",
    }
    section_11 = [d for d in duties if d.source_clause.number == "6.9"]
    assert {d.holder_board.slug for d in section_11} == {"knowsley-ccg", "knowsley-nhs-england"}
    assert all("section 11" in {r.provision for r in d.legal_references.all()} for d in section_11)

    # Every sourced record points at a clause of this very version.
    for model in (Duty, Relation, ReportingObligation, Meeting, EscalationRoute):
        records = model.objects.filter(version=demo)
        assert records.exists()
        assert not records.exclude(source_clause__section__version=demo).exists()

    route = EscalationRoute.objects.get(version=demo)
    assert route.source_clause.number == "10.1"
    (step,) = route.steps.all()
    assert {p.title for p in step.posts.all()} == {
        "KSCB Independent Chair",
        "HWB Independent Chair",
        "Portfolio Holder for Children Services",
        "Portfolio Holder for Public Health and Wellbeing",
        "Portfolio Holder for Adult Social Care",
        "Director of Children's Services",
        "Director of Public Health",
    }


def test_records_only_what_the_document_states(demo):
    """Glossary, priorities, relations and law, each compared with the partnership protocol (Version 2)."""
    # The document has no glossary, and names no priority (1.1 and 6.10 speak of shared priorities in general).
    assert glossary_terms(demo) == []
    assert not GlossaryEntry.objects.filter(version=demo).exists()
    assert priorities(demo) == {}
    # Sections of Acts exactly as the document cites them: Children Act 2004 section 13 (2.2), section 14 (3.5),
    # section 11 (6.9); Health and Social Care Act 2012 section 194 (4.1) and sections 195, 196 and 199 (4.3).
    assert section_numbers(demo) == {
        ("Children Act 2004", "section 11"),
        ("Children Act 2004", "section 13"),
        ("Children Act 2004", "section 14"),
        ("Health and Social Care Act 2012", "section 194"),
        ("Health and Social Care Act 2012", "section 195"),
        ("Health and Social Care Act 2012", "section 196"),
        ("Health and Social Care Act 2012", "section 199"),
    }
    titles = {title for title, _provision in legal_references(demo)}
    # 2.1 and 2.4 (the Act), 2.2 (the Regulations and Working Together 2006-2015), 5.1(d) (the HWB Assurance
    # Report of 19 September 2013) and 11 (the two boards' terms of reference).
    assert {
        "Health and Social Care Act 2012",
        "Local Safeguarding Children Boards Regulations 2006",
        *(f"Working Together to Safeguard Children {year}" for year in (2006, 2010, 2013, 2015)),
    } <= titles
    assert not {title for title in titles if "Munro" in title or "Children Act 1989" in title}
    # Relations stated by their clauses; 4.3(f) (holding "the local health and wellbeing system" to account),
    # 6.2 (the DCS champions safeguarding in the HWB's work) and 7.2 (engaging through the Network) state none.
    K = Relation.Kind
    hwb, kscb = "knowsley-hwb", "knowsley-kscb"
    assert relations(demo) == {
        ("knowsley-strategic-board", K.RECOMMENDS_TO, hwb),
        (kscb, K.SCRUTINISES, hwb),
        (hwb, K.SUPPORTS, kscb),
        (kscb, K.SUPPORTS, hwb),
        (kscb, K.PRESENTS_ANNUAL_REPORT_TO, hwb),
        (hwb, K.PRESENTS_ANNUAL_REPORT_TO, kscb),
        (kscb, K.ADVISES, hwb),
        (hwb, K.ADVISES, kscb),
        ("Chief Executive", K.HOLDS_TO_ACCOUNT, "Director of Children's Services"),
        ("Chief Executive", K.APPOINTS_AND_REMOVES, "KSCB Independent Chair"),
    }
