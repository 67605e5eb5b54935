"""The Cheshire West and Chester joint protocol, as the demo loader records it."""

import datetime

import pytest

from accountability.models import ClauseCitation, Duty, Frequency, Relation, ReportingObligation
from boards.models import Board, DatePrecision, Membership, Post
from protocols.models import Clause, ProtocolVersion

from .demo_facts import glossary_terms, legal_references, priorities, relations, section_numbers

SLUG = "cheshire-west-joint-protocol"


@pytest.fixture
def demo(demo_data, db):
    """The agreed version of the joint protocol after loading the demo data."""
    return ProtocolVersion.objects.select_related("protocol").get(protocol__slug=SLUG)


def board(suffix):
    return Board.objects.get(slug=f"cheshire-west-and-chester-{suffix}")


def post(title):
    return Post.objects.get(title=title, area__slug="cheshire-west-and-chester")


def label(party):
    """A board by its slug, a post by its title."""
    return party.slug if isinstance(party, Board) else party.title


def ends(record, prefix):
    return label(getattr(record, f"{prefix}_board") or getattr(record, f"{prefix}_post"))


def senders(obligation):
    """One sender by its label, joint senders as a tuple of labels, none as None."""
    labels = tuple(label(party) for party in obligation.sender_parties)
    return labels[0] if len(labels) == 1 else (labels or None)


def paragraph(clause):
    """The paragraph number a clause belongs to: its own, or its parent's for a bullet."""
    return clause.parent.number if clause.parent_id else clause.number


def test_four_chairs_approved_on_their_own_days_and_the_last_made_it_agreed(demo):
    """Each board's chair signed on a known day; the version took effect on the last signature and is
    reviewed a year later, or at once when legislation changes."""
    approvals = {
        party.board.slug: party.current_approval()
        for party in demo.parties.select_related("board", "signatory_post").prefetch_related("approvals")
    }
    expected = {
        "cheshire-west-and-chester-childrens-trust": (
            datetime.date(2015, 7, 22),
            "Gerald Meehan",
            "Chair of Children's Trust",
        ),
        "cheshire-west-and-chester-lscb": (
            datetime.date(2015, 8, 11),
            "Gill Frame",
            "Chair of Local Safeguarding Children Board",
        ),
        "cheshire-west-and-chester-hwb": (
            datetime.date(2015, 7, 23),
            "Councillor Sam Dixon",
            "Chair of Health & Wellbeing Board",
        ),
        "cheshire-west-and-chester-csp": (
            datetime.date(2015, 7, 23),
            "Mark Palethorpe",
            "Chair of Cheshire West and Chester Community Safety Partnership",
        ),
    }
    assert set(approvals) == set(expected)
    for slug, (day, name, title) in expected.items():
        approval = approvals[slug]
        assert (approval.approved_on, approval.approved_precision) == (day, DatePrecision.DAY)
        assert (approval.signatory_name, approval.signatory_post_title) == (name, title)
        assert approval.signatory_post.board.slug == slug
    dixon = approvals["cheshire-west-and-chester-hwb"].signatory_person
    assert (dixon.name, dixon.honorific) == ("Sam Dixon", "Councillor")
    assert post("Independent Chair of the LSCB").holder_on(datetime.date(2015, 8, 11)).name == "Gill Frame"

    assert demo.status == ProtocolVersion.Status.AGREED
    assert (demo.effective_date, demo.effective_date_precision) == (datetime.date(2015, 8, 11), DatePrecision.DAY)
    assert demo.review_due == datetime.date(2016, 8, 11)
    protocol = demo.protocol
    assert protocol.area.slug == "cheshire-west-and-chester"
    assert protocol.review_cycle_months == 12
    assert protocol.review_on_legislation_change is True

    trust = board("childrens-trust")
    assert trust.is_statutory is False
    assert (trust.established_on, trust.established_precision) == (datetime.date(2014, 1, 1), DatePrecision.MONTH)
    lscb = board("lscb")
    assert lscb.is_independent and lscb.is_statutory
    assert {str(basis.legal_reference) for basis in lscb.legal_bases.all()} >= {"Children Act 2004, section 14"}


