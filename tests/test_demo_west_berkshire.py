"""The West Berkshire protocol between the LSCB, the Health and Wellbeing Board and the Munro Implementation Board,
as the demo loader records it."""

import datetime

import pytest

from accountability.models import ClauseCitation, Duty, Frequency, Relation, ReportingObligation
from boards.models import Board, DatePrecision
from protocols.models import Clause, ProtocolVersion

from .demo_facts import glossary_terms, legal_references, priorities, relations, section_numbers

SLUG = "west-berkshire-lscb-hwb-munro"
LSCB, HWB, MUNRO, CPB = (
    "west-berkshire-lscb",
    "west-berkshire-hwb",
    "west-berkshire-munro-implementation-board",
    "west-berkshire-cpb",
)


@pytest.fixture
def demo(demo_data, db):
    """The agreed version of the West Berkshire protocol after loading the demo data."""
    return ProtocolVersion.objects.select_related("protocol").get(protocol__slug=SLUG)


def label(board, post):
    return board.slug if board else post.title


def test_three_boards_approved_in_different_months_and_no_day_is_invented(demo):
    """Each board's approval is held to the month the document gives (H&WB December 2012, Munro Implementation
    Board October 2012, LSCB April 2013); the version is agreed from the last of them and reviewed a year later."""
    approvals = {
        party.board.slug: party.current_approval()
        for party in demo.parties.select_related("board").prefetch_related("approvals")
    }
    assert list(demo.parties.values_list("board__slug", flat=True)) == [LSCB, HWB, MUNRO]
    assert {slug: (a.approved_on, a.approved_precision) for slug, a in approvals.items()} == {
        HWB: (datetime.date(2012, 12, 1), DatePrecision.MONTH),
        MUNRO: (datetime.date(2012, 10, 1), DatePrecision.MONTH),
        LSCB: (datetime.date(2013, 4, 1), DatePrecision.MONTH),
    }
    assert {a.approved_display for a in approvals.values()} == {"December 2012", "October 2012", "April 2013"}
    # The document names nobody who signed.
    assert all(a.signatory_name == "" and a.signatory_post is None for a in approvals.values())

    assert demo.status == ProtocolVersion.Status.AGREED
    assert (demo.effective_date, demo.effective_date_precision) == (datetime.date(2013, 4, 1), DatePrecision.MONTH)
    assert demo.effective_date_display == "April 2013"
    assert demo.document_date is None
    assert demo.review_due == datetime.date(2014, 4, 1)
    protocol = demo.protocol
    assert protocol.area.slug == "west-berkshire"
    assert protocol.review_cycle_months == 12
    assert not protocol.review_on_legislation_change and not protocol.review_on_guidance_change

    lscb, hwb, munro = (Board.objects.get(slug=slug) for slug in (LSCB, HWB, MUNRO))
    assert (lscb.kind, lscb.short_name, lscb.is_statutory) == (Board.Kind.LSCB, "LSCB", True)
    assert (hwb.kind, hwb.short_name, hwb.is_statutory) == (Board.Kind.HWB, "H&WB", True)
    assert (munro.kind, munro.is_statutory) == (Board.Kind.IMPROVEMENT, False)
    # The document names the Acts the two statutory boards rest on, without citing any section.
    assert set(lscb.legal_bases.values_list("legal_reference__instrument__title", "legal_reference__provision")) == {
        ("Children Act 2004", "")
    }
    assert set(hwb.legal_bases.values_list("legal_reference__instrument__title", "legal_reference__provision")) == {
        ("Health and Social Care Act 2012", "")
    }


