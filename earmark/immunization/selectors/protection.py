"""Which animals are protected, against which compulsory disease, on a day: by the vaccinations
recorded against their tags, with the reason where not."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count
from django.utils.translation import gettext as _

from earmark.accounts.access import (
    can_read_region,
)
from earmark.accounts.models import User
from earmark.eartags.codes import format_range
from earmark.eartags.ranges import RangeSet
from earmark.eartags.selectors.checks import rows_among
from earmark.farms.models import Premises
from earmark.immunization.models import (
    Animal,
    AnimalTag,
    CompulsoryDisease,
    Disease,
    ImmunizationRecord,
    ImmunizedAnimal,
    Vaccine,
)


@dataclass(frozen=True)
class DiseaseProtection:
    disease: str
    name: str
    protected: bool
    until: date | None
    reason: str = ""


@dataclass
class ProtectionSegment:
    first: int
    last: int
    animal_species: str
    diseases: list[DiseaseProtection] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # Where the animal is now (its premises' township); empty when on no animal.
    township_code: str = ""

    @property
    def count(self) -> int:
        return self.last - self.first + 1

    @property
    def text(self) -> str:
        return format_range(self.first, self.last)


@dataclass
class ProtectionReport:
    on: date
    segments: list[ProtectionSegment]

    @property
    def ok(self) -> bool:
        return all(not s.problems for s in self.segments)

    @property
    def unprotected(self) -> int:
        return sum(s.count for s in self.segments if s.problems)


def compulsory_for(*, species: str, county_code: str) -> list[Disease]:
    """The diseases an animal of ``species`` in ``county_code`` must be protected against."""
    rows = CompulsoryDisease.objects.filter(species=species, county_code__in=["", county_code])
    return list(Disease.objects.filter(compulsory__in=rows).distinct().order_by("code"))


def _records_by_animal(animal_ids: list[int]) -> dict[int, list[ImmunizationRecord]]:
    """Each animal's immunization records; a record shared by many animals (one session) is
    read, with its vaccine's diseases, once."""
    pairs = list(
        ImmunizedAnimal.objects.filter(animal_id__in=animal_ids).values_list(
            "animal_id", "record_id"
        )
    )
    records = ImmunizationRecord.objects.filter(pk__in={r for _, r in pairs}).select_related(
        "vaccine"
    )
    by_id = {r.pk: r for r in records.prefetch_related("vaccine__diseases")}
    result: dict[int, list[ImmunizationRecord]] = {}
    for animal_id, record_id in pairs:
        result.setdefault(animal_id, []).append(by_id[record_id])
    return result


@dataclass(frozen=True)
class Vaccination:
    """What protection needs of one vaccination: its day, how long it protects, and the
    diseases its vaccine covers."""

    pk: int
    vaccinated_on: date
    protection_days: int
    diseases: frozenset[str]

    @classmethod
    def of(cls, record: ImmunizationRecord) -> Vaccination:
        codes = frozenset(d.code for d in record.vaccine.diseases.all())
        return cls(record.pk, record.vaccinated_on, record.protection_days, codes)


def _diseases_covered(vaccine_ids: set[int]) -> dict[int, set[str]]:
    """The disease codes each vaccine covers, in one query."""
    covers: dict[int, set[str]] = {}
    for vaccine, disease in Vaccine.diseases.through.objects.filter(
        vaccine_id__in=vaccine_ids
    ).values_list("vaccine_id", "disease_id"):
        covers.setdefault(vaccine, set()).add(disease)
    return covers


def _vaccinations_by_animal(animal_ids: list[int]) -> dict[int, list[Vaccination]]:
    """Each animal's vaccinations as plain values: two queries, however many animals."""
    rows = list(
        ImmunizedAnimal.objects.filter(animal_id__in=animal_ids).values_list(
            "animal_id",
            "record_id",
            "record__vaccinated_on",
            "record__protection_days",
            "record__vaccine_id",
        )
    )
    covers = _diseases_covered({row[4] for row in rows})
    result: dict[int, list[Vaccination]] = {}
    for animal, record, on, days, vaccine in rows:
        result.setdefault(animal, []).append(
            Vaccination(record, on, days, frozenset(covers.get(vaccine, ())))
        )
    return result


def disease_protection(
    records: list[ImmunizationRecord] | list[Vaccination], disease: Disease, on: date
) -> DiseaseProtection:
    """Whether the latest vaccination against ``disease`` up to ``on`` still protects."""
    sessions = [r if isinstance(r, Vaccination) else Vaccination.of(r) for r in records]
    relevant = sorted(
        (r for r in sessions if disease.code in r.diseases), key=lambda r: r.vaccinated_on
    )
    before = [r for r in relevant if r.vaccinated_on <= on]
    if not before:
        reason = (
            _("vaccinated against %(disease)s only after %(date)s")
            if relevant
            else _("never vaccinated against %(disease)s")
        ) % {"disease": disease.name, "date": on.isoformat()}
        return DiseaseProtection(disease.code, disease.name, False, None, reason)
    latest = before[-1]
    until = latest.vaccinated_on + timedelta(days=latest.protection_days - 1)
    if on > until:
        return DiseaseProtection(
            disease.code,
            disease.name,
            False,
            until,
            _("protection against %(disease)s ended on %(date)s")
            % {"disease": disease.name, "date": until.isoformat()},
        )
    return DiseaseProtection(disease.code, disease.name, True, until)


