"""The address the registry is served at, for links that leave the page: in PDFs, certificates, iCal feeds and emails.

`SITE_URL` (e.g. https://registry.example.org) names it when set; otherwise a request tells it, so a
link never points at a host or port the site is not served on. With neither (a management command
run without `SITE_URL`) there is no address to give, and callers say so rather than guess one.
"""

import functools

from django.conf import settings
from django.urls import get_script_prefix, reverse


def site_url(request=None):
    """'https://host[:port]' with no trailing slash, or '' when neither SITE_URL nor a request says."""
    configured = (getattr(settings, "SITE_URL", "") or "").strip().rstrip("/")
    if configured:
        return configured
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return ""


def absolute_url(path, request=None):
    """The path on the site's address; the bare path when the address is unknown."""
    return site_url(request) + path


def page_path(viewname, **kwargs):
    """reverse() for the pages a list names many times over (a map's boards, its clauses' versions).

    Remembered per script prefix: resolving a name walks the URL patterns and asks the active language
    each time, which a map of 300 arrows did some 500 times a request.
    """
    return _page_path(get_script_prefix(), viewname, tuple(sorted(kwargs.items())))


@functools.lru_cache(maxsize=20000)
def _page_path(prefix, viewname, kwargs):
    return reverse(viewname, kwargs=dict(kwargs))
