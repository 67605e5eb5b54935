"""Every change to protocols, versions, sections, clauses, parties and approvals.

The browser and the API both call these functions, so they cannot disagree. Each one checks the
rules and makes the change through core.writes, which writes its AuditRecord in the same
transaction, and raises:

- VersionLocked when the version is agreed or superseded (the signed record never changes);
- EditConflict(current=...) when the caller's expected_revision is stale (someone else saved first);
- InvalidTransition when the version's status does not allow the step;
- django ValidationError, with field errors, for bad input.

One aggregate per module; everything is re-exported here, so callers import from the package."""

from ._helpers import Status, ensure_editable, live_approval_count, normalise_partial_date, withdraw_approvals
from .approvals import (
    MAX_SIGNATURE_BYTES,
    MAX_SIGNATURE_PIXELS,
    approval_record,
    party_add,
    party_approval_rule,
    party_remove,
)
from .clauses import clause_create, clause_delete, clause_move, clause_update
from .glossary import glossary_entry_create, glossary_entry_delete, glossary_entry_update
from .numbering import LETTERS, renumber_plan, version_renumber
from .protocols import PROTOCOL_FIELDS, protocol_create, protocol_update
from .sections import section_create, section_delete, section_move, section_update
from .signature_requests import (
    Client,
    SigningLinkRefused,
    send_signing_reminders,
    signatory_suggestions,
    signature_request_cancel,
    signature_request_resend,
    signature_request_send,
    signature_requests_of,
    signing_code_confirm,
    signing_code_send,
    signing_decline,
    signing_link_open,
    signing_sign,
    text_fingerprint,
)
from .versions import (
    open_draft,
    version_agree,
    version_record_past,
    version_return_to_draft,
    version_send_for_approval,
    version_start_review,
    version_update,
)

__all__ = [
    "LETTERS",
    "MAX_SIGNATURE_BYTES",
    "MAX_SIGNATURE_PIXELS",
    "PROTOCOL_FIELDS",
    "Client",
    "SigningLinkRefused",
    "Status",
    "approval_record",
    "clause_create",
    "clause_delete",
    "clause_move",
    "clause_update",
    "ensure_editable",
    "glossary_entry_create",
    "glossary_entry_delete",
    "glossary_entry_update",
    "live_approval_count",
    "normalise_partial_date",
    "open_draft",
    "party_add",
    "party_approval_rule",
    "party_remove",
    "protocol_create",
    "protocol_update",
    "renumber_plan",
    "section_create",
    "section_delete",
    "section_move",
    "section_update",
    "send_signing_reminders",
    "signatory_suggestions",
    "signature_request_cancel",
    "signature_request_resend",
    "signature_request_send",
    "signature_requests_of",
    "signing_code_confirm",
    "signing_code_send",
    "signing_decline",
    "signing_link_open",
    "signing_sign",
    "text_fingerprint",
    "version_agree",
    "version_record_past",
    "version_renumber",
    "version_return_to_draft",
    "version_send_for_approval",
    "version_start_review",
    "version_update",
    "withdraw_approvals",
]
