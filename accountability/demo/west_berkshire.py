"""West Berkshire: the protocol between the LSCB, the Munro Implementation Board and the Health and Wellbeing Board.

The three boards approved it in different months (October 2012, December 2012, April 2013); the document gives
months only, so every date here is held at month precision. Its numbered sections 1-3 cover one board each; the
opening summary and the closing operational arrangements are headed but unnumbered, and every clause inside is
an unnumbered paragraph or bullet, so clause numbers stay empty as in the document.
"""

import datetime
import html

from accountability.models import Duty, Frequency, Relation, ReportingObligation
from boards.models import Area, Board, Post
from protocols.models import ProtocolVersion

from .builder import partial_date
from .common import load_common

TITLE = "West Berkshire LSCB, H&WB and Munro Implementation Board protocol"
SLUG = "west-berkshire-lscb-hwb-munro"

FUNCTION, DUTY, RESPONSIBILITY = Duty.Kind.FUNCTION, Duty.Kind.DUTY, Duty.Kind.RESPONSIBILITY
Kind = Relation.Kind
Subject = ReportingObligation.Subject


def paragraph(text):
    """Clause text is HTML: plain prose becomes one escaped paragraph (the protocol writes 'H&WB')."""
    return f"<p>{html.escape(text, quote=False)}</p>"


