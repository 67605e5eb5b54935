"""How duties, obligations, relations, meetings, priorities, legal references, escalation routes and the map
look in the API."""

import datetime

from rest_framework import serializers

from boards.models import Board, Post
from core.api import MAX_ID, RejectUnknownFieldsMixin, absolute_url
from protocols.models import Clause

from .models import (
    AgendaItem,
    Duty,
    EscalationRoute,
    EscalationStep,
    Frequency,
    LegalInstrument,
    LegalReference,
    Meeting,
    ObligationFulfilment,
    ObligationRecipient,
    ObligationSender,
    Priority,
    PriorityLead,
    Relation,
    ReportingObligation,
)

MONTH = {"min_value": 1, "max_value": 12, "required": False, "allow_null": True}


class SourcedSerializer(serializers.ModelSerializer):
    """Records stated by a protocol: each links to the clause that says so."""

    source_url = serializers.SerializerMethodField(help_text="The web page of the clause that states this.")

    def get_source_url(self, record) -> str | None:
        clause = record.source_clause
        if clause is None:
            return None
        return absolute_url(self.context.get("request"), clause.get_absolute_url())


class LegalInstrumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = LegalInstrument
        fields = ["id", "title", "short_title", "kind", "year", "url"]


class LegalReferenceSerializer(serializers.ModelSerializer):
    instrument = LegalInstrumentSerializer(read_only=True)
    citation = serializers.CharField(source="__str__", read_only=True)
    link = serializers.CharField(read_only=True, help_text="The provision's page, else the instrument's.")

    class Meta:
        model = LegalReference
        fields = ["id", "instrument", "provision", "citation", "url", "link", "summary"]


class DutySerializer(SourcedSerializer):
    class Meta:
        model = Duty
        fields = [
            "id",
            "version",
            "source_clause",
            "source_url",
            "holder_board",
            "holder_post",
            "kind",
            "description",
            "legal_references",
            "revision",
        ]
        read_only_fields = fields


class RecipientSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    board = serializers.PrimaryKeyRelatedField(queryset=Board.objects.all(), required=False, allow_null=True)
    post = serializers.PrimaryKeyRelatedField(queryset=Post.objects.all(), required=False, allow_null=True)

    class Meta:
        model = ObligationRecipient
        fields = ["board", "post"]

    def validate(self, attrs):
        if bool(attrs.get("board")) == bool(attrs.get("post")):
            raise serializers.ValidationError("Name either a board or a post as the recipient, not both.")
        return attrs


class SenderSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    board = serializers.PrimaryKeyRelatedField(queryset=Board.objects.all(), required=False, allow_null=True)
    post = serializers.PrimaryKeyRelatedField(queryset=Post.objects.all(), required=False, allow_null=True)

    class Meta:
        model = ObligationSender
        fields = ["board", "post"]

    def validate(self, attrs):
        if bool(attrs.get("board")) == bool(attrs.get("post")):
            raise serializers.ValidationError("Name either a board or a post as the sender, not both.")
        return attrs


class ObligationSerializer(SourcedSerializer):
    frequency = serializers.SerializerMethodField(help_text="How often; null when the protocol does not say.")
    frequency_label = serializers.CharField(
        read_only=True, help_text="How often in words, 'at least' kept: 'At least annually'; empty when not stated."
    )
    senders = SenderSerializer(
        many=True,
        read_only=True,
        help_text="Who sends it: several when sent jointly; an empty list when the protocol does not say.",
    )
    recipients = RecipientSerializer(many=True, read_only=True)

    class Meta:
        model = ReportingObligation
        fields = [
            "id",
            "version",
            "source_clause",
            "source_url",
            "senders",
            "subject",
            "title",
            "frequency",
            "frequency_at_least",
            "frequency_label",
            "window_start_month",
            "window_end_month",
            "presenter",
            "description",
            "recipients",
            "revision",
        ]
        read_only_fields = fields

    def get_frequency(self, obligation) -> str | None:
        return obligation.frequency or None


