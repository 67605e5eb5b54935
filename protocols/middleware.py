"""Short answers for the registry's most read responses that never change, before the rest of the middleware.

Placed right after WhiteNoise (settings.MIDDLEWARE), it answers two kinds of GET without a query string
before sessions, sign-in, CSRF, messages and the view run:

- A sealed version's PDF, to anyone (what was agreed is public): one query finds the stored file from the
  URL, only for an agreed or superseded version, and the file is streamed with its size, its SHA-256 as
  ETag and the time it was written as Last-Modified, answering 304 when the reader's copy is current. The
  database, not a copy kept in a cache, says which file is current, so no process serves a file after it
  was drawn and sealed again. Anything else (a draft, no stored file yet, a file missing from storage,
  storage that is not a folder on this machine) goes on to the view and its checks.
- An agreed version's page or print page, to a reader with no session and no messages: the whole response
  the full stack made for the first such reader, kept under the change counter (page_cache), so an answer
  costs the counter's query and one read from the cache. Signed-in readers keep the view, which caches
  the page's body but draws the header (their name, a CSRF token) for each request.
"""

from __future__ import annotations

import os
import re

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from . import page_cache

# protocols/urls.py: version_detail, version_print and version_pdf.
VERSION_URL = re.compile(r"^/protocols/(?P<slug>[-a-zA-Z0-9_]+)/versions/(?P<number>[0-9]+)/(?P<view>print/|pdf/)?$")
SEALED_PDF_HEADERS = {
    # The same lifetime as the view gives it (views.SEALED_PDF_MAX_AGE): a sealed copy never changes.
    "Cache-Control": "public, max-age=31536000, immutable",
    # A PDF is a download, never a page: it runs nothing and is framed by no one.
    "Content-Security-Policy": "default-src 'none'",
    "X-Frame-Options": "DENY",
}


class FastReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "GET" and not request.META.get("QUERY_STRING"):
            match = VERSION_URL.match(request.path_info)
            if match is not None:
                if match["view"] == "pdf/":
                    response = self.sealed_pdf(request, match["slug"], int(match["number"]))
                    if response is not None:
                        return response
                elif page_cache.anonymous(request):
                    return self.public_page(request)
        return self.get_response(request)

    def sealed_pdf(self, request, slug, number):
        """The stored sealed PDF streamed from its file, or None to leave it to the view."""
        stored = page_cache.sealed_pdf_file(slug, number)
        if stored is None:
            return None
        name, sha256 = stored
        try:
            path = default_storage.path(name)
        except NotImplementedError:  # storage elsewhere (S3): the view streams it
            return None
        try:
            handle = open(path, "rb")  # noqa: SIM115 (FileResponse closes it)
        except OSError:  # missing: the view draws and seals it again
            return None
        modified = os.fstat(handle.fileno()).st_mtime
        etag = f'"{sha256}"'
        response = get_conditional_response(request, etag=etag, last_modified=int(modified))
        if response is not None:  # 304: the reader's copy is this file
            handle.close()
        else:
            filename = f"{slug}-version-{number}.pdf"
            response = FileResponse(handle, as_attachment=True, filename=filename, content_type="application/pdf")
        headers = {**SEALED_PDF_HEADERS, "ETag": etag, "Last-Modified": http_date(modified)}
        for header, value in headers.items():
            response[header] = value
        return response

    def public_page(self, request):
        """An anonymous reader's page from the whole response kept for it, or the view's, kept for the next."""
        change = page_cache.current_change()
        if change is None:
            return self.get_response(request)
        key = page_cache.response_key(request.path_info, change)
        kept = page_cache.get(key)
        if kept is not None:
            headers, content = kept
            response = HttpResponse(content, headers=headers)
            return get_conditional_response(request, etag=response.get("ETag"), response=response) or response
        request.page_change = change  # the view keys the body by the same reading of the counter
        response = self.get_response(request)
        if (
            getattr(request, "public_page", False)  # the view drew a cached body for an anonymous reader
            and response.status_code == 200
            and not response.streaming
            and not response.cookies  # nothing set for this reader alone (a session, a CSRF cookie)
            and not request.META.get("CSRF_COOKIE_USED")  # no CSRF token in the page
        ):
            page_cache.put(key, (list(response.items()), response.content))
        return response