def test_sections_keep_the_documents_numbering_and_bullets_nest_under_their_lead_in(demo):
    """Sections 1-3 are numbered; Summary and Operational Arrangements are headed but unnumbered; every clause is
    an unnumbered paragraph or bullet, with bullets (and the five sub-bullets on information) under their lead-in."""
    sections = list(demo.sections.order_by("position"))
    assert [(s.number, s.heading) for s in sections] == [
        ("", "Summary"),
        ("1", "West Berkshire Local Safeguarding Children Board (LSCB)"),
        ("2", "West Berkshire Health and Wellbeing Board (H&WB)"),
        ("3", "West Berkshire Munro Implementation Board"),
        ("", "Operational Arrangements"),
    ]
    clauses = Clause.objects.filter(section__version=demo)
    assert not clauses.exclude(number="").exists()
    assert len({c.key for c in clauses}) == clauses.count()

    def children(heading, text_start):
        lead = clauses.get(section__heading=heading, parent=None, text__startswith=f"<p>{text_start}")
        return lead.children.count()

    assert children(sections[1].heading, "The LSCB will:") == 14
    assert children(sections[1].heading, "As regards Munro, the LSCB will:") == 6
    assert children(sections[3].heading, "The West Berkshire Munro Implementation Board exists") == 8
    assert children("Summary", "The Children Act 1989") == 4
    assert clauses.get(text__contains="safeguard children and young people by providing").children.count() == 5
    ops = clauses.filter(section__heading="Operational Arrangements")
    assert ops.filter(parent__isnull=False).count() == 8
    assert ops.order_by("position").last().plain_text.startswith("All parties have agreed this protocol")
    # The H&WB's five functions are bullets directly under section 2.
    assert clauses.filter(section__number="2", parent=None).count() == 8
    # Clause text is HTML: the ampersand in "H&WB" is escaped.
    assert "H&amp;WB" in clauses.get(section__number="2", text__contains="develops, publishes and monitors").text


def test_lscb_annual_report_goes_to_the_cpb_and_hwb_and_under_munro_5_to_four_posts(demo):
    """The LSCB's Annual Report is owed yearly to the Children's Partnership Board and the H&WB and presented to
    the H&WB; Munro recommendation 5 sends it to the Chief Executive, the Leader, the PCC and the H&WB chair."""
    obligations = {
        o.title: o
        for o in ReportingObligation.objects.filter(version=demo).prefetch_related(
            "recipients__board", "recipients__post"
        )
    }
    annual = obligations["LSCB Annual Report on the effectiveness of safeguarding arrangements in West Berkshire"]
    assert [s.slug for s in annual.sender_parties] == [LSCB]
    assert (annual.subject, annual.frequency) == (ReportingObligation.Subject.ANNUAL_REPORT, Frequency.ANNUAL)
    assert (annual.window_start_month, annual.window_end_month) == (None, None)
    assert {r.board.slug for r in annual.recipients.all()} == {CPB, HWB}
    assert annual.source_clause.plain_text.startswith("produce and publish an Annual Report")

    munro5 = obligations["LSCB annual report under Munro recommendation 5"]
    assert {label(r.board, r.post) for r in munro5.recipients.all()} == {
        "Chief Executive",
        "Leader of the Council",
        "Police and Crime Commissioner",
        "Chair of the West Berkshire Health and Wellbeing Board",
    }
    assert all(r.post.area.slug == "west-berkshire" for r in munro5.recipients.all())
    assert "recommendation 5" in munro5.source_clause.plain_text
    assert len(obligations) == 2

    # Munro recommendations 5 and 6 are the legal bases the LSCB's annual report duties rest on.
    cited = set(
        ClauseCitation.objects.filter(clause__section__version=demo).values_list(
            "legal_reference__instrument__title", "legal_reference__provision"
        )
    )
    munro = "The Munro Review of Child Protection: Final Report"
    assert {
        (munro, "recommendation 5"),
        (munro, "recommendation 6"),
        ("Children Act 1989", ""),
        ("Children Act 2004", ""),
        ("Health and Social Care Act 2012", ""),
    } <= cited
    rec6 = Duty.objects.get(version=demo, legal_references__provision="recommendation 6")
    assert rec6.holder_board.slug == LSCB
    assert rec6.source_clause.section.number == "1"


