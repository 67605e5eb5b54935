"""Each demo protocol's approvals are exactly what its document states: for every party, who signed (or that the
document does not say), in which post, and when, at the precision the document gives. Nothing is filled in."""

import pytest

from protocols.models import Party

NOT_STATED = None  # how these lists write a fact the document does not give


@pytest.fixture
def approvals(demo_data, db):  # the demo, loaded once for the module
    """{protocol slug: [(board slug, signatory name, post as written, date as displayed), ...]} after loading."""
    found = {}
    parties = Party.objects.select_related("board", "version__protocol").prefetch_related("approvals")
    for party in parties.order_by("version__protocol__slug", "position"):
        rows = found.setdefault(party.version.protocol.slug, [])
        live = party.live_approvals()
        if not live:
            rows.append((party.board.slug, "no approval recorded"))
        for approval in live:
            rows.append(
                (
                    party.board.slug,
                    approval.signatory_name or NOT_STATED,
                    approval.post_display or NOT_STATED,
                    approval.approved_display or NOT_STATED,
                )
            )
    return found


def test_west_berkshire_gives_each_boards_month_and_no_signatory(approvals):
    # The closing lines after "This protocol has been agreed by all parties": "Health & Wellbeing board -
    # approved December 2012", "Munro Implementation Board approved October 2012", "West Berks LSCB approved
    # April 2013". No names, posts or signature lines.
    assert sorted(approvals["west-berkshire-lscb-hwb-munro"]) == sorted(
        [
            ("west-berkshire-lscb", NOT_STATED, NOT_STATED, "April 2013"),
            ("west-berkshire-hwb", NOT_STATED, NOT_STATED, "December 2012"),
            ("west-berkshire-munro-implementation-board", NOT_STATED, NOT_STATED, "October 2012"),
        ]
    )


def test_cheshire_west_gives_four_named_chairs_with_their_days(approvals):
    # The front page's four "Signed: Chair of ..." lines, each with the chair's name in brackets and a date.
    assert approvals["cheshire-west-joint-protocol"] == [
        ("cheshire-west-and-chester-childrens-trust", "Gerald Meehan", "Chair of Children's Trust", "22 July 2015"),
        (
            "cheshire-west-and-chester-lscb",
            "Gill Frame",
            "Chair of Local Safeguarding Children Board",
            "11 August 2015",
        ),
        ("cheshire-west-and-chester-hwb", "Councillor Sam Dixon", "Chair of Health & Wellbeing Board", "23 July 2015"),
        (
            "cheshire-west-and-chester-csp",
            "Mark Palethorpe",
            "Chair of Cheshire West and Chester Community Safety Partnership",
            "23 July 2015",
        ),
    ]


def test_slough_gives_the_chairs_posts_but_no_names_and_no_date(approvals):
    # The opening paragraph: "The Chairs of the CPB and the LSCB have formally agreed to the arrangements set out
    # in this document". The title page's "July 2011" dates the document, not the agreement.
    assert approvals["slough-cpb-lscb"] == [
        ("slough-cpb", NOT_STATED, "Chair of the CPB", NOT_STATED),
        ("slough-lscb", NOT_STATED, "Chair of the LSCB", NOT_STATED),
    ]


def test_knowsley_gives_a_month_with_a_question_mark_and_no_signatory(approvals):
    # The last line of section 11: "Version 2 of the Partnership Protocol approved: ? June 2015". No signature
    # block, no names, no posts.
    assert sorted(approvals["knowsley-hwb-kscb"]) == sorted(
        [
            ("knowsley-hwb", NOT_STATED, NOT_STATED, "June 2015"),
            ("knowsley-kscb", NOT_STATED, NOT_STATED, "June 2015"),
        ]
    )


def test_the_westminster_appendix_was_never_signed(approvals):
    # Appendix A ends with "Signed ....." above two blank signature lines (Chair of Westminster Health and
    # Wellbeing Board; Independent Chair of the Tri-borough LSCB): proposed, and no approval is recorded.
    assert approvals["westminster-hwb-tri-borough-lscb"] == [
        ("westminster-hwb", "no approval recorded"),
        ("tri-borough-lscb", "no approval recorded"),
    ]
