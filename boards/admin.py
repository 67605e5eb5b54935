from django.contrib import admin

from core.admin import RecordAdmin, TabularInline

from .models import Area, Board, Membership, Person, Post, PostHolding, RoleAssignment


class MembershipInline(TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["post"]


class PostHoldingInline(TabularInline):
    model = PostHolding
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Area)
class AreaAdmin(RecordAdmin):
    list_display = ["name", "kind", "council_name"]
    list_filter = ["kind"]
    search_fields = ["name", "council_name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Board)
class BoardAdmin(RecordAdmin):
    list_display = ["name", "short_name", "kind", "parent", "is_statutory", "is_independent"]
    list_filter = ["kind", "is_statutory", "is_independent", "areas"]
    search_fields = ["name", "short_name", "purpose"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["areas"]
    autocomplete_fields = ["parent"]
    inlines = [MembershipInline]


@admin.register(Post)
class PostAdmin(RecordAdmin):
    list_display = ["title", "short_title", "kind", "area", "board", "organisation"]
    list_filter = ["kind", "area"]
    search_fields = ["title", "short_title", "organisation"]
    autocomplete_fields = ["board"]
    inlines = [PostHoldingInline]


@admin.register(Person)
class PersonAdmin(RecordAdmin):
    list_display = ["name", "honorific"]
    search_fields = ["name"]
    inlines = [PostHoldingInline]


@admin.register(Membership)
class MembershipAdmin(RecordAdmin):
    list_display = ["board", "member_label", "capacity", "start_date", "end_date"]
    list_filter = ["capacity", "board__kind", "board__areas"]
    search_fields = ["board__name", "post__title", "organisation"]
    autocomplete_fields = ["board", "post"]
    list_select_related = ["board", "post"]


@admin.register(PostHolding)
class PostHoldingAdmin(RecordAdmin):
    list_display = ["person", "post", "start_date", "end_date"]
    search_fields = ["person__name", "post__title"]
    autocomplete_fields = ["person", "post"]
    list_select_related = ["person", "post"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(RecordAdmin):
    list_display = ["user", "role", "area", "board"]
    list_filter = ["role", "area"]
    search_fields = ["user__username", "area__name", "board__name"]
    autocomplete_fields = ["user", "area", "board"]
    list_select_related = ["user", "area", "board"]
