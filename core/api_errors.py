"""One JSON shape for every API error, whatever raised it.

    {"error": {"status": 412, "code": "edit_conflict", "message": "...", "fields": {...}, "current": {...}}}

`fields` appears for invalid input (field name -> list of messages), `current` when the client's copy
is stale (the record as it is now, so the client can merge without another request). The registry's
own exceptions (core.exceptions) become 409/412 here so views never translate them one by one.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.serializers import as_serializer_error

from .exceptions import EditConflict, InvalidTransition, RegistryError, VersionLocked


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The record's state does not allow this change."
    default_code = "conflict"


class PreconditionRequired(exceptions.APIException):
    """A write without If-Match: we refuse rather than risk overwriting someone else's edit."""

    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = "Send the record's ETag in an If-Match header; read the record first to get it."
    default_code = "precondition_required"

    def __init__(self, etag=None, detail=None):
        super().__init__(detail)
        self.headers = {"ETag": etag} if etag else {}


class PreconditionFailed(exceptions.APIException):
    """The client's copy is stale: someone saved the record since it was read."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "Someone else changed this record since you read it; here is the current version."
    default_code = "edit_conflict"

    def __init__(self, detail=None, *, current=None, etag=None):
        super().__init__(detail)
        self.current = current
        self.headers = {"ETag": etag} if etag else {}


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "request_too_large"


def _translate(exc):
    """Turn Django's and the registry's exceptions into DRF ones with the right status."""
    if isinstance(exc, VersionLocked):
        return Conflict(str(exc) or Conflict.default_detail, code="version_locked")
    if isinstance(exc, InvalidTransition):
        return Conflict(str(exc) or Conflict.default_detail, code="invalid_transition")
    if isinstance(exc, EditConflict):
        return PreconditionFailed(str(exc) or None)
    if isinstance(exc, RegistryError):
        return Conflict(str(exc) or Conflict.default_detail)
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, RequestDataTooBig):
        return RequestTooLarge()
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        # A service's refusal says why (whose area the record is in); a bare one gets DRF's wording.
        return exceptions.PermissionDenied(str(exc) or None)
    return exc


def _flatten(detail):
    """ErrorDetail structures -> plain strings, lists and dicts."""
    if isinstance(detail, dict):
        return {str(key): _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_flatten(item) for item in detail]
    return str(detail)


def _first_code(detail, fallback):
    if isinstance(detail, dict):
        for value in detail.values():
            return _first_code(value, fallback)
    if isinstance(detail, list):
        return _first_code(detail[0], fallback) if detail else fallback
    return getattr(detail, "code", None) or fallback


def error_body(status_code, code, message, fields=None, current=None):
    error = {"status": status_code, "code": code, "message": message}
    if fields:
        error["fields"] = fields
    if current is not None:
        error["current"] = current
    return {"error": error}


def exception_handler(exc, context):
    # Imported here: rest_framework.views reads the REST_FRAMEWORK classes (which live beside this
    # module) while it loads, so a top-level import is circular when settings load them first.
    from rest_framework.views import exception_handler as drf_exception_handler

    exc = _translate(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django's 500 handling and logging take over
    detail = exc.detail if isinstance(exc, exceptions.APIException) else None
    code = getattr(exc, "default_code", "error")
    fields = None
    if isinstance(exc, exceptions.ValidationError):
        flat = _flatten(detail)
        if isinstance(flat, dict):
            non_field = flat.pop("non_field_errors", [])
            fields = flat or None
            message = " ".join(non_field) if non_field else "Some of the values sent are not valid; see fields."
        else:
            message = " ".join(flat) if isinstance(flat, list) else str(flat)
        code = _first_code(detail, "invalid") if not fields else "invalid"
    else:
        message = _flatten(detail) if detail is not None else str(exc)
        if isinstance(message, list | dict):
            message = str(message)
        code = getattr(detail, "code", None) or code
    response.data = error_body(response.status_code, code, message, fields, getattr(exc, "current", None))
    for header, value in getattr(exc, "headers", {}).items():
        response[header] = value
    return response


@csrf_exempt  # a 404 is the answer whatever the method; no form to protect
def not_found(request, *args, **kwargs):
    """Unknown addresses under /api/ answer in the API's shape, not with the HTML 404 page."""
    return JsonResponse(error_body(404, "not_found", "There is no API resource at this address."), status=404)
