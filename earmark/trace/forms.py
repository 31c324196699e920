from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from earmark.trace.models import Case


class CaseForm(forms.Form):
    """Open a case: the article, whom it is against, the facts, and the records that prove them
    (tags, premises, declarations and certificates, one per line)."""

    article = forms.TypedChoiceField(
        label=_("Article of Order 13"), choices=Case.Article.choices, coerce=int
    )
    party_kind = forms.ChoiceField(label=_("Against"), choices=Case.Party.choices)
    party_ref = forms.CharField(
        label=_("Premises code, staff username or agency code"),
        max_length=60,
        required=False,
    )
    party_name = forms.CharField(label=_("Dealer's name"), max_length=100, required=False)
    facts = forms.CharField(
        label=_("Facts"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5})
    )
    tags = forms.CharField(
        label=_("Tag numbers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "inputmode": "numeric"}),
        help_text=_("One per line."),
    )
    premises = forms.CharField(
        label=_("Premises codes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    documents = forms.CharField(
        label=_("Declaration or certificate numbers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Declarations start with SB."),
    )
    source = forms.CharField(widget=forms.HiddenInput, required=False)
    source_ref = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)

    def evidence(self) -> list[tuple[str, str]]:
        """(kind, ref) of every record typed, in the order of the fields."""
        found: list[tuple[str, str]] = []
        for name in ("tags", "premises", "documents"):
            for line in self.cleaned_data[name].splitlines():
                ref = line.strip()
                if not ref:
                    continue
                if name == "documents":
                    kind = "declaration" if ref.upper().startswith("SB") else "certificate"
                else:
                    kind = "tag" if name == "tags" else "premises"
                found.append((kind, ref))
        return found


class DecisionForm(forms.Form):
    decision = forms.CharField(
        label=_("Decision"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    penalty = forms.CharField(label=_("Penalty"), max_length=500, required=False)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Closing note"), max_length=500, required=False)
