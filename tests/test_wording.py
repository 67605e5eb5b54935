"""Facts worded as a person would write them, the same way on pages, in the PDF, in iCal and in the API:
'Agreed in June 2015', 'Version 3, agreed 24 November 2026', 'September to November', and no sentence that
names its subject twice."""

import datetime

import pytest
from django.template.loader import render_to_string

from accountability.ical import obligation_feed
from boards.models import DatePrecision, partial_date_phrase
from core.text import month_window, sends_phrase, titled_by_sender
from core.writes import unlocked
from protocols.models import ProtocolVersion
from protocols.pdf import pdf_context
from tests.factories import VersionFactory
from tests.pdf_fixtures import build_protocol

Status = ProtocolVersion.Status


def test_a_day_takes_on_a_month_or_a_year_takes_in():
    """'on 24 November 2026', 'in June 2015', 'in 2013'; nothing when the date is not stated."""
    assert partial_date_phrase(datetime.date(2026, 11, 24), DatePrecision.DAY) == "on 24 November 2026"
    assert partial_date_phrase(datetime.date(2015, 6, 1), DatePrecision.MONTH) == "in June 2015"
    assert partial_date_phrase(datetime.date(2013, 1, 1), DatePrecision.YEAR) == "in 2013"
    assert partial_date_phrase(None, DatePrecision.DAY) == ""


def test_windows_read_as_month_to_month():
    assert month_window(9, 11) == "September to November"
    assert month_window(10, 2) == "October to February"
    assert month_window(6, 6) == "June"
    assert month_window(None, None) == ""


def test_a_report_named_after_its_sender_is_not_named_twice():
    """The report's title begins with the sender's name, so the sentence says 'its' instead."""
    assert sends_phrase("KSCB", "KSCB Annual Report") == "KSCB sends its Annual Report"
    assert sends_phrase("LSCB", "LSCB's annual report") == "LSCB sends its annual report"
    assert sends_phrase("HWB", "Minutes of meetings") == "HWB sends Minutes of meetings"
    # A longer word that merely starts with the sender's letters is not the sender's name.
    assert sends_phrase("CT", "CTB report") == "CT sends CTB report"
    assert titled_by_sender("KSCB", "KSCB Annual Report") == "KSCB Annual Report"
    assert titled_by_sender("KSCB", "Annual report") == "KSCB: Annual report"


@pytest.mark.django_db
def test_agreed_sentence_and_status_phrase_follow_the_dates_precision():
    month = VersionFactory(
        number=2,
        status=Status.AGREED,
        effective_date=datetime.date(2015, 6, 1),
        effective_date_precision=DatePrecision.MONTH,
    )
    day = VersionFactory(
        number=3, status=Status.SUPERSEDED, effective_date=datetime.date(2026, 11, 24), effective_date_precision="day"
    )
    undated = VersionFactory(number=4, status=Status.AGREED, effective_date=None)
    draft = VersionFactory(number=5, status=Status.DRAFT)

    assert month.agreed_sentence == "Agreed in June 2015."
    assert month.status_phrase == "agreed June 2015"
    assert day.agreed_sentence == "Agreed on 24 November 2026, since superseded by a later version."
    assert day.status_phrase == "superseded, agreed 24 November 2026"
    assert undated.agreed_sentence == "Agreed (date not stated in the protocol)."
    assert draft.agreed_sentence == "" and draft.status_phrase == "draft"


@pytest.fixture
def agreed(area):
    version = build_protocol(sections=1, clauses_per_section=2)
    assert (version.obligations.get().window_start_month, version.obligations.get().window_end_month) == (9, 11)
    return version


def test_version_page_words_the_agreement_and_the_obligation_as_a_person_would(client, agreed):
    """'Agreed in June 2015.', the report not named twice, months capitalised after a lower-case frequency, and
    an earlier version listed as 'Version 1, superseded, agreed 24 November 2014'."""
    VersionFactory(
        protocol=agreed.protocol,
        number=1,
        status=Status.SUPERSEDED,
        effective_date=datetime.date(2014, 11, 24),
        effective_date_precision=DatePrecision.DAY,
    )
    html = client.get(agreed.get_absolute_url()).content.decode()

    assert "Agreed in June 2015." in html
    assert "As agreed" not in html
    frequency = agreed.obligations.get().frequency_label.lower()
    assert f"KSCB sends its Annual Report to HWB, {frequency}, September to November" in html
    assert "KSCB sends KSCB" not in html
    assert "Version 1</a>, superseded, agreed 24 November 2014" in html
    assert "agreed, agreed" not in html.lower()


def test_pdf_certificate_names_the_version_and_its_agreement_once(agreed):
    """The certificate says 'Version 2, agreed June 2015', never 'agreed, agreed'."""
    html = render_to_string("pdf/protocol.html", pdf_context(agreed, certificate=True))
    assert "<td>Version 2, agreed June 2015</td>" in html
    assert "agreed, agreed" not in html


def test_approval_notes_are_shown_on_the_page_and_in_the_pdf(client, agreed):
    """A note recorded with an approval (say, that the date is the document's month) is never hidden."""
    approval = agreed.parties.get(board__short_name="KSCB").current_approval()
    with unlocked():  # arranging the agreed record as it was entered; nothing may change it afterwards
        type(approval).objects.filter(pk=approval.pk).update(note="Dated from the month on the document.")

    html = client.get(agreed.get_absolute_url()).content.decode()
    assert "Dated from the month on the document." in html
    pdf_html = render_to_string("pdf/protocol.html", pdf_context(agreed, certificate=False))
    assert '<th scope="row">Note</th><td>Dated from the month on the document.</td>' in pdf_html


def test_ical_summary_does_not_repeat_the_sender(agreed):
    """An event for 'KSCB Annual Report' is summarised 'KSCB Annual Report to HWB', not 'KSCB: KSCB Annual ...'."""
    from icalendar import Calendar

    feed = obligation_feed(
        agreed.obligations.all(), name="Knowsley", base_url="http://testserver", today=datetime.date(2026, 1, 1)
    )
    summaries = {str(event["summary"]) for event in Calendar.from_ical(feed).walk("VEVENT")}
    assert summaries == {"KSCB Annual Report to HWB"}


def test_board_page_gives_the_window_in_months(client, agreed):
    board = agreed.obligations.get().sender_parties[0]
    html = client.get(board.get_absolute_url()).content.decode()
    assert "September to November" in html
    assert "(09–11)" not in html


def test_map_sentence_does_not_repeat_the_sender(agreed):
    """The map's text list (and the API's graph) gives a report named after its sender without the name again."""
    from accountability.graph import version_graph
    from accountability.models import ReportingObligation

    with unlocked():  # arranging the agreed record as it was entered; nothing may change it afterwards
        ReportingObligation.objects.filter(version=agreed).update(
            title="KSCB quarterly performance report", subject=ReportingObligation.Subject.PERFORMANCE_DATA
        )
    sentences = [edge["sentence"] for edge in version_graph(agreed)["edges"] if edge["origin"] == "obligation"]
    assert sentences and all(s.startswith("KSCB reports to HWB, quarterly performance report") for s in sentences)
    assert not any("KSCB quarterly" in s for s in sentences)
