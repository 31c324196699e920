from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from earmark.core.species import species_choices
from earmark.quarantine.models import Declaration, TransportMode
from earmark.quarantine.services.review_data import DeclarationData
from earmark.regions.models import Region
from earmark.regions.provinces import PROVINCES, own_province


class DeclarationForm(forms.Form):
    species = forms.ChoiceField(label=_("Species"), choices=species_choices)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Declaration.Purpose.choices)
    destination_province = forms.ChoiceField(
        label=_("Destination province"), choices=sorted(PROVINCES.items())
    )
    destination_county = forms.ChoiceField(label=_("Destination county"), required=False)
    destination_region = forms.CharField(
        label=_("Destination township"), required=False, widget=forms.Select
    )
    destination_premises = forms.CharField(
        label=_("Destination premises code"), max_length=12, required=False
    )
    destination_address = forms.CharField(
        label=_("Destination address"), max_length=200, required=False
    )
    planned_departure = forms.DateTimeField(
        label=_("Planned departure"),
        widget=forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    carrier_name = forms.CharField(label=_("Carrier"), max_length=50)
    carrier_phone = forms.CharField(
        label=_("Carrier's mobile phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    vehicle_plate = forms.CharField(label=_("Vehicle plate"), max_length=12)
    dealer = forms.CharField(
        label=_("Dealer's registration code"),
        max_length=16,
        required=False,
        help_text=_("If a livestock dealer bought the animals."),
    )
    numbers = forms.CharField(
        label=_("Tag numbers"),
        widget=forms.Textarea(attrs={"rows": 4, "inputmode": "numeric"}),
        help_text=_("Type, paste or scan; ranges like 122010200000001-050."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["destination_province"].initial = own_province()
        counties = (
            Region.objects.filter(level=Region.Level.COUNTY)
            .select_related("parent")
            .order_by("code")
        )
        county = self.fields["destination_county"]
        assert isinstance(county, forms.ChoiceField)
        county.choices = [
            ("", "—"),
            *((c.code, f"{c.parent.name if c.parent else ''}{c.name}") for c in counties),
        ]
        county.widget.attrs.update(
            {"hx-get": "/quarantine/townships", "hx-target": "#id_destination_region"}
        )
        # After a refused submission the township list of the chosen county is shown again.
        chosen = self.data.get("destination_county") if self.is_bound else ""
        townships = (
            Region.objects.filter(parent_id=chosen, level=Region.Level.TOWNSHIP) if chosen else []
        )
        self.fields["destination_region"].widget.choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((t.code, t.name) for t in townships),
        ]
        if not self.is_bound:
            self.initial.setdefault("planned_departure", timezone.localtime() + timedelta(days=1))

    def data_object(self) -> DeclarationData:
        data = self.cleaned_data
        departure: datetime = data["planned_departure"]
        if timezone.is_naive(departure):
            departure = timezone.make_aware(departure)
        return DeclarationData(
            species=data["species"],
            quantity=data["quantity"],
            purpose=data["purpose"],
            destination_province=data["destination_province"],
            destination_region=data["destination_region"] or data["destination_county"] or "",
            destination_premises=data["destination_premises"].strip(),
            destination_address=data["destination_address"],
            planned_departure=departure,
            carrier_name=data["carrier_name"],
            carrier_phone=data["carrier_phone"],
            vehicle_plate=data["vehicle_plate"],
            numbers=data["numbers"],
            dealer=data.get("dealer", ""),
        )


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class InspectionForm(forms.Form):
    passed = forms.ChoiceField(
        label=_("Clinical result"),
        choices=[("yes", _("Fit")), ("no", _("Unfit"))],
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label=_("Notes"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class IssueForm(forms.Form):
    valid_until = forms.DateField(
        label=_("Valid until"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )

    transport_mode = forms.ChoiceField(
        label=_("Means of transport"), choices=TransportMode.choices, initial=TransportMode.ROAD
    )
    disinfection = forms.CharField(
        label=_("Vehicle disinfection"),
        max_length=100,
        required=False,
        help_text=_("How the vehicle was disinfected before loading, e.g. peracetic acid spray."),
    )
    checkpoint = forms.CharField(
        label=_("Designated checkpoint"),
        max_length=100,
        required=False,
        help_text=_("Leaving the province only: the designated checkpoint the animals pass."),
    )

    def __init__(
        self, *args: Any, departure: date, longest: date, leaving: bool, **kwargs: Any
    ) -> None:
        kwargs["initial"] = {"valid_until": longest}
        super().__init__(*args, **kwargs)
        if not leaving:
            # The form 动物B prints nothing of the journey beyond the vehicle's plate; the
            # vehicle's disinfection is still recorded (vehicle trace, investigations).
            for name in ("transport_mode", "checkpoint"):
                del self.fields[name]
        field = self.fields["valid_until"]
        field.help_text = _(
            "Departure %(departure)s; this journey allows a validity until %(longest)s at the "
            "latest. You may shorten it, not end it before the departure."
        ) % {"departure": departure.isoformat(), "longest": longest.isoformat()}
        field.widget.attrs.update({"min": departure.isoformat(), "max": longest.isoformat()})

    def journey(self) -> dict[str, str]:
        """What the vet entered of the journey (within the province: the disinfection only)."""
        return {
            name: self.cleaned_data[name]
            for name in ("transport_mode", "disinfection", "checkpoint")
            if name in self.fields
        }


class CertificateSearchForm(forms.Form):
    number = forms.CharField(label=_("Certificate number"), max_length=12, required=False)
    premises = forms.CharField(label=_("Origin premises (code)"), max_length=12, required=False)
    tag = forms.CharField(
        label=_("Tag number"),
        max_length=15,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    since = forms.DateField(
        label=_("Issued from"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    until = forms.DateField(
        label=_("Issued until"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("", _("All")),
            ("incoming", _("On their way here")),
            ("valid", pgettext_lazy("state", "Valid")),
            ("expired", _("Expired")),
            ("revoked", _("Revoked")),
            ("used", _("Used")),
        ],
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
