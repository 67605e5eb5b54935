"""Demo data: the joint protocol of Cheshire West and Chester's four partnership boards (signed July-August 2015).

The LSCB, the Health and Wellbeing Board, the Children's Trust and the Community Safety Partnership each
signed through their chair; the last signature (the LSCB's, 11 August 2015) is when the protocol took
effect. Paragraphs are numbered 1-45 straight through under unnumbered headings, so each paragraph is a
clause numbered as written and its bullets are unnumbered child clauses. The wording below is ours; names,
dates and numbering are the document's.
"""

from accountability.models import Duty, Frequency, Relation, ReportingObligation
from boards.models import Area, Board, Membership, Post
from protocols.models import ProtocolVersion

from .builder import partial_date
from .common import LEG, load_common

TITLE = "Cheshire West and Chester joint protocol"

AREA_SLUG = "cheshire-west-and-chester"
PROTOCOL_SLUG = "cheshire-west-joint-protocol"
COUNCIL = "Cheshire West and Chester Council"

R = Relation.Kind
S = ReportingObligation.Subject


def load(b):
    c = load_common(b)
    ca2004_whole = b.reference(c.ca2004, "", f"{LEG}/ukpga/2004/31/contents")

    area = b.area(
        AREA_SLUG,
        "Cheshire West and Chester",
        kind=Area.Kind.UNITARY,
        council_name=COUNCIL,
        website="https://www.cheshirewestandchester.gov.uk",
    )
    boards = _boards(b, c, area)
    posts = _posts(b, area, boards)
    _memberships(b, boards, posts)

    protocol = b.protocol(
        PROTOCOL_SLUG,
        "Joint protocol between Cheshire West and Chester Local Safeguarding Children Board, Health and "
        "Wellbeing Board, Children's Trust and Community Safety Partnership",
        area,
        short_title="Cheshire West and Chester joint protocol",
        summary=(
            "How the four partnership boards of Cheshire West and Chester relate: what each board is for, who "
            "sits on which, how the independent LSCB challenges and scrutinises the others while being held to "
            "account itself, what the LSCB presents to whom each year, the six-monthly meetings between the "
            "chairs, the Chief Executive and the Director of Children's Services, and how unresolved "
            "disagreements are taken to the Director of Children's Services and then the Chief Executive."
        ),
        review_cycle_months=12,
        review_on_legislation_change=True,
        review_on_guidance_change=False,
        review_note=(
            "Reviewed every year, counted from the date the protocol was first agreed, and straight away "
            "whenever legislation changes (paragraph 2)."
        ),
    )
    effective = partial_date(2015, 8, 11)
    version = b.version(
        protocol,
        1,
        protocol.title,
        ProtocolVersion.Status.AGREED,
        effective=effective,
        review_due=partial_date(2016, 8, 11)[0],
        change_summary="",
    )

    clauses = _sections_and_clauses(b, version)
    _parties_and_approvals(b, version, boards, posts)
    _glossary(b, version)
    _citations(b, c, clauses, ca2004_whole)
    _duties(b, c, version, clauses, boards, posts, ca2004_whole)
    _obligations(b, version, clauses, boards, posts)
    _relations(b, version, clauses, boards, posts)
    _meetings(b, version, clauses, boards, posts)
    _escalation(b, version, clauses, boards, posts)
    _priorities(b, version, clauses, boards)
    return version


# Who exists ---------------------------------------------------------------------------------------


def _boards(b, c, area):
    lscb = b.board(
        f"{AREA_SLUG}-lscb",
        "Cheshire West and Chester Local Safeguarding Children Board",
        Board.Kind.LSCB,
        [area],
        short_name="LSCB",
        purpose=(
            "Co-ordinates what each agency and partner does to safeguard children and young people in "
            "Cheshire West and Chester and promote their welfare, and makes sure that work is effective. It is "
            "the area's decision-making body for multi-agency safeguarding, has an Independent Chair, and "
            "oversees safeguarding performance information, challenging partners where needed."
        ),
        statutory_basis=(
            "A statutory partnership whose objectives are set by section 14 of the Children Act 2004 and whose "
            "functions, and the criteria on which it is inspected, come from statutory guidance (Working "
            "Together to Safeguard Children 2015). It must stay independent: neither subordinate to nor "
            "absorbed into other local structures."
        ),
        is_statutory=True,
        is_independent=True,
    )
    b.board_basis(lscb, c.ca2004_s14, note="Objectives: co-ordinate safeguarding work and ensure its effectiveness.")
    b.board_basis(lscb, c.wt2015_whole, note="Statutory guidance that directs the Board's work and functions.")

    hwb = b.board(
        f"{AREA_SLUG}-hwb",
        "Cheshire West and Chester Health and Wellbeing Board",
        Board.Kind.HWB,
        [area],
        short_name="Health and Wellbeing Board",
        purpose=(
            "A forum in which leaders of the local health and care system jointly work to raise local "
            "people's health and wellbeing and narrow health inequalities. It produces the Health and "
            "Wellbeing Strategy from the Integrated Strategic Needs Assessment and oversees the Children's Trust."
        ),
        statutory_basis="Established under the Health and Social Care Act 2012.",
        is_statutory=True,
    )
    b.board_basis(hwb, c.hsca2012_whole, note="Establishes Health and Wellbeing Boards (paragraph 5).")

    trust = b.board(
        f"{AREA_SLUG}-childrens-trust",
        "Cheshire West and Chester Children's Trust",
        Board.Kind.CHILDRENS_TRUST,
        [area],
        short_name="Children's Trust",
        purpose=(
            "Consults and brings together every partner with a part in improving outcomes for children, so "
            "that they agree one strategy (the Children and Young People's Plan) for co-operating to improve "
            "children's wellbeing and build partnership working into their own delivery; gives partners a "
            "framework for commissioning services jointly. Paragraph 22 calls it the West Cheshire Children's "
            "Trust."
        ),
        statutory_basis=(
            "No longer statutory: the duty to have a Children's Trust, and for the council to produce a "
            "Children and Young People's Plan, was removed from statute. Partners agreed to keep a streamlined "
            "Children's Trust from January 2014."
        ),
        is_statutory=False,
        established_on=partial_date(2014, 1)[0],
        established_precision=partial_date(2014, 1)[1],
    )

    csp = b.board(
        f"{AREA_SLUG}-csp",
        "Cheshire West and Chester Community Safety Partnership",
        Board.Kind.CSP,
        [area],
        short_name="CSP",
        purpose=(
            "Key agencies working together to protect the local community from crime and help people feel "
            "safer: tackling local issues such as antisocial behaviour and drug and alcohol misuse, reducing "
            "reoffending, and each year assessing local patterns of crime and setting priorities to address "
            "them. The protocol also calls it the Community Safety Partnership Board."
        ),
        # The protocol does not say what law, if any, the partnership rests on.
        statutory_basis="",
        is_statutory=True,
    )
    return {"lscb": lscb, "hwb": hwb, "trust": trust, "csp": csp}


