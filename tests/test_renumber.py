"""Renumbering is a choice with a preview: each old and new number first, nothing changed until confirmed,
a stale preview refused, and numbers written the way the protocol writes them."""

import pytest
from django.urls import reverse

from protocols import services
from protocols.models import Clause, Section
from tests.factories import BoardFactory


@pytest.fixture
def draft(business_manager, area):
    protocol = services.protocol_create(
        user=business_manager, area=area, title="Partnership protocol", party_boards=[BoardFactory(areas=[area])]
    )
    return protocol.versions.get()


def add(user, section, number, text, parent=None):
    return services.clause_create(user=user, section=section, text=f"<p>{text}</p>", number=number, parent=parent)


def numbers(version):
    return {c.plain_text: c.number for c in Clause.objects.filter(section__version=version).order_by("position")} | {
        f"section {s.heading}": s.number for s in version.sections.all()
    }


@pytest.fixture
def out_of_order(draft, business_manager):
    """Section 3 first and section 5 second, clauses written as the document writes them, with gaps."""
    user = business_manager
    first = services.section_create(user=user, version=draft, heading="Reporting", number="3")
    services.section_create(user=user, version=draft, heading="Unnumbered heading", number="")
    second = services.section_create(user=user, version=draft, heading="Review", number="5")
    lead = add(user, first, "3.2", "Reports go to the board.")
    add(user, first, "b)", "Within a month.", parent=lead)
    add(user, first, "d)", "In writing.", parent=lead)
    add(user, first, "", "An unnumbered paragraph.")
    other = add(user, first, "3.7", "The board replies.")
    add(user, first, "(ii)", "Roman two.", parent=other)
    add(user, first, "(v)", "Roman five.", parent=other)
    add(user, second, "5.1.", "Reviewed yearly.")
    add(user, second, "5.9.", "Or when the law changes.")
    return draft


def test_the_plan_keeps_each_lists_style_and_leaves_unnumbered_paragraphs_alone(out_of_order):
    plan = {row.old + " " + row.label: row.new for row in services.renumber_plan(out_of_order).rows}
    assert plan["3 Reporting"] == "1" and plan["5 Review"] == "2"
    assert plan[" Unnumbered heading"] == ""
    assert plan["3.2 Reports go to the board."] == "1.1"
    assert plan["b) Within a month."] == "a)" and plan["d) In writing."] == "b)"
    assert plan[" An unnumbered paragraph."] == ""
    assert plan["3.7 The board replies."] == "1.2"
    assert plan["(ii) Roman two."] == "(i)" and plan["(v) Roman five."] == "(ii)"
    assert plan["5.1. Reviewed yearly."] == "2.1." and plan["5.9. Or when the law changes."] == "2.2."


def test_numbers_running_straight_through_the_sections_keep_running(draft, business_manager):
    user = business_manager
    first = services.section_create(user=user, version=draft, heading="One", number="1")
    second = services.section_create(user=user, version=draft, heading="Two", number="2")
    for number in ("1", "2", "4"):
        add(user, first, number, f"Paragraph {number}")
    for number in ("5", "6"):
        add(user, second, number, f"Paragraph {number}")
    plan = {row.label: row.new for row in services.renumber_plan(draft).rows if row.kind == "clause"}
    assert plan == {
        "Paragraph 1": "1",
        "Paragraph 2": "2",
        "Paragraph 4": "3",
        "Paragraph 5": "4",
        "Paragraph 6": "5",
    }


def test_the_preview_shows_old_and_new_numbers_and_changes_nothing(client, out_of_order, business_manager):
    client.force_login(business_manager)
    before = numbers(out_of_order)
    path = reverse("protocols:editor_renumber", kwargs={"slug": out_of_order.protocol.slug})
    body = client.get(path).content.decode()
    assert "would change" in body and "Renumber: change" in body
    key = Clause.objects.get(number="3.7").key
    row = body.split(f'data-key="{key}"')[1].split("</tr>")[0]
    assert "3.7" in row and "1.2" in row
    assert numbers(out_of_order) == before


def test_confirming_the_preview_renumbers(client, out_of_order, business_manager):
    client.force_login(business_manager)
    path = reverse("protocols:editor_renumber", kwargs={"slug": out_of_order.protocol.slug})
    token = services.renumber_plan(out_of_order).token
    response = client.post(path, {"token": token})
    assert response.status_code == 302
    after = numbers(out_of_order)
    assert after["The board replies."] == "1.2" and after["Within a month."] == "a)"
    assert after["An unnumbered paragraph."] == "" and after["section Unnumbered heading"] == ""
    assert "renumbering would change nothing" in client.get(path).content.decode()


def test_a_stale_preview_is_a_conflict_and_renumbers_nothing(client, out_of_order, business_manager):
    """Someone adds a clause after the preview was drawn: confirming it shows the new plan instead."""
    client.force_login(business_manager)
    path = reverse("protocols:editor_renumber", kwargs={"slug": out_of_order.protocol.slug})
    token = services.renumber_plan(out_of_order).token
    section = Section.objects.get(version=out_of_order, number="3")
    add(business_manager, section, "3.8", "Added after the preview.")
    before = numbers(out_of_order)
    response = client.post(path, {"token": token})
    assert response.status_code == 409
    assert "The draft changed since this preview was drawn" in response.content.decode()
    assert numbers(out_of_order) == before


def test_clauses_under_an_unnumbered_heading_go_on_from_the_numbered_section_before(draft, business_manager):
    """Section 3's clauses 3.1-3.2 then, under a heading with no number, 3.5-3.6: when section 3 becomes
    section 2, they read 2.1-2.2 and 2.3-2.4."""
    user = business_manager
    services.section_create(user=user, version=draft, heading="Summary", number="1")
    third = services.section_create(user=user, version=draft, heading="Background", number="3")
    heading = services.section_create(user=user, version=draft, heading="The board", number="")
    add(user, third, "3.1", "First.")
    add(user, third, "3.2", "Second.")
    add(user, heading, "3.5", "Third.")
    add(user, heading, "3.6", "Fourth.")
    plan = {row.label: row.new for row in services.renumber_plan(draft).rows}
    assert [plan[label] for label in ("Background", "The board", "First.", "Second.", "Third.", "Fourth.")] == [
        "2",
        "",
        "2.1",
        "2.2",
        "2.3",
        "2.4",
    ]


def test_automatic_numbering_numbers_a_clause_added_without_one_among_numbered_clauses(draft, business_manager):
    """With automatic numbering a new clause among numbered ones, and a new section among numbered ones,
    get their numbers in the list's style; an unnumbered paragraph already there stays unnumbered."""
    user = business_manager
    section = services.section_create(user=user, version=draft, heading="Reporting", number="1")
    lead = add(user, section, "1.1", "Reports go to the board.")
    add(user, section, "", "A paragraph between.")
    add(user, section, "a)", "Within a month.", parent=lead)
    draft.refresh_from_db()
    services.version_update(user=user, version=draft, expected_revision=draft.revision, auto_numbering=True)
    add(user, section, "", "Reports are public.")
    add(user, section, "", "In writing.", parent=lead)
    services.section_create(user=user, version=draft, heading="Review", number="")
    after = numbers(draft)
    assert after["Reports are public."] == "1.2" and after["A paragraph between."] == ""
    assert after["In writing."] == "b)"
    assert after["section Review"] == "2"
