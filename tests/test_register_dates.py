"""Membership and post-holding dates and a board's dissolution date are kept at the precision the source gives
(a day, a month or a year) or left unstated, written through the API by a business manager and shown so."""

from boards.models import Membership, PostHolding
from tests.api_support import client_for
from tests.factories import BoardFactory, PersonFactory, PostFactory


def test_a_membership_from_a_month_to_a_year_reads_back_at_its_precision(client, area, business_manager):
    """ "Since June 2015, until 2017" is stored as the first day of each, with its precision, and the board
    page writes it as the source did; a membership with no dates says nothing about when."""
    board = BoardFactory(name="Health and Wellbeing Board", short_name="HWB", slug="hwb", areas=[area])
    post = PostFactory(title="Director of Public Health", area=area)
    api = client_for(business_manager)
    response = api.post(
        "/api/memberships/",
        {
            "board": board.pk,
            "post": post.pk,
            "start_date": "2015-06-01",
            "start_precision": "month",
            "end_date": "2017-01-01",
            "end_precision": "year",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["start_date"], body["start_precision"], body["end_date"], body["end_precision"]) == (
        "2015-06-01",
        "month",
        "2017-01-01",
        "year",
    )
    undated = api.post("/api/memberships/", {"board": board.pk, "organisation": "Merseyside Police"}, format="json")
    assert undated.status_code == 201, undated.content
    assert (undated.json()["start_date"], undated.json()["end_date"]) == (None, None)
    # Ended in 2017, it is among the past members, shown on request.
    assert "Show past members (1)" in client.get("/boards/hwb/").content.decode()
    html = client.get("/boards/hwb/?past=1").content.decode()
    assert "from June 2015 to 2017" in html
    assert Membership.objects.get(organisation="Merseyside Police").period_display == ""


def test_a_month_precision_date_must_be_the_first_of_its_month(area, business_manager):
    """A day is never invented: a month-precision date given as the 14th is a field error."""
    board = BoardFactory(areas=[area])
    response = client_for(business_manager).post(
        "/api/memberships/",
        {"board": board.pk, "organisation": "NHS England", "start_date": "2015-06-14", "start_precision": "month"},
        format="json",
    )
    assert response.status_code == 400
    assert "start_date" in response.json()["error"]["fields"]


def test_a_holding_ends_at_its_precision(area, business_manager):
    """A post holding that ended "in 2016" keeps the year only."""
    post, person = PostFactory(area=area), PersonFactory(name="A. Chair")
    response = client_for(business_manager).post(
        "/api/post-holdings/",
        {
            "person": person.pk,
            "post": post.pk,
            "start_date": "2012-04-01",
            "start_precision": "month",
            "end_date": "2016-01-01",
            "end_precision": "year",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    holding = PostHolding.objects.get()
    assert holding.period_display == "from April 2012 to 2016"


def test_a_board_dissolved_in_a_month_says_so_on_its_page(client, area, business_manager):
    """A board's dissolution date at month precision reads "Dissolved in March 2019"."""
    board = BoardFactory(name="Children's Trust", short_name="CT", slug="trust", areas=[area])
    api = client_for(business_manager)
    response = api.patch(
        f"/api/boards/{board.pk}/",
        {"dissolved_on": "2019-03-01", "dissolved_precision": "month"},
        format="json",
        HTTP_IF_MATCH='W/"1"',
    )
    assert response.status_code == 200, response.content
    assert response.json()["dissolved_precision"] == "month"
    assert "Dissolved in March 2019." in client.get("/boards/trust/").content.decode()
