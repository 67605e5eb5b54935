"""The Slough protocol agreement between the Children's Partnership Board and the LSCB, as the demo loader records it."""

import datetime

import pytest

from accountability.models import ClauseCitation, Duty, Frequency, Priority, Relation, ReportingObligation
from boards.models import Board, DatePrecision, Membership
from protocols.models import Clause, ProtocolVersion

from .demo_facts import glossary_terms, legal_references, priorities, section_numbers

SLUG = "slough-cpb-lscb"
CPB, LSCB, PANEL = "slough-cpb", "slough-lscb", "slough-council-scrutiny-panel"


@pytest.fixture
def demo(demo_data, db):
    """The agreed version of the Slough protocol agreement after loading the demo data."""
    return ProtocolVersion.objects.select_related("protocol").get(protocol__slug=SLUG)


def label(board, post):
    return board.slug if board else post.title


def test_both_chairs_agreed_it_on_a_date_the_document_does_not_state(demo):
    """The chairs formally agreed it, but the document dates neither agreement and names neither chair: both
    approvals carry the chair's post as written, no date and no name, and a note that says so; the version is
    agreed, its document dated July 2011, with no effective or review date derived from a guess."""
    parties = list(demo.parties.select_related("board", "signatory_post").prefetch_related("approvals"))
    assert [p.board.slug for p in parties] == [CPB, LSCB]
    assert [p.signatory_post.title for p in parties] == [
        "Chair of Slough Children's Partnership Board",
        "Chair of Slough Local Safeguarding Children Board",
    ]
    approvals = [p.current_approval() for p in parties]
    assert [(a.approved_on, a.approved_display) for a in approvals] == [(None, "")] * 2
    assert [a.signatory_post_title for a in approvals] == ["Chair of the CPB", "Chair of the LSCB"]
    assert [a.signatory_post_id for a in approvals] == [p.signatory_post_id for p in parties]
    assert all(a.signatory_name == "" for a in approvals)
    assert all("dates neither agreement" in a.note for a in approvals)

    assert demo.status == ProtocolVersion.Status.AGREED
    assert (demo.document_date, demo.document_date_precision) == (datetime.date(2011, 7, 1), DatePrecision.MONTH)
    assert (demo.effective_date, demo.review_due) == (None, None)
    assert demo.protocol.review_cycle_months == 12
    assert "Working Together 2010" in demo.introduction

    lscb = Board.objects.get(slug=LSCB)
    assert (lscb.is_statutory, lscb.is_independent, lscb.short_name) == (True, True, "LSCB")
    assert Board.objects.get(slug=CPB).kind == Board.Kind.CHILDRENS_PARTNERSHIP
    assert {
        (b.legal_reference.instrument.title, b.legal_reference.provision)
        for b in lscb.legal_bases.select_related("legal_reference__instrument")
    } == {("Working Together to Safeguard Children 2010", "")}


def test_sections_one_to_seven_with_lettered_items_under_priority_1(demo):
    """Sections are numbered 1-7 as written; the priorities keep their labels and Priority 1's items their letters."""
    sections = list(demo.sections.order_by("position"))
    assert [s.number for s in sections] == ["1", "2", "3", "4", "5", "6", "7"]
    assert sections[6].heading == "Safeguarding Priorities for Slough 2011-12"
    clauses = Clause.objects.filter(section__version=demo)
    numbered = list(clauses.exclude(number="").order_by("position").values_list("number", flat=True))
    letters = [f"{letter}." for letter in "abcdefghijk"]
    assert numbered == ["Priority 1", *letters, "Priority 2", "Priority 3", "Priority 4", "Priority 5"]
    priority_1 = clauses.get(number="Priority 1")
    assert [c.number for c in priority_1.children.order_by("position")] == letters
    assert clauses.get(number="c.").reference == "Priority 1(c)"
    # Section 1's two halves are headed by board, and their bullets sit under their lead-ins.
    assert clauses.filter(section__number="1", text__contains="<strong>").count() == 2
    role = clauses.get(text="<p>The CPB's role and responsibility is to:</p>")
    assert role.children.count() == 8
    core = clauses.get(text__startswith="<p>The LSCB's core functions")
    assert core.children.count() == 8
    assert not core.citations.exists()  # "primary legislation and regulations", none of them named
    assert len({c.key for c in clauses}) == clauses.count()


