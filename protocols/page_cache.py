"""Cached pages of agreed versions: what was agreed never changes, so its page is drawn once.

A sealed version's words are frozen in its record of what was agreed, but its page also shows live
facts (boards' names as they are today, the other versions, legislation's titles, who may edit). The
body of the page is therefore cached under a key made of everything it shows:

- the version, the fingerprint of its record of what was agreed, and whether it is the print view;
- the change counters of the registry and of the protocol's area (core.writes), read before anything else,
  so a copy drawn before a change is never served after it. Every change the page shows moves the area's
  counter: a change to the protocol's records moves its area's, and a change to a board or post it names
  moves the areas of every protocol naming that area's boards and posts (accountability.showing), this one's
  included; legislation's titles are placed in no area and move the registry's. An edit in another area
  leaves the page cached;
- the reader's class: whether they may read the protocol's drafts and history, and whether they may edit it;
- the release: the templates and template tags that draw the page.

Drafts are never cached. The surrounding page (header, sign-in state) is drawn for each request,
except for readers with no session and no messages, who all see the same page: core.page_cache keeps the
whole response for them (keep_response), answered by protocols.middleware.
"""

from __future__ import annotations

import functools
import hashlib

from django.core.cache import cache
from django.db import connection

from core import page_cache as core_page_cache
from core import writes
from core.models import ChangeCounter
from core.page_cache import (  # noqa: F401 - the version views use these from here
    TIMEOUT,
    Page,
    anonymous,
    etag,
    first_query,
    get,
    put,
    release,
)

from .models import AgreedRecord, Protocol, ProtocolVersion, RenderedDocument
from .permissions import can_edit_protocol, can_read_drafts


def fetchone(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


@functools.cache
def _protocol_changes_query():
    protocol, counter = Protocol._meta.db_table, ChangeCounter._meta.db_table
    return (
        f"SELECT p.area_id, c.scope, c.value, c.changed_at FROM {protocol} p "  # noqa: S608 - our own table names
        f"LEFT JOIN {counter} c ON c.scope = %s OR c.scope = 'area:' || CAST(p.area_id AS TEXT) WHERE p.slug = %s"
    )


def protocol_changes(slug: str) -> tuple[int, list[str], writes.Changes] | None:
    """The protocol's area, and the counters its versions' pages are keyed by (the registry's and that area's),
    in one query; None when there is no such protocol or nothing may be cached."""
    with connection.cursor() as cursor:
        cursor.execute(_protocol_changes_query(), [writes.REGISTRY, slug])
        rows = cursor.fetchall()
    if not rows:
        return None
    area_id = rows[0][0]
    scopes = writes.change_scopes([area_id])
    changes = writes.changes_from(scopes, {scope: (value, at) for _area, scope, value, at in rows if scope})
    return (area_id, scopes, changes) if changes is not None else None


def reader_class(user, protocol) -> str:
    """What about the reader changes the page: reading drafts and history, and editing (anonymous: no query)."""
    if not user.is_authenticated:
        return "public"
    return f"drafts={int(can_read_drafts(user, protocol))},edit={int(can_edit_protocol(user, protocol))}"


def version_page(request, *, slug, version, print_view, changes) -> Page:
    """The cached page of this version for this reader (no key when it must not be cached).

    `changes` is protocol_changes(slug), read before the version: (area, scopes, Changes). Should the protocol
    have moved to another area in between, this request's page is not cached (the next one's is).
    """
    if changes is None or not version.is_sealed:
        return Page()
    area_id, scopes, counters = changes
    if version.protocol.area_id != area_id:
        return Page()
    if hasattr(version, "agreed_fingerprint"):  # read with the version (selectors.version_for_reading)
        fingerprint = version.agreed_fingerprint
    else:
        fingerprint = AgreedRecord.objects.filter(version=version).values_list("fingerprint", flat=True).first()
    if fingerprint is None:
        return Page()
    view = "print" if print_view else "page"
    reader = reader_class(request.user, version.protocol)
    text = f"{release()}:{version.pk}:{fingerprint}:{view}:{counters.key}:{reader}"
    key = "version-page:" + hashlib.sha256(text.encode()).hexdigest()[:40]
    cached = Page(
        key=key,
        etag=etag(key, request),
        modified=counters.modified,
        scopes=tuple(scopes),
        changes=counters.key,
        day=core_page_cache.today(),
    )
    request.cached_page = cached  # core.page_cache.keep_response keeps an anonymous reader's whole response
    return cached


# The stored sealed PDF at a version's address ------------------------------------------------------------

# Stand-ins for the request's values while the ORM compiles a query (no real slug, number or id is one of them).
_SLUG, _NUMBER, _VERSION = "~slug~", 2_147_480_001, 9_007_199_254_740_001


def _sealed_pdfs():
    from .pdf import RENDERER_VERSION

    return RenderedDocument.objects.filter(renderer_version=RENDERER_VERSION, sealed=True).exclude(file="").order_by()


@functools.cache
def _sealed_pdf_queries():
    """The SQL of sealed_pdf_file's two queries, compiled once from the ORM rather than for each request:
    by the version's address, joining the version (agreed or superseded) and its protocol; and by the id of a
    version found so, from one table (PostgreSQL plans it in a tenth of the time). An agreed version never
    leaves the two statuses (ProtocolVersion._guard_locked, and the database's triggers on PostgreSQL)."""
    by_address = _sealed_pdfs().filter(
        version__protocol__slug=_SLUG, version__number=_NUMBER, version__status__in=sorted(ProtocolVersion.SEALED)
    )
    by_version = _sealed_pdfs().filter(version_id=_VERSION)
    return tuple(
        queryset.values_list("file", "file_sha256", "version_id")[:1].query.sql_with_params()
        for queryset in (by_address, by_version)
    )


def sealed_pdf_file(slug: str, number: int) -> tuple[str, str] | None:
    """(storage name, SHA-256) of the sealed PDF stored for the version at this address, or None: one query.

    The same record pdf.stored_document serves, found from the address alone: only an agreed or superseded
    version, which anyone may read, has one.
    """
    by_address, by_version = _sealed_pdf_queries()
    # The id of the sealed version at this address, kept as a hint: a version's address never changes, and
    # should the version be deleted, the query by its id finds nothing and the hint goes.
    hint = f"sealed-version:{slug}:{number}"
    version_id = cache.get(hint)
    if version_id is None:
        sql, params = by_address
        values = {_SLUG: slug, _NUMBER: number}
    else:
        sql, params = by_version
        values = {_VERSION: version_id}
    row = first_query(lambda: fetchone(sql, [values.get(value, value) for value in params]))
    if row is None:
        if version_id is not None:
            cache.delete(hint)
        return None
    if version_id is None:
        cache.set(hint, row[2], TIMEOUT)
    return row[0], row[1]
