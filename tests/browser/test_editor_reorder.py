"""Reordering clauses in the browser: with the keyboard (Move up/down buttons) and by dragging."""

import time

import pytest

from protocols import services
from protocols.models import Clause
from tests.browser.conftest import assert_accessible, login
from tests.factories import BoardFactory


def order(section):
    return [c.plain_text for c in Clause.objects.filter(section=section).order_by("position")]


def saved_order(section, expected, timeout=10.0):
    """The order the server has saved, waiting for the page's background save to land (up to `timeout`)."""
    deadline = time.monotonic() + timeout
    current = order(section)
    while current != expected and time.monotonic() < deadline:
        time.sleep(0.1)
        current = order(section)
    return current


def mark_sections_stale(page):
    page.evaluate("document.getElementById('editor-sections').dataset.stale = 'yes'")


def wait_for_sections_redrawn(page):
    """The server has answered the move (so its write is committed): htmx swapped in fresh sections.
    Reading the database before that could race the server's write (and SQLite locks the table)."""
    page.wait_for_function("() => !document.getElementById('editor-sections').dataset.stale")


@pytest.mark.django_db(transaction=True)
def test_clauses_reorder_by_keyboard_and_by_drag_and_drop(live_server, page, business_manager, area):
    """Move down with the keyboard keeps focus on the moved clause; dragging a handle reorders too."""
    protocol = services.protocol_create(
        user=business_manager, area=area, title="Reorder protocol", party_boards=[BoardFactory(areas=[area])]
    )
    section = services.section_create(user=business_manager, version=protocol.versions.get(), heading="Order")
    for text in ("Alpha", "Bravo", "Charlie"):
        services.clause_create(user=business_manager, section=section, text=text)
    alpha = Clause.objects.get(section=section, text="<p>Alpha</p>")
    login(page, live_server, "manager")
    page.goto(f"{live_server.url}/protocols/{protocol.slug}/edit/")

    page.locator(f"#move-down-{alpha.key}").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('li.registry-editor-clause').innerText.includes('Bravo')")
    # After the swap, focus is back on the moved clause's button, so keyboard users keep their place.
    page.wait_for_function(f"() => document.activeElement && document.activeElement.id === 'move-down-{alpha.key}'")
    assert saved_order(section, ["Bravo", "Alpha", "Charlie"]) == ["Bravo", "Alpha", "Charlie"]

    mark_sections_stale(page)
    charlie = page.locator("li.registry-editor-clause", has_text="Charlie").locator(".registry-drag-handle--clause")
    bravo = page.locator("li.registry-editor-clause", has_text="Bravo")
    start, target = charlie.bounding_box(), bravo.bounding_box()
    page.mouse.move(start["x"] + 4, start["y"] + 6)
    page.mouse.down()
    for step in range(1, 16):
        page.mouse.move(start["x"] + 4, start["y"] + 6 - (start["y"] - target["y"] + 5) * step / 15)
    page.mouse.up()
    wait_for_sections_redrawn(page)
    page.wait_for_function("() => document.querySelector('li.registry-editor-clause').innerText.includes('Charlie')")
    assert saved_order(section, ["Charlie", "Bravo", "Alpha"]) == ["Charlie", "Bravo", "Alpha"]


@pytest.mark.django_db(transaction=True)
def test_clause_moves_to_another_section_by_drag_and_by_its_move_page(live_server, page, axe, business_manager, area):
    """Dragging a clause into the next section's list saves it there; the Move page does the same by keyboard."""
    protocol = services.protocol_create(
        user=business_manager, area=area, title="Sections protocol", party_boards=[BoardFactory(areas=[area])]
    )
    version = protocol.versions.get()
    first = services.section_create(user=business_manager, version=version, heading="First")
    second = services.section_create(user=business_manager, version=version, heading="Second")
    for text in ("Alpha", "Bravo"):
        services.clause_create(user=business_manager, section=first, text=text)
    services.clause_create(user=business_manager, section=second, text="Yankee")
    login(page, live_server, "manager")
    page.set_viewport_size({"width": 1280, "height": 1400})  # both sections on screen for the drag
    page.goto(f"{live_server.url}/protocols/{protocol.slug}/edit/")

    mark_sections_stale(page)
    handle = page.locator("li.registry-editor-clause", has_text="Bravo").locator(".registry-drag-handle--clause")
    yankee = page.locator("li.registry-editor-clause", has_text="Yankee")
    start, target = handle.bounding_box(), yankee.bounding_box()
    page.mouse.move(start["x"] + 4, start["y"] + 6)
    page.mouse.down()
    end_y = target["y"] + target["height"] * 0.75
    for step in range(1, 21):
        page.mouse.move(start["x"] + 4, start["y"] + 6 + (end_y - start["y"] - 6) * step / 20)
    page.mouse.up()
    wait_for_sections_redrawn(page)
    assert saved_order(second, ["Yankee", "Bravo"]) == ["Yankee", "Bravo"]
    assert order(first) == ["Alpha"]

    page.reload()
    page.get_by_role("link", name="Move to another section (clause Alpha)").click()
    page.get_by_label("Move it to section").select_option(label=f"{second.number} Second".strip())
    page.get_by_label("Before its first clause").check()
    assert_accessible(axe, page, "clause-move")
    page.get_by_role("button", name="Move clause").click()
    page.get_by_text("moved to section").wait_for()
    assert order(second) == ["Alpha", "Yankee", "Bravo"] and order(first) == []
