"""Due windows computed from an obligation's frequency and months, and when it is overdue."""

import datetime

import pytest

from accountability.models import ObligationFulfilment
from accountability.schedule import DueWindow, obligation_status, window_for, windows_between
from tests.factories import ObligationFactory, VersionFactory

D = datetime.date


def test_annual_window_september_to_november():
    """An annual report due September to November has one window a year, ending 30 November."""
    windows = windows_between("annual", 9, 11, D(2025, 1, 1), D(2026, 12, 31))
    assert windows == [DueWindow(D(2025, 9, 1), D(2025, 11, 30)), DueWindow(D(2026, 9, 1), D(2026, 11, 30))]
    assert windows[0].label == "September to November 2025"


def test_window_wrapping_the_year():
    """October to February runs from 1 October into the last day of February the next year."""
    windows = windows_between("annual", 10, 2, D(2025, 1, 15), D(2025, 12, 31))
    assert windows == [
        DueWindow(D(2024, 10, 1), D(2025, 2, 28)),
        DueWindow(D(2025, 10, 1), D(2026, 2, 28)),
    ]
    assert windows[1].label == "October 2025 to February 2026"


def test_six_monthly_and_quarterly_windows():
    """Six-monthly with months repeats the window every six months; quarterly without months is each quarter."""
    assert windows_between("six_monthly", 3, 3, D(2025, 1, 1), D(2025, 12, 31)) == [
        DueWindow(D(2025, 3, 1), D(2025, 3, 31)),
        DueWindow(D(2025, 9, 1), D(2025, 9, 30)),
    ]
    quarters = windows_between("quarterly", None, None, D(2025, 1, 1), D(2025, 12, 31))
    assert [w.start.month for w in quarters] == [1, 4, 7, 10]
    assert quarters[0].end == D(2025, 3, 31)


@pytest.mark.parametrize("frequency", ["after_each_meeting", "on_request", "as_required"])
def test_undated_frequencies_have_no_window(frequency):
    """After each meeting, on request and as required have no date."""
    assert windows_between(frequency, None, None, D(2025, 1, 1), D(2026, 1, 1)) == []


def test_window_for_checks_the_period_start():
    """Only the first day of one of the obligation's windows names a period."""
    assert window_for("annual", 9, 11, D(2025, 9, 1)) == DueWindow(D(2025, 9, 1), D(2025, 11, 30))
    assert window_for("annual", 9, 11, D(2025, 10, 1)) is None


@pytest.mark.django_db
def test_status_overdue_when_window_ended_unmet():
    """On 15 December the September-November window has ended unmet: overdue; next window is next year."""
    obligation = ObligationFactory(window_start_month=9, window_end_month=11)
    status = obligation_status(obligation, D(2025, 12, 15))
    assert status.is_overdue and status.overdue_window.label == "September to November 2025"
    assert status.next_window == DueWindow(D(2026, 9, 1), D(2026, 11, 30))


@pytest.mark.django_db
def test_status_not_overdue_once_met_and_current_window_met_moves_on():
    """A fulfilment for the ended window clears the overdue mark; one for the open window moves 'next' on."""
    obligation = ObligationFactory(window_start_month=9, window_end_month=11)
    ObligationFulfilment.objects.create(obligation=obligation, period_start=D(2024, 9, 1), met_on=D(2024, 10, 2))
    status = obligation_status(obligation, D(2025, 10, 1))
    assert not status.is_overdue
    assert status.next_window.start == D(2025, 9, 1)
    ObligationFulfilment.objects.create(obligation=obligation, period_start=D(2025, 9, 1), met_on=D(2025, 9, 20))
    status = obligation_status(obligation, D(2025, 10, 1))
    assert status.next_window.start == D(2026, 9, 1)
    assert status.last_fulfilment.met_on == D(2025, 9, 20)


@pytest.mark.django_db
def test_on_request_is_never_overdue():
    """An obligation on request has no date and is never overdue."""
    obligation = ObligationFactory(frequency="on_request", window_start_month=None, window_end_month=None)
    status = obligation_status(obligation, D(2025, 12, 15))
    assert not status.is_dated and not status.is_overdue and status.undated_label == "On request"


