"""How the test process makes and empties its databases: the same results as Django's way, for less work.

Emptying. A test in real transactions (a live server's, `transaction=True`) ends with Django's flush, which on
PostgreSQL is one TRUNCATE of every table: each table gets new files and the catalogue is rewritten, a third
of a second or more each time, however few rows the tables hold. `delete_flush` makes the
flush DELETE every row instead, in the flush's own transaction, as a superuser (the tests connect as one) with
`session_replication_role = replica`, which stops every trigger for that transaction only: the triggers that
refuse deleting an agreed version's rows (protocols migrations 0006 and 0009; TRUNCATE fires no row trigger
either) and the foreign keys' checks, so the tables empty in any order. The role is set back before the
transaction goes on (a test may flush inside its own). Every table ends empty, sequences are not reset, and
the flush command then sends post_migrate as before, which writes the content types and permissions again.
A flush that resets sequences or cascades to other tables, or one without a superuser, truncates as before.

Migrating. Under pytest-xdist each worker makes a test database of its own (`test_<name>_gw0`, ...), and
each used to run every migration into it. Now the first worker of a run to need one migrates as before and
keeps a copy, a template, which the others copy: PostgreSQL with `CREATE DATABASE ... TEMPLATE`, SQLite's
in-memory database with sqlite3's backup API from a file. The workers take turns under a file lock (fcntl) in
a directory the xdist controller makes for the run (under TMPDIR) and removes at its end, after dropping the
PostgreSQL template. Each run makes its template afresh and keeps it no longer than itself, so a template is
never stale (no key on the migrations is needed); one a killed run left behind is dropped by the next before
it makes its own. The PostgreSQL template is named after the workers' databases (`test_<name>_template`), so
two runs at once keep theirs apart as they keep their databases apart (CI_DATABASE names the database).
After a copy, post_migrate is sent as migrate sends it at its end: it writes nothing (the rows are there) but
fills the process's content type cache as migrating does, so tests that count queries count the same on every
worker. Without xdist, with one worker, with --reuse-db, or with SQLite in a file, each process makes its
database as before.
"""

import fcntl
import json
import os
import shutil
import sqlite3
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import DatabaseError, connections
from django.db.backends.base.creation import BaseDatabaseCreation
from django.db.backends.postgresql.operations import DatabaseOperations as PostgresOperations

# The xdist controller hands each worker the run's directory under this key of `workerinput`.
WORKERINPUT_KEY = "test_database_templates"
# PostgreSQL cuts longer names short.
MAX_POSTGRES_NAME = 63


# Emptying -------------------------------------------------------------------------------------------------------


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


# Migrating ------------------------------------------------------------------------------------------------------


