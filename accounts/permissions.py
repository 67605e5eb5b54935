"""Who may manage accounts. Administrators invite anyone to any area, change and remove any role and add
areas. A business manager invites board members to the areas they keep, sends their invitations again and
removes their board member roles there. Everyone signed in keeps their own account."""

from boards.models import Area, RoleAssignment
from boards.permissions import can_edit_area_records, is_administrator

Role = RoleAssignment.Role


def can_manage_accounts(user):
    """Changing any role, adding areas, and seeing every account (those without a role too)."""
    return is_administrator(user)


def invitable_areas(user):
    """The areas this user may give roles in: every area for an administrator, the kept ones for a manager."""
    areas = Area.objects.order_by("name")
    if is_administrator(user):
        return areas
    managed = RoleAssignment.objects.filter(user=user, role=Role.BUSINESS_MANAGER, area__isnull=False)
    return areas.filter(pk__in=managed.values("area_id"))


def invitable_roles(user):
    """The roles this user may give: both area roles for an administrator, board member for a manager."""
    if is_administrator(user):
        return (Role.BUSINESS_MANAGER, Role.BOARD_MEMBER)
    return (Role.BOARD_MEMBER,) if invitable_areas(user).exists() else ()


def can_invite(user, role, area):
    return role in invitable_roles(user) and area is not None and invitable_areas(user).filter(pk=area.pk).exists()


def can_see_people(user):
    """The people page: administrators, and business managers for the areas they keep."""
    return user.is_authenticated and bool(invitable_roles(user))


def can_manage_assignment(user, assignment):
    """Removing a role or sending its invitation again: any for administrators; a board member's role in an
    area they keep for a business manager."""
    if is_administrator(user):
        return True
    return assignment.role == Role.BOARD_MEMBER and can_edit_area_records(user, assignment.area)
