from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from earmark.regions.provinces import PROVINCES, own_province
from earmark.slaughter.models import Product, SlaughterBatch
from earmark.slaughter.services.batches import ORGANS

SOURCES = 3


class BatchForm(forms.Form):
    """The ante-mortem check: the slaughterhouse, up to three certificates with their counts."""

    slaughterhouse = forms.ChoiceField(label=_("Slaughterhouse"))
    ante_result = forms.ChoiceField(
        label=_("Ante-mortem result"), choices=SlaughterBatch.Ante.choices
    )
    ante_signs = forms.CharField(label=_("Clinical signs"), max_length=500, required=False)
    tags = forms.CharField(
        label=_("Recovered tags of these animals (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self, *args: Any, places: list[tuple[str, str]], waiting: list[tuple[str, str]], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["slaughterhouse"].choices = places  # type: ignore[attr-defined]
        for n in range(1, SOURCES + 1):
            self.fields[f"certificate_{n}"] = forms.ChoiceField(
                label=_("Certificate %(n)d") % {"n": n},
                choices=[("", "—"), *waiting],
                required=n == 1,
            )
            self.fields[f"count_{n}"] = forms.IntegerField(
                label=_("Animals of it in the batch"), min_value=1, required=False
            )

    def sources(self) -> list[tuple[str, int]]:
        data = self.cleaned_data
        return [
            (data[f"certificate_{n}"], data[f"count_{n}"] or 0)
            for n in range(1, SOURCES + 1)
            if data.get(f"certificate_{n}")
        ]


class PostMortemForm(forms.Form):
    emergency = forms.IntegerField(label=_("Slaughtered apart (急宰)"), min_value=0, initial=0)
    condemned = forms.IntegerField(label=_("Condemned"), min_value=0, initial=0)
    condemned_tags = forms.CharField(label=_("Tags condemned"), required=False)
    condemned_kg = forms.DecimalField(
        label=_("Weight condemned (kg)"), min_value=0, decimal_places=1, required=False
    )
    disposal_plant = forms.ChoiceField(label=_("Disposal plant"), required=False)
    notifiable = forms.CharField(
        label=_("Notifiable disease found (blocks the batch)"), max_length=100, required=False
    )
    quality_certificate = forms.CharField(
        label=_("Meat-quality certificate number (肉品品质检验合格证)"),
        max_length=40,
        required=False,
    )

    def __init__(self, *args: Any, plants: list[tuple[str, str]], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["disposal_plant"].choices = [("", "—"), *plants]  # type: ignore[attr-defined]
        for organ, name in ORGANS.items():
            self.fields[f"finding_{organ}"] = forms.CharField(
                label=name, max_length=200, required=False
            )
        for kind, label in Product.Kind.choices:
            self.fields[f"{kind}_quantity"] = forms.IntegerField(
                label=_("%(product)s: pieces") % {"product": label}, min_value=0, required=False
            )
            self.fields[f"{kind}_kg"] = forms.DecimalField(
                label=_("%(product)s: kg") % {"product": label},
                min_value=0,
                decimal_places=1,
                required=False,
            )

    def post_mortem(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            **{k: data[k] for k in ("emergency", "condemned", "condemned_tags", "notifiable")},
            "condemned_kg": data["condemned_kg"] or 0,
            "disposal_plant": data["disposal_plant"],
            "quality_certificate": data["quality_certificate"],
            "findings": {organ: data[f"finding_{organ}"] for organ in ORGANS},
            "products": [
                {
                    "kind": kind,
                    "quantity": data[f"{kind}_quantity"],
                    "weight_kg": data[f"{kind}_kg"],
                }
                for kind in Product.Kind.values
                if data.get(f"{kind}_quantity")
            ],
        }


class ConsignmentForm(forms.Form):
    product = forms.ChoiceField(label=_("Product"), choices=Product.Kind.choices)
    quantity = forms.IntegerField(label=_("Pieces"), min_value=1)
    weight_kg = forms.DecimalField(label=_("Weight (kg)"), min_value=0, decimal_places=1)
    owner_name = forms.CharField(label=_("Buyer"), max_length=100)
    owner_phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    destination_province = forms.ChoiceField(
        label=_("Destination province"), choices=sorted(PROVINCES.items()), initial=own_province
    )
    destination_region = forms.CharField(
        label=_("Destination county or township code (within the province)"),
        max_length=9,
        required=False,
    )
    destination = forms.CharField(label=_("Destination address"), max_length=200, required=False)
    vehicle_plate = forms.CharField(label=_("Vehicle plate"), max_length=20, required=False)
    valid_until = forms.DateField(
        label=_("Valid until (shorter than the form's maximum)"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )


class FindingForm(forms.Form):
    finding = forms.CharField(label=_("What was found"), max_length=300)
