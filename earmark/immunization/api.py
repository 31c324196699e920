from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from earmark.accounts.access import request_user
from earmark.accounts.models import User
from earmark.core.errors import BusinessError, NotFound
from earmark.core.species import species_digits
from earmark.eartags.codes import format_tag, is_legacy, parse_legacy, parse_tag
from earmark.eartags.errors import NOT_A_TAG_NUMBER
from earmark.eartags.messages import parse_one_tag, read_numbers
from earmark.farms.selectors import premises_get
from earmark.immunization.models import (
    Disease,
    FarmVet,
    ImmunizationRecord,
    Vaccine,
)
from earmark.immunization.schemas import (
    AnimalIn,
    AnimalOut,
    CompulsoryIn,
    CompulsoryOut,
    DiseaseOut,
    FarmVetIn,
    FarmVetOut,
    FarmVetRevokeIn,
    ImmunizationIn,
    PlanOut,
    ProtectionIn,
    RecordOut,
    ReplacementIn,
    SpeciesIn,
    SpeciesOut,
    VaccineIn,
    VaccineOut,
)
from earmark.immunization.selectors import catalog as catalog_reads
from earmark.immunization.selectors import farm_vets as farm_vets_reads
from earmark.immunization.selectors import protection as protection_reads
from earmark.immunization.selectors import records as records_reads
from earmark.immunization.services import (
    catalog,
    farm_vets,
    legacy,
    records,
    retagging,
    tagging,
)

router = Router(tags=["immunization"])
tag_router = Router(tags=["immunization"])
species_router = Router(tags=["species"])
UPLOAD = File(...)


def _session(user: User, payload: ImmunizationIn) -> tuple[Any, records.Session]:
    premises = premises_get(user=user, code=payload.premises)
    vaccine = catalog_reads.vaccine_chosen(payload.vaccine_id)
    moment = payload.vaccinated_at
    return premises, records.Session(
        species=payload.species,
        vaccine=vaccine,
        batch_number=payload.batch_number,
        vaccinated_on=payload.vaccinated_on
        or (timezone.localtime(moment).date() if moment else timezone.localdate()),
        vaccinated_at=moment,
        seller=payload.seller,
        disinfection=payload.disinfection,
        pliers=payload.pliers,
        age=payload.age,
        age_unit=payload.age_unit,
        campaign=payload.campaign,
    )


def _details(given: AnimalIn | None) -> tagging.AnimalDetails:
    animal = given or AnimalIn()
    dam = parse_one_tag(animal.dam_tag) if animal.dam_tag else None
    return tagging.AnimalDetails(
        birth_date=animal.birth_date,
        sex=animal.sex,
        breed=animal.breed,
        is_breeding=animal.is_breeding,
        is_dairy=animal.is_dairy,
        dam_tag=dam,
    )


@router.get("/diseases", response=list[DiseaseOut], summary="Diseases immunized against")
@paginate
def diseases_list(request: HttpRequest) -> list[Disease]:
    return list(catalog_reads.disease_list())


@router.get("/vaccines", response=list[VaccineOut], summary="The vaccine catalogue")
@paginate
def vaccines_list(request: HttpRequest, active: bool = False) -> list[Vaccine]:
    return list(catalog_reads.vaccine_list(active_only=active))


@router.post("/vaccines", response={201: VaccineOut}, summary="Add a vaccine (province)")
def vaccines_create(request: HttpRequest, payload: VaccineIn) -> Status[Vaccine]:
    return Status(201, catalog.vaccine_create(actor=request_user(request), **payload.dict()))


@router.post("/vaccines/{vaccine_id}/revoke", response=VaccineOut, summary="Withdraw a vaccine")
def vaccines_revoke(request: HttpRequest, vaccine_id: int) -> Vaccine:
    vaccine = catalog_reads.vaccine_get(vaccine_id)
    return catalog.vaccine_set_active(actor=request_user(request), vaccine=vaccine, active=False)


@species_router.get("/species", response=list[SpeciesOut], summary="The species followed")
@paginate
def species_list(request: HttpRequest) -> list[Any]:
    return catalog_reads.species_list()


@species_router.post("/species", response={201: SpeciesOut}, summary="Add a species (province)")
def species_create(request: HttpRequest, payload: SpeciesIn) -> Status[Any]:
    added = catalog.species_add(
        actor=request_user(request), data=catalog.NewSpecies(**payload.dict())
    )
    return Status(201, next(s for s in catalog_reads.species_list() if s.code == added.code))


@router.get(
    "/compulsory-diseases", response=list[CompulsoryOut], summary="Compulsory immunizations"
)
@paginate
def compulsory_diseases_list(request: HttpRequest) -> list[Any]:
    return list(catalog_reads.compulsory_list())


@router.put(
    "/compulsory-diseases", response=list[CompulsoryOut], summary="Set a compulsory disease"
)
def compulsory_diseases_set(request: HttpRequest, payload: CompulsoryIn) -> list[Any]:
    catalog.compulsory_set(actor=request_user(request), **payload.dict())
    return list(catalog_reads.compulsory_list())


@router.post("/immunizations/preview", response=PlanOut, summary="What recording would do")
def immunizations_preview(request: HttpRequest, payload: ImmunizationIn) -> dict[str, Any]:
    user = request_user(request)
    premises, session = _session(user, payload)
    outcome = records.immunization_preview(
        actor=user,
        premises=premises,
        session=session,
        numbers=read_numbers(payload.tags),
        details=_details(payload.animal),
    )
    return {
        "count": outcome.count,
        "tagged": outcome.tagged,
        "to_apply": outcome.applied.count,
        "summary": outcome.summary,
    }


