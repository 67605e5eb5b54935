"""Obligations with no stated sender, one sender, or several sending jointly: entered by a business manager in
the editor and through the API, and read back on every page, feed, PDF and API that shows obligations."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from accountability import services
from accountability.graph import area_graph, version_graph
from accountability.models import ReportingObligation
from core.text import NOT_STATED
from protocols.models import ProtocolVersion
from protocols.pdf import pdf_context
from tests.api_support import client_for
from tests.factories import BoardFactory, ClauseFactory, PartyFactory, ProtocolFactory, SectionFactory, VersionFactory


@pytest.fixture
def draft(area):
    """A draft protocol between an LSCB and an HWB, with a clause each obligation below is drawn from."""
    lscb = BoardFactory(name="Local Safeguarding Children Board", short_name="LSCB", slug="lscb", areas=[area])
    hwb = BoardFactory(name="Health and Wellbeing Board", short_name="HWB", slug="hwb", kind="hwb", areas=[area])
    csp = BoardFactory(name="Community Safety Partnership", short_name="CSP", slug="csp", kind="csp", areas=[area])
    protocol = ProtocolFactory(title="Joint working protocol", slug="joint", area=area)
    version = VersionFactory(protocol=protocol, number=1, status=ProtocolVersion.Status.DRAFT)
    for position, board in enumerate((lscb, hwb, csp)):
        PartyFactory(version=version, board=board, position=position)
    section = SectionFactory(version=version, number="4", heading="Reporting", position=0)
    clause = ClauseFactory(
        section=section, number="4.1", key="s4-1", text="<p>Reports are shared with the Board.</p>", position=0
    )
    return {"version": version, "clause": clause, "lscb": lscb, "hwb": hwb, "csp": csp}


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def add_in_editor(client, draft, **fields):
    url = reverse("accountability:record_add", args=["joint", draft["clause"].key, "obligation"])
    data = {
        "subject": "annual_report",
        "frequency": "annual",
        "recipients": [f"board:{draft['hwb'].pk}"],
        **fields,
    }
    return client.post(url, data)


def test_editor_records_an_obligation_whose_sender_the_protocol_does_not_name(client, business_manager, draft):
    """Leaving "Who reports" empty records no sender, and the version page says the sender is not stated."""
    client.force_login(business_manager)
    response = add_in_editor(client, draft, title="Performance report")
    assert response.status_code == 302
    obligation = ReportingObligation.objects.get(title="Performance report")
    assert list(obligation.senders.all()) == []
    page = text(client.get(draft["version"].get_absolute_url()))
    assert f"Reports: Performance report to HWB, annually, sender: {NOT_STATED.lower()}" in page


def test_editor_records_two_boards_sending_jointly(client, business_manager, draft):
    """Choosing two boards records both, in order; pages name them together."""
    client.force_login(business_manager)
    response = add_in_editor(
        client,
        draft,
        title="Joint strategic assessment",
        senders=[f"board:{draft['lscb'].pk}", f"board:{draft['csp'].pk}"],
    )
    assert response.status_code == 302
    obligation = ReportingObligation.objects.get(title="Joint strategic assessment")
    assert obligation.sender_parties == [draft["lscb"], draft["csp"]]
    page = text(client.get(draft["version"].get_absolute_url()))
    assert "Reports: LSCB and CSP send jointly Joint strategic assessment to HWB" in page


def test_api_writes_and_reads_no_sender_and_two_senders(business_manager, draft):
    """The API takes `senders` as a list: empty for "not stated", several for joint; it reads back the same."""
    api = client_for(business_manager)
    base = {
        "version": draft["version"].pk,
        "source_clause": draft["clause"].pk,
        "subject": "other",
        "frequency": "annual",
        "recipients": [{"board": draft["hwb"].pk}],
    }
    silent = api.post("/api/obligations/", {**base, "title": "Report", "senders": []}, format="json")
    assert silent.status_code == 201, silent.content
    assert silent.json()["senders"] == []
    joint = api.post(
        "/api/obligations/",
        {**base, "title": "Joint report", "senders": [{"board": draft["lscb"].pk}, {"board": draft["csp"].pk}]},
        format="json",
    )
    assert joint.status_code == 201, joint.content
    assert joint.json()["senders"] == [
        {"board": draft["lscb"].pk, "post": None},
        {"board": draft["csp"].pk, "post": None},
    ]
    listed = {
        o["title"]: o["senders"] for o in api.get(f"/api/obligations/?version={draft['version'].pk}").json()["results"]
    }
    assert listed == {"Report": [], "Joint report": joint.json()["senders"]}
    assert "from_board" not in silent.json()


def test_api_changes_the_senders_and_refuses_a_sender_named_twice(business_manager, draft):
    """PATCH replaces the senders (an empty list clears them); the same board twice is a field error."""
    obligation = services.obligation_create(
        user=business_manager,
        version=draft["version"],
        senders=[draft["lscb"]],
        subject="other",
        title="Report",
        frequency="annual",
        recipients=[draft["hwb"]],
    )
    api = client_for(business_manager)
    url = f"/api/obligations/{obligation.pk}/"
    twice = api.patch(
        url,
        {"senders": [{"board": draft["lscb"].pk}, {"board": draft["lscb"].pk}]},
        format="json",
        HTTP_IF_MATCH='W/"1"',
    )
    assert twice.status_code == 400
    assert "senders" in twice.json()["error"]["fields"]
    cleared = api.patch(url, {"senders": []}, format="json", HTTP_IF_MATCH='W/"1"')
    assert cleared.status_code == 200, cleared.content
    assert cleared.json()["senders"] == []
    assert not obligation.senders.exists()


def test_a_review_draft_keeps_each_obligations_senders(business_manager, draft):
    """Starting a review copies none, one or several senders as they were."""
    version = draft["version"]
    for title, senders in (("None", []), ("One", [draft["lscb"]]), ("Two", [draft["lscb"], draft["csp"]])):
        services.obligation_create(
            user=business_manager,
            version=version,
            senders=senders,
            subject="other",
            title=title,
            frequency="annual",
            recipients=[draft["hwb"]],
        )
    # A protocol has one open draft: the source is the agreed version a review copies from.
    ProtocolVersion.objects.filter(pk=version.pk).update(status=ProtocolVersion.Status.AGREED)
    copy = VersionFactory(protocol=version.protocol, number=2, status=ProtocolVersion.Status.DRAFT)
    services.copy_accountability(source_version=version, target_version=copy)
    copied = {o.title: [p.short_name for p in o.sender_parties] for o in copy.obligations.all()}
    assert copied == {"None": [], "One": ["LSCB"], "Two": ["LSCB", "CSP"]}


@pytest.fixture
def agreed(business_manager, draft):
    """The two obligations entered on the draft, which is then agreed so they are in force."""
    for title, senders in (("Performance report", []), ("Joint strategic assessment", [draft["lscb"], draft["csp"]])):
        services.obligation_create(
            user=business_manager,
            version=draft["version"],
            source_clause=draft["clause"],
            senders=senders,
            subject="other",
            title=title,
            frequency="annual",
            window_start_month=9,
            window_end_month=11,
            recipients=[draft["hwb"]],
        )
    ProtocolVersion.objects.filter(pk=draft["version"].pk).update(status=ProtocolVersion.Status.AGREED)
    draft["version"].refresh_from_db()
    return draft


def test_map_draws_an_arrow_from_each_joint_sender_and_lists_the_unsent_obligation_in_words(agreed):
    """No arrow for an obligation with no stated sender; it is listed as "sender not stated". Joint senders each
    draw an arrow that says who they send it with."""
    for graph in (version_graph(agreed["version"]), area_graph(agreed["version"].protocol.area)):
        sentences = [e["sentence"] for e in graph["edges"] if e["origin"] == "obligation"]
        assert sentences == [
            "LSCB reports to HWB, Joint strategic assessment, September to November, jointly with CSP, clause 4.1",
            "CSP reports to HWB, Joint strategic assessment, September to November, jointly with LSCB, clause 4.1",
        ]
        assert [u["sentence"] for u in graph["unmapped"]] == [
            "Performance report to HWB (sender not stated), September to November, clause 4.1"
        ]


def test_map_page_and_api_list_the_unsent_obligation(client, agreed):
    """The map's text list and the graph API both carry the obligation whose sender is not stated."""
    page = text(client.get("/areas/knowsley/map/"))
    assert "Performance report to HWB (sender not stated), September to November" in page
    graph = client.get("/api/graph/knowsley/").json()
    assert [u["text"] for u in graph["unmapped"]] == [
        "Performance report to HWB (sender not stated), September to November"
    ]


