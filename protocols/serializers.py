"""How protocols, versions, sections, clauses and approvals look in the API.

Serializers translate only: they validate the shape of what is sent, and the views hand the
values to protocols.services, which hold the rules.
"""

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from boards.models import DatePrecision
from core.api import MAX_ID, RejectUnknownFieldsMixin, absolute_url, optional_url

from .models import Approval, Clause, GlossaryEntry, Party, Protocol, ProtocolVersion, ReviewState, Section


class NotStatedAsNullMixin:
    """Fields a protocol may leave silent are empty strings in the database and null in the API: a reader
    never mistakes silence for a value, and nothing is filled in."""

    not_stated_fields: tuple[str, ...] = ()

    def get_fields(self):
        fields = super().get_fields()
        for name in self.not_stated_fields:
            if name in fields:
                fields[name].allow_null = True  # so the OpenAPI schema says null may come back
        return fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        for name in self.not_stated_fields:
            if name in data and data[name] in ("", None):
                data[name] = None
        return data


class ProtocolVersionSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = ProtocolVersion
        fields = ["id", "number", "status"]


class ProtocolSerializer(serializers.ModelSerializer):
    versions = serializers.SerializerMethodField(help_text="The versions this reader may see, newest first.")
    current_version = serializers.SerializerMethodField(help_text="The agreed version in force, if any.")
    links = serializers.SerializerMethodField()

    class Meta:
        model = Protocol
        fields = [
            "id",
            "title",
            "short_title",
            "slug",
            "area",
            "summary",
            "review_cycle_months",
            "review_on_legislation_change",
            "review_on_guidance_change",
            "review_note",
            "revision",
            "current_version",
            "versions",
            "links",
        ]
        read_only_fields = ["slug", "revision"]

    @extend_schema_field(ProtocolVersionSummarySerializer(many=True))
    def get_versions(self, protocol):
        versions = sorted(getattr(protocol, "visible", []), key=lambda v: -v.number)
        return ProtocolVersionSummarySerializer(versions, many=True).data

    def get_current_version(self, protocol) -> int | None:
        agreed = [v for v in getattr(protocol, "visible", []) if v.is_agreed]
        return agreed[0].pk if agreed else None

    def get_links(self, protocol) -> dict[str, str | None]:
        return {"web": absolute_url(self.context.get("request"), protocol.get_absolute_url())}


class ProtocolWriteSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    """What a client may set on a protocol; the area only when creating it."""

    representation = ProtocolSerializer

    party_boards = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        max_length=50,
        write_only=True,
        help_text="Ids of the boards party to the first draft (on create only).",
    )

    class Meta:
        model = Protocol
        fields = [
            "title",
            "short_title",
            "area",
            "summary",
            "review_cycle_months",
            "review_on_legislation_change",
            "review_on_guidance_change",
            "review_note",
            "party_boards",
        ]
        extra_kwargs = {"review_cycle_months": {"min_value": 1, "max_value": 120}, "area": {"required": False}}


class ClauseSerializer(serializers.ModelSerializer):
    reference = serializers.SerializerMethodField(help_text="How readers cite it, e.g. 4.6(a).")
    version = serializers.IntegerField(source="section.version_id", read_only=True)
    text = serializers.CharField(
        source="html", read_only=True, help_text="Sanitised HTML, each typed character escaped once."
    )
    plain_text = serializers.CharField(
        read_only=True,
        help_text="The words without markup or entities: one line per paragraph or list item. Write `text`.",
    )

    class Meta:
        model = Clause
        fields = [
            "id",
            "key",
            "section",
            "version",
            "parent",
            "number",
            "reference",
            "text",
            "plain_text",
            "position",
            "revision",
        ]
        read_only_fields = fields

    def get_reference(self, clause) -> str:
        return clause.reference


class ClauseWriteSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    representation = ClauseSerializer

    section = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="On create only.")
    parent = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True, help_text="On create only."
    )
    number = serializers.CharField(max_length=20, required=False, allow_blank=True)
    text = serializers.CharField(max_length=100_000, help_text="HTML; sanitised by the registry.")
    position = serializers.IntegerField(
        min_value=0, max_value=100_000, required=False, help_text="On create only: place among siblings."
    )


class ClauseUpdateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    representation = ClauseSerializer

    number = serializers.CharField(max_length=20, required=False, allow_blank=True)
    text = serializers.CharField(max_length=100_000, required=False, help_text="HTML; sanitised by the registry.")


class ClauseMoveSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    # No representation: a move body is not a clause, and a clause's text sent here would be lost.
    position = serializers.IntegerField(min_value=0, max_value=100_000)
    section = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, help_text="Another section of the same version."
    )


class SectionSerializer(NotStatedAsNullMixin, serializers.ModelSerializer):
    not_stated_fields = ("heading", "number")

    class Meta:
        model = Section
        fields = ["id", "key", "version", "kind", "part", "number", "heading", "position", "revision"]
        read_only_fields = fields


class SectionWithClausesSerializer(SectionSerializer):
    clauses = ClauseSerializer(many=True, read_only=True)

    class Meta(SectionSerializer.Meta):
        fields = [*SectionSerializer.Meta.fields, "clauses"]
        read_only_fields = fields


class SectionWriteSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    representation = SectionSerializer

    version = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="On create only.")
    heading = serializers.CharField(
        max_length=300, allow_blank=True, allow_null=True, help_text="null (or empty) when the document gives none."
    )
    number = serializers.CharField(max_length=20, required=False, allow_blank=True, allow_null=True)
    kind = serializers.ChoiceField(choices=Section.Kind.choices, required=False)
    part = serializers.CharField(max_length=120, required=False, allow_blank=True)
    position = serializers.IntegerField(min_value=0, max_value=100_000, required=False, help_text="On create only.")

    def validate_heading(self, value):
        return value or ""  # null: the document gives none

    def validate_number(self, value):
        return value or ""


class SectionUpdateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    representation = SectionSerializer

    heading = serializers.CharField(max_length=300, required=False, allow_blank=True, allow_null=True)
    number = serializers.CharField(max_length=20, required=False, allow_blank=True, allow_null=True)
    kind = serializers.ChoiceField(choices=Section.Kind.choices, required=False)
    part = serializers.CharField(max_length=120, required=False, allow_blank=True)

    def validate_heading(self, value):
        return value or ""  # null: the document gives none

    def validate_number(self, value):
        return value or ""


class ApprovalSerializer(NotStatedAsNullMixin, serializers.ModelSerializer):
    """One signatory's approval. A date, name, post or capacity the protocol does not state is null."""

    not_stated_fields = (
        "approved_on",
        "approved_precision",
        "approved_display",
        "signatory_name",
        "signatory_post_title",
        "capacity",
        "signature_text",
        "note",
    )

    version = serializers.IntegerField(source="party.version_id", read_only=True)
    board = serializers.IntegerField(source="party.board_id", read_only=True)
    approved_display = serializers.CharField(
        read_only=True, allow_null=True, help_text="The date as precisely as it is known; null when not stated."
    )
    has_signature_image = serializers.SerializerMethodField()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if data.get("approved_on") is None:
            data["approved_precision"] = None
        return data

    class Meta:
        model = Approval
        fields = [
            "id",
            "party",
            "version",
            "board",
            "approved_on",
            "approved_precision",
            "approved_display",
            "signatory_name",
            "signatory_post",
            "signatory_post_title",
            "capacity",
            "signature_kind",
            "signature_text",
            "has_signature_image",
            "note",
            "recorded_at",
            "withdrawn_at",
            "withdrawn_reason",
        ]
        read_only_fields = fields

    def get_has_signature_image(self, approval) -> bool:
        return bool(approval.signature_image)


class ApprovalWriteSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    representation = ApprovalSerializer

    party = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="The party (board on a version).")
    approved_on = serializers.DateField(
        allow_null=True,
        help_text="For a month-precise date send the 1st of the month; null when the protocol does not state it.",
    )
    approved_precision = serializers.ChoiceField(
        choices=DatePrecision.choices, default=DatePrecision.DAY, allow_null=True
    )
    signatory_name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, allow_null=True, help_text="null when not named."
    )
    signatory_post_title = serializers.CharField(max_length=250, required=False, allow_blank=True, allow_null=True)
    capacity = serializers.CharField(
        max_length=120, required=False, allow_blank=True, allow_null=True, help_text="E.g. 'Co-chair'."
    )
    signature_kind = serializers.ChoiceField(
        choices=[Approval.SignatureKind.NONE, Approval.SignatureKind.TYPED], default=Approval.SignatureKind.NONE
    )
    signature_text = serializers.CharField(max_length=200, required=False, allow_blank=True)


class PartySerializer(NotStatedAsNullMixin, serializers.ModelSerializer):
    not_stated_fields = ("paper_note",)

    board_name = serializers.CharField(source="board.name", read_only=True)
    approval = serializers.SerializerMethodField(
        help_text="The first live signature, if any (kept for older clients; see approvals)."
    )
    approvals = serializers.SerializerMethodField(help_text="Every live signature, in the order recorded.")
    approval_complete = serializers.BooleanField(
        read_only=True, help_text="The listed signatories have signed, or it was recorded from a paper copy."
    )

    class Meta:
        model = Party
        fields = [
            "id",
            "version",
            "board",
            "board_name",
            "signatory_post",
            "position",
            "signatories_expected",
            "recorded_from_paper",
            "paper_note",
            "approval_complete",
            "approval",
            "approvals",
        ]
        read_only_fields = fields

    @extend_schema_field(ApprovalSerializer(allow_null=True))
    def get_approval(self, party):
        approval = party.current_approval()
        return ApprovalSerializer(approval).data if approval else None

    @extend_schema_field(ApprovalSerializer(many=True))
    def get_approvals(self, party):
        return ApprovalSerializer(party.live_approvals(), many=True).data


class PartyApprovalRuleSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    representation = PartySerializer

    signatories_expected = serializers.IntegerField(
        min_value=1, max_value=20, required=False, help_text="How many signatories the protocol lists."
    )
    recorded_from_paper = serializers.BooleanField(
        required=False, help_text="Mark (or unmark) the approval as recorded from a paper copy."
    )
    paper_note = serializers.CharField(
        max_length=500, required=False, allow_blank=True, help_text="What the paper copy shows; required to mark."
    )


class GlossaryEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = GlossaryEntry
        fields = ["term", "meaning"]


class GlossaryEntryRecordSerializer(serializers.ModelSerializer):
    """A glossary entry as its own resource (/api/glossary-entries/)."""

    class Meta:
        model = GlossaryEntry
        fields = ["id", "version", "term", "meaning"]
        read_only_fields = fields


class GlossaryEntryWriteSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    representation = GlossaryEntryRecordSerializer

    version = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="On create only.")
    term = serializers.CharField(max_length=60)
    meaning = serializers.CharField(max_length=300)


class GlossaryEntryUpdateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    representation = GlossaryEntryRecordSerializer

    term = serializers.CharField(max_length=60, required=False)
    meaning = serializers.CharField(max_length=300, required=False)


class VersionSerializer(NotStatedAsNullMixin, serializers.ModelSerializer):
    not_stated_fields = ("label", "document_date_display", "document_date_precision")

    effective_date_display = serializers.CharField(read_only=True)
    document_date_display = serializers.CharField(
        read_only=True, allow_null=True, help_text="The date printed on the document; null when it states none."
    )
    review_state = serializers.SerializerMethodField(
        help_text="Where the version in force stands against its review date today (the review warning period "
        "before it is due soon; overdue from the day after); none for other versions or without a date."
    )
    links = serializers.SerializerMethodField()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if data.get("document_date") is None:
            data["document_date_precision"] = None
        return data

    class Meta:
        model = ProtocolVersion
        fields = [
            "id",
            "protocol",
            "number",
            "label",
            "title",
            "status",
            "document_date",
            "document_date_precision",
            "document_date_display",
            "effective_date",
            "effective_date_precision",
            "effective_date_display",
            "review_due",
            "review_state",
            "change_summary",
            "based_on",
            "recorded_as_past",
            "sent_for_approval_at",
            "agreed_at",
            "revision",
            "links",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=ReviewState.choices))
    def get_review_state(self, version):
        return version.review_state(timezone.localdate())

    def get_links(self, version) -> dict[str, str | None]:
        request = self.context.get("request")
        kwargs = {"slug": version.protocol.slug, "number": version.number}
        return {
            "web": absolute_url(request, version.get_absolute_url()),
            "print": optional_url(request, ["protocols:version_print"], **kwargs),
            "pdf": optional_url(request, ["protocols:version_pdf"], **kwargs),
        }


class VersionDetailSerializer(VersionSerializer):
    """A version as a reader needs it: preamble, parties with approvals, sections with clauses, glossary."""

    parties = PartySerializer(many=True, read_only=True)
    sections = SectionWithClausesSerializer(many=True, read_only=True)
    glossary = GlossaryEntrySerializer(source="glossary_entries", many=True, read_only=True)
    introduction = serializers.CharField(
        source="introduction_html", read_only=True, help_text="The preamble: sanitised HTML, escaped once."
    )

    class Meta(VersionSerializer.Meta):
        fields = [*VersionSerializer.Meta.fields, "introduction", "parties", "sections", "glossary"]
        read_only_fields = fields


class VersionUpdateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    representation = VersionDetailSerializer

    title = serializers.CharField(max_length=300, required=False)
    label = serializers.CharField(max_length=100, required=False, allow_blank=True)
    introduction = serializers.CharField(max_length=100_000, required=False, allow_blank=True)
    document_date = serializers.DateField(
        required=False, allow_null=True, help_text="The date printed on the document; null when it states none."
    )
    document_date_precision = serializers.ChoiceField(choices=DatePrecision.choices, required=False)


# What the document's own history may say of a version (named for the OpenAPI schema in settings).
PAST_VERSION_STATUS_CHOICES = [
    (status.value, status.label) for status in ProtocolVersion.Status if status in ProtocolVersion.PAST
]


class PastVersionSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """A version from the document's own history, recorded as written without the approval workflow."""

    representation = VersionDetailSerializer

    protocol = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    recorded_as_past = serializers.BooleanField(
        help_text="Must be true: new drafts are made by starting a review, not by creating a version."
    )
    label = serializers.CharField(max_length=100, help_text="As the document gives it, e.g. 'V3'.")
    title = serializers.CharField(max_length=300, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=PAST_VERSION_STATUS_CHOICES)
    document_date = serializers.DateField(allow_null=True, required=False)
    document_date_precision = serializers.ChoiceField(choices=DatePrecision.choices, default=DatePrecision.DAY)
    change_summary = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    number = serializers.IntegerField(
        min_value=1, max_value=100_000, required=False, help_text="Its place in the history; before the open draft."
    )

    def validate_recorded_as_past(self, value):
        if not value:
            raise serializers.ValidationError("Only past versions are created here; start a review for a new draft.")
        return value


class SendForApprovalSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    change_summary = serializers.CharField(max_length=5000, help_text="What changed since the last agreed version.")


class StartReviewSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    protocol = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="The protocol to review.")
