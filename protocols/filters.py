"""Query filters for the protocols API: area, board, board kind, status, review dates, words."""

import django_filters
from django.db.models import Q

from boards.models import Area, Board
from core.api import IdFilter, RecordFilter, text_search

from .models import Approval, Clause, GlossaryEntry, Protocol, ProtocolVersion, Section
from .permissions import visible_versions


def _clauses_matching(request, value):
    """Clauses of versions this reader may see whose text matches; never reveals hidden drafts."""
    clauses = Clause.objects.filter(section__version__in=visible_versions(request.user))
    return text_search(clauses, ["text"], value)


class ProtocolFilter(django_filters.FilterSet):
    area = RecordFilter(
        model=Area,
        paths=["area", "versions__parties__board__areas"],
        help_text="Kept by, or party boards in, this area.",
    )
    board = RecordFilter(model=Board, paths=["versions__parties__board"], help_text="A party board (slug or id).")
    board_kind = django_filters.MultipleChoiceFilter(
        choices=Board.Kind.choices, method="filter_board_kind", help_text="A party board of this kind."
    )
    status = django_filters.MultipleChoiceFilter(
        choices=ProtocolVersion.Status.choices, method="filter_status", help_text="Has a version with this status."
    )
    review_due_before = django_filters.DateFilter(
        method="filter_review_due_before", help_text="The agreed version's review is due on or before this date."
    )
    review_due_after = django_filters.DateFilter(
        method="filter_review_due_after", help_text="The agreed version's review is due on or after this date."
    )
    search = django_filters.CharFilter(
        method="search_text", max_length=200, help_text="Words in the title or summary, or in any clause."
    )

    class Meta:
        model = Protocol
        fields = ["area", "board", "board_kind", "status", "review_due_before", "review_due_after", "search"]

    def _with_versions(self, queryset, condition):
        versions = visible_versions(self.request.user).filter(condition)
        return queryset.filter(pk__in=versions.values("protocol_id"))

    def filter_board_kind(self, queryset, name, value):
        return self._with_versions(queryset, Q(parties__board__kind__in=value)) if value else queryset

    def filter_status(self, queryset, name, value):
        return self._with_versions(queryset, Q(status__in=value)) if value else queryset

    def filter_review_due_before(self, queryset, name, value):
        return self._with_versions(queryset, Q(status__in=ProtocolVersion.IN_FORCE, review_due__lte=value))

    def filter_review_due_after(self, queryset, name, value):
        return self._with_versions(queryset, Q(status__in=ProtocolVersion.IN_FORCE, review_due__gte=value))

    def search_text(self, queryset, name, value):
        by_title = text_search(Protocol.objects.all(), ["title", "short_title", "summary"], value)
        by_clause = _clauses_matching(self.request, value).values("section__version__protocol_id")
        return queryset.filter(Q(pk__in=by_title.values("pk")) | Q(pk__in=by_clause))


class VersionFilter(django_filters.FilterSet):
    protocol = RecordFilter(model=Protocol, paths=["protocol"])
    area = RecordFilter(model=Area, paths=["protocol__area", "parties__board__areas"])
    board = RecordFilter(model=Board, paths=["parties__board"], help_text="A party board (slug or id).")
    board_kind = django_filters.MultipleChoiceFilter(
        field_name="parties__board__kind", choices=Board.Kind.choices, distinct=True
    )
    status = django_filters.MultipleChoiceFilter(choices=ProtocolVersion.Status.choices)
    review_due_before = django_filters.DateFilter(field_name="review_due", lookup_expr="lte")
    review_due_after = django_filters.DateFilter(field_name="review_due", lookup_expr="gte")
    search = django_filters.CharFilter(method="search_text", max_length=200, help_text="Words in the title or clauses.")

    class Meta:
        model = ProtocolVersion
        fields = [
            "protocol",
            "area",
            "board",
            "board_kind",
            "status",
            "review_due_before",
            "review_due_after",
            "search",
        ]

    def search_text(self, queryset, name, value):
        by_title = text_search(ProtocolVersion.objects.all(), ["title", "label"], value)
        by_clause = _clauses_matching(self.request, value).values("section__version_id")
        return queryset.filter(Q(pk__in=by_title.values("pk")) | Q(pk__in=by_clause))


class SectionFilter(django_filters.FilterSet):
    version = IdFilter(field_name="version_id")
    protocol = RecordFilter(model=Protocol, paths=["version__protocol"])

    class Meta:
        model = Section
        fields = ["version", "protocol"]


class GlossaryEntryFilter(django_filters.FilterSet):
    version = IdFilter(field_name="version_id")
    protocol = RecordFilter(model=Protocol, paths=["version__protocol"])

    class Meta:
        model = GlossaryEntry
        fields = ["version", "protocol"]


class ClauseFilter(django_filters.FilterSet):
    version = IdFilter(field_name="section__version_id")
    section = IdFilter(field_name="section_id")
    protocol = RecordFilter(model=Protocol, paths=["section__version__protocol"])
    search = django_filters.CharFilter(method="search_text", max_length=200, help_text="Words in the clause text.")

    class Meta:
        model = Clause
        fields = ["version", "section", "protocol", "search"]

    def search_text(self, queryset, name, value):
        return text_search(queryset, ["text"], value)


class ApprovalFilter(django_filters.FilterSet):
    version = IdFilter(field_name="party__version_id")
    protocol = RecordFilter(model=Protocol, paths=["party__version__protocol"])
    board = RecordFilter(model=Board, paths=["party__board"])
    live = django_filters.BooleanFilter(
        field_name="withdrawn_at", lookup_expr="isnull", help_text="true: only approvals not withdrawn."
    )

    class Meta:
        model = Approval
        fields = ["version", "protocol", "board", "live"]
