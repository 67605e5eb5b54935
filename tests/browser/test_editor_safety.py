"""The editor never writes text sent back by the server into the page as markup: a payload submitted
as clause text comes back on the merge screen inert (no element, no handler), and nothing runs."""

import pytest
from django.db.models import F

from protocols.models import Clause, ProtocolVersion
from tests.browser.conftest import login
from tests.browser.test_editor_journey import rich_text_in
from tests.factories import ClauseFactory, ProtocolFactory, SectionFactory, VersionFactory

PAYLOAD = '<p>Fine words.</p><img src="x" onerror="window.pwned = 1"><a href="javascript:window.pwned=2">link</a>'


@pytest.mark.django_db(transaction=True)
def test_a_submitted_payload_on_the_merge_screen_does_not_run(live_server, page, business_manager, area):
    protocol = ProtocolFactory(area=area, slug="draft-protocol")
    version = VersionFactory(protocol=protocol, status=ProtocolVersion.Status.DRAFT)
    clause = ClauseFactory(section=SectionFactory(version=version), text="<p>The HWB considers the report.</p>")
    login(page, live_server, "manager")
    page.goto(f"{live_server.url}/protocols/{protocol.slug}/edit/")
    page.locator("li.registry-editor-clause").get_by_role("link", name="Edit").click()
    editable = rich_text_in(page.locator("li.registry-editor-clause--editing"))
    editable.wait_for()
    # Someone else saves first, so this save comes back on the merge screen with the text as sent.
    Clause.objects.filter(pk=clause.pk).update(text="<p>Their words.</p>", revision=F("revision") + 1)
    editable.evaluate("(node, html) => { node.innerHTML = html; }", PAYLOAD)
    page.get_by_role("button", name="Save clause").click()
    page.get_by_text("Someone else changed this clause while you were editing").wait_for()
    merged = rich_text_in(page.locator("li.registry-editor-clause--editing"))
    assert "Fine words." in merged.inner_text()
    assert merged.locator("img, [onerror]").count() == 0
    assert merged.locator("a[href^=javascript]").count() == 0
    page.wait_for_timeout(200)
    assert page.evaluate("window.pwned") is None
