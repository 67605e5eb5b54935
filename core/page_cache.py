"""Cached page bodies and conditional GETs, for pages whose content moves only with the registry's changes.

A body is cached under a key made of everything it shows:

- the address asked for, with its host and query (filters, the chosen board, a partial page), and the
  site's address that links in feeds and calendars point to;
- the change counters of what it shows (core.writes.changes_in: the registry's and each area's, or every
  change's), read before anything else, so a copy drawn before a change is never served after it;
- the reader's class, given by the view: what about the reader changes the body (nothing, for most);
- today's date, for pages that show what is due or who sits where today;
- the release: the templates and template tags that draw the page.

The same key gives the ETag (with the request's cookies where the page around the body shows the sign-in
state), and the counters' time gives Last-Modified, so a client holding the page gets a 304.

Readers with no session, no messages and no credentials (`anonymous`) all get the same page, so the whole
response made for the first of them is kept (keep_response) and answered to the next ones before sessions,
sign-in, CSRF, messages and the view run (kept_response, called by protocols.middleware): the page's address
remembers which counters the view keyed its body by, and those counters, read again in one query, key the
kept response, so it is never served after a change to what it shows.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import hashlib
from collections.abc import Callable
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import Error, connection
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import cc_delim_re, get_conditional_response
from django.utils.http import http_date, parse_http_date_safe, quote_etag

from .addresses import site_url
from .writes import change_scopes, changes_at

TIMEOUT = 24 * 60 * 60


@functools.cache
def release() -> str:
    """A digest of the templates and template tags, so a new release never serves an older one's pages."""
    digest = hashlib.sha256()
    roots = [Path(folder) for folder in settings.TEMPLATES[0]["DIRS"]]
    base = Path(settings.BASE_DIR).resolve()
    roots += [
        Path(config.path) / "templatetags" for config in apps.get_app_configs() if base in Path(config.path).parents
    ]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in (".html", ".py"):
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def anonymous(request) -> bool:
    """No session, no messages waiting, no other credentials: the page is the same for every such reader."""
    cookies = request.COOKIES
    return not (
        settings.SESSION_COOKIE_NAME in cookies
        or CookieStorage.cookie_name in cookies
        or "HTTP_AUTHORIZATION" in request.META
        or "HTTP_HX_REQUEST" in request.META
    )


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


def etag(key: str, request=None) -> str:
    """A page's ETag: its body's key, and the request's cookies where the page around the body shows who is signed in.

    An anonymous reader's page does not depend on the cookies they send (none of them is a session).
    """
    cookies = request.META.get("HTTP_COOKIE", "") if request is not None and not anonymous(request) else ""
    return hashlib.sha256(f"{key}|{cookies}".encode()).hexdigest()[:32]


def get(key):
    return cache.get(key) if key else None


def put(key, body):
    if key:
        cache.set(key, body, TIMEOUT)


@dataclasses.dataclass
class Page:
    """One request's cached page: its body's key (None: not cached), ETag and Last-Modified."""

    key: str | None = None
    etag: str | None = None
    modified: datetime.datetime | None = None
    # For keep_response: the counters the key was made of (their scopes and where they stood) and the day.
    scopes: tuple[str, ...] = ()
    changes: str = ""
    day: datetime.date | None = None
    # Whether the ETag answers If-None-Match (not an API record's, which is its revision: see not_modified).
    etag_answers: bool = True

    def not_modified(self, request, *, etag=True):
        """The 304 for a client already holding this page, else None.

        `etag=False` where the response's ETag means something else (an API record's revision, for If-Match):
        then only If-Modified-Since is answered, and never while If-None-Match is sent.
        """
        if self.key is None:
            return None
        return get_conditional_response(
            request, etag=quote_etag(self.etag) if etag else None, last_modified=int(self.modified.timestamp())
        )

    def body(self, draw: Callable[[], str | bytes]):
        """The cached body, or a freshly drawn one, kept for the next request."""
        body = get(self.key)
        if body is None:
            body = draw()
            put(self.key, body)
        return body

    def finish(self, response, *, etag=True):
        """Mark the response so that a client keeps it and asks again each time: a 304 while unchanged."""
        if self.key is not None:
            self.etag_answers = etag
            if etag:
                response["ETag"] = quote_etag(self.etag)
            response["Last-Modified"] = http_date(self.modified.timestamp())
            response["Cache-Control"] = "no-cache"
        return response


