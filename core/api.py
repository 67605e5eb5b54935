"""Pieces every API viewset shares: pagination, a bounded JSON parser, id lookups, ETags, strict writes."""

import functools
import html
import re
from collections.abc import Mapping

import django_filters
from django import forms
from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django_filters.constants import EMPTY_VALUES
from rest_framework import exceptions, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.utils import json

from .api_errors import PreconditionFailed, PreconditionRequired, RequestTooLarge
from .exceptions import EditConflict
from .text import MAX_TEXT_LENGTH

# Larger ids than a signed 64-bit column holds can only be typos or probes; answer 404, not a crash.
MAX_ID = 2**63 - 1
ETAG_RE = re.compile(r'^\s*(?:W/)?"?(\d{1,18})"?\s*$')


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


class BoundedJSONParser(JSONParser):
    """JSON only, refused above DATA_UPLOAD_MAX_MEMORY_SIZE before it is read into memory.

    DRF reads the body stream itself, so Django's own size check never runs for JSON.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        request = (parser_context or {}).get("request")
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0
        except ValueError:
            declared = 0
        if limit and declared > limit:
            raise RequestTooLarge()
        raw = stream.read(limit + 1) if limit else stream.read()
        if limit and len(raw) > limit:
            raise RequestTooLarge()
        try:
            data = json.loads(raw.decode((parser_context or {}).get("encoding") or settings.DEFAULT_CHARSET))
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            raise exceptions.ParseError(f"The body is not valid JSON: {exc}") from exc
        too_long = _overlong_text(data)
        if too_long:
            raise exceptions.ValidationError(
                {too_long: [f"Ensure this field has no more than {MAX_TEXT_LENGTH:,} characters."]}
            )
        return data


def _overlong_text(value, path=""):
    """The path of the first string longer than any field accepts ('text', 'recipients.0.note'), or ''.

    Every writable text field is bounded here once, whatever its serializer says."""
    if isinstance(value, str):
        return (path or "non_field_errors") if len(value) > MAX_TEXT_LENGTH else ""
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return ""
    for key, item in items:
        found = _overlong_text(item, f"{path}.{key}" if path else str(key))
        if found:
            return found
    return ""


class IdLookupMixin:
    """Numeric ids in the path; anything else is a plain 404 in the API's error shape."""

    lookup_value_regex = "[0-9]+"

    def get_object(self):
        value = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, "")
        if not str(value).isdigit() or int(value) > MAX_ID:
            raise exceptions.NotFound()
        return super().get_object()


UNKNOWN_FIELD = "Unknown field: it is not saved here."


@functools.cache
def _representation_fields(serializer_class):
    return frozenset(serializer_class().fields)


# A write serializer with this mixin answers 400 for a key it would otherwise drop without a word.
# A key is accepted when the serializer writes it, or when it is a field of the resource as read
# (`representation`, a read serializer class), so a client may send back what it fetched with `id`,
# `links` or `revision` left in. Any other key is a typo or a field not changed here, and the client
# should hear so rather than get 200 with nothing saved. (A comment, not a docstring: the schema
# would show a docstring as the description of every write serializer.)
class RejectUnknownFieldsMixin:
    representation = None  # the read serializer of the resource written, if the body is one

    def accepted_keys(self):
        writable = {name for name, field in self.fields.items() if not field.read_only}
        if self.representation is None:
            return writable
        return writable | _representation_fields(self.representation)

    def to_internal_value(self, data):
        if not isinstance(data, Mapping):
            return super().to_internal_value(data)  # DRF's own "expected a dictionary" error
        accepted = self.accepted_keys()
        unknown = {str(key): [UNKNOWN_FIELD] for key in data if key not in accepted}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            # One answer naming every problem, the unknown keys beside the invalid values.
            if unknown and isinstance(error.detail, dict):
                raise serializers.ValidationError({**error.detail, **unknown}) from error
            raise
        if unknown:
            raise serializers.ValidationError(unknown)
        return value


def _revision(obj):
    # Imported here: this module loads with the REST framework's settings, before the models are ready.
    from .writes import record_revision

    return record_revision(obj)


def etag_for(obj):
    """The revision counter of a revisioned record, else a fingerprint of its values (core.writes)."""
    return f'W/"{_revision(obj)}"'


