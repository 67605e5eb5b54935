"""The protocols API: protocols, versions (with sections and clauses), sections, clauses, approvals.

Who may read and change what comes only from protocols.permissions; every change goes through
protocols.services, the same functions the browser's editor calls, so the two cannot disagree.
"""

from django.db.models import Prefetch, Q
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from boards.models import Board
from core.api import MAX_ID, IdLookupMixin
from core.viewsets import CachedReadsMixin, CreateRecordMixin, DestroyRecordMixin, RecordViewSet, UpdateRecordMixin

from . import services
from .filters import ApprovalFilter, ClauseFilter, GlossaryEntryFilter, ProtocolFilter, SectionFilter, VersionFilter
from .models import Approval, Clause, GlossaryEntry, Party, Protocol, Section
from .permissions import can_edit_protocol, creatable_areas, editable_protocols, visible_versions
from .serializers import (
    ApprovalSerializer,
    ApprovalWriteSerializer,
    ClauseMoveSerializer,
    ClauseSerializer,
    ClauseUpdateSerializer,
    ClauseWriteSerializer,
    GlossaryEntryRecordSerializer,
    GlossaryEntryUpdateSerializer,
    GlossaryEntryWriteSerializer,
    PartyApprovalRuleSerializer,
    PartySerializer,
    PastVersionSerializer,
    ProtocolSerializer,
    ProtocolWriteSerializer,
    SectionSerializer,
    SectionUpdateSerializer,
    SectionWriteSerializer,
    SendForApprovalSerializer,
    StartReviewSerializer,
    VersionDetailSerializer,
    VersionSerializer,
    VersionUpdateSerializer,
)


class ReadOrEditProtocol(permissions.BasePermission):
    """Reading: whatever get_queryset lets this reader see (the rest is 404).
    Changing: can_edit_protocol on the protocol the record belongs to."""

    message = "You cannot edit this protocol."

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or request.user.is_authenticated

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        return can_edit_protocol(request.user, view.protocol_of(obj))


def require_edit(request, protocol):
    if not can_edit_protocol(request.user, protocol):
        raise exceptions.PermissionDenied(ReadOrEditProtocol.message)


def visible_protocols(user):
    """Protocols with a version this reader may see, and those they edit (a new one has only a draft)."""
    return Protocol.objects.filter(
        Q(pk__in=visible_versions(user).values("protocol_id")) | Q(pk__in=editable_protocols(user).values("pk"))
    )


def pick(queryset, pk, field):
    """A record named by id in a request body, among those this reader may see, or a 400."""
    record = queryset.filter(pk=pk).first()
    if record is None:
        raise exceptions.ValidationError({field: [f"There is no {queryset.model._meta.verbose_name} with id {pk}."]})
    return record


def _protocol_areas(pk, lookup):
    """The area of the protocol found by `lookup` (its id, or a version's), or None: the counter of every change."""
    if not str(pk).isdigit() or int(pk) > MAX_ID:
        return None  # a plain 404, as IdLookupMixin answers
    area_id = Protocol.objects.filter(**{lookup: pk}).values_list("area_id", flat=True).first()
    return [area_id] if area_id is not None else None


class RegistryViewSet(IdLookupMixin, RecordViewSet):
    """The protocols' and accountability's resources: read by whoever may see the version, changed by
    whoever may edit its protocol (ReadOrEditProtocol)."""

    permission_classes = [ReadOrEditProtocol]


