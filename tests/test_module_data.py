"""`module_data` (tests/conftest.py): data written once for a module; what a test writes is gone before the next.
The demo it loads is copied back after the first time (tests/snapshots.py) and must be the same rows."""

import io

from django.core.management import call_command
from django.db import connection, transaction

from boards.models import Area
from tests.conftest import module_data
from tests.factories import AreaFactory
from tests.snapshots import Snapshots, model_tables, table_state

shared_area = module_data(lambda: AreaFactory(name="Shared", slug="shared").pk)


def test_a_test_may_change_and_add_to_the_shared_data(shared_area, db):
    Area.objects.filter(pk=shared_area).update(name="Changed")
    AreaFactory(name="Extra", slug="extra")
    assert sorted(Area.objects.values_list("name", flat=True)) == ["Changed", "Extra"]


def test_the_next_test_sees_the_shared_data_as_written(shared_area, db):
    """Runs after the test above (same module, same worker) and finds none of its writes."""
    assert list(Area.objects.values_list("pk", "name")) == [(shared_area, "Shared")]


def test_the_demo_copied_back_holds_the_rows_the_load_wrote(db):
    """The second load from the same start copies back the first one's rows instead of running it: every table
    then holds exactly what it held after the real load, and rows added afterwards get ids of their own."""
    loads = []

    def load():
        loads.append(1)
        call_command("load_demo", stdout=io.StringIO())

    snapshots = Snapshots(load)
    tables = model_tables()
    with connection.cursor() as cursor:
        start = table_state(cursor, tables)
        with transaction.atomic():
            snapshots.load()
            loaded = table_state(cursor, tables)
            transaction.set_rollback(True)
        assert table_state(cursor, tables) == start
        snapshots.load()
        assert table_state(cursor, tables) == loaded
    assert len(loads) == 1
    assert Area.objects.filter(slug="knowsley").exists()
    added = AreaFactory(name="Added", slug="added")
    assert added.pk > max(Area.objects.exclude(pk=added.pk).values_list("pk", flat=True))
