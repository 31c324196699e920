"""Immunization records (Order 13 art. 9): one vaccination session at one premises, signed by
the vaccinator; the tags are applied at the same time where the animals have none yet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.models import User
from earmark.audit.services import audit_record
from earmark.core.errors import BusinessError
from earmark.core.sequences import sequence_take
from earmark.core.species import Species
from earmark.eartags.checks import used_tags
from earmark.eartags.codes import format_tag
from earmark.eartags.messages import format_ranges
from earmark.eartags.models import Tag
from earmark.eartags.ranges import RangeSet
from earmark.exchange.outbox import outbox_emit
from earmark.farms.models import Premises
from earmark.immunization.models import (
    Animal,
    AnimalTag,
    ImmunizationRecord,
    ImmunizedAnimal,
    Vaccine,
)
from earmark.immunization.tagging import AnimalDetails, require_vaccinator, tags_apply


@dataclass(frozen=True)
class Session:
    """What the vaccinator enters for a session besides the tags."""

    species: str
    vaccine: Vaccine
    batch_number: str
    vaccinated_on: date
    seller: str = ""
    age: int | None = None
    age_unit: str = ""
    campaign: str = ImmunizationRecord.Campaign.ROUTINE


@dataclass
class Plan:
    """What confirming a session will do: animals already tagged here, tags to apply now."""

    tagged: list[Animal]
    to_apply: RangeSet

    @property
    def count(self) -> int:
        return len(self.tagged) + self.to_apply.count


def session_problems(session: Session) -> dict[str, str]:
    errors: dict[str, str] = {}
    if session.species not in Species.values:
        errors["species"] = _("Choose pig, cattle or sheep.")
    vaccine = session.vaccine
    if not vaccine.is_active:
        errors["vaccine"] = _("This vaccine has been withdrawn.")
    elif session.species not in vaccine.species_list:
        errors["vaccine"] = _("%(vaccine)s is not for %(species)s.") % {
            "vaccine": vaccine.name,
            "species": Species(session.species).label if session.species in Species.values else "",
        }
    if not session.batch_number.strip():
        errors["batch_number"] = _("Enter the batch number printed on the vaccine.")
    if session.vaccinated_on > timezone.localdate():
        errors["vaccinated_on"] = _("The date lies in the future.")
    if session.age is not None and session.age_unit not in ImmunizationRecord.AgeUnit.values:
        errors["age_unit"] = _("Say whether the age is in days or months.")
    if session.campaign not in ImmunizationRecord.Campaign.values:
        errors["campaign"] = _("Choose the campaign.")
    return errors


def immunization_plan(*, premises: Premises, species: str, numbers: RangeSet) -> Plan:
    """Sort the typed tags into animals already tagged at this premises and unused tags to apply;
    refuse tags that are on animals elsewhere, or lost, cancelled or otherwise out of use."""
    if not numbers:
        raise BusinessError(_("Enter the animals' tag numbers."), code="empty")
    used = {t.number: t for t in used_tags(numbers)}
    applications = {
        a.tag_id: a
        for a in AnimalTag.objects.filter(tag_id__in=list(used)).select_related("animal")
    }
    problems: list[str] = []
    tagged: list[Animal] = []
    for number, tag in sorted(used.items()):
        animal = applications[number].animal if number in applications else None
        if tag.state != Tag.State.APPLIED or animal is None:
            problems.append(
                _("%(tag)s is %(state)s")
                % {"tag": format_tag(number), "state": Tag.State(tag.state).label}
            )
        elif animal.premises_id != premises.pk:
            problems.append(
                _("%(tag)s is on an animal of another premises") % {"tag": format_tag(number)}
            )
        elif animal.species != species:
            problems.append(
                _("%(tag)s is on a %(species)s")
                % {"tag": format_tag(number), "species": Species(animal.species).label}
            )
        else:
            tagged.append(animal)
    if problems:
        raise BusinessError(
            _("Some tags cannot be vaccinated here: %(problems)s.")
            % {"problems": "；".join(problems[:20])},
            code="tag_state",
            detail={"problems": problems},
        )
    # An animal with two tags (replacement) is vaccinated once.
    animals = list({a.pk: a for a in tagged}.values())
    return Plan(tagged=animals, to_apply=numbers.difference(RangeSet.from_numbers(used)))


@transaction.atomic
def immunization_record(
    *,
    actor: User,
    premises: Premises,
    session: Session,
    numbers: RangeSet,
    details: AnimalDetails | None = None,
) -> ImmunizationRecord:
    """Record a vaccination session; tags not yet on animals are applied in the same step."""
    require_vaccinator(actor, premises)
    errors = session_problems(session)
    if errors:
        raise BusinessError(
            _("The immunization could not be recorded."), code="invalid", detail=errors
        )
    plan = immunization_plan(premises=premises, species=session.species, numbers=numbers)
    new_animals = tags_apply(
        actor=actor,
        premises=premises,
        species=session.species,
        numbers=plan.to_apply,
        details=details or AnimalDetails(),
        applied_on=session.vaccinated_on,
    )
    year = session.vaccinated_on.year
    sequence = sequence_take(f"immunization:{premises.county_code}:{year}")
    vaccinator = getattr(actor, "vaccinator", None)
    record = ImmunizationRecord.objects.create(
        number=f"MY{premises.county_code}{year}{sequence:06d}",
        premises=premises,
        county_code=premises.county_code,
        township_code=premises.township_id,
        owner_name=premises.owner_name,
        species=session.species,
        age=session.age,
        age_unit=session.age_unit if session.age is not None else "",
        vaccinated_on=session.vaccinated_on,
        vaccine=session.vaccine,
        batch_number=session.batch_number.strip()[:50],
        manufacturer=session.vaccine.manufacturer,
        seller=session.seller.strip()[:100],
        campaign=session.campaign,
        protection_days=session.vaccine.protection_days,
        count=plan.count,
        vaccinator=actor,
        vaccinator_number=vaccinator.number if vaccinator else "",
    )
    ImmunizedAnimal.objects.bulk_create(
        [ImmunizedAnimal(record=record, animal=a) for a in [*plan.tagged, *new_animals]],
        batch_size=1000,
    )
    outbox_emit(
        "immunization.recorded",
        f"premises:{premises.code}",
        {
            "number": record.number,
            "premises": premises.code,
            "species": record.species,
            "vaccine": session.vaccine.name,
            "diseases": sorted(d.code for d in session.vaccine.diseases.all()),
            "batch_number": record.batch_number,
            "vaccinated_on": record.vaccinated_on,
            "protection_days": record.protection_days,
            "count": record.count,
            "vaccinator_number": record.vaccinator_number,
            "tags": [
                f"{t.tag_id:015d}"
                for t in AnimalTag.objects.filter(animal__in=[*plan.tagged, *new_animals]).only(
                    "tag_id"
                )
            ],
        },
    )
    audit_record(
        actor=actor,
        action="immunization.record",
        obj=record,
        region_code=premises.township_id,
        details={
            "number": record.number,
            "vaccine": session.vaccine.name,
            "count": record.count,
            "tagged_now": len(new_animals),
        },
    )
    return record


def describe_plan(plan: Plan) -> str:
    return _("%(tagged)d animals tagged already, %(new)d new tags (%(ranges)s).") % {
        "tagged": len(plan.tagged),
        "new": plan.to_apply.count,
        "ranges": format_ranges(plan.to_apply) or "—",
    }