class Template:
    """A database alias's migrated template for one xdist run, kept in (or named in) the run's `directory`."""

    def __init__(self, directory, alias):
        self.directory = Path(directory)
        self.alias = alias
        self.lock_path = self.directory / f"{alias}.lock"
        self.state_path = self.directory / f"{alias}.json"

    @contextmanager
    def locked(self):
        """The template's state ({} until a worker makes it), with the lock held; what is left in it is kept."""
        with open(self.lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                state = json.loads(self.state_path.read_text()) if self.state_path.exists() else {}
                yield state
                self.write(state)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def write(self, state):
        partial = Path(f"{self.state_path}.partial")
        partial.write_text(json.dumps(state))
        partial.replace(self.state_path)

    def name_for(self, connection, worker):
        """A PostgreSQL database named after the workers' (`test_<name>_template`), or a file in the directory."""
        if connection.vendor != "postgresql":
            return str(self.directory / f"{self.alias}.sqlite3")
        name = f"{connection.settings_dict['NAME'].removesuffix(f'_{worker}')}_template"
        if len(name.encode()) > MAX_POSTGRES_NAME:
            raise ValueError(f"{name} is too long a name for a PostgreSQL database")
        return name


def _supported(connection):
    if connection.vendor == "postgresql":
        return True
    if connection.vendor == "sqlite":
        return connection.creation.is_in_memory_db(connection.creation._get_test_db_name())
    return False


def install(config):
    """For this test process: flush PostgreSQL with DELETE; in an xdist worker of a run with more than one,
    make each test database from the run's template."""
    PostgresOperations.sql_flush = delete_flush(PostgresOperations.sql_flush)
    workerinput = getattr(config, "workerinput", {})
    directory = workerinput.get(WORKERINPUT_KEY)
    if not directory or workerinput.get("workercount", 1) < 2:
        return
    worker = workerinput["workerid"]
    create_test_db = BaseDatabaseCreation.create_test_db

    def create_from_template(self, verbosity=1, autoclobber=False, serialize=True, keepdb=False):
        if keepdb or not _supported(self.connection):
            return create_test_db(self, verbosity, autoclobber, serialize, keepdb)
        template = Template(directory, self.connection.alias)
        with template.locked() as state:
            if state.get("ready"):
                name = copy_template(self, state["template"], verbosity, autoclobber, serialize)
                state["copied_by"] = [*state.get("copied_by", []), worker]
                return name
            name = create_test_db(self, verbosity, autoclobber, serialize, keepdb)
            try:
                state.update(vendor=self.connection.vendor, template=template.name_for(self.connection, worker))
                template.write(state)  # the controller drops the database even if making it fails halfway
                keep_template(self, state["template"])
            except Exception as error:  # the other workers then migrate their own, as before
                self.log(f"Could not keep a template of the test database: {error}")
                self.connection.ensure_connection()
            else:
                state.update(ready=True, made_by=worker)
            return name

    create_from_template.__wrapped__ = create_test_db
    BaseDatabaseCreation.create_test_db = create_from_template


def uninstall():
    for owner, name in ((BaseDatabaseCreation, "create_test_db"), (PostgresOperations, "sql_flush")):
        method = getattr(owner, name)
        if hasattr(method, "__wrapped__"):
            setattr(owner, name, method.__wrapped__)


def keep_template(creation, template):
    """Copy the connection's database, as it stands, to `template`: a PostgreSQL database, or a SQLite file."""
    connection = creation.connection
    if connection.vendor == "postgresql":
        quote = connection.ops.quote_name
        connection.close()  # CREATE DATABASE ... TEMPLATE needs the source to have no connections
        with creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(template)}")  # a run before ended without dropping it
            cursor.execute(f"CREATE DATABASE {quote(template)} WITH TEMPLATE {quote(connection.settings_dict['NAME'])}")
        connection.ensure_connection()
    else:
        connection.ensure_connection()
        partial = f"{template}.partial"
        target = sqlite3.connect(partial)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        os.replace(partial, template)


def copy_template(creation, template, verbosity, autoclobber, serialize):
    """What `create_test_db` does, with `template` copied instead of the migrations run."""
    connection = creation.connection
    alias = connection.alias
    test_database_name = creation._get_test_db_name()
    if verbosity >= 1:
        shown = creation._get_database_display_str(verbosity, test_database_name)
        creation.log(f"Creating test database for alias {shown} from {template}...")
    test_settings = connection.settings_dict["TEST"]
    if connection.vendor == "postgresql":
        own_template = test_settings.get("TEMPLATE")
        test_settings["TEMPLATE"] = template  # CREATE DATABASE ... WITH TEMPLATE (sql_table_creation_suffix)
        try:
            creation._create_test_db(verbosity, autoclobber, keepdb=False)
        finally:
            test_settings["TEMPLATE"] = own_template
    else:
        creation._create_test_db(verbosity, autoclobber, keepdb=False)

    connection.close()
    settings.DATABASES[alias]["NAME"] = test_database_name
    connection.settings_dict["NAME"] = test_database_name

    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{template}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()

    # As migrate ends: nothing to write, but the caches it fills (content types) are filled here too.
    emit_post_migrate_signal(verbosity=max(verbosity - 1, 0), interactive=False, db=alias)
    if serialize:
        connection._test_serialized_contents = creation.serialize_db_to_string()
    call_command("createcachetable", database=alias)
    connection.ensure_connection()
    return test_database_name


# The xdist controller -------------------------------------------------------------------------------------------


RUN_DIRECTORY = pytest.StashKey[str]()


def run_directory(config):
    """The directory the controller shares with the run's workers (made once, at the first worker's start)."""
    if RUN_DIRECTORY not in config.stash:
        config.stash[RUN_DIRECTORY] = tempfile.mkdtemp(prefix="test-database-templates-")
    return config.stash[RUN_DIRECTORY]


def drop_templates(config, blocker):
    """At the run's end, in the controller: drop the PostgreSQL templates and remove the directory."""
    directory = config.stash.get(RUN_DIRECTORY, None)
    if directory is None:
        return
    try:
        for state_path in Path(directory).glob("*.json"):
            state = json.loads(state_path.read_text())
            if state.get("vendor") != "postgresql":
                continue
            connection = connections[state_path.stem]
            try:
                with blocker.unblock(), connection.creation._nodb_cursor() as cursor:
                    cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(state['template'])}")
            except DatabaseError as error:  # the next run's first worker drops it before making its own
                config.get_terminal_writer().line(f"Could not drop the test template {state['template']}: {error}")
    finally:
        shutil.rmtree(directory, ignore_errors=True)
