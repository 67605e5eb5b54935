"""Backup and restore carry the database, the media and the seal's key; a lost PDF file is drawn again; a PDF
sealed with a key rotated out still verifies while its certificate is kept."""

import io
import tarfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from PIL import Image

from core.writes import unlocked
from protocols import pdf, signing, verification
from protocols.backup import database_is_empty
from protocols.models import AgreedRecord, Approval, RenderedDocument
from tests.pdf_fixtures import build_protocol

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIGNING_KEY_FILE = settings.SIGNING_CERT_FILE = ""
    settings.SIGNING_PREVIOUS_CERT_FILES = []
    yield
    signing.forget_loaded_keys()


def verdict(client, data):
    upload = SimpleUploadedFile("protocol.pdf", data, "application/pdf")
    return client.post(reverse("protocols:verify"), {"document": upload}).context["result"].verdict


def signature_png():
    out = io.BytesIO()
    Image.new("RGB", (60, 20), "navy").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def agreed(area):
    """Two agreed protocols, the first signed with an uploaded image."""
    first = build_protocol(area=area)
    second = build_protocol(area=area, slug="second-protocol")
    image = default_storage.save("signatures/ann.png", ContentFile(signature_png()))
    with unlocked():
        Approval.objects.filter(party__version=first, signatory_name="Ann Example").update(
            signature_kind=Approval.SignatureKind.UPLOADED, signature_image=image
        )
    return [first, second]


@pytest.fixture
def sealed(agreed):
    """Both, each with its sealed PDF stored."""
    return {version.pk: pdf.sealed_document(version) for version in agreed}


@pytest.fixture
def one_sealed(agreed):
    """The first with its sealed PDF stored (drawing one is a second's work)."""
    return pdf.sealed_document(agreed[0])


def test_a_restore_into_an_empty_database_keeps_every_sealed_pdf_verifying(sealed, settings, tmp_path, client):
    """Back up, empty the database, restore on a machine with empty media: every sealed PDF verifies,
    the signature image and the records of what was agreed came back, and so did the seal's key."""
    issued = {pk: document.file.read() for pk, document in sealed.items()}
    out = io.StringIO()
    call_command("backup", str(tmp_path / "backups") + "/", stdout=out)
    [archive] = (tmp_path / "backups").glob("registry-backup-*.tar.gz")
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert {"manifest.json", "database.json", "signing/key.pem", "signing/cert.pem", "media/signatures/ann.png"} <= set(
        names
    )
    assert sum(name.startswith("media/documents/") for name in names) == 2

    if connection.vendor == "postgresql":  # PostgreSQL empties tables only once the test's pending checks have run
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    settings.MEDIA_ROOT = tmp_path / "elsewhere"
    assert database_is_empty() and not default_storage.exists("signatures/ann.png")

    call_command("restore", str(archive), "--check", stdout=out)
    assert "Checked 2 sealed PDFs; 0 did not verify." in out.getvalue()
    assert AgreedRecord.objects.count() == 2
    assert default_storage.open("signatures/ann.png").read() == signature_png()
    documents = RenderedDocument.objects.filter(sealed=True)
    assert documents.count() == 2
    for document in documents:
        assert verdict(client, document.file.read()) == verification.Verdict.VALID
    for data in issued.values():
        assert verdict(client, data) == verification.Verdict.VALID


def test_restore_refuses_a_database_that_holds_records(agreed, tmp_path):
    call_command("backup", str(tmp_path / "backup.tar.gz"), stdout=io.StringIO())
    with pytest.raises(CommandError, match="empty database"):
        call_command("restore", str(tmp_path / "backup.tar.gz"), stdout=io.StringIO())


def test_restore_refuses_a_file_that_is_not_a_backup(db, tmp_path):
    (tmp_path / "other.tar.gz").write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("restore", str(tmp_path / "other.tar.gz"), stdout=io.StringIO())


def test_a_stored_pdf_whose_file_is_missing_is_drawn_and_sealed_again(one_sealed, client):
    """Downloading it answers a PDF, sealed again from the record of what was agreed, that verifies."""
    document = one_sealed
    version = document.version
    default_storage.delete(document.file.name)
    url = reverse("protocols:version_pdf", kwargs={"slug": version.protocol.slug, "number": version.number})
    assert client.get(url).status_code == 200  # the "preparing your PDF" page, not a server error
    response = client.get(url + "?generate=1")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    assert verdict(client, data) == verification.Verdict.VALID
    assert RenderedDocument.objects.filter(version=version).count() == 1
    assert client.get(url).status_code == 200


def test_a_pdf_sealed_before_a_key_rotation_verifies_while_its_certificate_is_kept(
    one_sealed, settings, tmp_path, client
):
    data = one_sealed.file.read()
    old_certificate = signing.key_files().cert
    settings.MEDIA_ROOT = tmp_path / "new-key"  # a new self-signed pair stands in for a new key
    assert signing.key_files().cert.read_bytes() != old_certificate.read_bytes()
    assert verdict(client, data) == verification.Verdict.OTHER_SIGNER
    settings.SIGNING_PREVIOUS_CERT_FILES = [str(old_certificate)]
    assert verdict(client, data) == verification.Verdict.VALID
