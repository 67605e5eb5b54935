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
from django.core.cache import cache
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag

from .addresses import site_url
from .writes import changes_in

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


def etag(key: str, request=None) -> str:
    """A page's ETag: its body's key, and the request's cookies where the page around the body shows who is signed in."""
    cookies = request.META.get("HTTP_COOKIE", "") if request is not None else ""
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
            if etag:
                response["ETag"] = quote_etag(self.etag)
            response["Last-Modified"] = http_date(self.modified.timestamp())
            response["Cache-Control"] = "no-cache"
        return response


def page(request, *, area_ids=None, reader="public", cookies=True) -> Page:
    """The cached page for this request, showing records of these areas (None: of the whole registry).

    Call it before reading anything the page shows. `reader` names what about the reader changes the body;
    `cookies=False` for a body served alone (a feed, an API read), whose ETag need not follow the sign-in.
    """
    changes = changes_in(area_ids)
    if changes is None:
        return Page()
    today = datetime.date.today()  # as the pages themselves count it
    # The site's address as well as the one asked for: feeds and calendars link to it (core.addresses).
    address = [request.build_absolute_uri(), site_url(request)]
    text = "|".join([release(), *address, reader, changes.key, today.isoformat()])
    key = "page:" + hashlib.sha256(text.encode()).hexdigest()[:40]
    # The page moves on at midnight too (what is due, who sits where), so it is never older than today.
    midnight = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
    return Page(key=key, etag=etag(key, request if cookies else None), modified=max(changes.modified, midnight))
