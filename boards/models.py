"""Who exists: areas, boards, posts, the people who hold them, and memberships."""

import calendar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.text import slugify

from core.text import NOT_STATED

# Who holds a post, where the source says it is held but names no one.
NOT_STATED_PERSON = f"Name {NOT_STATED.lower()}"


class DatePrecision(models.TextChoices):
    """How much of a date the source actually states. We never invent a day."""

    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


def format_partial_date(value, precision):
    """Render a date only as precisely as it is known: '11 August 2015', 'June 2015', '2012'."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return f"{calendar.month_name[value.month]} {value.year}"
    return f"{value.day} {calendar.month_name[value.month]} {value.year}"


def partial_date_phrase(value, precision):
    """The date with the preposition it takes in a sentence: 'on 11 August 2015', 'in June 2015', 'in 2012'."""
    if value is None:
        return ""
    preposition = "on" if precision == DatePrecision.DAY else "in"
    return f"{preposition} {format_partial_date(value, precision)}"


ENDED_DATE_NOT_STATED = "ended, date not stated"


def period_display(start, start_precision, end, end_precision, *, end_not_stated=False):
    """'from June 2015', 'until 2016', 'from 2012 to March 2014', 'from 2012, ended, date not stated', or ''
    when nothing is stated."""
    start_text, end_text = format_partial_date(start, start_precision), format_partial_date(end, end_precision)
    if end_not_stated:
        return f"from {start_text}, {ENDED_DATE_NOT_STATED}" if start_text else ENDED_DATE_NOT_STATED
    if start_text and end_text:
        return f"from {start_text} to {end_text}"
    if start_text:
        return f"from {start_text}"
    return f"until {end_text}" if end_text else ""


def partial_date_constraint(date_field, precision_field, name):
    """A month-precision date is stored as the 1st of its month, a year-precision one as 1 January."""
    return models.CheckConstraint(
        condition=Q(**{precision_field: DatePrecision.DAY})
        | Q(**{f"{date_field}__isnull": True})
        | Q(**{precision_field: DatePrecision.MONTH, f"{date_field}__day": 1})
        | Q(**{precision_field: DatePrecision.YEAR, f"{date_field}__day": 1, f"{date_field}__month": 1}),
        name=name,
    )


class PeriodQuerySet(models.QuerySet):
    def not_ended_by(self, day):
        """Those still running on `day`: no end stated, or an end date not yet past (an end without a date has passed)."""
        return self.filter(Q(end_date__isnull=True, end_not_stated=False) | Q(end_date__gte=day))


class Period(models.Model):
    """When a post was held or a seat on a board was filled, as precisely as the source says.

    Neither end is ever guessed: an empty start is not stated, an empty end means it continues, and
    `end_not_stated` records that it has ended although the source does not say when.
    """

    start_date = models.DateField(null=True, blank=True)
    start_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    end_date = models.DateField(null=True, blank=True)
    end_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    end_not_stated = models.BooleanField(
        default=False, help_text="It has ended, but the source does not say when (the end date is then empty)."
    )

    objects = PeriodQuerySet.as_manager()

    class Meta:
        abstract = True

    @staticmethod
    def constraints_named(prefix):
        return [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name=f"{prefix}_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(end_not_stated=False) | Q(end_date__isnull=True), name=f"{prefix}_end_dated_or_not_stated"
            ),
            partial_date_constraint("start_date", "start_precision", f"{prefix}_start_precision"),
            partial_date_constraint("end_date", "end_precision", f"{prefix}_end_precision"),
        ]

    @property
    def period_display(self):
        """'from June 2015', 'from 2012 to March 2014', 'ended, date not stated', or '' when nothing is stated."""
        return period_display(
            self.start_date, self.start_precision, self.end_date, self.end_precision, end_not_stated=self.end_not_stated
        )

    @property
    def has_ended_or_end_date(self):
        """True when an end is recorded (a date, or that it ended on a date not stated): nothing left to end."""
        return self.end_date is not None or self.end_not_stated

    def covers(self, day):
        """True when it ran on `day`; one that ended on a date not stated is never said to cover a day."""
        if self.end_not_stated:
            return False
        return (self.start_date is None or self.start_date <= day) and (self.end_date is None or day <= self.end_date)

    def ended_by(self, day):
        """True once it has ended: its end date is past, or it ended on a date not stated. Never by omission."""
        return self.end_not_stated or (self.end_date is not None and self.end_date < day)


class Revisioned(models.Model):
    """A counter bumped on every save, used for optimistic concurrency (ETag / If-Match, edit forms)."""

    revision = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Area(models.Model):
    class Kind(models.TextChoices):
        UNITARY = "unitary", "Unitary authority"
        METROPOLITAN = "metropolitan", "Metropolitan borough"
        LONDON_BOROUGH = "london_borough", "London borough"
        COUNTY = "county", "County council"
        DISTRICT = "district", "District council"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.UNITARY)
    council_name = models.CharField(max_length=200, blank=True)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)

    # get_absolute_url comes from settings.ABSOLUTE_URL_OVERRIDES: the app that shows the area's page.

    def audit_scope(self):
        """The areas whose register history shows a change to this record (so each register model)."""
        return {"area_ids": {self.pk}}


class BoardQuerySet(models.QuerySet):
    def in_area(self, area):
        return self.filter(areas=area)

    def top_level(self):
        return self.filter(parent__isnull=True)


class Board(Revisioned):
    class Kind(models.TextChoices):
        LSCB = "lscb", "Local Safeguarding Children Board"
        HWB = "hwb", "Health and Wellbeing Board"
        CHILDRENS_TRUST = "childrens_trust", "Children's Trust"
        CHILDRENS_PARTNERSHIP = "childrens_partnership", "Children's Partnership Board"
        CSP = "csp", "Community Safety Partnership"
        SAB = "sab", "Safeguarding Adults Board"
        STRATEGIC = "strategic", "Strategic partnership board"
        IMPROVEMENT = "improvement", "Improvement or implementation board"
        SUBGROUP = "subgroup", "Subgroup"
        PARTNERSHIP_GROUP = "partnership_group", "Local partnership group"
        PANEL = "panel", "Panel"
        OTHER = "other", "Other body"

    name = models.CharField(max_length=250)
    short_name = models.CharField(max_length=60, blank=True, help_text="As the protocols write it: LSCB, H&WB, KSCB.")
    slug = models.SlugField(max_length=250, unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    areas = models.ManyToManyField(Area, related_name="boards", help_text="A board may cover several areas.")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subgroups",
        help_text="For subgroups and local partnership groups: the board they belong to.",
    )
    purpose = models.TextField(blank=True)
    statutory_basis = models.TextField(blank=True, help_text="In words; cited legislation is recorded as legal bases.")
    is_statutory = models.BooleanField(default=False)
    is_independent = models.BooleanField(
        default=False, help_text="Independent of other local structures (as an LSCB must be)."
    )
    established_on = models.DateField(null=True, blank=True)
    established_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    dissolved_on = models.DateField(null=True, blank=True, help_text="Empty while it exists, or when not stated.")
    dissolved_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    website = models.URLField(blank=True)

    objects = BoardQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="board_not_own_parent"),
            partial_date_constraint("established_on", "established_precision", "board_established_precision"),
            partial_date_constraint("dissolved_on", "dissolved_precision", "board_dissolved_precision"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:250]
        super().save(*args, **kwargs)

    # get_absolute_url comes from settings.ABSOLUTE_URL_OVERRIDES: the app that shows the board's page.

    @property
    def dates_display(self):
        """'Established in April 2012; dissolved in 2019', each date at its precision; '' when neither is stated."""
        parts = []
        if self.established_on:
            parts.append(f"established {partial_date_phrase(self.established_on, self.established_precision)}")
        if self.dissolved_on:
            parts.append(f"dissolved {partial_date_phrase(self.dissolved_on, self.dissolved_precision)}")
        text = "; ".join(parts)
        return text[:1].upper() + text[1:]

    @property
    def label(self):
        return self.short_name or self.name

    def audit_scope(self):
        return {"area_ids": set(self.areas.values_list("pk", flat=True)) if self.pk else set()}


class Post(models.Model):
    """An office that exists whoever holds it: 'Director of Children's Services, Knowsley'."""

    class Kind(models.TextChoices):
        DCS = "dcs", "Director of Children's Services"
        DPH = "dph", "Director of Public Health"
        CHIEF_EXECUTIVE = "chief_executive", "Chief Executive"
        LEADER = "leader", "Leader of the Council"
        LEAD_MEMBER = "lead_member", "Lead Member or Portfolio Holder"
        INDEPENDENT_CHAIR = "independent_chair", "Independent Chair"
        BOARD_CHAIR = "board_chair", "Chair of a board"
        PCC = "pcc", "Police and Crime Commissioner"
        BUSINESS_MANAGER = "business_manager", "Business Manager"
        DIRECTOR = "director", "Director or senior officer"
        COORDINATOR = "coordinator", "Partnership Coordinator"
        OTHER = "other", "Other post"

    title = models.CharField(max_length=250)
    short_title = models.CharField(max_length=60, blank=True, help_text="As the protocols write it: DCS, DPH.")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT, related_name="posts")
    board = models.ForeignKey(
        Board,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="posts",
        help_text="For posts that belong to one board, such as its chair.",
    )
    organisation = models.CharField(max_length=250, blank=True, help_text="Employer, e.g. 'Knowsley Council'.")

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    @property
    def label(self):
        return self.short_title or self.title

    def clean(self):
        # Areas are kept apart: a post of one area never belongs to a board that does not cover it.
        super().clean()
        outside = self.area_id is not None and self.board_id is not None
        if outside and not Area.objects.filter(boards=self.board_id, pk=self.area_id).exists():
            raise ValidationError(
                {"board": "This board does not cover the post's area: a post belongs to a board of its own area."}
            )

    def audit_scope(self):
        area_ids = self.area_ids()
        return {"area_ids": area_ids} if area_ids else {}

    def area_ids(self):
        """The areas the post belongs to: its own, else its board's; empty for a post placed in none."""
        if self.area_id is not None:
            return {self.area_id}
        if self.board_id is not None:
            return set(Area.objects.filter(boards=self.board_id).values_list("pk", flat=True))
        return set()

    def holding_on(self, day):
        """The holding that covers a given day (its person may be unnamed), or None while the post is vacant."""
        for holding in self.holdings.all():
            if holding.covers(day):
                return holding
        return None

    def holder_on(self, day):
        """The person holding this post on a given day, or None (vacant, or held by someone not named)."""
        holding = self.holding_on(day)
        return holding.person if holding is not None else None


