from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from earmark.core.species import species_choices, species_codes
from earmark.farms.models import Premises, Restriction, StockChange
from earmark.regions.models import Region


class PremisesForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Premises.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=100)
    owner_name = forms.CharField(label=_("Owner or legal person"), max_length=50, required=False)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    id_card = forms.CharField(
        label=_("ID-card number"),
        max_length=18,
        required=False,
        help_text=_("Optional. Lists show it masked."),
    )
    township = forms.ChoiceField(label=_("Township"))
    address = forms.CharField(label=_("Village or street address"), max_length=200, required=False)
    species = forms.MultipleChoiceField(
        label=_("Species kept"),
        choices=species_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    scale = forms.IntegerField(label=_("Designed capacity (head)"), min_value=0, required=False)
    latitude = forms.DecimalField(
        label=_("Latitude"), max_digits=9, decimal_places=6, required=False
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), max_digits=9, decimal_places=6, required=False
    )

    def __init__(self, *args: Any, townships: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        township = self.fields["township"]
        assert isinstance(township, forms.ChoiceField)
        township.choices = [(t.code, f"{t.name} {t.code}") for t in townships]


class PremisesCreateForm(PremisesForm):
    """With the animals on hand of every species the province follows (``stock_<code>``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in species_choices():
            self.fields[f"stock_{code}"] = forms.IntegerField(
                label=_("%(species)s on hand") % {"species": label},
                min_value=0,
                max_value=10_000_000,
                required=False,
            )

    def stock(self) -> dict[str, int]:
        """Initial stock of every species ticked (or given a number)."""
        kept = set(self.cleaned_data.get("species") or [])
        result = {}
        for species in species_codes():
            quantity = self.cleaned_data.get(f"stock_{species}")
            if species in kept or quantity:
                result[species] = quantity or 0
        return result


class StockChangeForm(forms.Form):
    species = forms.ChoiceField(label=_("Species"), choices=species_choices)
    reason = forms.ChoiceField(label=_("Reason"))
    delta = forms.IntegerField(
        label=_("Change (head)"), help_text=_("Positive adds animals, negative removes them.")
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, reasons: list[str], **kwargs: Any) -> None:
        """Only the reasons this user may record at this premises are offered."""
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(r, label) for r, label in StockChange.Reason.choices if r in reasons]


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"))


class PinForm(forms.Form):
    pin = forms.CharField(
        label=_("PIN"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}"}
        ),
    )


class RestrictionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Restricts"), choices=Restriction.Kind.choices)
    premises = forms.CharField(
        label=_("Premises (code)"),
        max_length=12,
        required=False,
        help_text=_("The premises restricted, or the centre of the radius."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    township = forms.ChoiceField(label=_("Township"), required=False)
    radius_km = forms.DecimalField(
        label=_("Radius (km)"), required=False, min_value=Decimal("0.1"), max_value=Decimal("50")
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)
    investigation = forms.CharField(
        label=_("Outbreak investigation (number)"), max_length=24, required=False
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"),
        required=False,
        help_text=_("Empty: until it is lifted."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def __init__(self, *args: Any, townships: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["township"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *townships]


class LiftForm(forms.Form):
    reason = forms.CharField(label=_("Why it is lifted"), max_length=200)


class VehicleForm(forms.Form):
    plate = forms.CharField(label=_("Plate"), max_length=12)
    owner_name = forms.CharField(label=_("Owner"), max_length=50)
    owner_phone = forms.CharField(
        label=_("Owner's phone"),
        max_length=11,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    capacity = forms.IntegerField(label=_("Animals it carries"), min_value=1, max_value=5000)
    documents = forms.CharField(label=_("Registration document number"), max_length=100)


class DealerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    id_card = forms.CharField(label=_("ID card number"), max_length=18)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=11,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    counties = forms.CharField(
        label=_("Other counties he works in"),
        required=False,
        help_text=_("County codes, separated by spaces, e.g. 220102 220183."),
    )
    trained_on = forms.DateField(
        label=_("Trained on"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )

    def clean_counties(self) -> list[str]:
        return self.cleaned_data["counties"].replace(",", " ").replace("，", " ").split()


class CheckpointForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=100)
    road = forms.CharField(label=_("Road"), max_length=100)
    county = forms.ChoiceField(label=_("County"))
    latitude = forms.DecimalField(
        label=_("Latitude"), max_digits=9, decimal_places=6, required=False
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), max_digits=9, decimal_places=6, required=False
    )

    def __init__(self, *args: Any, counties: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["county"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *counties]
