"""The one base of the API's writable resources.

Kept apart from core.api, which the REST framework's settings import while rest_framework.views
loads: a viewset base there would import itself in a circle.
"""

import functools

from django.utils.cache import patch_vary_headers
from rest_framework import status, viewsets
from rest_framework.response import Response

from . import page_cache
from .api import ConcurrencyMixin, etag_for


class CachedReadsMixin:
    """Lists and records read through the API are cached, keyed by the address with its query, the reader
    (each signed-in user apart: what they may read is theirs) and the counter of every change (core.page_cache);
    a record a reader with no credentials reads, by the counters of the areas it shows where its resource
    names them (cache_areas), so an edit elsewhere leaves it cached.

    A list's ETag is its key, answered 304 on If-None-Match; a record keeps the ETag of its revision, which
    If-Match sends back on a change, and is answered 304 on If-Modified-Since only. Both carry Last-Modified.
    """

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authenticated and permitted first
        if request.method == "GET" and self.action in ("list", "retrieve"):
            self.get = functools.partial(self.cached_read, self.get)  # the handler dispatch calls next

    def cached_read(self, read, request, *args, **kwargs):
        self._area_ids = None
        if request.user.is_authenticated:
            # What a signed-in reader may see follows their roles, which are no area's change: every change's counter.
            reader = f"user:{request.user.pk}"
        else:
            reader = "public"
            if self.action == "retrieve":
                self._area_ids = self.cache_areas()
        self._page = page_cache.page(request, area_ids=self._area_ids, reader=reader, cookies=False)
        not_modified = self._page.not_modified(request, etag=self.action == "list")
        if not_modified is not None:
            return not_modified
        hit = page_cache.get(self._page.key)
        if hit is None:
            return read(request, *args, **kwargs)
        data, self._cached_etag = hit
        return Response(data)

    def cache_areas(self):
        """The areas whose counters move with every change this record's page shows, read before the record
        from its address alone (record_areas checks them against the record as read); None: the counter
        of every change."""
        return None

    def record_areas(self, obj):
        """The areas of the record as read, where they may change (None where they never do)."""
        return None

    def get_object(self):
        self._read_object = super().get_object()
        return self._read_object

    def _keyed_by_other_areas(self):
        """The record moved to other areas between reading them and reading it: its copy is not kept."""
        if self._area_ids is None or not hasattr(self, "_read_object"):
            return False
        areas = self.record_areas(self._read_object)
        return areas is not None and set(areas) != set(self._area_ids)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        page = getattr(self, "_page", None)
        if page is None or response.status_code not in (200, 304):
            return response
        if response.status_code == 200:
            if hasattr(self, "_cached_etag"):
                if self._cached_etag:
                    response["ETag"] = self._cached_etag
            elif self._keyed_by_other_areas():
                request._request.cached_page = None  # nor is the whole response (core.page_cache.keep_response)
            else:
                page_cache.put(page.key, (response.data, response.get("ETag")))
        page.finish(response, etag=self.action == "list")
        patch_vary_headers(response, ["Authorization", "Cookie"])
        return response


class RecordViewSet(CachedReadsMixin, ConcurrencyMixin, viewsets.GenericViewSet):
    """The one base of the API's writable resources, for the register, the protocols and accountability.

    A resource names the services it writes through, so a reader finds every caller of a service:
    `create_service`, `update_service` and `delete_service` (each a staticmethod), with the keyword
    the update and delete services take the record by (`record_keyword`). The mixins below turn a
    request into one call: the body read by `write_serializer` (or `update_serializer`), then
    `create_arguments` / `update_arguments` check what the resource must (permissions on related
    records, placement) and return the service's keyword arguments. Reads carry an ETag; a change
    answers with the record as saved and its new ETag.
    """

    write_serializer = None
    update_serializer = None
    record_keyword = ""
    create_service = None
    update_service = None
    delete_service = None

    def respond(self, obj, status_code=status.HTTP_200_OK):
        fresh = self.refetch(obj)
        return Response(self.get_serializer(fresh).data, status=status_code, headers={"ETag": etag_for(fresh)})

    def write_data(self, serializer_class=None, partial=False):
        serializer = (serializer_class or self.write_serializer)(data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def create_arguments(self, data):
        return data

    def update_data(self, partial):
        return self.write_data(self.update_serializer or self.write_serializer, partial=partial)

    def update_arguments(self, record, data, partial):
        return data


class CreateRecordMixin:
    def create(self, request, *args, **kwargs):
        arguments = self.create_arguments(self.write_data())
        record = self.create_service(user=request.user, **arguments)
        return self.respond(record, status.HTTP_201_CREATED)


class UpdateRecordMixin:
    def update(self, request, *args, partial=False, **kwargs):
        record = self.get_object()
        expected = self.expected_revision(record)
        arguments = self.update_arguments(record, self.update_data(partial), partial)
        record = self.call_service(
            record,
            self.update_service,
            user=request.user,
            expected_revision=expected,
            **{self.record_keyword: record},
            **arguments,
        )
        return self.respond(record)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)


class DestroyRecordMixin:
    def destroy(self, request, *args, **kwargs):
        record = self.get_object()
        self.call_service(
            record,
            self.delete_service,
            user=request.user,
            expected_revision=self.optional_expected_revision(),
            **{self.record_keyword: record},
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
