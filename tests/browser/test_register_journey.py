"""A business manager sets up their register in the browser, and a board member reads the result."""

import pytest
from playwright.sync_api import expect

from boards.models import Board, Membership, RoleAssignment
from tests.browser.conftest import assert_accessible, login
from tests.factories import AreaFactory, RoleAssignmentFactory, UserFactory


def _fill_post(page, title, kind):
    page.get_by_role("link", name="Register", exact=True).click()
    page.get_by_role("link", name="Add a post").click()
    page.fill("#id_title", title)
    page.select_option("#id_kind", label=kind)
    page.get_by_role("button", name="Add post").click()
    expect(page.locator("h1")).to_contain_text(title)


def _holder(page, live_server, post_title, name):
    """From the register's home: add the person, then record them as holding the post from 2014."""
    page.goto(f"{live_server.url}/areas/knowsley/register/")
    page.get_by_role("link", name="Add a person").click()
    page.fill("#id_name", name)
    page.get_by_role("button", name="Add person").click()
    page.goto(f"{live_server.url}/areas/knowsley/register/")
    page.get_by_role("link", name=post_title, exact=True).click()
    page.get_by_role("link", name="Record who holds it").click()
    page.select_option("#id_person", label=name)
    page.fill("#id_start_year", "2014")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("table", name="Now")).to_contain_text(name)


def _seat(page, live_server, board, post_title, capacity):
    page.goto(f"{live_server.url}/areas/knowsley/register/boards/{board.slug}/")
    page.get_by_role("link", name="Add a member").click()
    page.select_option("#id_post", label=post_title)
    page.get_by_label(capacity, exact=True).check()
    page.get_by_role("button", name="Add member").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Added {post_title}")


@pytest.mark.django_db(transaction=True)
def test_a_manager_sets_up_a_shared_board_with_co_chairs_and_a_member_sees_who_sits_on_it(
    live_server, page, chromium_browser, axe
):
    knowsley = AreaFactory(name="Knowsley", slug="knowsley")
    halton = AreaFactory(name="Halton", slug="halton")
    manager = UserFactory(username="manager-knowsley")
    for area in (knowsley, halton):
        RoleAssignmentFactory(user=manager, role=RoleAssignment.Role.BUSINESS_MANAGER, area=area)
    member = UserFactory(username="member-knowsley")
    RoleAssignmentFactory(user=member, role=RoleAssignment.Role.BOARD_MEMBER, area=knowsley)

    login(page, live_server, "manager-knowsley")
    page.goto(f"{live_server.url}/areas/knowsley/")
    page.get_by_role("link", name="Register: boards, posts, people and memberships").click()
    expect(page.locator("h1")).to_have_text("Register")
    assert_accessible(axe, page, "register-home")

    # A board covering both areas; a bad first try is answered beside the field, nothing lost.
    page.get_by_role("link", name="Add a board").click()
    page.fill("#id_name", "Knowsley and Halton Adoption Panel")
    page.get_by_label("Halton").check()
    page.get_by_role("button", name="Add board").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the kind of board")
    expect(page.locator("#id_name")).to_have_value("Knowsley and Halton Adoption Panel")
    assert_accessible(axe, page, "register-board-form-error")
    page.select_option("#id_kind", label="Panel")
    page.fill("#id_established_month", "4")
    page.fill("#id_established_year", "2015")
    page.get_by_role("button", name="Add board").click()
    expect(page.locator("h1")).to_have_text("Knowsley and Halton Adoption Panel")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Halton, Knowsley")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Established in April 2015")
    assert_accessible(axe, page, "register-board")
    board = Board.objects.get(name="Knowsley and Halton Adoption Panel")

    # Its statutory basis: an Act the registry does not list yet, added from the picker.
    page.get_by_role("link", name="Add an Act or guidance it is established under").click()
    page.get_by_role("link", name="Add an Act or guidance the registry does not list").click()
    page.fill("#id_title", "Adoption and Children Act 2002")
    page.select_option("#id_kind", label="Act of Parliament")
    page.get_by_role("button", name="Add").click()
    expect(page.locator("#id_instrument option:checked")).to_have_text("Adoption and Children Act 2002")
    page.get_by_role("button", name="Add").click()
    expect(page.locator("#basis + ul, #basis ~ ul").first).to_contain_text("Adoption and Children Act 2002")

    # Posts, the people who hold two of them, and the board's two co-chairs and a member.
    for title, kind in (
        ("Director of Children's Services", "Director of Children's Services"),
        ("Leader of the Council", "Leader of the Council"),
        ("Director of Public Health", "Director of Public Health"),
    ):
        _fill_post(page, title, kind)
    assert_accessible(axe, page, "register-post")
    _holder(page, live_server, "Director of Children's Services", "Alex Able")
    _holder(page, live_server, "Leader of the Council", "Blake Bright")
    assert_accessible(axe, page, "register-post-with-holder")
    _seat(page, live_server, board, "Director of Children's Services", "Co-chair")
    _seat(page, live_server, board, "Leader of the Council", "Co-chair")
    _seat(page, live_server, board, "Director of Public Health", "Member")
    assert Membership.objects.filter(board=board, capacity=Membership.Capacity.CO_CHAIR).count() == 2

    # A board member of Knowsley reads the board's page: co-chairs with their holders, and the vacancy.
    context = chromium_browser.new_context(viewport={"width": 375, "height": 800}, locale="en-GB")
    reader = context.new_page()
    login(reader, live_server, "member-knowsley")
    reader.goto(f"{live_server.url}/boards/{board.slug}/")
    seats = reader.locator("#members ~ .registry-seats").first
    expect(reader.get_by_role("heading", name="Co-chairs (2)")).to_be_visible()
    expect(seats).to_contain_text("Director of Children's Services: Alex Able")
    expect(seats).to_contain_text("Leader of the Council: Blake Bright")
    expect(reader.locator("#vacancies + p + ul")).to_have_text("Director of Public Health (member)")
    expect(reader.get_by_role("link", name="Add a member")).to_have_count(0)
    assert reader.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(axe, reader, "board-members-narrow")
    assert reader.goto(f"{live_server.url}/areas/knowsley/register/").status == 403
    context.close()
