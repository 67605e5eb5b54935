"""Reads of who exists and who sits where, for the board and area pages and the directory, each in a
fixed number of queries. What other apps record about a board they read themselves: boards names none of it.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch

from core.models import AuditRecord

from .models import Board, Membership, PostHolding


def board_for_page(slug):
    """The board with its areas, members (and their posts' holders) and subgroups: five queries."""
    holdings = PostHolding.objects.select_related("person").order_by("-start_date")
    memberships = Membership.objects.select_related("post").prefetch_related(
        Prefetch("post__holdings", queryset=holdings)
    )
    return (
        Board.objects.select_related("parent")
        .prefetch_related(
            "areas",
            Prefetch("memberships", queryset=memberships),
            Prefetch("subgroups", queryset=Board.objects.order_by("kind", "name")),
        )
        .get(slug=slug)
    )


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
    wanted = (Membership.Capacity.CHAIR, Membership.Capacity.CO_CHAIR, Membership.Capacity.VICE_CHAIR)
    result = []
    for membership in board.memberships.all():
        if membership.capacity in wanted and not membership.ended_by(today):
            holder = membership.post.holder_on(today) if membership.post_id else None
            result.append((membership, holder))
    return sorted(result, key=lambda pair: wanted.index(pair[0].capacity))


@dataclass
class Seat:
    """A membership of the board and, for a post, the holding current today (None: the seat is vacant)."""

    membership: Membership
    holding: PostHolding | None = None

    @property
    def vacant(self):
        return self.membership.post_id is not None and self.holding is None


@dataclass
class BoardSeats:
    """Who sits on a board today, grouped by capacity (chairs first), the vacant seats, and past members."""

    groups: list = field(default_factory=list)  # [(capacity heading, [Seat])]
    vacancies: list = field(default_factory=list)  # [Seat]
    past: list = field(default_factory=list)  # [Membership], latest ended first


# A capacity's heading when several sit in it.
CAPACITY_PLURALS = {
    Membership.Capacity.CHAIR: "Chairs",
    Membership.Capacity.CO_CHAIR: "Co-chairs",
    Membership.Capacity.VICE_CHAIR: "Vice-chairs",
    Membership.Capacity.MEMBER: "Members",
    Membership.Capacity.PARTICIPANT_OBSERVER: "Participant observers",
    Membership.Capacity.SUPPORTING_OFFICER: "Supporting officers",
    Membership.Capacity.ATTENDEE: "Attend when appropriate",
}


def board_seats(board, today=None):
    """A board's seats from its prefetched memberships (board_for_page): no query of its own."""
    today = today or datetime.date.today()
    order = list(Membership.Capacity.values)
    current, seats = {}, BoardSeats()
    for membership in board.memberships.all():
        if membership.ended_by(today):
            seats.past.append(membership)
            continue
        holding = membership.post.holding_on(today) if membership.post_id else None
        seat = Seat(membership, holding)
        current.setdefault(membership.capacity, []).append(seat)
        if seat.vacant:
            seats.vacancies.append(seat)
    for capacity in sorted(current, key=order.index):
        members = sorted(current[capacity], key=lambda seat: seat.membership.member_label.lower())
        label = CAPACITY_PLURALS[capacity] if len(members) > 1 else Membership.Capacity(capacity).label
        seats.groups.append((label, members))
    seats.vacancies.sort(key=lambda seat: (order.index(seat.membership.capacity), seat.membership.member_label.lower()))
    # Latest ended first; those ended on a date not stated after every dated one.
    seats.past.sort(
        key=lambda membership: (membership.end_date or datetime.date.min, membership.member_label.lower()),
        reverse=True,
    )
    return seats


def boards_in_area(area):
    """The area's boards with their parents and chairs, for the directory: four queries."""
    chair_memberships = Membership.objects.filter(
        capacity__in=(Membership.Capacity.CHAIR, Membership.Capacity.CO_CHAIR)
    ).select_related("post")
    return (
        Board.objects.filter(areas=area)
        .select_related("parent")
        .prefetch_related(Prefetch("memberships", queryset=chair_memberships, to_attr="chair_memberships"))
        .order_by("name")
    )


def register_history(area):
    """The changes to an area's register, newest first, with who made each: one query for a page of them."""
    return AuditRecord.objects.for_area(area.pk).select_related("user").order_by("-at", "-id")