def test_every_paragraph_is_a_clause_under_its_heading_with_bullets_as_children(demo):
    """Paragraphs 1-45 are numbered clauses in order under the headings as written; bullets hang beneath them;
    the glossary carries the document's six abbreviations and nothing else."""
    clauses = list(Clause.objects.filter(section__version=demo).select_related("section", "parent"))
    numbered = [c for c in sorted(clauses, key=lambda c: (c.section.position, c.position)) if not c.parent_id]
    assert [c.number for c in numbered] == [str(n) for n in range(1, 46)]

    bullets = {}
    for clause in clauses:
        if clause.parent_id:
            assert clause.number == ""
            bullets.setdefault(clause.parent.number, []).append(clause)
    assert {number: len(children) for number, children in bullets.items()} == {
        "13": 2,
        "18": 3,
        "35": 4,
        "40": 5,
        "43": 3,
    }

    by_number = {c.number: c for c in numbered}
    assert by_number["1"].section.heading == "Introduction"
    assert by_number["44"].section.heading == "Resolution Process"
    assert by_number["25"].section.heading == "Community Safety Partnership Board Arrangements & Responsibilities"
    assert by_number["33"].section.heading.startswith("Relationship between the chairs of the LSCB")
    assert [s.heading for s in demo.sections.all()][2] == "Children's Trust Arrangements & Responsibilities"
    assert "January 2014" in by_number["3"].text

    cited = {
        (c.clause.number, str(c.legal_reference))
        for c in ClauseCitation.objects.filter(clause__section__version=demo).select_related(
            "clause", "legal_reference__instrument"
        )
    }
    assert {
        ("4", "Children Act 2004, section 11"),
        ("13", "Children Act 2004, section 14"),
        ("36", "Children Act 2004, section 18"),
        ("5", "Health and Social Care Act 2012"),
        ("6", "Working Together to Safeguard Children 2015"),
    } <= cited
    assert any(number == "37" and "Director of Children's Services" in ref for number, ref in cited)

    glossary = dict(demo.glossary_entries.values_list("term", "meaning"))
    assert set(glossary) == {"LSCB", "ISNA", "DCS", "NHS", "CCG", "CSP"}
    assert glossary["ISNA"] == "Integrated Strategic Needs Assessment"
    assert glossary["LSCB"] == "Local Safeguarding Children's Board"  # spelt as the document spells it


def test_reporting_obligations_name_sender_recipients_frequency_and_source(demo):
    """What is owed to whom, how often, and from which paragraph."""
    obligations = {}
    for ob in demo.obligations.select_related("presenter", "source_clause").prefetch_related(
        "senders__board", "senders__post", "recipients__board", "recipients__post"
    ):
        obligations[(ob.title, senders(ob))] = (ob, {label(r.party) for r in ob.recipients.all()})

    lscb, hwb, trust, csp = (f"cheshire-west-and-chester-{s}" for s in ("lscb", "hwb", "childrens-trust", "csp"))
    report, to = obligations[("LSCB Annual Report", lscb)]
    assert (report.subject, report.frequency, report.source_clause.number) == (
        ReportingObligation.Subject.ANNUAL_REPORT,
        Frequency.ANNUAL,
        "32",
    )
    assert to == {hwb, csp, trust}
    assert report.presenter.title == "Independent Chair of the LSCB"
    plan, to = obligations[("LSCB Business Plan", lscb)]
    assert (plan.frequency, to) == (Frequency.ANNUAL, {hwb, csp, trust})

    data, to = obligations[("Relevant data for co-ordinated planning and performance management", None)]
    assert (data.frequency, data.source_clause.number, to) == (Frequency.QUARTERLY, "30", {lscb})

    shared, to = obligations[("Performance information on commissioning for early help and vulnerable groups", trust)]
    assert (shared.frequency, shared.source_clause.number, to) == (Frequency.ON_REQUEST, "12", {lscb, hwb})

    isna = "Implementation of the ISNA priorities for children's safeguarding and welfare"
    ob, to = obligations[(isna, (hwb, trust))]  # reported jointly
    assert (ob.frequency, ob.source_clause.number, to) == (Frequency.AS_REQUIRED, "32", {lscb})

    minutes, to = obligations[("Minutes of meetings and pertinent papers", hwb)]
    assert minutes.subject == ReportingObligation.Subject.MINUTES
    assert to == {"Independent Chair of the LSCB"}

    annual = [ob for ob, to in obligations.values() if "Chief Executive (Head of Paid Service)" in to]
    assert [ob.source_clause.number for ob in annual] == ["34"]


