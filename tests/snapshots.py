"""Data a test process writes the same way many times (the demo), written once and copied back afterwards.

`load_demo` takes a few seconds and writes the same rows whenever it starts from the same database: the
first time in a test process, `Snapshots.load` runs it and keeps every table it changed, row for row; the
next time it starts from that same database (same rows in every table), the kept rows are copied back in
a fraction of the time. A test in real transactions (a live server's) starts from a database that was
emptied and given its content types and permissions again, under new ids: when the database holds nothing
else, and the same content types and permissions by name as a start kept before, those two tables are
replaced by the kept ones too, with everything the load wrote. From any other starting point the load
runs for real.

PostgreSQL copies the rows with COPY, which keeps every value exactly as stored, and with the database's
triggers off while they go in (they refused nothing the first time; the agreed-version freeze would refuse
a clause added after its version was marked agreed, as a copy adds them, table by table); each identity
sequence is then moved past the copied ids. SQLite's rows are plain values, inserted again.
"""

import io

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

# Tables that migrate (and a flush) fill again with the same names under new ids.
NAMED_TABLES = ("django_content_type", "auth_permission")


def model_tables():
    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    )


def _copyable(cursor):
    """SQLite; or PostgreSQL through psycopg2 (COPY) as a superuser (who alone may turn triggers off)."""
    if connection.vendor == "sqlite":
        return True
    if connection.vendor != "postgresql" or not hasattr(cursor.cursor, "copy_expert"):
        return False
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    return cursor.fetchone()[0]


def _rows(cursor, table):
    """The table's rows: COPY's text on PostgreSQL, tuples on SQLite."""
    name = connection.ops.quote_name(table)
    if connection.vendor == "postgresql":
        out = io.StringIO()
        cursor.cursor.copy_expert(f"COPY {name} TO STDOUT", out)
        return out.getvalue()
    cursor.execute(f"SELECT * FROM {name}")  # noqa: S608 - a model's table name
    columns = [column[0] for column in cursor.description]
    return columns, cursor.fetchall()


def table_state(cursor, tables):
    """What each table holds, comparable whatever order the rows come in."""
    state = {}
    for table in tables:
        rows = _rows(cursor, table)
        state[table] = sorted(rows.splitlines()) if isinstance(rows, str) else sorted(map(repr, rows[1]))
    return state


def named_state(cursor, state):
    """`state` with content types and permissions by name instead of by id, when every other table is empty;
    None otherwise (rows elsewhere could point at the ids)."""
    if any(rows for table, rows in state.items() if table not in NAMED_TABLES):
        return None
    cursor.execute("SELECT app_label, model FROM django_content_type ORDER BY app_label, model")
    content_types = cursor.fetchall()
    cursor.execute(
        "SELECT c.app_label, c.model, p.codename, p.name FROM auth_permission p "
        "JOIN django_content_type c ON c.id = p.content_type_id ORDER BY 1, 2, 3"
    )
    return (tuple(content_types), tuple(cursor.fetchall()))


class Snapshots:
    def __init__(self, load):
        self._load = load
        self._kept = {}  # the starting state (as a tuple) -> {table: rows} the load left in changed tables
        self._kept_by_name = {}  # named_state() of a start -> the same, with NAMED_TABLES' rows as well

    def load(self):
        """Leave the database as `load()` does, copying back what it wrote before from the same start."""
        with transaction.atomic(), connection.cursor() as cursor:  # SET LOCAL below needs a transaction
            if not _copyable(cursor):
                return self._load()
            tables = model_tables()
            before = table_state(cursor, tables)
            key = tuple((table, tuple(rows)) for table, rows in before.items())
            named = named_state(cursor, before)
            if key in self._kept:
                self._restore(cursor, self._kept[key])
                return None
            if named in self._kept_by_name:
                self._restore(cursor, self._kept_by_name[named])
                ContentType.objects.clear_cache()  # the ids it keeps are gone
                return None
            self._load()
            after = table_state(cursor, tables)
            changed = {table: _rows(cursor, table) for table in tables if after[table] != before[table]}
            self._kept[key] = changed
            if named is not None:
                self._kept_by_name[named] = {**{table: _rows(cursor, table) for table in NAMED_TABLES}, **changed}
        return None

    def _restore(self, cursor, changed):
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")  # no triggers while the rows go in
            for table, text in changed.items():
                name = connection.ops.quote_name(table)
                cursor.execute(f"DELETE FROM {name}")  # noqa: S608 - a model's table name
                cursor.cursor.copy_expert(f"COPY {name} FROM STDIN", io.StringIO(text))
            cursor.execute("SET LOCAL session_replication_role = origin")
            self._move_sequences_past(cursor, changed)
        else:
            for table, (columns, rows) in changed.items():
                name = connection.ops.quote_name(table)
                cursor.execute(f"DELETE FROM {name}")  # noqa: S608 - a model's table name
                names = ", ".join(connection.ops.quote_name(column) for column in columns)
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {name} ({names}) VALUES ({marks})", rows)  # noqa: S608

    @staticmethod
    def _move_sequences_past(cursor, changed):
        """Rows added after the copy get new ids: each identity sequence goes past the copied ids (never back)."""
        for model in apps.get_models(include_auto_created=True):
            table, pk = model._meta.db_table, model._meta.pk
            if table not in changed or not pk.get_internal_type().endswith("AutoField"):
                continue
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, pk.column])
            (sequence,) = cursor.fetchone()
            if sequence is None:
                continue
            name, column = connection.ops.quote_name(table), connection.ops.quote_name(pk.column)
            cursor.execute(
                f"SELECT setval(%s, GREATEST(MAX({column}), (SELECT last_value FROM {sequence}))) FROM {name} "  # noqa: S608
                f"HAVING MAX({column}) IS NOT NULL",
                [sequence],
            )
