"""How areas, boards, posts, people and memberships look in the API, and what a write to them may send."""

from rest_framework import serializers

from core.api import RejectUnknownFieldsMixin, absolute_url, optional_url

from .models import Area, Board, Membership, Person, Post, PostHolding


class AreaSerializer(serializers.ModelSerializer):
    links = serializers.SerializerMethodField()

    class Meta:
        model = Area
        fields = ["id", "name", "slug", "kind", "council_name", "website", "links"]

    def get_links(self, area) -> dict[str, str | None]:
        request = self.context.get("request")
        return {
            "web": absolute_url(request, area.get_absolute_url()),
            "graph": optional_url(request, ["api:graph-detail"], slug=area.slug),
        }


class BoardSerializer(serializers.ModelSerializer):
    areas = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    links = serializers.SerializerMethodField()

    # Pages that apps built on boards serve about a board: link name -> URL name taking its slug. Each
    # app adds its own in AppConfig.ready() (accountability: the calendar feed), so boards names none.
    page_links: dict[str, str] = {}

    class Meta:
        model = Board
        fields = [
            "id",
            "name",
            "short_name",
            "slug",
            "kind",
            "areas",
            "parent",
            "purpose",
            "statutory_basis",
            "is_statutory",
            "is_independent",
            "established_on",
            "established_precision",
            "dissolved_on",
            "dissolved_precision",
            "website",
            "revision",
            "links",
        ]

    def get_links(self, board) -> dict[str, str | None]:
        request = self.context.get("request")
        links = {"web": absolute_url(request, board.get_absolute_url())}
        for name, url_name in self.page_links.items():
            links[name] = optional_url(request, [url_name], slug=board.slug)
        return links


class PostSerializer(serializers.ModelSerializer):
    class Meta:
        model = Post
        fields = ["id", "title", "short_title", "kind", "area", "board", "organisation"]


class PersonSerializer(serializers.ModelSerializer):
    added_in = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Person
        fields = ["id", "name", "honorific", "notes", "added_in"]


class MembershipSerializer(serializers.ModelSerializer):
    member_label = serializers.CharField(read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "board",
            "post",
            "organisation",
            "member_label",
            "capacity",
            "start_date",
            "start_precision",
            "end_date",
            "end_precision",
            "end_not_stated",
            "note",
        ]


class HoldingSerializer(serializers.ModelSerializer):
    class Meta:
        model = PostHolding
        fields = [
            "id",
            "person",
            "post",
            "start_date",
            "start_precision",
            "end_date",
            "end_precision",
            "end_not_stated",
            "note",
        ]


# What a client sends. Uniqueness and the register's rules are checked by boards.services, which knows
# which record is being changed; the serializers only check types and that named records exist.


class AreaWriteSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    representation = AreaSerializer

    class Meta:
        model = Area
        fields = ["name", "slug", "kind", "council_name", "website"]
        extra_kwargs = {"name": {"validators": []}, "slug": {"validators": [], "required": False}}


class BoardWriteSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    representation = BoardSerializer

    areas = serializers.SlugRelatedField(
        many=True, queryset=Area.objects.all(), slug_field="slug", help_text="The areas the board covers, by slug."
    )

    class Meta:
        model = Board
        fields = [
            "name",
            "short_name",
            "slug",
            "kind",
            "areas",
            "parent",
            "purpose",
            "statutory_basis",
            "is_statutory",
            "is_independent",
            "established_on",
            "established_precision",
            "dissolved_on",
            "dissolved_precision",
            "website",
        ]
        extra_kwargs = {"slug": {"validators": [], "required": False}}


class PostWriteSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    representation = PostSerializer

    class Meta:
        model = Post
        fields = ["title", "short_title", "kind", "area", "board", "organisation"]


class PersonWriteSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    representation = PersonSerializer
    added_in = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Area.objects.all(),
        required=False,
        allow_null=True,
        help_text="The area whose register adds them (by default the one area a business manager keeps).",
    )

    class Meta:
        model = Person
        fields = ["name", "honorific", "notes", "added_in"]


class MembershipWriteSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    representation = MembershipSerializer

    class Meta:
        model = Membership
        fields = [
            "board",
            "post",
            "organisation",
            "capacity",
            "start_date",
            "start_precision",
            "end_date",
            "end_precision",
            "end_not_stated",
            "note",
        ]
        validators = []  # the post-or-organisation and date rules answer from the service, by field


class HoldingWriteSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    representation = HoldingSerializer

    class Meta:
        model = PostHolding
        fields = [
            "person",
            "post",
            "start_date",
            "start_precision",
            "end_date",
            "end_precision",
            "end_not_stated",
            "note",
        ]
        validators = []  # the date rules answer from the service, by field
