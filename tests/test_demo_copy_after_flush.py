"""tests/snapshots.py after a flush: the demo copied back into a database a live server's test starts from.

Apart from tests/test_module_data.py, whose module keeps a transaction open for its shared data, which a test in
real transactions may not meet."""

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection

from boards.models import Area
from tests.snapshots import Snapshots, model_tables, table_state


@pytest.mark.django_db(transaction=True)
def test_after_a_flush_the_demo_is_copied_back_with_the_content_types_it_was_loaded_with():
    """A live server's test starts from a database emptied as TransactionTestCase empties it, with its content
    types made again under new ids: the demo loaded after one such flush is copied back after the next, content
    types and permissions included, row for row as the real load left them."""
    loads = []

    def load():
        loads.append(1)
        call_command("load_demo", stdout=io.StringIO())

    def flush():
        call_command("flush", interactive=False, verbosity=0, reset_sequences=False)
        return set(ContentType.objects.values_list("pk", flat=True))

    snapshots = Snapshots(load)
    tables = model_tables()
    first_ids = flush()
    snapshots.load()
    with connection.cursor() as cursor:
        loaded = table_state(cursor, tables)
    assert not flush() & first_ids  # the next test's content types: the same names under other ids
    snapshots.load()
    with connection.cursor() as cursor:
        assert table_state(cursor, tables) == loaded
    assert len(loads) == 1
    area_type = ContentType.objects.get_for_model(Area)  # not an id the cache kept from before the copy
    assert area_type.pk in first_ids and area_type.model_class() is Area
