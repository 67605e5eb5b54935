"""Checking an uploaded PDF: is it a protocol version the registry sealed, and is it unaltered?

The answer is one of a few plain verdicts, each with a sentence for people. The order of the
checks matters: a file that is not a PDF, or was cut short, is said to be so before anything
tries to read a signature from it.
"""

import io
import logging
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.translation import gettext as _

from .models import AgreedRecord, ProtocolVersion
from .pdf import META_FINGERPRINT, META_PROTOCOL, META_VERSION

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Checking is CPU work for one worker: a client gets this many checks in the window, then waits.
CHECKS_PER_WINDOW = 10
WINDOW_SECONDS = 10 * 60
# A PDF crafted to be slow to parse is given up on after this long.
TIME_LIMIT_SECONDS = 10


class Verdict:
    VALID = "valid"
    TAMPERED = "tampered"
    TRUNCATED = "truncated"
    UNSIGNED = "unsigned"
    NOT_PDF = "not_pdf"
    TOO_LARGE = "too_large"
    TOO_SLOW = "too_slow"
    OTHER_SIGNER = "other_signer"
    UNKNOWN_VERSION = "unknown_version"


# How loudly each verdict is said. A file that was altered, or that claims to be a version the registry
# never sealed, is a danger to whoever relies on it; a file with no seal is only unproven; a file that
# could not be checked at all says nothing about the protocol.
DANGER = {Verdict.TAMPERED, Verdict.OTHER_SIGNER, Verdict.UNKNOWN_VERSION}
UNPROVEN = {Verdict.UNSIGNED}


@dataclass
class Result:
    verdict: str
    headline: str
    detail: str = ""
    version: ProtocolVersion | None = None
    current: ProtocolVersion | None = None  # the version in force, when `version` has been replaced
    signatures: list = field(default_factory=list)  # how each party approved (frozen.signatures_evidence)

    @property
    def ok(self):
        return self.verdict == Verdict.VALID

    @property
    def severity(self):
        """'valid', 'replaced' (genuine but no longer in force), 'danger', 'unproven' or 'unchecked'."""
        if self.ok:
            return "replaced" if self.version is not None and self.version.is_superseded else "valid"
        if self.verdict in DANGER:
            return "danger"
        return "unproven" if self.verdict in UNPROVEN else "unchecked"


def too_large():
    return Result(
        Verdict.TOO_LARGE,
        _("The file is too large to check"),
        _("Upload a PDF of %(mb)d MB or less. The registry's PDFs are far smaller than that.")
        % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
    )


def allow_check(client):
    """Count one check for this client (an address); False once it has used up the window's checks.

    A counter in the cache (shared by the web instances when the cache is)."""
    key = f"verify-checks:{client}"
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        used = 1
    return used <= CHECKS_PER_WINDOW


