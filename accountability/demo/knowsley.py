"""Demo data: the Knowsley partnership protocol between the Health and Wellbeing Board and the KSCB.

Version 2, approved in June 2015. The document gives the month but not the day ("? June 2015")
and names no signatory or post, so each board's approval is recorded at month precision with
its signatory not stated. Its Appendix 1 restarts numbering at 1, so its sections carry the
part "Appendix 1".
"""

import datetime

from accountability.models import Duty, Frequency, LegalInstrument, Relation, ReportingObligation
from boards.models import Area, Board, Membership, Post
from protocols.models import ProtocolVersion, Section

from .builder import partial_date
from .common import load_common

TITLE = "Knowsley: Health and Wellbeing Board and Safeguarding Children Board partnership protocol"

PROTOCOL_TITLE = (
    "Partnership Protocol between the Knowsley Health and Wellbeing Board and the Knowsley Safeguarding Children Board"
)
APPENDIX_TITLE = (
    "The safeguarding relationship between the Knowsley Safeguarding Children Board and Health and Wellbeing Board"
)

Cap = Membership.Capacity
Kind = Relation.Kind
Subject = ReportingObligation.Subject
FUNCTION, DUTY, RESPONSIBILITY = Duty.Kind.FUNCTION, Duty.Kind.DUTY, Duty.Kind.RESPONSIBILITY


def load(b):
    c = load_common(b)
    area = b.area("knowsley", "Knowsley", kind=Area.Kind.METROPOLITAN, council_name="Knowsley Council")
    boards = _boards(b, c, area)
    posts = _posts(b, area, boards)
    _memberships(b, boards, posts)
    local = _local_documents(b)
    version = _version(b, area, boards, posts)
    cl = _document(b, c, version, local)
    _accountability(b, c, version, cl, boards, posts)
    # The protocol has no glossary, so none is recorded.


# Who exists -----------------------------------------------------------------------------------


def _boards(b, c, area):
    kscb = b.board(
        "knowsley-kscb",
        "Knowsley Safeguarding Children Board",
        Board.Kind.LSCB,
        [area],
        short_name="KSCB",
        purpose=(
            "Makes sure that individuals and organisations in Knowsley work effectively to safeguard children: "
            "it monitors and evaluates their work, advises on safeguarding practice, policies and procedures, and "
            "holds local systems and agencies to account. It neither commissions nor delivers services and is "
            "not accountable for partners' operational work; each partner keeps its own lines of accountability."
        ),
        statutory_basis=(
            "The borough's statutory multi-agency partnership, established under section 13 of the Children Act "
            "2004, with the objectives in section 14 and the functions in the Local Safeguarding Children Boards "
            "Regulations 2006 and Working Together to Safeguard Children (2006, 2010, 2013, 2015). Its statutory "
            "membership follows Working Together 2015, with further members added locally. It is independent and "
            "not subordinate to the partnership boards."
        ),
        is_statutory=True,
        is_independent=True,
    )
    b.board_basis(kscb, c.ca2004_s13, "Established under section 13 (clause 2.2)")
    b.board_basis(kscb, c.ca2004_s14, "Objectives (clause 3.5)")
    b.board_basis(kscb, c.lscb_regs_whole, "Functions (clauses 2.2 and 3.6)")
    b.board_basis(kscb, c.wt2015_whole, "Statutory membership (clause 3.2)")

    hwb = b.board(
        "knowsley-hwb",
        "Knowsley Health and Wellbeing Board",
        Board.Kind.HWB,
        [area],
        short_name="HWB",
        purpose=(
            "Improves the health and wellbeing of everyone who lives or works in Knowsley or is registered with a "
            "GP there, and the integrated working of those who provide health, social care and related services "
            "in the borough, through the Joint Health and Wellbeing Strategy and its single set of priorities, "
            "which follows a 'life course' approach."
        ),
        statutory_basis=(
            "A statutory committee of Knowsley Council, set up by the Health and Social Care Act 2012 (section "
            "194); sections 195, 196 and 199 of that Act give it its functions. Members include elected "
            "members, a Healthwatch representative and senior lead officers of the Clinical Commissioning Group, "
            "Knowsley Council and NHS England. It has an independent chair."
        ),
        is_statutory=True,
        is_independent=False,
    )
    b.board_basis(hwb, c.hsca2012_s194, "Established as a statutory committee of the council (clause 4.1)")
    for reference in (c.hsca2012_s195, c.hsca2012_s196, c.hsca2012_s199):
        b.board_basis(hwb, reference, "Functions (clause 4.3)")

    strategic = b.board(
        "knowsley-strategic-board",
        "Knowsley Strategic Board",
        Board.Kind.STRATEGIC,
        [area],
        purpose=(
            "Sets the overarching strategic direction for the borough and sees that the vision 'Knowsley: The "
            "Borough of Choice' is achieved; it may make recommendations to the Health and Wellbeing Board so "
            "that partnership approaches stay consistent."
        ),
        statutory_basis="",  # the protocol places it in the wider partnership but does not say what it rests on
        is_statutory=False,
        is_independent=False,
    )

    cdop = b.board(
        "knowsley-cdop",
        "Child Death Overview Panel",
        Board.Kind.PANEL,
        [area],
        parent=kscb,
        short_name="CDOP",
        purpose=(
            "Carries out the child-death procedures of clause 3.6 (f): a joined-up response whenever a child "
            "dies unexpectedly, and gathering and analysing information on all child deaths. Chaired by the "
            "Director of Public Health (clause 6.3, where it is written 'Child Death and Overview Panel')."
        ),
    )

    network = b.board(
        "knowsley-engagement-network",
        "Knowsley Engagement Network",
        Board.Kind.OTHER,
        [area],
        purpose=(
            "Puts engagement at the centre of partnership working: the gateway through which the KSCB and the HWB "
            "involve children, young people, families, communities, and stakeholders drawn from the public sector, "
            "the private sector and the social sector. Its work runs in four strands."
        ),
    )
    strands = {
        "lags": b.board(
            "knowsley-local-advisory-groups",
            "Local Advisory Groups",
            Board.Kind.PARTNERSHIP_GROUP,
            [area],
            parent=network,
            short_name="LAGs",
            purpose="Gives partnership work a focus on each locality of the borough.",
        ),
        "forum": b.board(
            "knowsley-engagement-forum",
            "Knowsley Engagement Forum",
            Board.Kind.PARTNERSHIP_GROUP,
            [area],
            parent=network,
            purpose="Gains insight from the public, particularly vulnerable groups, and empowers and involves them.",
        ),
        "stakeholders": b.board(
            "knowsley-partner-and-wider-stakeholder-forum",
            "Partner and Wider Stakeholder Forum",
            Board.Kind.PARTNERSHIP_GROUP,
            [area],
            parent=network,
            purpose="Gathers insight from partners and organisations that are not members of the boards.",
        ),
        "youth": b.board(
            "knowsley-youth-engagement",
            "Youth engagement",
            Board.Kind.PARTNERSHIP_GROUP,
            [area],
            parent=network,
            purpose="Uses Knowsley Youth Mutual's engagement networks so that children and young people are heard.",
        ),
    }

    # The two NHS bodies hold the section 11 duties of clause 6.9, so they are recorded as bodies; their seats on
    # the boards are organisation memberships, as the protocol names no post.
    ccg = b.board(
        "knowsley-ccg",
        "Knowsley Clinical Commissioning Group",
        Board.Kind.OTHER,
        [area],
        short_name="CCG",
        purpose="Commissions community and hospital health services (clause 2.1).",
        statutory_basis="Section 11 of the Children Act 2004 places statutory duties on it (clause 6.9).",
        is_statutory=True,
    )
    nhs_england = b.board(
        "knowsley-nhs-england",
        "NHS England",
        Board.Kind.OTHER,
        [area],
        purpose=(
            "Commissions specialist health care and certain public health services, such as screening, "
            "immunisation and the health of children aged 0 to 5 (clause 2.1)."
        ),
        statutory_basis="Section 11 of the Children Act 2004 places statutory duties on it (clause 6.9).",
        is_statutory=True,
    )
    for body in (ccg, nhs_england):
        b.board_basis(body, c.ca2004_s11, "Duty to safeguard and promote the welfare of children (clause 6.9)")

    return {
        "kscb": kscb,
        "hwb": hwb,
        "strategic": strategic,
        "cdop": cdop,
        "network": network,
        "ccg": ccg,
        "nhs_england": nhs_england,
        **strands,
    }


