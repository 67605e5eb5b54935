"""Relations a protocol denies ("the LSCB is not subordinate to the HWB") or states both ways ("equal
partners"): entered by a business manager in the editor and through the API, said in words everywhere, and
never drawn as an arrow that asserts the opposite."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from accountability import services
from accountability.graph import area_graph, version_graph
from accountability.models import Relation
from accountability.selectors import area_gaps
from accountability.svg import render_svg
from core.writes import unlocked
from protocols.models import ProtocolVersion
from protocols.pdf import pdf_context
from tests.api_support import client_for
from tests.svg_support import SVG, groups
from tests.test_obligation_senders import draft, text  # noqa: F401 - the shared draft fixture


def test_editor_records_the_lscb_is_not_subordinate_to_the_hwb(client, business_manager, draft):  # noqa: F811
    """Ticking "the protocol denies this" records a negated relation, and the version page says it in words."""
    client.force_login(business_manager)
    url = reverse("accountability:record_add", args=["joint", draft["clause"].key, "relation"])
    response = client.post(
        url,
        {
            "subject": f"board:{draft['lscb'].pk}",
            "kind": "subordinate_to",
            "object": f"board:{draft['hwb'].pk}",
            "negated": "on",
        },
    )
    assert response.status_code == 302
    relation = Relation.objects.get()
    assert (relation.kind, relation.negated, relation.symmetric) == ("subordinate_to", True, False)
    assert "Relation: LSCB is not subordinate to HWB" in text(client.get(draft["version"].get_absolute_url()))


def test_editor_refuses_a_relation_both_denied_and_both_ways(client, business_manager, draft):  # noqa: F811
    client.force_login(business_manager)
    url = reverse("accountability:record_add", args=["joint", draft["clause"].key, "relation"])
    response = client.post(
        url,
        {
            "subject": f"board:{draft['lscb'].pk}",
            "kind": "partner_of",
            "object": f"board:{draft['hwb'].pk}",
            "negated": "on",
            "symmetric": "on",
        },
    )
    assert response.status_code == 200
    assert not Relation.objects.exists()


def test_api_writes_and_reads_a_denied_and_a_mutual_relation(business_manager, draft):  # noqa: F811
    """`negated` and `symmetric` go in and come back, with the relation's words in `statement`."""
    api = client_for(business_manager)
    base = {"version": draft["version"].pk, "subject_board": draft["lscb"].pk, "object_board": draft["hwb"].pk}
    denied = api.post("/api/relations/", {**base, "kind": "subordinate_to", "negated": True}, format="json")
    assert denied.status_code == 201, denied.content
    assert (denied.json()["negated"], denied.json()["statement"]) == (True, "LSCB is not subordinate to HWB")
    mutual = api.post("/api/relations/", {**base, "kind": "partner_of", "symmetric": True}, format="json")
    assert mutual.status_code == 201, mutual.content
    assert (mutual.json()["symmetric"], mutual.json()["statement"]) == (True, "LSCB and HWB are equal partners")
    no_exec = api.post(
        "/api/relations/",
        {
            **base,
            "subject_board": draft["hwb"].pk,
            "object_board": draft["lscb"].pk,
            "kind": "executive_responsibility_for",
            "negated": True,
        },
        format="json",
    )
    assert no_exec.json()["statement"] == "HWB has no executive responsibility for LSCB"
    both = api.post("/api/relations/", {**base, "kind": "consults", "negated": True, "symmetric": True}, format="json")
    assert both.status_code == 400


@pytest.fixture
def agreed(business_manager, draft):  # noqa: F811
    """Agreed: the LSCB is not subordinate to the HWB; the LSCB and the HWB are equal partners."""
    version = draft["version"]
    common = {"user": business_manager, "version": version, "source_clause": draft["clause"]}
    services.relation_create(
        **common, kind="subordinate_to", subject_board=draft["lscb"], object_board=draft["hwb"], negated=True
    )
    services.relation_create(
        **common, kind="partner_of", subject_board=draft["lscb"], object_board=draft["hwb"], symmetric=True
    )
    ProtocolVersion.objects.filter(pk=version.pk).update(status=ProtocolVersion.Status.AGREED)
    version.refresh_from_db()
    return draft


def test_the_map_draws_no_arrow_for_the_denial_and_no_direction_for_equal_partners(agreed):
    """No "is subordinate to" arrow exists anywhere; the denial is listed in words; equal partners are undirected."""
    for graph in (version_graph(agreed["version"]), area_graph(agreed["version"].protocol.area)):
        assert not [e for e in graph["edges"] if e["kind"] == "subordinate_to"]
        assert [u["sentence"] for u in graph["unmapped"]] == ["LSCB is not subordinate to HWB, clause 4.1"]
        (partners,) = [e for e in graph["edges"] if e["kind"] == "partner_of"]
        assert (partners["directed"], partners["sentence"]) == (False, "LSCB and HWB are equal partners, clause 4.1")
        svg = render_svg(graph, title="map")
        assert "is subordinate to" not in svg.replace("is not subordinate to", "")
        (arrow,) = [g for g in groups(svg, "accountability-svg__arrow") if partners["id"] in g.get("data-edge-ids", "")]
        assert arrow.find(f"{SVG}polygon") is None  # no arrowhead


def test_map_text_board_pages_and_pdf_say_it_in_words(client, agreed):
    """The map's text list, both boards' pages and the PDF's diagram text say what the protocol says."""
    map_text = text(client.get("/areas/knowsley/map/"))
    assert "LSCB is not subordinate to HWB" in map_text
    assert "LSCB and HWB are equal partners" in map_text
    lscb_page = text(client.get("/boards/lscb/"))
    assert "LSCB is not subordinate to HWB" in lscb_page and "LSCB and HWB are equal partners" in lscb_page
    hwb_page = text(client.get("/boards/hwb/"))
    assert "LSCB is not subordinate to HWB" in hwb_page and "LSCB and HWB are equal partners" in hwb_page
    html = render_to_string("pdf/protocol.html", pdf_context(agreed["version"], certificate=False))
    assert "LSCB is not subordinate to HWB, clause 4.1" in html
    assert "LSCB and HWB are equal partners, clause 4.1" in html
    assert "LSCB is subordinate to HWB" not in html


def test_a_denied_accountability_does_not_count_as_holding_a_board_to_account(agreed):
    """ "The CSP is not accountable to the HWB" leaves the CSP flagged as held to account by nobody."""
    with unlocked():  # arranging what an agreed version states
        Relation.objects.create(
            version=agreed["version"],
            kind="accountable_to",
            subject_board=agreed["csp"],
            object_board=agreed["hwb"],
            negated=True,
        )
    assert agreed["csp"] in area_gaps(agreed["version"].protocol.area).unaccountable_boards
    with unlocked():
        Relation.objects.filter(subject_board=agreed["csp"]).update(negated=False)
    assert agreed["csp"] not in area_gaps(agreed["version"].protocol.area).unaccountable_boards
