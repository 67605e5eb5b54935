"""Comparing areas: arrows matched by the kinds at their ends, per-area leftovers, form errors, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accountability.comparison import compared_arrows, split_shared
from accountability.models import Relation
from boards.models import Board
from protocols.models import ProtocolVersion
from tests.factories import (
    AreaFactory,
    BoardFactory,
    ClauseFactory,
    ObligationFactory,
    PartyFactory,
    ProtocolFactory,
    RecipientFactory,
    RelationFactory,
    SectionFactory,
    VersionFactory,
)

Status = ProtocolVersion.Status


def area_with_protocol(name, lscb_short, status=Status.AGREED, extra_relations=0):
    """An area whose protocol (at `status`) has its LSCB present an annual report to its HWB."""
    area = AreaFactory(name=name, slug=name.lower())
    lscb = BoardFactory(name=f"{name} LSCB", short_name=lscb_short, kind=Board.Kind.LSCB, areas=[area])
    hwb = BoardFactory(name=f"{name} HWB", short_name="HWB", kind=Board.Kind.HWB, areas=[area])
    version = VersionFactory(protocol=ProtocolFactory(area=area, title=f"{name} protocol"), status=status)
    PartyFactory(version=version, board=lscb)
    PartyFactory(version=version, board=hwb)
    clause = ClauseFactory(section=SectionFactory(version=version), number="4.6")
    obligation = ObligationFactory(senders=[lscb], version=version, source_clause=clause, frequency="annual")
    RecipientFactory(obligation=obligation, board=hwb)
    for _ in range(extra_relations):
        RelationFactory(kind=Relation.Kind.SCRUTINISES, subject_board=hwb, object_board=lscb, version=version)
    return area, lscb, hwb


def test_same_arrangement_under_different_board_names_shares_a_row(db):
    knowsley, *_ = area_with_protocol("Knowsley", "KSCB")
    slough, lscb, hwb = area_with_protocol("Slough", "LSCB")
    version = ProtocolVersion.objects.get(protocol__area=slough)
    RelationFactory(kind=Relation.Kind.CHALLENGES, subject_board=hwb, object_board=lscb, version=version)

    shared, own = split_shared(compared_arrows([knowsley, slough]), [knowsley, slough])

    assert [(a.source, a.label, a.target) for a in shared] == [
        ("Local Safeguarding Children Board", "presents its annual report to", "Health and Wellbeing Board")
    ]
    knowsley_cell, slough_cell = shared[0].columns
    assert knowsley_cell[0]["source_label"] == "KSCB" and slough_cell[0]["source_label"] == "LSCB"
    assert own[0] == (knowsley, [])
    assert [arrow.label for arrow, _ in own[1][1]] == ["challenges"]


def test_draft_arrows_are_not_compared(db):
    agreed, *_ = area_with_protocol("Knowsley", "KSCB")
    drafted, *_ = area_with_protocol("Slough", "LSCB", status=Status.DRAFT)
    shared, own = split_shared(compared_arrows([agreed, drafted]), [agreed, drafted])
    assert shared == [] and own[1] == (drafted, [])


def test_page_compares_chosen_areas(client, db):
    area_with_protocol("Knowsley", "KSCB")
    area_with_protocol("Slough", "LSCB")
    response = client.get("/compare/", {"area": ["knowsley", "slough"]})
    body = response.content.decode()
    assert response.status_code == 200
    assert "2 of 2 areas" in body and "Knowsley protocol" in body and "Slough protocol" in body


@pytest.mark.parametrize(
    ("chosen", "message"),
    [
        (["knowsley"], "Choose at least two areas to compare"),
        (["knowsley", "atlantis"], "Select a valid choice"),
        ([f"area-{n}" for n in range(7)], "Choose no more than 6 areas"),
    ],
)
def test_bad_choices_are_shown_next_to_the_field(client, db, chosen, message):
    AreaFactory(name="Knowsley", slug="knowsley")
    for n in range(7):
        AreaFactory(name=f"Area {n}", slug=f"area-{n}")
    response = client.get("/compare/", {"area": chosen})
    body = response.content.decode()
    assert response.status_code == 200 and message in body and "govuk-error-summary" in body
    assert "Arrangements they share" not in body


def test_queries_do_not_grow_with_the_data(client, db):
    area_with_protocol("Knowsley", "KSCB")
    area_with_protocol("Slough", "LSCB")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/compare/", {"area": ["knowsley", "slough"]}).status_code == 200
        return len(queries)

    small = count()
    for name in ("Halton", "Wirral"):
        area_with_protocol(name, "LSCB", extra_relations=5)
    version = ProtocolVersion.objects.get(protocol__area__slug="knowsley")
    lscb, hwb = (p.board for p in version.parties.order_by("pk"))
    for _ in range(10):
        RelationFactory(kind=Relation.Kind.SCRUTINISES, subject_board=hwb, object_board=lscb, version=version)
    assert count() == small


def test_arriving_from_an_area_page_ticks_that_area_without_errors(client, db):
    AreaFactory(name="Knowsley", slug="knowsley")
    AreaFactory(name="Slough", slug="slough")
    area_page = client.get("/areas/knowsley/").content.decode()
    assert 'href="/compare/?start=knowsley"' in area_page
    body = client.get("/compare/", {"start": "knowsley"}).content.decode()
    assert 'value="knowsley" checked' in body and 'value="slough" checked' not in body
    assert "govuk-error-summary" not in body


def test_memberships_are_not_compared(db):
    from tests.factories import MembershipFactory, PostFactory

    knowsley, lscb, _ = area_with_protocol("Knowsley", "KSCB")
    slough, other_lscb, _ = area_with_protocol("Slough", "LSCB")
    for area, board in ((knowsley, lscb), (slough, other_lscb)):
        MembershipFactory(board=board, post=PostFactory(area=area, title="Director of Public Health"))
    labels = {arrow.label for arrow in compared_arrows([knowsley, slough])}
    assert labels == {"presents its annual report to"}
