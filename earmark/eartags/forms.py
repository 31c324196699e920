from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from earmark.core.species import species_choices
from earmark.eartags.services.issuing import Selection


def _tag_number(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=15, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )


class RegisterForm(forms.Form):
    species = forms.ChoiceField(label=_("Species"), choices=species_choices)
    box = forms.CharField(label=_("Box"), max_length=30, required=False)
    pack = forms.CharField(label=_("Pack"), max_length=30, required=False)
    first = _tag_number(_("First number"))
    last = _tag_number(_("Last number"))
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1)
    delivery = forms.ChoiceField(label=_("Delivery"), required=False)

    def __init__(self, *args: Any, deliveries: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["delivery"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *deliveries]


def _day(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )


class _Choosing(forms.Form):
    """A form with one choice among records the page lists (``choices``)."""

    choice_field = ""

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields[self.choice_field]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *choices]


class DeliveryForm(_Choosing):
    choice_field = "order_id"
    order_id = forms.ChoiceField(label=_("Order"))
    note_number = forms.CharField(label=_("Delivery note number"), max_length=50)
    delivered_on = _day(_("Delivered on"))


class ManufacturerForm(forms.Form):
    """The province designates a manufacturer."""

    name = forms.CharField(label=_("Manufacturer"), max_length=100)
    licence = forms.CharField(label=_("Licence number"), max_length=50)
    species = forms.MultipleChoiceField(
        label=_("Species"), choices=species_choices, widget=forms.CheckboxSelectMultiple
    )
    valid_from = _day(_("Designated from"))
    valid_until = _day(_("Designated until"))


class PlanForm(_Choosing):
    choice_field = "manufacturer"
    manufacturer = forms.ChoiceField(label=_("Manufacturer"))
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    species = forms.ChoiceField(label=_("Species"), choices=species_choices)
    quantity = forms.IntegerField(label=_("Planned quantity"), min_value=1)


class RevokeForm(_Choosing):
    choice_field = "manufacturer"
    manufacturer = forms.ChoiceField(label=_("Manufacturer"))
    reason = forms.CharField(label=_("Reason"), max_length=200)


class OrderForm(_Choosing):
    choice_field = "plan"
    plan = forms.ChoiceField(label=_("Maker's plan"))
    first = _tag_number(_("First number"))
    last = _tag_number(_("Last number"))
    ordered_on = _day(_("Ordered on"), required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Filled-in inventory sheet (.xlsx)"))
    delivery = forms.ChoiceField(label=_("Delivery"), required=False)

    def __init__(self, *args: Any, deliveries: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["delivery"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *deliveries]


class MoveForm(forms.Form):
    """Issue, return or void: who, which species, which tags."""

    party = forms.ChoiceField(label=_("To"))
    species = forms.ChoiceField(label=_("Species"), choices=species_choices)
    ranges = forms.CharField(
        label=_("Numbers or ranges"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "inputmode": "numeric"}),
        help_text=_("One per line, or ranges like 122010200000001-500."),
    )
    box = forms.CharField(label=_("Whole box"), max_length=30, required=False)
    pack = forms.CharField(label=_("Pack in the box"), max_length=30, required=False)
    count = forms.IntegerField(
        label=_("Or a count"),
        min_value=1,
        required=False,
        help_text=_("The lowest available numbers are taken."),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(
        self, *args: Any, parties: list[tuple[str, str]], party_label: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["party"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = parties
        field.label = party_label

    def selection(self) -> Selection:
        data = self.cleaned_data
        boxes = [(data["box"].strip(), data["pack"].strip())] if data.get("box", "").strip() else []
        return Selection(ranges=data.get("ranges", ""), boxes=boxes, count=data.get("count") or 0)


class CheckForm(forms.Form):
    numbers = forms.CharField(
        label=_("Tag numbers"), widget=forms.Textarea(attrs={"rows": 4, "inputmode": "numeric"})
    )
    township = forms.ChoiceField(label=_("Township"))

    def __init__(self, *args: Any, townships: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["township"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = townships


class PliersForm(forms.Form):
    """Register, issue or take back pliers: the serials, one per line, and with whom."""

    ACTIONS = [
        ("register", _("Register new pliers")),
        ("issue", _("Issue to")),
        ("return", _("Take back from")),
    ]
    action = forms.ChoiceField(label=_("What"), choices=ACTIONS)
    party = forms.ChoiceField(label=_("Station or vaccinator"), required=False)
    serials = forms.CharField(
        label=_("Serial numbers"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line; at most 500."),
    )

    def __init__(self, *args: Any, parties: list[tuple[str, str]], county: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["party"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *parties]
        if not county:
            action = self.fields["action"]
            assert isinstance(action, forms.ChoiceField)
            action.choices = [c for c in self.ACTIONS if c[0] != "register"]

    def serial_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["serials"].splitlines() if line.strip()]