def _posts(b, area, boards):
    council = "Knowsley Council"
    posts = {
        "leader": b.post("Leader of the Council", Post.Kind.LEADER, area, organisation=council),
        "ph_children": b.post(
            "Portfolio Holder for Children Services", Post.Kind.LEAD_MEMBER, area, organisation=council
        ),
        # Only the children's portfolio holder is the Lead Member; the other two are recorded as other posts so
        # that "the Lead Member" of the area stays one post.
        "ph_public_health": b.post(
            "Portfolio Holder for Public Health and Wellbeing", Post.Kind.OTHER, area, organisation=council
        ),
        "ph_adults": b.post("Portfolio Holder for Adult Social Care", Post.Kind.OTHER, area, organisation=council),
        "kscb_chair": b.post("KSCB Independent Chair", Post.Kind.INDEPENDENT_CHAIR, area, board=boards["kscb"]),
        "hwb_chair": b.post("HWB Independent Chair", Post.Kind.INDEPENDENT_CHAIR, area, board=boards["hwb"]),
        "dcs": b.post("Director of Children's Services", Post.Kind.DCS, area, short_title="DCS", organisation=council),
        "dph": b.post("Director of Public Health", Post.Kind.DPH, area, short_title="DPH", organisation=council),
        "ce": b.post("Chief Executive", Post.Kind.CHIEF_EXECUTIVE, area, organisation=council),
        "coordinator": b.post("Partnership Coordinator", Post.Kind.COORDINATOR, area),
        "pcc": b.post("Police and Crime Commissioner", Post.Kind.PCC, area),
    }
    # Clause 2.2 dates the appointment of the KSCB's Independent Chair but does not name the chair: the post is
    # held (not vacant) from that month by someone the protocol does not name. Earlier releases stood a person
    # called "Name not given ..." in for them; that stand-in goes.
    b.forget_person("Name not given in the protocol (Knowsley)")
    b.holding(
        None,
        posts["kscb_chair"],
        start=partial_date(2012, 10),
        note="Appointed in October 2012, in line with Working Together 2010 (clause 2.2).",
    )
    return posts


def _memberships(b, boards, posts):
    kscb, hwb, strategic = boards["kscb"], boards["hwb"], boards["strategic"]
    table = "Membership table, clause 6.8"
    # Clause 6.8, row by row.
    b.membership(strategic, Cap.CHAIR, post=posts["leader"], note=table)
    b.membership(kscb, Cap.PARTICIPANT_OBSERVER, post=posts["ph_children"], note=table)
    b.membership(hwb, Cap.MEMBER, post=posts["ph_children"], note=table)
    b.membership(strategic, Cap.MEMBER, post=posts["ph_children"], note=table)
    b.membership(kscb, Cap.CHAIR, post=posts["kscb_chair"], note=f"{table}; appointed October 2012 (clause 2.2)")
    b.membership(hwb, Cap.CHAIR, post=posts["hwb_chair"], note=table)
    for officer in (posts["dcs"], posts["dph"]):
        b.membership(kscb, Cap.MEMBER, post=officer, note=table)
        b.membership(hwb, Cap.MEMBER, post=officer, note=table)
        b.membership(strategic, Cap.SUPPORTING_OFFICER, post=officer, note=table)

    for portfolio in (posts["ph_public_health"], posts["ph_adults"]):
        b.membership(hwb, Cap.MEMBER, post=portfolio, note="Clause 6.5")
    b.membership(boards["cdop"], Cap.CHAIR, post=posts["dph"], note="Clause 6.3")

    for organisation in ("Knowsley Clinical Commissioning Group", "NHS England"):
        b.membership(kscb, Cap.MEMBER, organisation=organisation, note="Clause 6.9")
        b.membership(hwb, Cap.MEMBER, organisation=organisation, note="Clauses 4.1 and 6.9")
    b.membership(hwb, Cap.MEMBER, organisation="Healthwatch", note="A Healthwatch representative (clause 4.1)")
    b.membership(hwb, Cap.MEMBER, organisation="Knowsley Council", note="Senior lead officers (clause 4.1)")
    b.membership(
        hwb, Cap.ATTENDEE, organisation="Key NHS providers and other partners", note="When appropriate (clause 4.1)"
    )


def _local_documents(b):
    local = LegalInstrument.Kind.LOCAL
    assurance = b.instrument("Knowsley Health and Wellbeing Board Assurance Report, 19 September 2013", local, 2013)
    kscb_tor = b.instrument("Knowsley Safeguarding Children Board Terms of Reference", local)
    constitution = b.instrument("Knowsley Council Constitution", local)
    return {
        "assurance": b.reference(assurance, "urgent notifications process"),
        "kscb_tor": b.reference(kscb_tor, ""),
        "hwb_rules": b.reference(constitution, "Health and Wellbeing Board terms of reference and procedure rules"),
    }


# What was agreed -------------------------------------------------------------------------------


