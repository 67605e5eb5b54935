"""The change counters: one per area and one for changes placed in no area, moved in each change's own
transaction, so a cached page of an area is set aside exactly when something it shows changes."""

import pytest

from boards import services as board_services
from core.exceptions import InvalidTransition
from core.models import ChangeCounter
from core.writes import changes_in, note_change
from protocols.services import version_start_review
from tests.factories import BoardFactory, ObligationFactory, RecipientFactory
from tests.test_map import build_area

# The change counters' rows, as a migrated database has them (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("counter_rows")


@pytest.fixture
def knowsley(area):
    return build_area(area, 1)


@pytest.fixture
def slough(other_area):
    return build_area(other_area, 1, prefix="y")


def rename(board, user, name):
    board.refresh_from_db()
    return board_services.board_update(
        user=user, board=board, expected_revision=board.revision, name=name, short_name=name[:10]
    )


def test_a_register_change_moves_its_areas_counter_and_no_other(area, other_area, knowsley, slough, administrator):
    registry = ChangeCounter.objects.get(scope="registry").value
    before = {pk: changes_in([pk]).key for pk in (area.pk, other_area.pk)}
    rename(knowsley["hwb"], administrator, "Knowsley Health Board")
    assert changes_in([area.pk]).key != before[area.pk]
    assert changes_in([other_area.pk]).key == before[other_area.pk]
    assert ChangeCounter.objects.get(scope="registry").value == registry
    counter = ChangeCounter.objects.get(scope=f"area:{area.pk}")
    assert changes_in([area.pk]).modified == counter.changed_at  # Last-Modified: when the counter moved


def test_a_protocol_naming_another_areas_board_moves_both_areas_on(area, other_area, knowsley, slough, administrator):
    """An obligation of Knowsley's protocol sent to Slough's board shows on Slough's pages; a change to either
    moves both areas' counters, and no third area's."""
    third = BoardFactory(slug="elsewhere").areas.first()
    ob = ObligationFactory(senders=[knowsley["kscb"]], version=knowsley["version"])
    RecipientFactory(obligation=ob, board=slough["kscb"])
    before = {pk: changes_in([pk]).key for pk in (area.pk, other_area.pk, third.pk)}

    version_start_review(user=administrator, protocol=knowsley["protocol"])  # a change to Knowsley's protocol
    moved = {pk: changes_in([pk]).key != before[pk] for pk in before}
    assert moved == {area.pk: True, other_area.pk: True, third.pk: False}

    before = {pk: changes_in([pk]).key for pk in before}
    rename(slough["hwb"], administrator, "Slough Health Board")  # Slough's register: Knowsley names its board
    moved = {pk: changes_in([pk]).key != before[pk] for pk in before}
    assert moved == {area.pk: True, other_area.pk: True, third.pk: False}


def test_a_change_in_no_area_and_a_bulk_load_move_every_page_on(area, other_area):
    before = [changes_in([area.pk]).key, changes_in([other_area.pk]).key]
    note_change()  # what load_demo and generate_scale_data do after adding rows in bulk
    assert [changes_in([area.pk]).key, changes_in([other_area.pk]).key] != before
    registry = ChangeCounter.objects.get(scope="registry")
    assert registry.value == 1 and not ChangeCounter.objects.filter(scope=f"area:{area.pk}").exists()


def test_a_review_copies_many_rows_as_one_change_moving_each_counter_once(
    area, other_area, knowsley, slough, administrator
):
    """Starting a review writes a row for each section, clause, party and record, all one change: each counter
    its pages depend on moves once, when the copy is complete, and a failed copy moves none."""
    ob = ObligationFactory(senders=[knowsley["kscb"]], version=knowsley["version"])
    RecipientFactory(obligation=ob, board=slough["kscb"])
    scopes = ["all", f"area:{area.pk}", f"area:{other_area.pk}"]
    note_change([area.pk, other_area.pk])  # both areas' rows exist
    before = dict(ChangeCounter.objects.filter(scope__in=scopes).values_list("scope", "value"))

    version_start_review(user=administrator, protocol=knowsley["protocol"])
    after = dict(ChangeCounter.objects.filter(scope__in=scopes).values_list("scope", "value"))
    assert {scope: after[scope] - before[scope] for scope in scopes} == dict.fromkeys(scopes, 1)

    with pytest.raises(InvalidTransition):  # a second review while the draft is open: refused, nothing moves
        version_start_review(user=administrator, protocol=knowsley["protocol"])
    assert dict(ChangeCounter.objects.filter(scope__in=scopes).values_list("scope", "value")) == after