def _posts(b, area, boards):
    def council_post(title, kind, short_title=""):
        return b.post(title, kind, area=area, short_title=short_title, organisation=COUNCIL)

    posts = {
        "dcs": council_post("Director of Children's Services", Post.Kind.DCS, "DCS"),
        "dph": council_post("Director of Public Health", Post.Kind.DPH, "DPH"),
        "chief_executive": council_post("Chief Executive (Head of Paid Service)", Post.Kind.CHIEF_EXECUTIVE),
        "leader": council_post("Leader of the Council", Post.Kind.LEADER),
        "lead_member": council_post("Lead Member for Children's Services", Post.Kind.LEAD_MEMBER),
        "lscb_chair": b.post(
            "Independent Chair of the LSCB",
            Post.Kind.INDEPENDENT_CHAIR,
            area=area,
            board=boards["lscb"],
            short_title="LSCB Chair",
        ),
        "hwb_chair": b.post(
            "Chair of the Health and Wellbeing Board", Post.Kind.BOARD_CHAIR, area=area, board=boards["hwb"]
        ),
        "trust_chair": b.post("Chair of the Children's Trust", Post.Kind.BOARD_CHAIR, area=area, board=boards["trust"]),
        "csp_chair": b.post(
            "Chair of the Community Safety Partnership", Post.Kind.BOARD_CHAIR, area=area, board=boards["csp"]
        ),
    }
    # The signature page is the only record of who held the chairs; it gives no start dates.
    for key, name, honorific, signed in (
        ("trust_chair", "Gerald Meehan", "", "22 July 2015"),
        ("lscb_chair", "Gill Frame", "", "11 August 2015"),
        ("hwb_chair", "Sam Dixon", "Councillor", "23 July 2015"),
        ("csp_chair", "Mark Palethorpe", "", "23 July 2015"),
    ):
        person = b.person(name, honorific=honorific)
        b.holding(person, posts[key], note=f"In post when signing the joint protocol on {signed}.")
    return posts


def _memberships(b, boards, posts):
    lscb, hwb, trust, csp = boards["lscb"], boards["hwb"], boards["trust"], boards["csp"]
    Capacity = Membership.Capacity
    b.membership(lscb, Capacity.CHAIR, post=posts["lscb_chair"], note="Independent Chair (paragraph 16).")
    b.membership(hwb, Capacity.CHAIR, post=posts["hwb_chair"])
    b.membership(trust, Capacity.CHAIR, post=posts["trust_chair"])
    b.membership(csp, Capacity.CHAIR, post=posts["csp_chair"])

    # Paragraph 37 makes the DCS a member of the LSCB and the Health and Wellbeing Board; it names no others.
    dcs_note = "Represents children and young people's services (paragraphs 37 and 40)."
    for board in (lscb, hwb):
        b.membership(board, Capacity.MEMBER, post=posts["dcs"], note=dcs_note)

    b.membership(trust, Capacity.MEMBER, post=posts["lscb_chair"], note="Paragraphs 10 and 40.")
    b.membership(
        hwb,
        Capacity.ATTENDEE,
        post=posts["lscb_chair"],
        note="Attends to present the LSCB Annual Report and report on LSCB business (paragraphs 24 and 40).",
    )
    b.membership(
        hwb,
        Capacity.ATTENDEE,
        post=posts["trust_chair"],
        note="Attends when the Board receives the Children and Young People's Plan (paragraph 24).",
    )
    b.membership(
        csp,
        Capacity.MEMBER,
        organisation="Cheshire West and Chester Local Safeguarding Children Board",
        note="One member of the LSCB sits on the CSP Board so issues pass both ways (paragraph 40).",
    )
    for organisation in (
        "Cheshire Constabulary",
        "Cheshire Fire and Rescue Service",
        "Purple Futures Community Rehabilitation Company",
        "The National Probation Service",
        COUNCIL,
        "Local health providers",
        "Other affiliated groups",
    ):
        b.membership(csp, Capacity.MEMBER, organisation=organisation, note="Paragraph 25.")


# What was agreed ----------------------------------------------------------------------------------

