"""Forms for the register pages: boards, posts, people, who holds which post, memberships and legal bases.

They read and check the shape of input, and offer only the area's own records (and those of the boards
it shares with other areas); boards.services and accountability.services apply the rules.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from boards.models import Area, Board, DatePrecision, Membership, Person, Post
from core.text import MAX_TEXT_LENGTH
from protocols.forms import RevisionField, day_field, month_field, year_field

from .models import LegalInstrument

NOT_STATED_CHOICE = "not-stated"


# What an area's register offers ------------------------------------------------------------------------


def area_boards(area):
    """The boards covering the area, its shared boards included."""
    return Board.objects.filter(areas=area).order_by("name")


def area_posts(area):
    """The area's posts and those of the boards covering it."""
    return Post.objects.filter(Q(area=area) | Q(area__isnull=True, board__areas=area)).distinct().order_by("title")


def seat_posts(board):
    """The posts that may sit on `board`: those of the areas it covers (their boards' too), and posts
    placed in no area."""
    areas = Area.objects.filter(boards=board)
    return (
        Post.objects.filter(
            Q(area__in=areas) | Q(area__isnull=True, board__areas__in=areas) | Q(area__isnull=True, board__isnull=True)
        )
        .distinct()
        .order_by("title")
    )


def area_people(area):
    """People who hold or held a post of the area (a shared board's included), and people holding none yet
    whom this area's register added (or whom no area's did)."""
    return (
        Person.objects.filter(
            Q(holdings__post__area=area)
            | Q(holdings__post__area__isnull=True, holdings__post__board__areas=area)
            | Q(holdings__isnull=True, added_in=area)
            | Q(holdings__isnull=True, added_in__isnull=True)
        )
        .distinct()
        .order_by("name")
    )


class RegisterForm(forms.Form):
    """What the register's one form template reads: the fields shown one by one, then the date groups."""

    dates: dict = {}
    not_stated: dict = {}

    def plain_fields(self):
        parts = {f"{prefix}_{part}" for prefix in self.dates for part in ("day", "month", "year")}
        parts |= set(self.not_stated.values())
        return [field for field in self.visible_fields() if field.name not in parts]

    def date_groups(self):
        return []

    def service_fields(self):
        """The cleaned values a service takes: each date and its precision, without the parts or the revision."""
        parts = {f"{prefix}_{part}" for prefix in self.dates for part in ("day", "month", "year")}
        return {name: value for name, value in self.cleaned_data.items() if name not in parts and name != "revision"}


# Dates at the precision the source gives --------------------------------------------------------------


class PartialDates(RegisterForm):
    """Reads `<prefix>_day/_month/_year` for each prefix in `dates` ({prefix: (date field, precision field)})
    into cleaned_data[date field] and [precision field]; all three empty means not stated.

    A prefix in `not_stated` ({prefix: boolean field}) also offers a box saying the event happened on a date
    the source does not give (an end that is known to have come, but not when); ticked, it excludes a date.
    """

    def clean(self):
        data = super().clean()
        for prefix, (date_name, precision_name) in self.dates.items():
            parts = [data.get(f"{prefix}_{part}") for part in ("day", "month", "year")]
            if any(f"{prefix}_{part}" in self.errors for part in ("day", "month", "year")):
                continue
            day, month, year = parts
            ticked = prefix in self.not_stated and data.get(self.not_stated[prefix])
            if ticked and (day is not None or month is not None or year is not None):
                self.add_error(f"{prefix}_year", "Enter the date, or say that it is not stated, not both")
                continue
            if day is None and month is None and year is None:
                data[date_name], data[precision_name] = None, DatePrecision.DAY
                continue
            if year is None:
                self.add_error(f"{prefix}_year", "Enter the year, or leave the whole date empty if it is not stated")
                continue
            if day is not None and month is None:
                self.add_error(f"{prefix}_month", "Enter the month as well as the day")
                continue
            try:
                data[date_name] = datetime.date(year, month or 1, day or 1)
            except ValueError:
                self.add_error(f"{prefix}_day", "Enter a real date")
                continue
            data[precision_name] = DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
        return data

    @classmethod
    def initial_dates(cls, record):
        """The day, month and year boxes for a record's dates, as much of each as its precision states."""
        initial = {}
        for prefix, (date_name, precision_name) in cls.dates.items():
            value, precision = getattr(record, date_name), getattr(record, precision_name)
            if prefix in cls.not_stated:
                initial[cls.not_stated[prefix]] = getattr(record, cls.not_stated[prefix])
            if value is None:
                continue
            initial[f"{prefix}_year"] = value.year
            if precision in (DatePrecision.MONTH, DatePrecision.DAY):
                initial[f"{prefix}_month"] = value.month
            if precision == DatePrecision.DAY:
                initial[f"{prefix}_day"] = value.day
        return initial

    def date_groups(self):
        """(legend, day, month, year, not-stated box or None) bound fields for the template's date include."""
        return [
            (
                self.date_legends[prefix],
                self[f"{prefix}_day"],
                self[f"{prefix}_month"],
                self[f"{prefix}_year"],
                self[self.not_stated[prefix]] if prefix in self.not_stated else None,
            )
            for prefix in self.dates
        ]


