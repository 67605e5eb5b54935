"""tests/databases.py: the flush after a test in real transactions leaves what Django's leaves, and a worker's
database copied from the run's template is the migrated one, PostgreSQL's triggers included."""

import copy
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.creation import BaseDatabaseCreation
from django.db.migrations.loader import MigrationLoader
from factory.django import DjangoModelFactory

from protocols.models import AgreedRecord, Clause, ProtocolVersion
from tests import databases, factories
from tests.conftest import load_demo
from tests.factories import ClauseFactory, SectionFactory, VersionFactory
from tests.snapshots import NAMED_TABLES, model_tables, table_state

# The database's own triggers (not the foreign keys' internal ones) and functions, as PostgreSQL writes them out.
TRIGGERS = "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1"
FUNCTIONS = (
    "SELECT pg_get_functiondef(p.oid) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
    "WHERE n.nspname = 'public' ORDER BY 1"
)
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


@pytest.fixture
def probe(transactional_db, django_db_blocker):
    """A second connection, to a test database of its own (the test makes it), dropped afterwards. Django's
    test case refuses connections to an alias it was not told of: pytest-django's blocker lets them through."""
    alias = "template_probe"
    probe_settings = copy.deepcopy(connection.settings_dict)
    if connection.vendor == "postgresql":
        probe_settings["TEST"]["NAME"] = f"{connection.settings_dict['NAME']}_probe"
    with django_db_blocker.unblock():
        settings.DATABASES[alias] = probe_settings  # the connections read the same dictionary
        try:
            yield connections[alias]
        finally:
            wrapper = connections[alias]
            BaseDatabaseWrapper.close(wrapper)  # SQLite's own close() keeps an in-memory database open
            if wrapper.vendor == "postgresql":
                with wrapper.creation._nodb_cursor() as cursor:
                    cursor.execute(f"DROP DATABASE IF EXISTS {wrapper.ops.quote_name(probe_settings['TEST']['NAME'])}")
            del connections[alias]
            del settings.DATABASES[alias]


def several_workers(config):
    """This process's xdist input when it is one of several workers whose databases come from a template."""
    workerinput = getattr(config, "workerinput", {})
    keepdb = config.getvalue("reuse_db") and not config.getvalue("create_db")
    return workerinput if workerinput.get("workercount", 1) > 1 and not keepdb else None


@pytest.fixture
def template(request, probe, tmp_path):
    """Among several workers, the run's template, which the workers copied (held under its lock, so that none
    copies it meanwhile). Otherwise one kept now from this process's database, as the first worker keeps it."""
    workerinput = several_workers(request.config)
    if workerinput:
        with databases.Template(workerinput[databases.WORKERINPUT_KEY], DEFAULT_DB_ALIAS).locked() as state:
            assert state.get("ready")
            yield state["template"]
        return
    if connection.vendor != "postgresql":
        name = str(tmp_path / "template.sqlite3")
        databases.keep_template(connection.creation, name)
        yield name
        return
    name = f"{connection.settings_dict['NAME']}_probe_template"
    connection.close()
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [connection.settings_dict["NAME"]])
        if cursor.fetchone()[0]:
            pytest.skip("a connection an earlier test left open keeps this database from being a template")
    databases.keep_template(connection.creation, name)
    try:
        yield name
    finally:
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE {connection.ops.quote_name(name)}")


@pytest.mark.django_db(transaction=True)
def test_a_database_copied_from_the_template_is_the_migrated_one_with_its_triggers(probe, template, monkeypatch):
    """A worker's database copied from the template, the way the workers copy it, is the migrated one: every
    migration is recorded as applied, every table is there, so are the content types and permissions, and on
    PostgreSQL the triggers and their functions: an UPDATE of an agreed version's clause written to it fails."""
    databases.copy_template(probe.creation, template, verbosity=0, autoclobber=True, serialize=False)

    loader = MigrationLoader(probe)
    assert set(loader.applied_migrations) == set(loader.disk_migrations)
    assert sorted(probe.introspection.table_names()) == sorted(connection.introspection.table_names())
    with probe.cursor() as copied, connection.cursor() as migrated:
        assert named(copied) == named(migrated)
        if connection.vendor == "postgresql":
            for query in (TRIGGERS, FUNCTIONS):
                migrated.execute(query)
                copied.execute(query)
                assert copied.fetchall() == migrated.fetchall() != []

    for factory in vars(factories).values():
        if isinstance(factory, type) and issubclass(factory, DjangoModelFactory):
            monkeypatch.setattr(factory._meta, "database", probe.alias)
    clause = agreed_clause()
    assert Clause.objects.using(probe.alias).filter(pk=clause.pk).exists()
    if connection.vendor == "postgresql":
        with probe.cursor() as cursor:
            assert refuses_changing(cursor, clause)


@pytest.mark.django_db
def test_in_a_run_of_several_workers_one_migrated_and_kept_the_template(request):
    """Among several workers, the run's state names the worker that migrated and kept the template, and this
    one's database (migrated or copied) refuses changing an agreed clause on PostgreSQL. In a process on its
    own, its database is made as Django makes it."""
    workerinput = several_workers(request.config)
    if not workerinput:  # each process makes (or with --reuse-db keeps) its database as Django does
        assert not hasattr(BaseDatabaseCreation.create_test_db, "__wrapped__")
        return
    assert BaseDatabaseCreation.create_test_db.__wrapped__
    state = json.loads((Path(workerinput[databases.WORKERINPUT_KEY]) / f"{DEFAULT_DB_ALIAS}.json").read_text())
    worker = workerinput["workerid"]
    assert state.get("ready")
    assert worker == state["made_by"] or worker in state["copied_by"]
    clause = agreed_clause()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            assert refuses_changing(cursor, clause)
