from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from earmark.core.species import species_choices
from earmark.movements.models import Alert


class CheckForm(forms.Form):
    code = forms.CharField(
        label=_("Certificate number or QR code"),
        widget=forms.TextInput(attrs={"data-scan": "qr"}),
        help_text=_("Type the 12-digit number, or scan the QR code."),
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"data-keep": ""}),
        help_text=_("Empty: the designated checkpoint you are posted at."),
    )
    vehicle_plate = forms.CharField(label=_("Vehicle plate"), max_length=12, required=False)
    animals_seen = forms.IntegerField(
        label=_("Animals on the vehicle"), min_value=0, max_value=5000, required=False
    )
    tags_read = forms.CharField(
        label=_("Tags read"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "inputmode": "numeric"}),
    )
    disinfected = forms.NullBooleanField(
        label=_("Vehicle disinfected here"),
        required=False,
        widget=forms.Select(choices=[("unknown", "—"), ("true", _("Yes")), ("false", _("No"))]),
    )
    # Set by the page when the check was made with no connection, and uploaded later.
    checked_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)
    offline = forms.BooleanField(required=False, widget=forms.HiddenInput)


CERTIFICATE_NUMBER = RegexValidator(
    r"^\d{12}$", _("A certificate number has 12 digits."), code="invalid"
)


class ReceiveForm(forms.Form):
    certificate = forms.CharField(
        label=_("Certificate number"),
        max_length=12,
        validators=[CERTIFICATE_NUMBER],
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "data-digits": "12",
                "data-digits-message": _("A certificate number has 12 digits."),
                "autocomplete": "off",
            }
        ),
    )
    premises = forms.ChoiceField(label=_("Received at"))
    tags = forms.CharField(
        label=_("Tags scanned"),
        widget=forms.Textarea(attrs={"rows": 4, "inputmode": "numeric"}),
        help_text=_("Type, paste or scan the tags of the animals that arrived."),
    )

    def __init__(self, *args: Any, places: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["premises"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = places


class SlaughterForm(ReceiveForm):
    passed = forms.ChoiceField(
        label=_("Result"), choices=[("yes", _("Fit")), ("no", _("Unfit"))], widget=forms.RadioSelect
    )
    finding_kinds = forms.MultipleChoiceField(
        label=_("Findings"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(k, label) for k, label in Alert.Kind.choices if k != Alert.Kind.LATE_ARRIVAL],
    )
    untagged = forms.IntegerField(label=_("Untagged animals"), min_value=0, required=False)
    findings = forms.CharField(
        label=_("Notes"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DeathForm(forms.Form):
    species = forms.ChoiceField(label=_("Species"), choices=species_choices)
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "inputmode": "numeric"}),
    )
    untagged = forms.IntegerField(label=_("Untagged animals"), min_value=0, required=False)
    cause = forms.CharField(label=_("Cause"), max_length=200)
    disposal_plant = forms.ChoiceField(label=_("Disposal plant"), required=False)

    def __init__(self, *args: Any, plants: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["disposal_plant"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *plants]


class DestructionForm(forms.Form):
    tags = forms.CharField(
        label=_("Recovered tags"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    include_voided = forms.BooleanField(label=_("Also the voided unused tags"), required=False)
    destroyed_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    method = forms.CharField(label=_("Method"), max_length=100)
    place = forms.CharField(label=_("Place"), max_length=100)
    witnesses = forms.CharField(
        label=_("Witnesses"),
        max_length=200,
        help_text=_("At least two, separated by 、 or commas."),
    )


class AcknowledgeForm(forms.Form):
    action_taken = forms.CharField(label=_("What was done"), max_length=500)


class OverrideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the animals may come in"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RedirectForm(forms.Form):
    premises = forms.CharField(
        label=_("New destination (premises code)"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text=_("The 12-digit code under the premises' QR code."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)