# (section key, heading as written, [(number, text, [bullet texts])]). Bullets become unnumbered child clauses.
SECTIONS = [
    (
        "introduction",
        "Introduction",
        [
            (
                "1",
                "This protocol describes how Cheshire West and Chester Council, the Children's Trust, the Health "
                "and Wellbeing Board, the Local Safeguarding Children Board (LSCB) and the Community Safety "
                "Partnership Board expect to relate to and work with one another: the roles and functions of "
                "each, who sits on the Boards, how challenge, oversight and scrutiny are arranged, and how "
                "performance is managed.",
                [],
            ),
            (
                "2",
                "The Chairs of the Boards have formally signed up to these arrangements. The protocol is reviewed "
                "every year, counting from the date it was first agreed, and at once whenever legislation changes.",
                [],
            ),
        ],
    ),
    (
        "background",
        "Background",
        [
            (
                "3",
                "The law no longer requires an area to have a Children's Trust, nor a local authority to draw up "
                "and publish a Children and Young People's Plan (CYPP). Partners in Cheshire West and Chester "
                "nevertheless agreed to keep a slimmed-down Children's Trust, with the arrangements that go with "
                "it, from January 2014.",
                [],
            ),
            (
                "4",
                "Under section 11 of the Children Act 2004 a range of organisations and individuals must carry out "
                "their functions, including any services they contract out to others, with regard to the need to "
                "safeguard children and promote their welfare. The LSCB makes sure that this duty is met.",
                [],
            ),
            (
                "5",
                "The Health and Social Care Act 2012 sets up Health and Wellbeing Boards as a forum in which "
                "leaders from across health and care join forces to improve the health and wellbeing of local "
                "people and to narrow health inequalities. Under the new Working Together to Safeguard Children "
                "2015, the Director of Public Health must make sure that the needs of vulnerable children are "
                "central to the Joint Strategic Needs Assessment (JSNA) that the Health and Wellbeing Board "
                "produces.",
                [],
            ),
            (
                "6",
                "Working Together to Safeguard Children 2015 is the guidance on how agencies work together to "
                "safeguard children and promote their welfare.",
                [],
            ),
        ],
    ),
    (
        "childrens-trust",
        "Children's Trust Arrangements & Responsibilities",
        [
            (
                "7",
                "Within the wider arrangements for co-operation, the Cheshire West and Chester Children's Trust "
                "keeps a clear identity of its own, separate from the rest.",
                [],
            ),
            (
                "8",
                "The Children's Trust exists to consult all the partners who help improve outcomes for children "
                "and to bring them together, so that they agree one strategy for co-operating to improve "
                "children's wellbeing and build partnership working into the everyday delivery of their own "
                "functions. It also gives partners a strategic framework for commissioning services jointly. "
                "Carrying out that strategy, the Children and Young People's Plan, falls to the partners, "
                "separately and jointly. Each partner of the Children's Trust therefore stays formally accountable, "
                "through the lines it already has, for delivering its own functions; the Trust changes none of them, so "
                "accountability is never confused or blurred.",
                [],
            ),
            (
                "9",
                "The Children's Trust takes forward the priorities for children and young people set in the "
                "Health and Wellbeing Strategy, which were agreed in the light of the Integrated Strategic Needs "
                "Assessment. Constructive challenge and support for the Children's Trust come from the Health "
                "and Wellbeing Board.",
                [],
            ),
            (
                "10",
                "As a member of the Children's Trust, the LSCB Chair formally comments on, and advises about, the "
                "development of the CYPP where it touches on safeguarding children. The CYPP draws on the LSCB's "
                "support and challenge.",
                [],
            ),
            (
                "11",
                "The Children's Trust consults the LSCB and other relevant partners on any commissioning "
                "arrangements it proposes that are linked to factors affecting the safety of children. Among them "
                "is compromised care, such as adult criminality, domestic abuse, alcohol and substance misuse, "
                "and parental mental health.",
                [],
            ),
            (
                "12",
                "Performance information on commissioning arrangements for early help and for vulnerable "
                "groups is monitored by the Children's Trust, which shares it with the LSCB and the Health and Wellbeing "
                "Board where appropriate and when they ask for it.",
                [],
            ),
        ],
    ),
    (
        "lscb",
        "Local Safeguarding Children Board Arrangements & Responsibilities",
        [
            (
                "13",
                "Section 14 of the Children Act 2004 sets the role of the Cheshire West and Chester Local "
                "Safeguarding Children Board (LSCB):",
                [
                    "to co-ordinate the work each agency and partner does to keep children and young people in "
                    "the area safe and to promote their welfare; and",
                    "to make sure that this work is effective.",
                ],
            ),
            (
                "14",
                "The LSCB is where decisions are made on multi-agency safeguarding matters in Cheshire West and "
                "Chester. It is a statutory partnership whose work follows statutory guidance, which sets both "
                "the functions Local Safeguarding Children Boards must carry out and the criteria and functions "
                "against which inspectors judge them.",
                [],
            ),
            (
                "15",
                "It is the Director of Children's Services (DCS) who is responsible in law for making sure an "
                "effective LSCB is in place. The Chief Executive (Head of Paid Service) appoints or removes the "
                "LSCB Chair, with the agreement of a panel on which LSCB partners and lay members sit. Drawing "
                "on other LSCB partners and, when appropriate, on the Lead Member for Children's Services, the "
                "Chief Executive holds the Chair to account for how effectively the LSCB works.",
                [],
            ),
            (
                "16",
                "The LSCB is chaired independently. Its governance arrangements support the Board in carrying "
                "out its functions.",
                [],
            ),
            (
                "17",
                "Where issues surface through quality assurance (for example lessons from Serious Case Reviews, "
                "from the Child Death Overview Panel and from multi-agency practice audits), the LSCB informs commissioning "
                "arrangements and challenges them when it has to.",
                [],
            ),
            (
                "18",
                "The LSCB publishes an Annual Report on how effective safeguarding is locally. At the least it "
                "contains:",
                [
                    "an analysis of what the Board has done to keep children safe, with evidence of the "
                    "difference its work has made;",
                    "what was learned over the previous year from Serious Case Reviews, from practice reviews "
                    "that fell short of the criteria for starting a Serious Case Review, from practice audits and "
                    "from the Board's engagement with the workforce;",
                    "the priorities for the coming year, shaped by that learning.",
                ],
            ),
            (
                "19",
                "The LSCB is responsible for overseeing performance information on safeguarding and for "
                "challenging partners where needed. When it scrutinises the Children's Trust's performance "
                "information, it also challenges the Children's Trust as necessary.",
                [],
            ),
        ],
    ),
    (
        "hwb",
        "Health & Wellbeing Board Arrangements & Responsibilities",
        [
            (
                "20",
                "In developing its Health and Wellbeing Strategy, the Health and Wellbeing Board takes full "
                "account of the safeguarding issues that emerge from the Integrated Strategic Needs Assessment "
                "(ISNA).",
                [],
            ),
            (
                "21",
                "The LSCB, a wholly independent multi-agency body, challenges and supports the Health and "
                "Wellbeing Board on how it reads the ISNA when setting the safeguarding priorities in the Health "
                "and Wellbeing Strategy.",
                [],
            ),
            (
                "22",
                "Oversight of the West Cheshire Children's Trust's work lies with the Health and Wellbeing Board, "
                "above all in developing the priority areas of the CYPP. The emphasis is on prevention, so that children in "
                "the Borough get the best chance we can give them of a good start in life; progress is measured "
                "against the indicators of the Public Health Outcome Framework.",
                [],
            ),
            (
                "23",
                "The Health and Wellbeing Board makes sure that safeguarding children and prevention are actively "
                "reflected in every commissioning recommendation it makes.",
                [],
            ),
            (
                "24",
                "The Health and Wellbeing Board receives both the CYPP and the LSCB Annual Report, and endorses or "
                "challenges them as appropriate. The Chairs of the LSCB and of the Children's Trust attend the "
                "Health and Wellbeing Board for this.",
                [],
            ),
        ],
    ),
    (
        "csp",
        "Community Safety Partnership Board Arrangements & Responsibilities",
        [
            (
                "25",
                "Key agencies come together in the Community Safety Partnership Board, among them Cheshire "
                "Constabulary, Cheshire Fire and Rescue Service, Purple Futures Community Rehabilitation Company, "
                "the National Probation Service, Cheshire West and Chester Council, local health providers and "
                "other affiliated groups.",
                [],
            ),
            (
                "26",
                "Their joint job is to protect the local community from crime and help people feel safer, deciding how "
                "to tackle local issues such as antisocial behaviour and drug and alcohol misuse, and how to "
                "reduce reoffending. Each year they assess local patterns of crime and set priorities to deal "
                "with them.",
                [],
            ),
        ],
    ),
    (
        "shared",
        "Shared Responsibilities",
        [
            (
                "27",
                "The LSCB gives the Health and Wellbeing Board and the Children's Trust constructive challenge, "
                "so that services are commissioned in line with safeguarding practice and that practice is "
                "built into providers' service level agreements. The Children's Trust and the Health and "
                "Wellbeing Board work together to develop effective commissioning and challenge each other "
                "constructively.",
                [],
            ),
            (
                "28",
                "The LSCB and the Health and Wellbeing Board must keep separate identities so that the child "
                "protection system stays clear and transparent. To scrutinise effectively the LSCB should be "
                "independent, neither subordinate to nor absorbed into any other local structure.",
                [],
            ),
            (
                "29",
                "The LSCB must equally be accountable for its work and open to effective scrutiny. This protocol "
                "sets out how the LSCB's responsibility to challenge the Children's Trust and the Health and "
                "Wellbeing Board, and its duty to be an independent voice, are balanced against the need for proper "
                "scrutiny and accountability.",
                [],
            ),
            (
                "30",
                "So that planning and performance management are co-ordinated and coherent, the LSCB receives and "
                "considers relevant data every quarter and is involved in, and consulted on, developing and "
                "maintaining the ISNA. The Health and Wellbeing Board makes sure the ISNA takes account of "
                "safeguarding issues for children, including the priorities in the LSCB Business Plan.",
                [],
            ),
            (
                "31",
                "The Children's Trust, the LSCB or both may be asked by the Health and Wellbeing Board to consider "
                "issues for development, action or scrutiny.",
                [],
            ),
            (
                "32",
                "Every year the LSCB presents its Annual Report and Business Plan to the Health and Wellbeing "
                "Board, the Community Safety Partnership and the Children's Trust Board. The Annual Report judges, "
                "rigorously and openly, how well local services perform and how effective they are; the Business Plan sets out the LSCB's priorities and objectives; both feed into developing, "
                "and reviewing each year, the CYPP and the Joint Health and Wellbeing Strategy. The LSCB Business "
                "Plan is reviewed by the Health and Wellbeing Board, which also receives key reports on aspects of "
                "safeguarding whenever it requires them. In return, the Health and Wellbeing Board and the "
                "Children's Trust report to the LSCB, as and when it requires, on how the ISNA priorities "
                "concerning the safeguarding and welfare of children and young people are being implemented.",
                [],
            ),
        ],
    ),
    (
        "chairs",
        "Relationship between the chairs of the LSCB, Health and Wellbeing Board, Community Safety Partnerships "
        "and with the Director of Children's Services (DCS), the Lead Member for Children and the Chief Executive",
        [
            (
                "33",
                "Working Together to Safeguard Children 2015 gives the Chief Executive and the Lead Member (the "
                "roles named in the Children Act 2004) a clear part in satisfying themselves that the DCS is "
                "carrying out their managerial responsibility to keep children safe and promote their welfare. "
                "That relationship and those working arrangements rest on agreed arrangements and processes, "
                "inside the local authority and across partners, for bettering services and outcomes, and on targets for "
                "improving safeguarding, and progress towards them, being reported to the Children's Trust and "
                "the Health and Wellbeing Board. Each year, as part of the LSCB Annual Report and of reporting "
                "against the ISNA, the Leader of the Council and the Chief Executive should assess how effective "
                "local governance and partnership arrangements are at improving outcomes for children and at "
                "supporting the highest possible standards of safeguarding.",
                [],
            ),
            (
                "34",
                "In Cheshire West and Chester the LSCB's annual report goes to the Chair of the Health and "
                "Wellbeing Board. It sets out what the LSCB has achieved against its agreed business plan and the "
                "priorities and targets of its work programme, pointing out particular improvements and "
                "particular concerns and challenges. The report is then presented to the Chief Executive of the "
                "Council, who holds the Independent Chair to account.",
                [],
            ),
            (
                "35",
                "In addition, the Chief Executive, the DCS, the LSCB's Independent Chair and the Chair of the "
                "Children's Trust meet at least every six months to co-ordinate work and priorities, each "
                "expecting to challenge, and be accountable to, the others. Their agenda covers:",
                [
                    "progress against priorities;",
                    "any concerns about the LSCB, including members' attendance and their contribution to the "
                    "work plan and priorities;",
                    "any concerns about safeguarding arrangements that should be reported to the Health and "
                    "Wellbeing Board, the Children's Trust or both, including the contribution of individual "
                    "agencies;",
                    "the LSCB Chair's accountability for the LSCB's effectiveness and for delivering its work "
                    "programme.",
                ],
            ),
            (
                "36",
                "Under section 18 of the Children Act 2004 the DCS is responsible within the local authority for "
                "improving outcomes for children, for the authority's children's social care functions and for "
                "arrangements for local co-operation on children's services.",
                [],
            ),
            (
                "37",
                "The Department for Education's statutory guidance setting out the roles and responsibilities of "
                "the DCS and of the Lead Member for Children's Services expects the DCS to do a great deal towards "
                "making the Health and Wellbeing Board and the LSCB work well together. The DCS is a member of "
                "the LSCB and of the Health and Wellbeing Board.",
                [],
            ),
            (
                "38",
                "Effective delivery of the specific priorities agreed in the Business Plan is the responsibility "
                "of the LSCB's Independent Chair, who also challenges the Health and Wellbeing Board where "
                "agencies are not meeting their safeguarding responsibilities.",
                [],
            ),
        ],
    ),
    (
        "membership",
        "Membership of the LSCB, Children's Trust, Health and Wellbeing Board and Community Safety Partnership",
        [
            (
                "39",
                "Several organisations belong to more than one of these Boards, though not necessarily through the "
                "same representative. To keep communication good and development co-ordinated, some individual "
                "members of the LSCB also sit on the Health and Wellbeing Board.",
                [],
            ),
            (
                "40",
                "Among them:",
                [
                    "The DCS attends each Board, representing children and young people's services and because of "
                    "their overall responsibility for making partnership working for children and young people "
                    "efficient and effective; the DCS is responsible for carrying particular issues between the "
                    "LSCB and the Health and Wellbeing Board in both directions.",
                    "The Chair of the LSCB is also a member of the Children's Trust and regularly receives the "
                    "minutes and relevant papers of the Health and Wellbeing Board for comment. The Chair attends "
                    "meetings of the Children's Trust and the Health and Wellbeing Board to report key issues from "
                    "the LSCB's business, to present the LSCB Annual Report and to give progress reports on key "
                    "aspects of safeguarding as they come up, and challenges the Children's Trust and the Health "
                    "and Wellbeing Board on safeguarding as Working Together to Safeguard Children 2015 describes.",
                    "The Chair of the LSCB meets the Chair of the Health and Wellbeing Board every six months.",
                    "A member of the LSCB sits on the Community Safety Partnership Board so that issues pass from "
                    "the LSCB to the Community Safety Partnership and back.",
                    "The Chairs of the LSCB and the CSP meet twice a year.",
                ],
            ),
            (
                "41",
                "Each of them keeps lines of communication clear and represents the interests of every Board at "
                "all meetings.",
                [],
            ),
            (
                "42",
                "Other individual members join working groups across the Boards as needed, making sure "
                "safeguarding is firmly built into every development, and likewise other priorities such as "
                "commissioning and early help where appropriate.",
                [],
            ),
            (
                "43",
                "Working Together to Safeguard Children 2015 says that members of Local Safeguarding Children "
                "Boards should be people with a strategic role in safeguarding and promoting the welfare of "
                "children within their own organisation. On every Board, each organisation's representatives "
                "should be able to:",
                [
                    "speak with authority for their organisation;",
                    "commit their organisation on matters of partnership policy and practice where appropriate; and",
                    "hold their own organisation, and others, to account.",
                ],
            ),
        ],
    ),
    (
        "resolution",
        "Resolution Process",
        [
            (
                "44",
                "Each Board asks for evidence when an issue arises in any part of its work. For instance, the LSCB "
                "monitors how rigorously the Children's Trust commissions or develops safeguarding services, and "
                "calls the Children's Trust to account if it has evidence that local services are not "
                "safeguarding children adequately; resolving the matter needs a formal response or action. In the "
                "same way, the Children's Trust holds the LSCB to account where necessary on aspects of "
                "safeguarding if it considers that the arrangements for safeguarding children are not robust, "
                "and the LSCB must then give a formal response so that the matter is resolved.",
                [],
            ),
            (
                "45",
                "The Boards accept challenge from one another. Any issue they cannot resolve is shared with the "
                "Director for Children's Services and, if it is still not resolved, finally with the Chief "
                "Executive.",
                [],
            ),
        ],
    ),
]


