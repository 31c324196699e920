from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from earmark.accounts.access import (
    can_read_region,
    farm_vet_only,
    jurisdiction_q,
    require_region,
)
from earmark.accounts.models import User
from earmark.core.errors import NotFound, invalid
from earmark.core.models import Species
from earmark.core.species import species_label
from earmark.eartags.codes import LegacyCode, format_range, format_tag
from earmark.eartags.ranges import RangeSet
from earmark.eartags.selectors.checks import rows_among
from earmark.farms.models import Premises
from earmark.immunization.models import (
    Animal,
    AnimalTag,
    CompulsoryDisease,
    Disease,
    FarmVet,
    ImmunizationRecord,
    ImmunizedAnimal,
    LegacyImmunization,
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
    """Protection as a user may read it: animals kept in another jurisdiction come back only as
    "not in your jurisdiction", with no species, dates or reasons."""
    report = protection_check(numbers=numbers, on=on)
    pieces = [
        segment
        if not segment.township_code or can_read_region(user, segment.township_code)
        else ProtectionSegment(
            segment.first, segment.last, "", problems=[_("not in your jurisdiction")]
        )
        for segment in report.segments
    ]
    return ProtectionReport(on=on, segments=_merged(pieces))


def animal_protected(animal: Animal, on: date) -> bool:
    records = _records_by_animal([animal.pk]).get(animal.pk, [])
    return all(
        disease_protection(records, d, on).protected
        for d in compulsory_for(species=animal.species, county_code=animal.county_code)
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


def legacy_records(*, user: User, code: LegacyCode) -> list[LegacyImmunization]:
    """The legacy records of an 8-digit code the user may read; given with an add-on code,
    only those of that basic prevention unit."""
    rows = LegacyImmunization.objects.filter(code=code.text).select_related("premises")
    if code.addon:
        rows = rows.filter(addon=code.addon)
    return [r for r in rows if _readable(user, r.county_code)]


def _readable(user: User, county_code: str) -> bool:
    return can_read_region(user, county_code)


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


def farm_vet_list(*, user: User) -> QuerySet[FarmVet]:
    """The approvals of farm veterinarians in the user's jurisdiction (a farm veterinarian:
    his own)."""
    approvals = FarmVet.objects.select_related("user", "premises")
    if farm_vet_only(user):
        return approvals.filter(user=user).order_by("-approved_at", "-id")
    return approvals.filter(jurisdiction_q(user, "premises__township__code")).order_by(
        "-approved_at", "-id"
    )


def farm_vet_get(*, user: User, approval_id: int) -> FarmVet:
    found = farm_vet_list(user=user).filter(pk=approval_id).first()
    if found is None:
        raise NotFound()
    return found


def farm_vet_premises(*, user: User) -> list[tuple[str, str]]:
    """The farms a farm veterinarian is approved for, for the immunization form's select."""
    rows = (
        FarmVet.objects.filter(user=user, status=FarmVet.Status.APPROVED)
        .select_related("premises")
        .order_by("premises__name")
    )
    return [(a.premises.code, f"{a.premises.name}（{a.premises.code}）") for a in rows]
