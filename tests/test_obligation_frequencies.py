"""Frequencies as protocols state them: monthly to three-yearly, on request, "at least" kept, or not stated;
entered by a business manager in the editor and through the API, and read back wherever obligations show."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from accountability import services
from accountability.models import Frequency, ReportingObligation
from core.text import NOT_STATED
from core.writes import unlocked
from protocols.models import ProtocolVersion
from protocols.pdf import pdf_context
from tests.api_support import client_for
from tests.test_obligation_senders import draft, text  # noqa: F401 - the shared draft fixture


def test_every_frequency_a_protocol_uses_is_offered():
    """Monthly, two-monthly, quarterly, six-monthly, annual, two-yearly, three-yearly and on request all exist."""
    assert {
        "monthly",
        "two_monthly",
        "quarterly",
        "six_monthly",
        "annual",
        "two_yearly",
        "three_yearly",
        "on_request",
        "as_required",
    } <= set(Frequency.values)


def test_editor_records_at_least_annually_and_the_version_page_says_so(client, business_manager, draft):  # noqa: F811
    """Ticking "at least this often" with "Annually" reads back as "at least annually"."""
    client.force_login(business_manager)
    url = reverse("accountability:record_add", args=["joint", draft["clause"].key, "obligation"])
    response = client.post(
        url,
        {
            "senders": [f"board:{draft['lscb'].pk}"],
            "title": "Annual report",
            "subject": "annual_report",
            "frequency": "annual",
            "frequency_at_least": "on",
            "recipients": [f"board:{draft['hwb'].pk}"],
        },
    )
    assert response.status_code == 302
    obligation = ReportingObligation.objects.get(title="Annual report")
    assert (obligation.frequency, obligation.frequency_at_least) == ("annual", True)
    assert "LSCB sends Annual report to HWB, at least annually" in text(client.get(draft["version"].get_absolute_url()))


def test_editor_records_a_frequency_and_presenter_the_protocol_does_not_state(client, business_manager, draft):  # noqa: F811
    """Leaving "How often" and the presenter empty stores nothing invented; the page says they are not stated."""
    client.force_login(business_manager)
    url = reverse("accountability:record_add", args=["joint", draft["clause"].key, "obligation"])
    response = client.post(
        url,
        {
            "senders": [f"board:{draft['lscb'].pk}"],
            "title": "Minutes",
            "subject": "minutes",
            "frequency": "",
            "recipients": [f"board:{draft['hwb'].pk}"],
        },
    )
    assert response.status_code == 302
    obligation = ReportingObligation.objects.get(title="Minutes")
    assert (obligation.frequency, obligation.presenter, obligation.window_start_month) == ("", None, None)
    assert "LSCB sends Minutes to HWB, how often: not stated in the protocol" in text(
        client.get(draft["version"].get_absolute_url())
    )


def test_editor_refuses_at_least_with_on_request(client, business_manager, draft):  # noqa: F811
    """ "At least" belongs to a regular frequency; with "on request" it is a field error."""
    client.force_login(business_manager)
    url = reverse("accountability:record_add", args=["joint", draft["clause"].key, "obligation"])
    response = client.post(
        url,
        {
            "title": "Report",
            "subject": "other",
            "frequency": "on_request",
            "frequency_at_least": "on",
            "recipients": [f"board:{draft['hwb'].pk}"],
        },
    )
    assert response.status_code == 200
    assert "Only a regular frequency" in response.content.decode()
    assert not ReportingObligation.objects.exists()


def test_api_writes_and_reads_at_least_and_not_stated(business_manager, draft):  # noqa: F811
    """The API takes frequency_at_least, and null for a frequency not stated; it reads both back."""
    api = client_for(business_manager)
    base = {
        "version": draft["version"].pk,
        "senders": [{"board": draft["lscb"].pk}],
        "subject": "annual_report",
        "recipients": [{"board": draft["hwb"].pk}],
    }
    at_least = api.post(
        "/api/obligations/",
        {**base, "title": "Annual report", "frequency": "annual", "frequency_at_least": True},
        format="json",
    )
    assert at_least.status_code == 201, at_least.content
    assert (at_least.json()["frequency"], at_least.json()["frequency_at_least"]) == ("annual", True)
    assert at_least.json()["frequency_label"] == "At least annually"
    silent = api.post("/api/obligations/", {**base, "title": "Minutes", "frequency": None}, format="json")
    assert silent.status_code == 201, silent.content
    assert (silent.json()["frequency"], silent.json()["frequency_label"], silent.json()["presenter"]) == (
        None,
        "",
        None,
    )
    refused = api.post(
        "/api/obligations/",
        {**base, "title": "Other", "frequency": "on_request", "frequency_at_least": True},
        format="json",
    )
    assert refused.status_code == 400
    assert "frequency_at_least" in refused.json()["error"]["fields"]


@pytest.fixture
def agreed(business_manager, draft):  # noqa: F811
    """An "at least annually" report, a two-yearly review, and minutes with no stated frequency, agreed."""
    rows = (
        ("Annual report", "annual", True, (9, 11)),
        ("Review of the protocol", "two_yearly", False, (3, 3)),
        ("Minutes", "", False, (None, None)),
    )
    for title, frequency, at_least, (start, end) in rows:
        services.obligation_create(
            user=business_manager,
            version=draft["version"],
            source_clause=draft["clause"],
            senders=[draft["lscb"]],
            subject="other",
            title=title,
            frequency=frequency,
            frequency_at_least=at_least,
            window_start_month=start,
            window_end_month=end,
            recipients=[draft["hwb"]],
        )
    ProtocolVersion.objects.filter(pk=draft["version"].pk).update(status=ProtocolVersion.Status.AGREED)
    draft["version"].refresh_from_db()
    return draft


def test_map_text_board_page_calendar_ical_and_pdf_keep_at_least(client, agreed):
    """ "At least annually" reads the same on the map's text list, the board page, the calendar, iCal and PDF;
    a frequency not stated is said to be so and gets no due date."""
    assert "Annual report, September to November, at least annually" in text(client.get("/areas/knowsley/map/"))
    lscb_page = text(client.get("/boards/lscb/"))
    assert "Annual report to HWB, at least annually" in lscb_page
    assert f"Minutes to HWB, {NOT_STATED}" in lscb_page
    calendar = text(client.get("/boards/lscb/calendar/"))
    assert "How often: not stated in the protocol" in calendar
    ical = client.get("/boards/lscb/calendar.ics").content.decode().replace("\r\n ", "")
    assert "How often: At least annually." in ical
    assert "SUMMARY:LSCB: Minutes" not in ical  # no invented due date
    html = render_to_string("pdf/protocol.html", pdf_context(agreed["version"], certificate=False))
    schedule = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[html.index('id="schedule"') :]))
    assert "At least annually, September to November" in schedule
    assert f"How often: not stated in the protocol {NOT_STATED}" in schedule  # and no presenter named


def test_two_yearly_review_falls_due_every_other_year_from_the_version(client, agreed):
    """The version's effective year anchors the two-yearly cycle; without one the calendar gives no date."""
    with unlocked():  # stands in for a version agreed with that date
        ProtocolVersion.objects.filter(pk=agreed["version"].pk).update(effective_date="2014-06-01")
    ical = client.get("/boards/lscb/calendar.ics").content.decode().replace("\r\n ", "")
    starts = re.findall(r"UID:obligation-\d+-(\d{4})-03-01", ical)
    assert starts and all((int(year) - 2014) % 2 == 0 for year in starts)
