from django import forms
from django.db.models import Q
from django.utils.text import slugify

from boards.models import Area, RoleAssignment

from .services import AREA_ROLES

ROLE_CHOICES = [(role.value, role.label) for role in AREA_ROLES]
ROLE_HINTS = {
    RoleAssignment.Role.BUSINESS_MANAGER: "Keeps the area's protocols and register.",
    RoleAssignment.Role.BOARD_MEMBER: "Reads the area's drafts.",
}


class RoleFields(forms.Form):
    role = forms.ChoiceField(
        label="Role",
        choices=ROLE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the role to give.",
            "invalid_choice": "Choose business manager or board member.",
        },
        help_text="A business manager keeps the area's protocols and register; a board member reads its drafts.",
    )
    area = forms.ModelChoiceField(
        label="Area",
        queryset=Area.objects.order_by("name"),
        empty_label="Choose an area",
        to_field_name="slug",
        error_messages={"required": "Choose the area the role is for."},
    )


class InviteForm(RoleFields):
    """An invitation; `roles` and `areas` are those the inviting user may give (accounts.permissions)."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={"required": "Enter the email address to send the invitation to."},
        help_text="The invitation, with a link to choose a password, goes here.",
    )
    first_name = forms.CharField(label="First name", max_length=150, required=False)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)
    field_order = ["email", "first_name", "last_name", "role", "area"]

    def __init__(self, *args, roles, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role.value, role.label) for role in roles]
        self.fields["area"].queryset = areas
        if len(roles) == 1:
            self.fields["role"].initial = roles[0]
            self.fields["role"].help_text = f"You can invite {roles[0].label.lower()}s to the areas you keep."
            self.fields["role"].error_messages["invalid_choice"] = f"You can invite {roles[0].label.lower()}s only."


class RoleForm(RoleFields):
    pass


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Name of the new token",
        max_length=100,
        error_messages={"required": "Give the token a name, such as the system that will use it."},
        help_text="What will use it, so you know which to revoke later: “Intranet sync”.",
    )


class AreaFilterForm(forms.Form):
    area = forms.ModelChoiceField(
        label="Area",
        queryset=Area.objects.order_by("name"),
        required=False,
        empty_label="All areas",
        to_field_name="slug",
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


class AreaForm(forms.Form):
    """A new council area; its boards, posts and people are then kept on its register pages."""

    name = forms.CharField(
        label="Name of the area",
        max_length=200,
        error_messages={"required": "Enter the name of the area, as its council writes it."},
        help_text="For example, Knowsley or Cheshire West and Chester.",
    )
    kind = forms.ChoiceField(label="Kind of council", choices=Area.Kind.choices, widget=forms.RadioSelect)
    council_name = forms.CharField(
        label="Council's full name (optional)",
        max_length=200,
        required=False,
        help_text="For example, Knowsley Metropolitan Borough Council.",
    )
    website = forms.URLField(
        label="Council's website (optional)",
        max_length=200,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter the website's address, like https://www.knowsley.gov.uk."},
    )

    def clean_name(self):
        # Said here in the registry's words; the model's uniqueness errors would name its "Slug".
        name = self.cleaned_data["name"].strip()
        if Area.objects.filter(Q(name__iexact=name) | Q(slug=slugify(name))).exists():
            raise forms.ValidationError(f"There is already an area called {name}.")
        return name
