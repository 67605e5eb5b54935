import io
import sys

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from pytest_django.plugin import blocking_manager_key

from boards.models import RoleAssignment
from core.models import ChangeCounter
from tests import databases
from tests.factories import AreaFactory, RoleAssignmentFactory, UserFactory
from tests.snapshots import Snapshots

# Fixtures that give a test the database; any fixture that takes one of them gives it too.
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
    "django_db_setup",
    "django_db_blocker",
}
# pytest-django's autouse fixture for Django's unittest classes takes `django_db_blocker` for every test,
# and unblocks it only for such a class that names databases (this suite has none).
UNITTEST_SETUP = "_django_setup_unittest"


def uses_database(item):
    """Whether the test can reach the test database: it is marked `django_db`, or it or one of the fixtures
    it uses (directly or through other fixtures) asks for a database fixture. pytest-django refuses any
    other test's queries, so what such a test checks cannot depend on which database is configured."""
    if item.get_closest_marker("django_db"):
        return True
    fixtureinfo = getattr(item, "_fixtureinfo", None)
    if fixtureinfo is None:
        return True
    if DATABASE_FIXTURES & set(fixtureinfo.argnames):
        return True
    return any(
        DATABASE_FIXTURES & set(definitions[-1].argnames)
        for name, definitions in fixtureinfo.name2fixturedefs.items()
        if name != UNITTEST_SETUP
    )


def pytest_configure(config):
    """Test databases flushed with DELETE on PostgreSQL, and migrated once per xdist run (tests/databases.py)."""
    databases.install(config)


def pytest_unconfigure(config):
    databases.uninstall()


@pytest.hookimpl(optionalhook=True)  # xdist's hook, in its controller
def pytest_configure_node(node):
    """Each worker is told the run's directory, where the first to migrate keeps a template for the others."""
    node.workerinput[databases.WORKERINPUT_KEY] = databases.run_directory(node.config)


def pytest_sessionfinish(session):
    """The controller drops the run's templates once every worker has ended."""
    if not hasattr(session.config, "workerinput"):
        databases.drop_templates(session.config, session.config.stash[blocking_manager_key])


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items):
    """Tests that cannot reach the database are marked `database_independent` (CI runs them on its
    SQLite pass only). Under xdist, one worker runs all the tests of a module that share module-scoped
    database work (data from `module_data`, a PDF rendered once), so that work is done once rather than
    once on each worker."""
    for item in items:
        if not uses_database(item):
            item.add_marker(pytest.mark.database_independent)
        fixtureinfo = getattr(item, "_fixtureinfo", None)
        if fixtureinfo is None or item.get_closest_marker("xdist_group"):
            continue
        definitions = [defs[-1] for defs in fixtureinfo.name2fixturedefs.values()]
        if any(d.scope == "module" and "django_db_blocker" in d.argnames for d in definitions):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """PostgreSQL confirms each commit of the test database without waiting for it to reach the disk: the
    database is thrown away after the run, and on a busy disk each wait (migrations, tests in real
    transactions, the live server's requests) can take a tenth of a second. It plans without JIT compilation:
    the test tables are never analysed, and from guessed sizes the planner may cost a small query high enough
    to compile it to machine code, which takes longer than running it."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c synchronous_commit=off -c jit=off".strip()


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """Every persona and demo account is made with a password; the production hasher's deliberate slowness
    (a large fraction of a second per password) would dominate the suite, so tests hash with MD5."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Counters kept in the cache (checks per client at /verify/) start afresh for each test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def area(db):
    return AreaFactory(name="Knowsley", slug="knowsley")


@pytest.fixture
def other_area(db):
    return AreaFactory(name="Slough", slug="slough")


@pytest.fixture
def administrator(db):
    user = UserFactory(username="admin-person", is_staff=True, is_superuser=True)
    RoleAssignmentFactory(user=user, role=RoleAssignment.Role.ADMINISTRATOR, area=None)
    return user


@pytest.fixture
def business_manager(area):
    """A business manager who edits the protocols of `area`."""
    assignment = RoleAssignmentFactory(
        user=UserFactory(username="manager"), role=RoleAssignment.Role.BUSINESS_MANAGER, area=area
    )
    return assignment.user


@pytest.fixture
def board_member(area):
    assignment = RoleAssignmentFactory(
        user=UserFactory(username="member"), role=RoleAssignment.Role.BOARD_MEMBER, area=area
    )
    return assignment.user


@pytest.fixture
def outsider(other_area):
    """A business manager of a different area."""
    assignment = RoleAssignmentFactory(
        user=UserFactory(username="outsider"), role=RoleAssignment.Role.BUSINESS_MANAGER, area=other_area
    )
    return assignment.user


def module_data(load):
    """A module-scoped fixture whose data `load()` writes once, for all the tests of the module that ask for it.

    The data is written inside a transaction that stays open for the module and is rolled back after its
    last test. Each test (with `db`) still runs in a savepoint of its own, rolled back when it ends, so what
    one test writes never reaches the next, and the next module starts from an empty database again. Only
    for modules whose tests all use it, none of them transactional (`live_server`, `transaction=True`).
    """

    @pytest.fixture(scope="module")
    def fixture(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                result = load()
            except BaseException:
                atomic.__exit__(*sys.exc_info())
                raise
        yield result
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)

    return fixture


# The demo as `load_demo` writes it (a few seconds), copied back after the first time (tests/snapshots.py).
demo_snapshots = Snapshots(lambda: call_command("load_demo", stdout=io.StringIO()))


def load_demo():
    demo_snapshots.load()


# The five demo protocols as `load_demo` writes them, once per module.
demo_data = module_data(load_demo)


@pytest.fixture
def counter_rows(db):
    """The change counters' rows, as migrations make them: a test in a real transaction that ran before on this
    worker emptied the database row by row, and without them nothing is cached (core.writes.changes_in)."""
    for scope in ("all", "registry"):
        ChangeCounter.objects.get_or_create(scope=scope)