def _sections_and_clauses(b, version):
    """Create the sections and clauses; returns numbered clauses by number, bullets as '<number>.<n>' (1-based)."""
    clauses = {}
    for key, heading, paragraphs in SECTIONS:
        section = b.section(version, key, heading)
        for number, text, bullets in paragraphs:
            clause = b.clause(section, text, number=number)
            clauses[number] = clause
            for n, bullet in enumerate(bullets, start=1):
                clauses[f"{number}.{n}"] = b.clause(section, bullet, parent=clause, key=f"{clause.key}-b{n}")
    return clauses


def _parties_and_approvals(b, version, boards, posts):
    # Signature lines in the order the document prints them, with post titles as written there.
    for board, post, title, name, honorific, signed in (
        ("trust", "trust_chair", "Chair of Children's Trust", "Gerald Meehan", "", (2015, 7, 22)),
        ("lscb", "lscb_chair", "Chair of Local Safeguarding Children Board", "Gill Frame", "", (2015, 8, 11)),
        ("hwb", "hwb_chair", "Chair of Health & Wellbeing Board", "Sam Dixon", "Councillor", (2015, 7, 23)),
        (
            "csp",
            "csp_chair",
            "Chair of Cheshire West and Chester Community Safety Partnership",
            "Mark Palethorpe",
            "",
            (2015, 7, 23),
        ),
    ):
        party = b.party(version, boards[board], signatory_post=posts[post])
        b.approval(
            party,
            partial_date(*signed),
            signatory_name=f"{honorific} {name}".strip(),
            signatory_post_title=title,
            signatory_post=posts[post],
            signatory_person=b.person(name, honorific=honorific),
        )


