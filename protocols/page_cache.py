"""Cached pages of agreed versions: what was agreed never changes, so its page is drawn once.

A sealed version's words are frozen in its record of what was agreed, but its page also shows live
facts (boards' names as they are today, the other versions, legislation's titles, who may edit). The
body of the page is therefore cached under a key made of everything it shows:

- the version, the fingerprint of its record of what was agreed, and whether it is the print view;
- the registry's change counter (core.writes), moved on by every change in that change's own
  transaction and read before anything else, so a copy drawn before any change is never served after it;
- the reader's class: whether they may read the protocol's drafts and history, and whether they may edit it;
- the release: the templates and template tags that draw the page.

Drafts are never cached. The surrounding page (header, sign-in state) is drawn for each request.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

from .models import AgreedRecord
from .permissions import can_edit_protocol, can_read_drafts

TIMEOUT = 24 * 60 * 60


@functools.cache
def release() -> str:
    """A digest of the templates and template tags, so a new release never serves an older one's pages."""
    digest = hashlib.sha256()
    roots = [Path(folder) for folder in settings.TEMPLATES[0]["DIRS"]]
    roots += [
        Path(settings.BASE_DIR) / app / "templatetags" for app in ("core", "boards", "protocols", "accountability")
    ]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in (".html", ".py"):
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def reader_class(user, protocol) -> str:
    """What about the reader changes the page: reading drafts and history, and editing (anonymous: no query)."""
    if not user.is_authenticated:
        return "public"
    return f"drafts={int(can_read_drafts(user, protocol))},edit={int(can_edit_protocol(user, protocol))}"


def version_page_key(*, version, user, print_view, change) -> str | None:
    """The cache key of a sealed version's page body for this reader, or None when it must not be cached."""
    if change is None or not version.is_sealed:
        return None
    fingerprint = AgreedRecord.objects.filter(version=version).values_list("fingerprint", flat=True).first()
    if fingerprint is None:
        return None
    view = "print" if print_view else "page"
    reader = reader_class(user, version.protocol)
    return f"version-page:{release()}:{version.pk}:{fingerprint}:{view}:{change}:{reader}"


def etag(key: str, request) -> str:
    """The page's ETag: its body's key and the request's cookies (the sign-in state and messages around it)."""
    cookies = request.META.get("HTTP_COOKIE", "")
    return hashlib.sha256(f"{key}|{cookies}".encode()).hexdigest()[:32]


def get(key):
    return cache.get(key) if key else None


def put(key, body):
    if key:
        cache.set(key, body, TIMEOUT)