def too_many():
    return Result(
        Verdict.TOO_LARGE,
        _("Too many files checked from your connection"),
        _("You can check %(count)d files every %(minutes)d minutes. Try again later.")
        % {"count": CHECKS_PER_WINDOW, "minutes": WINDOW_SECONDS // 60},
    )


class _OutOfTime(BaseException):
    """Raised by the timer inside parsing; a BaseException so that no `except Exception` swallows it."""


@contextmanager
def _time_limit(seconds):
    """Interrupt the block after `seconds` (a timer signal: only in the main thread, as under gunicorn's sync workers)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum, frame):
        raise _OutOfTime

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def verify_pdf(data):
    """The verdict on an uploaded file, given up (as too complex) after TIME_LIMIT_SECONDS."""
    try:
        with _time_limit(TIME_LIMIT_SECONDS):
            return _verify(data)
    except _OutOfTime:
        logger.info("Verification of an uploaded PDF ran out of time")
        return Result(
            Verdict.TOO_SLOW,
            _("The file is too complex to check"),
            _(
                "Reading it took too long. The registry's own PDFs are checked in a moment: upload the PDF you downloaded."
            ),
        )


def _claimed_version(data):
    """The protocol slug, version number and fingerprint the PDF's document information states, if any."""
    from pypdf import PdfReader

    info = PdfReader(io.BytesIO(data), strict=False).metadata or {}
    values = {}
    for key in (META_FINGERPRINT, META_PROTOCOL, META_VERSION):
        value = info.get(f"/{key}")
        values[key] = str(value) if value is not None else ""
    return values


def _looks_truncated(data):
    # A complete PDF (and every incremental update, such as the seal) ends with %%EOF.
    return b"%%EOF" not in data[-1024:]


def _verify(data):
    from .signing import check_seal

    if not data.startswith(b"%PDF-"):
        return Result(
            Verdict.NOT_PDF,
            _("This is not a PDF file"),
            _("Only PDF files that the registry issued can be checked. Choose the PDF you downloaded."),
        )
    if _looks_truncated(data):
        return Result(
            Verdict.TRUNCATED,
            _("The file is incomplete"),
            _("The PDF has been cut short, for example by an interrupted download or copy. Download it again."),
        )
    try:
        seal = check_seal(data)
    except Exception:  # a PDF too broken to read: pyHanko and pypdf raise many kinds
        logger.info("Unreadable PDF uploaded for verification", exc_info=True)
        return Result(
            Verdict.TAMPERED,
            _("The file is damaged and cannot be trusted"),
            _("The PDF's structure is broken, so its seal cannot be checked. It may have been altered."),
        )
    if not seal.signed:
        return Result(
            Verdict.UNSIGNED,
            _("The file carries no seal"),
            _(
                "It was not issued sealed by the registry: drafts are never sealed, and a printed-and-scanned "
                "or re-saved copy loses the seal. Download the agreed version from the registry."
            ),
        )
    if not seal.intact:
        return Result(
            Verdict.TAMPERED,
            _("The file has been altered since the registry sealed it"),
            _("The seal no longer matches the document's contents. Do not rely on this copy."),
        )
    if not seal.by_registry:
        return Result(
            Verdict.OTHER_SIGNER,
            _("The file was sealed by someone else"),
            _("It is signed by %(name)s, not by this registry's certificate.") % {"name": seal.signer_name or "?"},
        )
    if not seal.whole_file:
        return Result(
            Verdict.TAMPERED,
            _("The file has been changed after it was sealed"),
            _("Content was added to the PDF after the registry's seal, so the seal does not cover all of it."),
        )
    if not seal.valid:
        return Result(
            Verdict.TAMPERED,
            _("The seal is not valid"),
            seal.problem or _("The signature could not be validated against the registry's certificate."),
        )
    claimed = _claimed_version(data)
    # Matched against the record of what was agreed, as it was sealed: a board or protocol renamed since
    # changes neither the fingerprint nor the slug and number the file was issued under.
    record = (
        AgreedRecord.objects.select_related("version__protocol")
        .filter(fingerprint=claimed[META_FINGERPRINT])
        .filter(document__protocol__slug=claimed[META_PROTOCOL], document__version__number=_int(claimed[META_VERSION]))
        .first()
    )
    if record is None:
        record = _record_written_now(claimed[META_PROTOCOL], _int(claimed[META_VERSION]), claimed[META_FINGERPRINT])
    version = record.version if record is not None else None
    if version is None or not version.is_sealed:
        return Result(
            Verdict.UNKNOWN_VERSION,
            _("The seal is intact, but the registry holds no matching version"),
            _("The fingerprint in the file does not match any agreed version the registry holds now."),
        )
    headline = _("This is version %(number)d of %(title)s, %(agreed)s, unaltered") % {
        "number": version.number,
        "title": version.title,
        "agreed": version.agreed_phrase,
    }
    detail, current = "", None
    if version.is_superseded:
        current = ProtocolVersion.objects.filter(protocol=version.protocol_id).agreed().order_by("-number").first()
        detail = _("A later version has replaced it: it is kept as the record of what was agreed then.")
    from .frozen import signatures_evidence

    signatures = signatures_evidence(record.document)
    return Result(Verdict.VALID, headline, detail, version=version, current=current, signatures=signatures)


def _record_written_now(slug, number, fingerprint):
    """A version entered row by row (demo data) gets its record of what was agreed on first use; match that."""
    from .frozen import freeze

    version = (
        ProtocolVersion.objects.sealed()
        .filter(protocol__slug=slug, number=number, agreed_record__isnull=True)
        .select_related("protocol")
        .first()
    )
    if version is None:
        return None
    record = freeze(version)
    return record if record.fingerprint == fingerprint else None


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