def _glossary(b, version):
    # The document's own glossary, term for term and spelt as it spells it; nothing added.
    for term, meaning in (
        ("LSCB", "Local Safeguarding Children's Board"),
        ("ISNA", "Integrated Strategic Needs Assessment"),
        ("DCS", "Director of Children's Services"),
        ("NHS", "National Health Service"),
        ("CCG", "Clinical Commissioning Group"),
        ("CSP", "Community Safety Partnership"),
    ):
        b.glossary(version, term, meaning)


# Who owes what to whom ----------------------------------------------------------------------------


def _citations(b, c, clauses, ca2004_whole):
    b.cite(clauses["4"], c.ca2004_s11)
    b.cite(clauses["5"], c.hsca2012_whole, c.wt2015_whole)
    b.cite(clauses["6"], c.wt2015_whole)
    b.cite(clauses["13"], c.ca2004_s14)
    b.cite(clauses["14"], c.wt2015_whole)
    b.cite(clauses["33"], c.wt2015_whole, ca2004_whole)
    b.cite(clauses["36"], c.ca2004_s18)
    b.cite(clauses["37"], c.dcs_guidance_whole)
    b.cite(clauses["40.2"], c.wt2015_whole)
    b.cite(clauses["43"], c.wt2015_whole)


def _duties(b, c, version, clauses, boards, posts, ca2004_whole):
    K = Duty.Kind
    lscb, hwb, trust, csp = boards["lscb"], boards["hwb"], boards["trust"], boards["csp"]
    for clause, holder, kind, description, references in (
        (
            "4",
            lscb,
            K.FUNCTION,
            "Make sure organisations and individuals meet their section 11 duty to take account of the need "
            "to keep children safe and promote their welfare, services they contract out included.",
            [c.ca2004_s11],
        ),
        (
            "5",
            hwb,
            K.FUNCTION,
            "Act as the forum where health and care leaders work together to improve local health and wellbeing "
            "and reduce health inequalities; produce the Joint Strategic Needs Assessment.",
            [c.hsca2012_whole],
        ),
        (
            "5",
            posts["dph"],
            K.DUTY,
            "Make sure the Joint Strategic Needs Assessment that the Health and Wellbeing Board develops gives "
            "vulnerable children's needs a key place.",
            [c.wt2015_whole],
        ),
        (
            "8",
            trust,
            K.RESPONSIBILITY,
            "Consult and bring partners together to agree a common strategy for improving children's wellbeing, "
            "embed partnership working in their own delivery, and provide a framework for joint commissioning.",
            [],
        ),
        (
            "9",
            trust,
            K.RESPONSIBILITY,
            "Take forward the priorities for children and young people in the Health and Wellbeing Strategy.",
            [],
        ),
        (
            "12",
            trust,
            K.RESPONSIBILITY,
            "Monitor performance information on commissioning arrangements for early help and vulnerable groups.",
            [],
        ),
        (
            "13.1",
            lscb,
            K.FUNCTION,
            "Co-ordinate the work each agency and partner does to keep children and young people in the area "
            "safe and promote their welfare.",
            [c.ca2004_s14],
        ),
        (
            "13.2",
            lscb,
            K.FUNCTION,
            "Ensure that the work to safeguard and promote the welfare of children is effective.",
            [c.ca2004_s14],
        ),
        (
            "14",
            lscb,
            K.FUNCTION,
            "Be the decision-making body for multi-agency safeguarding in Cheshire West and Chester, carrying out "
            "the functions statutory guidance sets for Local Safeguarding Children Boards.",
            [c.wt2015_whole],
        ),
        (
            "15",
            posts["dcs"],
            K.DUTY,
            "Make sure an effective LSCB is in place.",
            [],
        ),
        (
            "17",
            lscb,
            K.RESPONSIBILITY,
            "Inform, and where necessary challenge, commissioning arrangements on issues found through quality "
            "assurance (Serious Case Reviews, the Child Death Overview Panel, multi-agency audits of practice).",
            [],
        ),
        (
            "18",
            lscb,
            K.RESPONSIBILITY,
            "Publish an Annual Report on how effective local safeguarding is, with at least the analysis, "
            "learning and priorities listed in paragraph 18.",
            [],
        ),
        (
            "19",
            lscb,
            K.RESPONSIBILITY,
            "Oversee safeguarding performance information and challenge partners when required.",
            [],
        ),
        (
            "20",
            hwb,
            K.RESPONSIBILITY,
            "Take full account of safeguarding issues arising from the ISNA when developing the Health and "
            "Wellbeing Strategy.",
            [],
        ),
        (
            "23",
            hwb,
            K.RESPONSIBILITY,
            "Make every commissioning recommendation it gives actively reflect prevention and the safeguarding of children.",
            [],
        ),
        (
            "24",
            hwb,
            K.RESPONSIBILITY,
            "Endorse or challenge the Children and Young People's Plan and the LSCB Annual Report.",
            [],
        ),
        (
            "26",
            csp,
            K.FUNCTION,
            "Protect the local community from crime and help people feel safer; deal with antisocial behaviour, "
            "drug and alcohol misuse and reoffending; assess local crime patterns each year and set priorities.",
            [],
        ),
        (
            "30",
            hwb,
            K.RESPONSIBILITY,
            "Make sure the ISNA takes account of children's safeguarding issues, including the priorities in the "
            "LSCB Business Plan.",
            [],
        ),
        (
            "33",
            posts["chief_executive"],
            K.RESPONSIBILITY,
            "Each year, with the Leader of the Council, assess how effective local governance and partnership "
            "arrangements are for improving outcomes for children and supporting high standards of safeguarding.",
            [c.wt2015_whole, ca2004_whole],
        ),
        (
            "33",
            posts["leader"],
            K.RESPONSIBILITY,
            "Each year, with the Chief Executive, assess how effective local governance and partnership "
            "arrangements are for improving outcomes for children and supporting high standards of safeguarding.",
            [c.wt2015_whole, ca2004_whole],
        ),
        (
            "36",
            posts["dcs"],
            K.DUTY,
            "Within the local authority, be responsible for improving outcomes for children, for children's "
            "social care functions and for local co-operation arrangements for children's services.",
            [c.ca2004_s18],
        ),
        (
            "37",
            posts["dcs"],
            K.RESPONSIBILITY,
            "Do a great deal towards making the Health and Wellbeing Board and the LSCB work well together.",
            [c.dcs_guidance_whole],
        ),
        (
            "38",
            posts["lscb_chair"],
            K.RESPONSIBILITY,
            "Deliver effectively the specific priorities agreed in the LSCB Business Plan, and challenge the "
            "Health and Wellbeing Board where agencies are not meeting their safeguarding responsibilities.",
            [],
        ),
        (
            "40.1",
            posts["dcs"],
            K.RESPONSIBILITY,
            "Raise specific issues from the LSCB at the Health and Wellbeing Board, and from the Health and "
            "Wellbeing Board at the LSCB.",
            [],
        ),
        (
            "43",
            lscb,
            K.RESPONSIBILITY,
            "Have as members people with a strategic role in safeguarding children within their organisation, "
            "able to speak for it with authority, commit it, and hold it and others to account.",
            [c.wt2015_whole],
        ),
    ):
        b.duty(version, clauses[clause], holder, description, kind=kind, references=references)