@dataclass(frozen=True)
class Carrier:
    """The animal that carries a tag, as the checks of a declaration need it."""

    pk: int
    species: str
    county_code: str
    township_code: str
    premises_id: int
    # The tag's first holder, as recorded when it was applied (``premises:…``, ``vaccinator:…``).
    source_holder: str
    # Non-empty for an animal that came under a certificate.
    arrived_from: str


def tag_carriers(numbers: RangeSet) -> dict[int, Carrier]:
    """The animal carrying each of ``numbers`` that is on one, in one read."""
    rows = AnimalTag.objects.values_list(
        "tag_id",
        "animal_id",
        "animal__species",
        "animal__county_code",
        "animal__premises__township_id",
        "animal__premises_id",
        "source_holder",
        "animal__arrived_from",
        named=True,
    )
    return {row[0]: Carrier(*row[1:]) for row in rows_among(numbers, rows, column="tag_id")}


def protection_check(
    *, numbers: RangeSet, on: date, carriers: dict[int, Carrier] | None = None
) -> ProtectionReport:
    """For tags and a date: which animals are protected against each compulsory disease of
    their species on that date, and for the others, why not. Grouped by range. ``carriers``:
    the tags' animals, where the caller has read them already."""
    applications = tag_carriers(numbers) if carriers is None else carriers
    records = _vaccinations_by_animal(list({a.pk for a in applications.values()}))
    compulsory: dict[tuple[str, str], list[Disease]] = {}
    # Animals vaccinated in the same sessions are protected alike: judged once.
    judged: dict[tuple[str, str, tuple[int, ...]], list[DiseaseProtection]] = {}
    pieces: list[ProtectionSegment] = []
    for number in numbers.expand():
        animal = applications.get(number)
        if animal is None:
            pieces.append(ProtectionSegment(number, number, "", problems=[_("not on any animal")]))
            continue
        key = (animal.species, animal.county_code)
        if key not in compulsory:
            compulsory[key] = compulsory_for(species=animal.species, county_code=animal.county_code)
        history = records.get(animal.pk, [])
        sessions = (*key, tuple(r.pk for r in history))
        if sessions not in judged:
            judged[sessions] = [disease_protection(history, d, on) for d in compulsory[key]]
        diseases = judged[sessions]
        pieces.append(
            ProtectionSegment(
                number,
                number,
                animal.species,
                diseases=diseases,
                problems=[d.reason for d in diseases if not d.protected],
                township_code=animal.township_code,
            )
        )
    return ProtectionReport(on=on, segments=_merged(pieces))


def _merged(pieces: list[ProtectionSegment]) -> list[ProtectionSegment]:
    merged: list[ProtectionSegment] = []
    for piece in pieces:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and previous.last + 1 == piece.first
            and (
                previous.animal_species,
                previous.problems,
                [d.until for d in previous.diseases],
                previous.township_code,
            )
            == (
                piece.animal_species,
                piece.problems,
                [d.until for d in piece.diseases],
                piece.township_code,
            )
        ):
            previous.last = piece.last
        else:
            merged.append(piece)
    return merged


def protection_check_visible(*, user: User, numbers: RangeSet, on: date) -> ProtectionReport:
    """Protection as a user may read it: a tag on an animal kept in another jurisdiction reads
    exactly as a tag on no animal — whether it is on an animal at all is that jurisdiction's
    fact (#34)."""
    report = protection_check(numbers=numbers, on=on)
    pieces = [
        segment
        if not segment.township_code or can_read_region(user, segment.township_code)
        else ProtectionSegment(segment.first, segment.last, "", problems=[_("not on any animal")])
        for segment in report.segments
    ]
    return ProtectionReport(on=on, segments=_merged(pieces))


def animal_protected(animal: Animal, on: date) -> bool:
    records = _records_by_animal([animal.pk]).get(animal.pk, [])
    return all(
        disease_protection(records, d, on).protected
        for d in compulsory_for(species=animal.species, county_code=animal.county_code)
    )


def arrived_among(*, premises: Premises, carriers: dict[int, Carrier]) -> RangeSet:
    """Tags (of ``carriers``, the animals read already) on animals that came to ``premises``
    under a certificate it received (their history holds the arrival), as opposed to animals
    tagged there."""
    return RangeSet.from_numbers(
        number
        for number, carrier in carriers.items()
        if carrier.premises_id == premises.pk and carrier.arrived_from
    )


def tagged_by_species(premises: Premises) -> dict[str, int]:
    return dict(
        Animal.objects.filter(premises=premises, status=Animal.Status.ALIVE)
        .values_list("species")
        .annotate(n=Count("id"))
        .values_list("species", "n")
    )
