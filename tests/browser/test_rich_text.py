"""Text typed into the editor's rich-text box in a real browser is stored escaped once and reads back as typed."""

import pytest

from protocols.models import Clause, ProtocolVersion
from tests.browser.conftest import login
from tests.browser.test_editor_journey import agreed_protocol, rich_text_in

TYPED = "Health & Wellbeing <Board>"
QUOTES = 'The "Chair" said: it\'s < 5 & > 2'


@pytest.mark.django_db(transaction=True)
def test_typed_ampersands_angles_quotes_and_a_list_read_back_exactly(live_server, page, business_manager, area):
    """Typed with the keyboard and the list button, saved, shown on the version page, and saved again unchanged."""
    protocol = agreed_protocol(area)
    login(page, live_server, "manager")
    page.goto(f"{live_server.url}/protocols/{protocol.slug}/edit/")
    page.get_by_role("button", name="Start review").click()
    page.get_by_text("Review started").wait_for()

    page.locator("li.registry-editor-clause", has_text="The HWB considers the report.").get_by_role(
        "link", name="Edit"
    ).click()
    editing = page.locator("li.registry-editor-clause--editing")
    editor = rich_text_in(editing)
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(TYPED)
    page.keyboard.press("Enter")
    page.keyboard.type(QUOTES)
    page.keyboard.press("Enter")
    editing.get_by_role("button", name="Bulleted list").click()
    page.keyboard.type("publish a report;")
    page.keyboard.press("Enter")
    page.keyboard.type("publish a plan.")
    editing.get_by_role("button", name="Save clause").click()
    saved_item = page.locator("li.registry-editor-clause", has_text="publish a plan.")
    saved_item.get_by_role("link", name="Edit").wait_for()

    clause = Clause.objects.get(section__version__status=ProtocolVersion.Status.DRAFT, number="3.2")
    assert clause.plain_text == f"{TYPED}\n{QUOTES}\npublish a report;\npublish a plan."
    assert (
        "&amp;amp;" not in clause.text and "&lt;Board&gt;" in clause.text and "<li>publish a plan.</li>" in clause.text
    )

    page.goto(f"{live_server.url}{clause.section.version.get_absolute_url()}")
    body = page.locator(f"#{clause.anchor} .registry-clause__body").inner_text()
    assert [line.strip() for line in body.splitlines() if line.strip()] == [
        TYPED,
        QUOTES,
        "publish a report;",
        "publish a plan.",
    ]

    page.goto(f"{live_server.url}/protocols/{protocol.slug}/edit/")
    page.locator("li.registry-editor-clause", has_text="publish a plan.").get_by_role("link", name="Edit").click()
    rich_text_in(page.locator("li.registry-editor-clause--editing")).wait_for()
    page.get_by_role("button", name="Save clause").click()
    page.locator("li.registry-editor-clause", has_text="publish a plan.").get_by_role("link", name="Edit").wait_for()
    again = Clause.objects.get(pk=clause.pk)
    assert (again.text, again.revision) == (clause.text, clause.revision)


@pytest.mark.django_db(transaction=True)
def test_a_new_clause_typed_without_formatting_is_stored_escaped_once(live_server, page, business_manager, area):
    """A one-line clause has no tags in the box's HTML; its '&' and '<' are still escaped only once."""
    protocol = agreed_protocol(area)
    login(page, live_server, "manager")
    page.goto(f"{live_server.url}/protocols/{protocol.slug}/edit/")
    page.get_by_role("button", name="Start review").click()
    page.get_by_text("Review started").wait_for()

    page.get_by_role("link", name="Add a clause to section 3 Reporting").click()
    form = page.locator("form.registry-editor-add", has_text="Add a clause to 3 Reporting")
    rich_text_in(form).click()
    page.keyboard.type(TYPED)
    form.get_by_role("textbox", name="Number", exact=True).fill("3.3")
    form.get_by_role("button", name="Add clause").click()
    page.locator("li.registry-editor-clause", has_text="Wellbeing").get_by_role("link", name="Edit").wait_for()

    clause = Clause.objects.get(section__version__status=ProtocolVersion.Status.DRAFT, number="3.3")
    assert clause.text == "<p>Health &amp; Wellbeing &lt;Board&gt;</p>"
    assert page.locator(f"#{clause.anchor} .registry-editor-clause__text").inner_text().strip() == TYPED