class RelationSerializer(SourcedSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    statement = serializers.CharField(
        source="label_sentence",
        read_only=True,
        help_text="The relation in words, denial or both-ways kept: 'LSCB is not subordinate to HWB'.",
    )
    frequency = serializers.ChoiceField(
        choices=Frequency.choices, allow_blank=True, read_only=True, help_text="Empty when the clause names none."
    )

    class Meta:
        model = Relation
        fields = [
            "id",
            "version",
            "source_clause",
            "source_url",
            "kind",
            "kind_label",
            "negated",
            "symmetric",
            "statement",
            "subject_board",
            "subject_post",
            "object_board",
            "object_post",
            "description",
            "frequency",
            "revision",
        ]
        read_only_fields = fields


class EscalationStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = EscalationStep
        fields = ["order", "description", "posts", "boards"]


class EscalationRouteSerializer(SourcedSerializer):
    steps = EscalationStepSerializer(many=True, read_only=True)

    class Meta:
        model = EscalationRoute
        fields = ["id", "version", "source_clause", "source_url", "title", "description", "steps", "revision"]


class AgendaItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgendaItem
        fields = ["position", "text"]


class MeetingSerializer(SourcedSerializer):
    frequency = serializers.SerializerMethodField(help_text="How often they meet; null when the protocol does not say.")
    agenda_items = AgendaItemSerializer(many=True, read_only=True, help_text="The standing agenda, in order.")

    def get_frequency(self, meeting) -> str | None:
        return meeting.frequency or None

    class Meta:
        model = Meeting
        fields = [
            "id",
            "version",
            "source_clause",
            "source_url",
            "title",
            "frequency",
            "purpose",
            "participant_boards",
            "participant_posts",
            "agenda_items",
            "revision",
        ]
        read_only_fields = fields


class PriorityLeadSerializer(serializers.ModelSerializer):
    class Meta:
        model = PriorityLead
        fields = ["position", "board", "lead_label", "role"]


class PrioritySerializer(SourcedSerializer):
    leads = PriorityLeadSerializer(many=True, read_only=True, help_text="Who does what about it, in order.")

    class Meta:
        model = Priority
        fields = [
            "id",
            "version",
            "source_clause",
            "source_url",
            "parent",
            "number",
            "title",
            "period",
            "position",
            "leads",
            "revision",
        ]
        read_only_fields = fields


class FulfilmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ObligationFulfilment
        fields = ["id", "obligation", "period_start", "met_on", "note", "link", "recorded_at"]
        read_only_fields = fields


# Writes: the shapes accepted; accountability.services checks the rules (senders named once, same version, ...).


def _related(model, **kwargs):
    return serializers.PrimaryKeyRelatedField(queryset=model.objects.all(), required=False, allow_null=True, **kwargs)


class VersionedWriteSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="The draft version that states it (on create only)."
    )
    source_clause = _related(Clause, help_text="The clause that states it; of the same version.")


class ObligationWriteSerializer(VersionedWriteSerializer):
    representation = ObligationSerializer

    senders = SenderSerializer(
        many=True,
        required=False,
        max_length=50,
        help_text="Who sends it, several when sent jointly; leave empty when the protocol does not say.",
    )
    subject = serializers.ChoiceField(choices=ReportingObligation.Subject.choices)
    title = serializers.CharField(max_length=250)
    frequency = serializers.ChoiceField(
        choices=Frequency.choices,
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="How often; null (or leave it out) when the protocol does not say.",
    )
    frequency_at_least = serializers.BooleanField(
        required=False, help_text="True when the protocol says 'at least' this often, e.g. 'at least annually'."
    )
    window_start_month = serializers.IntegerField(**MONTH)
    window_end_month = serializers.IntegerField(**MONTH)
    presenter = _related(Post)
    description = serializers.CharField(max_length=10_000, required=False, allow_blank=True)
    recipients = RecipientSerializer(many=True, required=False, max_length=50)


class RelationWriteSerializer(VersionedWriteSerializer):
    representation = RelationSerializer

    kind = serializers.ChoiceField(choices=Relation.Kind.choices)
    subject_board = _related(Board)
    subject_post = _related(Post)
    object_board = _related(Board)
    object_post = _related(Post)
    negated = serializers.BooleanField(
        required=False, help_text="True when the protocol denies it: 'the LSCB is not subordinate to the HWB'."
    )
    symmetric = serializers.BooleanField(
        required=False, help_text="True when it holds both ways, with no direction: 'equal partners'."
    )
    description = serializers.CharField(max_length=10_000, required=False, allow_blank=True)
    frequency = serializers.ChoiceField(choices=Frequency.choices, required=False, allow_blank=True)


class MeetingWriteSerializer(VersionedWriteSerializer):
    representation = MeetingSerializer

    title = serializers.CharField(max_length=250)
    frequency = serializers.ChoiceField(
        choices=Frequency.choices, required=False, allow_blank=True, help_text="Empty when the protocol does not say."
    )
    purpose = serializers.CharField(max_length=10_000, required=False, allow_blank=True)
    participant_boards = serializers.PrimaryKeyRelatedField(queryset=Board.objects.all(), many=True, required=False)
    participant_posts = serializers.PrimaryKeyRelatedField(queryset=Post.objects.all(), many=True, required=False)
    agenda = serializers.ListField(
        child=serializers.CharField(max_length=10_000),
        required=False,
        max_length=100,
        help_text="The standing agenda, in order; it replaces the one stored.",
    )


