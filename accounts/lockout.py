"""What a locked-out sign-in gets: the lockout page in the browser, the API's error shape under /api/."""

from axes.helpers import get_client_username, get_cool_off, get_cool_off_iso8601, get_failure_limit
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

from core.api_errors import error_body

LOCKED_STATUS = 429


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' AXES_LOCKOUT_CALLABLE: the same lock, told in the form the client reads."""
    cool_off = get_cool_off(request)
    if request.path.startswith("/api/"):
        minutes = int(cool_off.total_seconds() // 60) if cool_off else None
        wait = f" Try again in {minutes} minutes." if minutes else ""
        message = f"Too many wrong passwords for this account from this address: sign-in is locked.{wait}"
        response = JsonResponse(error_body(LOCKED_STATUS, "locked_out", message), status=LOCKED_STATUS)
        if cool_off:
            response["Retry-After"] = str(int(cool_off.total_seconds()))
        return response
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "username": get_client_username(request, credentials) or "",
    }
    if cool_off:
        context |= {"cooloff_time": get_cool_off_iso8601(cool_off), "cooloff_timedelta": cool_off}
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=LOCKED_STATUS)
