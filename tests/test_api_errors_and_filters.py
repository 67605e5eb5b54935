"""Bad input always gets a 4xx in one JSON shape; filters answer what users ask."""

# ruff: noqa: F403, F405
import pytest

from tests.api_support import *
from tests.factories import BoardFactory, ObligationFactory, VersionFactory

pytestmark = pytest.mark.django_db


def assert_error(response, status, code=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["status"] == status
    assert error["message"]
    if code:
        assert error["code"] == code
    return error


@pytest.fixture
def manager_client(business_manager):
    return client_for(business_manager)


def test_malformed_json_is_400(manager_client, knowsley):
    """A body that is not JSON is refused with the parser's reason."""
    response = manager_client.generic("POST", "/api/sections/", "{not json", content_type="application/json")
    assert_error(response, 400, "parse_error")


def test_huge_body_is_413(manager_client, knowsley, settings):
    """Bodies above the upload limit are refused before they are parsed."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = '{"version": 1, "heading": "' + "x" * 2000 + '"}'
    response = manager_client.generic("POST", "/api/sections/", body, content_type="application/json")
    assert_error(response, 413, "request_too_large")


def test_form_encoded_body_is_415(manager_client, knowsley):
    """Only JSON is accepted."""
    response = manager_client.post("/api/sections/", {"version": knowsley.draft.pk, "heading": "x"})
    assert_error(response, 415)


def test_wrong_types_name_the_fields(manager_client, knowsley):
    """Wrong types come back field by field."""
    response = manager_client.post("/api/sections/", {"version": "abc", "heading": ["x"]}, format="json")
    error = assert_error(response, 400, "invalid")
    assert set(error["fields"]) == {"version", "heading"}


def test_unknown_ids_in_a_body_are_400(manager_client, knowsley):
    """An id that names nothing is a field error, not a crash."""
    response = manager_client.post("/api/clauses/", {"section": 987654, "text": "<p>x</p>"}, format="json")
    assert "section" in assert_error(response, 400)["fields"]
    response = manager_client.post(
        "/api/obligations/",
        {
            "version": knowsley.draft.pk,
            "senders": [{"board": 987654}],
            "subject": "plan",
            "title": "x",
            "frequency": "annual",
        },
        format="json",
    )
    assert "senders" in assert_error(response, 400)["fields"]


def test_non_object_body_is_400(manager_client, knowsley):
    """A JSON list where an object is expected is refused."""
    assert_error(manager_client.post("/api/sections/", [1, 2], format="json"), 400)


@pytest.mark.parametrize(
    "url", ["/api/versions/99999999999999999999999/", "/api/clauses/abc/", "/api/nothing-here/", "/api/graph/nowhere/"]
)
def test_unknown_addresses_are_json_404(url, knowsley):
    """Unknown and absurd ids, and unknown paths, are a JSON 404."""
    assert_error(client_for(None).get(url), 404, "not_found")


@pytest.mark.parametrize(
    "query",
    [
        {"month": "13"},
        {"month": "0"},
        {"month": "December"},
        {"area": "atlantis"},
        {"frequency": "hourly"},
        {"version": "1.5"},
        {"page": "999"},
        {"page_size": "-1"},
    ],
)
def test_bad_filters_are_4xx_with_a_reason(query, knowsley):
    """Out-of-range months, unknown areas and choices, bad page numbers: 4xx, never 500."""
    response = client_for(None).get("/api/obligations/", query)
    assert response.status_code in (400, 404) or (query == {"page_size": "-1"} and response.status_code == 200)
    if response.status_code != 200:
        assert_error(response, response.status_code)


def test_method_not_allowed_is_405_in_the_same_shape(manager_client, knowsley):
    """Deleting a protocol is not offered."""
    assert_error(manager_client.delete(f"/api/protocols/{knowsley.protocol.pk}/"), 405, "method_not_allowed")


# Filters ----------------------------------------------------------------------------------------


def obligation_ids(client, **query):
    response = client.get("/api/obligations/", query)
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}


@pytest.fixture
def windows(area):
    """Three agreed obligations: September-November, October-February (wraps the year end), undated."""
    board = BoardFactory(areas=[area])
    version = VersionFactory(status="agreed", protocol__area=area)
    autumn = ObligationFactory(version=version, senders=[board], window_start_month=9, window_end_month=11)
    winter = ObligationFactory(
        version=version, senders=[board], window_start_month=10, window_end_month=2, frequency="six_monthly"
    )
    undated = ObligationFactory(
        version=version, senders=[board], window_start_month=None, window_end_month=None, frequency="on_request"
    )
    return autumn, winter, undated


@pytest.mark.parametrize(
    "month, expected",
    [(9, {"autumn"}), (10, {"autumn", "winter"}), (12, {"winter"}), (1, {"winter"}), (2, {"winter"}), (5, set())],
)
def test_month_filter_includes_windows_that_wrap_the_year_end(month, expected, windows):
    """A month matches windows containing it; October-February contains December and January."""
    names = dict(zip(["autumn", "winter", "undated"], windows, strict=True))
    found = obligation_ids(client_for(None), month=month)
    assert found == {names[n].pk for n in expected}


def test_frequency_and_area_filters(windows, area, other_area):
    """Frequency is a choice list; area finds obligations in that area's protocols."""
    autumn, winter, undated = windows
    client = client_for(None)
    assert obligation_ids(client, frequency="six_monthly") == {winter.pk}
    assert obligation_ids(client, area=area.slug) == {autumn.pk, winter.pk, undated.pk}
    assert obligation_ids(client, area=str(area.pk)) == {autumn.pk, winter.pk, undated.pk}
    assert obligation_ids(client, area=other_area.slug) == set()


def test_relation_type_and_board_filters(administrator, knowsley):
    """Relations by type and by either end."""
    client = client_for(administrator)
    response = client.get("/api/relations/", {"kind": "holds_to_account", "board": knowsley.hwb.slug})
    assert [item["id"] for item in response.json()["results"]] == [knowsley.relation.pk]
    response = client.get("/api/relations/", {"kind": "reports_to"})
    assert response.json()["count"] == 0


def test_protocol_filters_by_board_kind_status_and_review_date(knowsley):
    """Protocols by party board kind, by status, and by when the agreed version's review is due."""
    knowsley.agreed.review_due = "2016-06-01"
    knowsley.agreed.save(update_fields=["review_due"])
    client = client_for(None)

    def found(**query):
        response = client.get("/api/protocols/", query)
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["results"]]

    assert found(board_kind="hwb") == [knowsley.protocol.pk]
    assert found(board_kind="csp") == []
    assert found(status="agreed") == [knowsley.protocol.pk]
    assert found(status="draft") == []  # the draft is not visible to an anonymous reader
    assert found(review_due_before="2016-12-31") == [knowsley.protocol.pk]
    assert found(review_due_after="2017-01-01") == []


