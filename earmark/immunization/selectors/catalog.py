"""The catalogue: vaccines, diseases and the species followed, with their compulsory diseases."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from earmark.core.errors import NotFound, invalid
from earmark.core.models import Species
from earmark.core.species import species_label
from earmark.immunization.models import (
    CompulsoryDisease,
    Disease,
    Vaccine,
)


def vaccine_get(vaccine_id: int) -> Vaccine:
    vaccine = vaccine_find(vaccine_id)
    if vaccine is None:
        raise NotFound()
    return vaccine


def vaccine_find(vaccine_id: int | None) -> Vaccine | None:
    """The catalogue's vaccine, or None for no or an unknown id (the service says which)."""
    return Vaccine.objects.filter(pk=vaccine_id).first() if vaccine_id else None


def vaccine_chosen(vaccine_id: int | None) -> Vaccine:
    """The vaccine a session names, or a refusal on the vaccine field."""
    vaccine = vaccine_find(vaccine_id)
    if vaccine is None:
        message = _("Choose a vaccine from the catalogue.")
        raise invalid(message, {"vaccine": message})
    return vaccine


def disease_list() -> QuerySet[Disease]:
    return Disease.objects.all()


@dataclass(frozen=True)
class SpeciesRow:
    code: str
    name: str
    name_en: str
    label: str
    unit: str
    digits: list[int]
    aliases: list[str]
    diseases: list[str]  # compulsory everywhere in the province
    disease_names: list[str]


def species_list() -> list[SpeciesRow]:
    """The species followed, in the table's order, each with its tag digits and its
    province-wide compulsory diseases."""
    compulsory: dict[str, list[Disease]] = {}
    for row in CompulsoryDisease.objects.filter(county_code="").select_related("disease"):
        compulsory.setdefault(row.species, []).append(row.disease)
    return [
        SpeciesRow(
            code=s.code,
            name=s.name,
            name_en=s.name_en,
            label=species_label(s.code),
            unit=s.unit,
            digits=sorted(d.digit for d in s.digits.all()),
            aliases=[a for a in s.aliases.split(",") if a],
            diseases=[d.code for d in compulsory.get(s.code, [])],
            disease_names=[d.name for d in compulsory.get(s.code, [])],
        )
        for s in Species.objects.prefetch_related("digits")
    ]


def compulsory_list() -> QuerySet[CompulsoryDisease]:
    return CompulsoryDisease.objects.select_related("disease")


def vaccine_list(*, active_only: bool = False) -> QuerySet[Vaccine]:
    vaccines = Vaccine.objects.prefetch_related("diseases")
    return vaccines.filter(is_active=True) if active_only else vaccines
