"""core.compiled: a query compiled once per shape gives the rows its queryset gives, for any ids."""

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from boards.models import Area, Board
from core.compiled import CompiledQuery
from tests.factories import AreaFactory, BoardFactory

pytestmark = pytest.mark.django_db


def boards_in(areas, names_from):
    return (
        Board.objects.filter(Q(areas__in=areas) | Q(pk__in=names_from))
        .order_by("pk")
        .distinct()
        .values_list("pk", "name")
    )


@pytest.fixture
def boards():
    areas = [AreaFactory(name=f"Area {n}", slug=f"area-{n}") for n in range(5)]
    made = []
    for n, area in enumerate(areas):
        for m in range(3):
            made.append(BoardFactory(name=f"Board {n}.{m}", areas=[area]))
    return areas, made


def test_rows_match_the_queryset_for_lists_of_every_length(boards):
    areas, made = boards
    query = CompiledQuery(boards_in)
    area_ids = [area.pk for area in areas]
    board_ids = [board.pk for board in made]
    for size in range(len(area_ids) + 1):
        for extra in (board_ids[:0], board_ids[-1:], board_ids[:3], board_ids[::2]):
            expected = list(boards_in(area_ids[:size], extra))
            assert query(area_ids[:size], extra) == expected, (size, extra)


def test_each_shape_is_compiled_once_and_repeated_ids_change_nothing(boards):
    areas, made = boards
    query = CompiledQuery(boards_in)
    query([areas[0].pk, areas[1].pk, areas[2].pk], [])
    query([areas[3].pk, areas[4].pk, areas[0].pk, areas[0].pk], [])  # three distinct ids: the same shape of four
    query([areas[1].pk], [made[0].pk])
    assert len(query._compiled) == 2
    with CaptureQueriesContext(connection) as queries:
        rows = query([areas[4].pk, areas[4].pk], [])
    assert len(queries) == 1
    assert [name for _pk, name in rows] == ["Board 4.0", "Board 4.1", "Board 4.2"]


def test_a_query_on_no_ids_at_all_asks_nothing(boards):
    query = CompiledQuery(lambda areas: Area.objects.filter(pk__in=areas).values_list("pk"))
    with CaptureQueriesContext(connection) as queries:
        assert query([]) == []
    assert len(queries) == 0
    assert query([boards[0][2].pk]) == [(boards[0][2].pk,)]