class Person(models.Model):
    name = models.CharField(max_length=200)
    honorific = models.CharField(max_length=50, blank=True, help_text="e.g. Councillor")
    notes = models.TextField(blank=True)
    added_in = models.ForeignKey(
        "Area",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people_added",
        help_text="The area whose register added them: until they hold a post, only its keepers see them. "
        "Empty for people added before this was recorded, or by an administrator for no area.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return f"{self.honorific} {self.name}".strip()

    def audit_scope(self):
        # The areas of every post they hold or held, as can_edit_post places a post.
        held = Q(posts__holdings__person=self) | Q(
            boards__posts__area__isnull=True, boards__posts__holdings__person=self
        )
        area_ids = set(Area.objects.filter(held).values_list("pk", flat=True))
        return {"area_ids": area_ids | ({self.added_in_id} if self.added_in_id else set())}


class PostHolding(Period):
    """A person holding a post for a time; continuing while no end is stated."""

    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="holdings",
        help_text="Empty when the source says the post is held but does not name who holds it.",
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="holdings")
    note = models.CharField(max_length=250, blank=True)

    class Meta:
        verbose_name = "post holding"
        ordering = ["post", "-start_date"]
        constraints = Period.constraints_named("holding")

    def __str__(self):
        return f"{self.person_label} as {self.post}"

    @property
    def person_label(self):
        return str(self.person) if self.person_id else NOT_STATED_PERSON

    def audit_scope(self):
        return Post.objects.get(pk=self.post_id).audit_scope()


