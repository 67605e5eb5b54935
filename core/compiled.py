"""Queries built and compiled once, then run with new lists of ids: for look-ups made on every write.

Building a queryset of nine UNIONed parts and compiling it to SQL costs Django a few milliseconds, and the
database a fraction of one to run it. `CompiledQuery` builds its queryset once for each shape (how many ids
each list holds, rounded up to a power of two), with stand-in ids, and keeps the SQL and where each stand-in
went among its parameters; each later call fills in the real ids and runs the SQL as it is.

A list is made up to its shape by repeating its last id, which changes nothing in `IN (...)`. An empty list
is a shape of its own (Django leaves out a condition on no ids, or the whole query). Only integer ids: they
reach the database as given, so a stand-in is found among the parameters as it was passed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.core.exceptions import EmptyResultSet
from django.db import connection

# Stand-ins: far below any id a table will hold, and distinct for each place in each list.
_STAND_IN_BASE = -(10**12)
_STAND_IN_STRIDE = 10**6


def _shape(size: int) -> int:
    return 0 if size == 0 else 1 << (size - 1).bit_length()


def _padded(ids: Sequence[int], shape: int) -> list[int]:
    ids = list(ids)
    return ids + [ids[-1]] * (shape - len(ids)) if ids else []


class CompiledQuery:
    """`build(*lists)` returns a values_list() queryset filtered by each list of ids; calling the
    CompiledQuery with such lists returns its rows as tuples."""

    def __init__(self, build: Callable):
        self._build = build
        # (database, shapes) -> (sql, parameters), each parameter (list index, place) or (None, a constant);
        # None for a query that matches nothing whatever the ids.
        self._compiled: dict = {}

    def __call__(self, *lists: Sequence[int]) -> list[tuple]:
        lists = [sorted(set(ids)) for ids in lists]
        shapes = tuple(_shape(len(ids)) for ids in lists)
        key = (connection.vendor, shapes)
        if key not in self._compiled:
            self._compiled[key] = self._compile(shapes)
        if self._compiled[key] is None:
            return []
        sql, slots = self._compiled[key]
        padded = [_padded(ids, shape) for ids, shape in zip(lists, shapes, strict=True)]
        params = [value if index is None else padded[index][value] for index, value in slots]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _compile(self, shapes):
        stand_ins = {}
        lists = []
        for index, shape in enumerate(shapes):
            ids = [_STAND_IN_BASE - index * _STAND_IN_STRIDE - place for place in range(shape)]
            stand_ins.update({stand_in: (index, place) for place, stand_in in enumerate(ids)})
            lists.append(ids)
        try:
            sql, params = self._build(*lists).query.sql_with_params()
        except EmptyResultSet:  # Django's own answer to a condition on no ids
            return None
        return sql, [
            stand_ins.get(param, (None, param)) if isinstance(param, int) else (None, param) for param in params
        ]