class DutyWriteSerializer(VersionedWriteSerializer):
    representation = DutySerializer

    holder_board = _related(Board)
    holder_post = _related(Post)
    kind = serializers.ChoiceField(choices=Duty.Kind.choices, required=False)
    description = serializers.CharField(max_length=10_000)
    legal_references = serializers.PrimaryKeyRelatedField(
        queryset=LegalReference.objects.all(), many=True, required=False
    )


class GraphNodeSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="board-<id> or post-<id>.")
    type = serializers.ChoiceField(choices=["board", "post"])
    label = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    url = serializers.CharField(allow_blank=True)
    slug = serializers.CharField(
        allow_blank=True, help_text="A board's slug (?board= on the map page); empty for a post."
    )


class GraphEdgeSerializer(serializers.Serializer):
    id = serializers.CharField()
    origin = serializers.CharField(help_text="The record behind the arrow: relation, obligation, meeting, membership.")
    kind = serializers.ChoiceField(choices=Relation.Kind.choices)
    label = serializers.CharField()
    source = serializers.CharField(help_text="A node id.")
    target = serializers.CharField(help_text="A node id.")
    source_label = serializers.CharField()
    target_label = serializers.CharField()
    directed = serializers.BooleanField()
    mutual = serializers.BooleanField(help_text="True when it holds both ways ('are equal partners'): no direction.")
    details = serializers.ListField(child=serializers.CharField())
    sentence = serializers.CharField(help_text="The arrow in words, for screen readers and text alternatives.")
    clause = serializers.JSONField(
        allow_null=True,
        help_text="The clause that states it: reference, citation (how a sentence names it), url, text.",
    )
    protocol = serializers.JSONField(allow_null=True, help_text="The protocol version it comes from.")
    change = serializers.CharField(allow_null=True, help_text="With include_drafts: added, removed, or null.")
    window = serializers.JSONField(
        allow_null=True, help_text="An obligation's due months: start and end (1-12) and label; null otherwise."
    )
    when = serializers.CharField(
        allow_blank=True, help_text="When, in a few words: the due months, else how often ('annually'); may be empty."
    )


class GraphStatementSerializer(serializers.Serializer):
    id = serializers.CharField()
    origin = serializers.CharField(help_text="The record behind the statement: obligation or relation.")
    text = serializers.CharField(help_text="The statement in words.")
    sentence = serializers.CharField(help_text="The statement with the clause that makes it.")
    clause = serializers.JSONField(allow_null=True)
    protocol = serializers.JSONField(allow_null=True)
    parties = serializers.ListField(child=serializers.CharField(), help_text="The node ids the statement names.")


class GraphSerializer(serializers.Serializer):
    scope = serializers.JSONField()
    nodes = GraphNodeSerializer(many=True)
    edges = GraphEdgeSerializer(many=True)
    kinds = serializers.JSONField(help_text="The legend: each kind present, its label, colour and dash pattern.")
    protocols = serializers.JSONField(help_text="The protocol versions the arrows come from.")
    unmapped = GraphStatementSerializer(
        many=True,
        help_text="What the protocols state that no arrow shows: obligations whose sender is not stated, "
        "relations a protocol denies.",
    )


# Dates the due-window arithmetic can count from; anything else is a typo.
EARLIEST, LATEST = datetime.date(1900, 1, 1), datetime.date(2199, 12, 31)


class FulfilmentWriteSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    representation = FulfilmentSerializer

    obligation = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="The obligation met (id).")
    period_start = serializers.DateField(
        required=False,
        help_text="The first day of the due window this meets. For obligations without dated windows "
        "(on request, after each meeting) leave it out: the day it was met names the occasion.",
    )
    met_on = serializers.DateField(help_text="The day it was met; not in the future.")
    note = serializers.CharField(max_length=10_000, required=False, allow_blank=True)
    link = serializers.URLField(max_length=200, required=False, allow_blank=True)

    def validate(self, attrs):
        errors = {
            name: [f"Give a date between {EARLIEST.year} and {LATEST.year}."]
            for name in ("period_start", "met_on")
            if name in attrs and not EARLIEST <= attrs[name] <= LATEST
        }
        if errors:
            raise serializers.ValidationError(errors)
        return attrs