def _version(b, area, boards, posts):
    protocol = b.protocol(
        "knowsley-hwb-kscb",
        PROTOCOL_TITLE,
        area,
        short_title="Knowsley HWB and KSCB partnership protocol",
        summary=(
            "How Knowsley's Health and Wellbeing Board and its Safeguarding Children Board work "
            "together without either being subordinate: each board's functions, support for each other on the "
            "JSNA and the Joint Health and Wellbeing Strategy, annual reports exchanged both ways, minutes shared "
            "between the chairs after every meeting, the roles of the DCS, the DPH, the independent chairs and "
            "the portfolio holders, the overlapping memberships, public engagement, annual review and the "
            "resolution route. Appendix 1 sets out the safeguarding relationship in detail."
        ),
        review_cycle_months=12,
        review_on_legislation_change=False,
        review_on_guidance_change=True,
        review_note=(
            "Reviewed every year, and also whenever new or revised national guidance bears on either board, "
            "or when the roles of the individuals or partnerships it describes change significantly. "
            "The outcome of each review forms part of the KSCB annual report and feeds the Council's annual "
            "review of its constitution (clause 9.1)."
        ),
    )
    june_2015 = partial_date(2015, 6)
    version = b.version(
        protocol,
        2,
        PROTOCOL_TITLE,
        ProtocolVersion.Status.AGREED,
        effective=june_2015,
        label="Version 2",
        review_due=datetime.date(2016, 6, 1),
    )
    # Section 11 closes with "Version 2 of the Partnership Protocol approved: ? June 2015": a month, no day,
    # and no signatory, post or signature line for either board, so none is recorded.
    note = "The document records 'Version 2 ... approved: ? June 2015': no day and no signatory."
    for board in (boards["hwb"], boards["kscb"]):
        b.approval(b.party(version, board), june_2015, note=note)
    return version


def _add(b, section, items, found, prefix, parent=None, parent_ref=""):
    """Add (number, text, children) items in reading order; file each clause in `found` by its reference."""
    for index, (number, text, *children) in enumerate(items, start=1):
        clause = b.clause(section, text, number=number, parent=parent)
        if parent is None:
            ref = number or f"{section.number}-{index}"
        elif number:
            ref = f"{parent_ref}({number.strip('().').strip()})"
        else:
            ref = f"{parent_ref}-{index}"
        found[f"{prefix}{ref}"] = clause
        if children:
            _add(b, section, children[0], found, prefix, clause, ref)


