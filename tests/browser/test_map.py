"""A board member reads Knowsley's map, the KSCB page and the calendar, in Chromium, with axe-core."""

import datetime

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, login


@pytest.fixture
def knowsley_demo(db):
    call_command("load_demo", verbosity=0)
    call_command("create_demo_accounts", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_board_member_reads_map_board_page_and_calendar(live_server, page, axe, knowsley_demo):
    """Typed arrows on the map; clicking KSCB -> HWB shows its clause; the KSCB page has the membership table
    with capacities; the calendar shows the annual report's window; each page passes axe-core."""
    login(page, live_server, "member-knowsley")

    page.goto(f"{live_server.url}/areas/knowsley/map/")
    page.wait_for_selector(".registry-map__canvas[data-ready=true]")
    assert page.locator(".registry-map__svg").is_hidden()  # the interactive map replaced the fallback
    graph = page.evaluate(
        "document.querySelector('[data-module=registry-map]').registryMap.edges().map(e => e.data('edge'))"
    )
    kinds = {edge["kind"] for edge in graph}
    assert {"presents_annual_report_to", "holds_to_account", "member_of"} <= kinds
    edge = next(
        e
        for e in graph
        if e["kind"] == "presents_annual_report_to" and e["source_label"] == "KSCB" and e["target_label"] == "HWB"
    )
    # Leave only this arrow's kind visible, then click the middle of the drawn arrow.
    for box in page.locator("input[name=kind]").all():
        if box.get_attribute("value") != edge["kind"]:
            box.uncheck()
    page.evaluate(
        """id => { const root = document.querySelector('[data-module=registry-map]');
                 root.scrollIntoView(); root.registryMap.fit(root.registryMap.getElementById(id), 80); }""",
        edge["id"],
    )
    # Cytoscape hit-tests with the container position and geometry of its last frame, which it
    # updates on the scroll event and the next render: let two frames pass before clicking.
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    point = page.evaluate(
        """id => { const root = document.querySelector('[data-module=registry-map]'); const cy = root.registryMap;
                 const p = cy.getElementById(id).renderedMidpoint();
                 const box = root.querySelector('.registry-map__canvas').getBoundingClientRect();
                 return {x: box.left + p.x, y: box.top + p.y}; }""",
        edge["id"],
    )
    page.mouse.click(point["x"], point["y"])
    detail = page.locator(".registry-map__detail")
    detail.wait_for(state="visible")
    assert edge["sentence"] in detail.inner_text()
    assert edge["clause"]["text"][:40] in detail.inner_text()
    link = detail.get_by_role("link")
    assert link.get_attribute("href") == edge["clause"]["url"]
    assert_accessible(axe, page, "map")

    # Keyboard route: with the panel emptied, the text list's button fills it with the same clause.
    detail.evaluate("el => { el.innerHTML = ''; el.hidden = true; }")
    page.locator(f"li[data-edge-id='{edge['id']}'] button").focus()
    page.keyboard.press("Enter")
    expect(detail).to_contain_text(edge["sentence"])

    page.goto(f"{live_server.url}/boards/knowsley-kscb/")
    table = page.locator("table.registry-matrix")
    assert table.is_visible()
    headers = table.locator("thead th").all_inner_texts()
    assert "KSCB" in headers and "HWB" in headers
    assert "Chair" in table.inner_text() and "Member" in table.inner_text()
    assert_accessible(axe, page, "board")

    page.goto(f"{live_server.url}/areas/knowsley/calendar/")
    year = datetime.date.today().year
    body = page.locator("main").inner_text()
    assert "KSCB annual report" in body
    assert f"January to December {year}" in body or f"January to December {year + 1}" in body
    assert_accessible(axe, page, "calendar")

    page.goto(f"{live_server.url}/areas/knowsley/")
    assert page.get_by_role("heading", name="Gaps worth flagging").is_visible()
    assert_accessible(axe, page, "area")

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Compare how areas arrange who reports to whom").click()
    page.get_by_label("Knowsley").check()
    page.get_by_label("Cheshire West and Chester").check()
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("table", name="Who reports to whom, area by area")).to_contain_text("KSCB")
    assert_accessible(axe, page, "compare-areas")


@pytest.mark.django_db(transaction=True)
def test_map_without_javascript_shows_svg_and_text(live_server, chromium_browser, knowsley_demo):
    """With scripts off the SVG and the text list carry the same arrows, and the filter form works by GET.
    (axe-core needs scripts, so it checks this page in the test above, where the same markup loads.)"""
    context = chromium_browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{live_server.url}/areas/knowsley/map/")
        assert page.locator(".registry-map__svg svg").is_visible()
        assert page.locator(".registry-map__canvas").is_hidden()
        svg_edges = set(page.locator(".accountability-svg__edge").evaluate_all("els => els.map(e => e.dataset.edgeId)"))
        text_edges = set(page.locator("li[data-edge-id]").evaluate_all("els => els.map(e => e.dataset.edgeId)"))
        assert svg_edges and svg_edges == text_edges
        for box in page.locator("input[name=kind]").all():
            if box.get_attribute("value") != "holds_to_account":
                box.uncheck(force=True)
        page.get_by_role("button", name="Update map").click()
        page.wait_for_url("**filtered=1**")
        kinds = set(page.locator("li[data-edge-id]").evaluate_all("els => els.map(e => e.dataset.kind)"))
        assert kinds == {"holds_to_account"}
    finally:
        context.close()
