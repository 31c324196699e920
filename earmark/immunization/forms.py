from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from earmark.core.species import species_choices, species_labels
from earmark.immunization.models import Animal, ImmunizationRecord, Vaccine


class ImmunizationForm(forms.Form):
    premises = forms.ChoiceField(label=_("Farm"))
    species = forms.ChoiceField(label=_("Species"), choices=species_choices)
    vaccine = forms.ChoiceField(label=_("Vaccine"))
    batch_number = forms.CharField(label=_("Batch number"), max_length=50)
    seller = forms.CharField(
        label=_("Bought from"), max_length=100, help_text=_("The vaccine's seller (art. 9).")
    )
    disinfection = forms.CharField(
        label=_("Disinfection of tags and pliers"),
        max_length=100,
        required=False,
        help_text=_("Required when tags are applied (art. 15), e.g. 75% alcohol soak."),
    )
    pliers = forms.ChoiceField(label=_("Pliers used"), required=False)
    vaccinated_on = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        initial=timezone.localdate,
    )
    campaign = forms.ChoiceField(
        label=_("Campaign"),
        choices=ImmunizationRecord.Campaign.choices,
        initial=ImmunizationRecord.Campaign.ROUTINE,
    )
    age = forms.IntegerField(label=_("Age"), min_value=0, max_value=100_000)
    age_unit = forms.ChoiceField(
        label=_("Age in"),
        choices=ImmunizationRecord.AgeUnit.choices,
        initial=ImmunizationRecord.AgeUnit.DAYS,
    )
    numbers = forms.CharField(
        label=_("Tag numbers"),
        widget=forms.Textarea(attrs={"rows": 4, "inputmode": "numeric", "data-scan": "tags"}),
        help_text=_("Type, paste or scan; ranges like 122010200000001-050."),
    )
    sex = forms.ChoiceField(
        label=_("Sex"), choices=Animal.Sex.choices, initial=Animal.Sex.UNKNOWN, required=False
    )
    birth_date = forms.DateField(
        label=_("Birth date"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    breed = forms.CharField(label=_("Breed"), max_length=50, required=False)
    is_breeding = forms.BooleanField(label=_("Breeding animals"), required=False)
    is_dairy = forms.BooleanField(label=_("Dairy animals"), required=False)
    dam_tag = forms.CharField(label=_("Dam's tag"), max_length=15, required=False)

    def __init__(
        self,
        *args: Any,
        premises: list[tuple[str, str]],
        vaccines: list[Vaccine],
        pliers: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        pliers_field = self.fields["pliers"]
        assert isinstance(pliers_field, forms.ChoiceField)
        pliers_field.choices = [("", "—"), *((s, s) for s in pliers or [])]
        if not pliers:
            # Nobody to choose from: the field is not offered.
            del self.fields["pliers"]
        premises_field = self.fields["premises"]
        vaccine_field = self.fields["vaccine"]
        assert isinstance(premises_field, forms.ChoiceField) and isinstance(
            vaccine_field, forms.ChoiceField
        )
        premises_field.choices = premises
        vaccine_field.choices = [
            (str(v.pk), f"{v.name}（{species_labels(v.species_list)}）") for v in vaccines
        ]
        # The page offers only the vaccines of the chosen species.
        vaccine_field.widget = SpeciesSelect(
            species={str(v.pk): " ".join(v.species_list) for v in vaccines},
            choices=vaccine_field.choices,
            attrs={"data-remember": "", "data-species-of": "id_species"},
        )
        for name in ("batch_number", "seller", "disinfection", "pliers"):
            if name in self.fields:
                self.fields[name].widget.attrs["data-remember"] = ""


class SpeciesSelect(forms.Select):
    """A select whose options carry the species they apply to (``data-species``)."""

    def __init__(self, *args: Any, species: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.species = species

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        if str(option["value"]) in self.species:
            option["attrs"]["data-species"] = self.species[str(option["value"])]
        return option


class ReplacementForm(forms.Form):
    new = forms.CharField(
        label=_("New tag number"),
        max_length=15,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "data-scan": "tags"}),
    )
    reason = forms.ChoiceField(
        label=_("Why"),
        choices=[
            ("lost", _("The tag was lost")),
            ("damaged", _("The tag is damaged")),
            ("reimmunization", _("Re-immunized after arrival from another county")),
        ],
    )
    vaccine = forms.ChoiceField(
        label=_("Vaccine given"),
        required=False,
        help_text=_("For re-immunization: the vaccination is recorded with the new tag."),
    )
    batch_number = forms.CharField(label=_("Batch number"), max_length=50, required=False)
    seller = forms.CharField(label=_("Bought from"), max_length=100, required=False)
    age = forms.IntegerField(label=_("Age"), min_value=0, max_value=100_000, required=False)
    age_unit = forms.ChoiceField(
        label=_("Age in"),
        choices=ImmunizationRecord.AgeUnit.choices,
        initial=ImmunizationRecord.AgeUnit.DAYS,
        required=False,
    )
    disinfection = forms.CharField(
        label=_("Disinfection of tags and pliers"),
        max_length=100,
        required=False,
        help_text=_("Required for every new tag (MoA Order 13, art. 15)."),
    )
    pliers = forms.ChoiceField(label=_("Pliers used"), required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(
        self, *args: Any, vaccines: list[Vaccine], pliers: list[str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["vaccine"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *((str(v.pk), v.name) for v in vaccines)]
        pliers_field = self.fields["pliers"]
        assert isinstance(pliers_field, forms.ChoiceField)
        pliers_field.choices = [("", "—"), *((s, s) for s in pliers or [])]
        if not pliers:
            del self.fields["pliers"]


class VaccineForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    manufacturer = forms.CharField(label=_("Manufacturer"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=Vaccine.Kind.choices)
    diseases = forms.MultipleChoiceField(
        label=_("Protects against"), widget=forms.CheckboxSelectMultiple
    )
    species = forms.MultipleChoiceField(
        label=_("For"), choices=species_choices, widget=forms.CheckboxSelectMultiple
    )
    protection_days = forms.IntegerField(label=_("Protection (days)"), min_value=1, max_value=3650)

    def __init__(self, *args: Any, diseases: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["diseases"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = diseases


class FarmVetForm(forms.Form):
    """The county approves a farm's own veterinarian (art. 13)."""

    premises = forms.ChoiceField(label=_("Farm"))
    username = forms.CharField(label=_("Veterinarian's user name"), max_length=150)
    certificate_number = forms.CharField(
        label=_("Veterinarian's certificate number"), max_length=50
    )
    species = forms.MultipleChoiceField(
        label=_("Species"), choices=species_choices, widget=forms.CheckboxSelectMultiple
    )
    valid_from = forms.DateField(
        label=_("Approved from"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Approved until"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )

    def __init__(self, *args: Any, farms: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["premises"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *farms]


class SpeciesForm(forms.Form):
    """The province adds a species to the programme (Order 13 art. 30)."""

    name = forms.CharField(label=_("Chinese name"), max_length=20)
    name_en = forms.CharField(label=_("English name"), max_length=40)
    code = forms.CharField(
        label=_("Code"), max_length=10, help_text=_("Lower-case Latin letters: horse")
    )
    unit = forms.CharField(label=_("Measure word on certificates"), max_length=4)
    digits = forms.CharField(
        label=_("First digits of its tag codes"), max_length=20, help_text=_("For example 4")
    )
    diseases = forms.MultipleChoiceField(
        label=_("Compulsory diseases"), required=False, widget=forms.CheckboxSelectMultiple
    )
    aliases = forms.CharField(
        label=_("Other names in sheets"),
        max_length=200,
        required=False,
        help_text=_("For example: mule, donkey"),
    )

    def __init__(self, *args: Any, diseases: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["diseases"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = diseases

    def clean_digits(self) -> list[int]:
        parts = [p for p in re.split(r"[\s,，、]+", self.cleaned_data["digits"]) if p]
        if not parts or not all(p.isascii() and p.isdigit() and len(p) == 1 for p in parts):
            raise forms.ValidationError(_("Give the first digits of its tag codes, 1 to 9."))
        return [int(p) for p in parts]

    def clean_aliases(self) -> list[str]:
        return [p for p in re.split(r"[\s,，、]+", self.cleaned_data["aliases"]) if p]
