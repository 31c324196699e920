"""Immunization sessions and the animals they cover; an animal by any of its tags; the 2002-system
records; the immunization lines a certificate prints."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from earmark.accounts.access import (
    can_read_region,
    farm_vet_only,
    jurisdiction_q,
    require_region,
)
from earmark.accounts.models import User
from earmark.core.errors import NotFound
from earmark.eartags.codes import LegacyCode, format_tag
from earmark.eartags.ranges import RangeSet
from earmark.immunization.models import (
    Animal,
    AnimalTag,
    ImmunizationRecord,
    ImmunizedAnimal,
    LegacyImmunization,
    Vaccine,
)
from earmark.immunization.selectors.protection import (
    DiseaseProtection,
    _diseases_covered,
    _records_by_animal,
    compulsory_for,
    disease_protection,
    tag_carriers,
)


@dataclass
class AnimalDetail:
    animal: Animal
    tags: list[AnimalTag]
    records: list[ImmunizationRecord]
    protection: list[DiseaseProtection]


def animal_detail(*, user: User, number: int, on: date) -> AnimalDetail:
    application = (
        AnimalTag.objects.select_related("animal__premises__township").filter(tag_id=number).first()
    )
    if application is None:
        raise NotFound(_("No animal carries tag %(tag)s.") % {"tag": format_tag(number)})
    animal = application.animal
    require_region(user, animal.premises.township_id)
    records = _records_by_animal([animal.pk]).get(animal.pk, [])
    return AnimalDetail(
        animal=animal,
        tags=list(animal.tags.select_related("tag", "applied_by").order_by("applied_on", "id")),
        records=sorted(records, key=lambda r: (r.vaccinated_on, r.pk)),
        protection=[
            disease_protection(records, d, on)
            for d in compulsory_for(species=animal.species, county_code=animal.county_code)
        ],
    )


def record_list(
    *, user: User, premises_code: str = "", species: str = ""
) -> QuerySet[ImmunizationRecord]:
    records = (
        ImmunizationRecord.objects.filter(jurisdiction_q(user, "township_code"))
        .select_related("premises", "vaccine", "vaccinator")
        .prefetch_related("vaccine__diseases")
    )
    if farm_vet_only(user):
        # A farm's veterinarian sees the sessions he recorded, not the township's.
        records = records.filter(vaccinator=user)
    if premises_code:
        records = records.filter(premises__code=premises_code)
    if species:
        records = records.filter(species=species)
    return records.order_by("-vaccinated_on", "-id")


def record_get(*, user: User, number: str) -> ImmunizationRecord:
    record = record_list(user=user).filter(number=number).first()
    if record is None:
        raise NotFound()
    return record


def record_animals(*, record: ImmunizationRecord, limit: int = 500) -> list[ImmunizedAnimal]:
    """The animals of a session with their tags, for its page (at most ``limit``)."""
    return list(record.animals.select_related("animal").prefetch_related("animal__tags")[:limit])


def legacy_records(*, user: User, code: LegacyCode) -> list[LegacyImmunization]:
    """The legacy records of an 8-digit code the user may read; given with an add-on code,
    only those of that basic prevention unit."""
    rows = LegacyImmunization.objects.filter(code=code.text).select_related("premises")
    if code.addon:
        rows = rows.filter(addon=code.addon)
    return [r for r in rows if _readable(user, r.county_code)]


def _readable(user: User, county_code: str) -> bool:
    return can_read_region(user, county_code)


@dataclass(frozen=True)
class ImmunizationLine:
    """One line of a certificate's 免疫情况: a compulsory disease, the vaccines of the animals'
    latest vaccinations against it and the span of their dates (None: never vaccinated)."""

    disease: str
    vaccines: tuple[str, ...]
    first: date | None
    last: date | None
    animals: int


def immunization_summary(
    *, numbers: RangeSet, species: str, county_code: str, on: date
) -> list[ImmunizationLine]:
    """What a certificate says of the animals carrying ``numbers`` (art. 17): for each
    compulsory disease of their species, the vaccines and dates of each animal's latest
    vaccination against it up to ``on``. Three queries, however many animals."""
    animal_ids = sorted({carrier.pk for carrier in tag_carriers(numbers).values()})
    rows = list(
        ImmunizedAnimal.objects.filter(
            animal_id__in=animal_ids, record__vaccinated_on__lte=on
        ).values_list("animal_id", "record__vaccinated_on", "record__vaccine_id")
    )
    names = dict(Vaccine.objects.filter(pk__in={r[2] for r in rows}).values_list("pk", "name"))
    covers = _diseases_covered(set(names))
    lines = []
    for disease in compulsory_for(species=species, county_code=county_code):
        latest: dict[int, tuple[date, int]] = {}
        for animal, on_day, vaccine in rows:
            if disease.code in covers.get(vaccine, ()) and (
                animal not in latest or on_day > latest[animal][0]
            ):
                latest[animal] = (on_day, vaccine)
        days = [day for day, _vaccine in latest.values()]
        lines.append(
            ImmunizationLine(
                disease=disease.name,
                vaccines=tuple(sorted({names[v] for _day, v in latest.values()})),
                first=min(days, default=None),
                last=max(days, default=None),
                animals=len(latest),
            )
        )
    return lines