def test_priorities_carry_their_leads_and_roles(demo):
    """Five priorities for 2011-12; Priority 1's eleven items and Priorities 2-5 each name who leads and in what
    role ("CPB to plan and monitor, LSCB to check effectiveness"), individual partners included."""
    priorities = Priority.objects.filter(version=demo).prefetch_related("leads__board").select_related("parent")

    def leads(priority):
        return [(lead.board.short_name if lead.board else lead.lead_label, lead.role) for lead in priority.leads.all()]

    top = [p for p in priorities if p.parent is None]
    assert [p.number for p in top] == ["Priority 1", "Priority 2", "Priority 3", "Priority 4", "Priority 5"]
    assert all(p.period == "2011-12" for p in priorities)
    items = {p.number: p for p in priorities if p.parent is not None}
    assert list(items) == list("abcdefghijk")
    assert all(p.parent.number == "Priority 1" for p in items.values())
    assert leads(items["a"]) == [("CPB", "plan and monitor"), ("LSCB", "check effectiveness")]
    assert leads(items["b"]) == [
        ("Individual partners", "plan, implement and monitor"),
        ("LSCB", "check effectiveness"),
    ]
    assert leads(items["d"]) == [("CPB", "plan, implement and monitor"), ("LSCB", "check effectiveness")]
    assert leads(items["e"]) == [("CPB", "plan, implement and monitor")]
    assert leads(items["g"]) == [("Individual partners", "")]
    assert [leads(items[letter]) for letter in "hjk"] == [[("LSCB", "")]] * 3
    by_number = {p.number: p for p in top}
    assert leads(by_number["Priority 2"]) == [
        ("CPB", "plan and commission"),
        ("LSCB", "scrutinise effectiveness of safeguarding"),
    ]
    for number in ("Priority 3", "Priority 4", "Priority 5"):
        assert leads(by_number[number]) == [
            ("CPB", ""),
            ("LSCB", "check effectiveness of any safeguarding implications"),
        ]
    assert all(p.source_clause.number == (p.number if p.parent is None else f"{p.number}.") for p in priorities)