class ConcurrencyMixin:
    """ETag on every read of a Revisioned record; If-Match required on every change to it.

    The revision the client sent is handed to the service as expected_revision: the service
    compares it inside its transaction, so two writers racing cannot both win.
    """

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        record = getattr(self, "_etag_object", None)  # None when the read was served from the cache
        if getattr(self, "action", None) == "retrieve" and response.status_code == 200 and record is not None:
            response["ETag"] = etag_for(record)
        return response

    def get_object(self):
        obj = super().get_object()
        self._etag_object = obj
        return obj

    def expected_revision(self, obj):
        """The revision named by If-Match, for the service to compare; 428 without one.

        The service compares it, after checking the version is not agreed, so a locked record answers
        409 whatever the client sent. An unreadable tag matches no revision (-1), so it is stale.
        """
        header = self.request.headers.get("If-Match", "").strip()
        if not header:
            raise PreconditionRequired(etag=etag_for(obj))
        if header == "*":
            return _revision(obj)
        match = ETAG_RE.match(header.split(",")[0])
        return int(match.group(1)) if match else -1

    def stale(self, obj, message=None):
        fresh = self.refetch(obj)
        return PreconditionFailed(message, current=self.get_serializer(fresh).data, etag=etag_for(fresh))

    def call_service(self, obj, service, **kwargs):
        """Run a service that compares revisions; a stale revision answers 412 with the record now."""
        try:
            return service(**kwargs)
        except EditConflict as error:
            raise self.stale(obj, str(error)) from error

    def refetch(self, obj):
        """The record as it is now, with what its serializer needs loaded."""
        return self.get_queryset().filter(pk=obj.pk).first() or obj

    def optional_expected_revision(self):
        """For deletes: If-Match is honoured when sent, not required."""
        header = self.request.headers.get("If-Match", "").strip()
        if not header or header == "*":
            return None
        match = ETAG_RE.match(header.split(",")[0])
        return int(match.group(1)) if match else -1


def absolute_url(request, path):
    return request.build_absolute_uri(path) if request is not None else path


def optional_url(request, names, **kwargs):
    """The first of `names` that resolves, as an absolute URL; None while no page has that name.

    Pages such as a version's PDF or a board's calendar are built by other parts of the registry;
    a link that cannot be built yet is left out rather than breaking the record.
    """
    for name in names:
        try:
            return absolute_url(request, reverse(name, kwargs=kwargs))
        except NoReverseMatch:
            continue
    return None


def resolve_record(model, value, name):
    """A record named by slug or numeric id, or a 400 naming the parameter."""
    value = str(value).strip()
    lookup = {"pk": int(value)} if value.isdigit() and int(value) <= MAX_ID else {"slug": value}
    record = model._default_manager.filter(**lookup).first()
    if record is None:
        label = model._meta.verbose_name
        raise exceptions.ValidationError({name: [f"There is no {label} with the slug or id '{value[:80]}'."]})
    return record


class RecordField(forms.CharField):
    """A record named by slug or numeric id; an unknown one is a field error (a 400 in the API, a message on a page)."""

    def __init__(self, *args, record_model, **kwargs):
        self.record_model = record_model
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in EMPTY_VALUES:
            return None
        lookup = {"pk": int(value)} if value.isdigit() and int(value) <= MAX_ID else {"slug": value}
        record = self.record_model._default_manager.filter(**lookup).first()
        if record is None:
            label = self.record_model._meta.verbose_name
            # As params, not formatted in: a "%" in what was typed must not be read as a placeholder.
            raise forms.ValidationError(
                "There is no %(label)s with the slug or id '%(value)s'.", params={"label": label, "value": value[:80]}
            )
        return record


class RecordFilter(django_filters.CharFilter):
    """Filter by a related record given as slug or id, through one or more paths ORed together.

    Matching goes through a subquery on primary keys, so rows reached by two paths appear once
    without DISTINCT (which would fight with ordering on PostgreSQL).
    """

    field_class = RecordField

    def __init__(self, *args, model, paths, **kwargs):
        kwargs.setdefault("help_text", f"A {model._meta.verbose_name} by slug or id.")
        super().__init__(*args, record_model=model, **kwargs)
        self.record_model = model  # not `model`: FilterSet sets that to its own model
        self.paths = paths

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        record = value
        condition = Q()
        for path in self.paths:
            condition |= Q(**{path: record})
        return qs.filter(pk__in=qs.model._default_manager.filter(condition).values("pk"))


class MonthFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 12)
        super().__init__(*args, **kwargs)


def text_search(queryset, fields, value):
    """Rows whose `fields` match the words in `value`.

    PostgreSQL: full-text search (English stemming, web-search syntax: quotes, OR, -word).
    Elsewhere (SQLite in development): every word must appear in one of the fields.
    """
    value = value.strip()
    if not value:
        return queryset
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        return queryset.annotate(_search=SearchVector(*fields, config="english")).filter(
            _search=SearchQuery(value, config="english", search_type="websearch")
        )
    for word in value.split()[:20]:
        condition = Q()
        # Clause text is stored as HTML, where a typed "<" or "&" is escaped: look for both spellings.
        for spelling in {word, html.escape(word, quote=False)}:
            for field in fields:
                condition |= Q(**{f"{field}__icontains": spelling})
        queryset = queryset.filter(condition)
    return queryset


class IdFilter(django_filters.NumberFilter):
    """A record's numeric id: whole numbers only, within what the database holds."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)
