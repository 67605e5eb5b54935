"""`module_data` (tests/conftest.py): data written once for a module; what a test writes is gone before the next."""

from boards.models import Area
from tests.conftest import module_data
from tests.factories import AreaFactory

shared_area = module_data(lambda: AreaFactory(name="Shared", slug="shared").pk)


def test_a_test_may_change_and_add_to_the_shared_data(shared_area, db):
    Area.objects.filter(pk=shared_area).update(name="Changed")
    AreaFactory(name="Extra", slug="extra")
    assert sorted(Area.objects.values_list("name", flat=True)) == ["Changed", "Extra"]


def test_the_next_test_sees_the_shared_data_as_written(shared_area, db):
    """Runs after the test above (same module, same worker) and finds none of its writes."""
    assert list(Area.objects.values_list("pk", "name")) == [(shared_area, "Shared")]
