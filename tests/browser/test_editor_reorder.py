"""Reordering clauses in the browser: with the keyboard (Move up/down buttons) and by dragging."""

import time

import pytest

from protocols import services
from protocols.models import Clause
from tests.browser.conftest import login
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
    page.wait_for_function("document.querySelector('li.registry-editor-clause').innerText.includes('Bravo')")
    # After the swap, focus is back on the moved clause's button, so keyboard users keep their place.
    page.wait_for_function(f"document.activeElement && document.activeElement.id === 'move-down-{alpha.key}'")
    assert saved_order(section, ["Bravo", "Alpha", "Charlie"]) == ["Bravo", "Alpha", "Charlie"]

    charlie = page.locator("li.registry-editor-clause", has_text="Charlie").locator(".registry-drag-handle--clause")
    bravo = page.locator("li.registry-editor-clause", has_text="Bravo")
    start, target = charlie.bounding_box(), bravo.bounding_box()
    page.mouse.move(start["x"] + 4, start["y"] + 6)
    page.mouse.down()
    for step in range(1, 16):
        page.mouse.move(start["x"] + 4, start["y"] + 6 - (start["y"] - target["y"] + 5) * step / 15)
    page.mouse.up()
    page.wait_for_function("document.querySelector('li.registry-editor-clause').innerText.includes('Charlie')")
    assert saved_order(section, ["Charlie", "Bravo", "Alpha"]) == ["Charlie", "Bravo", "Alpha"]
