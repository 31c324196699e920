"""A new tag in an animal's right ear: a replacement for a lost or damaged tag, or a
re-immunization tag, with its vaccination, for an animal from outside (Order 13 art. 14)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.models import User
from earmark.core.errors import BusinessError
from earmark.eartags.messages import parse_one_tag
from earmark.eartags.ranges import RangeSet
from earmark.immunization.errors import NOT_FROM_OUTSIDE, RETAGGING_REFUSED, STILL_PROTECTED
from earmark.immunization.models import AnimalTag, ImmunizationRecord, Vaccine
from earmark.immunization.selectors.protection import animal_protected
from earmark.immunization.services.records import Session, record_session, session_problems
from earmark.immunization.services.replacement import (
    animal_by_tag,
    arrived_from_outside,
    new_tag_problems,
    right_ear_tag,
    tag_replace,
    tagging_problems,
)
from earmark.immunization.services.tagging import require_vaccinator


@transaction.atomic
def animal_reimmunize(
    *,
    actor: User,
    old: str,
    new: str,
    vaccine: Vaccine | None,
    batch_number: str,
    seller: str = "",
    age: int | None = None,
    age_unit: str = "",
    note: str = "",
    disinfection: str = "",
    pliers: str = "",
) -> AnimalTag:
    """An animal brought in from another county or province is re-immunized here: a new tag in
    its right ear and a new immunization record, in one step (Order 13 art. 14). Not for an
    animal that never came from outside, nor for a breeding or dairy animal still protected."""
    old_number, new_number = parse_one_tag(old), parse_one_tag(new)
    animal = animal_by_tag(old_number)
    require_vaccinator(actor, animal.premises)
    if not arrived_from_outside(animal):
        raise BusinessError(
            _(
                "Only an animal that arrived from another county or province gets a "
                "re-immunization tag; for a lost or damaged tag record a replacement."
            ),
            code=NOT_FROM_OUTSIDE,
        )
    if (animal.is_breeding or animal.is_dairy) and animal_protected(animal, timezone.localdate()):
        raise BusinessError(
            _(
                "A breeding or dairy animal that is still protected keeps its tag; "
                "it is not re-tagged."
            ),
            code=STILL_PROTECTED,
        )
    fields: dict[str, str] = {}
    if vaccine is None:
        fields["vaccine"] = _("Choose the vaccine given.")
    else:
        fields.update(
            session_problems(
                Session(
                    species=animal.species,
                    vaccine=vaccine,
                    batch_number=batch_number,
                    vaccinated_on=timezone.localdate(),
                    disinfection=disinfection,
                    seller=seller,
                    age=age,
                    age_unit=age_unit,
                )
            )
        )
    fields.update(tagging_problems(actor, disinfection=disinfection, pliers=pliers))
    problems = new_tag_problems(animal, new_number)
    if problems:
        fields["new"] = "；".join(problems)
    if fields:
        raise BusinessError(
            _("The re-immunization could not be recorded."),
            code=RETAGGING_REFUSED,
            fields=fields,
        )
    assert vaccine is not None
    application = right_ear_tag(
        actor=actor,
        animal=animal,
        old_number=old_number,
        new_number=new_number,
        reason=AnimalTag.Reason.REIMMUNIZATION,
        note=note,
        disinfection=disinfection,
        pliers=pliers,
    )
    record_session(
        actor=actor,
        premises=animal.premises,
        session=Session(
            species=animal.species,
            vaccine=vaccine,
            batch_number=batch_number,
            vaccinated_on=timezone.localdate(),
            vaccinated_at=application.applied_at,
            seller=seller,
            age=age,
            age_unit=age_unit,
            disinfection=disinfection,
            pliers=pliers,
            campaign=ImmunizationRecord.Campaign.ARRIVAL,
        ),
        numbers=RangeSet(((new_number, new_number),)),
        details=None,
    )
    return application


def animal_retag(
    *,
    actor: User,
    old: str,
    new: str,
    reason: str,
    note: str = "",
    vaccine: Vaccine | None = None,
    batch_number: str = "",
    seller: str = "",
    age: int | None = None,
    age_unit: str = "",
    disinfection: str = "",
    pliers: str = "",
) -> AnimalTag:
    """A new tag in the right ear: for a lost or damaged tag (``reason`` lost, damaged), or
    with a new vaccination for an animal from outside the county (``reimmunization``)."""
    if reason == "reimmunization":
        return animal_reimmunize(
            actor=actor,
            old=old,
            new=new,
            vaccine=vaccine,
            batch_number=batch_number,
            seller=seller,
            age=age,
            age_unit=age_unit,
            note=note,
            disinfection=disinfection,
            pliers=pliers,
        )
    return tag_replace(
        actor=actor,
        old=old,
        new=new,
        reason=reason,
        note=note,
        disinfection=disinfection,
        pliers=pliers,
    )
