"""The OpenAPI description: every operation also lists the errors it can answer with.

Errors all share one shape (core.api_errors), so rather than repeat extend_schema on every
action, the schema class adds them by method; ETag and If-Match headers are added for the
records that carry a revision.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from core.api import ConcurrencyMixin


class ErrorDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="The HTTP status, repeated for clients that only keep the body.")
    code = serializers.CharField(help_text="A stable machine-readable code, e.g. `invalid`, `version_locked`.")
    message = serializers.CharField(help_text="The reason, for people.")
    fields = serializers.JSONField(
        required=False, help_text="For invalid input: each field's name with its list of messages."
    )
    current = serializers.JSONField(
        required=False, help_text="For 412: the record as it is now, so the client can merge and retry."
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


ERRORS = {
    "400": "Invalid input: a query parameter, a field, or malformed JSON. `fields` says which.",
    "401": "The token or session was not accepted; send `Authorization: Token <key>`.",
    "403": "Signed in, but this account may not do this here.",
    "404": "No such record, or not one this account may see; also an unknown page number.",
    "405": "This method is not allowed on this resource.",
    "406": "Only application/json responses are offered.",
    "409": "Refused by the record's state: the version is agreed or superseded (`version_locked`), "
    "or the step is not allowed now (`invalid_transition`).",
    "412": "If-Match names an older revision: someone else saved first. `current` holds the record now.",
    "413": "The body is larger than the registry accepts.",
    "415": "Send the body as application/json.",
    "428": "Send If-Match with the ETag from your last read; the response carries the current ETag.",
}

ETAG_HEADER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=["200", "201", "412", "428"],
    description='The record\'s revision, e.g. W/"3"; send it back in If-Match to change the record.',
)
IF_MATCH_HEADER = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description='The ETag from your last read, e.g. W/"3". Without it: 428; with an older one: 412.',
)
IF_MATCH_OPTIONAL_HEADER = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="Optional: when sent and older than the record, the delete is refused with 412.",
)


class RegistryAutoSchema(AutoSchema):
    def _carries_revision(self):
        return isinstance(self.view, ConcurrencyMixin) and getattr(self.view, "action", None) in {
            "retrieve",
            "update",
            "partial_update",
            "destroy",
            "create",
        }

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self._carries_revision():
            if self.method in {"PUT", "PATCH"}:
                parameters.append(IF_MATCH_HEADER)
            elif self.method == "DELETE":
                parameters.append(IF_MATCH_OPTIONAL_HEADER)
            if self.method != "DELETE":
                parameters.append(ETAG_HEADER)
        return parameters

    def error_codes(self):
        described = self.error_descriptions()
        if described:
            # A view that describes its own errors names them all, beside those any request may get.
            generic = ["400", "405", "406"] + (["413", "415"] if self.method in {"POST", "PUT", "PATCH"} else [])
            return sorted({*generic, *described})
        codes = ["400", "401", "403", "404", "405", "406"]
        if self.method in {"POST", "PUT", "PATCH", "DELETE"}:
            codes += ["409", "413", "415"]
        if self.method in {"PUT", "PATCH", "DELETE"}:
            codes += ["412", "428"] if self.method != "DELETE" else ["412"]
        return codes

    def error_descriptions(self):
        return getattr(self.view, "error_descriptions", {})

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self.error_codes():
            if code not in responses:
                description = self.error_descriptions().get(code) or ERRORS[code]
                response = OpenApiResponse(ErrorSerializer, description=description)
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return responses