@extend_schema_view(
    list=extend_schema(summary="List protocols", tags=["protocols"]),
    retrieve=extend_schema(summary="One protocol with the versions this reader may see", tags=["protocols"]),
    create=extend_schema(
        summary="Create a protocol with an empty first draft",
        tags=["protocols"],
        request=ProtocolWriteSerializer,
        responses={201: ProtocolSerializer},
    ),
    update=extend_schema(
        summary="Replace a protocol's title, summary and review settings",
        tags=["protocols"],
        request=ProtocolWriteSerializer,
    ),
    partial_update=extend_schema(
        summary="Change some of a protocol's title, summary and review settings",
        tags=["protocols"],
        request=ProtocolWriteSerializer,
    ),
)
class ProtocolViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, RegistryViewSet
):
    serializer_class = ProtocolSerializer
    filterset_class = ProtocolFilter

    def get_queryset(self):
        user = self.request.user
        versions = visible_versions(user).only("id", "number", "status", "protocol_id")
        return (
            visible_protocols(user)
            .prefetch_related(Prefetch("versions", queryset=versions, to_attr="visible"))
            .order_by("title", "id")
        )

    def protocol_of(self, protocol):
        return protocol

    def cache_areas(self):
        # A protocol's area never changes (update refuses it), and every change its record shows moves that
        # area's counter: its versions, and boards and posts it names (accountability.showing).
        return _protocol_areas(self.kwargs["pk"], "pk")

    def create(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        if not creatable_areas(request.user).exists():
            raise exceptions.PermissionDenied("You cannot start protocols in any area.")
        data = self.write_data(ProtocolWriteSerializer)
        if "area" not in data:
            raise exceptions.ValidationError({"area": ["This field is required."]})
        if not creatable_areas(request.user).filter(pk=data["area"].pk).exists():
            raise exceptions.PermissionDenied("You cannot start protocols in this area.")
        boards = []
        for board_id in data.get("party_boards", []):
            boards.append(pick(Board.objects.all(), board_id, "party_boards"))
        protocol = services.protocol_create(
            user=request.user,
            area=data["area"],
            title=data.get("title", ""),
            short_title=data.get("short_title", ""),
            summary=data.get("summary", ""),
            review_cycle_months=data.get("review_cycle_months", 12),
            party_boards=boards,
        )
        extra = {
            name: data[name]
            for name in ("review_on_legislation_change", "review_on_guidance_change", "review_note")
            if name in data
        }
        if extra:
            protocol = services.protocol_update(
                user=request.user, protocol=protocol, expected_revision=protocol.revision, **extra
            )
        return self.respond(protocol, status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        protocol = self.get_object()
        expected = self.expected_revision(protocol)
        data = self.write_data(ProtocolWriteSerializer, partial=partial)
        if "area" in data and data["area"].pk != protocol.area_id:
            raise exceptions.ValidationError({"area": ["A protocol's area cannot change."]})
        fields = {name: value for name, value in data.items() if name in services.PROTOCOL_FIELDS}
        protocol = self.call_service(
            protocol,
            services.protocol_update,
            user=request.user,
            protocol=protocol,
            expected_revision=expected,
            **fields,
        )
        return self.respond(protocol)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)


@extend_schema_view(
    list=extend_schema(summary="List protocol versions", tags=["versions"]),
    retrieve=extend_schema(
        summary="One version with its parties, approvals, sections, clauses and glossary",
        tags=["versions"],
        responses=VersionDetailSerializer,
    ),
    create=extend_schema(
        summary="Record a past version as the document gives it (label, date, status), without the approval workflow",
        tags=["versions"],
        request=PastVersionSerializer,
        responses={201: VersionDetailSerializer},
    ),
    update=extend_schema(
        summary="Replace a draft's title, label and preamble", tags=["versions"], request=VersionUpdateSerializer
    ),
    partial_update=extend_schema(
        summary="Change a draft's title, label or preamble", tags=["versions"], request=VersionUpdateSerializer
    ),
)
class VersionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, RegistryViewSet
):
    serializer_class = VersionSerializer
    filterset_class = VersionFilter

    def get_serializer_class(self):
        return VersionSerializer if self.action == "list" else VersionDetailSerializer

    def get_queryset(self):
        queryset = visible_versions(self.request.user).select_related("protocol").order_by("protocol__title", "-number")
        if self.action == "list":
            return queryset
        clauses = Clause.objects.select_related("parent").order_by("position", "id")
        parties = Party.objects.select_related("board").order_by("position", "id")
        return queryset.prefetch_related(
            Prefetch("parties", queryset=parties),
            Prefetch("parties__approvals", queryset=Approval.objects.order_by("-recorded_at")),
            Prefetch("sections", queryset=Section.objects.order_by("position", "id")),
            Prefetch("sections__clauses", queryset=clauses),
            "glossary_entries",
        )

    def protocol_of(self, version):
        return version.protocol

    def cache_areas(self):
        return _protocol_areas(self.kwargs["pk"], "versions")

    def update(self, request, *args, partial=False, **kwargs):
        version = self.get_object()
        expected = self.expected_revision(version)
        data = self.write_data(VersionUpdateSerializer, partial=partial)
        version = self.call_service(
            version, services.version_update, user=request.user, version=version, expected_revision=expected, **data
        )
        return self.respond(version)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def create(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        data = dict(self.write_data(PastVersionSerializer))
        data.pop("recorded_as_past")
        protocol = pick(visible_protocols(request.user), data.pop("protocol"), "protocol")
        require_edit(request, protocol)
        version = services.version_record_past(user=request.user, protocol=protocol, **data)
        return self.respond(version, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Start a review: a new draft copied from the agreed version",
        tags=["versions"],
        request=StartReviewSerializer,
        responses={201: VersionDetailSerializer},
    )
    @action(detail=False, methods=["post"], url_path="start-review")
    def start_review(self, request):
        data = self.write_data(StartReviewSerializer)
        protocol = pick(visible_protocols(request.user), data["protocol"], "protocol")
        require_edit(request, protocol)
        version = services.version_start_review(user=request.user, protocol=protocol)
        return self.respond(version, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Send a draft to its parties for approval",
        tags=["versions"],
        request=SendForApprovalSerializer,
        responses=VersionDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="send-for-approval")
    def send_for_approval(self, request, pk=None):
        version = self.get_object()
        data = self.write_data(SendForApprovalSerializer)
        version = services.version_send_for_approval(
            user=request.user, version=version, change_summary=data["change_summary"]
        )
        return self.respond(version)

    @extend_schema(
        summary="Record the version as agreed (every party has approved)",
        tags=["versions"],
        request=None,
        responses=VersionDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def agree(self, request, pk=None):
        version = self.get_object()
        version = services.version_agree(user=request.user, version=version)
        return self.respond(version)


@extend_schema_view(
    list=extend_schema(summary="List sections", tags=["versions"]),
    retrieve=extend_schema(summary="One section", tags=["versions"]),
    create=extend_schema(
        summary="Add a section to a draft",
        tags=["versions"],
        request=SectionWriteSerializer,
        responses={201: SectionSerializer},
    ),
    update=extend_schema(summary="Replace a section's heading", tags=["versions"], request=SectionUpdateSerializer),
    partial_update=extend_schema(summary="Change a section", tags=["versions"], request=SectionUpdateSerializer),
    destroy=extend_schema(summary="Delete a section of a draft with its clauses", tags=["versions"]),
)
class VersionPartViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    CreateRecordMixin,
    UpdateRecordMixin,
    DestroyRecordMixin,
    RegistryViewSet,
):
    """A part of a version held directly by it (its sections, its glossary): read where the version may be
    read, created in a draft the user may edit (the body names the `version`), changed through the services."""

    part_model = None
    part_order = ()

    def get_queryset(self):
        return (
            self.part_model.objects.filter(version__in=visible_versions(self.request.user))
            .select_related("version__protocol")
            .order_by("version_id", *self.part_order, "id")
        )

    def protocol_of(self, part):
        return part.version.protocol

    def create_arguments(self, data):
        version = pick(visible_versions(self.request.user).select_related("protocol"), data.pop("version"), "version")
        require_edit(self.request, version.protocol)
        return {"version": version, **data}


class SectionViewSet(VersionPartViewSet):
    part_model = Section
    part_order = ("position",)
    serializer_class = SectionSerializer
    filterset_class = SectionFilter
    write_serializer = SectionWriteSerializer
    update_serializer = SectionUpdateSerializer
    record_keyword = "section"
    create_service = staticmethod(services.section_create)
    update_service = staticmethod(services.section_update)
    delete_service = staticmethod(services.section_delete)


@extend_schema_view(
    list=extend_schema(summary="List glossary entries", tags=["versions"]),
    retrieve=extend_schema(summary="One glossary entry", tags=["versions"]),
    create=extend_schema(
        summary="Add a term to a draft's glossary",
        tags=["versions"],
        request=GlossaryEntryWriteSerializer,
        responses={201: GlossaryEntryRecordSerializer},
    ),
    update=extend_schema(summary="Replace a glossary entry", tags=["versions"], request=GlossaryEntryUpdateSerializer),
    partial_update=extend_schema(
        summary="Change a glossary entry's term or meaning", tags=["versions"], request=GlossaryEntryUpdateSerializer
    ),
    destroy=extend_schema(summary="Remove a term from a draft's glossary", tags=["versions"]),
)
class GlossaryEntryViewSet(VersionPartViewSet):
    part_model = GlossaryEntry
    part_order = ("term",)
    serializer_class = GlossaryEntryRecordSerializer
    filterset_class = GlossaryEntryFilter
    write_serializer = GlossaryEntryWriteSerializer
    update_serializer = GlossaryEntryUpdateSerializer
    record_keyword = "entry"
    create_service = staticmethod(services.glossary_entry_create)
    update_service = staticmethod(services.glossary_entry_update)
    delete_service = staticmethod(services.glossary_entry_delete)


@extend_schema_view(
    list=extend_schema(summary="List clauses", tags=["versions"]),
    retrieve=extend_schema(summary="One clause", tags=["versions"]),
    create=extend_schema(
        summary="Add a clause (or a sub-clause) to a draft",
        tags=["versions"],
        request=ClauseWriteSerializer,
        responses={201: ClauseSerializer},
    ),
    update=extend_schema(
        summary="Replace a clause's text and number", tags=["versions"], request=ClauseUpdateSerializer
    ),
    partial_update=extend_schema(
        summary="Change a clause's text or number", tags=["versions"], request=ClauseUpdateSerializer
    ),
    destroy=extend_schema(summary="Delete a clause of a draft with its sub-clauses", tags=["versions"]),
)
class ClauseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    CreateRecordMixin,
    UpdateRecordMixin,
    DestroyRecordMixin,
    RegistryViewSet,
):
    serializer_class = ClauseSerializer
    filterset_class = ClauseFilter
    write_serializer = ClauseWriteSerializer
    update_serializer = ClauseUpdateSerializer
    record_keyword = "clause"
    create_service = staticmethod(services.clause_create)
    update_service = staticmethod(services.clause_update)
    delete_service = staticmethod(services.clause_delete)

    def get_queryset(self):
        return (
            Clause.objects.filter(section__version__in=visible_versions(self.request.user))
            .select_related("section__version__protocol", "parent")
            .order_by("section__version_id", "section__position", "position", "id")
        )

    def protocol_of(self, clause):
        return clause.section.version.protocol

    def create_arguments(self, data):
        section = pick(self.sections(), data["section"], "section")
        require_edit(self.request, section.version.protocol)
        parent = None
        if data.get("parent"):
            parent = pick(Clause.objects.filter(section__version_id=section.version_id), data["parent"], "parent")
        return {
            "section": section,
            "text": data["text"],
            "number": data.get("number", ""),
            "parent": parent,
            "position": data.get("position"),
        }

    def sections(self):
        return Section.objects.filter(version__in=visible_versions(self.request.user)).select_related(
            "version__protocol"
        )

    def update_arguments(self, record, data, partial):
        if not partial and "text" not in data:
            raise exceptions.ValidationError({"text": ["This field is required."]})
        return data

    @extend_schema(
        summary="Move a clause (with its sub-clauses) among its siblings or to another section",
        tags=["versions"],
        request=ClauseMoveSerializer,
        responses=ClauseSerializer,
    )
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        clause = self.get_object()
        data = self.write_data(ClauseMoveSerializer)
        section = None
        if data.get("section"):
            section = pick(Section.objects.filter(version_id=clause.section.version_id), data["section"], "section")
        clause = services.clause_move(user=request.user, clause=clause, position=data["position"], section=section)
        return self.respond(clause)


