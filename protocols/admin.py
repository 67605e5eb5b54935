from django.contrib import admin

from core.admin import RecordAdmin, TabularInline

from .models import (
    AgreedRecord,
    Approval,
    Clause,
    GlossaryEntry,
    Party,
    PdfJob,
    Protocol,
    ProtocolVersion,
    RenderedDocument,
    Section,
    SignatureRequest,
)


class VersionInline(TabularInline):
    # Versions are started, sent and agreed by the services; here they are listed and linked.
    model = ProtocolVersion
    fields = ["number", "label", "status", "effective_date", "review_due"]
    readonly_fields = fields
    show_change_link = True
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Protocol)
class ProtocolAdmin(RecordAdmin):
    list_display = ["title", "area", "review_cycle_months"]
    list_filter = ["area", "review_on_legislation_change"]
    search_fields = ["title", "short_title", "summary"]
    prepopulated_fields = {"slug": ["short_title"]}
    autocomplete_fields = ["area"]
    inlines = [VersionInline]


class PartyInline(TabularInline):
    model = Party
    extra = 0
    autocomplete_fields = ["board", "signatory_post"]


class SectionInline(TabularInline):
    model = Section
    fields = ["position", "part", "number", "heading", "kind"]
    show_change_link = True
    extra = 0


class GlossaryInline(TabularInline):
    model = GlossaryEntry
    extra = 0


@admin.register(ProtocolVersion)
class ProtocolVersionAdmin(RecordAdmin):
    list_display = ["protocol", "number", "status", "effective_date", "review_due"]
    list_filter = ["status", "protocol__area"]
    search_fields = ["protocol__title", "title", "change_summary"]
    autocomplete_fields = ["protocol", "based_on"]
    readonly_fields = ["revision", "created_by", "sent_for_approval_at", "agreed_at"]
    inlines = [PartyInline, SectionInline, GlossaryInline]


class ClauseInline(TabularInline):
    model = Clause
    fields = ["position", "number", "parent", "text"]
    extra = 0


@admin.register(Section)
class SectionAdmin(RecordAdmin):
    list_display = ["__str__", "version", "part", "kind"]
    list_filter = ["kind", "version__status"]
    search_fields = ["heading", "version__protocol__title"]
    inlines = [ClauseInline]
    list_select_related = ["version__protocol"]


@admin.register(Clause)
class ClauseAdmin(RecordAdmin):
    list_display = ["reference", "section", "key"]
    list_filter = ["section__version__status", "section__version__protocol__area"]
    search_fields = ["text", "number", "key"]
    autocomplete_fields = ["section", "parent"]
    list_select_related = ["section__version__protocol", "parent"]


class ApprovalInline(TabularInline):
    model = Approval
    extra = 0
    fields = [
        "approved_on",
        "approved_precision",
        "signatory_name",
        "signatory_post_title",
        "signature_kind",
        "withdrawn_at",
    ]


@admin.register(Party)
class PartyAdmin(RecordAdmin):
    list_display = ["board", "version"]
    list_filter = ["version__status", "board__kind"]
    search_fields = ["board__name", "version__protocol__title"]
    autocomplete_fields = ["version", "board", "signatory_post"]
    inlines = [ApprovalInline]


@admin.register(Approval)
class ApprovalAdmin(RecordAdmin):
    list_display = ["party", "approved_display", "signatory_name", "signatory_post_title", "withdrawn_at"]
    list_filter = ["approved_precision", "signature_kind"]
    search_fields = ["signatory_name", "party__board__name", "party__version__protocol__title"]
    autocomplete_fields = ["party", "signatory_person", "signatory_post"]
    list_select_related = ["party__board", "party__version__protocol"]


@admin.register(GlossaryEntry)
class GlossaryEntryAdmin(RecordAdmin):
    list_display = ["term", "meaning", "version"]
    search_fields = ["term", "meaning"]


@admin.register(RenderedDocument)
class RenderedDocumentAdmin(RecordAdmin):
    list_display = ["version", "renderer_version", "page_count", "sealed", "created_at"]
    readonly_fields = [f.name for f in RenderedDocument._meta.fields]

    def changelist_view(self, request, extra_context=None):
        from django.contrib import messages

        from .signing import uses_self_signed_certificate

        if uses_self_signed_certificate():
            messages.warning(
                request,
                "Sealed PDFs use a self-signed certificate the registry made for itself (under MEDIA_ROOT/signing/). "
                "Set SIGNING_KEY_FILE and SIGNING_CERT_FILE to your organisation's key and certificate for production.",
            )
        return super().changelist_view(request, extra_context)


@admin.register(AgreedRecord)
class AgreedRecordAdmin(admin.ModelAdmin):
    """The record of what each version said when agreed: read here, written once by the services, never changed."""

    list_display = ["version", "fingerprint", "created_at"]
    search_fields = ["fingerprint", "version__protocol__title"]
    list_select_related = ["version__protocol"]
    readonly_fields = ["version", "fingerprint", "created_at", "document"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SignatureRequest)
class SignatureRequestAdmin(admin.ModelAdmin):
    """Personal signing links, read here as evidence: sent, resent, cancelled and used only by the services
    (the approvals page), which audit each step. Only the token's and the code's hashes are stored."""

    list_display = ["signatory_name", "party", "version", "sent_at", "expires_at", "used_at", "declined_at"]
    list_filter = ["version__protocol__area"]
    search_fields = ["signatory_name", "signatory_email", "version__protocol__title"]
    list_select_related = ["party__board", "version__protocol"]
    exclude = ["token_hash", "code_hash"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in SignatureRequest._meta.fields if field.name not in self.exclude]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PdfJob)
class PdfJobAdmin(admin.ModelAdmin):
    """The background drawing of sealed PDFs (protocols.tasks): failures are listed here to be queued again."""

    list_display = ["version", "state", "attempts", "error", "queued_at", "finished_at"]
    list_filter = ["state"]
    list_select_related = ["version__protocol"]
    readonly_fields = [f.name for f in PdfJob._meta.fields]
    actions = ["queue_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Queue the chosen PDFs again")
    def queue_again(self, request, queryset):
        from .tasks import enqueue_sealed_pdf

        queued = sum(enqueue_sealed_pdf(job.version) is not None for job in queryset.select_related("version"))
        self.message_user(request, f"{queued} queued again; the others are stored or already under way.")