def date_parts(what):
    return day_field(), month_field(), year_field(what)


def ended_on_a_date_not_stated():
    return forms.BooleanField(required=False, label="It has ended, but the date is not stated")


# Boards ------------------------------------------------------------------------------------------------------


class BoardForm(PartialDates):
    dates = {
        "established": ("established_on", "established_precision"),
        "dissolved": ("dissolved_on", "dissolved_precision"),
    }
    date_legends = {"established": "Established", "dissolved": "Dissolved"}

    revision = RevisionField()
    name = forms.CharField(max_length=250, label="Name", error_messages={"required": "Enter the board's name"})
    short_name = forms.CharField(
        max_length=60, required=False, label="Short name", help_text="As the protocols write it: LSCB, H&WB, KSCB."
    )
    kind = forms.ChoiceField(
        choices=[("", "Choose a kind"), *Board.Kind.choices],
        label="Kind of board",
        error_messages={"required": "Choose the kind of board"},
    )
    areas = forms.ModelMultipleChoiceField(
        queryset=Area.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Areas it covers",
        error_messages={"required": "Choose at least one area the board covers"},
        help_text="Tick more than one for a board shared by several areas. You can add or remove only the areas "
        "you keep.",
    )
    parent = forms.ModelChoiceField(
        queryset=Board.objects.none(),
        required=False,
        label="Part of (optional)",
        empty_label="Not part of another board",
        help_text="For subgroups and local partnership groups: the board they belong to.",
    )
    purpose = forms.CharField(
        max_length=MAX_TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Purpose"
    )
    statutory_basis = forms.CharField(
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Statutory basis in words (optional)",
        help_text="The Acts and guidance it is established under are added from the board's page.",
    )
    is_statutory = forms.BooleanField(required=False, label="A statutory body")
    is_independent = forms.BooleanField(required=False, label="Independent of other local structures")
    established_day, established_month, established_year = date_parts("When it was established.")
    dissolved_day, dissolved_month, dissolved_year = date_parts("Leave empty while it exists.")
    website = forms.URLField(required=False, assume_scheme="https", label="Website (optional)")

    field_order = ["revision", "name", "short_name", "kind", "areas", "parent", "purpose", "statutory_basis"]

    def __init__(self, *args, areas, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = areas
        self.fields["parent"].queryset = parents

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError("Enter the board's name")
        return name


# Posts and people --------------------------------------------------------------------------------------------


class PostForm(RegisterForm):
    revision = RevisionField()
    title = forms.CharField(
        max_length=250,
        label="Title",
        help_text="For example 'Director of Children's Services'.",
        error_messages={"required": "Enter the post's title"},
    )
    short_title = forms.CharField(max_length=60, required=False, label="Short title", help_text="For example DCS.")
    kind = forms.ChoiceField(
        choices=[("", "Choose a kind"), *Post.Kind.choices],
        label="Kind of post",
        error_messages={"required": "Choose the kind of post"},
    )
    board = forms.ModelChoiceField(
        queryset=Board.objects.none(),
        required=False,
        label="Belongs to a board (optional)",
        empty_label="No board: a post of the area",
        help_text="For a post that exists only on one board, such as its independent chair.",
    )
    organisation = forms.CharField(
        max_length=250, required=False, label="Organisation (optional)", help_text="Employer, e.g. 'Knowsley Council'."
    )

    def __init__(self, *args, boards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = boards


class PersonForm(RegisterForm):
    revision = RevisionField()
    name = forms.CharField(max_length=200, label="Full name", error_messages={"required": "Enter the person's name"})
    honorific = forms.CharField(max_length=50, required=False, label="Title (optional)", help_text="e.g. Councillor")
    notes = forms.CharField(
        max_length=MAX_TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Notes (optional)"
    )


# Who holds a post, and who sits on a board ---------------------------------------------------------------------


class HoldingForm(PartialDates):
    dates = {"start": ("start_date", "start_precision"), "end": ("end_date", "end_precision")}
    date_legends = {"start": "From", "end": "Until"}
    not_stated = {"end": "end_not_stated"}

    revision = RevisionField()
    person = forms.ChoiceField(label="Who holds it")
    start_day, start_month, start_year = date_parts("When they took it up.")
    end_day, end_month, end_year = date_parts("Leave empty while they hold it.")
    end_not_stated = ended_on_a_date_not_stated()
    note = forms.CharField(max_length=250, required=False, label="Note (optional)", help_text="Where this is stated.")

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(person.pk): person for person in people}
        self.fields["person"].choices = [
            ("", "Choose a person"),
            (NOT_STATED_CHOICE, "Name not stated (the post is held by someone not named)"),
            *((pk, str(person)) for pk, person in self.people.items()),
        ]

    def clean_person(self):
        value = self.cleaned_data["person"]
        if not value:
            raise ValidationError("Choose who holds the post, or that their name is not stated")
        return None if value == NOT_STATED_CHOICE else self.people[value]


class MembershipForm(PartialDates):
    dates = {"start": ("start_date", "start_precision"), "end": ("end_date", "end_precision")}
    date_legends = {"start": "From", "end": "Until"}
    not_stated = {"end": "end_not_stated"}

    revision = RevisionField()
    post = forms.ModelChoiceField(
        queryset=Post.objects.none(), required=False, label="Post that sits on the board", empty_label="Choose a post"
    )
    organisation = forms.CharField(
        max_length=250,
        required=False,
        label="Or an organisation, where the source names no post",
        help_text="For example 'NHS England'.",
    )
    capacity = forms.ChoiceField(
        choices=Membership.Capacity.choices,
        initial=Membership.Capacity.MEMBER,
        widget=forms.RadioSelect,
        label="In what capacity",
        help_text="For a board with two co-chairs, add each co-chair's post as co-chair.",
    )
    start_day, start_month, start_year = date_parts("When the seat began.")
    end_day, end_month, end_year = date_parts("Leave empty while it continues.")
    end_not_stated = ended_on_a_date_not_stated()
    note = forms.CharField(max_length=250, required=False, label="Note (optional)", help_text="Where this is stated.")

    def __init__(self, *args, posts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = posts


class EndForm(PartialDates):
    """The date a holding or membership ended: it then stays listed, among the past ones."""

    dates = {"end": ("end_date", "end_precision")}
    date_legends = {"end": "When it ended"}
    not_stated = {"end": "end_not_stated"}

    revision = RevisionField()
    end_day, end_month = day_field(), month_field()
    end_year = year_field(
        "",
        hint="At least the year; leave the day (and month) empty if the source gives only the month (or year). "
        "If it gives no date, tick the box below instead.",
    )
    end_not_stated = ended_on_a_date_not_stated()

    def clean(self):
        data = super().clean()
        if not self.errors and data.get("end_date") is None and not data.get("end_not_stated"):
            self.add_error("end_year", "Enter when it ended, at least the year, or say that the date is not stated")
        return data


# Legal bases ------------------------------------------------------------------------------------------------


class LegalBasisForm(RegisterForm):
    instrument = forms.ModelChoiceField(
        queryset=LegalInstrument.objects.order_by("title"),
        label="Act, regulations or guidance",
        empty_label="Choose one",
        error_messages={"required": "Choose the Act, regulations or guidance"},
        help_text="Not listed? Add it with 'Add an Act or guidance'.",
    )
    provision = forms.CharField(
        max_length=100, required=False, label="Provision (optional)", help_text="For example 'section 13'."
    )
    note = forms.CharField(max_length=250, required=False, label="Note (optional)")


class InstrumentForm(RegisterForm):
    title = forms.CharField(
        max_length=250,
        label="Title",
        help_text="For example 'Children Act 2004'.",
        error_messages={"required": "Enter the title of the Act or guidance"},
    )
    short_title = forms.CharField(max_length=60, required=False, label="Short title (optional)")
    kind = forms.ChoiceField(
        choices=[("", "Choose a kind"), *LegalInstrument.Kind.choices],
        label="Kind",
        error_messages={"required": "Choose what kind of legislation or guidance it is"},
    )
    year = forms.IntegerField(min_value=1200, max_value=2999, required=False, label="Year (optional)")
    url = forms.URLField(
        required=False,
        assume_scheme="https",
        label="Web address (optional)",
        help_text="legislation.gov.uk or the publisher's page.",
    )
