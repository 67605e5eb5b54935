"""The accountability API: legal references, duties, obligations and their fulfilments, relations, meetings,
priorities, escalation routes, the map.

Records stated by a protocol version are read by whoever may read that version and changed by
whoever may edit its protocol (protocols.permissions), always through accountability.services.
Records not tied to a version describe an area in general and are kept by administrators in the admin.
"""

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.response import Response

from boards.models import Area
from core.api import IdLookupMixin
from core.viewsets import CachedReadsMixin, CreateRecordMixin, DestroyRecordMixin, UpdateRecordMixin
from protocols.api import ReadOrEditProtocol, RegistryViewSet, pick, require_edit
from protocols.models import ProtocolVersion
from protocols.permissions import visible_versions

from . import services
from .filters import (
    DutyFilter,
    EscalationRouteFilter,
    FulfilmentFilter,
    LegalInstrumentFilter,
    LegalReferenceFilter,
    MeetingFilter,
    ObligationFilter,
    PriorityFilter,
    RelationFilter,
)
from .fulfilment import can_record_fulfilment, obligation_fulfilment_record
from .graph import area_graph
from .models import (
    Duty,
    EscalationRoute,
    EscalationStep,
    LegalInstrument,
    LegalReference,
    Meeting,
    ObligationFulfilment,
    Priority,
    Relation,
    ReportingObligation,
)
from .serializers import (
    DutySerializer,
    DutyWriteSerializer,
    EscalationRouteSerializer,
    FulfilmentSerializer,
    FulfilmentWriteSerializer,
    GraphSerializer,
    LegalInstrumentSerializer,
    LegalReferenceSerializer,
    MeetingSerializer,
    MeetingWriteSerializer,
    ObligationSerializer,
    ObligationWriteSerializer,
    PrioritySerializer,
    RelationSerializer,
    RelationWriteSerializer,
)


def visible_records(model, user):
    """The model's records the user may read, with the source clause every representation cites."""
    return model.objects.filter(Q(version__isnull=True) | Q(version__in=visible_versions(user))).select_related(
        "source_clause__section__version__protocol", "source_clause__parent"
    )


class ReadOrEditVersion(ReadOrEditProtocol):
    message = "You cannot edit this protocol's records."

    def has_object_permission(self, request, view, obj):
        if request.method not in permissions.SAFE_METHODS and obj.version_id is None:
            self.message = "This record is not part of a protocol version; administrators keep it in the admin."
            return False
        return super().has_object_permission(request, view, obj)


class SourcedViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    CreateRecordMixin,
    UpdateRecordMixin,
    DestroyRecordMixin,
    RegistryViewSet,
):
    """A record stated by a protocol version, written through the services each resource names."""

    permission_classes = [ReadOrEditVersion]
    service_fields = ()

    def protocol_of(self, record):
        return record.version.protocol

    def service_values(self, data):
        return {name: value for name, value in data.items() if name in self.service_fields}

    def create_arguments(self, data):
        if not data.get("version"):
            raise exceptions.ValidationError({"version": ["This field is required."]})
        version = pick(visible_versions(self.request.user).select_related("protocol"), data.pop("version"), "version")
        require_edit(self.request, version.protocol)
        return {"version": version, **self.service_values(data)}

    def update_data(self, partial):
        # Read as partial, so a full replacement may leave out the version it cannot change anyway.
        data = self.write_data(partial=True)
        if not partial:
            missing = [n for n, f in self.write_serializer().fields.items() if f.required and n not in data]
            missing = [n for n in missing if n != "version"]
            if missing:
                raise exceptions.ValidationError({name: ["This field is required."] for name in missing})
        return data

    def update_arguments(self, record, data, partial):
        if "version" in data and data["version"] != record.version_id:
            raise exceptions.ValidationError({"version": ["A record cannot move to another version."]})
        return self.service_values(data)


def _sourced_schema(noun, plural, write_serializer, read_serializer, tag):
    return extend_schema_view(
        list=extend_schema(summary=f"List {plural}", tags=[tag]),
        retrieve=extend_schema(summary=f"One {noun}", tags=[tag]),
        create=extend_schema(
            summary=f"Add a {noun} to a draft version",
            tags=[tag],
            request=write_serializer,
            responses={201: read_serializer},
        ),
        update=extend_schema(summary=f"Replace a {noun} of a draft", tags=[tag], request=write_serializer),
        partial_update=extend_schema(summary=f"Change a {noun} of a draft", tags=[tag], request=write_serializer),
        destroy=extend_schema(summary=f"Delete a {noun} of a draft", tags=[tag]),
    )