def test_board_pages_calendar_and_ical_say_who_sends(client, agreed):
    """The HWB's page and the calendars name both joint senders, and say when the sender is not stated."""
    hwb_page = text(client.get("/boards/hwb/"))
    assert f"Performance report from {NOT_STATED}" in hwb_page
    assert "Joint strategic assessment from LSCB and CSP" in hwb_page
    lscb_page = text(client.get("/boards/lscb/"))
    assert "sent jointly by LSCB and CSP" in lscb_page
    calendar = text(client.get("/areas/knowsley/calendar/"))
    assert f"Sender: {NOT_STATED} : Performance report to HWB" in calendar
    assert "LSCB and CSP : Joint strategic assessment to HWB" in calendar
    ical = client.get("/areas/knowsley/calendar.ics").content.decode().replace("\r\n ", "")
    assert f"SUMMARY:Sender: {NOT_STATED.lower()}: Performance report to HWB" in ical
    assert "SUMMARY:LSCB and CSP: Joint strategic assessment to HWB" in ical


def test_pdf_schedule_and_diagram_text_say_who_sends(agreed):
    """The PDF's schedule of obligations names joint senders and says "not stated"; its diagram text lists
    the obligation no arrow shows."""
    html = render_to_string("pdf/protocol.html", pdf_context(agreed["version"], certificate=False))
    schedule = text_of_html(html[html.index('id="schedule"') :])
    assert f"{NOT_STATED} HWB Performance report" in schedule
    assert "LSCB and CSP HWB Joint strategic assessment" in schedule
    assert "Performance report to HWB (sender not stated), September to November, clause 4.1" in html


def text_of_html(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_an_obligation_naming_neither_sender_nor_recipient_says_both_are_not_stated(business_manager, draft):
    """The map's text list never reads "to no recipient named": it says plainly what the protocol leaves out
    (Slough's quarterly report names neither; the demo records it so)."""
    obligation = services.obligation_create(
        user=business_manager,
        version=draft["version"],
        source_clause=draft["clause"],
        senders=[],
        subject="other",
        title="Quarterly progress report",
        frequency="quarterly",
        recipients=[draft["hwb"]],
    )
    obligation.recipients.all().delete()  # as the demo records a protocol that names no recipient
    graph = version_graph(draft["version"])
    assert [u["text"] for u in graph["unmapped"]] == [
        "Quarterly progress report (sender and recipient not stated), Quarterly"
    ]
