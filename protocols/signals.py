"""Signals protocols sends so apps that depend on it can follow along without protocols importing them."""

from django.dispatch import Signal

# Sent by services.version_start_review after a draft is copied from the agreed version, inside the
# same transaction. Keyword arguments: source_version, target_version, user.
# Receivers copy the records they keep about the source version (accountability copies its duties,
# obligations and relations, re-pointing each source clause by clause key).
version_copied = Signal()

# Sent by frozen.build_document while it reads a version's content (when the version is agreed, and for
# each draft PDF). Keyword argument: version. Each receiver returns a dict of plain JSON values to add to
# the document (accountability adds obligations, duties, relations, meetings and the diagram).
collect_agreed_parts = Signal()

# Sent by import_services when a reviewed document is saved, inside the same transaction, after the
# document's clauses are saved and before the version may be recorded as a past one. Keyword
# arguments: imported, version, user, obligations, relations. Each of `obligations` and `relations`
# is a list of the suggestions the business manager accepted, as they left them: plain values with
# boards already resolved (or created) and `clause`, the saved Clause that states it (None for the
# preamble). Receivers make their records from them; a ValidationError they raise undoes the save.
import_confirmed = Signal()
