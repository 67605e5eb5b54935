"""Query filters for the boards API."""

import datetime

import django_filters
from django.db.models import Q

from core.api import IdFilter, RecordFilter, text_search

from .models import Area, Board, Membership, Post, PostHolding


class BoardFilter(django_filters.FilterSet):
    area = RecordFilter(model=Area, paths=["areas"])
    parent = RecordFilter(model=Board, paths=["parent"], help_text="Subgroups of this board (slug or id).")
    kind = django_filters.MultipleChoiceFilter(choices=Board.Kind.choices, help_text="Board kind; repeat for several.")
    is_statutory = django_filters.BooleanFilter()
    search = django_filters.CharFilter(method="search_text", help_text="Words in the name, short name or purpose.")

    class Meta:
        model = Board
        fields = ["area", "parent", "kind", "is_statutory", "search"]

    def search_text(self, queryset, name, value):
        return text_search(queryset, ["name", "short_name", "purpose"], value)


class PostFilter(django_filters.FilterSet):
    area = RecordFilter(model=Area, paths=["area", "board__areas"])
    board = RecordFilter(
        model=Board, paths=["board", "memberships__board"], help_text="Posts of or sitting on a board."
    )
    kind = django_filters.MultipleChoiceFilter(choices=Post.Kind.choices)
    search = django_filters.CharFilter(method="search_text", help_text="Words in the title.")

    class Meta:
        model = Post
        fields = ["area", "board", "kind", "search"]

    def search_text(self, queryset, name, value):
        return text_search(queryset, ["title", "short_title", "organisation"], value)


class MembershipFilter(django_filters.FilterSet):
    area = RecordFilter(model=Area, paths=["board__areas"])
    board = RecordFilter(model=Board, paths=["board"])
    board_kind = django_filters.MultipleChoiceFilter(field_name="board__kind", choices=Board.Kind.choices)
    capacity = django_filters.MultipleChoiceFilter(choices=Membership.Capacity.choices)
    post = IdFilter(field_name="post_id", help_text="Memberships of this post (id).")

    class Meta:
        model = Membership
        fields = ["area", "board", "board_kind", "capacity", "post"]


class HoldingFilter(django_filters.FilterSet):
    post = IdFilter(field_name="post_id", help_text="Holdings of this post (id).")
    person = IdFilter(field_name="person_id", help_text="Posts this person holds or held (id).")
    area = RecordFilter(
        model=Area, paths=["post__area", "post__board__areas"], help_text="Holdings of the area's posts (slug or id)."
    )
    current = django_filters.BooleanFilter(
        method="filter_current", help_text="true: held today; false: ended, or not begun yet."
    )

    class Meta:
        model = PostHolding
        fields = ["post", "person", "area", "current"]

    def filter_current(self, queryset, name, value):
        if value is None:
            return queryset
        today = datetime.date.today()
        # As PostHolding.covers: an empty start or end leaves that side open; an end not stated has passed.
        held = (Q(start_date__isnull=True) | Q(start_date__lte=today)) & (
            Q(end_date__isnull=True, end_not_stated=False) | Q(end_date__gte=today)
        )
        return queryset.filter(held) if value else queryset.exclude(held)
