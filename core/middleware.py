"""Middleware the whole site shares."""

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.cache import patch_cache_control, patch_vary_headers


class PrivateWhenSignedInMiddleware:
    """A response made for a signed-in user (browser session or API token) is private to them.

    Shared caches (a proxy, a CDN) must neither store it nor hand it to someone else, and a browser
    cache must key it by the cookie and credentials it was made for.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True)
            patch_vary_headers(response, ("Cookie", "Authorization"))
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request body larger than MAX_REQUEST_BYTES before anything reads it.

    Django's own limits apply to form fields, not to uploaded files, and the CSRF check reads a
    multipart body (files included) before any view can look at its size.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponseBadRequest("Content-Length is not a number.", content_type="text/plain")
        if declared > settings.MAX_REQUEST_BYTES:
            limit = settings.MAX_REQUEST_BYTES // (1024 * 1024)
            return HttpResponse(
                f"The request is too large: the registry accepts up to {limit} MB.",
                status=413,
                content_type="text/plain",
            )
        return self.get_response(request)


def client_address(request):
    """The client's address: REMOTE_ADDR, or the address the trusted proxies in front recorded."""
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")
