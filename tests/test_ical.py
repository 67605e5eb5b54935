"""The calendar of obligations, recording fulfilments, and the iCal feeds."""

import datetime

import pytest
from icalendar import Calendar

from accountability.fulfilment import obligation_fulfilment_record
from accountability.models import ObligationFulfilment
from accountability.schedule import obligation_status
from core.models import AuditRecord
from tests.factories import ClauseFactory, ObligationFactory, RecipientFactory, SectionFactory
from tests.test_map import build_area


@pytest.fixture
def knowsley(area):
    return build_area(area, 1)


def this_years_window():
    year = datetime.date.today().year
    return datetime.date(year, 9, 1), datetime.date(year, 11, 30)


def test_area_feed_parses_and_has_the_annual_report_window(client, area, knowsley):
    """The area feed is valid iCalendar with a one-day event on 1 September, the window's first day, whose
    description names the whole window (an event lasting the window would lie across months as a banner)."""
    response = client.get("/areas/knowsley/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["version"]) == "2.0" and "Knowsley" in str(calendar["x-wr-calname"])
    events = [c for c in calendar.walk("VEVENT") if "Annual report" in str(c["summary"])]
    start, end = this_years_window()
    event = next(e for e in events if e.decoded("dtstart") == start)
    assert event.decoded("dtend") == start + datetime.timedelta(days=1)
    assert f"Due September to November {start.year}." in str(event["description"])
    assert str(event["summary"]) == "KSCB: Annual report to HWB"
    assert "Presented by the x Independent Chair" in str(event["description"])
    assert str(event["url"]).endswith(knowsley["clause"].get_absolute_url())
    uids = [str(e["uid"]) for e in calendar.walk("VEVENT")]
    assert len(uids) == len(set(uids))  # stable and unique, so refreshing doesn't duplicate


def test_board_feed_only_has_that_boards_obligations(client, area, knowsley):
    """The HWB feed carries only the annual report it receives, not the KSCB's other business."""
    hwb = Calendar.from_ical(client.get("/boards/x-hwb/calendar.ics").content)
    assert {str(e["summary"]) for e in hwb.walk("VEVENT")} == {"KSCB: Annual report to HWB"}
    kscb = Calendar.from_ical(client.get("/boards/x-kscb/calendar.ics").content)
    assert len({str(e["summary"]) for e in kscb.walk("VEVENT")}) == 2  # its report, and the subgroup's minutes


def test_calendar_page_lists_windows_by_month_and_overdue(client, area, knowsley):
    """The calendar shows the annual report's window under its month and marks last year's as overdue."""
    html = client.get("/areas/knowsley/calendar/").content.decode()
    start, _end = this_years_window()
    label = f"September to November {start.year}"
    next_label = f"September to November {start.year + 1}"
    assert label in html or next_label in html
    assert "Overdue" in html
    assert "calendar.ics" in html
    assert "No fixed date" in html


def test_business_manager_records_fulfilment(client, area, knowsley, business_manager):
    """A business manager records the annual report as met; the overdue mark goes and an audit event is written."""
    obligation = knowsley["hwb"].obligations_received.get().obligation
    year = datetime.date.today().year - 1
    client.force_login(business_manager)
    url = f"/obligations/{obligation.pk}/fulfilments/new/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"period_start": f"{year}-09-01", "met_on": f"{year}-10-14", "note": "Presented", "next": "/areas/knowsley/"},
    )
    assert response.status_code == 302 and response["Location"] == "/areas/knowsley/"
    fulfilment = ObligationFulfilment.objects.get(obligation=obligation)
    assert fulfilment.recorded_by == business_manager and fulfilment.note == "Presented"
    assert AuditRecord.objects.filter(object_type="accountability.ObligationFulfilment").count() == 1


