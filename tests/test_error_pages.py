"""Refusals and errors are the site's own pages, saying what went wrong and what to do next."""

import pytest
from django.test import Client, RequestFactory
from django.views.defaults import server_error

from protocols import services
from tests.factories import BoardFactory


@pytest.fixture
def protocol(area, business_manager):
    board = BoardFactory(areas=[area])
    return services.protocol_create(
        user=business_manager, area=area, title="Partnership protocol", party_boards=[board]
    )


def test_a_manager_of_another_area_is_told_who_may_edit(client, protocol, outsider):
    """The 403 says who may edit (the business managers of Knowsley) and what to do, inside the site's layout."""
    client.force_login(outsider)
    response = client.get(f"/protocols/{protocol.slug}/edit/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "Only business managers of Knowsley can edit this protocol." in html
    assert "ask a registry administrator" in html and "govuk-header" in html


def test_a_board_member_is_told_they_cannot_edit_and_is_not_offered_your_protocols(
    client, protocol, board_member, business_manager
):
    """A board member edits nothing: no "Your protocols" in the navigation, and its page explains why."""
    client.force_login(board_member)
    home = client.get("/").content.decode()
    assert "Your protocols" not in home and "Reviews" in home
    response = client.get("/editor/")
    assert response.status_code == 403
    assert "Only business managers and registry administrators edit protocols." in response.content.decode()
    client.force_login(business_manager)
    assert "Your protocols" in client.get("/").content.decode()


def test_an_outsider_reading_drafts_is_told_who_may(client, protocol, outsider):
    client.force_login(outsider)
    response = client.get(f"/protocols/{protocol.slug}/history/")
    assert response.status_code == 403
    assert "Only board members and business managers of Knowsley can read this protocol&#x27;s drafts." in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_not_found_is_in_the_sites_style(client):
    response = client.get("/protocols/no-such-protocol/versions/1/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html and "Search all protocols" in html and "govuk-header" in html


@pytest.mark.django_db
def test_server_error_page_is_in_the_sites_style():
    """The 500 page renders with no request context (as Django renders it) and keeps the site's layout."""
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in html and "govuk-header" in html


@pytest.mark.django_db
def test_a_form_refused_by_the_csrf_check_says_what_to_do():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/verify/", {})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Your form could not be sent" in html and "Reload the page" in html and "govuk-header" in html