def test_monthly_and_two_monthly_windows():
    """Monthly is each calendar month; every two months with a month stated repeats from that month."""
    months = windows_between("monthly", None, None, D(2025, 1, 1), D(2025, 4, 30))
    assert [w.start for w in months] == [D(2025, m, 1) for m in (1, 2, 3, 4)]
    assert months[1].end == D(2025, 2, 28)
    assert [w.start for w in windows_between("two_monthly", 2, 2, D(2025, 1, 1), D(2025, 12, 31))] == [
        D(2025, m, 1) for m in (2, 4, 6, 8, 10, 12)
    ]
    assert [w.start for w in windows_between("two_monthly", None, None, D(2025, 1, 1), D(2025, 6, 30))] == [
        D(2025, 1, 1),
        D(2025, 3, 1),
        D(2025, 5, 1),
    ]


def test_two_and_three_yearly_windows_count_from_the_anchor_year():
    """Every two years from 2014 falls in 2014, 2016, 2018...; every three years from 2015 in 2015, 2018, 2021."""
    two = windows_between("two_yearly", 9, 11, D(2015, 1, 1), D(2019, 12, 31), anchor_year=2014)
    assert two == [DueWindow(D(2016, 9, 1), D(2016, 11, 30)), DueWindow(D(2018, 9, 1), D(2018, 11, 30))]
    three = windows_between("three_yearly", None, None, D(2019, 6, 1), D(2022, 12, 31), anchor_year=2015)
    assert three == [DueWindow(D(2018, 1, 1), D(2020, 12, 31)), DueWindow(D(2021, 1, 1), D(2023, 12, 31))]
    assert window_for("two_yearly", 9, 11, D(2016, 9, 1), anchor_year=2014) is not None
    assert window_for("two_yearly", 9, 11, D(2017, 9, 1), anchor_year=2014) is None


@pytest.mark.parametrize("frequency", ["two_yearly", "three_yearly"])
def test_cycles_of_years_without_a_year_to_count_from_have_no_date(frequency):
    """With no year to count from, no due date is invented."""
    assert windows_between(frequency, 9, 11, D(2025, 1, 1), D(2030, 1, 1)) == []


@pytest.mark.django_db
def test_a_two_yearly_obligation_counts_from_its_versions_effective_year():
    """The version took effect in 2014, so a two-yearly report due in March is due March 2026, not 2025."""
    obligation = ObligationFactory(frequency="two_yearly", window_start_month=3, window_end_month=3)
    obligation.version = VersionFactory(effective_date=D(2014, 7, 1))
    status = obligation_status(obligation, D(2025, 1, 10))
    assert status.next_window == DueWindow(D(2026, 3, 1), D(2026, 3, 31))
    assert status.overdue_window == DueWindow(D(2024, 3, 1), D(2024, 3, 31))


@pytest.mark.django_db
def test_undated_labels_say_what_the_protocol_leaves_open():
    """No frequency stated, or a cycle of years with no year to count from: no due date, and the label says why."""
    silent = ObligationFactory(frequency="", window_start_month=None, window_end_month=None)
    status = obligation_status(silent, D(2025, 1, 10))
    assert (status.next_window, status.is_overdue) == (None, False)
    assert status.undated_label == "How often: not stated in the protocol"
    yearly = ObligationFactory(frequency="three_yearly", frequency_at_least=True)
    assert obligation_status(yearly, D(2025, 1, 10)).undated_label == (
        "At least every three years; first due date not stated"
    )


@pytest.mark.django_db
def test_at_least_annually_is_due_as_annually():
    """ "At least annually" keeps its words and is due once a year, in its window."""
    obligation = ObligationFactory(frequency="annual", frequency_at_least=True)
    assert obligation.frequency_label == "At least annually"
    assert obligation_status(obligation, D(2025, 12, 15)).overdue_window.label == "September to November 2025"