class Membership(Period):
    """A post (or, where no post is named, an organisation) sitting on a board in a capacity."""

    class Capacity(models.TextChoices):
        CHAIR = "chair", "Chair"
        CO_CHAIR = "co_chair", "Co-chair"
        VICE_CHAIR = "vice_chair", "Vice-chair"
        MEMBER = "member", "Member"
        PARTICIPANT_OBSERVER = "participant_observer", "Participant observer"
        SUPPORTING_OFFICER = "supporting_officer", "Supporting officer"
        ATTENDEE = "attendee", "Attends when appropriate"

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="memberships")
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.CharField(
        max_length=250, blank=True, help_text="When an organisation, not a post, is represented."
    )
    capacity = models.CharField(max_length=30, choices=Capacity.choices, default=Capacity.MEMBER)
    note = models.CharField(max_length=250, blank=True)

    class Meta:
        ordering = ["board", "capacity", "post__title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(post__isnull=False) | ~Q(organisation=""), name="membership_has_post_or_organisation"
            ),
            *Period.constraints_named("membership"),
        ]

    def __str__(self):
        who = self.post or self.organisation
        return f"{who} on {self.board} ({self.get_capacity_display()})"

    def clean(self):
        # A board seats the posts of the areas it covers (a post placed in no area may sit anywhere).
        super().clean()
        if self.post_id is not None and self.board_id is not None:
            post_areas = self.post.area_ids()
            if post_areas and not Area.objects.filter(boards=self.board_id, pk__in=post_areas).exists():
                raise ValidationError({"post": "This post belongs to an area the board does not cover."})

    def audit_scope(self):
        return {"area_ids": set(Area.objects.filter(boards=self.board_id).values_list("pk", flat=True))}

    @property
    def member_label(self):
        return self.post.title if self.post_id else self.organisation


class RoleAssignment(models.Model):
    """What a user may do, and where. Permissions are decided in protocols.permissions from these."""

    class Role(models.TextChoices):
        ADMINISTRATOR = "administrator", "Registry administrator"
        BUSINESS_MANAGER = "business_manager", "Business manager"
        BOARD_MEMBER = "board_member", "Board member"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=30, choices=Role.choices)
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.CASCADE, related_name="role_assignments")
    board = models.ForeignKey(Board, null=True, blank=True, on_delete=models.CASCADE, related_name="role_assignments")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(role="administrator") | Q(area__isnull=False) | Q(board__isnull=False),
                name="role_scoped_to_area_or_board",
            ),
            models.UniqueConstraint(fields=["user", "role", "area", "board"], name="unique_role_assignment"),
        ]

    def __str__(self):
        scope = self.board or self.area or "everywhere"
        return f"{self.user} – {self.get_role_display()} – {scope}"

    def audit_scope(self):
        """A role in an area is shown in that area's register history (a board's role in its areas')."""
        if self.area_id is not None:
            return {"area_ids": {self.area_id}}
        if self.board_id is not None:
            return {"area_ids": set(Area.objects.filter(boards=self.board_id).values_list("pk", flat=True))}
        return {}