def test_relations_duties_and_memberships_trace_to_their_paragraphs(demo):
    """Typed links between boards and posts, each from the paragraph that states it; duties with legal bases;
    who sits where and in what capacity."""
    relations = {
        (ends(r, "subject"), r.kind, ends(r, "object")): paragraph(r.source_clause)
        for r in demo.relations.select_related(
            "subject_board", "subject_post", "object_board", "object_post", "source_clause__parent"
        )
    }
    lscb, hwb, trust, csp = (f"cheshire-west-and-chester-{s}" for s in ("lscb", "hwb", "childrens-trust", "csp"))
    chair, ce, dcs = (
        "Independent Chair of the LSCB",
        "Chief Executive (Head of Paid Service)",
        "Director of Children's Services",
    )
    K = Relation.Kind
    expected = {
        (ce, K.APPOINTS_AND_REMOVES, chair): "15",
        (ce, K.HOLDS_TO_ACCOUNT, chair): "15",
        (chair, K.ACCOUNTABLE_TO, ce): "34",
        (hwb, K.OVERSEES, trust): "22",
        (hwb, K.CHALLENGES, trust): "9",
        (hwb, K.SUPPORTS, trust): "9",
        (lscb, K.CHALLENGES, hwb): "21",
        (lscb, K.CHALLENGES, trust): "27",
        (chair, K.CHALLENGES, hwb): "38",
        (trust, K.CONSULTS, lscb): "11",
        (lscb, K.SCRUTINISES, trust): "19",
        (trust, K.HOLDS_TO_ACCOUNT, lscb): "44",
        (lscb, K.HOLDS_TO_ACCOUNT, trust): "44",
        (dcs, K.MEMBER_OF, lscb): "37",
        (dcs, K.MEMBER_OF, hwb): "37",
        (chair, K.MEMBER_OF, trust): "10",
        (lscb, K.MEMBER_OF, csp): "40",
        (lscb, K.PRESENTS_ANNUAL_REPORT_TO, csp): "32",
    }
    assert {key: relations.get(key) for key in expected} == expected

    duties = {
        (label(d.holder), paragraph(d.source_clause), d.kind): {str(ref) for ref in d.legal_references.all()}
        for d in demo.duties.select_related("holder_board", "holder_post", "source_clause__parent").prefetch_related(
            "legal_references__instrument"
        )
    }
    D = Duty.Kind
    assert duties[(dcs, "36", D.DUTY)] == {"Children Act 2004, section 18"}
    assert duties[("Director of Public Health", "5", D.DUTY)] == {"Working Together to Safeguard Children 2015"}
    assert duties[(lscb, "4", D.FUNCTION)] == {"Children Act 2004, section 11"}
    assert duties[(lscb, "13", D.FUNCTION)] == {"Children Act 2004, section 14"}
    assert demo.duties.filter(holder_board__slug=lscb, source_clause__parent__number="13").count() == 2
    assert (dcs, "37", D.RESPONSIBILITY) in duties

    memberships = {
        (m.board.slug, m.member_label): m.capacity
        for m in Membership.objects.filter(board__areas__slug="cheshire-west-and-chester").select_related(
            "board", "post"
        )
    }
    C = Membership.Capacity
    # Paragraph 37: the DCS is a member of the LSCB and the Health and Wellbeing Board (no other board is named).
    assert {slug for (slug, member) in memberships if member == dcs} == {lscb, hwb}
    for slug in (lscb, hwb):
        assert memberships[(slug, dcs)] == C.MEMBER
    assert memberships[(lscb, chair)] == C.CHAIR
    assert memberships[(trust, chair)] == C.MEMBER
    assert memberships[(hwb, chair)] == C.ATTENDEE
    csp_organisations = {label for (slug, label) in memberships if slug == csp}
    assert {
        "Cheshire Constabulary",
        "Cheshire Fire and Rescue Service",
        "Purple Futures Community Rehabilitation Company",
        "The National Probation Service",
        "Cheshire West and Chester Council",
    } <= csp_organisations


def test_meetings_and_the_resolution_route(demo):
    """Six-monthly meetings with their standing agenda, and the escalation from the boards to the DCS and
    then the Chief Executive."""
    meetings = list(
        demo.meetings.select_related("source_clause__parent").prefetch_related("participant_posts", "agenda_items")
    )
    assert sorted(paragraph(m.source_clause) for m in meetings) == ["35", "40", "40"]
    big = next(m for m in meetings if m.source_clause.number == "35")
    assert big.frequency == Frequency.SIX_MONTHLY
    assert {p.title for p in big.participant_posts.all()} == {
        "Chief Executive (Head of Paid Service)",
        "Director of Children's Services",
        "Chair of the Children's Trust",
        "Independent Chair of the LSCB",
    }
    assert len(big.agenda_items.all()) == 4
    assert big.agenda_items.all()[0].text == "Progress against priorities"
    chair_meetings = {frozenset(p.title for p in m.participant_posts.all()): m.frequency for m in meetings}
    assert chair_meetings[frozenset({"Independent Chair of the LSCB", "Chair of the Health and Wellbeing Board"})] == (
        Frequency.SIX_MONTHLY
    )
    assert chair_meetings[
        frozenset({"Independent Chair of the LSCB", "Chair of the Community Safety Partnership"})
    ] == (Frequency.SIX_MONTHLY)

    route = demo.escalation_routes.get()
    steps = list(route.steps.prefetch_related("posts", "boards"))
    assert [s.order for s in steps] == [1, 2, 3]
    assert {b.slug for b in steps[0].boards.all()} >= {
        "cheshire-west-and-chester-lscb",
        "cheshire-west-and-chester-childrens-trust",
    }
    assert [p.title for p in steps[1].posts.all()] == ["Director of Children's Services"]
    assert [p.title for p in steps[2].posts.all()] == ["Chief Executive (Head of Paid Service)"]
    assert route.source_clause.number == "45"


