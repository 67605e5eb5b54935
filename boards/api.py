"""The register in the API: areas, boards, posts, people, who holds which post, and memberships.

Anyone reads the register (it is what councils publish). Who may change which part of it comes only
from boards.permissions; every change goes through boards.services. Changes follow the rest of the
API: the read gives an ETag, a change sends it back in If-Match (428 without, 412 when stale).
"""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions

from boards import permissions as rules
from core.api import MAX_ID, IdLookupMixin
from core.viewsets import CreateRecordMixin, DestroyRecordMixin, RecordViewSet, UpdateRecordMixin
from core.writes import record_revision

from . import services
from .filters import BoardFilter, HoldingFilter, MembershipFilter, PostFilter
from .models import Area, Board, Membership, Person, Post, PostHolding, Revisioned
from .serializers import (
    AreaSerializer,
    AreaWriteSerializer,
    BoardSerializer,
    BoardWriteSerializer,
    HoldingSerializer,
    HoldingWriteSerializer,
    MembershipSerializer,
    MembershipWriteSerializer,
    PersonSerializer,
    PersonWriteSerializer,
    PostSerializer,
    PostWriteSerializer,
)


class ReadOrKeepRegister(permissions.BasePermission):
    """Reading: anyone. Changing: the view names the protocols.permissions rule for its records."""

    message = "You cannot change this part of the register."

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return request.user.is_authenticated and view.may_write(request.user)

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        return view.may_change(request.user, obj)


def refuse():
    raise exceptions.PermissionDenied(ReadOrKeepRegister.message)


class RegisterViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    CreateRecordMixin,
    UpdateRecordMixin,
    RecordViewSet,
):
    """Reads with an ETag; creates and updates through the boards.services each resource names."""

    permission_classes = [ReadOrKeepRegister]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def may_write(self, user):
        raise NotImplementedError

    def may_change(self, user, obj):
        raise NotImplementedError

    def check_placement(self, user, data, obj=None):
        """Refuse (403) a create or change that would put the record where the user may not keep it."""

    @staticmethod
    def stamp(obj):
        # Records without a revision counter carry their fingerprint under the same name, so the
        # shared ETag and If-Match handling (core.api) reads them like any other record.
        if obj is not None and not isinstance(obj, Revisioned):
            obj.revision = record_revision(obj)
        return obj

    def get_object(self):
        return self.stamp(super().get_object())

    def refetch(self, obj):
        return self.stamp(super().refetch(obj))

    def create_arguments(self, data):
        self.check_placement(self.request.user, data)
        return data

    def update_arguments(self, record, data, partial):
        self.check_placement(self.request.user, data, record)
        return data


def _register_schema(noun, plural, write_serializer, read_serializer, list_summary=None, retrieve_summary=None):
    return extend_schema_view(
        list=extend_schema(summary=list_summary or f"List {plural}", tags=["register"]),
        retrieve=extend_schema(summary=retrieve_summary or f"One {noun}", tags=["register"]),
        create=extend_schema(
            summary=f"Add a {noun}", tags=["register"], request=write_serializer, responses={201: read_serializer}
        ),
        update=extend_schema(summary=f"Replace a {noun}", tags=["register"], request=write_serializer),
        partial_update=extend_schema(summary=f"Change some of a {noun}", tags=["register"], request=write_serializer),
    )


@_register_schema(
    "council area", "council areas", AreaWriteSerializer, AreaSerializer, retrieve_summary="One council area, by slug"
)
class AreaViewSet(RegisterViewSet):
    queryset = Area.objects.order_by("name")
    serializer_class = AreaSerializer
    write_serializer = AreaWriteSerializer
    record_keyword = "area"
    create_service = staticmethod(services.area_create)
    update_service = staticmethod(services.area_update)
    lookup_field = "slug"

    def may_write(self, user):
        return rules.can_edit_areas(user)

    def may_change(self, user, area):
        return rules.can_edit_areas(user)

    def cache_areas(self):
        # An area's record shows only its own fields: its own counter moves with each change to them.
        pk = Area.objects.filter(slug=self.kwargs["slug"]).values_list("pk", flat=True).first()
        return [pk] if pk is not None else None

    def record_areas(self, area):
        return {area.pk}


