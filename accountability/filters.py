"""Query filters for the accountability API: area, board, version, frequency, month, relation type, words."""

import django_filters
from django.db.models import F, Q

from boards.models import Area, Board
from core.api import IdFilter, MonthFilter, RecordFilter, text_search
from protocols.models import Protocol

from .models import (
    Duty,
    EscalationRoute,
    Frequency,
    LegalInstrument,
    LegalReference,
    Meeting,
    ObligationFulfilment,
    Priority,
    Relation,
    ReportingObligation,
)


def in_window(month):
    """Obligations whose window of months includes `month`, also windows that wrap the year end
    (October to February includes December and January)."""
    straight = Q(window_start_month__lte=F("window_end_month")) & Q(
        window_start_month__lte=month, window_end_month__gte=month
    )
    wrapping = Q(window_start_month__gt=F("window_end_month")) & (
        Q(window_start_month__lte=month) | Q(window_end_month__gte=month)
    )
    return straight | wrapping


class ObligationFilter(django_filters.FilterSet):
    area = RecordFilter(
        model=Area,
        paths=["version__protocol__area", "senders__board__areas", "senders__post__area"],
        help_text="Obligations in an area's protocols or owed by its boards and posts (slug or id).",
    )
    board = RecordFilter(
        model=Board, paths=["senders__board", "recipients__board"], help_text="Owed by or to this board (slug or id)."
    )
    from_board = RecordFilter(model=Board, paths=["senders__board"], help_text="Sent by this board, alone or jointly.")
    to_board = RecordFilter(model=Board, paths=["recipients__board"])
    board_kind = django_filters.MultipleChoiceFilter(method="filter_board_kind", choices=Board.Kind.choices)
    frequency = django_filters.MultipleChoiceFilter(choices=Frequency.choices)
    subject = django_filters.MultipleChoiceFilter(choices=ReportingObligation.Subject.choices)
    month = MonthFilter(method="filter_month", help_text="Due in this month (1-12): the month is within the window.")
    version = IdFilter(field_name="version_id")
    protocol = RecordFilter(model=Protocol, paths=["version__protocol"])
    search = django_filters.CharFilter(method="search_text", max_length=200, help_text="Words in title or description.")

    class Meta:
        model = ReportingObligation
        fields = ["area", "board", "from_board", "to_board", "board_kind", "frequency", "subject", "month", "version"]

    def filter_month(self, queryset, name, value):
        return queryset.filter(in_window(value)) if value is not None else queryset

    def filter_board_kind(self, queryset, name, value):
        if not value:
            return queryset
        sent = ReportingObligation.objects.filter(senders__board__kind__in=value).values("pk")
        return queryset.filter(pk__in=sent)

    def search_text(self, queryset, name, value):
        return text_search(queryset, ["title", "description"], value)


class RelationFilter(django_filters.FilterSet):
    area = RecordFilter(
        model=Area,
        paths=["version__protocol__area", "subject_board__areas", "object_board__areas", "subject_post__area"],
    )
    board = RecordFilter(model=Board, paths=["subject_board", "object_board"], help_text="Either end (slug or id).")
    kind = django_filters.MultipleChoiceFilter(choices=Relation.Kind.choices, help_text="Relation type; repeatable.")
    version = IdFilter(field_name="version_id")
    protocol = RecordFilter(model=Protocol, paths=["version__protocol"])

    class Meta:
        model = Relation
        fields = ["area", "board", "kind", "version", "protocol"]


class DutyFilter(django_filters.FilterSet):
    area = RecordFilter(model=Area, paths=["version__protocol__area", "holder_board__areas", "holder_post__area"])
    board = RecordFilter(model=Board, paths=["holder_board"])
    board_kind = django_filters.MultipleChoiceFilter(field_name="holder_board__kind", choices=Board.Kind.choices)
    kind = django_filters.MultipleChoiceFilter(choices=Duty.Kind.choices)
    legal_reference = IdFilter(field_name="legal_references", distinct=True)
    version = IdFilter(field_name="version_id")
    protocol = RecordFilter(model=Protocol, paths=["version__protocol"])
    search = django_filters.CharFilter(method="search_text", max_length=200, help_text="Words in the description.")

    class Meta:
        model = Duty
        fields = ["area", "board", "board_kind", "kind", "legal_reference", "version", "protocol", "search"]

    def search_text(self, queryset, name, value):
        return text_search(queryset, ["description"], value)


