"""A board member reads Knowsley's map, the KSCB page and the calendar, in Chromium, with axe-core; the map
on a phone; and the map without scripts."""

import datetime

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, login
from tests.conftest import load_demo

# The smallest text in the map's picture, in CSS pixels as drawn: each <text>'s size times the picture's scale.
SMALLEST_TEXT = """() => {
  const svg = document.querySelector('.registry-map__svg svg');
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return Math.min(...[...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale));
}"""
DRAWN_EDGES = "els => els.flatMap(e => (e.dataset.edgeIds || '').split(' ').filter(Boolean))"


@pytest.fixture
def knowsley_demo(db):
    load_demo()
    call_command("create_demo_accounts", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_board_member_reads_map_board_page_and_calendar(live_server, page, axe, knowsley_demo):
    """At 1280 px the map's text is at least 12 px; choosing KSCB redraws the map in place (no reload) with
    only KSCB's arrows and puts the choice in the address; a label opens its clause; the KSCB page shows its
    own map and the membership table; the calendar shows the annual report's window; axe-core passes."""
    login(page, live_server, "member-knowsley")

    page.goto(f"{live_server.url}/areas/knowsley/map/")
    expect(page.locator(".registry-map__tools")).to_be_visible()
    assert page.evaluate(SMALLEST_TEXT) >= 12
    assert_accessible(axe, page, "map")

    page.evaluate("window.notReloaded = true")
    kscb = page.locator("[data-module=registry-map] .accountability-svg__node", has_text="KSCB").first
    kscb_id = kscb.get_attribute("data-node-id")
    page.get_by_label("Board", exact=True).select_option("knowsley-kscb")
    page.wait_for_url("**board=knowsley-kscb**")
    expect(page.locator(".registry-map-filters__status")).to_have_text("Map updated.")
    assert page.evaluate("window.notReloaded === true")
    ends = page.locator(".accountability-svg__arrow[data-arrow-id]").evaluate_all(
        "els => els.map(e => [e.dataset.from, e.dataset.to])"
    )
    assert ends and all(kscb_id in pair for pair in ends)
    drawn = set(page.locator(".accountability-svg__arrow, .accountability-svg__hub").evaluate_all(DRAWN_EDGES))
    listed = set(page.locator("#map-text li[data-edge-id]").evaluate_all("els => els.map(e => e.dataset.edgeId)"))
    assert drawn and drawn == listed
    assert_accessible(axe, page, "map-kscb")

    line = page.locator("a.accountability-svg__line").first
    href = line.get_attribute("href")
    line.click()
    page.wait_for_url(f"**{href.split('#')[0]}*")

    page.goto(f"{live_server.url}/boards/knowsley-kscb/")
    expect(page.get_by_role("heading", name="Who KSCB reports to, and when")).to_be_visible()
    expect(page.locator(".registry-map__svg svg")).to_be_visible()
    assert page.evaluate(SMALLEST_TEXT) >= 12
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
def test_the_busiest_map_on_a_phone(live_server, chromium_browser, axe, knowsley_demo):
    """At 375 px Cheshire West and Chester's map fits the width, the text comes before the picture, the key is
    folded away, and the zoom buttons enlarge the picture within its scrolling box."""
    context = chromium_browser.new_context(viewport={"width": 375, "height": 800}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{live_server.url}/areas/cheshire-west-and-chester/map/")
        svg = page.locator(".registry-map__svg svg")
        assert svg.bounding_box()["width"] <= 375
        assert page.locator("#map-text").bounding_box()["y"] < svg.bounding_box()["y"]
        assert page.locator(".registry-map-key").get_attribute("open") is None
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        before = svg.bounding_box()["width"]
        page.get_by_role("button", name="Zoom in").click()
        assert svg.bounding_box()["width"] > before
        page.get_by_role("button", name="Actual size").click()
        assert page.evaluate(SMALLEST_TEXT) >= 12
        assert page.evaluate("document.documentElement.scrollWidth") <= 375  # the box scrolls, not the page
        assert_accessible(axe, page, "map-phone")
    finally:
        context.close()


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
        assert page.locator(".registry-map__tools").is_hidden()
        svg_edges = set(page.locator(".accountability-svg__arrow, .accountability-svg__hub").evaluate_all(DRAWN_EDGES))
        text_edges = set(page.locator("li[data-edge-id]").evaluate_all("els => els.map(e => e.dataset.edgeId)"))
        assert svg_edges and svg_edges == text_edges
        page.locator(".registry-map-key summary").click()
        for box in page.locator("input[name=kind]").all():
            if box.get_attribute("value") != "holds_to_account":
                box.uncheck(force=True)
        page.get_by_role("button", name="Update map").click()
        page.wait_for_url("**filtered=1**")
        kinds = set(page.locator("li[data-edge-id]").evaluate_all("els => els.map(e => e.dataset.kind)"))
        assert kinds == {"holds_to_account"}
    finally:
        context.close()