@_sourced_schema(
    "reporting obligation", "reporting obligations", ObligationWriteSerializer, ObligationSerializer, "accountability"
)
class ObligationViewSet(SourcedViewSet):
    serializer_class = ObligationSerializer
    filterset_class = ObligationFilter
    write_serializer = ObligationWriteSerializer
    record_keyword = "obligation"
    create_service = staticmethod(services.obligation_create)
    update_service = staticmethod(services.obligation_update)
    delete_service = staticmethod(services.obligation_delete)
    service_fields = (*services.OBLIGATION_FIELDS, "senders", "recipients")

    def get_queryset(self):
        return (
            visible_records(ReportingObligation, self.request.user)
            .select_related("version__protocol")
            .prefetch_related("senders", "recipients")
            .order_by("id")
        )

    def service_values(self, data):
        values = super().service_values(data)
        for name in ("senders", "recipients"):
            if name in values:
                values[name] = [r.get("board") or r.get("post") for r in values[name]]
        if "frequency" in values:
            values["frequency"] = values["frequency"] or ""  # null and "" both mean "not stated"
        return values


@_sourced_schema(
    "accountability relation", "accountability relations", RelationWriteSerializer, RelationSerializer, "accountability"
)
class RelationViewSet(SourcedViewSet):
    serializer_class = RelationSerializer
    filterset_class = RelationFilter
    write_serializer = RelationWriteSerializer
    record_keyword = "relation"
    create_service = staticmethod(services.relation_create)
    update_service = staticmethod(services.relation_update)
    delete_service = staticmethod(services.relation_delete)
    service_fields = services.RELATION_FIELDS

    def get_queryset(self):
        return (
            visible_records(Relation, self.request.user)
            .select_related("version__protocol", "subject_board", "subject_post", "object_board", "object_post")
            .order_by("id")
        )


@_sourced_schema("duty", "duties and functions", DutyWriteSerializer, DutySerializer, "accountability")
class DutyViewSet(SourcedViewSet):
    serializer_class = DutySerializer
    filterset_class = DutyFilter
    write_serializer = DutyWriteSerializer
    record_keyword = "duty"
    create_service = staticmethod(services.duty_create)
    update_service = staticmethod(services.duty_update)
    delete_service = staticmethod(services.duty_delete)
    service_fields = (*services.DUTY_FIELDS, "legal_references")

    def get_queryset(self):
        return (
            visible_records(Duty, self.request.user)
            .select_related("version__protocol")
            .prefetch_related("legal_references")
            .order_by("id")
        )


