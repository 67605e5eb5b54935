import pytest

from boards.models import RoleAssignment
from tests.factories import AreaFactory, RoleAssignmentFactory, UserFactory


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