def _obligations(b, version, clauses, boards, posts):
    lscb, hwb, trust, csp = boards["lscb"], boards["hwb"], boards["trust"], boards["csp"]
    chair = posts["lscb_chair"]
    F = Frequency
    b.obligation(
        version,
        clauses["12"],
        trust,
        "Performance information on commissioning for early help and vulnerable groups",
        S.PERFORMANCE_DATA,
        F.ON_REQUEST,
        [lscb, hwb],
        description="Shared as appropriate and when requested.",
    )
    b.obligation(
        version,
        clauses["24"],
        None,  # paragraph 24 says the Board receives the plan, not who sends it ...
        "Children and Young People's Plan",
        S.PLAN,
        "",  # ... nor how often
        [hwb],
        presenter=posts["trust_chair"],
        description="The Board endorses or challenges the plan.",
    )
    b.obligation(
        version,
        clauses["30"],
        None,  # paragraph 30 does not say who sends it
        "Relevant data for co-ordinated planning and performance management",
        S.PERFORMANCE_DATA,
        F.QUARTERLY,
        [lscb],
        description="The LSCB receives and considers relevant data every quarter.",
    )
    b.obligation(
        version,
        clauses["32"],
        lscb,
        "LSCB Annual Report",
        S.ANNUAL_REPORT,
        F.ANNUAL,
        [hwb, csp, trust],
        presenter=chair,
        description="Judges, rigorously and openly, how well local services perform and how effective they are.",
    )
    b.obligation(
        version,
        clauses["32"],
        lscb,
        "LSCB Business Plan",
        S.BUSINESS_PLAN,
        F.ANNUAL,
        [hwb, csp, trust],
        presenter=chair,
        description="The LSCB's priorities and objectives; the Health and Wellbeing Board reviews it.",
    )
    b.obligation(
        version,
        clauses["32"],
        lscb,
        "Key reports on aspects of safeguarding",
        S.PROGRESS_REPORT,
        F.ON_REQUEST,
        [hwb],
        description="When the Health and Wellbeing Board requires them.",
    )
    # "In return the Health and Wellbeing Board and Children's Trust will report": the two report jointly.
    b.obligation(
        version,
        clauses["32"],
        [hwb, trust],
        "Implementation of the ISNA priorities for children's safeguarding and welfare",
        S.PROGRESS_REPORT,
        F.AS_REQUIRED,
        [lscb],
        description="As and when required by the LSCB.",
    )
    b.obligation(
        version,
        clauses["33"],
        None,  # paragraph 33 names neither who reports ...
        "Targets for improving safeguarding and progress against them",
        S.PROGRESS_REPORT,
        "",  # ... nor how often
        [trust, hwb],
        description=(
            "Part of the arrangements through which the Chief Executive and Lead Member satisfy themselves about "
            "the DCS."
        ),
    )
    b.obligation(
        version,
        clauses["34"],
        lscb,
        "LSCB annual report: achievements against the business plan",
        S.ANNUAL_REPORT,
        F.ANNUAL,
        [posts["hwb_chair"], posts["chief_executive"]],
        presenter=chair,
        description=(
            "Received by the Chair of the Health and Wellbeing Board and presented to the Chief Executive, who "
            "holds the Independent Chair to account."
        ),
    )
    b.obligation(
        version,
        clauses["40.2"],
        hwb,
        "Minutes of meetings and pertinent papers",
        S.MINUTES,
        "",  # "regular minutes": the bullet sets no frequency
        [chair],
        description="Sent regularly to the LSCB Chair for comment.",
    )
    b.obligation(
        version,
        clauses["40.2"],
        chair,
        "Key issues from LSCB business and progress reports on key aspects of safeguarding",
        S.PROGRESS_REPORT,
        F.AS_REQUIRED,
        [trust, hwb],
        presenter=chair,
        description="Reported in person at Children's Trust and Health and Wellbeing Board meetings as they arise.",
    )