@_register_schema(
    "board",
    "boards",
    BoardWriteSerializer,
    BoardSerializer,
    list_summary="List boards, subgroups and partnership groups",
)
class BoardViewSet(IdLookupMixin, RegisterViewSet):
    queryset = Board.objects.prefetch_related("areas").order_by("name", "id")
    serializer_class = BoardSerializer
    filterset_class = BoardFilter
    write_serializer = BoardWriteSerializer
    record_keyword = "board"
    create_service = staticmethod(services.board_create)
    update_service = staticmethod(services.board_update)

    def may_write(self, user):
        return rules.can_edit_register(user)

    def may_change(self, user, board):
        return rules.can_edit_board(user, board)

    def cache_areas(self):
        # A board's record shows its own fields and its areas' slugs: a change to either moves its areas' counters.
        pk = self.kwargs["pk"]
        if not str(pk).isdigit() or int(pk) > MAX_ID:
            return None
        areas = list(Board.areas.through.objects.filter(board_id=pk).values_list("area_id", flat=True))
        return areas or None

    def record_areas(self, board):
        return {area.pk for area in board.areas.all()}  # prefetched

    def check_placement(self, user, data, obj=None):
        # Every area the board is newly put in must be one the user keeps; areas it already covers
        # stay, so a manager of one of a shared board's areas can still correct its name.
        current = {area.pk for area in obj.areas.all()} if obj is not None else set()
        if any(
            area.pk not in current and not rules.can_edit_area_records(user, area) for area in data.get("areas", [])
        ):
            refuse()


@_register_schema(
    "post",
    "posts",
    PostWriteSerializer,
    PostSerializer,
    list_summary="List posts (offices such as Director of Children's Services)",
)
class PostViewSet(IdLookupMixin, RegisterViewSet):
    queryset = Post.objects.select_related("area", "board").order_by("title", "id")
    serializer_class = PostSerializer
    filterset_class = PostFilter
    write_serializer = PostWriteSerializer
    record_keyword = "post"
    create_service = staticmethod(services.post_create)
    update_service = staticmethod(services.post_update)

    def may_write(self, user):
        return rules.can_edit_register(user)

    def may_change(self, user, post):
        return rules.can_edit_post(user, post)

    def check_placement(self, user, data, obj=None):
        if obj is not None and "area" not in data and "board" not in data:
            return
        placed = Post(
            area=data["area"] if "area" in data else getattr(obj, "area", None),
            board=data["board"] if "board" in data else getattr(obj, "board", None),
        )
        if not rules.can_edit_post(user, placed):
            refuse()


@_register_schema("person", "people named in protocols", PersonWriteSerializer, PersonSerializer)
class PersonViewSet(IdLookupMixin, RegisterViewSet):
    queryset = Person.objects.select_related("added_in").order_by("name", "id")
    serializer_class = PersonSerializer
    write_serializer = PersonWriteSerializer
    record_keyword = "person"
    create_service = staticmethod(services.person_create)
    update_service = staticmethod(services.person_update)

    def may_write(self, user):
        return rules.can_edit_people(user)

    def may_change(self, user, person):
        # A refusal says why: the person is kept by the managers of the posts they hold.
        reason = rules.person_edit_refusal(user, person)
        if reason is not None:
            raise exceptions.PermissionDenied(reason)
        return True


@extend_schema_view(
    destroy=extend_schema(summary="Delete a membership", tags=["register"]),
)
@_register_schema(
    "membership",
    "memberships of posts and organisations on boards",
    MembershipWriteSerializer,
    MembershipSerializer,
)
class MembershipViewSet(IdLookupMixin, DestroyRecordMixin, RegisterViewSet):
    queryset = Membership.objects.select_related("post", "board").order_by("board__name", "capacity", "id")
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter
    write_serializer = MembershipWriteSerializer
    record_keyword = "membership"
    create_service = staticmethod(services.membership_create)
    update_service = staticmethod(services.membership_update)
    delete_service = staticmethod(services.membership_delete)
    http_method_names = [*RegisterViewSet.http_method_names, "delete"]

    def may_write(self, user):
        return rules.can_edit_register(user)

    def may_change(self, user, membership):
        return rules.can_edit_membership(user, membership)

    def check_placement(self, user, data, obj=None):
        if "board" in data and not rules.can_edit_board(user, data["board"]):
            refuse()


@extend_schema_view(
    destroy=extend_schema(summary="Delete a post holding", tags=["register"]),
)
@_register_schema(
    "post holding",
    "post holdings (who held which post, and when)",
    HoldingWriteSerializer,
    HoldingSerializer,
)
class HoldingViewSet(IdLookupMixin, DestroyRecordMixin, RegisterViewSet):
    queryset = PostHolding.objects.select_related("post").order_by("post__title", "post_id", "-start_date", "id")
    serializer_class = HoldingSerializer
    filterset_class = HoldingFilter
    write_serializer = HoldingWriteSerializer
    record_keyword = "holding"
    create_service = staticmethod(services.holding_create)
    update_service = staticmethod(services.holding_update)
    delete_service = staticmethod(services.holding_delete)
    http_method_names = [*RegisterViewSet.http_method_names, "delete"]

    def may_write(self, user):
        return rules.can_edit_register(user)

    def may_change(self, user, holding):
        return rules.can_edit_post(user, holding.post)

    def check_placement(self, user, data, obj=None):
        # Who holds a post is kept by whoever keeps the post, so moving a holding needs both posts.
        if "post" in data and not rules.can_edit_post(user, data["post"]):
            refuse()
