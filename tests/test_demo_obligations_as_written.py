"""Each demo protocol's reporting obligations carry the senders and frequencies its document states, and
nothing else: where the text names no sender there is none, boards reporting jointly are all named, and a
frequency the text does not give is not stated. Relations a document denies or states both ways are
recorded so. The expected lists are read from the documents; each line says where."""

import pytest
from django.db import transaction

from accountability.demo import cheshire_west, knowsley, slough, tri_borough, west_berkshire
from accountability.demo.builder import DemoBuilder
from accountability.models import Relation, ReportingObligation


@pytest.fixture(scope="module")
def recorded(django_db_setup, django_db_blocker):
    """{protocol slug: {obligation title: (senders' names, frequency, at least)}} and the denied or mutual
    relations, read after loading all five demo protocols once (rolled back afterwards)."""
    with django_db_blocker.unblock(), transaction.atomic():
        builder = DemoBuilder()
        for module in (west_berkshire, tri_borough, cheshire_west, slough, knowsley):
            module.load(builder)
        obligations = {}
        for o in ReportingObligation.objects.select_related("version__protocol").prefetch_related(
            "senders__board", "senders__post"
        ):
            titles = obligations.setdefault(o.version.protocol.slug, {})
            assert o.title not in titles, f"two obligations titled {o.title!r}"
            titles[o.title] = (tuple(str(p) for p in o.sender_parties), o.frequency, o.frequency_at_least)
        relations = sorted(
            (r.version.protocol.slug, r.source_clause.reference, str(r))
            for r in Relation.objects.filter(negated=True).select_related(
                "version__protocol", "source_clause__parent", "subject_board", "object_board"
            )
            | Relation.objects.filter(symmetric=True).select_related(
                "version__protocol", "source_clause__parent", "subject_board", "object_board"
            )
        )
        transaction.set_rollback(True)
    return {"obligations": obligations, "relations": relations}


pytestmark = pytest.mark.django_db

NONE = ()  # the document names no sender


def test_west_berkshire(recorded):
    assert recorded["obligations"]["west-berkshire-lscb-hwb-munro"] == {
        # LSCB section, "Produce and publish an Annual Report ... reported to the CPB and the H&WB".
        "LSCB Annual Report on the effectiveness of safeguarding arrangements in West Berkshire": (
            ("West Berkshire Local Safeguarding Children Board",),
            "annual",
            False,
        ),
        # LSCB section, "Produce an annual report as required by recommendation five made by Munro".
        "LSCB annual report under Munro recommendation 5": (
            ("West Berkshire Local Safeguarding Children Board",),
            "annual",
            False,
        ),
    }


def test_tri_borough(recorded):
    LSCB, WESTMINSTER = "Tri-borough Local Safeguarding Children Board", "Westminster Health and Wellbeing Board"
    HF, KC = "Hammersmith and Fulham", "Kensington and Chelsea"
    chair = "Independent Chair of the Tri-borough Local Safeguarding Children Board"
    assert recorded["obligations"]["westminster-hwb-tri-borough-lscb"] == {
        # Covering report 4.6 a): "Between September and November each year, the Independent Chair ... present".
        "Annual Report on performance against the business plan objectives of the previous financial year": (
            (LSCB,),
            "annual",
            False,
        ),
        # 4.6 b): "the Health and Wellbeing Boards to liaise with the LSCB" - the three boards together.
        "Consulting the LSCB when the Health and Wellbeing Strategy and the JSNA are reviewed": (
            (f"{HF} Health and Wellbeing Board", f"{KC} Health and Wellbeing Board", WESTMINSTER),
            "annual",
            False,
        ),
        # 4.6 c): "Between March and May, the LSCB will share their proposed business plans".
        "Proposed business plans, shared to identify areas for partnership working across the year": (
            (LSCB,),
            "annual",
            False,
        ),
        # Protocol 11: "The Independent Chair of the LSCB will forward the LSCB's annual report".
        "LSCB annual report on how well children in the three boroughs are safeguarded and their welfare promoted": (
            (chair,),
            "annual",
            False,
        ),
        # 11: "The Chair will also present a report" - no frequency given.
        "Report on particular areas of focus where strategic leadership shared by both boards would help": (
            (chair,),
            "",
            False,
        ),
        # 12: "The H&WB will liaise ... The LSCB will provide relevant feedback" - no frequency given.
        "The JSNA, the Health and Wellbeing Strategy, commissioning intentions and how far they have been met": (
            (WESTMINSTER,),
            "",
            False,
        ),
        "Feedback on key aspects of the H&WB's plans for safeguarding and promoting the welfare of children": (
            (LSCB,),
            "",
            False,
        ),
        # 14: members in common "can ensure that key information ... are communicated" - no sender, no frequency.
        "Key information on trends, concerns and action plans, passed on through members in common": (NONE, "", False),
        # 14: "The LSCB Chair will also, at any time necessary, bring to the H&WB ...".
        "Matters needing the H&WB's attention outside the regular cycle": ((chair,), "as_required", False),
    }


