"""Slough: the protocol agreement between the Children's Partnership Board (CPB) and the LSCB, July 2011.

The document says the two chairs formally agreed it but dates neither agreement and names neither chair: the
approvals record the chairs' posts with date and name not stated. The document itself is dated "July 2011". Sections are numbered 1-7; their
paragraphs and bullets are unnumbered, except the safeguarding priorities of section 7 ("Priority 1" to
"Priority 5", with Priority 1's items lettered a. to k.), which are also recorded as Priority rows with the
leads and roles the document gives each one.
"""

import html

from accountability.models import Duty, Frequency, Relation, ReportingObligation
from boards.models import Area, Board, Membership, Post
from protocols.models import ProtocolVersion

from .builder import partial_date
from .common import load_common

TITLE = "Slough CPB and LSCB protocol agreement"
SLUG = "slough-cpb-lscb"
PERIOD = "2011-12"
COUNCIL = "Slough Borough Council"

FUNCTION, DUTY, RESPONSIBILITY, POWER = (
    Duty.Kind.FUNCTION,
    Duty.Kind.DUTY,
    Duty.Kind.RESPONSIBILITY,
    Duty.Kind.POWER,
)
Kind = Relation.Kind
Subject = ReportingObligation.Subject

CPB_ROLE = [
    (
        "develop and promote a local vision that drives better outcomes for children, young people and families;",
        "Set out and champion a shared local vision that leads to better results for children, young people and "
        "families.",
    ),
    (
        "settle the priorities for local children and young people on the strength of a thorough analysis of need;",
        "Decide what matters most for local children and young people, working from a careful study of need.",
    ),
    (
        "develop a strategy for improving outcomes for children and young people that meets those needs;",
        "Draw up a strategy that raises outcomes and answers the needs found.",
    ),
    ("commission services to meet the needs identified;", "Buy in services that answer the needs found."),
    ("monitor how those services are delivered;", "Keep watch on how commissioned services are delivered."),
    (
        "involve children, young people and their families in planning and delivering services and in giving "
        "feedback on them;",
        "Give children, young people and families a say in planning and running services and in judging them.",
    ),
    (
        "see that the Children and Young People's Plan is carried out well;",
        "Make sure the Children and Young People's Plan is put into effect well.",
    ),
    (
        "evaluate what the outcomes mean for children's lives and use that to steer future priorities and the "
        "commissioning of services.",
        "Judge what difference outcomes make to children's lives and let that shape later priorities and "
        "commissioning.",
    ),
]

CPB_NEEDS = [
    (
        "set up robust arrangements for inter-agency governance and make sure they work;",
        "Establish robust inter-agency governance arrangements and ensure they deliver.",
    ),
    ("develop strategies for integrated working;", "Develop integrated working strategies."),
    (
        "back those strategies with integrated processes;",
        "Support the integrated strategies with integrated processes.",
    ),
    (
        "develop and promote integrated front-line delivery built around the child, the young person and the family.",
        "Build and encourage joined-up front-line work centred on the child, the young person and the family.",
    ),
]

LSCB_CORE_FUNCTIONS = [
    (
        "setting thresholds for referral to children's social care, and processes for assessing children in need;",
        "Set thresholds for referrals to children's social care and processes for assessing children in need.",
    ),
    ("agreeing inter-agency procedures and protocols;", "Agree inter-agency procedures and protocols."),
    (
        "making sure single-agency and inter-agency safeguarding training is provided and monitored;",
        "Ensure single-agency and inter-agency safeguarding training is provided and monitored.",
    ),
    (
        "monitoring and evaluating how effectively the Local Authority and every Board partner safeguard children "
        "and promote their welfare, and advising on improvements;",
        "Monitor and evaluate the effectiveness of the Local Authority's and Board partners' safeguarding work and "
        "advise on improvements.",
    ),
    ("communicating and raising awareness;", "Communicate and raise awareness."),
    ("taking part in planning and commissioning;", "Participate in planning and commissioning."),
    ("carrying out the functions that concern child deaths;", "Perform the child death functions."),
    ("commissioning and overseeing Serious Case Reviews.", "Commission and oversee Serious Case Reviews."),
]

