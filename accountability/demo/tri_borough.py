"""Demo data: the Westminster Health & Wellbeing Board and the Tri-borough LSCB.

Source: a report to the Westminster Health & Wellbeing Board of 22 January 2015 by the Executive
Director for Tri-borough Children's Services (author: the LSCB Manager), proposing a working
agreement with the Tri-borough Local Safeguarding Children Board. The protocol itself is the
report's Appendix A. It was first put to the Board in April 2014 and its signature lines were
never signed, so the version stays AWAITING_APPROVAL: parties and signatory posts, no approvals,
no effective date. The covering report's paragraphs are kept as COVERING_REPORT sections, because
its 4.6 carries the reporting calendar and 1.4 the statement that the H&WB has no executive
responsibility for the LSCB.

Every sentence is the project's own paraphrase; names, dates and numbering are as written.
"""

from accountability.models import Duty, Frequency, LegalInstrument, Relation, ReportingObligation
from boards.models import Area, Board, Membership, Post
from protocols.models import ProtocolVersion, Section

from .builder import partial_date
from .common import load_common

TITLE = "Westminster Health & Wellbeing Board and Tri-borough LSCB (proposed, unsigned)"

SLUG = "westminster-hwb-tri-borough-lscb"
REPORT = Section.Kind.COVERING_REPORT
APPENDIX = Section.Kind.APPENDIX
REPORT_PART = "Covering report"
APPENDIX_PART = "Appendix A"

Kind = Relation.Kind
Subject = ReportingObligation.Subject

# The five subgroups of 3.7: (slug suffix, name, purpose, chair's name, chair's post as written,
# post's organisation, area slug of the post or None when the employer spans the boroughs).
SUBGROUPS = [
    (
        "quality-assurance",
        "Quality Assurance",
        "Building a new quality assurance framework for the LSCB, shared across agencies, that brings key "
        "performance data together with what audits and surveys find, to support the Board's scrutiny and challenge.",
        "Clare Chamberlain",
        "Director of Family Services RBKC",
        "Royal Borough of Kensington and Chelsea",
        "kensington-and-chelsea",
    ),
    (
        "learning-and-development",
        "Learning and Development",
        "Oversees the tri-borough LSCB's multi-agency training programme so that the local children's workforce "
        "practises safeguarding soundly, answering both local priorities and national developments and lessons.",
        "Liz Royle",
        "CLCH Head of Safeguarding",
        "CLCH",
        None,
    ),
    (
        "case-review",
        "Case Review",
        "Looks at the lessons local agencies can draw from case reviews, both national and local, and keeps watch "
        "over the local action plans drawn up after them.",
        "Steve Miley",
        "Director of Family Service Hammersmith and Fulham",
        "London Borough of Hammersmith & Fulham",
        "hammersmith-and-fulham",
    ),
    (
        "child-death-overview-panel",
        "Child Death Overview Panel",
        "Has worked as a tri-borough initiative for some time; considers the circumstances of the deaths of "
        "children from the three boroughs and what they mean for practice.",
        "Nicky Brownjohn",
        "Associate Director for Safeguarding (CWHH)",
        "CWHH",
        None,
    ),
    (
        "chairs-group",
        "Chairs Group",
        "Oversees the Board's subgroups, short-life working groups and partnership groups, steers the direction "
        "and progress of the Board's work and responds to key issues as they arise.",
        "Jean Daintith",
        None,  # chaired by the LSCB's Independent Chair
        "",
        None,
    ),
]

BOROUGHS = [
    (
        "hammersmith-and-fulham",
        "Hammersmith and Fulham",
        "London Borough of Hammersmith & Fulham",
        "https://www.lbhf.gov.uk",
    ),
    (
        "kensington-and-chelsea",
        "Kensington and Chelsea",
        "Royal Borough of Kensington and Chelsea",
        "https://www.rbkc.gov.uk",
    ),
    ("westminster", "Westminster", "City of Westminster", "https://www.westminster.gov.uk"),
]

INTRODUCTION = (
    "<p>A report to the meeting of the Westminster Health &amp; Wellbeing Board on 22 January 2015, "
    "classified for general release and concerning all wards, from the Executive Director for Tri-borough "
    "Children's Services. Report author and contact: Tim Deacon, LSCB Manager, reachable by email at "
    "tim.deacon@lbhf.gov.uk or by telephone on 020 8753 5140. Financial summary: not applicable.</p>"
    "<p>Policy context: the report explains to the Board what the Tri-borough Local Safeguarding Children "
    "Board (LSCB) does and is responsible for, sets out its priorities for 2013/14, and asks the "
    "Board to agree a formal working agreement between the Westminster H&amp;WB and the Tri-borough LSCB so "
    "that the two make the most of their chances to safeguard children locally.</p>"
    "<p>The protocol proposed is Appendix A. The Board first saw it in April 2014; the signature lines for "
    "the Chair of Westminster Health and Wellbeing Board and the Independent Chair of the Tri-borough LSCB "
    "are blank.</p>"
)

