"""Who may read and edit what. The one place the pages and the API ask.

- Anyone, signed in or not, reads agreed and superseded versions: they are public documents.
- Board members read drafts and history of protocols in their areas or of their boards.
- Business managers do that and edit those protocols, and only those.
- Registry administrators read and edit everything.
- The register (areas, boards, posts, people, memberships): see boards.permissions.
"""

from django.db.models import Q

from boards.models import RoleAssignment

# Roles and the register's rules live with the register (boards); they are re-exported so that pages
# and the API ask this one module about everything.
from boards.permissions import (  # noqa: F401
    _scope,
    can_edit_area_records,
    can_edit_areas,
    can_edit_board,
    can_edit_membership,
    can_edit_people,
    can_edit_post,
    can_edit_register,
    is_administrator,
)

from .models import Protocol, ProtocolVersion

Role = RoleAssignment.Role


def _protocols_in_scope(areas, boards):
    return Protocol.objects.filter(
        Q(area_id__in=areas) | Q(versions__parties__board_id__in=boards) | Q(versions__parties__board__areas__in=areas)
    ).distinct()


def editable_protocols(user):
    """The protocols this user may edit."""
    if not user.is_authenticated:
        return Protocol.objects.none()
    if is_administrator(user):
        return Protocol.objects.all()
    areas, boards = _scope(user)[Role.BUSINESS_MANAGER]
    if not areas and not boards:
        return Protocol.objects.none()
    return _protocols_in_scope(areas, boards)


def readable_draft_protocols(user):
    """The protocols whose drafts and history this user may read."""
    if not user.is_authenticated:
        return Protocol.objects.none()
    if is_administrator(user):
        return Protocol.objects.all()
    scope = _scope(user)
    areas = scope[Role.BUSINESS_MANAGER][0] | scope[Role.BOARD_MEMBER][0]
    boards = scope[Role.BUSINESS_MANAGER][1] | scope[Role.BOARD_MEMBER][1]
    if not areas and not boards:
        return Protocol.objects.none()
    return _protocols_in_scope(areas, boards)


def can_edit_protocol(user, protocol):
    if not user.is_authenticated:
        return False
    if is_administrator(user):
        return True
    return editable_protocols(user).filter(pk=protocol.pk).exists()


def protocol_editors(protocol, candidates=None):
    """The active users who may edit the protocol, each asked through can_edit_protocol itself.

    `candidates` (from editor_candidates) lets a caller asking about many protocols read the users
    and their roles once.
    """
    if candidates is None:
        candidates = editor_candidates()
    return [user for user in candidates if can_edit_protocol(user, protocol)]


def editor_candidates():
    """Active users who might edit some protocol: superusers, administrators and business managers."""
    from django.contrib.auth import get_user_model

    roles = [Role.ADMINISTRATOR, Role.BUSINESS_MANAGER]
    return list(
        get_user_model()
        .objects.filter(Q(is_superuser=True) | Q(role_assignments__role__in=roles), is_active=True)
        .distinct()
        .order_by("pk")
    )


def can_read_drafts(user, protocol):
    if not user.is_authenticated:
        return False
    if is_administrator(user):
        return True
    return readable_draft_protocols(user).filter(pk=protocol.pk).exists()


def can_view_version(user, version):
    if version.is_public:
        return True
    return can_read_drafts(user, version.protocol)


def visible_versions(user):
    """Versions this user may read: every public one, plus drafts of protocols in their scope."""
    if is_administrator(user):
        return ProtocolVersion.objects.all()
    public = ProtocolVersion.objects.public()
    if not user.is_authenticated:
        return public
    return public | ProtocolVersion.objects.filter(protocol__in=readable_draft_protocols(user))


def can_edit_anything(user):
    """Whether the user edits at least one protocol (or could create one): administrators and managers."""
    if not user.is_authenticated:
        return False
    if is_administrator(user):
        return True
    areas, boards = _scope(user)[Role.BUSINESS_MANAGER]
    return bool(areas or boards)


def home_areas(user):
    """The areas a signed-in user works in: those of their roles, and those of the boards their roles name.
    None for administrators (every area is theirs) and for anyone without a role."""
    from boards.models import Area

    if not user.is_authenticated or is_administrator(user):
        return Area.objects.none()
    scope = _scope(user)
    areas = scope[Role.BUSINESS_MANAGER][0] | scope[Role.BOARD_MEMBER][0]
    boards = scope[Role.BUSINESS_MANAGER][1] | scope[Role.BOARD_MEMBER][1]
    return Area.objects.filter(Q(pk__in=areas) | Q(boards__in=boards)).distinct()


def creatable_areas(user):
    """Areas in which this user may start a new protocol."""
    from boards.models import Area

    if is_administrator(user):
        return Area.objects.all()
    if not user.is_authenticated:
        return Area.objects.none()
    areas, boards = _scope(user)[Role.BUSINESS_MANAGER]
    return Area.objects.filter(Q(pk__in=areas) | Q(boards__in=boards)).distinct()


# Why a page is refused, said to the person refused: who may, so they know whom to ask. The error page
# adds what to do next.


def editing_refusal(protocol):
    return f"Only business managers of {protocol.area.name} can edit this protocol."


def drafts_refusal(protocol):
    return f"Only board members and business managers of {protocol.area.name} can read this protocol's drafts."


def _user_of(request_or_user):
    return getattr(request_or_user, "user", request_or_user)


def _protocol_or_404(slug):
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Protocol.objects.select_related("area"), slug=slug)


def get_protocol_for_editing(request_or_user, slug):
    """The protocol the user may edit, or Http404 (no such protocol) / PermissionDenied (not theirs).

    Views put login_required in front, so anonymous users are sent to sign in before this runs.
    """
    from django.core.exceptions import PermissionDenied

    user = _user_of(request_or_user)
    protocol = _protocol_or_404(slug)
    if not can_edit_protocol(user, protocol):
        raise PermissionDenied(editing_refusal(protocol))
    return protocol


def get_protocol_for_reading_drafts(request_or_user, slug):
    """The protocol whose drafts, history and audit trail the user may read, or Http404 / PermissionDenied."""
    from django.core.exceptions import PermissionDenied

    user = _user_of(request_or_user)
    protocol = _protocol_or_404(slug)
    if not can_read_drafts(user, protocol):
        raise PermissionDenied(drafts_refusal(protocol))
    return protocol