def _document(b, c, version, local):
    """Sections and clauses as numbered in the document, in the project's words. Returns clauses by reference:
    '3.6', '3.6(a)', '3.6(a)-2' (second bullet of 3.6 (a)), and 'A1 2.1(e)' for Appendix 1."""
    cl = {}

    def section(key, number, heading, items, kind=Section.Kind.BODY, part="", prefix=""):
        s = b.section(version, key, heading, number=number, kind=kind, part=part)
        _add(b, s, items, cl, prefix)
        return s

    section(
        "s1",
        "1",
        "Aim",
        [
            (
                "1.1",
                "This protocol describes how the two Knowsley boards, the Safeguarding Children Board (KSCB) and "
                "the Health and Wellbeing Board (HWB), relate to and depend on each other and how they work together, "
                "so that each helps the other to carry out its own functions and responsibilities and to achieve "
                "the priorities and objectives they share.",
            )
        ],
    )
    section(
        "s2",
        "2",
        "Introduction",
        [
            (
                "2.1",
                "When the Health and Social Care Act formally came into effect in April 2012, the commissioning "
                "of health and wellbeing changed shape: primary care trusts (PCTs) were abolished and a range of "
                "new health bodies created. Responsibility for commissioning most services passed from the PCTs "
                "to Clinical Commissioning Groups (community and hospital services), to local authorities (public "
                "health services) and to NHS England (specialist health care and certain public health services, "
                "such as screening, immunisation and the health of children aged 0 to 5). Commissioning for "
                "children, young people and families grew more complex and risked becoming fragmented. The Act "
                "also required Health and Wellbeing Boards to be formed, to help hold the new system to account, "
                "to promote integration and to improve health and wellbeing.",
            ),
            (
                "2.2",
                "The Knowsley Safeguarding Children Board (KSCB) is the borough's statutory multi-agency "
                "partnership, established under section 13 of the Children Act 2004. What Local Safeguarding "
                "Children Boards must aim for and do is laid down in the Local Safeguarding Children Boards "
                "Regulations and in the 2006, 2010, 2013 and 2015 editions of Working Together to Safeguard "
                "Children. In line with the 2010 edition, the KSCB appointed an Independent Chair in October "
                "2012. Working closely with all its partners, the Board has kept up its drive to improve the "
                "practice of agencies and individuals for children and young people who have been abused or "
                "harmed, or are at risk of it.",
            ),
            (
                "2.3",
                "The KSCB and the HWB work within a wider Knowsley partnership, in which the Knowsley Strategic "
                "Board sets the overarching strategic direction for the borough and makes sure that the vision "
                "<em>Knowsley: The Borough of Choice</em> is achieved. The Knowsley Strategic Board may make "
                "recommendations to the Health and Wellbeing Board so that partnership approaches stay consistent "
                "and continuous. The KSCB is an independent statutory board and is not subordinate to the "
                "partnership boards.",
            ),
            (
                "2.4",
                "Given the national and local context in which the KSCB and the HWB work, their relationship "
                "needs to be made clear and formal. The two have worked together since before the Health and "
                "Social Care Act was introduced in April 2013; this protocol clarifies and formalises the "
                "arrangements already in place.",
            ),
        ],
    )
    section(
        "s3",
        "3",
        "The Knowsley Safeguarding Children Board (KSCB)",
        [
            (
                "3.1",
                "As an independent statutory body, the KSCB is responsible for making sure that individuals "
                "and organisations in Knowsley work effectively to safeguard children. It keeps a close watch on, "
                "and evaluates, the work of organisations that deal with children, and gives advice and guidance "
                "on safeguarding practice, policies and procedures.",
            ),
            (
                "3.2",
                "Who must sit on the KSCB is set by the statutory guidance <em>Working Together to Safeguard "
                "Children (2015)</em>; further members may be added locally.",
            ),
            (
                "3.3",
                "The KSCB neither commissions nor delivers services. It holds local agencies and systems "
                "answerable for the way they keep children and young people safe, and it is nonetheless expected to start "
                "work that investigates and improves safeguarding practice. It may call any local agency "
                "represented on it to account for its safeguarding work, and it also gives advice, promotes good "
                "practice and raises awareness of possible risks.",
            ),
            (
                "3.4",
                "The KSCB's work also serves the wider aim of improving the wellbeing of every child and young "
                "person in Knowsley. That means checking that the arrangements which individual agencies and "
                "partnerships in Knowsley, the HWB among them, make for keeping children and young people safe "
                "and promoting their welfare actually work.",
            ),
            (
                "3.5",
                "Section 14 of the Children Act 2004 gives every Local Safeguarding Children Board two objectives:",
                [
                    (
                        "",
                        "to coordinate what each person or body represented on the Board does to safeguard and "
                        "promote the welfare of children in the area; and",
                    ),
                    ("", "to make sure that what each such person or body does for those purposes is effective."),
                ],
            ),
            (
                "3.6",
                "The KSCB carries out these functions:",
                [
                    (
                        "(a)",
                        "Developing policies and procedures to safeguard and promote the welfare of children, "
                        "covering:",
                        [
                            (
                                "",
                                "the action to take where a child's safety or welfare gives cause for concern, "
                                "with the thresholds for intervening;",
                            ),
                            (
                                "",
                                "training of people working with children, or in services with a bearing on "
                                "children's safety and welfare;",
                            ),
                            ("", "recruiting and supervising people who work with children;"),
                            ("", "investigating allegations about people who work with children;"),
                            ("", "the safety and welfare of privately fostered children;"),
                            (
                                "",
                                "working with the children's services authorities next door and their Board partners.",
                            ),
                        ],
                    ),
                    (
                        "(b)",
                        "Telling people and bodies in the authority's area why the welfare of children must be "
                        "safeguarded and promoted, raising their awareness of how best to do it and urging them "
                        "to act on it.",
                    ),
                    (
                        "(c)",
                        "Keeping under review and evaluating how well the authority and its Board partners, each "
                        "alone and jointly, keep children safe and promote their welfare, and advising them on "
                        "improvements.",
                    ),
                    ("(d)", "Taking part in planning services for children in the authority's area."),
                    (
                        "(e)",
                        "Reviewing serious cases in which a child has died or been seriously harmed and abuse is "
                        "known or suspected, and advising on the lessons to be learned.",
                    ),
                    (
                        "(f)",
                        "Putting procedures in place for a joined-up response whenever a child dies unexpectedly, "
                        "and for gathering and analysing information on all child deaths, so that the Knowsley "
                        "Safeguarding Children Board can spot any public health or safety concerns, or any other "
                        "issue bearing on the safety and welfare of children in its area.",
                    ),
                    (
                        "(g)",
                        "Each year, publishing a report on how well local arrangements for keeping children safe "
                        "and promoting their welfare work.",
                    ),
                    (
                        "(h)",
                        "Considering whether local protocols are needed, for example on attendance at Child "
                        "Protection Conferences.",
                    ),
                    (
                        "(i)",
                        "Coordinating partners' statutory work to care for and protect children, early help included.",
                    ),
                ],
            ),
            (
                "",
                "Operational work by individuals, agencies or organisations is not something the KSCB answers for. "
                "Each KSCB partner keeps its own lines of accountability for how its services safeguard and promote "
                "the welfare of children.",
            ),
            ("3.7", "Appendix 1 gives further detail."),
        ],
    )
    section(
        "s4",
        "4",
        "The Knowsley Health and Wellbeing Board (HWB)",
        [
            (
                "4.1",
                "Knowsley's HWB is a statutory committee of Knowsley Council, created by the Health and Social "
                "Care Act 2012 (section 194). As that section requires, its members include elected members, a "
                "representative of Healthwatch, and senior lead officers drawn from the Clinical Commissioning "
                "Group, from Knowsley Council and from NHS England. When appropriate, key NHS providers and other "
                "partners attend its meetings too.",
            ),
            (
                "4.2",
                "Above all, the HWB exists to raise the health and wellbeing of everyone who lives or works in "
                "Knowsley or is registered with a GP there, and to help those providing health, social care and "
                "related services in the borough work in a more integrated way. Its main tool is the "
                "Joint Health and Wellbeing Strategy (JHWS), which gives all HWB partners a single set of "
                "priorities. The strategy follows a 'life course' approach and names the outcomes the HWB wants "
                "to improve at each stage of people's lives.",
            ),
            (
                "4.3",
                "The HWB's functions, which come from the Health and Social Care Act 2012 (sections 195, 196 "
                "and 199) and related legislation, are:",
                [
                    (
                        "a)",
                        "Overseeing how these are prepared, published and reviewed:",
                        [
                            ("", "the Knowsley Joint Strategic Needs Assessments; and"),
                            ("", "the Knowsley Pharmaceutical Needs Assessment."),
                        ],
                    ),
                    (
                        "b)",
                        "Overseeing how the Knowsley Joint Health and Wellbeing Strategy is prepared, published "
                        "and reviewed, drawing on the Joint Strategic Needs Assessment.",
                    ),
                    (
                        "c)",
                        "Promoting the Joint Health and Wellbeing Strategy's objectives among partners and stakeholders.",
                    ),
                    (
                        "d)",
                        "Promoting integration and closer working among the bodies and organisations that arrange "
                        "health or social care services in Knowsley. The Better Care Fund, which funds integrated "
                        "care and which boards have been required to oversee, has reinforced this.",
                    ),
                    (
                        "e)",
                        "Leading joint commissioning across the borough's health, social care and health-related services.",
                    ),
                    ("f)", "Holding the local health and wellbeing system to account."),
                ],
            ),
        ],
    )
    section(
        "s5",
        "5",
        "Knowsley HWB and KSCB working together",
        [
            (
                "5.1",
                "Both Boards cooperate as follows:",
                [
                    (
                        "a)",
                        "The HWB supports the KSCB by making sure that safeguarding and child protection are built "
                        "into the statutory functions it is responsible for, the Joint Strategic Needs Assessment and "
                        "the JHWS among them. It also encourages health and wellbeing partners to put sound "
                        "safeguarding and child protection practice in place and to keep it there. Appendix 1 says "
                        "more about the HWB's part in safeguarding.",
                    ),
                    (
                        "b)",
                        "The KSCB supports the HWB by contributing to the development of the Joint Strategic Needs "
                        "Assessment, and supports it in delivering the Joint Health and Wellbeing Strategy.",
                    ),
                    (
                        "c)",
                        "Each body formally sends its annual report to the other for consideration and, where "
                        "appropriate, acts promptly on the recommendations in it.",
                    ),
                    (
                        "d)",
                        "The KSCB brings high-risk issues to the attention of HWB meetings, either via the Director "
                        "of Children's Services or by means of the urgent notifications process (see the HWB Assurance "
                        "Report of 19.09.13). In the same way, the HWB raises with the KSCB any concern it has about "
                        "the system for safeguarding children and their welfare.",
                    ),
                    (
                        "e)",
                        "Making sure that messages and information about promoting residents' health and wellbeing, "
                        "keeping children safe included, reach people within partner organisations, for example "
                        "through stakeholder events run together.",
                    ),
                    (
                        "f)",
                        "Making sure that what one body does neither duplicates nor cancels out what the other does.",
                    ),
                ],
            ),
            (
                "5.2",
                "Appendix 1 sets out in more detail how the Boards cooperate in keeping children and young "
                "people safe and promoting their welfare.",
            ),
        ],
    )
    section(
        "s6",
        "6",
        "The roles of post and position holders",
        [
            (
                "6.1",
                "Central to making the two boards' relationship work are five post holders: the Director of "
                "Children's Services (DCS), the Director of Public Health (DPH), the Chairs of the KSCB and the "
                "HWB, and the Portfolio Holder for Children Services.",
            ),
            (
                "6.2",
                "The Director of Children's Services leads on improving outcomes for children and young people in "
                "Knowsley. The DCS also coordinates the relevant work of the KSCB and the HWB and champions "
                "safeguarding in the HWB's work.",
            ),
            (
                "6.3",
                "As well as being a statutory officer of the Council, the DPH is principal adviser to elected "
                "members and officers on every health matter and leads across public health's three domains "
                "(health improvement, health protection and healthcare public health). The post also involves "
                "advising the NHS on population health and promoting safeguarding. By law the DPH must write an "
                "independent yearly report on the population's health, which reports progress on "
                "improving health and reducing inequalities and recommends further improvements. The DPH also "
                "chairs the Child Death Overview Panel.",
            ),
            (
                "6.4",
                "Political accountability for Knowsley Council meeting its legal responsibilities for keeping "
                "children and young people safe and promoting their welfare also rests with the Portfolio Holder "
                "for Children Services. This includes giving the political leadership needed to coordinate "
                "work effectively with other agencies that have safeguarding responsibilities.",
            ),
            (
                "6.5",
                "Two further portfolio holders, for Public Health and Wellbeing and for Adult Social Care, join "
                "the Portfolio Holder for Children Services as members of the Health and Wellbeing Board, where their membership helps to secure the best health and wellbeing outcomes for Knowsley's "
                "children and families.",
            ),
            (
                "6.6",
                "The HWB has an independent chair, whose key role is to make sure that it works effectively as a "
                "partnership and focuses on and delivers its priorities. The KSCB also has an independent Chair, "
                "responsible for making sure that the Board works effectively and speaks independently, and works "
                "closely with every KSCB partner, the DCS above all. Each year the KSCB Chair publishes a report "
                "on how well local governance and partnership arrangements keep children safe, and sends it to "
                "four recipients: the Chief Executive, the Leader of the Council, the HWB and the local police "
                "and crime commissioner.",
            ),
            (
                "6.7",
                "It falls to the Chief Executive to be satisfied that the DCS is meeting their managerial "
                "responsibilities for keeping children and young people safe and promoting their welfare, "
                "particularly by seeing that the relationship between the KSCB and the HWB works well. The Chief Executive also appoints and "
                "removes the KSCB chair, supported by an appointment panel.",
            ),
            ("6.8", _membership_table()),
            (
                "6.9",
                "Both the KSCB and the HWB include representatives of Knowsley Clinical Commissioning Group (CCG) "
                "and NHS England. Section 11 of the Children Act 2004 places particular statutory duties on named "
                "bodies, among them the CCG and NHS England: in carrying out their functions, and in any services "
                "contracted out to others, they must take account of the need to keep children safe and promote "
                "their welfare. The statutory guidance Working Together to Safeguard Children (2015) sets out what this "
                "requires in detail.",
            ),
            (
                "6.10",
                "Because the key roles overlap across the boards as set out above, there is a strong basis for "
                "consistent, collaborative work that helps deliver both individual and shared priorities.",
            ),
        ],
    )
    section(
        "s7",
        "7",
        "Public engagement",
        [
            (
                "7.1",
                "The KSCB and the HWB both see public engagement and involvement as essential to promoting health "
                "and wellbeing and to keeping children and young people safe. Both Boards treat improving health "
                "and wellbeing and safeguarding children as 'everyone's business'.",
            ),
            (
                "7.2",
                "Through the Knowsley Engagement Network, both the KSCB and the HWB engage with children, young "
                "people and families so that their voices are heard.",
            ),
            (
                "7.3",
                "The Knowsley Engagement Network puts engagement at the centre of partnership working and is a "
                "gateway for involving communities, and stakeholders in the public sector, the private sector and "
                "the social sector. "
                "It has four strands:",
                [
                    (
                        "",
                        "<p><strong>Local Advisory Groups (LAGs)</strong>: give partnership work a focus on each "
                        "locality.</p>",
                    ),
                    (
                        "",
                        "<p><strong>Knowsley Engagement Forum</strong>: gains insight from the public, particularly "
                        "vulnerable groups, and empowers and involves them.</p>",
                    ),
                    (
                        "",
                        "<p><strong>Partner and Wider Stakeholder Forum</strong>: gathers more insight from partners "
                        "and organisations that do not sit on the Board(s).</p>",
                    ),
                    (
                        "",
                        "<p><strong>Youth engagement</strong>: uses the engagement networks of Knowsley Youth Mutual "
                        "so that children and young people are heard.</p>",
                    ),
                ],
            ),
        ],
    )
    section(
        "s8",
        "8",
        "Operational arrangements",
        [
            (
                "8.1",
                "After each meeting the two chairs, of the Knowsley HWB and of the KSCB, exchange their Boards' "
                "minutes, and each then decides whether any of it should be passed on to the members of "
                "their own boards.",
            ),
            (
                "8.2",
                "Each year the KSCB holds an event with frontline staff from all relevant agencies to explore how "
                "effective safeguarding is at every level of need; what it finds is built into the relevant action "
                "plans.",
            ),
            (
                "8.3",
                "Where appropriate, both boards' minutes are also shared with the wider partnership so that "
                "relevant information reaches further; the chairs can arrange this through the Partnership "
                "Coordinator.",
            ),
        ],
    )
    section(
        "s9",
        "9",
        "Protocol review",
        [
            (
                "9.1",
                "This Protocol is reviewed every year, and also whenever national guidance that bears on either "
                "Board is introduced or revised, or the roles of individuals or partnerships described in it change "
                "significantly. The outcome of any review forms part of the Safeguarding Children Board's Annual "
                "Report and is also fed into the Council's annual review of its constitution.",
            )
        ],
    )
    section(
        "s10",
        "10",
        "Resolution process",
        [
            (
                "10.1",
                "If either Board fears that this Protocol is failing to produce strong partnership working, one "
                "that improves children's and young people's health and wellbeing and keeps them safe and healthy, "
                "the matter is settled by discussion among the two Boards' Chairs, the Portfolio Holders "
                "concerned, the Director of Children's Services and the Director of Public Health.",
            )
        ],
    )
    section(
        "s11",
        "11",
        "Related documents",
        [
            ("", "Knowsley Children Safeguarding Board Terms of Reference"),
            (
                "",
                "Knowsley Health and Wellbeing Board Terms of Reference/ Procedure Rules (as contained within the "
                "Knowsley Council Constitution)",
            ),
        ],
    )

    appendix = {"kind": Section.Kind.APPENDIX, "part": "Appendix 1", "prefix": "A1 "}
    # The appendix's own title heads it as an unnumbered section, since its numbering restarts at 1 "Aim".
    section("a1", "", APPENDIX_TITLE, [], **appendix)
    section(
        "a1-s1",
        "1",
        "Aim",
        [
            (
                "",
                "This supporting document gives more specific detail of the joint work of the two Knowsley "
                "boards, the KSCB and the HWB, in keeping children and young people safe and promoting their "
                "welfare. Read it together with its parent document, "
                "the \u201cPartnership Protocol between the Knowsley Health and Wellbeing Board and the Knowsley "
                "Safeguarding Children Board\u201d.",
            )
        ],
        **appendix,
    )
    section(
        "a1-s2",
        "2",
        "The detailed work of KSCB",
        [
            (
                "2.1",
                "The KSCB meets its statutory safeguarding obligations by challenging, monitoring and reviewing "
                "effectively, using:",
                [
                    (
                        "a)",
                        "Consultation on the Annual Scrutiny Programme: the KSCB consults all stakeholders and "
                        "interested parties on what its annual scrutiny programme should contain.",
                    ),
                    (
                        "b)",
                        "Practitioner Presentations: practitioners give the KSCB presentations about critical "
                        "areas of service delivery.",
                    ),
                    (
                        "c)",
                        "Board Scrutiny Visits: Board members go to practice settings and meet the staff, "
                        "volunteers, children and families who take part in care and local services.",
                    ),
                    (
                        "d)",
                        "Board Reviews: the KSCB reviews in depth issues and concerns about the wellbeing of "
                        "children in Knowsley and makes recommendations to partner organisations from that work. "
                        "What the reviews find also informs wider safeguarding policies and procedures applied "
                        "across the borough.",
                    ),
                    (
                        "e)",
                        "Review Meetings: with the Senior Board / Elected Members of each partner and stakeholder "
                        "organisation, the KSCB goes over that organisation's Memorandum of Understanding with it.",
                    ),
                    (
                        "f)",
                        "Regular audits of case files on multi-agency safeguarding practice for children and young "
                        "people, to find where practice needs to improve and to manage it, including cases below the "
                        "threshold for social care.",
                    ),
                    (
                        "g)",
                        "Developing and delivering a multi-agency training programme, built on learning from "
                        "practice and case reviews and regularly evaluated for its effect on management and "
                        "frontline practice.",
                    ),
                    (
                        "h)",
                        "Gathering the experience of children and young people as a way of measuring and evaluating "
                        "improvement.",
                    ),
                    (
                        "i)",
                        "Making sure there are ways to evaluate how effective these arrangements are, and to identify "
                        "priorities for improvement and act on them.",
                    ),
                    (
                        "j)",
                        "Learning from scrutiny and review work, and adopting and delivering the good practice it "
                        "brings out.",
                    ),
                ],
            )
        ],
        **appendix,
    )
    section(
        "a1-s3",
        "3",
        "The role of the Knowsley HWB in safeguarding",
        [
            (
                "3.1",
                "Safeguarding and child protection are themes running through all of the HWB's work, and it "
                "promotes them with partners.",
            ),
            (
                "3.2",
                "It supports the KSCB by making sure that safeguarding is:",
                [
                    (
                        "a)",
                        "Addressed as a whole in local needs assessments, the JSNA included, by considering and "
                        "acting on the KSCB's information about safeguarding priorities; the KSCB is expected to "
                        "take an active part in developing the JSNA and to bring its own distinct perspective.",
                    ),
                    ("b)", "Part of how the Joint Health and Wellbeing Strategy is developed."),
                ],
            ),
            (
                "3.3",
                "Health and wellbeing partners are also urged by the HWB to make sure that safeguarding is:",
                [
                    ("a)", "Built into commissioning with its partners, at both strategic and operational level."),
                    ("b)", "Built into partners' agendas."),
                    ("c)", "Embedded in service arrangements."),
                ],
            ),
        ],
        **appendix,
    )
    section(
        "a1-s4",
        "4",
        "The roles of post and position holders",
        [
            (
                "4.1",
                "Each key post holder's roles and responsibilities, their part in keeping children and young "
                "people safe included, are in section 6. All the same, every member of both boards is nonetheless "
                "responsible for promoting the safeguarding and protection of children and young people.",
            )
        ],
        **appendix,
    )

    # Legislation and documents the clauses themselves name.
    wt2006_whole = b.reference(c.wt2006, "")
    b.cite(cl["2.1"], c.hsca2012_whole)
    b.cite(cl["2.2"], c.ca2004_s13, c.lscb_regs_whole, wt2006_whole, c.wt2010_whole, c.wt2013_whole, c.wt2015_whole)
    b.cite(cl["2.4"], c.hsca2012_whole)
    b.cite(cl["3.2"], c.wt2015_whole)
    b.cite(cl["3.5"], c.ca2004_s14)
    b.cite(cl["4.1"], c.hsca2012_s194)
    b.cite(cl["4.3"], c.hsca2012_s195, c.hsca2012_s196, c.hsca2012_s199)
    b.cite(cl["5.1(d)"], local["assurance"])
    b.cite(cl["6.9"], c.ca2004_s11, c.wt2015_whole)
    b.cite(cl["11-1"], local["kscb_tor"])
    b.cite(cl["11-2"], local["hwb_rules"])
    return cl


