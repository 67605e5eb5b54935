"""Forms for the editor. They only read and check the shape of input; the services apply the rules."""

import base64
import binascii
import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from boards.models import Board, DatePrecision
from core.text import MAX_TEXT_LENGTH

from .models import Approval, ProtocolVersion, Section


class RevisionField(forms.IntegerField):
    """The revision the editor loaded; the service refuses the save if it is stale."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


class ProtocolCreateForm(forms.Form):
    area = forms.ModelChoiceField(queryset=None, empty_label=None, label="Area that keeps it")
    title = forms.CharField(max_length=300, required=False, label="Title")
    short_title = forms.CharField(
        max_length=120, required=False, label="Short title", help_text="Optional. Used in the web address."
    )
    summary = forms.CharField(
        max_length=MAX_TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Summary"
    )
    review_cycle_months = forms.IntegerField(
        min_value=1, max_value=120, required=False, initial=12, label="Review every (months)"
    )
    party_boards = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple, label="Party boards"
    )

    def __init__(self, *args, areas, boards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["party_boards"].queryset = boards

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise ValidationError("Enter a title")
        return title


class ProtocolSettingsForm(forms.Form):
    revision = RevisionField()
    title = forms.CharField(max_length=300, required=False, label="Title")
    short_title = forms.CharField(max_length=120, required=False, label="Short title")
    summary = forms.CharField(
        max_length=MAX_TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Summary"
    )
    review_cycle_months = forms.IntegerField(
        min_value=1,
        max_value=120,
        required=False,
        label="Review every (months)",
        help_text="Leave empty if it is only reviewed when something changes.",
    )
    review_on_legislation_change = forms.BooleanField(required=False, label="Also review when legislation changes")
    review_on_guidance_change = forms.BooleanField(required=False, label="Also review when national guidance changes")
    review_note = forms.CharField(
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Other review triggers",
    )

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise ValidationError("Enter a title")
        return title


DATE_HINT = (
    "Leave the day (and month) empty if the document gives only the month (or year); leave all three empty if it "
    "gives no date."
)


def day_field():
    return forms.IntegerField(required=False, min_value=1, max_value=31, label="Day")


def month_field():
    return forms.IntegerField(required=False, min_value=1, max_value=12, label="Month")


def year_field(what, *, hint=None):
    """The year box; its help text says what the date is, then how to give part of one (`hint` replaces both)."""
    return forms.IntegerField(
        required=False, min_value=1900, max_value=2999, label="Year", help_text=hint or f"{what} {DATE_HINT}"
    )


class PartialDateMixin:
    """Reads `<prefix>_day/_month/_year` into cleaned_data[prefix] and [prefix + '_precision']."""

    date_prefix = "document_date"

    def clean_partial_date(self, data):
        p = self.date_prefix
        day, month, year = data.get(f"{p}_day"), data.get(f"{p}_month"), data.get(f"{p}_year")
        if any(f"{p}_{part}" in self.errors for part in ("day", "month", "year")):
            return data
        if day is None and month is None and year is None:
            data[p], data[f"{p}_precision"] = None, DatePrecision.DAY
            return data
        if year is None:
            self.add_error(f"{p}_year", "Enter the year, or leave the whole date empty if the document gives none")
            return data
        if day is not None and month is None:
            self.add_error(f"{p}_month", "Enter the month as well as the day")
            return data
        try:
            data[p] = datetime.date(year, month or 1, day or 1)
        except ValueError:
            self.add_error(f"{p}_day", "Enter a real date")
            return data
        data[f"{p}_precision"] = DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
        return data


class VersionSettingsForm(PartialDateMixin, forms.Form):
    revision = RevisionField()
    title = forms.CharField(max_length=300, required=False, label="Title of this version")
    label = forms.CharField(max_length=100, required=False, label="Version label", help_text="For example 'Version 3'.")
    auto_numbering = forms.TypedChoiceField(
        choices=[("0", "Keep numbers as written"), ("1", "Number sections and clauses automatically")],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        label="Numbering",
    )
    document_date_day = day_field()
    document_date_month = month_field()
    document_date_year = year_field("The date printed on this version of the document.")

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise ValidationError("Enter a title")
        return title

    def clean(self):
        return self.clean_partial_date(super().clean())


class PastVersionForm(PartialDateMixin, forms.Form):
    """A version from the document's own history, recorded as written."""

    label = forms.CharField(
        max_length=100, required=False, label="Version as the document names it", help_text="For example 'V3'."
    )
    title = forms.CharField(
        max_length=300, required=False, label="Title", help_text="Leave empty to use the protocol's title."
    )
    status = forms.ChoiceField(
        choices=[
            (ProtocolVersion.Status.CIRCULATED_DRAFT, "Circulated draft: sent round, never agreed"),
            (ProtocolVersion.Status.WITHDRAWN, "Withdrawn: never agreed"),
            (ProtocolVersion.Status.SUPERSEDED, "Agreed, and since replaced by a later version"),
            (ProtocolVersion.Status.AGREED, "Agreed and still in force"),
        ],
        widget=forms.RadioSelect,
        label="What the document says of it",
    )
    document_date_day = day_field()
    document_date_month = month_field()
    document_date_year = year_field("The date the document gives this version.")
    change_summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="What the document says changed (optional)",
    )
    number = forms.IntegerField(
        min_value=1,
        required=False,
        label="Place in the history (optional)",
        help_text="The registry's version number. Leave empty to place it just before the open draft, or last.",
    )

    def clean(self):
        return self.clean_partial_date(super().clean())


