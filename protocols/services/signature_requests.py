"""Personal signing links: the business manager sends one to each signatory of a party, who signs or
declines without an account.

The link is the identity, confirmed by a six-digit code emailed to the same address before signing.
Signing records the signatory's approval through `approval_record`, the one way approvals are
written, so the version is agreed by the same rule as when the business manager records them.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.exceptions import RegistryError
from core.writes import record_create, record_update

from ..changes import content_mark
from ..models import Approval, Party, ProtocolVersion, SignatureRequest
from ._helpers import _locked_copy
from .approvals import approval_record

TOKEN_BYTES = 32
MAX_CODES_PER_LINK = 5


class SigningLinkRefused(RegistryError):
    """A signing link that cannot be used, with the reason the signatory is shown."""

    def __init__(self, kind: str, message: str, signature_request: SignatureRequest | None = None):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.signature_request = signature_request


@dataclass(frozen=True)
class Client:
    """Where a signing link was used from; only a hash of it is kept."""

    address: str = ""
    user_agent: str = ""

    def fingerprint(self) -> str:
        return hashlib.sha256(f"{self.address}\n{self.user_agent}".encode()).hexdigest()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _hash_code(signature_request: SignatureRequest, code: str) -> str:
    message = f"signing-code:{signature_request.pk}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def text_fingerprint(version: ProtocolVersion) -> str:
    """SHA-256 of what a signatory reads of `version` now (protocols.frozen.text_fingerprint_of)."""
    from ..frozen import build_document, text_fingerprint_of

    return text_fingerprint_of(build_document(version))


# Sending ----------------------------------------------------------------------------------------------------


def _link_errors(version, party, name, email):
    errors = {}
    if not version.is_awaiting_approval:
        errors["__all__"] = "Send the draft for approval before sending signing links"
    elif party.recorded_from_paper:
        errors["__all__"] = f"{party.board.name}'s approval is recorded from a paper copy"
    if not (name or "").strip():
        errors["signatory_name"] = "Enter the signatory's name"
    try:
        validate_email((email or "").strip())
    except ValidationError:
        errors["signatory_email"] = "Enter an email address in the correct format, like name@example.org"
    return errors


def signature_request_send(
    *,
    user,
    party: Party,
    signatory_name: str,
    signatory_email: str,
    capacity: str = "",
    signatory_post_title: str = "",
    site: str = "",
    replaces: SignatureRequest | None = None,
) -> SignatureRequest:
    """Make a personal signing link for one signatory of `party` and email it to them.

    `site` is the registry's address the link starts with. `replaces` is an earlier link for the same
    party that this one takes the place of (a resend, or another signer): it stops working.
    """
    with transaction.atomic():
        version = _locked_copy(ProtocolVersion, party.version_id)
        party = Party.objects.select_related("board").get(pk=party.pk)
        errors = _link_errors(version, party, signatory_name, signatory_email)
        if errors:
            raise ValidationError(errors)
        if replaces is not None:
            signature_request_cancel(user=user, signature_request=replaces)
        token = secrets.token_urlsafe(TOKEN_BYTES)
        now = timezone.now()
        signature_request = SignatureRequest(
            version=version,
            party=party,
            signatory_name=signatory_name.strip(),
            signatory_email=signatory_email.strip(),
            capacity=(capacity or "").strip(),
            signatory_post_title=(signatory_post_title or "").strip(),
            token_hash=hash_token(token),
            created_by=user if user is not None and user.is_authenticated else None,
            sent_at=now,
            expires_at=now + timezone.timedelta(days=settings.SIGNING_LINK_DAYS),
        )
        record_create(
            user=user,
            obj=signature_request,
            validate=False,
            audit_fields=("signatory_name", "signatory_email", "capacity", "expires_at"),
            message=f"Signing link sent to {signature_request.signatory_name} for {party.board.name}"[:300],
        )
    _email_link(signature_request, version, token, site)
    return signature_request


def signing_path(token: str) -> str:
    return reverse("protocols:signing_link", kwargs={"token": token})


def _email_link(signature_request, version, token, site, reminder=False):
    protocol = version.protocol
    expires = timezone.localtime(signature_request.expires_at).strftime("%-d %B %Y")
    opening = "A reminder: you are" if reminder else "You are"
    body = (
        f"Dear {signature_request.signatory_name},\n\n"
        f"{opening} asked to sign version {version.number} of “{protocol.title}” for "
        f"{signature_request.party.board.name}"
        + (f" as {signature_request.capacity}" if signature_request.capacity else "")
        + ".\n\n"
        "Open this personal link to read the version and what changed, then sign or decline:\n"
        f"{site}{signing_path(token)}\n\n"
        f"Before you sign, the registry emails a code to this address to confirm it is you. "
        f"The link works once and until {expires}. Do not forward it: anyone with it can ask for the code "
        "to be sent to you.\n"
    )
    subject = f"Please sign: {protocol.title}, version {version.number}"
    send_mail(subject[:200], body, None, [signature_request.signatory_email])


@transaction.atomic
def signature_request_cancel(*, user, signature_request: SignatureRequest) -> SignatureRequest:
    """Stop a link working (the signer changed, or it is sent again). A signed or declined one stays as it
    is, unless its signature is void (the version changed since): then it is marked as replaced."""
    current = SignatureRequest.objects.select_for_update().get(pk=signature_request.pk)
    if current.cancelled_at is not None or (current.used_at is not None and not current.is_void):
        return current
    return record_update(
        user=user,
        obj=current,
        fields={"cancelled_at": timezone.now()},
        validate=False,
        message=f"Signing link for {current.signatory_name} withdrawn"[:300],
    )


def signature_request_resend(*, user, signature_request: SignatureRequest, site: str = "", **changes):
    """Send a new link to the same signatory, or to another one given in `changes`; the old link stops working."""
    details = {
        "signatory_name": signature_request.signatory_name,
        "signatory_email": signature_request.signatory_email,
        "capacity": signature_request.capacity,
        "signatory_post_title": signature_request.signatory_post_title,
    }
    details.update({key: value for key, value in changes.items() if value is not None})
    return signature_request_send(
        user=user, party=signature_request.party, site=site, replaces=signature_request, **details
    )


# Opening a link -----------------------------------------------------------------------------------------------


def signing_link_open(token: str, *, lock: bool = False) -> SignatureRequest:
    """The signature request a token opens, or SigningLinkRefused saying why it cannot be used."""
    if not token or len(token) > 100:
        raise SigningLinkRefused("unknown", "This signing link is not valid.")
    queryset = SignatureRequest.objects.select_related("party__board", "version__protocol")
    if lock:
        queryset = SignatureRequest.objects.select_for_update().order_by()
    found = queryset.filter(token_hash=hash_token(token)).first()
    if found is None:
        raise SigningLinkRefused(
            "unknown",
            "This signing link is not valid. Check that the whole link from the email was copied; "
            "if it was, ask the business manager for a new one.",
        )
    if lock:
        found = SignatureRequest.objects.select_related("party__board", "version__protocol").get(pk=found.pk)
    if found.approval_id is not None:
        raise SigningLinkRefused("used", "This signing link has already been used to sign. It works once.", found)
    if found.declined_at is not None:
        raise SigningLinkRefused("used", "This signing link has already been used to decline. It works once.", found)
    if found.cancelled_at is not None:
        raise SigningLinkRefused(
            "cancelled", "This signing link was withdrawn by the business manager, who may have sent a new one.", found
        )
    if found.is_expired():
        raise SigningLinkRefused(
            "expired", "This signing link has expired. Ask the business manager to send a new one.", found
        )
    if not found.version.is_awaiting_approval:
        raise SigningLinkRefused(
            "closed",
            f"Version {found.version.number} is no longer waiting for signatures, so there is nothing to sign.",
            found,
        )
    party = Party.objects.prefetch_related("approvals").get(pk=found.party_id)
    if party.approval_complete:
        raise SigningLinkRefused(
            "closed",
            f"{found.party.board.name}'s approval of version {found.version.number} is already complete, "
            "so there is nothing left to sign with this link.",
            found,
        )
    return found


# The emailed code ---------------------------------------------------------------------------------------------


def signing_code_send(*, token: str) -> SignatureRequest:
    """Email a new six-digit code to the signatory; the previous code stops working."""
    with transaction.atomic():
        signature_request = signing_link_open(token, lock=True)
        if signature_request.codes_sent >= MAX_CODES_PER_LINK:
            raise ValidationError(
                {"code": "Too many codes were sent for this link. Ask the business manager to send a new link."}
            )
        code = f"{secrets.randbelow(10**6):06d}"
        signature_request = record_update(
            user=None,
            obj=signature_request,
            fields={
                "code_hash": _hash_code(signature_request, code),
                "code_sent_at": timezone.now(),
                "code_attempts": 0,
                "codes_sent": signature_request.codes_sent + 1,
            },
            validate=False,
            audited=False,
        )
    minutes = settings.SIGNING_CODE_MINUTES
    send_mail(
        f"Your code to sign {signature_request.version.protocol.title}"[:200],
        f"Your code is {code}\n\nEnter it on the signing page within {minutes} minutes. "
        "If you did not ask for it, ignore this email: no one can sign without the code.\n",
        None,
        [signature_request.signatory_email],
    )
    return signature_request


def signing_code_confirm(*, token: str, code: str) -> SignatureRequest:
    """Check the code the signatory typed; a wrong one counts against the attempts the code allows."""
    with transaction.atomic():
        signature_request = signing_link_open(token, lock=True)
        code = "".join((code or "").split())
        if not signature_request.code_hash:
            raise ValidationError({"code": "Ask for a code first"})
        expired = timezone.now() > signature_request.code_sent_at + timezone.timedelta(
            minutes=settings.SIGNING_CODE_MINUTES
        )
        if expired:
            raise ValidationError({"code": "The code has expired. Send a new code"})
        if signature_request.code_attempts >= settings.SIGNING_CODE_ATTEMPTS:
            raise ValidationError({"code": "Too many wrong codes. Send a new code"})
        if not (len(code) == 6 and code.isdigit()):
            error = "Enter the 6-digit code from the email"
        elif not hmac.compare_digest(_hash_code(signature_request, code), signature_request.code_hash):
            error = "The code is not right. Check the latest email and try again"
        else:
            return record_update(
                user=None,
                obj=signature_request,
                fields={"code_confirmed_at": timezone.now(), "code_hash": ""},
                validate=False,
                message=f"{signature_request.signatory_name} confirmed the code sent to their email"[:300],
            )
        record_update(
            user=None,
            obj=signature_request,
            fields={"code_attempts": signature_request.code_attempts + 1},
            validate=False,
            audited=False,
        )
    left = settings.SIGNING_CODE_ATTEMPTS - signature_request.code_attempts - 1
    raise ValidationError({"code": f"{error}. Attempts left for this code: {max(left, 0)}"})


# Signing and declining --------------------------------------------------------------------------------------


def _confirmed_and_current(signature_request, seen_mark):
    if signature_request.code_confirmed_at is None:
        raise ValidationError({"code": "Confirm the code sent to your email before signing"})
    if seen_mark is not None and seen_mark != content_mark(signature_request.version):
        raise ValidationError(
            {
                "__all__": f"Version {signature_request.version.number} changed while this page was open. "
                "Read it and the changes again, then sign."
            }
        )


@transaction.atomic
def signing_sign(
    *,
    token: str,
    signature_kind: str,
    signature_text: str = "",
    signature_image=None,
    seen_mark: int | None,
    client: Client,
) -> SignatureRequest:
    """Sign through the link: the approval is recorded for the party by `approval_record`, and this link
    keeps the evidence (code confirmed, the fingerprint of the text seen, a hash of address and browser)."""
    signature_request = signing_link_open(token, lock=True)
    _confirmed_and_current(signature_request, seen_mark)
    if signature_kind not in (Approval.SignatureKind.TYPED, Approval.SignatureKind.DRAWN):
        raise ValidationError({"signature_kind": "Choose how you sign: type your name or draw your signature"})
    signature_request = record_update(
        user=None,
        obj=signature_request,
        fields={
            "used_at": timezone.now(),
            "seen_fingerprint": text_fingerprint(signature_request.version),
            "client_hash": client.fingerprint(),
        },
        validate=False,
        audited=False,
    )
    # The approval links this request before the version may be agreed, so the record of what was agreed
    # holds the last signatory's evidence too.
    approval = approval_record(
        user=None,
        party=signature_request.party,
        approved_on=timezone.localdate(),
        signatory_name=signature_request.signatory_name,
        signatory_post_title=signature_request.signatory_post_title,
        capacity=signature_request.capacity,
        signature_kind=signature_kind,
        signature_text=signature_text,
        signature_image=signature_image,
        signature_request=signature_request,
    )
    return SignatureRequest.objects.select_related("approval").get(pk=approval.signature_request.pk)


@transaction.atomic
def signing_decline(*, token: str, reason: str, client: Client) -> SignatureRequest:
    """Decline through the link, with a reason the business manager reads on the approvals page."""
    signature_request = signing_link_open(token, lock=True)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why you decline, so the business manager can act on it"})
    if len(reason) > 1000:
        raise ValidationError({"reason": "Write at most 1,000 characters"})
    now = timezone.now()
    return record_update(
        user=None,
        obj=signature_request,
        fields={
            "declined_at": now,
            "used_at": now,
            "decline_reason": reason,
            "seen_fingerprint": text_fingerprint(signature_request.version),
            "client_hash": client.fingerprint(),
        },
        validate=False,
        message=f"{signature_request.signatory_name} declined to sign"[:300],
    )


def signature_requests_of(version: ProtocolVersion) -> dict[int, list[SignatureRequest]]:
    """The version's signing links by party id, oldest first (one query)."""
    by_party: dict[int, list[SignatureRequest]] = {}
    for item in SignatureRequest.objects.filter(version=version).select_related("approval").order_by("sent_at", "id"):
        by_party.setdefault(item.party_id, []).append(item)
    return by_party


