"""Forms for the records a clause states: reporting obligations, duties, relations and meetings.

Who reports, holds or relates can be a board or a post; one grouped select offers both.
"""

from django import forms

from boards.models import Board, Post
from core.text import MAX_TEXT_LENGTH

from .models import Duty, Frequency, Meeting, Relation, ReportingObligation
from .selectors import version_boards_and_posts


class BoardOrPostField(forms.ChoiceField):
    """A choice of 'board:<id>' or 'post:<id>', cleaned to the Board or Post."""

    def __init__(self, *, boards=(), posts=(), **kwargs):
        super().__init__(**kwargs)
        self.set_options(boards, posts)

    def set_options(self, boards, posts):
        self._objects = {f"board:{b.pk}": b for b in boards} | {f"post:{p.pk}": p for p in posts}
        blank = [("", "Choose one")] if not isinstance(self.widget, forms.SelectMultiple) else []
        self.choices = [
            *blank,
            ("Boards", [(f"board:{b.pk}", b.name) for b in boards]),
            ("Posts", [(f"post:{p.pk}", p.title) for p in posts]),
        ]

    def to_python(self, value):
        return "" if value in self.empty_values else str(value)

    def clean(self, value):
        value = super().clean(value)
        return self._objects.get(value) if value else None


class MultipleBoardOrPostField(BoardOrPostField, forms.MultipleChoiceField):
    widget = forms.SelectMultiple

    def to_python(self, value):
        return [str(v) for v in value or []]

    def clean(self, value):
        value = forms.MultipleChoiceField.clean(self, value)
        return [self._objects[v] for v in value]


def split(who, prefix):
    """{'<prefix>_board': board, '<prefix>_post': None} for the chosen board or post."""
    return {
        f"{prefix}_board": who if isinstance(who, Board) else None,
        f"{prefix}_post": who if isinstance(who, Post) else None,
    }


class VersionRecordForm(forms.Form):
    revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.boards, self.posts = version_boards_and_posts(version)
        for field in self.fields.values():
            if isinstance(field, BoardOrPostField):
                field.set_options(self.boards, self.posts)


class ObligationForm(VersionRecordForm):
    senders = MultipleBoardOrPostField(
        label="Who reports",
        required=False,
        help_text="Choose several when they report jointly. Leave empty when the protocol does not say who reports.",
    )
    title = forms.CharField(max_length=250, required=False, label="What is sent", help_text="In the protocol's words.")
    subject = forms.ChoiceField(choices=ReportingObligation.Subject.choices, label="Kind of report")
    recipients = MultipleBoardOrPostField(label="To whom", required=False, help_text="Choose one or more.")
    frequency = forms.ChoiceField(
        choices=[("", "Not stated in the protocol"), *Frequency.choices], required=False, label="How often"
    )
    frequency_at_least = forms.BooleanField(
        required=False,
        label="At least this often",
        help_text="When the protocol says, for example, “at least annually”.",
    )
    window_start_month = forms.IntegerField(
        required=False, label="From month", help_text="A month number, 1 for January to 12 for December."
    )
    window_end_month = forms.IntegerField(required=False, label="To month", help_text="For example 11 for November.")
    presenter = forms.ChoiceField(required=False, label="Presented by")
    description = forms.CharField(
        max_length=MAX_TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Notes"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].choices = [("", "Not stated in the protocol")] + [
            (str(p.pk), p.title) for p in self.posts
        ]

    def service_fields(self):
        data = self.cleaned_data
        presenter = next((p for p in self.posts if str(p.pk) == data.get("presenter")), None)
        return {
            "senders": data["senders"],
            "title": data["title"],
            "subject": data["subject"],
            "recipients": data["recipients"],
            "frequency": data["frequency"],
            "frequency_at_least": data["frequency_at_least"],
            "window_start_month": data["window_start_month"],
            "window_end_month": data["window_end_month"],
            "presenter": presenter,
            "description": data["description"],
        }

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError("Enter what is sent, e.g. 'the LSCB Annual Report'")
        return title


class DutyForm(VersionRecordForm):
    holder = BoardOrPostField(label="Who holds the duty", required=False)
    kind = forms.ChoiceField(choices=Duty.Kind.choices, initial=Duty.Kind.FUNCTION, label="Kind")
    description = forms.CharField(
        max_length=MAX_TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 3}), required=False, label="The duty"
    )

    def service_fields(self):
        data = self.cleaned_data
        return {**split(data["holder"], "holder"), "kind": data["kind"], "description": data["description"]}