def load(b):
    c = load_common(b)

    def add_clause(section, text, **kwargs):
        return b.clause(section, paragraph(text), **kwargs)

    area = b.area("west-berkshire", "West Berkshire", kind=Area.Kind.UNITARY, council_name="West Berkshire Council")

    # Boards ---------------------------------------------------------------------------------------
    lscb = b.board(
        "west-berkshire-lscb",
        "West Berkshire Local Safeguarding Children Board",
        Board.Kind.LSCB,
        [area],
        short_name="LSCB",
        purpose=(
            "Agrees how the relevant local organisations will work together to safeguard children and promote "
            "their welfare, and monitors and evaluates how well the individual agencies and the wider partnership "
            "do so. It scrutinises; it does not deliver services."
        ),
        statutory_basis=(
            "A statutory partnership set up under the Children Act 2004 and working to statutory guidance on "
            "safeguarding and promoting the welfare of children."
        ),
        is_statutory=True,
    )
    # The protocol names the Acts but cites none of their sections.
    b.board_basis(lscb, c.ca2004_whole, note="The LSCB is a statutory partnership created under this Act.")

    hwb = b.board(
        "west-berkshire-hwb",
        "West Berkshire Health and Wellbeing Board",
        Board.Kind.HWB,
        [area],
        short_name="H&WB",
        purpose=(
            "Brings together every partner with a part in improving outcomes for children to agree a shared "
            "strategy for co-operating on children's well-being, to build partnership working into each partner's "
            "everyday work, and to set the strategic frame for commissioning services jointly or with aligned "
            "budgets. It develops, publishes and monitors the joint strategies but does not implement them: "
            "implementation and commissioning stay with the individual partners."
        ),
        statutory_basis=(
            "The Health and Social Care Act 2012 required West Berkshire Council to lead the setting up of the "
            "board and to carry out joint strategic needs assessments with its partners; the board must adopt and "
            "work under a Joint Health and Wellbeing Strategy."
        ),
        is_statutory=True,
    )
    b.board_basis(
        hwb,
        c.hsca2012_whole,
        note="The Act requires West Berkshire Council to lead the setting up of the board and the joint strategic "
        "needs assessments.",
    )

    munro_board = b.board(
        "west-berkshire-munro-implementation-board",
        "West Berkshire Munro Implementation Board",
        Board.Kind.IMPROVEMENT,
        [area],
        purpose=(
            "Drives the local implementation of the Munro Review's recommendations and is the governance and "
            "oversight body for transforming local children's services, so that they work in line with the eight "
            "principles of the final Munro report."
        ),
    )
    cpb = b.board(
        "west-berkshire-cpb",
        "West Berkshire Children's Partnership Board",
        Board.Kind.CHILDRENS_PARTNERSHIP,
        [area],
        purpose="Receives the LSCB's annual report and is challenged by the LSCB on its implementation of the JHWS.",
    )
    cdop = b.board(
        "west-berkshire-cdop",
        "Child Death Overview Panel",
        Board.Kind.PANEL,
        [area],
        purpose=(
            "Makes recommendations on policy, professional practice and inter-agency working, which the LSCB acts on."
        ),
    )

    # Posts named by Munro recommendation 5, to whom the LSCB's annual report goes ----------------------
    chief_executive = b.post(
        "Chief Executive", Post.Kind.CHIEF_EXECUTIVE, area=area, organisation="West Berkshire Council"
    )
    leader = b.post("Leader of the Council", Post.Kind.LEADER, area=area, organisation="West Berkshire Council")
    pcc = b.post("Police and Crime Commissioner", Post.Kind.PCC, area=area, short_title="PCC")
    hwb_chair = b.post(
        "Chair of the West Berkshire Health and Wellbeing Board", Post.Kind.BOARD_CHAIR, area=area, board=hwb
    )

    # The protocol ----------------------------------------------------------------------------------
    protocol = b.protocol(
        SLUG,
        "Protocol on the Working Arrangements between West Berkshire Local Safeguarding Children Board, the "
        "Health and Wellbeing Board and the Munro Implementation Board",
        area,
        short_title="West Berkshire LSCB, H&WB and Munro Implementation Board protocol",
        summary=(
            "How West Berkshire's LSCB, Health and Wellbeing Board and Munro Implementation Board work together: "
            "what each board is for, what the LSCB owes the other two (its annual report, consultation on the "
            "JSNA and JHWS, scrutiny and challenge of the Munro programme) and the operational arrangements all "
            "three share."
        ),
        review_cycle_months=12,
        review_on_legislation_change=False,
        review_on_guidance_change=False,
        review_note="The parties agreed to review the protocol every year.",
    )
    effective = partial_date(2013, 4)  # the last of the three approvals
    version = b.version(
        protocol,
        1,
        protocol.title,
        ProtocolVersion.Status.AGREED,
        effective=effective,
        review_due=datetime.date(2014, 4, 1),
        change_summary="",
        introduction="",
    )

    # Summary (headed, unnumbered) -----------------------------------------------------------------------
    summary = b.section(version, "summary", "Summary")
    add_clause(
        summary,
        "This protocol describes how three boards work with one another: West Berkshire Local Safeguarding "
        "Children Board (LSCB), the Munro Implementation Board and the Health and Wellbeing Board (H&WB).",
    )
    add_clause(
        summary,
        "Each of the three boards has its own distinct part to play, and together they help keep local children safe.",
    )
    add_clause(
        summary,
        "Its purpose is to help the boards work well by making plain what each does, how they relate, and the "
        "roles and responsibilities of everyone involved.",
    )
    framework = add_clause(
        summary,
        "The Children Act 1989 sets the statutory framework for safeguarding children in need and promoting their "
        "welfare. Safeguarding and promoting children's welfare is taken to include:",
    )
    b.cite(framework, c.ca1989_whole)
    for text in (
        "protecting children from maltreatment;",
        "preventing harm to children's health or development;",
        "making sure children grow up in circumstances consistent with safe and effective care; and",
        "doing all this so that children have the best life chances and enter adulthood successfully.",
    ):
        add_clause(summary, text, parent=framework)

    # 1. The LSCB -------------------------------------------------------------------------------------
    s1 = b.section(version, "s1", "West Berkshire Local Safeguarding Children Board (LSCB)", number="1")
    lscb_status = add_clause(
        s1,
        "The LSCB is a statutory partnership set up under the Children Act 2004, working to statutory guidance on "
        "safeguarding children and promoting their welfare. It is responsible for agreeing how the relevant local "
        "organisations will co-operate to that end, and for monitoring and evaluating how effective the "
        "arrangements of individual agencies and of the wider partnership are. Its work sits within the wider "
        "arrangements of West Berkshire's Health and Wellbeing Board and contributes to the broader aim of "
        "improving the wellbeing of every child and young person.",
    )
    b.cite(lscb_status, c.ca2004_whole)
    b.duty(
        version,
        lscb_status,
        lscb,
        "Agree how the relevant local organisations co-operate to keep children safe and promote their welfare, "
        "and monitor and evaluate how well the arrangements of individual agencies and of the wider partnership "
        "work.",
        kind=DUTY,
        references=[c.ca2004_whole],
    )

    lscb_will = add_clause(s1, "The LSCB will:")

    # The bullets cite no law: each duty stands on the clause alone.
    def lscb_bullet(text, duty=None, kind=FUNCTION, references=(), parent=lscb_will):
        clause = add_clause(s1, text, parent=parent)
        if duty:
            b.duty(version, clause, lscb, duty, kind=kind, references=references)
        return clause

    annual_report = lscb_bullet(
        "produce and publish an Annual Report on how effective safeguarding arrangements in West Berkshire are, "
        "reported to the Children's Partnership Board and to the Health and Wellbeing Board;",
        duty="Produce and publish a yearly Annual Report assessing how effective safeguarding arrangements in West "
        "Berkshire are.",
    )
    b.obligation(
        version,
        annual_report,
        lscb,
        "LSCB Annual Report on the effectiveness of safeguarding arrangements in West Berkshire",
        Subject.ANNUAL_REPORT,
        Frequency.ANNUAL,
        [cpb, hwb],
        description="Produced and published by the LSCB; reported to both the Children's Partnership Board and the H&WB.",
    )
    presents = lscb_bullet("present that Annual Report to the Health and Wellbeing Board;")
    b.relation(
        version,
        presents,
        lscb,
        Kind.PRESENTS_ANNUAL_REPORT_TO,
        hwb,
        description="The LSCB presents its Annual Report to the H&WB.",
        frequency=Frequency.ANNUAL,
    )
    lscb_bullet(
        "monitor what agencies do to improve safeguarding, point out where performance falls short and advise on "
        "how to improve it;",
        duty="Monitor action taken by agencies to improve safeguarding, highlight underperformance and advise on "
        "improvement.",
    )
    lscb_bullet(
        "take part in formal consultation while the Joint Strategic Needs Assessment (JSNA) and the Joint Health "
        "and Wellbeing Strategy (JHWS) are being prepared, so far as they concern children and young people;",
        duty="Provide formal consultation on the JSNA and the JHWS as they relate to children and young people.",
        kind=RESPONSIBILITY,
        references=(),
    )
    challenge = lscb_bullet(
        "use the annual report process to challenge, honestly, the work of the Children's Partnership Board and "
        "how it is implementing the JHWS;",
        duty="Use the annual report process to challenge the Children's Partnership Board's activities and the way "
        "it implements the JHWS.",
        kind=RESPONSIBILITY,
        references=(),
    )
    b.relation(
        version,
        challenge,
        lscb,
        Kind.CHALLENGES,
        cpb,
        description="An honest challenge, through the annual report process, of the CPB's activities and its "
        "implementation of the JHWS.",
        frequency=Frequency.ANNUAL,
    )
    lscb_bullet(
        "develop and promote safeguarding policies and procedures for children and young people, circulate them "
        "widely and put them on the West Berkshire LSCB website;",
        duty="Develop, promote and publish safeguarding policies and procedures on the West Berkshire LSCB website.",
    )
    information = lscb_bullet(
        "safeguard children and young people by providing information on:",
        duty="Safeguard children and young people by providing information on thresholds and action where there are "
        "concerns, safe recruitment and supervision, allegations against people who work with children, privately "
        "fostered children, and co-operation with neighbouring Children's Services Authorities.",
    )
    for text in (
        "what to do if someone is worried about a child's safety or welfare, including the thresholds for intervening;",
        "what is required when recruiting and supervising people who work with children;",
        "investigating allegations about people who work with children;",
        "the safety and welfare of privately fostered children;",
        "co-operating with neighbouring Children's Services Authorities and their board partners.",
    ):
        add_clause(s1, text, parent=information)
    lscb_bullet(
        "raise awareness in local communities, among people who work with children (volunteers included) and among "
        "the public, of the need to safeguard children and promote their welfare;",
        duty="Communicate and raise awareness of why children must be safeguarded and their welfare promoted.",
    )
    lscb_bullet(
        "carry out Serious Case Reviews (SCRs) when a child has died or been seriously injured and abuse or "
        "neglect is known or thought to have contributed, above all where there are worries about how "
        "professionals or agencies worked together;",
        duty="Undertake Serious Case Reviews.",
    )
    lscb_bullet(
        "carry out Partnership Reviews where a case falls short of the SCR criteria but there is learning to draw "
        "out across the agencies involved;",
        duty="Undertake Partnership Reviews of cases below the SCR criteria where there is multi-agency learning.",
        kind=RESPONSIBILITY,
        references=(),
    )
    lscb_bullet(
        "monitor how the action plans from Serious Case Reviews and Partnership Reviews are carried out, and pass "
        "any lessons identified about preventing child deaths, serious injury or neglect to the organisations and "
        "bodies concerned;",
        duty="Monitor SCR and Partnership Review action plans and disseminate the lessons learnt.",
    )
    cdop_clause = lscb_bullet(
        "act on what the Child Death Overview Panel recommends for better policy, professional practice and "
        "inter-agency working, so that children are kept safe and their welfare promoted;",
        duty="Act on the recommendations of the Child Death Overview Panel.",
    )
    b.relation(
        version,
        cdop_clause,
        cdop,
        Kind.RECOMMENDS_TO,
        lscb,
        description="The LSCB acts on the panel's recommendations on policy, practice and inter-agency working.",
    )
    lscb_bullet(
        "work out what multi-disciplinary training is needed by people who work with children, or in services "
        "bearing on children's safety and welfare, and provide it effectively;",
        duty="Identify and deliver effective multi-disciplinary safeguarding training.",
    )
    lscb_bullet(
        "lead or contribute to particular safeguarding initiatives, such as e-safety, missing children, a safer "
        "workforce and sexual exploitation.",
        duty="Lead on or contribute to specific safeguarding initiatives (e-safety, missing children, safer "
        "workforce, sexual exploitation).",
        kind=RESPONSIBILITY,
        references=(),
    )

    munro_will = add_clause(s1, "As regards Munro, the LSCB will:")

    def munro_bullet(text, duty, references=()):
        clause = add_clause(s1, text, parent=munro_will)
        b.duty(version, clause, lscb, duty, kind=RESPONSIBILITY, references=references)
        return clause

    munro_bullet(
        "scrutinise, consider and comment on any significant change proposed to the local approach to delivering "
        "the Munro changes;",
        "Scrutinise, consider and comment on significant proposed changes to the local delivery of the Munro changes.",
    )
    account = munro_bullet(
        "hold the West Berkshire Munro Implementation Board accountable for safeguarding in everything it does, "
        "challenging it where appropriate on performance and on what the performance indicators show;",
        "Hold the Munro Implementation Board to account on safeguarding, challenging performance and indicator "
        "results.",
    )
    b.relation(
        version,
        account,
        lscb,
        Kind.HOLDS_TO_ACCOUNT,
        munro_board,
        description="On matters of safeguarding in all the Munro Implementation Board's activities.",
    )
    b.relation(
        version,
        account,
        lscb,
        Kind.CHALLENGES,
        munro_board,
        description="Challenge on performance and on the results of performance indicators.",
    )
    support = munro_bullet(
        "back the West Berkshire Munro Implementation Board's work with quality assurance and audit that "
        "assesses the impact of any changes made;",
        "Support the Munro Implementation Board through quality assurance and audit of the impact of changes.",
    )
    b.relation(
        version,
        support,
        lscb,
        Kind.SUPPORTS,
        munro_board,
        description="Through quality assurance and auditing work assessing the impact of changes.",
    )
    gaps = munro_bullet(
        "point out gaps in services for the West Berkshire Munro Implementation Board to consider;",
        "Highlight gaps in service for the Munro Implementation Board to consider.",
    )
    b.relation(
        version,
        gaps,
        lscb,
        Kind.ADVISES,
        munro_board,
        description="The LSCB highlights gaps in service for the Munro Implementation Board to consider.",
    )
    rec5 = munro_bullet(
        "produce an annual report as Munro's recommendation 5 requires. (Recommendation 5: the annual report "
        "each LSCB must produce and publish should no longer go to the Children's Trust Board but to the Chief "
        "Executive and the Leader of the Council, and, when legislation permits, also to the local Police and Crime "
        "Commissioner and to the chair of the health and wellbeing board.)",
        "Produce an annual report as required by Munro recommendation 5.",
        references=[c.munro_rec5],
    )
    b.cite(rec5, c.munro_rec5)
    b.obligation(
        version,
        rec5,
        lscb,
        "LSCB annual report under Munro recommendation 5",
        Subject.ANNUAL_REPORT,
        Frequency.ANNUAL,
        [chief_executive, leader, pcc, hwb_chair],
        description=(
            "Under recommendation 5 the report goes to the Chief Executive and the Leader of the Council rather "
            "than the Children's Trust Board, and, once the law allows, also to the Police and Crime Commissioner "
            "and to the chair of the health and wellbeing board."
        ),
    )
    rec6 = munro_bullet(
        "meet the requirements of Munro's recommendation 6 when producing the LSCB Annual Report. (Recommendation "
        "6: Working Together to Safeguard Children, the statutory guidance, should be changed to say that LSCBs, "
        "when monitoring and evaluating local arrangements and taking account of local need, should assess how "
        "effective the help given to children and families is (including how effective early help services, early "
        "years provision among them, are and whether they give value for money) and how effective multi-agency "
        "training to safeguard children and young people and promote their welfare is.)",
        "Include in the LSCB Annual Report the assessments required by Munro recommendation 6: the effectiveness of "
        "help for children and families (including early help and its value for money) and of multi-agency training.",
        references=[c.munro_rec6],
    )
    b.cite(rec6, c.munro_rec6)

    # 2. The Health and Wellbeing Board ----------------------------------------------------------------
    s2 = b.section(version, "s2", "West Berkshire Health and Wellbeing Board (H&WB)", number="2")
    hwb_law = add_clause(
        s2,
        "Under the Health and Social Care Act 2012 West Berkshire Council has a statutory duty to lead the setting "
        "up of a Health and Wellbeing Board and to carry out joint strategic needs assessments in partnership with "
        "others. The Board must adopt, and work under, a Joint Health and Wellbeing Strategy that names the top "
        "priorities where joint working can most improve the health and wellbeing of West Berkshire's people.",
    )
    b.cite(hwb_law, c.hsca2012_whole)
    b.duty(
        version,
        hwb_law,
        hwb,
        "Adopt a Joint Health and Wellbeing Strategy naming the top shared priorities, and work under it.",
        kind=DUTY,
        references=[c.hsca2012_whole],
    )
    strategies = add_clause(
        s2,
        "The H&WB develops, publishes and monitors the Joint Strategies and agrees the vision, policies and "
        "strategies in them, but does not itself implement them: implementing them and commissioning services "
        "remain the job of the individual partners.",
    )
    b.duty(
        version,
        strategies,
        hwb,
        "Develop, publish and monitor the Joint Strategies and agree their vision, policies and strategies "
        "(implementation and commissioning remain with the partners).",
    )
    add_clause(
        s2,
        "The H&WB exists to bring together all partners with a part in improving children's outcomes, to agree a "
        "common strategy for co-operating to improve children's well-being, and to help partners build partnership "
        "working into the way they carry out their own functions. It gives the strategic framework within which "
        "partners can commission services in a co-ordinated way, through joint or aligned budgets.",
    )
    for text, duty in (
        (
            "leading work to improve the health and well-being of West Berkshire's population through better, more "
            "integrated health and social care services;",
            "Lead work to improve the population's health and well-being through improved, integrated health and "
            "social care services.",
        ),
        (
            "identifying needs and priorities (the JSNA);",
            "Identify needs and priorities (JSNA).",
        ),
        (
            "drawing up the Joint Health and Well-Being Strategy in the light of the JSNA's findings;",
            "Base the Joint Health and Well-Being Strategy on the JSNA's findings.",
        ),
        ("communicating and engaging with local people;", "Communicate and engage with local people."),
        (
            "overseeing how the relevant public sector resources are used.",
            "Have oversight of the use of relevant public sector resources.",
        ),
    ):
        b.duty(version, add_clause(s2, text), hwb, duty, kind=FUNCTION)

    # 3. The Munro Implementation Board -----------------------------------------------------------------
    s3 = b.section(version, "s3", "West Berkshire Munro Implementation Board", number="3")
    review = add_clause(
        s3,
        "After the death of Peter Connelly (Baby P) in Haringey, Eileen Munro was commissioned to review child "
        "protection services. She wrote three reports, the final one published in June 2011. The Government "
        "accepted most of her 15 recommendations, which call for less regulation, bureaucracy and prescription and "
        "for more professionalism, more self-confidence and a learning, evidence-informed culture in Children's "
        "Services.",
    )
    b.cite(review, b.reference(c.munro, ""))
    purpose = add_clause(
        s3,
        "The West Berkshire Munro Implementation Board exists to drive the Munro Review's recommendations through "
        "in the local context. It will work so that Children's Services begin to work in ways consistent with the "
        "eight key principles of the final Munro Report:",
    )
    b.duty(
        version,
        purpose,
        munro_board,
        "Drive local implementation of the Munro Review recommendations so that Children's Services work in line "
        "with the eight key principles of the final Munro Report.",
        kind=RESPONSIBILITY,
    )
    for text in (
        "the system should put the child at its centre;",
        "the family is usually the best place to bring up children and young people;",
        "to help children and families, professionals must work alongside them;",
        "help that comes early does children more good;",
        "because what children need and the circumstances they live in differ, the system must respond in "
        "different ways;",
        "good professional practice draws on the latest theory and research;",
        "uncertainty and risk are part of child protection work;",
        "child protection systems, local and national, succeed when children receive effective help.",
    ):
        add_clause(s3, text, parent=purpose)
    roles = add_clause(
        s3,
        "Monitoring and evaluating local safeguarding arrangements is the LSCB's responsibility, while the West "
        "Berkshire Munro Implementation Board is the governance and oversight body for transforming local services.",
    )
    b.duty(
        version,
        roles,
        munro_board,
        "Govern and oversee the transformation of local services.",
        kind=RESPONSIBILITY,
    )
    scrutiny = add_clause(
        s3,
        "The LSCB is a statutory partnership and a scrutiny body, not a delivery body, though it would expect to "
        "start work that looks into and improves safeguarding practice. It may scrutinise what the West "
        "Berkshire Munro Implementation Board does, to check that it helps safeguarding practice improve.",
    )
    b.duty(
        version,
        scrutiny,
        lscb,
        "Scrutinise the work of the Munro Implementation Board to ensure it supports better safeguarding practice.",
        kind=Duty.Kind.POWER,
    )
    b.relation(
        version,
        scrutiny,
        lscb,
        Kind.SCRUTINISES,
        munro_board,
        description="The LSCB has authority to scrutinise the Munro Implementation Board's work so that it supports "
        "better safeguarding practice.",
    )
    add_clause(
        s3,
        "The LSCB's work feeds into the broader goal of better wellbeing for every child. Its job, inside the wider "
        "governance arrangements, is to check that individual agencies and the other partnerships are effective "
        "at keeping children safe and promoting their welfare.",
    )

    # Operational Arrangements (headed, unnumbered) --------------------------------------------------------
    ops = b.section(version, "operational", "Operational Arrangements")
    ops_lead = add_clause(
        ops,
        "So that local services are delivered effectively, the LSCB, the H&WB and the West Berkshire Munro "
        "Implementation Board will:",
    )
    for text, duty in (
        (
            "keep a continuing, direct relationship, communicating regularly through named lead individuals;",
            "Keep an ongoing, direct relationship with the other two boards, communicating regularly through "
            "identified lead individuals.",
        ),
        (
            "work together so that no board duplicates action another has taken;",
            "Work with the other two boards so that no action duplicates another board's.",
        ),
        (
            "commit to working together so that policies, protocols, services and practice are left without "
            "unhelpful gaps, whether strategic or operational;",
            "Work with the other two boards so that policies, protocols, services and practice have no unhelpful "
            "strategic or operational gaps.",
        ),
        (
            "take a strategic approach to understanding needs, analysing data and engaging effectively with "
            "children, young people and families;",
            "Develop a strategic approach to understanding needs, including data analysis and engagement with "
            "children, young people and families.",
        ),
        (
            "take a clear approach to judging how effective current services are and to identifying priorities for "
            "change, including where services should be improved, reshaped or developed;",
            "Develop a clear approach to understanding service effectiveness and identifying priorities for change.",
        ),
        (
            "build integrated, effective arrangements that turn the priorities for change into practice through the "
            "Joint Strategy;",
            "Develop integrated arrangements for delivering the priorities for change through the Joint Strategy.",
        ),
        (
            "make sure there are effective ways of understanding what specialist services do for the outcomes of "
            "children, young people and families, and use that knowledge to challenge, constructively, any lack "
            "of progress and to push for further improvement;",
            "Understand the impact of specialist services on outcomes and use it to challenge lack of progress and "
            "drive improvement.",
        ),
        (
            "co-ordinate how training and development are delivered, so that they are consistent and joined up.",
            "Coordinate the delivery of training and development so that it is congruent and joined up.",
        ),
    ):
        clause = add_clause(ops, text, parent=ops_lead)
        for board in (lscb, hwb, munro_board):
            b.duty(version, clause, board, duty, kind=RESPONSIBILITY)
    add_clause(ops, "All parties have agreed this protocol, and it will be reviewed every year.")

    # Parties and approvals: the document records each board's approval by month and names no signatory.
    note = "The protocol gives the month of this board's approval only and names no signatory."
    for board, approved in (
        (lscb, partial_date(2013, 4)),
        (hwb, partial_date(2012, 12)),
        (munro_board, partial_date(2012, 10)),
    ):
        b.approval(b.party(version, board), approved, note=note)
    # The protocol has no glossary, so none is recorded.
