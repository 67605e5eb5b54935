"""Importing a document from the editor: upload, the review screen, saving a draft through the
services, and refusals that leave nothing behind."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AuditRecord
from protocols.models import ImportedDocument, Protocol
from tests.factories import BoardFactory

DOCUMENT = (
    "Joint protocol between the Health and Wellbeing Board and the LSCB\n"
    "Date: March 2016\n"
    "1. Reporting\n"
    "1.1 The LSCB will present its annual report to the Health and Wellbeing Board in September.\n"
    "1.2 The boards will meet:\n"
    "(a) twice a year;\n"
    "- with minutes shared\n"
    "2. Glossary\n"
    "Term\tMeaning\n"
    "LSCB\tLocal Safeguarding Children Board\n"
    "HWB\tHealth and Wellbeing Board\n"
    "Health and Wellbeing Board approved: ? June 2016\n"
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def boards(area):
    return (
        BoardFactory(areas=[area], name="Health and Wellbeing Board", short_name="HWB"),
        BoardFactory(areas=[area], name="Local Safeguarding Children Board", short_name="LSCB"),
        BoardFactory(areas=[area], name="Community Safety Partnership", short_name="CSP"),
    )


def upload(client, area, data: bytes, name="protocol.txt"):
    return client.post(reverse("protocols:import_upload"), {"area": area.pk, "file": SimpleUploadedFile(name, data)})


def test_new_protocol_page_offers_the_import(client, business_manager):
    client.force_login(business_manager)
    page = client.get(reverse("protocols:protocol_create")).content.decode()
    assert reverse("protocols:import_upload") in page


def test_upload_shows_the_review_screen_with_outline_warnings_and_suggestions(client, business_manager, area, boards):
    client.force_login(business_manager)
    response = upload(client, area, DOCUMENT.encode())
    imported = ImportedDocument.objects.get()
    assert response.status_code == 302 and response.url == reverse("protocols:import_review", args=[imported.pk])
    assert imported.sha256 == hashlib.sha256(DOCUMENT.encode()).hexdigest()
    assert imported.file.read() == DOCUMENT.encode()
    assert not Protocol.objects.exists()  # nothing is a record before the business manager confirms
    page = client.get(response.url).content.decode()
    assert "Joint protocol between the Health and Wellbeing Board and the LSCB" in page
    assert "<strong>1.1</strong>" in page and "<strong>(a)</strong>" in page
    # Parties named in the title are proposed ticked; the third board is offered unticked.
    assert f'value="{boards[0].pk}" checked' in page and f'value="{boards[1].pk}" checked' in page
    assert f'value="{boards[2].pk}">' in page
    assert "June 2016" in page  # the approval, at month precision
    assert "Record: The LSCB sends annual report to Health and Wellbeing Board (in September)" in page
    assert "<strong>LSCB</strong>: Local Safeguarding Children Board" in page


def test_save_as_draft_creates_the_protocol_with_its_numbering_as_written(client, business_manager, area, boards):
    client.force_login(business_manager)
    upload(client, area, DOCUMENT.encode())
    imported = ImportedDocument.objects.get()
    response = client.post(
        reverse("protocols:import_review", args=[imported.pk]),
        {"title": "Reporting protocol", "party": [boards[0].pk], "glossary": ["1"], "document_date": "accept"},
    )
    protocol = Protocol.objects.get()
    assert response.status_code == 302 and response.url == reverse("protocols:editor", args=[protocol.slug])
    version = protocol.versions.get()
    assert version.title == "Reporting protocol"
    assert [party.board for party in version.parties.all()] == [boards[0]]
    assert [(s.number, s.heading) for s in version.sections.order_by("position")] == [
        ("1.", "Reporting"),
        ("2.", "Glossary"),
    ]
    numbers = list(version.sections.get(number="1.").clauses.order_by("position").values_list("number", flat=True))
    assert sorted(numbers) == ["", "(a)", "1.1", "1.2"]
    bullet = version.sections.get(number="1.").clauses.get(number="")
    assert bullet.parent.number == "(a)"
    assert [(g.term, g.meaning) for g in version.glossary_entries.all()] == [("HWB", "Health and Wellbeing Board")]
    assert (version.document_date.isoformat(), version.document_date_precision) == ("2016-03-01", "month")
    imported.refresh_from_db()
    assert imported.version == version and imported.saved_at is not None
    assert AuditRecord.objects.filter(object_type="protocols.ImportedDocument", protocol_id=protocol.pk).exists()
    # The same upload cannot be saved twice.
    again = client.get(reverse("protocols:import_review", args=[imported.pk]))
    assert again.status_code == 302 and Protocol.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "file is empty."),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "not a document the registry can read"),
    ],
    ids=["empty", "wrong-type"],
)
def test_refused_upload_says_why_and_leaves_nothing_behind(client, business_manager, area, media, data, message):
    client.force_login(business_manager)
    response = upload(client, area, data, name="protocol.docx")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportedDocument.objects.exists()
    assert not any(media.rglob("*.*"))


def test_outsider_cannot_import_or_see_an_upload(client, business_manager, outsider, area, boards):
    client.force_login(business_manager)
    upload(client, area, DOCUMENT.encode())
    imported = ImportedDocument.objects.get()
    client.force_login(outsider)
    assert client.get(reverse("protocols:import_review", args=[imported.pk])).status_code == 403
    assert upload(client, area, DOCUMENT.encode()).status_code in (200, 403)
    assert ImportedDocument.objects.count() == 1


@pytest.mark.parametrize("index", range(5))
def test_each_seed_saves_as_a_draft_holding_every_clause(client, business_manager, area, index):
    """Every clause read from the document becomes a clause of the draft, with its number as
    written; lines before the first heading become the draft's preamble."""
    from protocols.models import Clause
    from tests.import_support import SEEDS_ABSENT, seed_files

    seeds = seed_files()
    if not seeds:
        pytest.skip(SEEDS_ABSENT)
    client.force_login(business_manager)
    upload(client, area, seeds[index].read_bytes())
    imported = ImportedDocument.objects.get()
    parsed = imported.parsed
    response = client.post(reverse("protocols:import_review", args=[imported.pk]), {"title": parsed["title"]})
    assert response.status_code == 302, response.content.decode()[-3000:]
    version = Protocol.objects.get().versions.get()
    lead = parsed["sections"][0]
    in_preamble = 0
    if not lead["number"] and not lead["heading"]:

        def count(clauses):
            return sum(1 + count(c["children"]) for c in clauses)

        in_preamble = count(lead["clauses"])
        assert version.introduction
    saved = Clause.objects.filter(section__version=version)
    assert saved.count() == parsed["clause_count"] - in_preamble
    expected_numbers = list(_numbers(parsed, skip_lead=bool(in_preamble)))
    assert sorted(saved.exclude(number="").values_list("number", flat=True)) == sorted(expected_numbers)