def test_accountability_memberships_and_reports_are_traced_to_their_clauses(demo):
    """The DCS sits on both boards and answers to the Chief Executive, Lead Member and scrutiny panel; the LSCB Chair
    answers to the DCS; the Lead Member is a participant observer of the LSCB; the CPB consults the LSCB; the LSCB
    owes the CPB an annual report and reports quarterly on its targets; the CPB publishes its plan every three years."""
    memberships = {
        (m.board.slug, m.post.title): m.capacity
        for m in Membership.objects.filter(board__slug__in=[CPB, LSCB]).select_related("board", "post")
    }
    C = Membership.Capacity
    assert memberships == {
        (CPB, "Chair of Slough Children's Partnership Board"): C.CHAIR,
        (LSCB, "Chair of Slough Local Safeguarding Children Board"): C.CHAIR,
        (CPB, "Director of Children's Services"): C.MEMBER,
        (LSCB, "Director of Children's Services"): C.MEMBER,
        (LSCB, "Lead Member"): C.PARTICIPANT_OBSERVER,
    }

    relations = Relation.objects.filter(version=demo).select_related(
        "subject_board", "subject_post", "object_board", "object_post", "source_clause__section"
    )
    found = {
        (label(r.subject_board, r.subject_post), r.kind, label(r.object_board, r.object_post)): r.source_clause
        for r in relations
    }
    K = Relation.Kind
    in_section = {key: clause.section.number for key, clause in found.items()}
    assert {
        ("Director of Children's Services", K.ACCOUNTABLE_TO, "Chief Executive"): "4",
        ("Director of Children's Services", K.ACCOUNTABLE_TO, "Lead Member"): "4",
        ("Director of Children's Services", K.ACCOUNTABLE_TO, PANEL): "4",
        ("Director of Children's Services", K.MEMBER_OF, CPB): "4",
        ("Director of Children's Services", K.MEMBER_OF, LSCB): "4",
        ("Lead Member", K.MEMBER_OF, LSCB): "4",
        ("Chair of Slough Local Safeguarding Children Board", K.ACCOUNTABLE_TO, "Director of Children's Services"): "4",
        (CPB, K.CONSULTS, LSCB): "2",
        (LSCB, K.SCRUTINISES, CPB): "2",
        (LSCB, K.PRESENTS_ANNUAL_REPORT_TO, CPB): "2",
        (LSCB, K.ACCOUNTABLE_TO, "Director of Children's Services"): "2",
        (PANEL, K.SCRUTINISES, LSCB): "2",
        (LSCB, K.PRESENTS_ANNUAL_REPORT_TO, PANEL): "3",
        (LSCB, K.ADVISES, CPB): "1",
        (LSCB, K.RECOMMENDS_TO, CPB): "6",
    }.items() <= in_section.items()
    assert len(found) == 15

    obligations = {
        o.title: o
        for o in ReportingObligation.objects.filter(version=demo).prefetch_related(
            "recipients__board", "recipients__post"
        )
    }

    def summary(title):
        o = obligations[title]
        recipients = {label(r.board, r.post) for r in o.recipients.all()}
        senders = [label(s.board, s.post) for s in o.senders.all()]
        return (senders[0] if len(senders) == 1 else senders), o.frequency, recipients, o.source_clause.section.number

    assert summary("LSCB annual report to the CPB") == (LSCB, Frequency.ANNUAL, {CPB}, "2")
    assert summary("LSCB annual report to the scrutiny panels") == (LSCB, Frequency.ANNUAL, {PANEL}, "3")
    assert summary("LSCB business plan") == (LSCB, Frequency.ANNUAL, set(), "1")
    assert summary("Children and Young People's Plan") == (CPB, Frequency.THREE_YEARLY, set(), "1")
    assert summary("Quarterly report on the LSCB's priorities and targets") == ([], Frequency.QUARTERLY, set(), "6")
    assert summary("Progress on the areas for improvement the LSCB identified") == (CPB, "", {LSCB}, "6")
    assert len(obligations) == 6

    for model in (Relation, ReportingObligation, Duty, Priority):
        records = model.objects.filter(version=demo)
        assert not records.filter(source_clause__isnull=True).exists()
        assert not records.exclude(source_clause__section__version=demo).exists()
    chair_power = Duty.objects.get(
        version=demo, holder_post__title="Chair of Slough Local Safeguarding Children Board", kind=Duty.Kind.POWER
    )
    assert chair_power.source_clause.section.number == "4"
    assert Duty.objects.filter(version=demo, holder_board__slug=LSCB, kind=Duty.Kind.FUNCTION).count() == 8
    assert ClauseCitation.objects.filter(
        clause__section__version=demo, legal_reference__instrument__title="Working Together to Safeguard Children 2010"
    ).exists()


def test_records_only_what_the_document_states(demo):
    """Glossary, priorities and law, each compared with the protocol agreement of July 2011."""
    # The document has no glossary.
    assert glossary_terms(demo) == []
    # Section 7, "Safeguarding Priorities for Slough 2011-12": Priority 1 with items a-k, each with the leads the
    # document writes after it, then Priorities 2-5 with theirs.
    plan_monitor = [(CPB, "plan and monitor"), (LSCB, "check effectiveness")]
    plan_implement = [(CPB, "plan, implement and monitor"), (LSCB, "check effectiveness")]
    partners = [("Individual partners", "plan, implement and monitor"), (LSCB, "check effectiveness")]
    implications = [(CPB, ""), (LSCB, "check effectiveness of any safeguarding implications")]
    assert priorities(demo) == {
        "Priority 1": [],
        "Priority 1/a": plan_monitor,
        "Priority 1/b": partners,
        "Priority 1/c": plan_monitor,
        "Priority 1/d": plan_implement,
        "Priority 1/e": [(CPB, "plan, implement and monitor")],
        "Priority 1/f": partners,
        "Priority 1/g": [("Individual partners", "")],
        "Priority 1/h": [(LSCB, "")],
        "Priority 1/i": plan_implement,
        "Priority 1/j": [(LSCB, "")],
        "Priority 1/k": [(LSCB, "")],
        "Priority 2": [(CPB, "plan and commission"), (LSCB, "scrutinise effectiveness of safeguarding")],
        "Priority 3": implications,
        "Priority 4": implications,
        "Priority 5": implications,
    }
    # Law: only Working Together 2010 (the opening paragraphs and section 1). The LSCB's core functions come from
    # "primary legislation and regulations", which the document does not name; it cites no Act or section of one.
    assert legal_references(demo) == {("Working Together to Safeguard Children 2010", "")}
    assert section_numbers(demo) == set()
