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