def _membership_table():
    """Clause 6.8: the membership table, with each mark's capacity spelled out."""
    columns = (
        "Knowsley Safeguarding Children's Board",
        "Knowsley Health and Wellbeing Board",
        "Knowsley Strategic Board",
    )
    rows = (
        ("Leader of the Council", ("", "", "Chair")),
        ("Portfolio Holder for Children Services", ("Participant observer", "Member", "Member")),
        ("KSCB Independent Chair", ("Chair", "", "")),
        ("HWB Independent Chair", ("", "Chair", "")),
        ("DCS", ("Member", "Member", "Supporting officer")),
        ("DPH", ("Member", "Member", "Supporting officer")),
    )
    # GOV.UK table classes so the table reads like the rest of the page; an empty cell means no seat.
    th = 'class="govuk-table__header"'
    head = "".join(f'<th scope="col" {th}>{name}</th>' for name in columns)
    body = "".join(
        f'<tr class="govuk-table__row"><th scope="row" {th}>{post}</th>'
        + "".join(f'<td class="govuk-table__cell">{cell}</td>' for cell in cells)
        + "</tr>"
        for post, cells in rows
    )
    return (
        "<p>The boards' memberships are as follows:</p>"
        '<table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--s">'
        "Membership of the KSCB, the HWB and the Knowsley Strategic Board</caption>"
        f'<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" {th}>Post</th>{head}</tr>'
        f'</thead><tbody class="govuk-table__body">{body}</tbody></table>'
    )