def test_records_only_what_the_document_states(demo):
    """Glossary, priorities, relations and law, each compared with the joint protocol."""
    # "Glossary of Terms" at the end of the document: exactly these six, in its order.
    assert sorted(glossary_terms(demo)) == sorted(["LSCB", "ISNA", "DCS", "NHS", "CCG", "CSP"])
    # The protocol names no priority of its own; paragraph 9 says the Children's Trust takes forward the
    # children's priorities of the Health and Wellbeing Strategy, and that is the one priority recorded.
    trust, hwb, lscb, csp = (f"cheshire-west-and-chester-{s}" for s in ("childrens-trust", "hwb", "lscb", "csp"))
    assert priorities(demo) == {"": [(trust, "take forward")]}
    # Law as cited: sections 11 (paragraph 4), 14 (13) and 18 (36) of the Children Act 2004, the Act as a whole
    # (33), the Health and Social Care Act 2012 (5), Working Together 2015 (5, 6, 14, 33, 40, 43) and the DfE
    # guidance on the DCS and Lead Member (37).
    assert section_numbers(demo) == {
        ("Children Act 2004", "section 11"),
        ("Children Act 2004", "section 14"),
        ("Children Act 2004", "section 18"),
    }
    assert {title for title, _provision in legal_references(demo)} == {
        "Children Act 2004",
        "Health and Social Care Act 2012",
        "Working Together to Safeguard Children 2015",
        "Statutory guidance on the roles and responsibilities of the Director of Children's Services and the "
        "Lead Member for Children's Services",
    }
    # Every relation is stated by its paragraph. Left out: the Lead Member holding the LSCB Chair to account
    # (15 has the Chief Executive do it, drawing on the Lead Member), the Trust challenging the Health and
    # Wellbeing Board (27 names no one challenged), the Board consulting the LSCB on the ISNA (30 names no one
    # who consults) and the DCS sitting on the Trust and the CSP (37 and 40 name the LSCB and the Board only).
    chair, ce, dcs, lead_member = (
        "Independent Chair of the LSCB",
        "Chief Executive (Head of Paid Service)",
        "Director of Children's Services",
        "Lead Member for Children's Services",
    )
    hwb_chair, csp_chair = "Chair of the Health and Wellbeing Board", "Chair of the Community Safety Partnership"
    K = Relation.Kind
    assert relations(demo) == {
        (hwb, K.CHALLENGES, trust),
        (hwb, K.SUPPORTS, trust),
        (chair, K.MEMBER_OF, trust),
        (chair, K.ADVISES, trust),
        (trust, K.CONSULTS, lscb),
        (ce, K.APPOINTS_AND_REMOVES, chair),
        (ce, K.HOLDS_TO_ACCOUNT, chair),
        (lscb, K.SCRUTINISES, trust),
        (lscb, K.CHALLENGES, hwb),
        (lscb, K.SUPPORTS, hwb),
        (hwb, K.OVERSEES, trust),
        (lscb, K.CHALLENGES, trust),
        (hwb, K.RECOMMENDS_TO, trust),
        (hwb, K.RECOMMENDS_TO, lscb),
        (lscb, K.PRESENTS_ANNUAL_REPORT_TO, hwb),
        (lscb, K.PRESENTS_ANNUAL_REPORT_TO, csp),
        (lscb, K.PRESENTS_ANNUAL_REPORT_TO, trust),
        (dcs, K.ACCOUNTABLE_TO, ce),
        (dcs, K.ACCOUNTABLE_TO, lead_member),
        (lscb, K.PRESENTS_ANNUAL_REPORT_TO, hwb_chair),
        (lscb, K.PRESENTS_ANNUAL_REPORT_TO, ce),
        (chair, K.ACCOUNTABLE_TO, ce),
        (dcs, K.MEMBER_OF, lscb),
        (dcs, K.MEMBER_OF, hwb),
        (chair, K.CHALLENGES, hwb),
        (chair, K.CHALLENGES, trust),
        (chair, K.MEETS_WITH, hwb_chair),
        (lscb, K.MEMBER_OF, csp),
        (chair, K.MEETS_WITH, csp_chair),
        (lscb, K.HOLDS_TO_ACCOUNT, trust),
        (trust, K.HOLDS_TO_ACCOUNT, lscb),
        # 28: the LSCB "should not be subordinate to" other local structures (recorded as negated).
        (lscb, K.SUBORDINATE_TO, hwb),
    }
    dcs_boards = set(
        Membership.objects.filter(post__title=dcs, post__area__slug="cheshire-west-and-chester").values_list(
            "board__slug", flat=True
        )
    )
    assert dcs_boards == {lscb, hwb}