class RelationForm(VersionRecordForm):
    subject = BoardOrPostField(label="Who", required=False)
    kind = forms.ChoiceField(choices=Relation.Kind.choices, label="Relation")
    object = BoardOrPostField(label="To or with whom", required=False)
    negated = forms.BooleanField(
        required=False,
        label="The protocol denies this",
        help_text="For example “the LSCB is not subordinate to the HWB” or “has no executive responsibility for”.",
    )
    symmetric = forms.BooleanField(
        required=False,
        label="It holds both ways",
        help_text="For example “equal partners”: shown without a direction.",
    )
    frequency = forms.ChoiceField(choices=[("", "Not stated"), *Frequency.choices], required=False, label="How often")
    description = forms.CharField(
        max_length=MAX_TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Notes"
    )

    def service_fields(self):
        data = self.cleaned_data
        return {
            **split(data["subject"], "subject"),
            **split(data["object"], "object"),
            "kind": data["kind"],
            "negated": data["negated"],
            "symmetric": data["symmetric"],
            "frequency": data["frequency"],
            "description": data["description"],
        }


class MeetingForm(VersionRecordForm):
    title = forms.CharField(
        max_length=250,
        label="Meeting",
        help_text="As the protocol names it, e.g. “Chairs' meeting”.",
        error_messages={"required": "Enter what the meeting is called, or what it is for"},
    )
    participants = MultipleBoardOrPostField(
        label="Who meets", help_text="The boards and posts that meet (at least two).", required=False
    )
    frequency = forms.ChoiceField(choices=[("", "Not stated"), *Frequency.choices], required=False, label="How often")
    purpose = forms.CharField(
        max_length=MAX_TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 2}), required=False, label="What for"
    )
    agenda = forms.CharField(
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Standing agenda (optional)",
        help_text="One item a line, as the protocol lists them.",
    )

    def service_fields(self):
        data = self.cleaned_data
        return {
            "title": data["title"],
            "participants": data["participants"],
            "frequency": data["frequency"],
            "purpose": data["purpose"],
            "agenda": data["agenda"].splitlines(),
        }


def _choice(party):
    if party is None:
        return ""
    return f"{'board' if isinstance(party, Board) else 'post'}:{party.pk}"


def initial_for(record):
    """A form's initial data from a stored obligation, duty or relation, with the revision it was read at."""
    initial = {"revision": record.revision}
    if isinstance(record, ReportingObligation):
        initial |= {
            "senders": [_choice(s.party) for s in record.senders.all()],
            "recipients": [_choice(r.party) for r in record.recipients.all()],
            "presenter": str(record.presenter_id or ""),
        }
        names = ("title", "subject", "frequency", "frequency_at_least", "window_start_month", "window_end_month")
    elif isinstance(record, Duty):
        initial["holder"] = _choice(record.holder)
        names = ("kind", "description")
    elif isinstance(record, Meeting):
        participants = [*record.participant_boards.all(), *record.participant_posts.all()]
        return initial | {
            "title": record.title,
            "frequency": record.frequency,
            "purpose": record.purpose,
            "participants": [_choice(p) for p in participants],
            "agenda": "\n".join(item.text for item in record.agenda_items.all()),
        }
    else:
        initial |= {"subject": _choice(record.subject), "object": _choice(record.object)}
        names = ("kind", "negated", "symmetric", "frequency")
    return initial | {name: getattr(record, name) for name in (*names, "description")}


# Service errors name model fields; these show them next to the form field that set them.
OBLIGATION_ALIASES = {}
DUTY_ALIASES = {"holder_board": "holder", "holder_post": "holder"}
MEETING_ALIASES = {}
RELATION_ALIASES = {
    "subject_board": "subject",
    "subject_post": "subject",
    "object_board": "object",
    "object_post": "object",
}


class LegislationReviewForm(forms.Form):
    instrument = forms.ModelChoiceField(queryset=None, label="Legislation or guidance that changed")
    reason = forms.CharField(
        max_length=250,
        required=False,
        label="What changed",
        help_text="For example 'Children and Social Work Act 2017 replaces LSCBs'.",
    )

    def __init__(self, *args, instruments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = instruments


class AreaComparisonForm(forms.Form):
    """Two to six areas, chosen by slug in the address so a comparison can be shared as a link."""

    area = forms.MultipleChoiceField(label="Areas to compare", widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, areas, max_areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = {area.slug: area for area in areas}
        self.max_areas = max_areas
        self.fields["area"].choices = [(area.slug, area.name) for area in areas]
        self.fields["area"].help_text = f"Choose between 2 and {max_areas}."

    def clean_area(self):
        slugs = self.cleaned_data["area"]
        if len(slugs) < 2:
            raise forms.ValidationError("Choose at least two areas to compare")
        if len(slugs) > self.max_areas:
            raise forms.ValidationError(f"Choose no more than {self.max_areas} areas")
        return [self.areas[slug] for slug in slugs]
