"""Reads for the board pages and the board directory, each in a fixed number of queries.

boards imports neither protocols nor accountability: what the other apps record about a board is
reached through reverse relations (duties, obligations_owed, relations_in, protocol_parties, ...)
named as strings in prefetch lookups.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch

from .models import Board, Membership, PostHolding, RegisterChange

_SOURCE = ("source_clause__parent", "source_clause__section__version__protocol", "version__protocol")


def _model(relation, model=Board):
    """The model behind a reverse relation, reached without importing the app that defines it."""
    return model._meta.get_field(relation).related_model


def _prefetch(relation, *select, prefetch=(), model=Board, to=None):
    """Prefetch a reverse relation with its foreign keys joined in, so each relation costs one query
    however many rows it holds, and whichever of its nullable keys are set."""
    queryset = _model(relation, model).objects.select_related(*select).prefetch_related(*prefetch)
    return Prefetch(relation, queryset=queryset, to_attr=to)


def _public_parties():
    """A board's places as party to published (agreed or superseded) versions only: a draft's title
    and parties are for its area's readers, never the public board page."""
    party_model = _model("protocol_parties")
    version_model = party_model._meta.get_field("version").related_model
    return party_model.objects.filter(version__in=version_model.objects.public()).select_related("version__protocol")


def board_for_page(slug):
    """The board with everything its page shows, prefetched: a fixed number of queries (see tests)."""
    holdings = PostHolding.objects.select_related("person").order_by("-start_date")
    memberships = Membership.objects.select_related("post").prefetch_related(
        Prefetch("post__holdings", queryset=holdings)
    )
    obligation_model = _model("obligations_owed")
    recipients = _prefetch("recipients", "board", "post", model=obligation_model)
    legal_references = _prefetch("legal_references", "instrument", model=_model("duties"))
    step_model = _model("escalation_steps")
    steps = Prefetch(
        "route__steps",
        queryset=step_model.objects.order_by("order").prefetch_related("boards", "posts"),
    )
    return (
        Board.objects.select_related("parent")
        .prefetch_related(
            "areas",
            _prefetch("legal_bases", "legal_reference__instrument"),
            Prefetch("memberships", queryset=memberships),
            Prefetch("subgroups", queryset=Board.objects.order_by("kind", "name")),
            _prefetch("duties", *_SOURCE, prefetch=[legal_references]),
            _prefetch("obligations_owed", "presenter", *_SOURCE, prefetch=[recipients]),
            _prefetch(
                "obligations_received",
                *(f"obligation__{path}" for path in ("from_board", "from_post", "presenter", *_SOURCE)),
            ),
            _prefetch("relations_out", "object_board", "object_post", *_SOURCE),
            _prefetch("relations_in", "subject_board", "subject_post", *_SOURCE),
            _prefetch("meetings", *_SOURCE, prefetch=["participant_boards", "participant_posts"]),
            Prefetch("protocol_parties", queryset=_public_parties()),
            _prefetch(
                "escalation_steps",
                "route__version__protocol",
                "route__source_clause__parent",
                "route__source_clause__section__version__protocol",
                prefetch=[steps],
            ),
        )
        .get(slug=slug)
    )


def in_force(records):
    """The records in force (each record's app decides what that means); drafts and history are left out."""
    return [r for r in records if r.in_force]


@dataclass
class MembershipMatrix:
    """Rows: posts or organisations; columns: boards; cells: the capacity each sits in."""

    boards: list
    rows: list = field(default_factory=list)


def membership_matrix(areas):
    """Who sits on which of the areas' boards and in what capacity: one query."""
    memberships = (
        Membership.objects.filter(board__areas__in=[a.pk for a in areas])
        .select_related("post", "board")
        .order_by("board__parent_id", "board__name", "post__title", "organisation")
        .distinct()
    )
    boards, rows = {}, {}
    for membership in memberships:
        boards.setdefault(membership.board.pk, membership.board)
        key = ("post", membership.post_id) if membership.post_id else ("organisation", membership.organisation.lower())
        row = rows.setdefault(key, {"label": membership.member_label, "post": membership.post, "cells": {}})
        row["cells"].setdefault(membership.board.pk, []).append(membership.get_capacity_display())
    columns = sorted(boards.values(), key=lambda b: (b.parent_id is not None, b.name))
    matrix = MembershipMatrix(boards=columns)
    for row in sorted(rows.values(), key=lambda r: r["label"].lower()):
        row["cells"] = [", ".join(row["cells"].get(b.pk, [])) for b in columns]
        matrix.rows.append(row)
    return matrix


def chairs(board, today=None):
    """[(membership, person or None)] for the board's chairs and vice-chairs, from prefetched data."""
    today = today or datetime.date.today()
    wanted = (Membership.Capacity.CHAIR, Membership.Capacity.VICE_CHAIR)
    result = []
    for membership in board.memberships.all():
        if membership.capacity in wanted:
            holder = membership.post.holder_on(today) if membership.post_id else None
            result.append((membership, holder))
    return sorted(result, key=lambda pair: wanted.index(pair[0].capacity))


def boards_in_area(area):
    """The area's boards with their parents and chairs, for the directory: four queries."""
    chair_memberships = Membership.objects.filter(capacity=Membership.Capacity.CHAIR).select_related("post")
    return (
        Board.objects.filter(areas=area)
        .select_related("parent")
        .prefetch_related(Prefetch("memberships", queryset=chair_memberships, to_attr="chair_memberships"))
        .order_by("name")
    )


def register_history(area):
    """The changes to an area's register, newest first, with who made each: one query for a page of them."""
    return RegisterChange.objects.filter(areas=area).select_related("user").order_by("-at", "-id")