class PartyForm(forms.Form):
    board = forms.ModelChoiceField(queryset=Board.objects.none(), label="Board", empty_label="Choose a board")

    def __init__(self, *args, boards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = boards


class GlossaryEntryForm(forms.Form):
    revision = RevisionField()
    term = forms.CharField(
        max_length=60,
        label="Term or abbreviation",
        help_text="As the protocol writes it, e.g. LSCB.",
        error_messages={"required": "Enter the term or abbreviation"},
    )
    meaning = forms.CharField(
        max_length=300,
        label="What it means",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="In the protocol's words.",
        error_messages={"required": "Enter what the term means, as the protocol explains it"},
    )


class SectionForm(forms.Form):
    revision = RevisionField()
    number = forms.CharField(max_length=20, required=False, label="Number", help_text="Optional, e.g. 3.")
    heading = forms.CharField(
        max_length=300,
        required=False,
        label="Heading",
        help_text="Leave empty if the document gives this section no heading; it then reads 'not stated'.",
    )
    kind = forms.ChoiceField(choices=Section.Kind.choices, initial=Section.Kind.BODY, label="Kind of section")


class ClauseForm(forms.Form):
    revision = RevisionField()
    number = forms.CharField(
        max_length=20, required=False, label="Number", help_text="As written, e.g. 3.6 or (a). Leave empty for none."
    )
    text = forms.CharField(
        max_length=MAX_TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 6}), required=False, label="Clause text"
    )


class ChangeSummaryForm(forms.Form):
    change_summary = forms.CharField(
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        label="What changed in this version",
        help_text="The parties read this before approving. For example: 'Updated for Working Together 2015'.",
    )


class ClauseMoveForm(forms.Form):
    """Where a clause goes when it moves to another section of the same version."""

    section = forms.ModelChoiceField(queryset=None, label="Move it to section", empty_label=None)
    place = forms.ChoiceField(
        choices=[("end", "After its last clause"), ("start", "Before its first clause")],
        initial="end",
        widget=forms.RadioSelect,
        label="Where in that section",
    )

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = sections
        self.fields["section"].label_from_instance = lambda s: f"{s.number} {s.heading}".strip()