LSCB_MEANS = [
    (
        "collecting and analysing information about child deaths so that it can inform preventive work;",
        "Collect and analyse information about child deaths for preventive work.",
    ),
    (
        "reviewing cases in which a child is known or thought to have been abused or neglected and there is "
        "concern about how well agencies worked together to keep the child safe;",
        "Review cases of known or suspected abuse or neglect where agencies' joint working is of concern.",
    ),
    (
        "leading or contributing to particular safeguarding initiatives, for example on missing children, trafficked "
        "children and sexual exploitation;",
        "Lead on or contribute to specific safeguarding initiatives (missing children, trafficked children, sexual "
        "exploitation).",
    ),
    (
        "taking part in the local planning and commissioning of children's services so that they take account of "
        "safeguarding children and promoting their welfare;",
        "Participate in local planning and commissioning of children's services so that they take safeguarding "
        "into account.",
    ),
    (
        "auditing the processes for safely recruiting and supervising people who work with children;",
        "Audit how safely people who work with children are recruited and supervised.",
    ),
    (
        "requiring allegations against people who work with children to be investigated;",
        "Require the investigation of allegations against people working with children.",
    ),
    (
        "receiving evidence about the safety and welfare of privately fostered children;",
        "Receive evidence on the safety and welfare of privately fostered children.",
    ),
    ("co-operating with other local authorities and LSCBs.", "Co-operate with other local authorities and LSCBs."),
]

# Priority 1's lettered items: (letter as written, title, clause wording of the leads, [(lead, role), ...]).
# A lead is "cpb", "lscb" or a label such as "Individual partners"; roles are the document's own words.
CPB_PLAN_MONITOR = [("cpb", "plan and monitor"), ("lscb", "check effectiveness")]
CPB_PLAN_IMPLEMENT = [("cpb", "plan, implement and monitor"), ("lscb", "check effectiveness")]
PARTNERS_PLAN = [("Individual partners", "plan, implement and monitor"), ("lscb", "check effectiveness")]
PRIORITY_1_ITEMS = [
    (
        "a",
        "Improving outcomes for children so that they are not at risk of significant harm",
        "The CPB plans and monitors; the LSCB checks effectiveness.",
        CPB_PLAN_MONITOR,
    ),
    (
        "b",
        "Sound risk assessment and risk management, with contingency and care planning, by every partner",
        "Individual partners plan, implement and monitor; the LSCB checks effectiveness.",
        PARTNERS_PLAN,
    ),
    (
        "c",
        "Identifying the particular areas of work that give rise to safeguarding concerns and making sure processes "
        "are in place to make inter-agency working as effective as possible",
        "The CPB plans and monitors; the LSCB checks effectiveness.",
        CPB_PLAN_MONITOR,
    ),
    (
        "d",
        "Making sure the most vulnerable children are identified promptly and receive services that promote their "
        "well-being and keep them safe",
        "The CPB plans, implements and monitors; the LSCB checks effectiveness.",
        CPB_PLAN_IMPLEMENT,
    ),
    (
        "e",
        "Planning and commissioning services that help parents care better for their children, above all "
        "preventing domestic abuse and substance abuse and supporting parents with mental health problems",
        "The CPB plans, implements and monitors.",
        [("cpb", "plan, implement and monitor")],
    ),
    (
        "f",
        "Stronger quality assurance in every partner, with the results used to raise the standard of safeguarding "
        "work with children and young people who are at risk of significant harm, by picking out individual "
        "children and learning from recurring themes",
        "Individual partners plan, implement and monitor; the LSCB checks effectiveness.",
        PARTNERS_PLAN,
    ),
    (
        "g",
        "Improving management oversight of children in need and of children with child protection plans",
        "Lead: individual partners.",
        [("Individual partners", "")],
    ),
    (
        "h",
        "Planning and providing safeguarding training and checking what difference it makes to children and their "
        "families",
        "Lead: the LSCB.",
        [("lscb", "")],
    ),
    (
        "i",
        "Planning and commissioning services for looked after children and young people and making sure they are "
        "safeguarded and their identified needs are met",
        "The CPB plans, implements and monitors; the LSCB checks effectiveness.",
        CPB_PLAN_IMPLEMENT,
    ),
    (
        "j",
        "Making sure looked after children and young people are adequately safeguarded in every setting",
        "Lead: the LSCB.",
        [("lscb", "")],
    ),
    (
        "k",
        "Supporting partners to develop a competent, confident and safe children's workforce",
        "Lead: the LSCB.",
        [("lscb", "")],
    ),
]