def _relations(b, version, clauses, boards, posts):
    lscb, hwb, trust, csp = boards["lscb"], boards["hwb"], boards["trust"], boards["csp"]
    chair, ce, dcs = posts["lscb_chair"], posts["chief_executive"], posts["dcs"]
    six_monthly = Frequency.SIX_MONTHLY
    for clause, subject, kind, obj, description, frequency in (
        ("9", hwb, R.CHALLENGES, trust, "Constructive challenge.", ""),
        ("9", hwb, R.SUPPORTS, trust, "", ""),
        ("10", chair, R.MEMBER_OF, trust, "Also stated in paragraph 40.", ""),
        ("10", chair, R.ADVISES, trust, "Formally comments and advises on safeguarding in the CYPP.", ""),
        ("11", trust, R.CONSULTS, lscb, "On proposed commissioning linked to factors affecting child safety.", ""),
        (
            "15",
            ce,
            R.APPOINTS_AND_REMOVES,
            chair,
            "Only with the agreement of a panel on which LSCB partners and lay members sit.",
            "",
        ),
        ("15", ce, R.HOLDS_TO_ACCOUNT, chair, "For the effective working of the LSCB, drawing on LSCB partners.", ""),
        ("19", lscb, R.SCRUTINISES, trust, "Scrutinises its performance information, challenging as necessary.", ""),
        ("21", lscb, R.CHALLENGES, hwb, "On how it interprets the ISNA for safeguarding priorities.", ""),
        ("21", lscb, R.SUPPORTS, hwb, "", ""),
        ("22", hwb, R.OVERSEES, trust, "Particularly the development of the CYPP priority areas.", ""),
        ("27", lscb, R.CHALLENGES, trust, "Constructive challenge on commissioning in line with safeguarding.", ""),
        ("31", hwb, R.RECOMMENDS_TO, trust, "May ask it to consider issues for development, action or scrutiny.", ""),
        ("31", hwb, R.RECOMMENDS_TO, lscb, "May ask it to consider issues for development, action or scrutiny.", ""),
        ("32", lscb, R.PRESENTS_ANNUAL_REPORT_TO, hwb, "With the Business Plan.", ""),
        ("32", lscb, R.PRESENTS_ANNUAL_REPORT_TO, csp, "With the Business Plan.", ""),
        ("32", lscb, R.PRESENTS_ANNUAL_REPORT_TO, trust, "With the Business Plan.", ""),
        ("33", dcs, R.ACCOUNTABLE_TO, ce, "For safeguarding and promoting the welfare of children.", ""),
        ("33", dcs, R.ACCOUNTABLE_TO, posts["lead_member"], "For safeguarding and promoting children's welfare.", ""),
        ("34", lscb, R.PRESENTS_ANNUAL_REPORT_TO, posts["hwb_chair"], "", ""),
        ("34", lscb, R.PRESENTS_ANNUAL_REPORT_TO, ce, "The protocol does not say who presents it.", ""),
        ("34", chair, R.ACCOUNTABLE_TO, ce, "The Chief Executive holds the Independent Chair to account.", ""),
        ("37", dcs, R.MEMBER_OF, lscb, "", ""),
        ("37", dcs, R.MEMBER_OF, hwb, "", ""),
        ("38", chair, R.CHALLENGES, hwb, "Where agencies are not delivering on their safeguarding duties.", ""),
        ("40.2", chair, R.CHALLENGES, trust, "On issues of safeguarding.", ""),
        ("40.3", chair, R.MEETS_WITH, posts["hwb_chair"], "", six_monthly),
        ("40.4", lscb, R.MEMBER_OF, csp, "One of the LSCB's members sits on the CSP Board.", ""),
        ("40.5", chair, R.MEETS_WITH, posts["csp_chair"], "Twice a year.", six_monthly),
        ("44", lscb, R.HOLDS_TO_ACCOUNT, trust, "If children are not adequately safeguarded by local services.", ""),
        ("44", trust, R.HOLDS_TO_ACCOUNT, lscb, "If safeguarding arrangements are not robust.", ""),
    ):
        b.relation(version, clauses[clause], subject, kind, obj, description=description, frequency=frequency)
    # 28: the LSCB and the Health and Wellbeing Board keep separate identities; the LSCB is not subordinate.
    b.relation(version, clauses["28"], lscb, R.SUBORDINATE_TO, hwb, negated=True)


