from django.contrib import admin

from core.admin import RecordAdmin, StackedInline, TabularInline

from .models import (
    AgendaItem,
    BoardLegalBasis,
    ClauseCitation,
    Duty,
    EscalationRoute,
    EscalationStep,
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

SOURCED_FILTERS = ["version__status", "version__protocol__area"]


@admin.register(LegalInstrument)
class LegalInstrumentAdmin(RecordAdmin):
    list_display = ["title", "kind", "year"]
    list_filter = ["kind"]
    search_fields = ["title", "short_title"]


@admin.register(LegalReference)
class LegalReferenceAdmin(RecordAdmin):
    list_display = ["__str__", "link"]
    list_filter = ["instrument__kind", "instrument"]
    search_fields = ["instrument__title", "provision", "summary"]
    autocomplete_fields = ["instrument"]


@admin.register(BoardLegalBasis)
class BoardLegalBasisAdmin(RecordAdmin):
    list_display = ["board", "legal_reference", "note"]
    search_fields = ["board__name", "legal_reference__instrument__title"]
    autocomplete_fields = ["board", "legal_reference"]


@admin.register(ClauseCitation)
class ClauseCitationAdmin(RecordAdmin):
    list_display = ["clause", "legal_reference"]
    autocomplete_fields = ["clause", "legal_reference"]


@admin.register(Duty)
class DutyAdmin(RecordAdmin):
    list_display = ["holder", "kind", "description", "version"]
    list_filter = ["kind", *SOURCED_FILTERS]
    search_fields = ["description", "holder_board__name", "holder_post__title"]
    autocomplete_fields = ["holder_board", "holder_post", "version", "source_clause"]
    filter_horizontal = ["legal_references"]


class RecipientInline(TabularInline):
    model = ObligationRecipient
    extra = 0
    autocomplete_fields = ["board", "post"]


class SenderInline(admin.TabularInline):
    model = ObligationSender
    extra = 0
    autocomplete_fields = ["board", "post"]


class FulfilmentInline(admin.TabularInline):
    # Meeting an agreed obligation is a fact recorded after agreement, so these rows stay editable.
    model = ObligationFulfilment
    extra = 0


@admin.register(ReportingObligation)
class ReportingObligationAdmin(RecordAdmin):
    list_display = ["title", "frequency", "window_start_month", "window_end_month", "version"]
    list_filter = ["subject", "frequency", *SOURCED_FILTERS]
    search_fields = ["title", "description", "senders__board__name", "senders__post__title"]
    autocomplete_fields = ["presenter", "version", "source_clause"]
    inlines = [SenderInline, RecipientInline, FulfilmentInline]


@admin.register(Relation)
class RelationAdmin(RecordAdmin):
    list_display = ["subject", "kind", "object", "version"]
    list_filter = ["kind", *SOURCED_FILTERS]
    search_fields = [
        "description",
        "subject_board__name",
        "object_board__name",
        "subject_post__title",
        "object_post__title",
    ]
    autocomplete_fields = ["subject_board", "subject_post", "object_board", "object_post", "version", "source_clause"]


class AgendaItemInline(TabularInline):
    model = AgendaItem
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(RecordAdmin):
    list_display = ["title", "frequency", "version"]
    list_filter = ["frequency", *SOURCED_FILTERS]
    search_fields = ["title", "purpose"]
    autocomplete_fields = ["version", "source_clause"]
    filter_horizontal = ["participant_posts", "participant_boards"]
    inlines = [AgendaItemInline]


class EscalationStepInline(StackedInline):
    model = EscalationStep
    extra = 0
    filter_horizontal = ["posts", "boards"]


@admin.register(EscalationRoute)
class EscalationRouteAdmin(RecordAdmin):
    list_display = ["title", "version"]
    list_filter = SOURCED_FILTERS
    search_fields = ["title", "description"]
    autocomplete_fields = ["version", "source_clause"]
    inlines = [EscalationStepInline]


class PriorityLeadInline(TabularInline):
    model = PriorityLead
    extra = 0
    autocomplete_fields = ["board"]


@admin.register(Priority)
class PriorityAdmin(RecordAdmin):
    list_display = ["__str__", "period", "version"]
    list_filter = SOURCED_FILTERS
    search_fields = ["title", "number"]
    autocomplete_fields = ["version", "source_clause", "parent"]
    inlines = [PriorityLeadInline]