SIGNING_CAPACITIES = ("chair", "co_chair", "vice_chair")


def signatory_suggestions(party: Party) -> list[dict]:
    """Who might sign for a party, from the register: the people holding the posts that chair its board
    now, and the party's own signatory post; the email address where an earlier link to them gave one.

    The register keeps no email addresses, so an address is only ever one the business manager typed before.
    """
    from boards.models import Membership, PostHolding

    today = timezone.localdate()
    memberships = (
        Membership.objects.filter(board_id=party.board_id, post__isnull=False, capacity__in=SIGNING_CAPACITIES)
        .not_ended_by(today)
        .select_related("post")
    )
    posts = {m.post_id: (m.post, m.get_capacity_display()) for m in memberships}
    if party.signatory_post_id and party.signatory_post_id not in posts:
        posts[party.signatory_post_id] = (party.signatory_post, "")
    holdings = (
        PostHolding.objects.filter(post_id__in=posts, person__isnull=False)
        .not_ended_by(today)
        .select_related("person")
        .order_by("post__title", "person__name")
    )
    names = [h.person.name for h in holdings]
    emails = {}
    for name, email in (
        SignatureRequest.objects.filter(signatory_name__in=names)
        .order_by("sent_at")
        .values_list("signatory_name", "signatory_email")
    ):
        emails[name] = email
    suggestions = []
    for holding in holdings:
        post, capacity = posts[holding.post_id]
        suggestions.append(
            {
                "signatory_name": holding.person.name,
                "signatory_email": emails.get(holding.person.name, ""),
                "signatory_post_title": post.title,
                "capacity": capacity,
            }
        )
    return suggestions