SUMMARY = (
    "A proposed working agreement between the Tri-borough Local Safeguarding Children Board (Hammersmith and "
    "Fulham, Kensington and Chelsea, Westminster) and the Westminster Health and Wellbeing Board. It keeps the "
    "LSCB independent of the H&WB (the H&WB has no executive responsibility for it; they are equal partners) "
    "and sets a yearly cycle: the LSCB's annual report to the H&WBs in September to November, the H&WBs' "
    "liaison with the LSCB on their strategies and the JSNA in October to February, and the LSCB's business "
    "plans shared with the H&WBs in March to May. First presented in April 2014 and re-presented on "
    "22 January 2015; never signed."
)

CHANGE_SUMMARY = (
    "Re-presented after the Board's first look in April 2014, when members asked whether the H&WB would take "
    "executive responsibility for the LSCB and what LSCB members could say on the local authority's behalf. "
    "The covering report answers both: the H&WB has no executive responsibility for the LSCB, and LSCB members "
    "speak for the Board's collective view, not for any one agency."
)


def load(b):
    c = load_common(b)
    # 4.5 speaks of "the new Ofsted inspection framework" without naming or dating the document.
    ofsted_framework = b.instrument("Ofsted inspection framework", LegalInstrument.Kind.GUIDANCE)
    ofsted_lscb_review = b.reference(ofsted_framework, "review of the effectiveness of the LSCB")
    ca2004_whole = c.ca2004_whole

    areas = {
        slug: b.area(slug, name, kind=Area.Kind.LONDON_BOROUGH, council_name=council, website=site)
        for slug, name, council, site in BOROUGHS
    }
    all_areas = list(areas.values())
    westminster = areas["westminster"]

    # Boards ---------------------------------------------------------------------------------
    established, precision = partial_date(2012, 4)
    lscb = b.board(
        "tri-borough-lscb",
        "Tri-borough Local Safeguarding Children Board",
        Board.Kind.LSCB,
        all_areas,
        short_name="LSCB",
        purpose=(
            "One LSCB for Hammersmith and Fulham, Kensington and Chelsea and Westminster, replacing the three "
            "boroughs' separate LSCBs in April 2012. It coordinates what its member agencies do to safeguard "
            "and promote children's welfare and makes sure that work is effective; it develops local "
            "safeguarding policy and procedures and scrutinises and challenges agencies, singly and together. "
            "It commissions no services and manages no agency's staff. Supported by a single team, it works "
            "through agreed subgroups and a Partnership Group in each borough."
        ),
        statutory_basis=(
            "Section 13 of the Children Act 2004 requires every area to have an LSCB. It is a partnership in its "
            "own right, not subordinate to the Health and Wellbeing Board, which has no executive responsibility "
            "for it."
        ),
        is_statutory=True,
        is_independent=True,
        established_on=established,
        established_precision=precision,
    )
    # The report cites section 13 (3.1) and no other provision.
    b.board_basis(lscb, c.ca2004_s13, "Every area must establish an LSCB (3.1)")

    hwbs = {}
    for slug, name, _council, _site in BOROUGHS:
        hwb = b.board(
            f"{slug}-hwb",
            f"{name} Health and Wellbeing Board",
            Board.Kind.HWB,
            [areas[slug]],
            short_name="H&WB",
            purpose=(
                "Brings leaders of the local health and care system together to improve the health and wellbeing "
                "of the borough's residents and reduce health inequalities. The executive body that agrees the "
                "population's needs, promotes integration and supports alignment and joint commissioning; it "
                "shapes commissioning across health, public health and social care through the JSNA and the "
                "Health and Wellbeing Strategy."
            ),
            statutory_basis="Established under the Health and Social Care Act 2012.",
            is_statutory=True,
        )
        b.board_basis(hwb, c.hsca2012_whole, "H&WBs were established by this Act (paragraph 3 of the protocol)")
        hwbs[slug] = hwb
    westminster_hwb = hwbs["westminster"]

    # Posts and people -----------------------------------------------------------------------
    independent_chair = b.post(
        "Independent Chair of the Tri-borough Local Safeguarding Children Board",
        Post.Kind.INDEPENDENT_CHAIR,
        board=lscb,
    )
    jean_daintith = b.person("Jean Daintith")
    b.holding(
        jean_daintith, independent_chair, note="Named as the LSCB's independent chair in the report of 22 January 2015."
    )
    b.membership(lscb, Membership.Capacity.CHAIR, post=independent_chair)

    lscb_manager = b.post("LSCB Manager", Post.Kind.BUSINESS_MANAGER, board=lscb)
    b.holding(b.person("Tim Deacon"), lscb_manager, note="Author of the report of 22 January 2015.")
    b.membership(
        lscb,
        Membership.Capacity.SUPPORTING_OFFICER,
        post=lscb_manager,
        note="Leads the single team supporting the Board.",
    )

    # The report's author of record; it names no holder.
    b.post("Executive Director for Tri-borough Children's Services", Post.Kind.DCS)
    hwb_chair = b.post(
        "Chair of Westminster Health and Wellbeing Board",
        Post.Kind.BOARD_CHAIR,
        area=westminster,
        board=westminster_hwb,
    )
    b.membership(westminster_hwb, Membership.Capacity.CHAIR, post=hwb_chair)

    # 3.2: who must be represented on the LSCB.
    for organisation in (
        "Local authority (at least one representative)",
        "Police",
        "Local Probation Trust",
        "Youth Offending Team",
        "NHS Commissioning Board and clinical commissioning groups",
        "NHS Trusts and NHS Foundation Trusts with all or most of their hospitals, establishments and "
        "facilities in the area",
        "CAFCASS",
        "Governor or director of any secure training centre or prison in the area",
    ):
        b.membership(lscb, Membership.Capacity.MEMBER, organisation=organisation, note="Required representation (3.2).")

    subgroups = {}
    for suffix, name, purpose, chair_name, post_title, organisation, area_slug in SUBGROUPS:
        subgroup = b.board(
            f"tri-borough-lscb-{suffix}",
            name,
            Board.Kind.SUBGROUP,
            all_areas,
            parent=lscb,
            purpose=f"{purpose} Meets at least quarterly.",
        )
        if post_title is None:
            chair_post = independent_chair
        else:
            chair_post = b.post(
                post_title,
                Post.Kind.DIRECTOR,
                area=areas[area_slug] if area_slug else None,
                organisation=organisation,
            )
            b.holding(
                b.person(chair_name),
                chair_post,
                note=f"Named as chair of the LSCB's {name} subgroup in the report of 22 January 2015.",
            )
        b.membership(subgroup, Membership.Capacity.CHAIR, post=chair_post)
        subgroups[suffix] = subgroup
    chairs_group = subgroups["chairs-group"]

    partnership_groups = {
        slug: b.board(
            f"{slug}-lscb-partnership-group",
            f"{name} Partnership Group",
            Board.Kind.PARTNERSHIP_GROUP,
            [areas[slug]],
            parent=lscb,
            short_name="Partnership Group",
            purpose=(
                f"The Tri-borough LSCB's multi-agency group in {name}, kept so that local partners stay engaged "
                "and informed. Its focus is mainly early help and the prevention of harm."
            ),
        )
        for slug, name, _council, _site in BOROUGHS
    }

    # The protocol ---------------------------------------------------------------------------
    protocol = b.protocol(
        SLUG,
        "Working agreement between the Westminster Health and Wellbeing Board and the Tri-borough Local "
        "Safeguarding Children Board",
        westminster,
        short_title="Westminster H&WB and Tri-borough LSCB protocol",
        summary=SUMMARY,
        review_cycle_months=None,
        review_on_legislation_change=False,
        review_on_guidance_change=False,
        review_note=(
            "The protocol sets no review cycle. The arrangements in 4.6 of the covering report recur every year."
        ),
    )
    v = b.version(
        protocol,
        1,
        "Protocol to set out governance arrangements between the Health and Wellbeing Board and the "
        "Tri-borough Local Safeguarding Children Board",
        ProtocolVersion.Status.AWAITING_APPROVAL,
        document_date=partial_date(2015, 1, 22),
        label="Appendix A to the report of 22 January 2015 (proposed, not signed)",
        introduction=INTRODUCTION,
        change_summary=CHANGE_SUMMARY,
    )
    # Order of the appendix's signature block: the H&WB's chair first.
    b.party(v, westminster_hwb, signatory_post=hwb_chair)
    b.party(v, lscb, signatory_post=independent_chair)

    # Covering report ------------------------------------------------------------------------
    s1 = b.section(v, "tb-r1", "Executive Summary", "1", REPORT, REPORT_PART)
    b.clause(
        s1,
        "The report gives the Westminster Health and Wellbeing Board (H&amp;WB) an outline of what the Tri-borough "
        "Local Safeguarding Children Board (LSCB) is for and what it is responsible for.",
        "1.1",
    )
    b.clause(
        s1,
        "It asks the H&amp;WB to enter a formal working agreement with the Tri-borough LSCB, so that together they "
        "make the most of every chance to keep children in the area safe.",
        "1.2",
    )
    b.clause(
        s1,
        "The H&amp;WB first saw the protocol in April 2014. Members then asked whether the Board was meant to take "
        "executive responsibility for the LSCB, a parallel body, and what authority LSCB members would have to "
        "speak for the local authority.",
        "1.3",
    )
    r1_4 = b.clause(
        s1,
        "This report makes clear that the H&amp;WB <strong>does not</strong> have executive responsibility for the "
        "LSCB. The two Boards play complementary but separate parts in promoting the welfare and safety of children "
        "and young people, and the LSCB is not subordinate to the H&amp;WB in any way that could weaken its separate "
        "identity or its independent voice.",
        "1.4",
    )
    r1_5 = b.clause(
        s1,
        "The LSCB is a partnership of the organisations that work with children and families in the three "
        "boroughs. Its members can therefore put forward the Board's collective view on an issue, but cannot speak "
        "for any one agency. LSCBs have no power to direct other organisations, though they must say plainly where "
        "improvement is needed. Every partner keeps its own existing line of accountability for safeguarding.",
        "1.5",
    )

    s2 = b.section(v, "tb-r2", "Key Matters for the Board", "2", REPORT, REPORT_PART)
    r2_1 = b.clause(s2, "The Board is invited to consider:", "2.1")
    for letter, text in (
        (
            "a)",
            "the distinct but complementary roles that the Tri-borough Local Safeguarding Children Board (LSCB) "
            "and the Health and Wellbeing Board (H&amp;WB) play in keeping children and young people in Westminster "
            "safe and promoting their welfare;",
        ),
        ("b)", "the areas of work the LSCB has made its current priorities for 2013/14-2014/15;"),
        ("c)", "the protocol proposed to govern how the Westminster H&amp;WB and the Tri-borough LSCB work together;"),
        (
            "d)",
            "other ways the two Boards could work together to promote the idea that 'safeguarding is everyone's "
            "business' and to coordinate strategic planning between the three H&amp;WBs and the LSCB.",
        ),
    ):
        b.clause(s2, text, letter, parent=r2_1)

    s3 = b.section(
        v,
        "tb-r3",
        "Background: statutory requirements of Local Safeguarding Children Boards (LSCB)",
        "3",
        REPORT,
        REPORT_PART,
    )
    r3_1 = b.clause(
        s3,
        "Section 13 of the Children Act 2004 requires every area to set up a Local Safeguarding Children Board. "
        "Among its roles and statutory functions, the LSCB develops local safeguarding policy and procedures and "
        "scrutinises local arrangements. Its statutory responsibilities are:",
        "3.1",
    )
    b.cite(r3_1, c.ca2004_s13)
    b.clause(
        s3,
        "to coordinate what each person or body represented on the Board does to safeguard and promote the "
        "welfare of children in the area; and",
        "a)",
        parent=r3_1,
    )
    b.clause(
        s3, "to make sure that what each such person or body does for those purposes is effective.", "b)", parent=r3_1
    )
    b.clause(
        s3,
        "The LSCB must have at least one local authority representative and must include representatives of the "
        "police; the Local Probation Trust; the Youth Offending Team; the NHS Commissioning Board and clinical "
        "commissioning groups; NHS Trusts and NHS Foundation Trusts with all or most of their hospitals, "
        "establishments and facilities in the local authority's area; CAFCASS; and the governor or director of "
        "any secure training centre or prison in the area.",
        "3.2",
    )
    r3_3 = b.clause(
        s3,
        "LSCB members should hold a strategic safeguarding role in their own organisation and be able to speak for "
        "it with authority, commit it on matters of policy and practice, and hold both their own organisation and "
        "others to account.",
        "3.3",
    )
    r3_4 = b.clause(
        s3,
        "The LSCB's role is to scrutinise and challenge what agencies do, one by one and together. It commissions "
        "no services and has no operational responsibility for the managers and staff of its member agencies.",
        "3.4",
    )

    s3b = b.section(v, "tb-r3-tri", "Tri-borough Local Safeguarding Children Board", "", REPORT, REPORT_PART)
    b.clause(
        s3b,
        "In April 2012 one Tri-borough Local Safeguarding Children Board for Hammersmith &amp; Fulham, Kensington "
        "and Chelsea and Westminster took the place of the three boroughs' separate LSCBs. Its independent chair is "
        "Jean Daintith; a single team supports it, and it works through an agreed set of subgroups and activities.",
        "3.5",
    )
    b.clause(
        s3b,
        "Working as one board across three boroughs has widened the scope to challenge and compare key "
        "safeguarding activity and practice, made better use of training, let learning from audits, Serious Case "
        "Reviews and projects be shared, and streamlined meetings and administration.",
        "3.6",
    )
    r3_7 = b.clause(
        s3b,
        "Much of the Board's business is carried forward in its subgroups, each meeting at least once a quarter. "
        "They include:",
        "3.7",
    )
    subgroup_clauses = {}
    for suffix, name, purpose, chair_name, post_title, _organisation, _area in SUBGROUPS:
        chair = f"{chair_name}, {post_title}" if post_title else chair_name
        if suffix == "learning-and-development":
            chair = f"{chair}, CLCH"  # the report names the employer twice
        subgroup_clauses[suffix] = b.clause(
            s3b, f"<p><strong>{name}</strong>: {purpose}</p><p>Chair: {chair}.</p>", "", parent=r3_7
        )
    b.clause(
        s3b,
        "To keep local partners engaged and informed, each of the three local authorities has kept a multi-agency "
        "Partnership Group. These groups concentrate mainly on early help and preventing harm.",
        "3.8",
    )
    b.clause(
        s3b,
        "The H&amp;WB has many chances to add value to the LSCB's work, above all on matters of national focus and "
        "where services outside the LSCB's membership, such as Adult Services, are critical to progress on priority "
        "work. Examples include missing children, female genital mutilation and child sexual exploitation, as well as "
        "services for parents who are themselves struggling with problems such as poor mental health and domestic "
        "violence.",
        "3.9",
    )

    s4 = b.section(
        v,
        "tb-r4",
        "Joint working and governance arrangements between the Health and Wellbeing Board and Tri-borough Local "
        "Safeguarding Children Board",
        "4",
        REPORT,
        REPORT_PART,
    )
    b.clause(
        s4,
        "Health and Wellbeing Boards are uniquely placed as a forum where leaders of the health and care system "
        "work together to improve their population's health and wellbeing and to narrow health inequalities. "
        "H&amp;WBs are the executive body that agrees what the local population needs, promotes integration, and "
        "supports alignment and joint commissioning.",
        "4.1",
    )
    r4_2 = b.clause(
        s4,
        "<p>Working Together to Safeguard Children 2013 leaves it to each area to decide in detail how LSCBs, "
        "H&amp;WBs and other key partnerships relate. The two partnerships are separate and neither is required to "
        "report to the other.</p><p>Even so, because both Boards have an important part in helping, protecting and "
        "caring for children and young people, the relationship between them should be set out clearly.</p>",
        "4.2",
    )
    b.cite(r4_2, c.wt2013_whole)
    b.clause(
        s4,
        "Appendix A contains a draft protocol for how the two boards propose to work together. It aims to promote "
        "'safeguarding is everyone's business' and to coordinate strategic planning between the three H&amp;WBs "
        "and the LSCB.",
        "4.3",
    )
    b.clause(
        s4,
        "The protocol also proposes governance arrangements that let the Health and Wellbeing Boards of the three "
        "boroughs (H&amp;WB) and the Tri-borough LSCB judge whether they are meeting their statutory "
        "responsibilities to help (early help included), protect and care for children and young people.",
        "4.4",
    )
    r4_5 = b.clause(
        s4,
        "Under Ofsted's new inspection framework the effectiveness of the LSCB is reviewed at the same time as the "
        "local authority is inspected. The inspection could be called without notice, and Ofsted is expected to look at "
        "Westminster alongside the other two Tri-borough authorities. The protocol will show inspectors how the two "
        "boards relate, and will serve as evidence of how effectively the LSCB brings its scrutiny role and "
        "statutory powers to bear on the priorities other local strategic partnerships set.",
        "4.5",
    )
    b.cite(r4_5, ofsted_lscb_review)
    r4_6 = b.clause(
        s4,
        "To put the draft protocol into effect and keep the work of the H&amp;WBs and the LSCB coordinated and "
        "coherent, the following arrangements are proposed:",
        "4.6",
    )
    r4_6a = b.clause(
        s4,
        "Every year, in September to November, the LSCB's Independent Chair would bring to the H&amp;WB the "
        "LSCB's Annual Report, which measures how the LSCB performed in the last financial year against the "
        "objectives of its business plan. From it the Health and Wellbeing Boards could see where to support the LSCB's "
        "performance, let them draw its data into the JSNA, and help them weigh key issues to build into the "
        "refresh of the Health and Wellbeing Strategies.",
        "a)",
        parent=r4_6,
    )
    r4_6b = b.clause(
        s4,
        "From October to February, the Health and Wellbeing Boards would consult the LSCB while reviewing their "
        "Health and Wellbeing Strategies and the JSNA, giving the LSCB the chance to consider whether it could help "
        "the Health and Wellbeing Board put its Health and Wellbeing Strategy into effect.",
        "b)",
        parent=r4_6,
    )
    r4_6c = b.clause(
        s4,
        "Between March and May, the LSCB will share its proposed business plans with the HWBBs so that areas for "
        "partnership working through the year can be identified.",
        "c)",
        parent=r4_6,
    )

    s5 = b.section(v, "tb-r5", "Recommendation(s)", "5", REPORT, REPORT_PART)
    b.clause(
        s5,
        "The Health and Wellbeing Board is recommended to approve the protocol for joint working between the "
        "H&amp;WB and the Tri-borough Local Safeguarding Children Board.",
        "5.1",
    )

    s_papers = b.section(v, "tb-r-papers", "Appendices and background papers", "", REPORT, REPORT_PART)
    b.clause(
        s_papers,
        "Appendix A: the proposed governance protocol for the Health and Wellbeing Board and the Tri-borough LSCB.",
        "A)",
    )
    papers = b.clause(
        s_papers,
        "Background papers: the Children Act 2004 and Working Together to Safeguard Children 2013. Queries, and "
        "requests to inspect them, go to Tim Deacon, LSCB Manager.",
    )
    b.cite(papers, ca2004_whole, c.wt2013_whole)

    # Appendix A: the protocol -----------------------------------------------------------------
    a_purpose = b.section(v, "tb-a-purpose", "Purpose of the Protocol", "", APPENDIX, APPENDIX_PART)
    b.clause(
        a_purpose,
        "This protocol sets out the governance arrangements through which the Health and Wellbeing Boards "
        "(H&amp;WB) of the three boroughs and the Tri-borough Local Safeguarding Children Board (LSCB) can judge "
        "whether they are meeting their statutory responsibilities to help (early help included), protect and "
        "care for children and young people.",
        "1",
    )
    b.clause(
        a_purpose,
        "Its aim is to promote 'safeguarding is everyone's business' and to make sure strategic planning is "
        "coordinated between the three H&amp;WBs and the LSCB.",
        "2",
    )

    a_law = b.section(v, "tb-a-law", "Statutory framework", "", APPENDIX, APPENDIX_PART)
    a3 = b.clause(
        a_law,
        "H&amp;WBs were created by the Health and Social Care Act 2012 to bring leaders from across health and care "
        "together, with the aim of improving local people's health and wellbeing and reducing health "
        "inequalities.",
        "3",
    )
    b.cite(a3, c.hsca2012_whole)
    a4 = b.clause(
        a_law,
        "The Children Act 2004 required every local authority to set up a Local Safeguarding Children Board. It "
        "is the main statutory means by which the relevant organisations in each area agree how they will "
        "cooperate to safeguard and promote children's welfare, and by which those agencies' effectiveness is "
        "ensured.",
        "4",
    )
    b.cite(a4, ca2004_whole)
    a5 = b.clause(
        a_law,
        "Working Together to Safeguard Children 2013 does not spell out how LSCBs, H&amp;WBs and other key "
        "partnerships should relate; that is for each area to decide. But because the LSCB's role is to scrutinise "
        "and challenge, and it neither commissions nor directly delivers services, there is a strong case for "
        "setting the relationship out clearly.",
        "5",
    )
    b.cite(a5, c.wt2013_whole)

    a_roles = b.section(v, "tb-a-roles", "Role and responsibilities", "", APPENDIX, APPENDIX_PART)
    a6 = b.clause(
        a_roles,
        "The H&amp;WBs of the three boroughs steer, at a strategic level, what is commissioned in health, public "
        "health and social care, using their Joint Strategic Needs Assessment (JSNA) and the Health and Wellbeing "
        "Strategies they draw up.",
        "6",
    )
    a7 = b.clause(
        a_roles,
        "The H&amp;WB is the executive body that agrees what the local population needs, promotes integration, and "
        "supports alignment and joint commissioning. Its purpose is to give strong, effective leadership across "
        "the local authority and NHS partners so that residents' health and wellbeing improve and inequalities in "
        "outcomes narrow. It sets a clear direction across traditional boundaries to bring change and fresh "
        "thinking to health, adult and children's social care and housing services.",
        "7",
    )
    a8 = b.clause(a_roles, "The LSCB is required:", "8")
    a8a = b.clause(
        a_roles,
        "to coordinate what each person or body represented on the board does to safeguard and promote the "
        "welfare of children in the area; and",
        "a)",
        parent=a8,
    )
    a8b = b.clause(
        a_roles,
        "to make sure that what each such person or body does for these purposes is effective.",
        "b)",
        parent=a8,
    )

    a_work = b.section(v, "tb-a-working", "Working together", "", APPENDIX, APPENDIX_PART)
    a9 = b.clause(
        a_work,
        "The H&amp;WB and the LSCB agree to coordinate strategic planning across the partnerships so that business "
        "is delivered coherently, without duplication or gaps.",
        "9",
    )
    a10 = b.clause(
        a_work,
        "The H&amp;WB and the LSCB will work together so that the JSNA contains thorough analysis of safeguarding "
        "data. The JSNA will in turn shape both the LSCB's Business Plan and the Health and Wellbeing Strategies.",
        "10",
    )
    a11 = b.clause(
        a_work,
        "The H&amp;WB's Chair will receive from the LSCB's Independent Chair the LSCB's annual report on how well "
        "children in the three boroughs are kept safe and their welfare promoted. Alongside it, the LSCB Chair "
        "will present to the H&amp;WB a report on particular areas of focus where strategic leadership shared by "
        "both boards would help.",
        "11",
    )
    a12 = b.clause(
        a_work,
        "The H&amp;WB will keep Tri-borough LSCB members informed about the JSNA, the Health and Wellbeing "
        "Strategy, its commissioning intentions and how far they have been met. In return the LSCB will comment, "
        "where relevant, on any key part of those H&amp;WB plans that affects keeping children safe and promoting "
        "their welfare.",
        "12",
    )
    b.clause(
        a_work,
        "This process will give the Boards a chance to share learning and expertise, and to feed any improvement "
        "and development needs into planning for future years' strategies and plans.",
        "13",
    )
    a14 = b.clause(
        a_work,
        "Beyond this, the Tri-borough LSCB and the H&amp;WB will have members in common, who can see that key "
        "information on trends, concerns and action plans reaches the relevant Boards in a coordinated way. "
        "Whenever necessary, the LSCB Chair will also bring to the H&amp;WB, or to its members, any matter needing "
        "their attention outside the opportunities described above.",
        "14",
    )
    a15 = b.clause(
        a_work,
        "The H&amp;WB and the LSCB will work together to take young people's views into account when they develop "
        "key strategies.",
        "15",
    )

    a_outcomes = b.section(v, "tb-a-outcomes", "Outcomes of joint working", "", APPENDIX, APPENDIX_PART)
    a16 = b.clause(
        a_outcomes,
        "Under this protocol the LSCB and the HWBB are equal partners. The law gives the LSCB the job of "
        "challenging agencies and holding them to account for keeping local children and young people safe; the protocol is meant to see these functions carried out effectively in the "
        "three boroughs without duplicating functions or adding structures. Other outcomes include:",
        "16",
    )
    b.clause(
        a_outcomes,
        "making safeguarding 'everyone's business' and reflecting it in the public health agenda;",
        "a.",
        parent=a16,
    )
    a16b = b.clause(
        a_outcomes,
        "helping the Health and Wellbeing Board use its Health and Wellbeing Strategy to achieve safeguarding "
        "outcomes, including safeguarding in the wider determinants of health outcomes (domestic abuse, for "
        "example);",
        "b.",
        parent=a16,
    )
    b.clause(
        a_outcomes,
        "partnership working across the Boards to embed safeguarding throughout the health and wellbeing sector.",
        "c.",
        parent=a16,
    )

    a_signed = b.section(v, "tb-a-signed", "Signed", "", APPENDIX, APPENDIX_PART)
    b.clause(
        a_signed,
        "Signature lines for the Chair of Westminster Health and Wellbeing Board and the Independent Chair of the "
        "Tri-borough Local Safeguarding Children Board, both left blank: the protocol was proposed and never "
        "signed.",
    )

    # Duties -----------------------------------------------------------------------------------
    D = Duty.Kind
    b.duty(
        v,
        r3_1,
        lscb,
        "Develop local safeguarding policy and procedures and scrutinise local arrangements.",
        D.FUNCTION,
        [c.ca2004_s13],
    )
    b.duty(
        v,
        a8a,
        lscb,
        "Coordinate what each person or body represented on the Board does to safeguard and promote the welfare "
        "of children in the area.",
        D.DUTY,
        [ca2004_whole],
    )
    b.duty(
        v,
        a8b,
        lscb,
        "Ensure that what each person or body represented on the Board does for those purposes is effective.",
        D.DUTY,
        [ca2004_whole],
    )
    b.duty(
        v,
        r3_4,
        lscb,
        "Scrutinise and challenge the work of agencies, individually and collectively; it neither commissions "
        "services nor manages agencies' staff.",
        D.FUNCTION,
    )
    b.duty(
        v,
        a16,
        lscb,
        "Challenge agencies and hold them to account for keeping local children and young people safe.",
        D.DUTY,
    )
    b.duty(
        v,
        r1_4,
        lscb,
        "Keep its separate identity and independent voice: it is not subordinate to the Health and Wellbeing Board, "
        "which has no executive responsibility for it.",
        D.RESPONSIBILITY,
    )
    b.duty(
        v,
        r1_5,
        lscb,
        "Make clear where improvement is needed, though it has no power to direct other organisations; its members "
        "voice the Board's collective view, never that of a particular agency, and each partner keeps its own line "
        "of accountability for safeguarding.",
        D.FUNCTION,
    )
    b.duty(
        v,
        r3_3,
        lscb,
        "Be made up of members with a strategic safeguarding role who can speak for their organisation with "
        "authority, commit it on policy and practice, and hold it and others to account.",
        D.RESPONSIBILITY,
    )
    b.duty(
        v,
        a16,
        lscb,
        "Relate to the Health and Wellbeing Board as an equal partner under this protocol.",
        D.RESPONSIBILITY,
    )
    b.duty(
        v,
        a16,
        westminster_hwb,
        "Relate to the LSCB as an equal partner under this protocol.",
        D.RESPONSIBILITY,
    )
    b.duty(
        v,
        a7,
        westminster_hwb,
        "Agree the needs of the local population, promote integration, and support alignment and joint "
        "commissioning; lead the local authority and NHS partners to improve residents' health and wellbeing and "
        "reduce inequalities in outcomes.",
        D.FUNCTION,
    )
    for hwb in hwbs.values():
        b.duty(
            v,
            a6,
            hwb,
            "Use the JSNA and the Health and Wellbeing Strategy to steer what is commissioned in health, public "
            "health and social care.",
            D.FUNCTION,
        )
    for clause, text in (
        (
            a9,
            "Coordinate strategic planning across the partnerships with the other board, avoiding duplication and gaps.",
        ),
        (a10, "Work with the other board so that the JSNA includes comprehensive analysis of safeguarding data."),
        (a15, "Work with the other board to include young people's views in developing key strategies."),
    ):
        for board in (westminster_hwb, lscb):
            b.duty(v, clause, board, text, D.RESPONSIBILITY)

    # Reporting obligations --------------------------------------------------------------------
    F = Frequency
    all_hwbs = list(hwbs.values())
    b.obligation(
        v,
        r4_6a,
        lscb,
        "Annual Report on performance against the business plan objectives of the previous financial year",
        Subject.ANNUAL_REPORT,
        F.ANNUAL,
        all_hwbs,
        window=(9, 11),
        presenter=independent_chair,
        description=(
            "Presented by the LSCB's Independent Chair, so the H&WBs can see where to support the LSCB, draw its "
            "data into the JSNA and carry key issues into the refresh of their Health and Wellbeing Strategies."
        ),
    )
    # 4.6 b): the three Health and Wellbeing Boards liaise with the LSCB together.
    b.obligation(
        v,
        r4_6b,
        all_hwbs,
        "Consulting the LSCB when the Health and Wellbeing Strategy and the JSNA are reviewed",
        Subject.CONSULTATION,
        F.ANNUAL,
        [lscb],
        window=(10, 2),
        description="So the LSCB can consider how it might help put the Health and Wellbeing Strategy into effect.",
    )
    b.obligation(
        v,
        r4_6c,
        lscb,
        "Proposed business plans, shared to identify areas for partnership working across the year",
        Subject.BUSINESS_PLAN,
        F.ANNUAL,
        all_hwbs,
        window=(3, 5),
    )
    b.obligation(
        v,
        a11,
        independent_chair,
        "LSCB annual report on how well children in the three boroughs are safeguarded and their welfare promoted",
        Subject.ANNUAL_REPORT,
        F.ANNUAL,
        [hwb_chair],
        description="Forwarded by the Independent Chair of the LSCB to the Chair of the H&WB.",
    )
    b.obligation(
        v,
        a11,
        independent_chair,
        "Report on particular areas of focus where strategic leadership shared by both boards would help",
        Subject.OTHER,
        "",  # paragraph 11 does not say how often
        [westminster_hwb],
        presenter=independent_chair,
        description="Presented alongside the annual report.",
    )
    b.obligation(
        v,
        a12,
        westminster_hwb,
        "The JSNA, the Health and Wellbeing Strategy, commissioning intentions and how far they have been met",
        Subject.PLAN,
        "",  # paragraph 12 does not say how often
        [lscb],
        description="Liaison so that LSCB members are aware of the H&WB's plans.",
    )
    b.obligation(
        v,
        a12,
        lscb,
        "Feedback on key aspects of the H&WB's plans for safeguarding and promoting the welfare of children",
        Subject.CONSULTATION,
        "",  # paragraph 12 does not say how often
        [westminster_hwb],
    )
    b.obligation(
        v,
        a14,
        None,  # paragraph 14 leaves it to the members the boards have in common, naming no sender
        "Key information on trends, concerns and action plans, passed on through members in common",
        Subject.OTHER,
        "",  # nor how often
        [westminster_hwb],
        description="The members the two boards have in common make sure it reaches the relevant boards in a coordinated way.",
    )
    b.obligation(
        v,
        a14,
        independent_chair,
        "Matters needing the H&WB's attention outside the regular cycle",
        Subject.OTHER,
        F.AS_REQUIRED,
        [westminster_hwb],
        presenter=independent_chair,
        description="Brought by the LSCB Chair to the H&WB or its members at any time necessary.",
    )

    # Relations --------------------------------------------------------------------------------
    # Deliberately no REPORTS_TO either way between the H&WBs and the LSCB (4.2, 1.4): the LSCB's
    # independence is recorded on the board (is_independent), in the duties above, and in what 1.4
    # and 16 state, recorded as they say it: a denial each way, and equal partners.
    b.relation(v, r1_4, westminster_hwb, Kind.EXECUTIVE_RESPONSIBILITY_FOR, lscb, negated=True)
    b.relation(v, r1_4, lscb, Kind.SUBORDINATE_TO, westminster_hwb, negated=True)
    b.relation(v, a16, lscb, Kind.PARTNER_OF, westminster_hwb, symmetric=True)
    for hwb in all_hwbs:
        b.relation(
            v,
            r4_6a,
            lscb,
            Kind.PRESENTS_ANNUAL_REPORT_TO,
            hwb,
            "Through its Independent Chair, between September and November.",
            F.ANNUAL,
        )
    for slug in ("hammersmith-and-fulham", "kensington-and-chelsea"):
        b.relation(
            v,
            r4_6b,
            hwbs[slug],
            Kind.CONSULTS,
            lscb,
            "When the Health and Wellbeing Strategy and the JSNA are reviewed, between October and February.",
            F.ANNUAL,
        )
    b.relation(
        v,
        a12,
        westminster_hwb,
        Kind.CONSULTS,
        lscb,
        "Keeps LSCB members aware of the JSNA, the Health and Wellbeing Strategy and commissioning intentions "
        "(in October to February each year, under 4.6 b) of the covering report).",
    )
    b.relation(
        v,
        a12,
        lscb,
        Kind.ADVISES,
        westminster_hwb,
        "Gives feedback on the H&WB's plans as they bear on safeguarding and children's welfare.",
    )
    b.relation(
        v,
        a16b,
        lscb,
        Kind.SUPPORTS,
        westminster_hwb,
        "Helps the H&WB use the Health and Wellbeing Strategy to achieve safeguarding outcomes, as an equal partner.",
    )
    # 3.9 sees "opportunities" for the H&WB to add value and 4.5 says Ofsted will judge the LSCB's scrutiny of
    # other partnerships' priorities; neither states a relation between the two boards, so none is drawn.
    for suffix in ("quality-assurance", "learning-and-development", "case-review", "child-death-overview-panel"):
        b.relation(v, subgroup_clauses["chairs-group"], chairs_group, Kind.OVERSEES, subgroups[suffix])
    for group in partnership_groups.values():
        b.relation(v, subgroup_clauses["chairs-group"], chairs_group, Kind.OVERSEES, group)
    b.relation(
        v,
        subgroup_clauses["quality-assurance"],
        subgroups["quality-assurance"],
        Kind.SUPPORTS,
        lscb,
        "Its quality assurance framework supports the Board's scrutiny and challenge role.",
    )
    # 3.8 says why the Partnership Groups exist but not how they stand to the Board: no relation is drawn.

    # Meetings and priorities --------------------------------------------------------------------
    b.meeting(
        v,
        r3_7,
        "Tri-borough LSCB subgroup meetings",
        F.QUARTERLY,
        list(subgroups.values()),
        purpose="Each subgroup meets at least quarterly; much of the Board's business is taken forward there.",
    )
    # The report lists no priorities of its own: 2.1 b) refers to the LSCB's priority areas without naming them,
    # and 3.9 gives child sexual exploitation, female genital mutilation and missing children only as examples
    # of where the H&WB could add value. It has no glossary either.