@extend_schema_view(
    list=extend_schema(summary="List escalation (resolution) routes with their ordered steps", tags=["accountability"]),
    retrieve=extend_schema(summary="One escalation route", tags=["accountability"]),
)
class EscalationRouteViewSet(CachedReadsMixin, IdLookupMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = EscalationRouteSerializer
    filterset_class = EscalationRouteFilter

    def get_queryset(self):
        steps = EscalationStep.objects.prefetch_related("posts", "boards").order_by("order")
        return (
            visible_records(EscalationRoute, self.request.user)
            .prefetch_related(Prefetch("steps", queryset=steps))
            .order_by("id")
        )


@_sourced_schema(
    "regular meeting",
    "regular meetings with who meets and their standing agenda",
    MeetingWriteSerializer,
    MeetingSerializer,
    "accountability",
)
class MeetingViewSet(SourcedViewSet):
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    write_serializer = MeetingWriteSerializer
    record_keyword = "meeting"
    create_service = staticmethod(services.meeting_create)
    update_service = staticmethod(services.meeting_update)
    delete_service = staticmethod(services.meeting_delete)
    service_fields = (*services.MEETING_FIELDS, "participants", "agenda")

    def service_values(self, data):
        # Who meets is one list for the service, boards and posts together, as the editor's form gives it.
        boards, posts = data.pop("participant_boards", None), data.pop("participant_posts", None)
        if boards is not None or posts is not None:
            data["participants"] = [*(boards or []), *(posts or [])]
        return super().service_values(data)

    def update_arguments(self, record, data, partial):
        # A change that names only the boards (or only the posts) that meet keeps the other kind as stored.
        if ("participant_boards" in data) != ("participant_posts" in data):
            data.setdefault("participant_boards", list(record.participant_boards.all()))
            data.setdefault("participant_posts", list(record.participant_posts.all()))
        return super().update_arguments(record, data, partial)

    def get_queryset(self):
        return (
            visible_records(Meeting, self.request.user)
            .prefetch_related("participant_boards", "participant_posts", "agenda_items")
            .order_by("id")
        )


@extend_schema_view(
    list=extend_schema(summary="List shared priorities with who leads on each", tags=["accountability"]),
    retrieve=extend_schema(summary="One shared priority", tags=["accountability"]),
)
class PriorityViewSet(CachedReadsMixin, IdLookupMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PrioritySerializer
    filterset_class = PriorityFilter

    def get_queryset(self):
        return (
            visible_records(Priority, self.request.user)
            .prefetch_related("leads")
            .order_by("version_id", "position", "id")
        )


@extend_schema_view(
    list=extend_schema(summary="List records of reporting obligations being met", tags=["accountability"]),
    retrieve=extend_schema(summary="One record of an obligation being met", tags=["accountability"]),
    create=extend_schema(
        summary="Record that a reporting obligation was met for one period",
        tags=["accountability"],
        request=FulfilmentWriteSerializer,
        responses={201: FulfilmentSerializer},
    ),
)
class FulfilmentViewSet(
    CachedReadsMixin,
    IdLookupMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = FulfilmentSerializer
    filterset_class = FulfilmentFilter
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    def get_queryset(self):
        user = self.request.user
        return ObligationFulfilment.objects.filter(
            Q(obligation__version__isnull=True) | Q(obligation__version__in=visible_versions(user))
        ).order_by("-period_start", "-id")

    def create(self, request, *args, **kwargs):
        serializer = FulfilmentWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        obligations = visible_records(ReportingObligation, request.user).select_related("version__protocol")
        obligation = pick(obligations, data["obligation"], "obligation")
        if not can_record_fulfilment(request.user, obligation):
            raise exceptions.PermissionDenied("You cannot record this obligation as met.")
        fulfilment = obligation_fulfilment_record(
            user=request.user,
            obligation=obligation,
            period_start=data.get("period_start", data["met_on"]),
            met_on=data["met_on"],
            note=data.get("note", ""),
            link=data.get("link", ""),
        )
        return Response(self.get_serializer(fulfilment).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="List legal references (provisions of Acts, guidance, reviews)", tags=["law"]),
    retrieve=extend_schema(summary="One legal reference", tags=["law"]),
)
class LegalReferenceViewSet(CachedReadsMixin, IdLookupMixin, viewsets.ReadOnlyModelViewSet):
    queryset = LegalReference.objects.select_related("instrument").order_by("instrument__title", "provision", "id")
    serializer_class = LegalReferenceSerializer
    filterset_class = LegalReferenceFilter


@extend_schema_view(
    list=extend_schema(summary="List legal instruments (Acts, regulations, guidance)", tags=["law"]),
    retrieve=extend_schema(summary="One legal instrument", tags=["law"]),
)
class LegalInstrumentViewSet(CachedReadsMixin, IdLookupMixin, viewsets.ReadOnlyModelViewSet):
    queryset = LegalInstrument.objects.order_by("title", "id")
    serializer_class = LegalInstrumentSerializer
    filterset_class = LegalInstrumentFilter


class GraphViewSet(viewsets.ViewSet):
    """The accountability map of an area: the data the map page draws."""

    lookup_field = "slug"
    serializer_class = GraphSerializer

    @extend_schema(
        summary="The accountability map of an area as nodes and edges",
        tags=["accountability"],
        parameters=[
            OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="The area's slug."),
            OpenApiParameter(
                "include_drafts",
                OpenApiTypes.BOOL,
                description="Show open drafts' arrows, marked added or removed. Needs access to the area's drafts.",
            ),
        ],
        responses=GraphSerializer,
    )
    def retrieve(self, request, slug=None):
        area = get_object_or_404(Area, slug=slug)
        include_drafts = self.include_drafts()
        if include_drafts:
            drafts = ProtocolVersion.objects.open().filter(protocol__area=area)
            hidden = drafts.exclude(pk__in=visible_versions(request.user).values("pk"))
            if hidden.exists():
                if not request.user.is_authenticated:
                    raise exceptions.NotAuthenticated()
                raise exceptions.PermissionDenied("You cannot read every draft in this area.")
        return Response(area_graph(area, include_drafts=include_drafts))

    def include_drafts(self):
        value = self.request.query_params.get("include_drafts", "false").strip().lower()
        if value not in {"true", "false", "1", "0", ""}:
            raise exceptions.ValidationError({"include_drafts": ["Must be true or false."]})
        return value in {"true", "1"}
