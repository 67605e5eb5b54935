"""Links that leave the page (PDFs, certificates, iCal feeds, emails) use the address the site is served at."""

import datetime
import io
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from icalendar import Calendar
from pypdf import PdfReader

from core.addresses import site_url
from protocols.models import ProtocolVersion
from tests.factories import ProtocolFactory, VersionFactory
from tests.pdf_fixtures import build_protocol
from tests.test_map import build_area

HOST = "registry.test:8123"


@pytest.fixture
def served_at_another_port(db, settings, tmp_path):
    settings.ALLOWED_HOSTS = ["registry.test"]
    settings.SITE_URL = ""
    settings.MEDIA_ROOT = tmp_path


def test_the_sealed_pdfs_certificate_links_to_the_address_it_was_downloaded_from(client, served_at_another_port):
    """With no SITE_URL, the certificate names the host and port the request came to, not a default port."""
    version = build_protocol()
    url = f"/protocols/{version.protocol.slug}/versions/{version.number}/pdf/?generate=1"
    response = client.get(url, HTTP_HOST=HOST)
    data = b"".join(response.streaming_content)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).replace("\n", "")
    assert f"http://{HOST}/verify/" in text
    assert f"http://{HOST}{version.get_absolute_url()}" in text
    assert "127.0.0.1:8000" not in text


def test_feeds_and_calendar_page_use_the_request_or_site_url(client, area, served_at_another_port, settings):
    build_area(area, 1)
    feed = Calendar.from_ical(client.get("/areas/knowsley/calendar.ics", HTTP_HOST=HOST).content)
    urls = {str(event["url"]) for event in feed.walk("VEVENT") if "url" in event}
    assert urls and all(url.startswith(f"http://{HOST}/") for url in urls)
    page = client.get("/areas/knowsley/calendar/", HTTP_HOST=HOST).content.decode()
    assert f"http://{HOST}/areas/knowsley/calendar.ics" in page

    settings.SITE_URL = "https://registry.example.org/"
    assert site_url() == "https://registry.example.org"
    feed = Calendar.from_ical(client.get("/areas/knowsley/calendar.ics", HTTP_HOST=HOST).content)
    assert all(str(e["url"]).startswith("https://registry.example.org/") for e in feed.walk("VEVENT") if "url" in e)


def test_reminder_emails_need_site_url_and_link_to_it(area, business_manager, settings):
    """A management command has no request to learn the address from: without SITE_URL it refuses, naming the
    setting, rather than sending links to a port nothing listens on."""
    business_manager.email = "manager@example.org"
    business_manager.save()
    due = datetime.date(2026, 6, 1)
    VersionFactory(protocol=ProtocolFactory(area=area), status=ProtocolVersion.Status.AGREED, review_due=due)
    settings.SITE_URL = ""
    with pytest.raises(CommandError, match="SITE_URL"):
        call_command("send_review_reminders", today=due, stdout=StringIO())
    assert mail.outbox == []
    settings.SITE_URL = "https://registry.example.org"
    call_command("send_review_reminders", today=due, stdout=StringIO())
    assert "https://registry.example.org/protocols/" in mail.outbox[0].body
