"""Changes to what a protocol version states about who owes what: duties, reporting obligations and
relations (records), their copy into a new draft (copying), and reviews asked for when legislation
changes (legislation).

Each function states the rules of its record and hands the write to core.writes, which refuses
agreed and superseded versions (VersionLocked), checks optimistic concurrency on updates
(EditConflict), validates with field errors (ValidationError), and writes the change and its
AuditRecord in one transaction. The browser and the API call these same functions.

One aggregate per module; everything is re-exported here, so callers import from the package."""

from .copying import copy_accountability, copy_on_version_copied
from .importing import proposed_values, records_from_import
from .legislation import (
    INSTRUMENT_FIELDS,
    board_legal_basis_add,
    board_legal_basis_remove,
    instrument_create,
    instrument_request_reviews,
    instruments_with_citing_counts,
    protocols_citing,
)
from .meetings import MEETING_FIELDS, meeting_create, meeting_delete, meeting_update
from .records import (
    DUTY_FIELDS,
    MONTH_MESSAGE,
    OBLIGATION_FIELDS,
    RELATION_FIELDS,
    duty_create,
    duty_delete,
    duty_update,
    obligation_create,
    obligation_delete,
    obligation_update,
    relation_create,
    relation_delete,
    relation_update,
)

__all__ = [
    "DUTY_FIELDS",
    "INSTRUMENT_FIELDS",
    "MEETING_FIELDS",
    "MONTH_MESSAGE",
    "OBLIGATION_FIELDS",
    "RELATION_FIELDS",
    "board_legal_basis_add",
    "board_legal_basis_remove",
    "copy_accountability",
    "copy_on_version_copied",
    "duty_create",
    "duty_delete",
    "duty_update",
    "instrument_create",
    "instrument_request_reviews",
    "instruments_with_citing_counts",
    "meeting_create",
    "meeting_delete",
    "meeting_update",
    "obligation_create",
    "obligation_delete",
    "obligation_update",
    "proposed_values",
    "protocols_citing",
    "records_from_import",
    "relation_create",
    "relation_delete",
    "relation_update",
]
