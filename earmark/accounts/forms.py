from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from earmark.accounts.access import ROLES_BY_LEVEL
from earmark.accounts.models import Agency, Role


class StaffForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=100)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    roles = forms.MultipleChoiceField(
        label=_("Roles"), widget=forms.CheckboxSelectMultiple, choices=Role.choices
    )
    vaccinator_number = forms.CharField(
        label=_("Vaccinator number"),
        max_length=2,
        required=False,
        help_text=_("Two digits, unique in the county; vaccinators only."),
    )
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "At least 10 characters, not only digits; the user changes it after signing in."
        ),
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = ROLES_BY_LEVEL[agency.level]
        roles = self.fields["roles"]
        assert isinstance(roles, forms.MultipleChoiceField)
        roles.choices = [(v, label) for v, label in Role.choices if v in allowed]


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("Current password"), widget=forms.PasswordInput)
    new_password = forms.CharField(label=_("New password"), widget=forms.PasswordInput)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Device name"),
        max_length=100,
        help_text=_("For example: mobile terminal No. 3 of the township station."),
    )
