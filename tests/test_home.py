"""The home page: a signed-in user starts on their area; anyone else on every area's protocols. Every
protocol it lists opens for the reader who sees it."""

import datetime
import re

import pytest

from protocols.models import ProtocolVersion
from tests.factories import ObligationFactory, PartyFactory, ProtocolFactory, RecipientFactory, VersionFactory
from tests.test_map import build_area

Status = ProtocolVersion.Status


@pytest.fixture
def knowsley(area, other_area):
    built = build_area(area, 1)
    build_area(other_area, 1, prefix="y")
    next_month = datetime.date.today().month % 12 + 1
    due = ObligationFactory(
        senders=[built["kscb"]],
        version=built["version"],
        title="Business plan",
        window_start_month=next_month,
        window_end_month=next_month,
    )
    RecipientFactory(obligation=due, board=built["hwb"])
    sent = VersionFactory(
        protocol=ProtocolFactory(area=area, title="Protocol sent for approval"), status=Status.AWAITING_APPROVAL
    )
    PartyFactory(version=sent, board=built["kscb"])
    draft_only = VersionFactory(protocol=ProtocolFactory(area=area, title="Draft only protocol"), status=Status.DRAFT)
    PartyFactory(version=draft_only, board=built["hwb"])
    ProtocolFactory(area=area, title="Protocol with no version yet")
    return built


def test_a_board_member_starts_on_their_area(client, knowsley, board_member):
    """Their area by name, what awaits approval (with each party's state), what falls due soon, their
    boards and their area's protocols (drafts they may read included); not the other area's."""
    client.force_login(board_member)
    html = client.get("/").content.decode()
    assert re.search(r"<h1[^>]*>Knowsley</h1>", html)
    awaiting = html.split('id="awaiting"')[1].split('id="due"')[0]
    assert "Protocol sent for approval" in awaiting and "not yet approved" in awaiting
    due = html.split('id="due"')[1].split('id="boards"')[0]
    assert "Business plan" in due
    boards = html.split('id="boards"')[1]
    assert "x Safeguarding Children Board" in boards and "y Safeguarding Children Board" not in boards
    assert "Draft only protocol" in html and "y partnership protocol" not in html
    assert "Record approvals" not in html  # a board member does not record them
    assert 'href="/?all=1"' in html


def test_anonymous_readers_and_all_keep_every_areas_list(client, knowsley, board_member):
    html = client.get("/").content.decode()
    assert "Protocols between local statutory boards" in html and "y partnership protocol" in html
    client.force_login(board_member)
    assert "y partnership protocol" in client.get("/?all=1").content.decode()


def test_the_signed_in_home_reads_in_a_fixed_number_of_queries(
    client, knowsley, board_member, django_assert_num_queries
):
    """Seventeen queries, however many boards, obligations and protocols the area has: session and user, roles,
    areas, versions awaiting approval with their parties and approvals, reviews, boards, the areas' protocols
    with their versions and parties, and each area's obligations due soon."""
    client.force_login(board_member)
    with django_assert_num_queries(17):
        client.get("/")
    build_area(knowsley["version"].protocol.area, 3, prefix="z")
    with django_assert_num_queries(17):
        client.get("/")


@pytest.mark.parametrize("persona", [None, "board_member", "business_manager", "outsider", "administrator"])
def test_every_protocol_the_home_page_lists_opens_for_its_reader(client, knowsley, request, persona):
    """A draft-only protocol is listed only to those who may read it, and every link opens (a protocol with no
    version yet says so on its public page)."""
    if persona:
        client.force_login(request.getfixturevalue(persona))
    for url in ("/", "/?all=1"):
        html = client.get(url).content.decode()
        links = set(re.findall(r'href="(/protocols/[^"/]+/(?:versions/\d+/)?)"', html))
        assert links
        for link in links:
            assert client.get(link, follow=True).status_code == 200, (persona, link)
        assert ("Draft only protocol" in html) == (persona in ("board_member", "business_manager", "administrator"))