def test_search_finds_words_in_clauses_the_reader_may_see(board_member, knowsley):
    """Free text over titles and clause text; a draft's words are found only by those who read drafts."""
    assert client_for(None).get("/api/protocols/", {"search": "partnership"}).json()["count"] == 1
    assert client_for(None).get("/api/versions/", {"search": "HWB"}).json()["count"] == 0
    assert client_for(board_member).get("/api/versions/", {"search": "HWB"}).json()["count"] == 1
    clauses = client_for(None).get("/api/clauses/", {"search": "annual report"}).json()
    assert [c["id"] for c in clauses["results"]] == [knowsley.agreed_clause.pk]


def test_board_filters(knowsley, area):
    """Boards by area and kind."""
    response = client_for(None).get("/api/boards/", {"area": area.slug, "kind": "hwb"})
    assert [b["id"] for b in response.json()["results"]] == [knowsley.hwb.pk]


def test_version_links_to_its_page_print_view_and_pdf(knowsley):
    """A version links to its web page (and to print and PDF once those pages exist)."""
    links = client_for(None).get(f"/api/versions/{knowsley.agreed.pk}/").json()["links"]
    assert links["web"].endswith(knowsley.agreed.get_absolute_url())
    assert set(links) == {"web", "print", "pdf"}


def test_board_links_to_its_page_and_calendar(knowsley):
    """A board links to its page (and its iCal feed once that exists)."""
    links = client_for(None).get(f"/api/boards/{knowsley.board.pk}/").json()["links"]
    assert links["web"].endswith(knowsley.board.get_absolute_url())
    assert "calendar" in links


def test_pagination_on_lists(knowsley):
    """Lists are paginated with count and next links; page_size is honoured up to a limit."""
    body = client_for(None).get("/api/boards/", {"page_size": 1}).json()
    assert body["count"] == 2
    assert len(body["results"]) == 1
    assert "page=2" in body["next"]


@pytest.mark.django_db
def test_an_unknown_record_with_a_percent_sign_is_a_400_naming_it(client):
    """A slug typed with "%" in it is reported as unknown, not taken for a placeholder in the message (a 500)."""
    response = client.get("/api/obligation-fulfilments/", {"board": "50%off"})
    assert response.status_code == 400
    assert "There is no board with the slug or id '50%off'." in response.content.decode()