def test_relations_and_duties_are_typed_and_traced_to_their_clauses(demo):
    """The LSCB presents to the H&WB, challenges the CPB, and holds to account, challenges, scrutinises, supports
    and advises the Munro Implementation Board; the CDOP recommends to the LSCB.
    Every relation, obligation and duty comes from a clause of this version."""
    relations = Relation.objects.filter(version=demo).select_related(
        "subject_board", "object_board", "subject_post", "object_post", "source_clause__section"
    )
    found = {
        (label(r.subject_board, r.subject_post), r.kind, label(r.object_board, r.object_post)): r for r in relations
    }
    K = Relation.Kind
    assert set(found) == {
        (LSCB, K.PRESENTS_ANNUAL_REPORT_TO, HWB),
        (LSCB, K.CHALLENGES, CPB),
        (LSCB, K.HOLDS_TO_ACCOUNT, MUNRO),
        (LSCB, K.CHALLENGES, MUNRO),
        (LSCB, K.SUPPORTS, MUNRO),
        (LSCB, K.ADVISES, MUNRO),
        (LSCB, K.SCRUTINISES, MUNRO),
        ("west-berkshire-cdop", K.RECOMMENDS_TO, LSCB),
    }
    assert found[(LSCB, K.SCRUTINISES, MUNRO)].source_clause.section.number == "3"
    assert found[(LSCB, K.HOLDS_TO_ACCOUNT, MUNRO)].source_clause.plain_text.startswith("hold the West Berkshire")
    assert found[(LSCB, K.PRESENTS_ANNUAL_REPORT_TO, HWB)].frequency == Frequency.ANNUAL

    for model in (Relation, ReportingObligation, Duty):
        records = model.objects.filter(version=demo)
        assert records.exists()
        assert not records.filter(source_clause__isnull=True).exists()
        assert not records.exclude(source_clause__section__version=demo).exists()

    duties = Duty.objects.filter(version=demo)
    # Each of the eight operational arrangements binds all three boards.
    for slug in (LSCB, HWB, MUNRO):
        assert (
            duties.filter(holder_board__slug=slug, source_clause__section__heading="Operational Arrangements").count()
            == 8
        )
    jsna = duties.get(holder_board__slug=HWB, description__startswith="Identify needs and priorities")
    assert not jsna.legal_references.exists()  # the H&WB's bullets cite no law


def test_records_only_what_the_document_states(demo):
    """Glossary, priorities, relations and law, each compared with the document (West Berkshire's protocol)."""
    # The document has no glossary and lists no priorities (section 2 speaks of the JHWS's "top priorities"
    # without naming any).
    assert glossary_terms(demo) == []
    assert priorities(demo) == {}
    # Law as the document names it: the Children Act 1989 (summary), the Children Act 2004 (section 1), the
    # Health and Social Care Act 2012 (section 2) and Munro's recommendations 5 and 6 (section 1, "In
    # relation to Munro"). It cites no section of any Act.
    munro = "The Munro Review of Child Protection: Final Report"
    assert legal_references(demo) == {
        ("Children Act 1989", ""),
        ("Children Act 2004", ""),
        ("Health and Social Care Act 2012", ""),
        (munro, ""),
        (munro, "recommendation 5"),
        (munro, "recommendation 6"),
    }
    assert section_numbers(demo) == set()
    # Every relation is stated by its clause: section 1's "present the Annual Report to the Health and Wellbeing
    # Board", "honest challenge to the activities of the Children's Partnership Board" and "Act on any
    # recommendations from the Child Death Overview Panel"; the "In relation to Munro" bullets (hold to account,
    # challenge on performance, support, highlight gaps for it to consider); section 3's authority to scrutinise.
    # Formal consultation on the JSNA and JHWS names no board that consults, so no relation is drawn from it.
    K = Relation.Kind
    assert relations(demo) == {
        (LSCB, K.PRESENTS_ANNUAL_REPORT_TO, HWB),
        (LSCB, K.CHALLENGES, CPB),
        ("west-berkshire-cdop", K.RECOMMENDS_TO, LSCB),
        (LSCB, K.HOLDS_TO_ACCOUNT, MUNRO),
        (LSCB, K.CHALLENGES, MUNRO),
        (LSCB, K.SUPPORTS, MUNRO),
        (LSCB, K.ADVISES, MUNRO),
        (LSCB, K.SCRUTINISES, MUNRO),
    }