def _meetings(b, version, clauses, boards, posts):
    chair = posts["lscb_chair"]
    b.meeting(
        version,
        clauses["35"],
        "Chief Executive, DCS, Chair of the Children's Trust and Independent Chair of the LSCB",
        Frequency.SIX_MONTHLY,
        [posts["chief_executive"], posts["dcs"], posts["trust_chair"], chair],
        agenda=[
            "Progress against priorities",
            "Concerns about the LSCB, including members' attendance and contribution to the work plan and priorities",
            "Concerns about safeguarding arrangements to report to the Health and Wellbeing Board and/or the "
            "Children's Trust, including the contribution of individual agencies",
            "The LSCB Chair's accountabilities for the LSCB's effectiveness and delivery of its work programme",
        ],
        purpose=(
            "At least every six months, to co-ordinate work and priorities, with mutual challenge and "
            "accountability expected."
        ),
    )
    b.meeting(
        version,
        clauses["40.3"],
        "Chairs of the LSCB and the Health and Wellbeing Board",
        Frequency.SIX_MONTHLY,
        [chair, posts["hwb_chair"]],
    )
    b.meeting(
        version,
        clauses["40.5"],
        "Chairs of the LSCB and the Community Safety Partnership",
        Frequency.SIX_MONTHLY,
        [chair, posts["csp_chair"]],
        purpose="Twice a year (the protocol says biannually).",
    )


def _escalation(b, version, clauses, boards, posts):
    b.escalation(
        version,
        clauses["45"],
        "Resolution process",
        [
            (
                "The board with a concern asks the other for evidence; the board challenged gives a formal "
                "response or takes action (paragraph 44).",
                [boards["lscb"], boards["trust"], boards["hwb"], boards["csp"]],
            ),
            ("Unresolved issues are shared with the Director of Children's Services.", [posts["dcs"]]),
            ("If still unresolved, ultimately with the Chief Executive.", [posts["chief_executive"]]),
        ],
        description="Boards are open to mutual challenge; each asks for evidence when issues arise.",
    )


def _priorities(b, version, clauses, boards):
    b.priority(
        version,
        clauses["9"],
        "",
        "Health and Wellbeing Strategy priorities for children and young people, agreed in the light of "
        "the Integrated Strategic Needs Assessment",
        leads=[(boards["trust"], "take forward")],
    )
