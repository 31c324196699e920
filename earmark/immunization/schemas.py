"""What the immunization API takes and answers: its request and response schemas."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar, Literal

from ninja import Field, Schema

from earmark.core.models import Species
from earmark.core.schemas import Day, In, SpeciesCode
from earmark.eartags.codes import format_tag
from earmark.immunization.models import (
    Animal,
    AnimalTag,
    Disease,
    FarmVet,
    ImmunizationRecord,
    Vaccine,
)


class DiseaseOut(Schema):
    code: str
    name: str


class VaccineOut(Schema):
    id: int
    name: str
    diseases: list[DiseaseOut]
    kind: str
    manufacturer: str
    protection_days: int
    species: list[str]
    is_active: bool

    @staticmethod
    def resolve_diseases(vaccine: Vaccine) -> list[Disease]:
        return list(vaccine.diseases.all())

    @staticmethod
    def resolve_species(vaccine: Vaccine) -> list[str]:
        return vaccine.species_list


class VaccineIn(In):
    keeps_in = Vaccine
    name: str
    diseases: list[str]
    kind: Vaccine.Kind
    manufacturer: str
    protection_days: int
    species: list[SpeciesCode]


class CompulsoryOut(Schema):
    species: str
    disease: str
    county_code: str

    @staticmethod
    def resolve_disease(row: Any) -> str:
        return str(row.disease_id)


class SpeciesOut(Schema):
    code: str
    name: str = Field(description="the Chinese name, as on documents")
    name_en: str
    label: str = Field(description="the name in the reader's language")
    unit: str = Field(description="the measure word of certificates: 头, 只, 匹")
    digits: list[int] = Field(description="first digits of its 15-digit tag codes")
    aliases: list[str] = Field(description="other names sheets use for it")
    diseases: list[str] = Field(description="codes of its province-wide compulsory diseases")


class SpeciesIn(In):
    keeps_in = Species
    code: str = Field(description="2–10 lower-case letters, digits or underscores: horse")
    name: str
    name_en: str
    unit: str
    digits: list[int] = Field(max_length=9, description="first digits of its tag codes, 1–9")
    diseases: list[str] = Field([], max_length=20, description="codes of `GET /api/v1/diseases`")
    aliases: list[str] = Field([], max_length=10)


class CompulsoryIn(In):
    species: SpeciesCode
    disease: str
    county_code: str = ""
    on: bool = True


class AnimalIn(In):
    keeps_in = Animal
    birth_date: date | None = None
    sex: Animal.Sex = Animal.Sex.UNKNOWN
    breed: str = ""
    is_breeding: bool = False
    is_dairy: bool = False
    dam_tag: str = ""


class ImmunizationIn(In):
    keeps_in = ImmunizationRecord
    premises: str
    species: SpeciesCode
    vaccine_id: int
    batch_number: str
    vaccinated_on: date | None = None
    vaccinated_at: datetime | None = None
    seller: str = ""
    disinfection: str = Field(
        "",
        description="How tags and pliers were disinfected; required when tags are applied "
        "(MoA Order 13 art. 15)",
    )
    pliers: str = Field("", description="Serial of the pliers used, one you hold")
    age: int | None = None
    age_unit: Literal["", "days", "months"] = ""
    campaign: ImmunizationRecord.Campaign = ImmunizationRecord.Campaign.ROUTINE
    tags: str
    animal: AnimalIn | None = Field(None, description="details of the animals, if known")
    renamed = {"numbers": "tags"}


class PlanOut(Schema):
    count: int
    tagged: int
    to_apply: int
    summary: str


class RecordOut(Schema):
    number: str
    premises: str = Field(alias="premises.code")
    premises_name: str = Field(alias="premises.name")
    owner_name: str
    species: str
    age: int | None
    age_unit: str
    vaccinated_on: date
    vaccine: str
    diseases: list[str]
    batch_number: str
    manufacturer: str
    seller: str
    disinfection: str
    pliers: str
    campaign: str
    protection_days: int
    count: int
    vaccinator: str
    vaccinator_number: str
    created_at: datetime
    incomplete: list[Literal["age", "seller"]] = Field(
        description="what Order 13 art. 9 lists that a record kept before the rule lacks"
    )

    @staticmethod
    def resolve_vaccine(record: ImmunizationRecord) -> str:
        return record.vaccine.name

    @staticmethod
    def resolve_diseases(record: ImmunizationRecord) -> list[str]:
        return [d.code for d in record.vaccine.diseases.all()]

    @staticmethod
    def resolve_vaccinator(record: ImmunizationRecord) -> str:
        return str(record.vaccinator)


class ProtectionIn(In):
    renamed = {"numbers": "tags"}
    tags: str
    on: date | None = None


class ReplacementIn(In):
    keeps_in = ImmunizationRecord
    new: str
    reason: Literal["lost", "damaged", "reimmunization"]
    note: str = ""
    # For "reimmunization": the vaccination given with the new tag, in the same step.
    vaccine_id: int | None = None
    batch_number: str = ""
    seller: str = ""
    age: int | None = Field(None, description="for re-immunization: the animal's age (art. 9)")
    age_unit: Literal["", "days", "months"] = ""
    disinfection: str = Field("", description="How tag and pliers were disinfected (art. 15)")
    pliers: str = Field("", description="The serial of the pliers used, one you hold")


class FarmVetIn(In):
    keeps_in = FarmVet
    premises: str = Field(description="The farm's code")
    username: str = Field(max_length=150, description="The veterinarian's account")
    certificate_number: str
    species: list[SpeciesCode] = Field(max_length=3)
    valid_from: Day
    valid_until: Day


class FarmVetOut(Schema):
    id: int
    premises: str = Field(alias="premises.code")
    premises_name: str = Field(alias="premises.name")
    username: str = Field(alias="user.username")
    certificate_number: str
    species: list[str]
    valid_from: date
    valid_until: date
    status: str
    revoked_reason: str


class FarmVetRevokeIn(In):
    keeps_in = FarmVet
    columns: ClassVar[dict[str, str]] = {"reason": "revoked_reason"}
    reason: str


class AnimalTagOut(Schema):
    """One tag the animal carries or carried."""

    number: str = Field(description="15 digits")
    ear: str
    reason: str = Field(description="first, lost, damaged or reimmunization")
    state: str = Field(validation_alias="tag.state")
    applied_on: date
    replaces: str | None = Field(description="the tag this one replaced")

    @staticmethod
    def resolve_number(application: AnimalTag) -> str:
        return format_tag(application.tag_id)

    @staticmethod
    def resolve_replaces(application: AnimalTag) -> str | None:
        return format_tag(application.replaces_id) if application.replaces_id else None


class AnimalImmunizationOut(Schema):
    number: str
    vaccinated_on: date
    vaccine: str = Field(validation_alias="vaccine.name")
    batch_number: str


class DiseaseProtectionOut(Schema):
    disease: str
    name: str
    protected: bool
    until: date | None
    reason: str


class LegacyRecordOut(Schema):
    """A record of the 2002 immunization tag (MoA Order 13)."""

    addon: str
    postal_code: str
    vaccinator_number: str
    premises: str | None = Field(validation_alias="premises.code", default=None)
    species: str
    vaccinated_on: date
    vaccine: str = Field(validation_alias="vaccine_name")
    batch_number: str


class AnimalOut(Schema):
    """An animal found by any of its tags, with its tags, immunizations and protection today;
    or, for an 8-digit legacy tag (``legacy``), the records kept under it."""

    legacy: bool
    code: str = Field("", description="the legacy tag as read (legacy answers only)")
    records: list[LegacyRecordOut] = Field([], description="legacy answers only")
    id: int | None = None
    species: str = ""
    status: str = ""
    premises: str = ""
    premises_name: str = ""
    sex: str = ""
    birth_date: date | None = None
    breed: str = ""
    is_breeding: bool = False
    is_dairy: bool = False
    dam_tag: str | None = None
    tags: list[AnimalTagOut] = []
    immunizations: list[AnimalImmunizationOut] = []
    protection: list[DiseaseProtectionOut] = []