# Who owes what to whom -------------------------------------------------------------------------


def _accountability(b, c, version, cl, boards, posts):
    kscb, hwb = boards["kscb"], boards["hwb"]
    p = posts

    # Statutory objectives and functions.
    for ref, text in (
        (
            "3.5-1",
            "Coordinate what each person or body represented on the Board does to safeguard and promote the welfare of children in Knowsley.",
        ),
        (
            "3.5-2",
            "Make sure that what each person or body represented on the Board does for those purposes is effective.",
        ),
    ):
        b.duty(version, cl[ref], kscb, text, kind=DUTY, references=[c.ca2004_s14])
    kscb_functions = {
        "a": "Develop policies and procedures to safeguard and promote the welfare of children: action on concerns and thresholds for intervention, training, recruitment and supervision, allegations against people who work with children, privately fostered children, and cooperation with neighbouring authorities.",
        "b": "Tell people and bodies in the area why children's welfare must be safeguarded and promoted, raise their awareness of how to do it and encourage them to do so.",
        "c": "Monitor and evaluate how effectively the authority and its Board partners safeguard and promote the welfare of children, and advise them how to improve.",
        "d": "Take part in planning services for children in the area.",
        "e": "Review serious cases where a child has died or been seriously harmed and abuse is known or suspected, and advise on the lessons.",
        "f": "Secure a coordinated response to each unexpected child death and collect and analyse information about every child death.",
        "g": "Publish a yearly report on how well local arrangements for keeping children safe and promoting their welfare work.",
        "h": "Decide whether local protocols are needed, for instance on attending Child Protection Conferences.",
        "i": "Coordinate partners' statutory work to care for and protect children, including early help.",
    }
    for letter, text in kscb_functions.items():
        b.duty(version, cl[f"3.6({letter})"], kscb, text, kind=FUNCTION, references=[c.lscb_regs_whole, c.ca2004_s14])
    hwb_functions = {
        "a": "Oversee how the Knowsley Joint Strategic Needs Assessments and the Knowsley Pharmaceutical Needs Assessment are prepared, published and reviewed.",
        "b": "Oversee how the Knowsley Joint Health and Wellbeing Strategy is prepared, published and reviewed, informed by the JSNA.",
        "c": "Promote the Joint Health and Wellbeing Strategy's objectives among partners and stakeholders.",
        "d": "Promote integration and closer working among those who arrange health or social care services in Knowsley, including oversight of the Better Care Fund.",
        "e": "Lead joint commissioning across the borough's health, social care and health-related services.",
        "f": "Hold the local health and wellbeing system answerable.",
    }
    for letter, text in hwb_functions.items():
        b.duty(
            version,
            cl[f"4.3({letter})"],
            hwb,
            text,
            kind=FUNCTION,
            references=[c.hsca2012_s195, c.hsca2012_s196, c.hsca2012_s199],
        )
    for body in (boards["ccg"], boards["nhs_england"]):
        b.duty(
            version,
            cl["6.9"],
            body,
            "In carrying out its functions, and in any services it contracts out to others, take account of the need to keep children safe and promote their welfare.",
            kind=DUTY,
            references=[c.ca2004_s11, c.wt2015_whole],
        )

    # Responsibilities the protocol gives the boards.
    responsibilities = [
        (
            "2.3",
            boards["strategic"],
            "Set the overarching strategic direction for the borough and achieve the vision 'Knowsley: The Borough of Choice'.",
        ),
        (
            "3.3",
            kscb,
            "Hold local agencies and systems answerable for the way they keep children and young people safe, calling any local agency represented on the Board to account for its safeguarding work.",
        ),
        (
            "3.3",
            kscb,
            "Start work that investigates and improves safeguarding practice; give advice, promote good practice and raise awareness of possible risks.",
        ),
        (
            "5.1(a)",
            hwb,
            "Build safeguarding and child protection into its statutory functions, including the JSNA and the JHWS, and encourage health and wellbeing partners to put and keep sound safeguarding practice in place.",
        ),
        (
            "5.1(b)",
            kscb,
            "Contribute to the development of the Joint Strategic Needs Assessment and support the delivery of the Joint Health and Wellbeing Strategy.",
        ),
        (
            "8.2",
            kscb,
            "Hold an annual event with frontline staff from all relevant agencies on the effectiveness of safeguarding at every level of need, and build its findings into the relevant action plans.",
        ),
        (
            "A1 3.1",
            hwb,
            "Make safeguarding and child protection cross-cutting themes in all its work and promote them with partners.",
        ),
        (
            "A1 3.2(a)",
            hwb,
            "Deal with safeguarding as a whole in local needs assessments (the JSNA among them), weighing the KSCB's information on safeguarding priorities and acting on it.",
        ),
        ("A1 3.2(b)", hwb, "Make safeguarding part of how the Joint Health and Wellbeing Strategy is developed."),
        (
            "A1 3.3(a)",
            hwb,
            "Encourage partners to build safeguarding into commissioning at strategic and operational level.",
        ),
        ("A1 3.3(b)", hwb, "Encourage partners to build safeguarding into their agendas."),
        ("A1 3.3(c)", hwb, "Encourage partners to embed safeguarding in their service arrangements."),
    ]
    for board in (kscb, hwb):
        responsibilities += [
            (
                "5.1(e)",
                board,
                "Make sure messages and information about residents' health and wellbeing, keeping children safe included, reach people within partner organisations, including through joint stakeholder events.",
            ),
            ("5.1(f)", board, "Make sure its actions neither duplicate nor cancel out those of the other board."),
            ("A1 4.1", board, "Every member promotes the safeguarding and protection of children and young people."),
        ]
    appendix_kscb = {
        "a": "Ask all stakeholders and interested parties what its annual scrutiny programme should contain.",
        "b": "Hear practitioners present on critical areas of service delivery.",
        "c": "Go to practice settings and meet the staff, volunteers, children and families who take part in care and local services.",
        "d": "Review in depth issues and concerns about children's wellbeing, make recommendations to partner organisations and use the findings to inform borough-wide safeguarding policies and procedures.",
        "e": "Meet the senior boards or elected members of partner and stakeholder organisations to review each organisation's memorandum of understanding with the KSCB.",
        "f": "Audit multi-agency case files regularly, including cases below the social care threshold, to identify and manage areas for improvement.",
        "g": "Design and run multi-agency training that draws on lessons from practice and case reviews, with its impact evaluated regularly.",
        "h": "Gather the experience of children and young people to measure and evaluate improvement.",
        "i": "Make sure there are ways to evaluate these arrangements and to identify and act on priorities for improvement.",
        "j": "Learn from scrutiny and review work and adopt and deliver the good practice it brings out.",
    }
    responsibilities += [(f"A1 2.1({letter})", kscb, text) for letter, text in appendix_kscb.items()]

    # Responsibilities of posts.
    for key in ("dcs", "dph", "kscb_chair", "hwb_chair", "ph_children"):
        responsibilities.append(
            ("6.1", p[key], "Play a central part in making the relationship between the KSCB and the HWB work.")
        )
    responsibilities += [
        ("6.2", p["dcs"], "Lead on improving outcomes for children and young people in Knowsley."),
        (
            "6.2",
            p["dcs"],
            "Coordinate the relevant work of the KSCB and the HWB and champion safeguarding in the HWB's work.",
        ),
        (
            "6.3",
            p["dph"],
            "Advise elected members and officers on every health matter as principal adviser, leading across health improvement, health protection and healthcare public health.",
        ),
        ("6.3", p["dph"], "Advise the NHS on population health and promote safeguarding."),
        (
            "6.4",
            p["ph_children"],
            "Carry political accountability for Knowsley Council meeting its legal responsibilities for keeping children and young people safe and promoting their welfare, and give the political leadership needed to coordinate work with other agencies.",
        ),
        (
            "6.5",
            p["ph_public_health"],
            "As a member of the HWB, help secure the best health and wellbeing outcomes for Knowsley's children and families.",
        ),
        (
            "6.5",
            p["ph_adults"],
            "As a member of the HWB, help secure the best health and wellbeing outcomes for Knowsley's children and families.",
        ),
        (
            "6.6",
            p["hwb_chair"],
            "Make sure the HWB functions well as a partnership, keeping its focus on its priorities and delivering them.",
        ),
        (
            "6.6",
            p["kscb_chair"],
            "Make sure the KSCB works effectively and has an independent voice, working closely with all partners and especially the DCS.",
        ),
        (
            "6.7",
            p["ce"],
            "Be satisfied that the DCS meets their managerial responsibilities for safeguarding, in particular that the relationship between the KSCB and the HWB works well.",
        ),
        (
            "8.3",
            p["coordinator"],
            "At the chairs' request, arrange for both boards' minutes to be shared with the wider partnership where appropriate.",
        ),
    ]
    for ref, holder, text in responsibilities:
        b.duty(version, cl[ref], holder, text, kind=RESPONSIBILITY)
    b.duty(
        version,
        cl["6.3"],
        p["dph"],
        "Write an independent yearly report on the population's health.",
        kind=DUTY,
    )

    # Reporting obligations.
    annual = Frequency.ANNUAL
    b.obligation(
        version,
        cl["5.1(c)"],
        kscb,
        "KSCB annual report, for the HWB's consideration",
        Subject.ANNUAL_REPORT,
        annual,
        [hwb],
        description="The HWB considers it and, where appropriate, acts promptly on its recommendations.",
    )
    b.obligation(
        version,
        cl["5.1(c)"],
        hwb,
        "HWB annual report, for the KSCB's consideration",
        Subject.ANNUAL_REPORT,
        annual,
        [kscb],
        description="The KSCB considers it and, where appropriate, acts promptly on its recommendations.",
    )
    b.obligation(
        version,
        cl["6.6"],
        p["kscb_chair"],
        "Annual report on how well local governance and partnership arrangements keep children safe",
        Subject.ANNUAL_REPORT,
        annual,
        [p["ce"], p["leader"], p["pcc"], hwb],
        description="Published by the KSCB Chair and submitted to all four recipients.",
    )
    b.obligation(
        version,
        cl["6.3"],
        p["dph"],
        "Independent annual report on the health of the population",
        Subject.ANNUAL_REPORT,
        annual,
        [],
        description=(
            "A statutory report on progress in improving health and reducing inequalities, with recommendations "
            "for further improvement. The protocol names no recipient."
        ),
    )
    for sender, recipient, board in (
        (p["kscb_chair"], p["hwb_chair"], "KSCB"),
        (p["hwb_chair"], p["kscb_chair"], "HWB"),
    ):
        b.obligation(
            version,
            cl["8.1"],
            sender,
            f"{board} minutes",
            Subject.MINUTES,
            Frequency.AFTER_EACH_MEETING,
            [recipient],
            description="The receiving chair decides whether anything should be passed on to their board's members.",
        )
    b.obligation(
        version,
        cl["5.1(d)"],
        kscb,
        "High-risk issues raised at HWB meetings",
        Subject.OTHER,
        "",  # 5.1 d) does not say how often
        [hwb],
        presenter=p["dcs"],
        description="Raised through the Director of Children's Services or the urgent notifications process.",
    )
    b.obligation(
        version,
        cl["A1 3.2(a)"],
        kscb,
        "Information on safeguarding priorities for the JSNA",
        Subject.NEEDS_ASSESSMENT,
        "",  # appendix 1, 3.2 a) does not say how often
        [hwb],
        description="The KSCB takes an active part in developing the JSNA; the HWB considers and acts on what it provides.",
    )
    b.obligation(
        version,
        cl["9.1"],
        kscb,
        "Outcome of the annual review of this protocol, reported in the KSCB annual report",
        Subject.PROGRESS_REPORT,
        annual,
        [],
        description="Forms part of the KSCB annual report and is also fed into the Council's annual review of its constitution.",
    )

    # Typed relations, each from the clause that states it.
    relations = [
        (
            "2.3",
            boards["strategic"],
            Kind.RECOMMENDS_TO,
            hwb,
            "To keep partnership approaches consistent and continuous.",
            "",
        ),
        (
            "3.4",
            kscb,
            Kind.SCRUTINISES,
            hwb,
            "Checks that the HWB's arrangements to safeguard and promote the welfare of children are effective.",
            "",
        ),
        (
            "5.1(a)",
            hwb,
            Kind.SUPPORTS,
            kscb,
            "Builds safeguarding and child protection into its statutory functions, including the JSNA and the JHWS.",
            "",
        ),
        (
            "5.1(b)",
            kscb,
            Kind.SUPPORTS,
            hwb,
            "Contributes to the JSNA and supports delivery of the Joint Health and Wellbeing Strategy.",
            "",
        ),
        (
            "5.1(c)",
            kscb,
            Kind.PRESENTS_ANNUAL_REPORT_TO,
            hwb,
            "Submitted formally for consideration.",
            Frequency.ANNUAL,
        ),
        (
            "5.1(c)",
            hwb,
            Kind.PRESENTS_ANNUAL_REPORT_TO,
            kscb,
            "Submitted formally for consideration.",
            Frequency.ANNUAL,
        ),
        (
            "5.1(d)",
            kscb,
            Kind.ADVISES,
            hwb,
            "Brings high-risk issues to the attention of HWB meetings, via the DCS or the urgent notifications process.",
            Frequency.AS_REQUIRED,
        ),
        (
            "5.1(d)",
            hwb,
            Kind.ADVISES,
            kscb,
            "Raises any concern it has about the system for safeguarding children and their welfare.",
            Frequency.AS_REQUIRED,
        ),
        (
            "6.7",
            p["ce"],
            Kind.HOLDS_TO_ACCOUNT,
            p["dcs"],
            "For how the DCS carries out their managerial responsibilities to keep children safe and promote their welfare.",
            "",
        ),
        ("6.7", p["ce"], Kind.APPOINTS_AND_REMOVES, p["kscb_chair"], "With the support of an appointment panel.", ""),
    ]
    # Not drawn, because no clause states them: the HWB holding the CCG or NHS England to account (4.3(f) speaks
    # of "the local health and wellbeing system"), the DCS advising the HWB (6.2: the DCS champions
    # safeguarding in its work) and either board consulting the Engagement Network (7.2: they engage children,
    # young people and families through it).
    for ref, subject, kind, obj, description, frequency in relations:
        b.relation(version, cl[ref], subject, kind, obj, description=description, frequency=frequency)

    # Meetings.
    b.meeting(
        version,
        cl["8.2"],
        "KSCB annual event with frontline staff",
        Frequency.ANNUAL,
        [kscb],
        agenda=[
            "How effective safeguarding is at every level of need",
            "Findings to build into the relevant action plans",
        ],
        purpose="The KSCB meets frontline staff from all relevant agencies.",
    )
    b.meeting(
        version,
        cl["A1 2.1(e)"],
        "Review meetings with partner and stakeholder organisations",
        Frequency.AS_REQUIRED,
        [kscb],
        agenda=["The memorandum of understanding between the KSCB and the organisation"],
        purpose="The KSCB meets the senior board or elected members of each partner and stakeholder organisation.",
    )

    # Resolution route: a single step of discussion among the named posts.
    b.escalation(
        version,
        cl["10.1"],
        "Resolution when the protocol is not securing strong partnership working",
        [
            (
                "Discussion among the two Boards' Chairs, the Portfolio Holders concerned, the Director of "
                "Children's Services and the Director of Public Health.",
                [
                    p["kscb_chair"],
                    p["hwb_chair"],
                    p["ph_children"],
                    p["ph_public_health"],
                    p["ph_adults"],
                    p["dcs"],
                    p["dph"],
                ],
            )
        ],
        description="Either Board may start it when concerned that partnership working for children is not strong enough.",
    )
