"""How the test process empties its databases: the same result as Django's way, for less work.

A test in real transactions (a live server's, `transaction=True`) ends with Django's flush, which on
PostgreSQL is one TRUNCATE of every table: each table gets new files and the catalogue is rewritten, a third
of a second or more each time, however few rows the tables hold. `delete_flush` makes the
flush DELETE every row instead, in the flush's own transaction, as a superuser (the tests connect as one) with
`session_replication_role = replica`, which stops every trigger for that transaction only: the triggers that
refuse deleting an agreed version's rows (protocols migrations 0006 and 0009; TRUNCATE fires no row trigger
either) and the foreign keys' checks, so the tables empty in any order. The role is set back before the
transaction goes on (a test may flush inside its own). Every table ends empty, sequences are not reset, and
the flush command then sends post_migrate as before, which writes the content types and permissions again.
A flush that resets sequences or cascades to other tables, or one without a superuser, truncates as before.
"""

from django.db.backends.postgresql.operations import DatabaseOperations as PostgresOperations


def delete_flush(sql_flush):
    """PostgreSQL's `DatabaseOperations.sql_flush`, emptying the tables with DELETE (see the module's docstring)."""

    def flush_by_delete(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences or allow_cascade or not _is_superuser(self.connection):
            return sql_flush(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        delete = style.SQL_KEYWORD("DELETE FROM")
        return [
            "SET LOCAL session_replication_role = replica;",
            # One statement: the flush sends each of its statements on its own, a round trip apiece.
            " ".join(f"{delete} {style.SQL_FIELD(self.quote_name(table))};" for table in tables),
            "SET LOCAL session_replication_role = DEFAULT;",
        ]

    flush_by_delete.__wrapped__ = sql_flush
    return flush_by_delete


def _is_superuser(connection):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser')")
        return cursor.fetchone()[0] == "on"


def install(config):
    """For this test process: flush PostgreSQL with DELETE."""
    PostgresOperations.sql_flush = delete_flush(PostgresOperations.sql_flush)


def uninstall():
    if hasattr(PostgresOperations.sql_flush, "__wrapped__"):
        PostgresOperations.sql_flush = PostgresOperations.sql_flush.__wrapped__