SAFEGUARDING_IMPLICATIONS = [("cpb", ""), ("lscb", "check effectiveness of any safeguarding implications")]
LATER_PRIORITIES = [
    (
        "Priority 2",
        "Supporting families to look after their children by giving children, young people and families simple, "
        "quick, easy and effective ways to spot problems and act early, with help that lets families work out their "
        "own answers so that more intensive services are not needed",
        "The CPB plans and commissions; the LSCB scrutinises how effective safeguarding is.",
        [("cpb", "plan and commission"), ("lscb", "scrutinise effectiveness of safeguarding")],
    ),
    (
        "Priority 3",
        "Supporting families so that children and young people are in good physical and emotional health all "
        "through their lives",
        "Lead: the CPB, with the LSCB checking how effectively any safeguarding implications are handled.",
        SAFEGUARDING_IMPLICATIONS,
    ),
    (
        "Priority 4",
        "Supporting families so that children and young people get a good-quality, effective education and reach "
        "high standards",
        "Lead: the CPB, with the LSCB checking how effectively any safeguarding implications are handled.",
        SAFEGUARDING_IMPLICATIONS,
    ),
    (
        "Priority 5",
        "Supporting young people, and their families, through the move into adult life",
        "Lead: the CPB, with the LSCB checking how effectively any safeguarding implications are handled.",
        SAFEGUARDING_IMPLICATIONS,
    ),
]
PRIORITY_1 = (
    "Supporting families to look after their children by ensuring children and young people are well protected "
    "from harm and kept safe at home and in their communities"
)


def paragraph(text):
    """Clause text is HTML: plain prose becomes one escaped paragraph."""
    return f"<p>{html.escape(text, quote=False)}</p>"