def _numbers(parsed, skip_lead):
    sections = parsed["sections"][1:] if skip_lead else parsed["sections"]

    def walk(clauses):
        for clause in clauses:
            if clause["number"]:
                yield clause["number"]
            yield from walk(clause["children"])

    for section in sections:
        yield from walk(section["clauses"])


def test_version_page_links_the_original_upload(client, business_manager, board_member, outsider, area, boards):
    client.force_login(business_manager)
    upload(client, area, DOCUMENT.encode())
    imported = ImportedDocument.objects.get()
    client.post(reverse("protocols:import_review", args=[imported.pk]), {"title": "Reporting protocol"})
    version = Protocol.objects.get().versions.get()
    page = client.get(reverse("protocols:version_detail", args=[version.protocol.slug, 1])).content.decode()
    original = reverse("protocols:import_original", args=[imported.pk])
    assert original in page and imported.sha256 in page
    download = client.get(original)
    assert b"".join(download.streaming_content) == DOCUMENT.encode()
    assert 'filename="protocol.txt"' in download["Content-Disposition"]
    client.force_login(outsider)  # the draft is not theirs to read, nor its source
    assert client.get(original).status_code == 404


def test_import_a_version_replaces_the_copied_text_in_a_new_draft(client, business_manager, area, boards):
    """On a protocol with no open draft, 'Import a version' makes the next draft from the document."""
    from django.utils import timezone

    from protocols.models import ProtocolVersion

    client.force_login(business_manager)
    upload(client, area, DOCUMENT.encode())
    first = ImportedDocument.objects.get()
    client.post(reverse("protocols:import_review", args=[first.pk]), {"title": "Reporting protocol"})
    protocol = Protocol.objects.get()
    ProtocolVersion.objects.filter(protocol=protocol).update(
        status=ProtocolVersion.Status.AGREED, agreed_at=timezone.now()
    )
    no_draft = client.get(reverse("protocols:editor", args=[protocol.slug])).content.decode()
    assert reverse("protocols:import_version", args=[protocol.slug]) in no_draft
    second = DOCUMENT.replace("1.2 The boards will meet:", "1.2 The boards will meet monthly:")
    response = client.post(
        reverse("protocols:import_version", args=[protocol.slug]),
        {"area": area.pk, "file": SimpleUploadedFile("v2.txt", second.encode())},
    )
    imported = ImportedDocument.objects.get(filename="v2.txt")
    assert imported.protocol == protocol
    page = client.get(response.url).content.decode()
    assert "Save as a new draft version of Reporting protocol" in page
    client.post(response.url, {"title": "Reporting protocol", "party": [boards[1].pk]})
    draft = protocol.versions.get(number=2)
    texts = list(draft.sections.get(number="1.").clauses.values_list("text", flat=True))
    assert "<p>The boards will meet monthly:</p>" in texts and "<p>The boards will meet:</p>" not in texts
    assert draft.sections.count() == 2  # the copy's sections were replaced, not added to
    assert boards[1].pk in set(draft.parties.values_list("board_id", flat=True))
    # A second import while that draft is open is refused with the reason.
    upload_again = client.post(
        reverse("protocols:import_version", args=[protocol.slug]),
        {"area": area.pk, "file": SimpleUploadedFile("v3.txt", second.encode())},
    )
    refused = client.post(upload_again.url, {"title": "Reporting protocol"}).content.decode()
    assert "already has an open draft" in refused