@extend_schema_view(
    list=extend_schema(summary="List approvals", tags=["versions"]),
    retrieve=extend_schema(summary="One approval", tags=["versions"]),
    create=extend_schema(
        summary="Record a party board's approval; the last one makes the version agreed",
        tags=["versions"],
        request=ApprovalWriteSerializer,
        responses={201: ApprovalSerializer},
    ),
)
class ApprovalViewSet(CachedReadsMixin, IdLookupMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ApprovalSerializer
    filterset_class = ApprovalFilter
    permission_classes = [ReadOrEditProtocol]

    def get_queryset(self):
        return (
            Approval.objects.filter(party__version__in=visible_versions(self.request.user))
            .select_related("party")
            .order_by("party__version_id", "party__position", "-recorded_at", "id")
        )

    def create(self, request, *args, **kwargs):
        serializer = ApprovalWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        parties = Party.objects.filter(version__in=visible_versions(request.user)).select_related(
            "version__protocol", "board"
        )
        party = pick(parties, data.pop("party"), "party")
        require_edit(request, party.version.protocol)
        approval = services.approval_record(user=request.user, party=party, **data)
        return Response(ApprovalSerializer(self.get_queryset().get(pk=approval.pk)).data, status=201)


@extend_schema_view(
    list=extend_schema(summary="List the parties of versions", tags=["versions"]),
    retrieve=extend_schema(summary="One party with its signatures", tags=["versions"]),
)
class PartyViewSet(CachedReadsMixin, IdLookupMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PartySerializer
    permission_classes = [ReadOrEditProtocol]

    def get_queryset(self):
        queryset = (
            Party.objects.filter(version__in=visible_versions(self.request.user))
            .select_related("board", "version__protocol")
            .prefetch_related(Prefetch("approvals", queryset=Approval.objects.order_by("recorded_at", "id")))
            .order_by("version_id", "position", "id")
        )
        version = self.request.query_params.get("version")
        if version and version.isdigit():
            queryset = queryset.filter(version_id=int(version))
        return queryset

    def protocol_of(self, party):
        return party.version.protocol

    @extend_schema(
        summary="How a party's approval is complete: the number of signatories listed, or a paper copy with a note",
        tags=["versions"],
        request=PartyApprovalRuleSerializer,
        responses=PartySerializer,
    )
    @action(detail=True, methods=["post"], url_path="approval-rule")
    def approval_rule(self, request, pk=None):
        party = self.get_object()
        require_edit(request, party.version.protocol)
        serializer = PartyApprovalRuleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.party_approval_rule(user=request.user, party=party, **serializer.validated_data)
        return Response(PartySerializer(self.get_queryset().get(pk=party.pk)).data)