class LegalReferenceFilter(django_filters.FilterSet):
    instrument = IdFilter(field_name="instrument_id")
    kind = django_filters.MultipleChoiceFilter(field_name="instrument__kind", choices=LegalInstrument.Kind.choices)
    search = django_filters.CharFilter(method="search_text", max_length=200, help_text="Words in title or provision.")

    class Meta:
        model = LegalReference
        fields = ["instrument", "kind", "search"]

    def search_text(self, queryset, name, value):
        return text_search(queryset, ["instrument__title", "instrument__short_title", "provision", "summary"], value)


class LegalInstrumentFilter(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=LegalInstrument.Kind.choices)
    search = django_filters.CharFilter(method="search_text", max_length=200, help_text="Words in the title.")

    class Meta:
        model = LegalInstrument
        fields = ["kind", "search"]

    def search_text(self, queryset, name, value):
        return text_search(queryset, ["title", "short_title"], value)


class EscalationRouteFilter(django_filters.FilterSet):
    area = RecordFilter(model=Area, paths=["version__protocol__area"])
    version = IdFilter(field_name="version_id")
    protocol = RecordFilter(model=Protocol, paths=["version__protocol"])

    class Meta:
        model = EscalationRoute
        fields = ["area", "version", "protocol"]


class MeetingFilter(django_filters.FilterSet):
    area = RecordFilter(
        model=Area,
        paths=["version__protocol__area", "participant_boards__areas", "participant_posts__area"],
        help_text="Meetings in an area's protocols or between its boards and posts (slug or id).",
    )
    board = RecordFilter(model=Board, paths=["participant_boards"], help_text="Meetings this board takes part in.")
    post = IdFilter(field_name="participant_posts", distinct=True, help_text="Meetings this post takes part in (id).")
    frequency = django_filters.MultipleChoiceFilter(choices=Frequency.choices)
    version = IdFilter(field_name="version_id")
    protocol = RecordFilter(model=Protocol, paths=["version__protocol"])

    class Meta:
        model = Meeting
        fields = ["area", "board", "post", "frequency", "version", "protocol"]


class PriorityFilter(django_filters.FilterSet):
    area = RecordFilter(model=Area, paths=["version__protocol__area"])
    board = RecordFilter(model=Board, paths=["leads__board"], help_text="Priorities this board leads on.")
    parent = IdFilter(field_name="parent_id", help_text="The sub-priorities of this priority (id).")
    version = IdFilter(field_name="version_id")
    protocol = RecordFilter(model=Protocol, paths=["version__protocol"])

    class Meta:
        model = Priority
        fields = ["area", "board", "parent", "version", "protocol"]


class FulfilmentFilter(django_filters.FilterSet):
    obligation = IdFilter(field_name="obligation_id")
    area = RecordFilter(
        model=Area,
        paths=[
            "obligation__version__protocol__area",
            "obligation__senders__board__areas",
            "obligation__senders__post__area",
        ],
        help_text="Fulfilments of obligations in an area's protocols or owed by its boards and posts (slug or id).",
    )
    board = RecordFilter(model=Board, paths=["obligation__senders__board"], help_text="Of obligations this board owes.")
    version = IdFilter(field_name="obligation__version_id")
    protocol = RecordFilter(model=Protocol, paths=["obligation__version__protocol"])
    met_from = django_filters.DateFilter(field_name="met_on", lookup_expr="gte", help_text="Met on or after this day.")
    met_to = django_filters.DateFilter(field_name="met_on", lookup_expr="lte", help_text="Met on or before this day.")

    class Meta:
        model = ObligationFulfilment
        fields = ["obligation", "area", "board", "version", "protocol", "met_from", "met_to"]
