"""Cached pages of agreed versions: what was agreed never changes, so its page is drawn once.

A sealed version's words are frozen in its record of what was agreed, but its page also shows live
facts (boards' names as they are today, the other versions, legislation's titles, who may edit). The
body of the page is therefore cached under a key made of everything it shows:

- the version, the fingerprint of its record of what was agreed, and whether it is the print view;
- the registry's change counter (core.writes), moved on by every change in that change's own
  transaction and read before anything else, so a copy drawn before any change is never served after it;
- the reader's class: whether they may read the protocol's drafts and history, and whether they may edit it;
- the release: the templates and template tags that draw the page.

Drafts are never cached. The surrounding page (header, sign-in state) is drawn for each request,
except for readers with no session and no messages, who all see the same page: protocols.middleware
keeps the whole response for them under the change counter and the page's address (response_key).
"""

from __future__ import annotations

import functools
import hashlib

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import Error, connection

from core import writes
from core.page_cache import TIMEOUT, get, put, release  # noqa: F401 - the version views use get and put from here

from .models import AgreedRecord, ProtocolVersion, RenderedDocument
from .permissions import can_edit_protocol, can_read_drafts


def current_change() -> int | None:
    """The change counter the cached pages are keyed by (core.writes), read before what they show: one query."""
    return first_query(writes.current_change)


def first_query(query):
    """`query()`, a request's first read of the database, with Django's check of a reused connection folded in.

    A persistent connection is checked with `SELECT 1` before a request's first query (CONN_HEALTH_CHECKS):
    a round trip to the database, as long as the whole query on a fast path. Here the query is the check:
    should it fail, the connection is closed as the check would have closed it, and the query runs again
    on a new one.
    """
    if connection.connection is None or not connection.health_check_enabled or connection.health_check_done:
        return query()
    connection.health_check_done = True
    try:
        return query()
    except Error:  # as PEP 249 names them: the connection (InterfaceError) or the database (DatabaseError)
        if connection.in_atomic_block:
            raise
        connection.close()
        return query()


def fetchone(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def anonymous(request) -> bool:
    """No session, no messages waiting, no other credentials: the page is the same for every such reader."""
    cookies = request.COOKIES
    return not (
        settings.SESSION_COOKIE_NAME in cookies
        or CookieStorage.cookie_name in cookies
        or "HTTP_AUTHORIZATION" in request.META
        or "HTTP_HX_REQUEST" in request.META
    )


def reader_class(user, protocol) -> str:
    """What about the reader changes the page: reading drafts and history, and editing (anonymous: no query)."""
    if not user.is_authenticated:
        return "public"
    return f"drafts={int(can_read_drafts(user, protocol))},edit={int(can_edit_protocol(user, protocol))}"


def version_page_key(*, version, user, print_view, change) -> str | None:
    """The cache key of a sealed version's page body for this reader, or None when it must not be cached."""
    if change is None or not version.is_sealed:
        return None
    if hasattr(version, "agreed_fingerprint"):  # read with the version (selectors.version_for_reading)
        fingerprint = version.agreed_fingerprint
    else:
        fingerprint = AgreedRecord.objects.filter(version=version).values_list("fingerprint", flat=True).first()
    if fingerprint is None:
        return None
    view = "print" if print_view else "page"
    reader = reader_class(user, version.protocol)
    return f"version-page:{release()}:{version.pk}:{fingerprint}:{view}:{change}:{reader}"


def response_key(path: str, change: int) -> str:
    """The cache key of the whole response at `path` for anonymous readers (see protocols.middleware)."""
    return f"version-response:{release()}:{path}:{change}"


def etag(key: str, request) -> str:
    """The page's ETag: its body's key and the request's cookies (the sign-in state and messages around it).

    An anonymous reader's page does not depend on the cookies they send (none of them is a session).
    """
    cookies = "" if anonymous(request) else request.META.get("HTTP_COOKIE", "")
    return hashlib.sha256(f"{key}|{cookies}".encode()).hexdigest()[:32]


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
