"""The import through the API: POST a file to read it into a draft with its warnings (nothing is a
record yet), then POST the confirmation to save the draft. The same services as the browser."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, parsers, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from boards.models import Area
from core.api import IdLookupMixin

from . import import_services
from .models import ImportedDocument, Protocol
from .permissions import can_edit_protocol, creatable_areas


class ImportedDocumentSerializer(serializers.ModelSerializer):
    suggestions = serializers.SerializerMethodField()

    class Meta:
        model = ImportedDocument
        fields = [
            "id",
            "area",
            "filename",
            "sha256",
            "size",
            "format",
            "parsed",
            "suggestions",
            "protocol",
            "version",
            "created_at",
            "saved_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_suggestions(self, obj) -> dict:
        found = import_services.import_suggestions(obj)

        def board(b):
            return {"id": b.pk, "name": b.name}

        return {
            "parties": [board(b) for b in found["parties"]],
            "unmatched_parties": found["unmatched_parties"],
            "relations": [
                {
                    **{k: v for k, v in relation.items() if not k.endswith("_boards")},
                    "sender_boards": [board(b) for b in relation["sender_boards"]],
                    "receiver_boards": [board(b) for b in relation["receiver_boards"]],
                }
                for relation in found["relations"]
            ],
        }


class ImportUploadSerializer(serializers.Serializer):
    area = serializers.PrimaryKeyRelatedField(queryset=Area.objects.all())
    file = serializers.FileField(allow_empty_file=True)
    protocol = serializers.PrimaryKeyRelatedField(
        queryset=Protocol.objects.all(),
        required=False,
        allow_null=True,
        help_text="To import a new version of this protocol (of the same area) rather than a new protocol.",
    )


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}]})
class BoardRefField(serializers.Field):
    """A board of the area's register by its id, or the name of a board to add to the register as new."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str) or (isinstance(data, str) and not data.strip()):
            raise serializers.ValidationError("Give a board's id, or the name of a new board.")
        return data

    def to_representation(self, value):
        return value


class ConfirmObligationSerializer(serializers.Serializer):
    suggestion = serializers.CharField(help_text="The id of a suggestion with kind 'reports to'.")
    title = serializers.CharField(max_length=250, help_text="What is sent, in the protocol's words.")
    subject = serializers.CharField(max_length=30, required=False, default="other")
    senders = serializers.ListField(child=BoardRefField(), required=False, default=list)
    recipients = serializers.ListField(child=BoardRefField(), min_length=1)
    frequency = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    frequency_at_least = serializers.BooleanField(required=False, default=False)
    window_start_month = serializers.IntegerField(required=False, allow_null=True, default=None)
    window_end_month = serializers.IntegerField(required=False, allow_null=True, default=None)


class ConfirmRelationSerializer(serializers.Serializer):
    suggestion = serializers.CharField()
    kind = serializers.CharField(max_length=40)
    subject = BoardRefField()
    object = BoardRefField()


class ConfirmPastVersionSerializer(serializers.Serializer):
    index = serializers.IntegerField(min_value=0, help_text="The row of parsed.past_versions.")
    status = serializers.ChoiceField(choices=import_services.past_statuses())


class ConfirmApprovalSerializer(serializers.Serializer):
    index = serializers.IntegerField(min_value=0, help_text="The approval of parsed.approvals.")
    board = BoardRefField(help_text="The party it is for: a board of the area's register, or a new party's name.")


class ImportConfirmSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    party_boards = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, default=list)
    new_parties = serializers.ListField(
        child=serializers.CharField(max_length=250), required=False, default=list, help_text="Boards to add as new."
    )
    glossary = serializers.ListField(child=serializers.IntegerField(min_value=0), required=False, default=list)
    use_document_date = serializers.BooleanField(default=False)
    obligations = ConfirmObligationSerializer(many=True, required=False, default=list)
    relations = ConfirmRelationSerializer(many=True, required=False, default=list)
    past_versions = ConfirmPastVersionSerializer(many=True, required=False, default=list)
    save_as_past = serializers.BooleanField(
        default=False, help_text="Record the document as a past version (past_status, past_label) instead of a draft."
    )
    past_status = serializers.ChoiceField(choices=import_services.past_statuses(), required=False)
    past_label = serializers.CharField(max_length=100, required=False, default="")
    approvals = ConfirmApprovalSerializer(
        many=True,
        required=False,
        default=list,
        help_text="Approvals the document states, to record as written (only with save_as_past, agreed).",
    )

    def validate(self, data):
        if data["save_as_past"] and not data.get("past_status"):
            raise serializers.ValidationError({"past_status": "Say whether this version was agreed or circulated."})
        return data


@extend_schema_view(
    retrieve=extend_schema(summary="One uploaded document and the draft read from it", tags=["imports"]),
    create=extend_schema(
        summary="Upload a document (.docx, .odt, .pdf, .txt, .md) and read it into a draft to review",
        tags=["imports"],
        request={"multipart/form-data": ImportUploadSerializer},
        responses={201: ImportedDocumentSerializer},
    ),
)
class ImportViewSet(IdLookupMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ImportedDocumentSerializer
    parser_classes = [parsers.MultiPartParser, parsers.FormParser, parsers.JSONParser]
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return ImportedDocument.objects.filter(area__in=creatable_areas(self.request.user)).select_related("area")

    def create(self, request, *args, **kwargs):
        upload = ImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        area = upload.validated_data["area"]
        protocol = upload.validated_data.get("protocol")
        if protocol is not None:
            if not can_edit_protocol(request.user, protocol):
                raise exceptions.PermissionDenied("You cannot edit this protocol.")
            if protocol.area_id != area.pk:
                raise exceptions.ValidationError({"protocol": "The protocol belongs to another area."})
        elif not creatable_areas(request.user).filter(pk=area.pk).exists():
            raise exceptions.PermissionDenied("You cannot import protocols in this area.")
        imported = import_services.imported_document_create(
            user=request.user, area=area, upload=upload.validated_data["file"], protocol=protocol
        )
        return Response(ImportedDocumentSerializer(imported).data, status=201)

    @extend_schema(
        summary="Save the reviewed import: the accepted parties, glossary, date, obligations, relations and past versions; as a draft or as a past version",
        tags=["imports"],
        request=ImportConfirmSerializer,
        responses={201: ImportedDocumentSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[parsers.JSONParser])
    def confirm(self, request, pk=None):
        imported = self.get_object()
        data = ImportConfirmSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        boards = {board.pk: board for board in imported.area.boards.all()}
        unknown = [pk for pk in values["party_boards"] if pk not in boards]
        if unknown:
            raise exceptions.ValidationError({"party_boards": f"Not boards of {imported.area.name}: {unknown}"})
        import_services.imported_document_confirm(
            user=request.user,
            imported=imported,
            choices=import_services.ImportChoices(
                title=values["title"],
                party_boards=[boards[pk] for pk in values["party_boards"]],
                new_parties=values["new_parties"],
                glossary_terms=values["glossary"],
                use_document_date=values["use_document_date"],
                obligations=[dict(item) for item in values["obligations"]],
                relations=[dict(item) for item in values["relations"]],
                past_versions=[dict(item) for item in values["past_versions"]],
                save_as_past=values["save_as_past"],
                past_status=values.get("past_status", ""),
                past_label=values["past_label"] or imported.parsed.get("version", ""),
                approvals=[dict(item) for item in values["approvals"]],
            ),
        )
        imported.refresh_from_db()
        return Response(ImportedDocumentSerializer(imported).data, status=201)