def load(b):
    c = load_common(b)

    def add_clause(section, text, **kwargs):
        return b.clause(section, paragraph(text), **kwargs)

    def subheading(section, text):
        # The document heads its two halves of section 1 by board; sections do not nest, so the
        # heading is kept as an unnumbered clause of its own, in reading order.
        return b.clause(section, f"<p><strong>{html.escape(text, quote=False)}</strong></p>")

    area = b.area("slough", "Slough", kind=Area.Kind.UNITARY, council_name=COUNCIL)

    # Boards ---------------------------------------------------------------------------------------
    cpb = b.board(
        "slough-cpb",
        "Slough Children's Partnership Board",
        Board.Kind.CHILDRENS_PARTNERSHIP,
        [area],
        short_name="CPB",
        purpose=(
            "Senior representatives of the organisations in Slough that work with children, young people and their "
            "parents. It sets the local vision and priorities for children and young people, commissions and "
            "monitors services to meet need, and produces, publishes and monitors the Children and Young People's "
            "Plan. It is not a separate organisation: each partner keeps its own functions and accountabilities."
        ),
    )
    lscb = b.board(
        "slough-lscb",
        "Slough Local Safeguarding Children Board",
        Board.Kind.LSCB,
        [area],
        short_name="LSCB",
        purpose=(
            "Co-ordinates safeguarding across the partner organisations and makes sure it is effective, scrutinising "
            "and challenging partners in their work to keep children safe and contributing to wider planning, "
            "commissioning and delivery. It does not run services."
        ),
        statutory_basis=(
            "A statutory partnership: primary legislation and regulations give it its core functions, and Working "
            "Together 2010 describes its responsibilities. The local authority must establish it "
            "and make sure it runs effectively. It keeps a separate identity and an independent voice."
        ),
        is_statutory=True,
        is_independent=True,
    )
    b.board_basis(lscb, c.wt2010_whole, note="Outlines the LSCB's responsibilities (section 1).")
    scrutiny_panel = b.board(
        "slough-council-scrutiny-panel",
        "Relevant scrutiny panel of Slough Borough Council",
        Board.Kind.PANEL,
        [area],
        purpose=(
            "The local authority's relevant scrutiny panel (the protocol does not name it). The DCS is accountable "
            "to it, it scrutinises the LSCB, and it receives the LSCB annual report."
        ),
    )

    # Posts ------------------------------------------------------------------------------------------
    cpb_chair = b.post("Chair of Slough Children's Partnership Board", Post.Kind.BOARD_CHAIR, area=area, board=cpb)
    lscb_chair = b.post(
        "Chair of Slough Local Safeguarding Children Board",
        Post.Kind.BOARD_CHAIR,
        area=area,
        board=lscb,
        short_title="LSCB Chair",
    )
    dcs = b.post("Director of Children's Services", Post.Kind.DCS, area=area, short_title="DCS", organisation=COUNCIL)
    chief_executive = b.post("Chief Executive", Post.Kind.CHIEF_EXECUTIVE, area=area, organisation=COUNCIL)
    leader = b.post("Leader of the Council", Post.Kind.LEADER, area=area, organisation=COUNCIL)
    lead_member = b.post("Lead Member", Post.Kind.LEAD_MEMBER, area=area, organisation=COUNCIL)
    business_manager = b.post("Business Manager", Post.Kind.BUSINESS_MANAGER, area=area)

    b.membership(cpb, Membership.Capacity.CHAIR, post=cpb_chair)
    b.membership(lscb, Membership.Capacity.CHAIR, post=lscb_chair)
    b.membership(cpb, Membership.Capacity.MEMBER, post=dcs)
    b.membership(lscb, Membership.Capacity.MEMBER, post=dcs)
    b.membership(
        lscb,
        Membership.Capacity.PARTICIPANT_OBSERVER,
        post=lead_member,
        note="The protocol calls the Lead Member a 'participating observer' of the LSCB.",
    )

    # The protocol ----------------------------------------------------------------------------------
    protocol = b.protocol(
        SLUG,
        "Protocol Agreement between Slough Children's Partnership Board and the Slough Local Safeguarding "
        "Children Board",
        area,
        short_title="Slough CPB and LSCB protocol agreement",
        summary=(
            "How Slough's Children's Partnership Board and Local Safeguarding Children Board relate: the roles and "
            "functions of each, who sits on them, how challenge, oversight and scrutiny work, how performance is "
            "managed, and the shared safeguarding priorities for 2011-12 with who leads on each."
        ),
        review_cycle_months=12,
        review_on_legislation_change=False,
        review_on_guidance_change=False,
        review_note="The chairs agreed the arrangements would be reviewed every year.",
    )
    july_2011 = partial_date(2011, 7)
    version = b.version(
        protocol,
        1,
        protocol.title,
        ProtocolVersion.Status.AGREED,
        document_date=july_2011,
        # No date of agreement is stated, so no effective date and no review date are derived from one.
        effective=None,
        review_due=None,
        change_summary="",
        introduction=(
            paragraph(
                "This agreement sets out what Slough Children's Partnership Board and Slough Local Safeguarding "
                "Children Board expect of their relationship and how they will work together: the roles and "
                "functions of each board, the membership of both, how challenge, oversight and scrutiny are "
                "arranged, and how performance is managed."
            )
            + paragraph(
                "These arrangements carry the formal agreement of both Chairs, the CPB's and the LSCB's, and will be "
                "looked at again each year. The agreement is based on section 3 of Working Together 2010."
            )
        ),
    )

    # 1. Responsibilities --------------------------------------------------------------------------------
    s1 = b.section(version, "s1", "Responsibilities of the CPB and LSCB", number="1")
    subheading(s1, "Children's Partnership Board")
    add_clause(
        s1,
        "The CPB is made up of senior representatives of the organisations in Slough that work with children, young "
        "people and their parents. It is not an organisation in its own right: every partner keeps its own "
        "functions and accountabilities.",
    )
    for lead_in, items in (
        ("The CPB's role and responsibility is to:", CPB_ROLE),
        ("For this the CPB needs to:", CPB_NEEDS),
    ):
        parent = add_clause(s1, lead_in)
        for text, duty in items:
            b.duty(version, add_clause(s1, text, parent=parent), cpb, duty, kind=RESPONSIBILITY)
    cypp = add_clause(
        s1,
        "The CPB will publish a Children and Young People's Plan every three years setting out the borough's "
        "priorities for children and young people, and will publish details of commissioning arrangements and "
        "performance monitoring on the Children's Trust website. In preparing the Plan the CPB will draw on the "
        "advice and findings of the LSCB annual report and show how it means to respond to the issues raised. The "
        "Plan will show where safeguarding arrangements and practice are strong and where they are weak, and what "
        "each partner needs to do to make children safer and better promote their welfare, concentrating in "
        "particular on:",
    )
    add_clause(s1, f"Priority 1: {PRIORITY_1};", parent=cypp)
    add_clause(s1, f"Priority 2: {LATER_PRIORITIES[0][1]}.", parent=cypp)
    b.obligation(
        version,
        cypp,
        cpb,
        "Children and Young People's Plan",
        Subject.PLAN,
        Frequency.THREE_YEARLY,
        [],
        description=(
            "Published every three years with the borough's priorities for children and young people; it draws on "
            "the LSCB annual report and shows how the CPB will respond, focusing on Priorities 1 and 2."
        ),
    )
    b.duty(
        version,
        cypp,
        cpb,
        "Publish details of commissioning arrangements and performance monitoring on the Children's Trust website.",
        kind=RESPONSIBILITY,
    )
    b.relation(
        version,
        cypp,
        lscb,
        Kind.ADVISES,
        cpb,
        description="The CPB draws on the advice and findings of the LSCB annual report when preparing the CYPP.",
    )

    subheading(s1, "Local Safeguarding Children Board")
    lscb_status = add_clause(
        s1, "The LSCB is a statutory partnership whose responsibilities are set out in Working Together 2010."
    )
    b.cite(lscb_status, c.wt2010_whole)
    add_clause(
        s1,
        "The LSCB neither operates services nor delivers them to children, young people and families. Its role is "
        "to co-ordinate safeguarding across the partner organisations and make sure it is effective, and to "
        "contribute to wider planning, commissioning and delivery.",
    )
    key = add_clause(s1, "The LSCB's key responsibilities are:")
    groups = add_clause(
        s1,
        "keeping children and young people safe, and promoting their welfare, across three broad groups:",
        parent=key,
    )
    b.duty(
        version,
        groups,
        lscb,
        "Keep children and young people safe and promote their welfare in three groups: all children (safe and "
        "effective care), "
        "targeted groups of children in need or vulnerable, and children suffering or likely to suffer significant "
        "harm.",
        kind=DUTY,
    )
    for text in (
        "universal work, reaching every child, so that all children are cared for safely and effectively;",
        "targeted work with groups of children who are vulnerable or have been assessed as 'in need';",
        "responsive work protecting children who face, or are already experiencing, significant harm.",
    ):
        add_clause(s1, text, parent=groups)
    core = add_clause(s1, "The LSCB's core functions, which come from primary legislation and regulations, include:")
    # The protocol does not name that legislation, so the functions cite none.
    for text, duty in LSCB_CORE_FUNCTIONS:
        b.duty(version, add_clause(s1, text, parent=core), lscb, duty, kind=FUNCTION)
    means = add_clause(s1, "The LSCB may agree to carry out these functions in various ways, which may include:")
    for text, duty in LSCB_MEANS:
        b.duty(version, add_clause(s1, text, parent=means), lscb, duty, kind=POWER)
    plans = add_clause(
        s1,
        "Each year the LSCB will publish a business plan setting out agreed priorities based on meeting its key "
        "responsibilities against locally identified need. It will also publish an annual report giving a "
        "thorough analysis of safeguarding in the area, which the CPB uses to make sure the structures, processes "
        "and cultures needed to keep children fully safeguarded are in place.",
    )
    b.obligation(
        version,
        plans,
        lscb,
        "LSCB business plan",
        Subject.BUSINESS_PLAN,
        Frequency.ANNUAL,
        [],
        description="Published each year: the agreed priorities, based on the LSCB's key responsibilities and local need.",
    )

    # 2. Relationship between the boards ----------------------------------------------------------------
    s2 = b.section(version, "s2", "Relationship between the CPB and the LSCB", number="2")
    roles = add_clause(
        s2,
        "The CPB and the LSCB each play an important but distinct part in keeping children safe. The CPB produces, "
        "publishes and monitors the Children and Young People's Plan, and sees that the services it commissions "
        "answer identified need and lead to better outcomes for children and young people, including their safety.",
    )
    b.duty(
        version,
        roles,
        cpb,
        "Produce, publish and monitor the CYPP and see that commissioned services answer identified need and raise "
        "outcomes, safety among them.",
        kind=RESPONSIBILITY,
    )
    challenge = add_clause(
        s2,
        "The LSCB's responsibility is to scrutinise and challenge partner organisations in their work to keep "
        "children safe. That includes the duty to promote co-operation to improve children's wellbeing in the area "
        "and to make sure the arrangements of the wider partnership and of individual agencies for safeguarding "
        "and promoting children's welfare are effective.",
    )
    b.duty(
        version,
        challenge,
        lscb,
        "Scrutinise and challenge partner organisations, promote co-operation to improve children's wellbeing, and "
        "ensure the effectiveness of partnership and agency safeguarding arrangements.",
        kind=DUTY,
    )
    ensure = add_clause(
        s2,
        "The LSCB should make sure the CPB, through its individual members and the wider partnership, is making "
        "effective arrangements to safeguard children and promote their welfare.",
    )
    b.relation(
        version,
        ensure,
        lscb,
        Kind.SCRUTINISES,
        cpb,
        description="The LSCB checks that the CPB, through its members and the wider partnership, makes effective "
        "arrangements to safeguard and promote children's welfare.",
    )
    voice = add_clause(
        s2,
        "The LSCB must keep its separate identity and its independent voice. The CPB should seek the LSCB's views "
        "on anything bearing on children's safety and welfare, the drafting of the CYPP among them.",
    )
    b.duty(version, voice, lscb, "Retain a separate identity and an independent voice.", kind=RESPONSIBILITY)
    b.relation(
        version,
        voice,
        cpb,
        Kind.CONSULTS,
        lscb,
        description="On anything bearing on children's safety and welfare, the CYPP included.",
    )
    annual = add_clause(
        s2,
        "Each year the LSCB must report to the CPB, giving its view of how well local safeguarding arrangements "
        "work and the main findings of that year's audits.",
    )
    b.obligation(
        version,
        annual,
        lscb,
        "LSCB annual report to the CPB",
        Subject.ANNUAL_REPORT,
        Frequency.ANNUAL,
        [cpb],
        description=(
            "The LSCB's assessment of local safeguarding arrangements and key audit findings of the year. It is "
            "also published, and is based on the performance management system (section 6)."
        ),
    )
    b.relation(version, annual, lscb, Kind.PRESENTS_ANNUAL_REPORT_TO, cpb, frequency=Frequency.ANNUAL)
    accountable = add_clause(
        s2,
        "The LSCB will be held to account for its work, and scrutinised, through the Director of Children's "
        "Services, the relevant scrutiny panels of the local authority and any scrutiny arrangements of member "
        "organisations.",
    )
    b.relation(version, accountable, lscb, Kind.ACCOUNTABLE_TO, dcs, description="For its work.")
    b.relation(
        version,
        accountable,
        scrutiny_panel,
        Kind.SCRUTINISES,
        lscb,
        description="With any scrutiny arrangements of the member organisations.",
    )
    together = add_clause(
        s2,
        "Working through their Chairs and the Business Manager, the CPB and the LSCB will avoid doing the same work "
        "twice and will keep their policies, procedures, protocols and practice in step.",
    )
    for holder in (cpb, lscb, business_manager):
        b.duty(
            version,
            together,
            holder,
            "Work through the Chairs and the Business Manager so that the CPB and the LSCB do not duplicate each "
            "other's work and their policies, procedures, protocols and practice are co-ordinated.",
            kind=RESPONSIBILITY,
        )

    # 3. The chairs ---------------------------------------------------------------------------------------
    s3 = b.section(version, "s3", "Relationship between the Chairs of the LSCB and the CPB", number="3")
    chairs = add_clause(
        s3,
        "The CPB and the LSCB should each have its own Chair. The two Chairs work co-operatively: the CPB's towards "
        "better outcomes for children, the LSCB's towards their safeguarding.",
    )
    b.duty(
        version,
        chairs,
        cpb_chair,
        "Work co-operatively with the LSCB Chair to deliver improved outcomes for children.",
        kind=RESPONSIBILITY,
    )
    b.duty(
        version,
        chairs,
        lscb_chair,
        "Work co-operatively with the CPB Chair to deliver the safeguarding of children.",
        kind=RESPONSIBILITY,
    )
    satisfied = add_clause(
        s3,
        "Both the Chief Executive and the Leader of the Council need to be assured that the way local partners work "
        "together is bringing children better outcomes and backing safeguarding.",
    )
    for holder in (chief_executive, leader):
        b.duty(
            version,
            satisfied,
            holder,
            "Be assured that joint working between local partners is raising outcomes for children and backing "
            "safeguarding.",
            kind=RESPONSIBILITY,
        )
    report = add_clause(
        s3,
        "The LSCB annual report will set out what the LSCB has achieved against its agreed business plan, drawing "
        "out particular improvements and particular concerns and challenges. It will be presented to the relevant "
        "scrutiny panels of every agency.",
    )
    b.obligation(
        version,
        report,
        lscb,
        "LSCB annual report to the scrutiny panels",
        Subject.ANNUAL_REPORT,
        Frequency.ANNUAL,
        [scrutiny_panel],
        description=(
            "Achievements against the business plan, areas of improvement and areas of concern and challenge; "
            "presented to the relevant scrutiny panels of all agencies, the local authority's among them."
        ),
    )
    b.relation(version, report, lscb, Kind.PRESENTS_ANNUAL_REPORT_TO, scrutiny_panel, frequency=Frequency.ANNUAL)

    # 4. The DCS and the LSCB Chair --------------------------------------------------------------------
    s4 = b.section(
        version, "s4", "Relationship between the Director of Children's Services and the Chair of the LSCB", number="4"
    )
    dcs_role = add_clause(
        s4,
        "Local authorities must set up an LSCB for their area and make sure it runs effectively. The DCS is "
        "responsible for the LSCB's work as a whole and is accountable to the local authority's Chief Executive, "
        "its Lead Member and its relevant scrutiny panel. The DCS should be a member of the CPB and of the "
        "LSCB, and the Lead Member takes part in the LSCB as a 'participating observer'.",
    )
    b.duty(version, dcs_role, dcs, "Responsible for the work of the LSCB as a whole.", kind=RESPONSIBILITY)
    for superior in (chief_executive, lead_member, scrutiny_panel):
        b.relation(version, dcs_role, dcs, Kind.ACCOUNTABLE_TO, superior)
    b.relation(version, dcs_role, dcs, Kind.MEMBER_OF, cpb)
    b.relation(version, dcs_role, dcs, Kind.MEMBER_OF, lscb)
    b.relation(version, dcs_role, lead_member, Kind.MEMBER_OF, lscb, description="As a 'participating observer'.")
    functioning = add_clause(
        s4, "The DCS is accountable for how the LSCB functions, and the LSCB Chair is accountable to the DCS."
    )
    b.duty(version, functioning, dcs, "Accountable for the functioning of the LSCB.", kind=RESPONSIBILITY)
    b.relation(version, functioning, lscb_chair, Kind.ACCOUNTABLE_TO, dcs)
    direct = add_clause(
        s4,
        "The LSCB Chair may deal directly with the monitoring bodies concerned, the relevant inspectorate for "
        "example, and if need be with the government department responsible.",
    )
    b.duty(
        version,
        direct,
        lscb_chair,
        "Deal directly with the monitoring bodies concerned (the inspectorate, for instance) and, where needed, with "
        "the government department responsible.",
        kind=POWER,
    )

    # 5. Membership --------------------------------------------------------------------------------------
    s5 = b.section(version, "s5", "Membership of the LSCB and CPB", number="5")
    add_clause(
        s5,
        "LSCB members should hold a strategic role in safeguarding and promoting children's welfare within their "
        "own organisation, and be able to speak for it with authority, commit it to decisions on policy and "
        "practice, and hold it to account.",
    )
    add_clause(
        s5,
        "CPB members should have a strategic part in how services for children, young people and families are "
        "planned, delivered or commissioned.",
    )
    add_clause(
        s5,
        "The LSCB and the CPB each have terms of reference and a set membership (governance), and every member "
        "organisation has committed, through its Chief Executive or equivalent, to its representatives' role on "
        "both boards.",
    )
    add_clause(
        s5,
        "Members who sit on both boards will represent their organisation in line with each board's terms of "
        "reference: leading on safeguarding at the LSCB, and planning, commissioning and monitoring at the CPB.",
    )

    # 6. Performance management -----------------------------------------------------------------------------
    s6 = b.section(version, "s6", "Performance Management", number="6")
    involved = add_clause(
        s6,
        "Members of the LSCB and of the CPB will be fully involved in developing the CYPP and the measures agreed "
        "for judging performance against its targets.",
    )
    for board in (lscb, cpb):
        b.duty(
            version,
            involved,
            board,
            "Be fully involved in developing the CYPP and the measures for assessing performance against its targets.",
            kind=RESPONSIBILITY,
        )
    targets = add_clause(
        s6,
        "The LSCB agrees and sets its own priorities and targets, with regard to the CYPP and to other local and "
        "national issues. They will be the basis of the LSCB business plan and workplan and will be reported on "
        "every quarter, each agency being responsible for reporting its performance on the agreed measures.",
    )
    b.obligation(
        version,
        targets,
        None,  # "will be reported on every quarter": each agency reports its part; no sender is named
        "Quarterly report on the LSCB's priorities and targets",
        Subject.PERFORMANCE_DATA,
        Frequency.QUARTERLY,
        [],
        description=(
            "Progress against the priorities and targets in the LSCB business plan and workplan; each agency "
            "reports its own performance on the agreed measures. The protocol names no recipient."
        ),
    )
    improvement = add_clause(
        s6,
        "Where the LSCB identifies areas needing improvement, the CPB will consider them and report back on progress.",
    )
    b.relation(
        version,
        improvement,
        lscb,
        Kind.RECOMMENDS_TO,
        cpb,
        description="Areas for improvement identified by the LSCB, which the CPB considers.",
    )
    b.obligation(
        version,
        improvement,
        cpb,
        "Progress on the areas for improvement the LSCB identified",
        Subject.PROGRESS_REPORT,
        "",  # the protocol does not say how often
        [lscb],
    )
    add_clause(
        s6,
        "The performance management system will be the basis of the LSCB's annual report to the CTB and to any "
        "other relevant scrutiny arrangements.",
    )

    # 7. Safeguarding priorities 2011-12 ---------------------------------------------------------------------
    s7 = b.section(version, "s7", "Safeguarding Priorities for Slough 2011-12", number="7")
    add_clause(
        s7,
        "Slough's safeguarding priorities for 2011-12 draw on three sources: the Joint Strategic Needs Analysis, "
        "the Children's Needs Analysis, and the findings Ofsted published in June 2011 after inspecting "
        "safeguarding and looked after children in Slough.",
    )
    add_clause(s7, "The priorities set out to improve outcomes for children through:")
    boards = {"cpb": cpb, "lscb": lscb}

    def leads(rows):
        return [(boards.get(lead, lead), role) for lead, role in rows]

    p1_clause = add_clause(s7, f"{PRIORITY_1}.", number="Priority 1")
    p1 = b.priority(version, p1_clause, "Priority 1", PRIORITY_1, period=PERIOD)
    for letter, title, lead_text, rows in PRIORITY_1_ITEMS:
        item = add_clause(s7, f"{title}. {lead_text}", number=f"{letter}.", parent=p1_clause)
        b.priority(version, item, letter, title, leads=leads(rows), parent=p1, period=PERIOD)
    for number, title, lead_text, rows in LATER_PRIORITIES:
        clause = add_clause(s7, f"{title}. {lead_text}", number=number)
        b.priority(version, clause, number, title, leads=leads(rows), period=PERIOD)

    # Parties and approvals ----------------------------------------------------------------------------
    # The opening paragraphs: "The Chairs of the CPB and the LSCB have formally agreed to the arrangements";
    # the posts are stated, the chairs' names and the date of their agreement are not.
    note = "The protocol says the Chairs formally agreed it; it names neither chair and dates neither agreement."
    for board, chair, written in ((cpb, cpb_chair, "Chair of the CPB"), (lscb, lscb_chair, "Chair of the LSCB")):
        party = b.party(version, board, signatory_post=chair)
        b.approval(party, None, signatory_post_title=written, signatory_post=chair, note=note)
    # The protocol has no glossary, so none is recorded.
