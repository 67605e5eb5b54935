"""/verify/: an uploaded PDF is matched to the version the registry sealed, or told plainly why not.

One sealed PDF is rendered for the module (inside a rolled-back transaction); each test rebuilds
the same protocol (same slug, keys and words, new database ids), so the fingerprint matches.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from core.writes import unlocked
from protocols import pdf, signing, verification
from protocols.models import ProtocolVersion
from tests.pdf_fixtures import build_protocol


@pytest.fixture(scope="module")
def media_root(tmp_path_factory):
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(scope="module")
def sealed_pdf(django_db_setup, django_db_blocker, media_root):
    with django_db_blocker.unblock(), transaction.atomic():
        version = build_protocol()
        data = signing.seal_pdf(pdf.render_version_pdf(version, certificate=True).data)
        transaction.set_rollback(True)
    return data


@pytest.fixture
def agreed(db, media_root):
    return build_protocol()


def upload(client, data, name="protocol.pdf"):
    return client.post(reverse("protocols:verify"), {"document": SimpleUploadedFile(name, data, "application/pdf")})


def test_genuine_pdf_names_its_version(client, agreed, sealed_pdf):
    """The sealed PDF of an agreed version is reported as that version, with its agreed date, unaltered."""
    response = upload(client, sealed_pdf)
    assert response.status_code == 200
    result = response.context["result"]
    assert result.verdict == verification.Verdict.VALID
    assert result.version == agreed
    assert result.headline == f"This is version 2 of {agreed.title}, agreed in June 2015, unaltered"
    assert "unaltered" in response.content.decode()


def test_one_changed_byte_is_reported_as_tampered(client, agreed, sealed_pdf):
    """Changing one byte inside the sealed range makes the page say the file was altered."""
    data = bytearray(sealed_pdf)
    position = data.index(b"Joint working protocol")
    data[position] = ord("X")
    result = upload(client, bytes(data)).context["result"]
    assert result.verdict == verification.Verdict.TAMPERED
    assert "altered" in result.headline


def test_truncated_pdf_is_reported_as_incomplete(client, agreed, sealed_pdf):
    """A file cut short says so, rather than a generic failure."""
    result = upload(client, sealed_pdf[: len(sealed_pdf) // 2]).context["result"]
    assert result.verdict == verification.Verdict.TRUNCATED


def test_unsigned_pdf_is_reported_as_unsigned(client, agreed, sealed_pdf):
    """A PDF without a seal (such as a draft's) is reported as carrying no seal."""
    unsigned = pdf.render_version_pdf(agreed).data
    result = upload(client, unsigned).context["result"]
    assert result.verdict == verification.Verdict.UNSIGNED


def test_not_a_pdf(client, db):
    """Any other file gets a plain 'not a PDF'."""
    result = upload(client, b"GIF89a not a pdf", name="picture.gif").context["result"]
    assert result.verdict == verification.Verdict.NOT_PDF


def test_too_large_is_refused_before_reading(client, db, monkeypatch):
    """Uploads over the limit are refused with 413 and a clear reason."""
    monkeypatch.setattr(verification, "MAX_UPLOAD_BYTES", 1024)
    response = upload(client, b"%PDF-" + b"0" * 200_000)
    assert response.status_code == 413
    assert response.context["result"].verdict == verification.Verdict.TOO_LARGE


def test_missing_file_shows_an_error(client, db):
    """Submitting without a file shows the form with an error message."""
    response = client.post(reverse("protocols:verify"), {})
    assert response.status_code == 400
    assert "Select a PDF file to check" in response.content.decode()


def test_sealed_by_another_certificate(client, agreed, sealed_pdf, tmp_path):
    """A PDF whose seal verifies but was made with another key is not accepted as the registry's."""
    with override_settings(MEDIA_ROOT=tmp_path):
        result = upload(client, sealed_pdf).context["result"]
    assert result.verdict == verification.Verdict.OTHER_SIGNER


def test_unknown_version_when_the_record_changed(client, agreed, sealed_pdf):
    """An intact seal whose fingerprint no longer matches the registry's version is not called genuine."""
    with unlocked():  # stands in for a record changed outside the registry: nothing inside may change it
        ProtocolVersion.objects.filter(pk=agreed.pk).update(title="Something else")
    result = upload(client, sealed_pdf).context["result"]
    assert result.verdict == verification.Verdict.UNKNOWN_VERSION


def test_verify_page_renders_the_form(client, db):
    """GET shows the upload form with its size limit."""
    response = client.get(reverse("protocols:verify"))
    assert response.status_code == 200
    assert f"up to {verification.MAX_UPLOAD_BYTES // (1024 * 1024)} MB" in response.content.decode()


def test_stream_is_a_pdf_reader_can_open(sealed_pdf):
    """The sealed file still opens as a PDF (pypdf) with the seal field present."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(sealed_pdf))
    fields = reader.get_fields() or {}
    assert signing.SEAL_FIELD in fields


def test_a_replaced_version_says_so_and_links_to_the_version_in_force(client, agreed, sealed_pdf):
    """A genuine PDF of a superseded version is not shown in the green of one in force: the page says it was
    replaced and links to the version in force now."""
    from tests.factories import VersionFactory

    with unlocked():  # arranges the history: version 2 was replaced by version 3
        ProtocolVersion.objects.filter(pk=agreed.pk).update(status=ProtocolVersion.Status.SUPERSEDED)
        current = VersionFactory(protocol=agreed.protocol, number=3, status=ProtocolVersion.Status.AGREED)
    response = upload(client, sealed_pdf)
    result = response.context["result"]
    html = response.content.decode()
    assert result.verdict == verification.Verdict.VALID and result.severity == "replaced"
    assert result.current == current
    assert "Genuine, but replaced" in html and "govuk-panel--confirmation" not in html
    assert "This version is no longer in force." in html
    assert f'href="{current.get_absolute_url()}"' in html


def test_an_altered_file_is_a_red_warning_and_an_unchecked_one_is_not(client, agreed, sealed_pdf):
    """Altered or unknown files get the red error style; a file that is not a PDF gets a plain notice."""
    data = bytearray(sealed_pdf)
    data[data.index(b"Joint working protocol")] = ord("X")
    html = upload(client, bytes(data)).content.decode()
    assert "registry-verdict--danger" in html and "govuk-error-summary" in html and "Do not rely on this file" in html
    html = upload(client, b"GIF89a not a pdf", name="picture.gif").content.decode()
    assert "registry-verdict--danger" not in html and "Not checked" in html
