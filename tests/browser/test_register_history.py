import pytest
from playwright.sync_api import expect

from boards import services
from boards.models import RoleAssignment
from tests.browser.conftest import assert_accessible, login
from tests.factories import AreaFactory, BoardFactory, RoleAssignmentFactory, UserFactory


@pytest.mark.django_db(transaction=True)
def test_area_manager_reads_the_register_history_accessibly(live_server, page, axe):
    """Knowsley's manager follows the area page's link to the register's history, sees their own
    change with its values before and after, and the page passes axe-core."""
    area = AreaFactory(name="Knowsley", slug="knowsley")
    manager = UserFactory(username="manager-knowsley")
    RoleAssignmentFactory(user=manager, role=RoleAssignment.Role.BUSINESS_MANAGER, area=area)
    board = BoardFactory(name="Knowsley Safeguarding Children Board", short_name="KSCB", areas=[area])
    services.board_update(user=manager, board=board, expected_revision=1, short_name="KSCP")
    services.post_create(user=manager, title="Knowsley Director of Public Health", kind="dph", area=area)

    login(page, live_server, "manager-knowsley")
    page.goto(f"{live_server.url}/areas/knowsley/")
    page.get_by_role("link", name="History of changes to the register").click()

    expect(page.locator("h1")).to_have_text("History of the register")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Created post")
    expect(rows.nth(1).locator("del")).to_have_text("KSCB")
    expect(rows.nth(1).locator("ins")).to_have_text("KSCP")
    assert_accessible(axe, page, "register-history")
