"""Short answers for the registry's most read responses, before the rest of the middleware.

Placed right after WhiteNoise (settings.MIDDLEWARE), it answers two kinds of GET before sessions, sign-in,
CSRF, messages and the view run:

- A sealed version's PDF, to anyone (what was agreed is public): one query finds the stored file from the
  URL, only for an agreed or superseded version, and the file is streamed with its size, its SHA-256 as
  ETag and the time it was written as Last-Modified, answering 304 when the reader's copy is current. The
  database, not a copy kept in a cache, says which file is current, so no process serves a file after it
  was drawn and sealed again. Anything else (a draft, no stored file yet, a file missing from storage,
  storage that is not a folder on this machine) goes on to the view and its checks.
- Any cached page, to a reader with no session, no messages and no credentials (an agreed version's page
  and print page, an area's map, board pages, calendars, iCal feeds, API reads): the whole response the
  full stack made for the first such reader, kept under the change counters its view keyed the body by
  (core.page_cache.keep_response), so an answer costs one query (those counters) and two reads from the
  cache. Signed-in readers keep the view, which caches the page's body but draws the header (their name,
  a CSRF token) for each request.
"""

from __future__ import annotations

import os
import re

from django.core.files.storage import default_storage
from django.http import FileResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from core import page_cache

from . import page_cache as version_cache

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
        if request.method != "GET":
            return self.get_response(request)
        if not request.META.get("QUERY_STRING"):
            match = VERSION_URL.match(request.path_info)
            if match is not None and match["view"] == "pdf/":
                response = self.sealed_pdf(request, match["slug"], int(match["number"]))
                if response is not None:
                    return response
        if not page_cache.anonymous(request):
            return self.get_response(request)
        response = page_cache.kept_response(request)
        if response is not None:
            return response
        response = self.get_response(request)
        page_cache.keep_response(request, response)  # when the view drew a cached page for no one in particular
        return response

    def sealed_pdf(self, request, slug, number):
        """The stored sealed PDF streamed from its file, or None to leave it to the view."""
        stored = version_cache.sealed_pdf_file(slug, number)
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