def today() -> datetime.date:
    """The day as the pages count it (what is due, who sits where): part of every key."""
    return datetime.date.today()


def page(request, *, area_ids=None, reader="public", cookies=True) -> Page:
    """The cached page for this request, showing records of these areas (None: of the whole registry).

    Call it before reading anything the page shows. `reader` names what about the reader changes the body;
    `cookies=False` for a body served alone (a feed, an API read), whose ETag need not follow the sign-in.
    """
    scopes = change_scopes(area_ids)
    changes = changes_at(scopes)
    if changes is None:
        return Page()
    day = today()
    # The site's address as well as the one asked for: feeds and calendars link to it (core.addresses).
    address = [request.build_absolute_uri(), site_url(request)]
    text = "|".join([release(), *address, reader, changes.key, day.isoformat()])
    key = "page:" + hashlib.sha256(text.encode()).hexdigest()[:40]
    # The page moves on at midnight too (what is due, who sits where), so it is never older than today.
    midnight = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
    cached = Page(
        key=key,
        etag=etag(key, request if cookies else None),
        modified=max(changes.modified, midnight),
        scopes=tuple(scopes),
        changes=changes.key,
        day=day,
    )
    # keep_response keeps the whole response under the same counters (on Django's request, under the API's).
    getattr(request, "_request", request).cached_page = cached
    return cached


# Whole responses for readers with no session -------------------------------------------------------------------

# Request headers that never key a kept response: an anonymous reader sends no session and no credentials,
# so whatever else their cookies hold does not change the page.
UNKEYED_HEADERS = {"cookie", "authorization"}


def _address(request) -> str:
    # The site's address as well as the one asked for (with its query): feeds and calendars link to it.
    return "|".join([release(), request.build_absolute_uri(), site_url(request)])


def _route_key(request) -> str:
    return "route:" + hashlib.sha256(_address(request).encode()).hexdigest()[:40]


def _response_key(request, changes: str, day: datetime.date, vary: tuple[str, ...]) -> str:
    varied = [f"{name}={request.META.get('HTTP_' + name.upper().replace('-', '_'), '')}" for name in vary]
    text = "|".join([_address(request), changes, day.isoformat(), *varied])
    return "response:" + hashlib.sha256(text.encode()).hexdigest()[:40]


def kept_response(request):
    """The whole response kept for this address and an anonymous reader (or its 304), or None.

    Costs one query, the counters the page was keyed by (its scopes, remembered for the address), and two
    reads from the cache. The day is part of the key: pages show what is due today.
    """
    route = cache.get(_route_key(request))
    if route is None:
        return None
    scopes, vary = route
    changes = first_query(lambda: changes_at(list(scopes)))
    if changes is None:
        return None
    kept = cache.get(_response_key(request, changes.key, today(), vary))
    if kept is None:
        return None
    headers, content, etag_answers = kept
    response = HttpResponse(content, headers=headers)
    if not etag_answers and "HTTP_IF_NONE_MATCH" in request.META:
        return response  # an API record's ETag is its revision: only If-Modified-Since is answered
    modified = parse_http_date_safe(response.get("Last-Modified", ""))
    etag = response.get("ETag") if etag_answers else None
    return get_conditional_response(request, etag=etag, last_modified=modified, response=response) or response


def keep_response(request, response) -> None:
    """Keep the response for the next anonymous reader at this address, if it is everyone's page.

    Only a page whose body the view keyed by the counters (page, or a version page) is kept, only when it was
    drawn for no one in particular: no one signed in, a 200 that is not streamed, no cookie set (a session, a
    message, a CSRF cookie), no CSRF token in the page, not marked private, not varying on everything.
    """
    cached = getattr(request, "cached_page", None)
    if cached is None or cached.key is None or not anonymous(request):
        return
    user = getattr(request, "user", None)
    if user is None or user.is_authenticated:
        return
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or request.META.get("CSRF_COOKIE_USED")
        or "private" in response.get("Cache-Control", "")
    ):
        return
    vary = {name.strip().lower() for name in cc_delim_re.split(response.get("Vary", "")) if name.strip()}
    if "*" in vary:
        return
    vary = tuple(sorted(vary - UNKEYED_HEADERS))
    key = _response_key(request, cached.changes, cached.day, vary)
    cache.set(key, (list(response.items()), response.content, cached.etag_answers), TIMEOUT)
    cache.set(_route_key(request), (cached.scopes, vary), TIMEOUT)