def send_signing_reminders(*, site: str, days: int | None = None, now=None) -> int:
    """Email a reminder, once, to each signatory whose link has waited `days` days unanswered (by default
    settings.SIGNING_REMINDER_DAYS). The reminder carries a new link, since only the token's hash is kept;
    the old link stops working. Returns how many were sent."""
    days = settings.SIGNING_REMINDER_DAYS if days is None else days
    now = now or timezone.now()
    due = (
        SignatureRequest.objects.filter(
            used_at__isnull=True,
            cancelled_at__isnull=True,
            reminded_at__isnull=True,
            expires_at__gt=now,
            sent_at__lte=now - timezone.timedelta(days=days),
            version__in=ProtocolVersion.objects.awaiting_approval(),
        )
        .select_related("party__board", "version__protocol")
        .order_by("sent_at", "id")
    )
    sent = 0
    for old in due:
        with transaction.atomic():
            signature_request_cancel(user=None, signature_request=old)
            token = secrets.token_urlsafe(TOKEN_BYTES)
            fresh = SignatureRequest(
                version=old.version,
                party=old.party,
                signatory_name=old.signatory_name,
                signatory_email=old.signatory_email,
                capacity=old.capacity,
                signatory_post_title=old.signatory_post_title,
                token_hash=hash_token(token),
                created_by=old.created_by,
                sent_at=old.sent_at,
                reminded_at=now,
                expires_at=old.expires_at,
            )
            record_create(
                user=None,
                obj=fresh,
                validate=False,
                audit_fields=("signatory_name", "signatory_email", "reminded_at"),
                message=f"Reminder with a new signing link sent to {old.signatory_name}"[:300],
            )
        _email_link(fresh, old.version, token, site, reminder=True)
        sent += 1
    return sent
