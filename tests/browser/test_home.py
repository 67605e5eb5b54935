import pytest

from tests.browser.conftest import assert_accessible
from tests.factories import AreaFactory, ProtocolFactory


@pytest.mark.django_db(transaction=True)
def test_home_lists_areas_and_protocols_accessibly(live_server, page, axe):
    """The home page shows each area with its protocols and passes axe-core's WCAG 2.2 AA rules."""
    area = AreaFactory(name="Knowsley", slug="knowsley")
    ProtocolFactory(area=area, title="Partnership protocol between the boards")

    page.goto(live_server.url + "/")

    assert page.locator("h1").inner_text() == "Protocols between local statutory boards"
    assert page.get_by_role("link", name="Knowsley").is_visible()
    assert page.get_by_role("link", name="Partnership protocol between the boards").is_visible()
    assert_accessible(axe, page, "home")
