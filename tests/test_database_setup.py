"""tests/databases.py: the flush after a test in real transactions leaves what Django's leaves."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction

from protocols.models import AgreedRecord, ProtocolVersion
from tests.conftest import load_demo
from tests.factories import ClauseFactory, SectionFactory, VersionFactory
from tests.snapshots import NAMED_TABLES, model_tables, table_state

UPDATE_CLAUSE = "UPDATE protocols_clause SET text = %s WHERE id = %s"


def agreed_clause():
    version = VersionFactory(status=ProtocolVersion.Status.AGREED)
    return ClauseFactory(section=SectionFactory(version=version), text="<p>The board reports yearly.</p>")


def refuses_changing(cursor, clause):
    """Whether the database itself refuses an UPDATE of the agreed version's clause (PostgreSQL's trigger)."""
    try:
        with transaction.atomic(using=cursor.db.alias):
            cursor.execute(UPDATE_CLAUSE, ["<p>Changed.</p>", clause.pk])
    except DatabaseError as error:
        return "agreed or superseded" in str(error)
    return False


def named(cursor):
    cursor.execute(
        "SELECT c.app_label, c.model, p.codename FROM auth_permission p "
        "JOIN django_content_type c ON c.id = p.content_type_id ORDER BY 1, 2, 3"
    )
    return cursor.fetchall()


@pytest.mark.django_db(transaction=True)
def test_the_flush_after_a_test_in_real_transactions_empties_every_table_and_writes_the_content_types_again():
    """The flush TransactionTestCase runs at a test's end (here with the demo in the database, agreed versions
    among it, which PostgreSQL's triggers refuse to delete row by row) leaves every table empty but the content
    types and permissions, which post_migrate writes again under new ids (sequences are not reset)."""
    load_demo()
    assert AgreedRecord.objects.exists()
    with connection.cursor() as cursor:
        permissions = named(cursor)
    last_content_type = ContentType.objects.order_by("pk").last().pk
    if connection.vendor == "postgresql":
        [*_, statements, _] = connection.ops.sql_flush(no_style(), ["protocols_clause", "protocols_section"])
        assert statements == 'DELETE FROM "protocols_clause"; DELETE FROM "protocols_section";'

    call_command("flush", interactive=False, verbosity=0, reset_sequences=False)

    with connection.cursor() as cursor:
        state = table_state(cursor, model_tables())
        assert {table for table, rows in state.items() if rows} == set(NAMED_TABLES)
        assert named(cursor) == permissions
    assert ContentType.objects.order_by("pk").first().pk > last_content_type
    assert Permission.objects.count() == len(permissions)


@pytest.mark.django_db
def test_a_flush_inside_a_transaction_leaves_the_triggers_on_for_the_rest_of_it():
    """The flush turns PostgreSQL's triggers off for its own statements only."""
    call_command("flush", interactive=False, verbosity=0, reset_sequences=False)
    clause = agreed_clause()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW session_replication_role")
            assert cursor.fetchone() == ("origin",)
            assert refuses_changing(cursor, clause)