class ApprovalForm(forms.Form):
    """The meeting date may be known only to the month or year (leave the day, and month, empty), or not
    at all: then the business manager says so, so that a forgotten date is not taken for a silent one."""

    # What the approver read: protocols.changes.content_mark when the page was drawn. A later edit to the
    # draft makes the approval a conflict, so nobody signs words they were not shown.
    seen = forms.IntegerField(required=False, widget=forms.HiddenInput)
    day = forms.IntegerField(required=False, min_value=1, max_value=31, label="Day")
    month = forms.IntegerField(required=False, min_value=1, max_value=12, label="Month")
    year = forms.IntegerField(required=False, min_value=1900, max_value=2999, label="Year")
    date_not_stated = forms.BooleanField(required=False, label="The protocol does not state the date")
    signatory_name = forms.CharField(
        max_length=200,
        required=False,
        label="Signatory's name",
        help_text="Leave empty if the protocol does not name who signed.",
    )
    signatory_post_title = forms.CharField(
        max_length=250,
        required=False,
        label="Signatory's post",
        help_text="As the signature line gives it, for example 'Independent Chair'. Leave empty if not stated.",
    )
    capacity = forms.CharField(
        max_length=120,
        required=False,
        label="Capacity",
        help_text="Optional: the capacity they sign in, for example 'Co-chair'.",
    )
    signature_kind = forms.ChoiceField(
        choices=[
            (Approval.SignatureKind.TYPED, "Type the name as a signature"),
            (Approval.SignatureKind.DRAWN, "Draw the signature on screen"),
            (Approval.SignatureKind.UPLOADED, "Upload an image of the signature"),
            (Approval.SignatureKind.NONE, "Signed on paper, not in the registry"),
        ],
        widget=forms.RadioSelect,
        initial=Approval.SignatureKind.TYPED,
        label="Signature",
    )
    signature_text = forms.CharField(max_length=200, required=False, label="Typed signature")
    # A PNG data URI from the signature pad: a few tens of kilobytes; 3 MB covers a 2 MB image.
    signature_drawn = forms.CharField(max_length=3 * 1024 * 1024, required=False, widget=forms.HiddenInput)
    signature_image = forms.FileField(required=False, label="Signature image (PNG or JPEG)")

    def clean(self):
        data = super().clean()
        day, month, year = data.get("day"), data.get("month"), data.get("year")
        if any(f in self.errors for f in ("day", "month", "year")):
            return data
        if data.get("date_not_stated"):
            if any(value is not None for value in (day, month, year)):
                self.add_error("year", "Either enter the date or say that the protocol does not state it, not both")
                return data
            data["approved_on"], data["approved_precision"] = None, DatePrecision.DAY
            data["signature_file"] = self._signature_file(data)
            return data
        if year is None:
            self.add_error("year", "Enter the year of the approval, or say that the protocol does not state the date")
            return data
        if day is not None and month is None:
            self.add_error("month", "Enter the month as well as the day")
            return data
        try:
            data["approved_on"] = datetime.date(year, month or 1, day or 1)
        except ValueError:
            self.add_error("day", "Enter a real date")
            return data
        data["approved_precision"] = DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
        data["signature_file"] = self._signature_file(data)
        return data

    def _signature_file(self, data):
        kind = data.get("signature_kind")
        if kind == Approval.SignatureKind.UPLOADED:
            return data.get("signature_image")
        if kind != Approval.SignatureKind.DRAWN:
            return None
        drawn = data.get("signature_drawn") or ""
        prefix = "data:image/png;base64,"
        if not drawn.startswith(prefix):
            return None
        try:
            return ContentFile(base64.b64decode(drawn[len(prefix) :], validate=True), name="signature.png")
        except (binascii.Error, ValueError):
            self.add_error(None, "The drawn signature could not be read; draw it again")
            return None


class PartyApprovalRuleForm(forms.Form):
    """How many signatories the protocol lists for a party."""

    signatories_expected = forms.IntegerField(
        min_value=1, max_value=20, label="Signatories the protocol lists", help_text="For example 2 for two co-chairs."
    )


class PaperCopyForm(forms.Form):
    """Mark a party's approval as recorded from a paper copy, with a note saying what the copy shows."""

    paper_note = forms.CharField(
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="What the paper copy shows",
        help_text="For example: 'Signed copy held by the business manager; the chairs formally agreed it.'",
    )


class SignatureRequestForm(forms.Form):
    """Who a personal signing link goes to, for one party."""

    signatory_name = forms.CharField(max_length=200, label="Signatory's name")
    signatory_email = forms.EmailField(
        max_length=254,
        label="Signatory's email address",
        help_text="The link, and the code that confirms it is them, go to this address.",
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.org"},
    )
    signatory_post_title = forms.CharField(max_length=250, required=False, label="Post (optional)")
    capacity = forms.CharField(
        max_length=120, required=False, label="Capacity they sign in (optional)", help_text="For example: Co-chair."
    )


class SigningCodeForm(forms.Form):
    code = forms.CharField(
        max_length=12,
        label="Code from the email",
        help_text="The 6-digit code we sent to your email address.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
    )


class SignForm(forms.Form):
    """A signatory's own signature through their signing link: a typed name or one drawn on screen."""

    seen = forms.IntegerField(widget=forms.HiddenInput, required=False)
    signature_kind = forms.ChoiceField(
        choices=[
            (Approval.SignatureKind.TYPED, "Type my name"),
            (Approval.SignatureKind.DRAWN, "Draw my signature"),
        ],
        widget=forms.RadioSelect,
        initial=Approval.SignatureKind.TYPED,
        label="How you sign",
    )
    signature_text = forms.CharField(max_length=200, required=False, label="Type your full name as your signature")
    signature_drawn = forms.CharField(max_length=3 * 1024 * 1024, required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        data["signature_file"] = ApprovalForm._signature_file(self, data)
        return data


class DeclineForm(forms.Form):
    reason = forms.CharField(
        max_length=1000,
        label="Why you decline to sign",
        help_text="The business manager reads this and can change the version or the signatory.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