def test_bad_fulfilment_is_refused_with_clear_errors(client, area, knowsley, business_manager):
    """A date that isn't a window start, a missing date or a repeat are refused, and nothing is lost."""
    obligation = knowsley["hwb"].obligations_received.get().obligation
    client.force_login(business_manager)
    url = f"/obligations/{obligation.pk}/fulfilments/new/"
    response = client.post(url, {"period_start": "2020-10-01", "met_on": "2020-10-14", "note": "keep me"})
    assert response.status_code == 400 and "Choose one of the obligation" in response.content.decode()
    assert "keep me" in response.content.decode()
    assert client.post(url, {"period_start": "2020-09-01", "met_on": ""}).status_code == 400
    obligation_fulfilment_record(
        user=business_manager,
        obligation=obligation,
        period_start=datetime.date(2020, 9, 1),
        met_on=datetime.date(2020, 10, 1),
    )
    response = client.post(url, {"period_start": "2020-09-01", "met_on": "2020-10-14"})
    assert response.status_code == 400
    assert ObligationFulfilment.objects.count() == 1


def test_only_editors_record_fulfilments(client, area, knowsley, board_member, outsider):
    """Board members and outsiders cannot record; anonymous readers are sent to sign in."""
    obligation = knowsley["hwb"].obligations_received.get().obligation
    url = f"/obligations/{obligation.pk}/fulfilments/new/"
    assert client.get(url).status_code == 302
    client.force_login(board_member)
    assert client.post(url, {"period_start": "2020-09-01", "met_on": "2020-10-01"}).status_code == 403
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    assert not ObligationFulfilment.objects.exists()


def test_an_obligation_with_no_window_stated_is_never_overdue(client, area, knowsley):
    """An annual report whose protocol states no months is due some time in the year: the calendar says so,
    never marks last year's as overdue, and the feed has a one-day event on 1 January, not a year-long one."""
    obligation = ObligationFactory(
        senders=[knowsley["hwb"]],
        version=knowsley["version"],
        title="Annual health report",
        window_start_month=None,
        window_end_month=None,
    )
    RecipientFactory(obligation=obligation, board=knowsley["kscb"])
    today = datetime.date.today()
    status = obligation_status(obligation, today)
    assert not status.is_overdue and not status.window_stated
    html = client.get("/areas/knowsley/calendar/").content.decode()
    overdue = html.split('id="overdue"')[1].split("By month")[0] if 'id="overdue"' in html else ""
    assert "Annual health report" not in overdue
    assert f"some time in January to December {today.year}" in html
    calendar = Calendar.from_ical(client.get("/areas/knowsley/calendar.ics").content)
    events = [e for e in calendar.walk("VEVENT") if "Annual health report" in str(e["summary"])]
    assert events
    for event in events:
        start = event.decoded("dtstart")
        assert (start.month, start.day) == (1, 1)
        assert event.decoded("dtend") == start + datetime.timedelta(days=1)
        assert "when in the period: not stated in the protocol" in str(event["description"])


def test_the_feed_is_written_as_the_icalendar_library_writes_it(client, area, knowsley):
    """The feed is written by hand for speed; read back and written again by the icalendar library it is the
    same bytes: escaping (commas, semicolons, backslashes), and folding at 74 octets without splitting a UTF-8
    character or an escape, wherever they fall."""
    tricky = " ".join(f"{'x' * n}\\;^é, “{n}” ✓" for n in range(1, 60))
    clause = ClauseFactory(section=SectionFactory(version=knowsley["version"]), text=f"<p>{tricky}</p>")
    awkward = ObligationFactory(
        senders=[knowsley["kscb"]], version=knowsley["version"], source_clause=clause, title=f"Plan; {tricky[:200]}"
    )
    RecipientFactory(obligation=awkward, board=knowsley["hwb"])
    feed = client.get("/areas/knowsley/calendar.ics").content
    assert Calendar.from_ical(feed).to_ical() == feed
    events = [e for e in Calendar.from_ical(feed).walk("VEVENT") if str(e["summary"]).startswith("KSCB: Plan; x\\;^é")]
    assert events and tricky in str(events[0]["description"])
    assert max(len(line) for line in feed.split(b"\r\n")) <= 75  # 74 octets, and the space a fold begins with
