"""The registry's seal: its key and certificate, sealing a PDF (PAdES) and checking a seal.

The key and certificate come from settings.SIGNING_KEY_FILE and SIGNING_CERT_FILE (PEM). When
those are unset, a self-signed pair is made once under MEDIA_ROOT/signing/ so the registry works
out of the box; such a seal proves the file is unaltered since this registry issued it, but no
PDF reader will trust it until the certificate is installed, so production sets real files.
"""

import asyncio
import concurrent.futures
import datetime
import hashlib
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

SEAL_FIELD = "RegistrySeal"
SELF_SIGNED_NAME = "Protocol Registry (local self-signed seal)"


def _run(coroutine):
    """Run one of pyHanko's coroutines to completion from synchronous code.

    In a web worker there is no event loop, so it runs here. Where the calling thread already
    runs a loop (Playwright's sync API in the browser tests, an ASGI server), asyncio cannot
    nest, so the coroutine gets a loop of its own in a short-lived helper thread. This is pyHanko
    only: WeasyPrint, which is not thread-safe, always renders in the caller's thread.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@dataclass(frozen=True)
class KeyFiles:
    key: Path
    cert: Path
    self_signed: bool


def key_files():
    """Where the seal's key and certificate are, making a self-signed pair the first time if none is configured."""
    if settings.SIGNING_KEY_FILE and settings.SIGNING_CERT_FILE:
        return KeyFiles(Path(settings.SIGNING_KEY_FILE), Path(settings.SIGNING_CERT_FILE), self_signed=False)
    folder = Path(settings.MEDIA_ROOT) / "signing"
    key_path, cert_path = folder / "registry-seal-key.pem", folder / "registry-seal-cert.pem"
    if not (key_path.exists() and cert_path.exists()):
        _make_self_signed(key_path, cert_path)
    return KeyFiles(key_path, cert_path, self_signed=True)


def uses_self_signed_certificate():
    return not (settings.SIGNING_KEY_FILE and settings.SIGNING_CERT_FILE)


def _make_self_signed(key_path, cert_path):
    key_path.parent.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "GB"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Protocol Registry"),
            x509.NameAttribute(NameOID.COMMON_NAME, SELF_SIGNED_NAME),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365 * 30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    # Written to temporary names then renamed, so a second process never reads half a key.
    key_tmp, cert_tmp = key_path.with_suffix(".tmp"), cert_path.with_suffix(".tmp")
    key_tmp.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    key_tmp.chmod(0o600)
    cert_tmp.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_tmp.replace(key_path)
    cert_tmp.replace(cert_path)


@lru_cache(maxsize=4)
def _signer(key_path, cert_path, passphrase):
    return signers.SimpleSigner.load(
        str(key_path), str(cert_path), key_passphrase=passphrase.encode() if passphrase else None
    )


def signer():
    files = key_files()
    return _signer(files.key, files.cert, settings.SIGNING_KEY_PASSPHRASE)


@lru_cache(maxsize=4)
def _bytes_reserved(registry_signer):
    """Room for the signature in a sealed file: pyHanko's own estimate, made once per key.

    Left to itself, pyHanko signs a dummy digest before every seal to measure the signature, about a
    third of the time sealing takes. The size depends only on the key and certificates (no timestamp
    or revocation data is embedded), so it is measured once, with pyHanko's margin of half again.
    """
    from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes

    dummy = _run(
        registry_signer.async_sign(
            hashlib.sha256().digest(),
            "sha256",
            dry_run=True,
            use_pades=True,
            signed_attr_settings=PdfCMSSignedAttributes(signing_time=datetime.datetime.now(datetime.UTC)),
        )
    )
    length = len(dummy.dump()) * 2  # written into the PDF as hexadecimal
    return length + 2 * (length // 4)


def registry_certificate():
    """The seal's current certificate (asn1crypto), the one new PDFs are sealed with."""
    return signer().signing_cert


@lru_cache(maxsize=4)
def _load_certificates(paths):
    from pyhanko.keys import load_cert_from_pemder

    return tuple(load_cert_from_pemder(path) for path in paths)


def accepted_certificates():
    """Every certificate /verify/ accepts: the current one, then those of keys rotated out
    (settings.SIGNING_PREVIOUS_CERT_FILES), so PDFs sealed before a rotation keep verifying."""
    return (registry_certificate(), *_load_certificates(tuple(settings.SIGNING_PREVIOUS_CERT_FILES)))


def seal_pdf(data):
    """Return the PDF with an invisible PAdES (B-B) signature by the registry appended as an incremental update.

    Invisible, so nothing is drawn and the PDF/A conformance of the rendered file holds.
    """
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason="Sealed by the Protocol Registry as the agreed text",
        location="Protocol Registry",
    )
    registry_signer = signer()
    pdf_signer = signers.PdfSigner(meta, signer=registry_signer, new_field_spec=fields.SigFieldSpec(SEAL_FIELD))
    out = io.BytesIO()
    _run(pdf_signer.async_sign_pdf(writer, bytes_reserved=_bytes_reserved(registry_signer), output=out))
    return out.getvalue()


@dataclass
class SealCheck:
    signed: bool = False
    intact: bool = False
    valid: bool = False
    whole_file: bool = False
    by_registry: bool = False
    signer_name: str = ""
    signed_at: datetime.datetime | None = None
    problem: str = ""

    @property
    def ok(self):
        return self.signed and self.intact and self.valid and self.whole_file and self.by_registry


def check_seal(data):
    """Validate the last signature in a PDF against the registry's certificate. Raises nothing for bad PDFs' seals."""
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    signatures = reader.embedded_signatures
    if not signatures:
        return SealCheck()
    embedded = signatures[-1]
    ours = accepted_certificates()
    context = ValidationContext(trust_roots=list(ours), allow_fetching=False)
    result = SealCheck(signed=True)
    try:
        status = _run(async_validate_pdf_signature(embedded, signer_validation_context=context, skip_diff=True))
    except Exception as error:  # pyHanko raises many kinds for broken signatures; each means "not valid"
        result.problem = str(error) or error.__class__.__name__
        return result
    cert = status.signing_cert
    result.intact = bool(status.intact)
    result.valid = bool(status.valid and status.trusted)
    result.whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    result.by_registry = (
        cert is not None
        and isinstance(cert, asn1_x509.Certificate)
        and cert.dump() in {accepted.dump() for accepted in ours}
    )
    result.signer_name = cert.subject.human_friendly if cert is not None else ""
    result.signed_at = status.signer_reported_dt
    return result


def forget_loaded_keys():
    """Read the key and certificates from their files again (after a restore wrote them)."""
    _signer.cache_clear()
    _bytes_reserved.cache_clear()
    _load_certificates.cache_clear()
