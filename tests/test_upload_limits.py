"""Upload and text limits: signature images are refused by size and pixel count before decoding,
/verify/ is size-limited, rate-limited per client and bounded in time, and free text is bounded in
every form and API body."""

import struct
import time
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from protocols import verification
from protocols.models import Approval, ProtocolVersion
from tests.api_support import client_for
from tests.factories import ClauseFactory, PartyFactory, ProtocolFactory, SectionFactory, VersionFactory

Status = ProtocolVersion.Status


def png_header_only(width, height):
    """A PNG that states its size honestly but holds one row of pixels: cheap to make, costly to decode."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def awaiting(area):
    version = VersionFactory(protocol=ProtocolFactory(area=area, slug="to-sign"), status=Status.AWAITING_APPROVAL)
    return PartyFactory(version=version)


def post_signature(client, party, image):
    url = reverse("protocols:approval_add", kwargs={"slug": "to-sign", "party_id": party.pk})
    return client.post(
        url,
        {
            "day": "1",
            "month": "6",
            "year": "2020",
            "signatory_name": "A. Chair",
            "signatory_post_title": "Chair",
            "signature_kind": "uploaded",
            "signature_image": SimpleUploadedFile("signature.png", image, "image/png"),
        },
    )


@pytest.mark.parametrize("side", [12000, 30000])
def test_a_huge_signature_image_is_a_form_error_not_a_crash(client, awaiting, business_manager, side):
    """A 12000×12000 PNG (a decompression-bomb warning) and a 30000×30000 one (Pillow's error) are both refused."""
    client.force_login(business_manager)
    started = time.perf_counter()
    response = post_signature(client, awaiting, png_header_only(side, side))
    assert time.perf_counter() - started < 5
    assert response.status_code == 200
    assert "The signature image must be at most 4,000,000 pixels" in response.content.decode()
    assert not Approval.objects.exists()


def test_a_signature_of_ordinary_size_is_accepted(client, awaiting, business_manager):
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (600, 200), "white").save(buffer, "PNG")
    client.force_login(business_manager)
    response = post_signature(client, awaiting, buffer.getvalue())
    assert response.status_code == 302
    assert Approval.objects.get().signature_image


def upload(client, data=b"%PDF-1.7\n...%%EOF", **extra):
    return client.post(
        reverse("protocols:verify"), {"document": SimpleUploadedFile("x.pdf", data, "application/pdf")}, **extra
    )


def test_verify_is_rate_limited_per_client(client, db):
    for _ in range(verification.CHECKS_PER_WINDOW):
        assert upload(client).status_code == 200
    refused = upload(client)
    assert refused.status_code == 429
    assert "Too many files checked from your connection" in refused.content.decode()
    assert upload(client, REMOTE_ADDR="192.0.2.7").status_code == 200  # another client is not held up


def test_a_body_larger_than_any_upload_is_refused_before_it_is_read(client, db):
    """The size is refused from Content-Length, before the CSRF check or the view reads the body."""
    response = client.generic(
        "POST",
        reverse("protocols:verify"),
        b"x",
        CONTENT_TYPE="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(20 * 1024 * 1024),
    )
    assert response.status_code == 413


def test_checking_a_pdf_that_takes_too_long_is_given_up(client, db, monkeypatch):
    def slow(data):
        time.sleep(5)

    monkeypatch.setattr(verification, "TIME_LIMIT_SECONDS", 0.2)
    monkeypatch.setattr("protocols.signing.check_seal", slow)
    started = time.perf_counter()
    result = verification.verify_pdf(b"%PDF-1.7\n%%EOF")
    assert time.perf_counter() - started < 2
    assert result.verdict == verification.Verdict.TOO_SLOW


@pytest.fixture
def draft_clause(area):
    version = VersionFactory(protocol=ProtocolFactory(area=area, slug="long"), status=Status.DRAFT)
    return ClauseFactory(section=SectionFactory(version=version))


def test_an_oversized_clause_is_refused_in_the_editor(client, draft_clause, business_manager):
    client.force_login(business_manager)
    url = reverse("protocols:clause_edit", kwargs={"slug": "long", "key": draft_clause.key})
    prefix = f"c-{draft_clause.key}"
    response = client.post(
        url, {f"{prefix}-text": "x" * (4 * 1024 * 1024 + 512 * 1024), f"{prefix}-revision": draft_clause.revision}
    )
    assert response.status_code in (200, 400)
    assert "has at most 20000 characters" in response.content.decode()
    draft_clause.refresh_from_db()
    assert len(draft_clause.text) < 1000


def test_an_oversized_field_is_refused_by_the_api(draft_clause, business_manager):
    client = client_for(business_manager)
    url = f"/api/clauses/{draft_clause.pk}/"
    etag = client.get(url)["ETag"]
    response = client.patch(url, {"text": "x" * 20_001}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"text": ["Ensure this field has no more than 20,000 characters."]}
    draft_clause.refresh_from_db()
    assert len(draft_clause.text) < 1000
