from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from earmark.rollout.models import Publicity


def _day(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )


def _text(label: Any, rows: int, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=2000,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    since = _day(_("Period from"))
    until = _day(_("Period to"))
    due_on = _day(_("Due on"))


class ReportForm(forms.Form):
    progress = _text(_("Progress"), 4)
    problems = _text(_("Problems"), 3, required=False)
    next_steps = _text(_("Next steps"), 3, required=False)


class InspectionForm(forms.Form):
    """A visit: the county, the day, the team, the findings and the fixes required, one per line
    as "deadline requirement" (2026-12-31 补齐乡镇站动监e通)."""

    county = forms.ChoiceField(label=_("County"))
    visited_on = _day(_("Visited on"))
    team = forms.CharField(label=_("Team"), max_length=200)
    findings = forms.CharField(
        label=_("Findings"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    fixes = forms.CharField(
        label=_("Fixes required"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: the deadline, then the fix, e.g. 2026-12-31 补齐终端配备."),
    )

    def __init__(self, *args: Any, counties: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["county"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *counties]

    def clean_fixes(self) -> list[tuple[str, date]]:
        fixes = []
        for number, line in enumerate(self.cleaned_data["fixes"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            deadline, _space, requirement = line.partition(" ")
            try:
                day = date.fromisoformat(deadline)
            except ValueError:
                raise forms.ValidationError(
                    _("Line %(n)d: start with the deadline, e.g. 2026-12-31."), params={"n": number}
                ) from None
            fixes.append((requirement.strip(), day))
        return fixes


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("What was done"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class LeadingGroupForm(forms.Form):
    leader = forms.CharField(label=_("Head of the leading group"), max_length=100)
    members = forms.CharField(label=_("Members"), max_length=500, required=False)
    liaison_name = forms.CharField(label=_("Liaison officer"), max_length=50)
    liaison_phone = forms.CharField(
        label=_("Liaison's phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )


class PublicityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Publicity.Kind.choices)
    title = forms.CharField(label=_("What was done"), max_length=100)
    held_on = _day(_("Held on"))
    reach = forms.IntegerField(
        label=_("People or copies reached"), min_value=1, max_value=10_000_000
    )


class BulletinForm(forms.Form):
    period = forms.RegexField(
        label=_("Month reported"),
        regex=r"^\d{4}-\d{2}$",
        widget=forms.DateInput(attrs={"type": "month"}),
        error_messages={"invalid": _("A period is a month, written like 2026-11.")},
    )
    recipients = forms.CharField(label=_("Sent to (主送)"), max_length=200, required=False)
    copies_to = forms.CharField(label=_("Copied to (抄送)"), max_length=300, required=False)
    corrects = forms.TypedChoiceField(
        label=_("Corrects"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, issued: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[Any, Any]] = [("", _("— none: a new bulletin —"))]
        self.fields["corrects"].choices = choices + issued  # type: ignore[attr-defined]
