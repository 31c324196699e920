from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from earmark.core.species import species_choices


class StocktakeForm(forms.Form):
    premises = forms.ChoiceField(label=_("Premises"))
    species = forms.ChoiceField(label=_("Species"), choices=species_choices)
    counted = forms.IntegerField(label=_("Animals counted"), min_value=0, max_value=1_000_000)
    tags = forms.CharField(
        label=_("Tags read"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "inputmode": "numeric", "data-scan": "tags"}),
        help_text=_("Type, paste or scan; ranges like 122010200000001-050."),
    )
    taken_on = forms.DateField(
        label=_("Day of the count"),
        initial=timezone.localdate,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, places: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["premises"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = places


class ApproveForm(forms.Form):
    note = forms.CharField(label=_("Why the count is right"), max_length=200)