def test_cheshire_west(recorded):
    LSCB, HWB, TRUST = (
        f"Cheshire West and Chester {name}"
        for name in ("Local Safeguarding Children Board", "Health and Wellbeing Board", "Children's Trust")
    )
    assert recorded["obligations"]["cheshire-west-joint-protocol"] == {
        # 12: the Trust's information "will be shared ... as appropriate and when requested".
        "Performance information on commissioning for early help and vulnerable groups": (
            (TRUST,),
            "on_request",
            False,
        ),
        # 24: "The Health and wellbeing Board will receive ... the Children and Young People's Plan" - no sender,
        # no frequency.
        "Children and Young People's Plan": (NONE, "", False),
        # 30: "the LSCB will receive and consider relevant data quarterly" - no sender.
        "Relevant data for co-ordinated planning and performance management": (NONE, "quarterly", False),
        # 32: "The LSCB will present its Annual Report and Business Plan ... on an annual basis".
        "LSCB Annual Report": ((LSCB,), "annual", False),
        "LSCB Business Plan": ((LSCB,), "annual", False),
        # 32: the HWB will "receive key reports on aspects of safeguarding when it requires".
        "Key reports on aspects of safeguarding": ((LSCB,), "on_request", False),
        # 32: "the Health and Wellbeing Board and Children's Trust will report ... as and when required by the LSCB".
        "Implementation of the ISNA priorities for children's safeguarding and welfare": (
            (HWB, TRUST),
            "as_required",
            False,
        ),
        # 33: targets "are reported to the Children's Trust and Health and Wellbeing Board" - no sender, no frequency.
        "Targets for improving safeguarding and progress against them": (NONE, "", False),
        # 34: "the Chair of the Health and Wellbeing Board will receive the annual report of the LSCB".
        "LSCB annual report: achievements against the business plan": ((LSCB,), "annual", False),
        # 40, second bullet: the LSCB Chair "will receive regular minutes ... from the Health and Wellbeing Board".
        "Minutes of meetings and pertinent papers": ((HWB,), "", False),
        # 40, second bullet: the Chair reports "on key issues ... and providing progress reports ... as they arise".
        "Key issues from LSCB business and progress reports on key aspects of safeguarding": (
            ("Independent Chair of the LSCB",),
            "as_required",
            False,
        ),
    }


def test_slough(recorded):
    assert recorded["obligations"]["slough-cpb-lscb"] == {
        # 1: "The CPB will publish a three yearly Children and Young People's Plan".
        "Children and Young People's Plan": (("Slough Children's Partnership Board",), "three_yearly", False),
        # 1: "The LSCB will publish an annual business plan".
        "LSCB business plan": (("Slough Local Safeguarding Children Board",), "annual", False),
        # 2: "The LSCB must provide an annual report to the CPB".
        "LSCB annual report to the CPB": (("Slough Local Safeguarding Children Board",), "annual", False),
        # 3: "The LSCB annual report ... will be presented to the relevant scrutiny panels".
        "LSCB annual report to the scrutiny panels": (("Slough Local Safeguarding Children Board",), "annual", False),
        # 6: priorities and targets "will be reported quarterly, with each agency taking responsibility" - no
        # sender named.
        "Quarterly report on the LSCB's priorities and targets": (NONE, "quarterly", False),
        # 6: "the CPB will consider those and report back on progress" - no frequency.
        "Progress on the areas for improvement the LSCB identified": (
            ("Slough Children's Partnership Board",),
            "",
            False,
        ),
    }


def test_knowsley(recorded):
    assert recorded["obligations"]["knowsley-hwb-kscb"] == {
        # 5.1 c): "each body will formally submit its annual report to the other body".
        "KSCB annual report, for the HWB's consideration": (("Knowsley Safeguarding Children Board",), "annual", False),
        "HWB annual report, for the KSCB's consideration": (("Knowsley Health and Wellbeing Board",), "annual", False),
        # 6.6: the KSCB Chair publishes an annual report on governance and partnership arrangements.
        "Annual report on how well local governance and partnership arrangements keep children safe": (
            ("KSCB Independent Chair",),
            "annual",
            False,
        ),
        # 6.3: the DPH's statutory independent annual report.
        "Independent annual report on the health of the population": (("Director of Public Health",), "annual", False),
        # 8.1: the chairs "share their Board Minutes with each other after every meeting".
        "KSCB minutes": (("KSCB Independent Chair",), "after_each_meeting", False),
        "HWB minutes": (("HWB Independent Chair",), "after_each_meeting", False),
        # 5.1 d): "The KSCB raising awareness of high risk issues at HWB meetings" - no frequency.
        "High-risk issues raised at HWB meetings": (("Knowsley Safeguarding Children Board",), "", False),
        # Appendix 1, 3.2 a): "information provided by the KSCB on safeguarding priorities" - no frequency.
        "Information on safeguarding priorities for the JSNA": (("Knowsley Safeguarding Children Board",), "", False),
        # 9.1: reviewed "on an annual basis"; the outcome "will inform part of the ... Annual report".
        "Outcome of the annual review of this protocol, reported in the KSCB annual report": (
            ("Knowsley Safeguarding Children Board",),
            "annual",
            False,
        ),
    }


def test_relations_the_documents_deny_or_state_both_ways(recorded):
    LSCB, WESTMINSTER = "Tri-borough Local Safeguarding Children Board", "Westminster Health and Wellbeing Board"
    assert recorded["relations"] == [
        # Cheshire West 28: the LSCB "should not be subordinate to, nor subsumed within, other local structures",
        # said of the LSCB and the Health and Wellbeing Board.
        (
            "cheshire-west-joint-protocol",
            "28",
            "Cheshire West and Chester Local Safeguarding Children Board is not subordinate to Cheshire West and Chester "
            "Health and Wellbeing Board",
        ),
        # Tri-borough covering report 1.4: "the H&WB does not have executive responsibility for the LSCB ... The
        # LSCB is not subordinate to the Health and Wellbeing Board".
        ("westminster-hwb-tri-borough-lscb", "1.4", f"{LSCB} is not subordinate to {WESTMINSTER}"),
        ("westminster-hwb-tri-borough-lscb", "1.4", f"{WESTMINSTER} has no executive responsibility for {LSCB}"),
        # Protocol 16: "The role of the LSCB in relation to the HWBB would be one of equal partners".
        ("westminster-hwb-tri-borough-lscb", "16", f"{LSCB} and {WESTMINSTER} are equal partners"),
    ]
