"""Query filters for the boards API."""

import django_filters

from config.api_base import IdFilter, RecordFilter, text_search

from .models import Area, Board, Membership, Post


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
