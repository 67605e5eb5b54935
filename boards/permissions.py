"""Who may change the register: areas, boards, posts, people and memberships.

Roles come from RoleAssignment. protocols.permissions builds the protocol rules on these and re-exports
them, so the pages and the API ask one module; boards itself needs only this one.
"""

from .models import RoleAssignment

Role = RoleAssignment.Role


def is_administrator(user):
    if not user.is_authenticated:
        return False
    return user.is_superuser or _scope(user)["administrator"]


def _scope(user):
    """The areas and boards each role covers, read once per request and kept on the user object."""
    cached = getattr(user, "_registry_scope", None)
    if cached is None:
        cached = {"administrator": False, Role.BUSINESS_MANAGER: (set(), set()), Role.BOARD_MEMBER: (set(), set())}
        for role, area_id, board_id in RoleAssignment.objects.filter(user=user).values_list(
            "role", "area_id", "board_id"
        ):
            if role == Role.ADMINISTRATOR:
                cached["administrator"] = True
                continue
            areas, boards = cached[role]
            if area_id:
                areas.add(area_id)
            if board_id:
                boards.add(board_id)
        user._registry_scope = cached
    return cached


# The register (areas, boards, posts, people, memberships). Administrators keep all of it; a business
# manager keeps the boards, posts and memberships of the areas they are assigned to, and the people
# who hold or held those posts (or no post yet). Areas themselves are the registry's frame: only
# administrators change them.


def can_edit_areas(user):
    """Whether the user may create or change areas."""
    return is_administrator(user)


def can_edit_area_records(user, area):
    """Whether the user may create or change boards, posts and memberships in `area`."""
    if not user.is_authenticated or area is None:
        return False
    if is_administrator(user):
        return True
    return area.pk in _scope(user)[Role.BUSINESS_MANAGER][0]


def kept_area_ids(user) -> set:
    """The areas whose register this business manager keeps (none for administrators: they keep all)."""
    if not user.is_authenticated:
        return set()
    return set(_scope(user)[Role.BUSINESS_MANAGER][0])


def can_edit_register(user):
    """Whether the user keeps any part of the register (so may at least try to add to it)."""
    if not user.is_authenticated:
        return False
    return is_administrator(user) or bool(_scope(user)[Role.BUSINESS_MANAGER][0])


def can_edit_people(user):
    """Whether the user may add people: whoever keeps part of the register records who holds its posts."""
    return can_edit_register(user)


def person_edit_refusal(user, person):
    """Why the user may not change `person`, or None when they may.

    A business manager changes someone no post holding names yet (perhaps just added), or someone who
    holds or held a post the manager keeps. Someone known only from other areas' posts is theirs.
    """
    if is_administrator(user):
        return None
    if not can_edit_register(user):
        return "You cannot change people in the register."
    holdings = person.holdings.select_related("post__area", "post__board").prefetch_related("post__board__areas")
    posts = [holding.post for holding in holdings]
    if not posts and person.added_in_id is not None and not can_edit_area_records(user, person.added_in):
        return "This person was added to another area's register; a manager of that area can change them."
    if not posts or any(can_edit_post(user, post) for post in posts):
        return None
    return "This person holds or held only posts in areas you do not keep; a manager of one of those areas can change them."


def can_edit_board(user, board):
    """A board shared by several areas is kept by the business managers of any of them."""
    if is_administrator(user):
        return True
    return any(can_edit_area_records(user, area) for area in board.areas.all())


def can_edit_post(user, post):
    """A post belongs to its area, or failing that to its board's areas."""
    if is_administrator(user):
        return True
    if post.area_id is not None:
        return can_edit_area_records(user, post.area)
    if post.board_id is not None:
        return can_edit_board(user, post.board)
    return False


def can_edit_membership(user, membership):
    return can_edit_board(user, membership.board)


def can_see_register_history(user, area):
    """The history of an area's register is for those who keep it: its business managers and administrators."""
    return can_edit_area_records(user, area)