def test_20_mb_upload_is_refused_before_it_is_read_and_leaves_nothing(client, business_manager, area, media):
    """The request limit (a little over the 10 MB file limit) answers 413 before the file is read."""
    client.force_login(business_manager)
    response = upload(client, area, b"x" * (20 * 1024 * 1024), name="protocol.docx")
    assert response.status_code == 413
    assert not ImportedDocument.objects.exists()
    assert not any(media.rglob("*.*"))


def _wait_for_reading(client, url, seconds=60):
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        response = client.get(url)
        page = response.content.decode() if response.status_code == 200 else ""
        if response.status_code != 200 or "Reading the document" not in page:
            return response
        time.sleep(0.1)
    raise AssertionError("the reading did not finish")


def test_a_long_pdf_is_read_in_the_background_with_its_progress_shown(client, business_manager, area, settings):
    """Above IMPORT_BACKGROUND_PAGES pages the upload answers at once with a page that refreshes and
    says how many pages are read; nothing is kept until the reading is done, then the review follows."""
    from weasyprint import HTML

    settings.IMPORT_BACKGROUND_PAGES = 2
    body = "".join(
        f"<h2>{n}. Part {n}</h2><p>{n}.1 The board will meet.</p><p style='break-after: page'>{n}.2 It reports.</p>"
        for n in range(1, 4)
    )
    data = HTML(string=f"<h1>Long protocol</h1>{body}").write_pdf()
    client.force_login(business_manager)
    response = upload(client, area, data, name="long.pdf")
    assert response.status_code == 302 and "/editor/import/reading/" in response.url
    reading = response.url
    done = _wait_for_reading(client, reading)
    imported = ImportedDocument.objects.get()
    assert done.status_code == 302 and done.url == reverse("protocols:import_review", args=[imported.pk])
    assert imported.sha256 == hashlib.sha256(data).hexdigest() and imported.format == "pdf"
    assert [s["number"] for s in imported.parsed["sections"]] == ["1.", "2.", "3."]
    assert client.get(reading).status_code == 404  # the reading is over; its page is gone


def test_the_reading_page_shows_pages_read_and_refreshes(client, business_manager, outsider):
    import time

    from django.core.cache import cache

    state = {
        "user": business_manager.pk,
        "area": 1,
        "protocol": None,
        "filename": "long.pdf",
        "state": "reading",
        "read": 12,
        "pages": 60,
        "updated": time.time(),
    }
    cache.set("import-reading:abc", state)
    client.force_login(business_manager)
    page = client.get(reverse("protocols:import_reading", args=["abc"])).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert "read 12 of 60 pages" in page and '<progress class="import-progress" max="60" value="12"' in page
    cache.set("import-reading:abc", {**state, "updated": time.time() - 600})
    stalled = client.get(reverse("protocols:import_reading", args=["abc"])).content.decode()
    assert "The reading stopped" in stalled and "http-equiv" not in stalled
    client.force_login(outsider)
    assert client.get(reverse("protocols:import_reading", args=["abc"])).status_code == 404


def test_a_long_pdf_refused_in_the_background_says_why_and_keeps_nothing(
    client, business_manager, area, settings, media
):
    import io

    from pypdf import PdfWriter

    settings.IMPORT_BACKGROUND_PAGES = 2
    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    client.force_login(business_manager)
    response = upload(client, area, out.getvalue(), name="scan.pdf")
    refused = _wait_for_reading(client, response.url)
    assert refused.status_code == 200
    assert "holds no text, only images (a scan)" in refused.content.decode()
    assert not ImportedDocument.objects.exists() and not any(media.rglob("*.*"))


def test_the_upload_page_offers_a_file_and_only_the_areas_the_manager_keeps(client, business_manager, area, other_area):
    client.force_login(business_manager)
    response = client.get(reverse("protocols:import_upload"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'type="file"' in page and 'enctype="multipart/form-data"' in page
    assert area.name in page and other_area.name not in page


def test_the_upload_page_is_refused_to_a_board_member(client, board_member):
    client.force_login(board_member)
    assert client.get(reverse("protocols:import_upload")).status_code == 403
