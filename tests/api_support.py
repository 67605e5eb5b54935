"""Shared set-up for the API tests: a Knowsley protocol with an agreed version and an open draft."""

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from boards.models import Board
from protocols.models import ProtocolVersion
from tests.factories import (
    BoardFactory,
    ClauseFactory,
    PartyFactory,
    ProtocolFactory,
    RecipientFactory,
    RelationFactory,
    SectionFactory,
    VersionFactory,
)


@dataclass
class Knowsley:
    board: Board
    hwb: Board
    protocol: object
    agreed: ProtocolVersion
    draft: ProtocolVersion
    agreed_clause: object
    draft_section: object
    draft_clause: object
    obligation: object
    relation: object


def build_knowsley(area):
    """An agreed version 1 and a draft version 2, each with a section, a clause, and records stated by it."""
    from tests.factories import ObligationFactory

    board = BoardFactory(name="Knowsley Safeguarding Children Board", short_name="KSCB", slug="kscb", areas=[area])
    hwb = BoardFactory(
        name="Knowsley Health and Wellbeing Board", short_name="HWB", slug="knowsley-hwb", kind="hwb", areas=[area]
    )
    protocol = ProtocolFactory(title="Knowsley partnership protocol", slug="knowsley-protocol", area=area)
    agreed = VersionFactory(protocol=protocol, number=1, status=ProtocolVersion.Status.AGREED)
    draft = VersionFactory(protocol=protocol, number=2, status=ProtocolVersion.Status.DRAFT, based_on=agreed)
    for version in (agreed, draft):
        PartyFactory(version=version, board=board, position=0)
        PartyFactory(version=version, board=hwb, position=1)
    agreed_section = SectionFactory(version=agreed, number="1", heading="Accountability", position=0)
    agreed_clause = ClauseFactory(
        section=agreed_section, number="1.1", text="<p>The KSCB presents its annual report.</p>", position=0
    )
    draft_section = SectionFactory(version=draft, number="1", heading="Accountability", position=0)
    draft_clause = ClauseFactory(
        section=draft_section,
        number="1.1",
        text="<p>The KSCB presents its annual report to the HWB.</p>",
        position=0,
    )
    obligation = ObligationFactory(
        version=draft,
        source_clause=draft_clause,
        senders=[board],
        title="Annual report of the KSCB",
        window_start_month=9,
        window_end_month=11,
    )
    RecipientFactory(obligation=obligation, board=hwb)
    relation = RelationFactory(version=draft, source_clause=draft_clause, subject_board=board, object_board=hwb)
    return Knowsley(
        board, hwb, protocol, agreed, draft, agreed_clause, draft_section, draft_clause, obligation, relation
    )


@pytest.fixture
def knowsley(area):
    return build_knowsley(area)


def client_for(user):
    """A client authenticated the way other systems are: with a token an administrator issued."""
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


ROLES = ["anonymous", "outsider", "board_member", "business_manager", "administrator"]


@pytest.fixture
def as_role(request):
    """A token client for the persona named by the test's `role` parameter (None for anonymous)."""

    def make(role):
        user = None if role == "anonymous" else request.getfixturevalue(role)
        return client_for(user)

    return make


def count_queries(client, url):
    """(queries run, rows counted) for one list request that must succeed, drawn afresh: factories write
    around core.writes, so no change counter moves and a cached copy is set aside here."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries), response.json()["count"]
