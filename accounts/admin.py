from django.contrib import admin

from core.admin import RecordAdmin

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(RecordAdmin):
    """Tokens people made for themselves: seen and revoked (deleted) here, never made or changed.
    Revoking goes through the write path, so it is audited like a revocation on "Your account"."""

    list_display = ["name", "user", "shown", "created_at", "last_used_at"]
    list_select_related = ["user"]
    search_fields = ["name", "user__username"]
    fields = ["user", "name", "shown", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