@router.post("/immunizations", response={201: RecordOut}, summary="Record an immunization")
def immunizations_create(
    request: HttpRequest, payload: ImmunizationIn
) -> Status[ImmunizationRecord]:
    user = request_user(request)
    premises, session = _session(user, payload)
    record = records.immunization_record(
        actor=user,
        premises=premises,
        session=session,
        numbers=read_numbers(payload.tags),
        details=_details(payload.animal),
    )
    return Status(201, record)


@router.get("/immunizations", response=list[RecordOut], summary="Immunization records")
@paginate
def immunizations_list(request: HttpRequest, premises: str = "", species: str = "") -> object:
    return records_reads.record_list(
        user=request_user(request), premises_code=premises, species=species
    )


@router.post(
    "/immunizations/check",
    response=dict[str, Any],
    summary="Which animals are protected on a date",
)
def immunizations_check(request: HttpRequest, payload: ProtectionIn) -> dict[str, Any]:
    on = payload.on or timezone.localdate()
    report = protection_reads.protection_check_visible(
        user=request_user(request), numbers=read_numbers(payload.tags), on=on
    )
    return {
        "on": on,
        "ok": report.ok,
        "unprotected": report.unprotected,
        "segments": [
            {
                "first": format_tag(s.first),
                "last": format_tag(s.last),
                "count": s.count,
                "species": s.animal_species,
                "diseases": [d.__dict__ for d in s.diseases],
                "problems": s.problems,
            }
            for s in report.segments
        ],
    }


@router.post(
    "/legacy-immunizations/import",
    response={201: dict[str, int]},
    summary="Import 2002-system records with 8-digit tags",
)
def legacy_immunizations_import(
    request: HttpRequest, file: UploadedFile = UPLOAD
) -> Status[dict[str, int]]:
    return Status(201, {"count": legacy.legacy_import(actor=request_user(request), handle=file)})


@router.get(
    "/animals/{tag}",
    response=AnimalOut,
    summary="An animal by any of its tags (or legacy records by an 8-digit tag, with or "
    "without its add-on code: 22010301-0123)",
)
def animals_get(request: HttpRequest, tag: str) -> dict[str, Any]:
    user = request_user(request)
    if is_legacy(tag):
        code = parse_legacy(tag)
        rows = records_reads.legacy_records(user=user, code=code)
        if not rows:
            raise NotFound(_("No records of the old tag %(tag)s.") % {"tag": code.full})
        return {"legacy": True, "code": code.full, "records": rows}
    detail = records_reads.animal_detail(user=user, number=_one(tag), on=timezone.localdate())
    animal = detail.animal
    return {
        "legacy": False,
        **{name: getattr(animal, name) for name in _ANIMAL_FIELDS},
        "id": animal.pk,
        "premises": animal.premises.code,
        "premises_name": animal.premises.name,
        "dam_tag": format_tag(animal.dam_tag) if animal.dam_tag else None,
        "tags": detail.tags,
        "immunizations": detail.records,
        "protection": detail.protection,
    }


_ANIMAL_FIELDS = ("species", "status", "sex", "birth_date", "breed", "is_breeding", "is_dairy")


def _one(text: str) -> int:
    try:
        return parse_tag(text, species=species_digits())
    except Exception as error:
        raise BusinessError(
            _("%(text)s is not a 15-digit tag number.") % {"text": text}, code=NOT_A_TAG_NUMBER
        ) from error


@tag_router.post(
    "/tags/{number}/replace", response={201: dict[str, Any]}, summary="Replace or add a tag"
)
def tags_replace(
    request: HttpRequest, number: str, payload: ReplacementIn
) -> Status[dict[str, Any]]:
    application = retagging.animal_retag(
        actor=request_user(request),
        old=number,
        new=payload.new,
        reason=payload.reason,
        note=payload.note,
        vaccine=catalog_reads.vaccine_find(payload.vaccine_id),
        batch_number=payload.batch_number,
        seller=payload.seller,
        age=payload.age,
        age_unit=payload.age_unit,
        disinfection=payload.disinfection,
        pliers=payload.pliers,
    )
    return Status(
        201,
        {
            "animal": application.animal_id,
            "number": format_tag(application.tag_id),
            "ear": application.ear,
            "replaces": format_tag(number_int) if (number_int := application.replaces_id) else None,
        },
    )


@router.get(
    "/farm-vets",
    response=list[FarmVetOut],
    summary="Farm veterinarians approved to immunize and tag their farm's animals (art. 13)",
)
@paginate
def farm_vets_list(request: HttpRequest) -> object:
    return farm_vets_reads.farm_vet_list(user=request_user(request))


@router.post("/farm-vets", response={201: FarmVetOut}, summary="Approve a farm's veterinarian")
def farm_vets_create(request: HttpRequest, payload: FarmVetIn) -> Status[FarmVet]:
    user = request_user(request)
    premises = premises_get(user=user, code=payload.premises)
    approval = farm_vets.Approval(
        username=payload.username,
        certificate_number=payload.certificate_number,
        species=list(payload.species),
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
    )
    return Status(201, farm_vets.farm_vet_approve(actor=user, premises=premises, approval=approval))


@router.post("/farm-vets/{approval_id}/revoke", response=FarmVetOut, summary="Revoke an approval")
def farm_vets_revoke(request: HttpRequest, approval_id: int, payload: FarmVetRevokeIn) -> FarmVet:
    user = request_user(request)
    approval = farm_vets_reads.farm_vet_get(user=user, approval_id=approval_id)
    return farm_vets.farm_vet_revoke(actor=user, approval=approval, reason=payload.reason)
