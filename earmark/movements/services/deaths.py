"""Deaths on a farm and their harmless disposal: the tags are cancelled and the stock
lowered."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import require_region, require_role
from earmark.accounts.models import Role, User
from earmark.audit.outbox import outbox_emit
from earmark.audit.services import audit_record
from earmark.core.errors import INVALID_INPUT, NOTHING_GIVEN, BusinessError
from earmark.eartags.messages import format_ranges, tag_pairs
from earmark.eartags.ranges import RangeSet
from earmark.eartags.services.usage import tags_transition
from earmark.farms.models import Premises, StockChange
from earmark.farms.services.stock import stock_change_apply
from earmark.immunization.models import Animal, AnimalTag
from earmark.movements.errors import (
    DISPOSAL_ALREADY_CONFIRMED,
    NO_DISPOSAL_PLANT,
    TAGS_NOT_HERE,
    WRONG_PREMISES_KIND,
)
from earmark.movements.models import Death


@transaction.atomic
def death_report(
    *,
    actor: User,
    premises: Premises,
    species: str,
    numbers: RangeSet,
    untagged: int = 0,
    cause: str,
    disposal_plant: Premises | None = None,
) -> Death:
    """Deaths and harmless disposal: the tags are cancelled and the stock lowered."""
    require_region(actor, premises.township_id)
    require_role(
        actor, Role.VACCINATOR, Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER, Role.OFFICIAL_VET
    )
    if not cause.strip():
        raise BusinessError(
            _("Give the cause of death."),
            code=INVALID_INPUT,
            fields={"cause": _("Give the cause of death.")},
        )
    if disposal_plant is not None and disposal_plant.kind != Premises.Kind.DISPOSAL:
        raise BusinessError(
            _("%(name)s is not a disposal plant.") % {"name": disposal_plant.name},
            code=WRONG_PREMISES_KIND,
        )
    count = numbers.count + untagged
    if count < 1:
        raise BusinessError(_("Enter the dead animals' tags or their number."), code=NOTHING_GIVEN)
    tags = {
        a.tag_id: a
        for a in AnimalTag.objects.filter(tag_id__in=list(numbers.expand())).select_related(
            "animal"
        )
    }
    elsewhere = [
        n for n in numbers.expand() if n not in tags or tags[n].animal.premises_id != premises.pk
    ]
    if elsewhere:
        raise BusinessError(
            _("These tags are not on animals of this farm: %(ranges)s.")
            % {"ranges": format_ranges(RangeSet.from_numbers(elsewhere))},
            code=TAGS_NOT_HERE,
        )
    if numbers:
        tags_transition(
            numbers=list(numbers.expand()),
            event="cancel",
            actor=actor,
            holder=premises.name,
            document_type="death",
            document_id=premises.code,
        )
        Animal.objects.filter(pk__in=[a.animal_id for a in tags.values()]).update(
            status=Animal.Status.DEAD
        )
    stock_change_apply(
        premises=premises,
        species=species,
        delta=-count,
        reason=StockChange.Reason.DEATH,
        actor=actor,
        note=cause.strip(),
    )
    death = Death.objects.create(
        premises=premises,
        county_code=premises.county_code,
        township_code=premises.township_id,
        species=species,
        count=count,
        tags=numbers.as_lists(),
        cause=cause.strip()[:200],
        disposal_plant=disposal_plant,
        reported_by=actor,
    )
    outbox_emit(
        "death.reported",
        f"premises:{premises.code}",
        {
            "premises": premises.code,
            "species": species,
            "count": count,
            "tags": tag_pairs(numbers),
            "cause": death.cause,
            "disposal_plant": disposal_plant.code if disposal_plant else None,
        },
    )
    audit_record(
        actor=actor,
        action="death.report",
        obj=death,
        region_code=premises.township_id,
        details={"count": count},
    )
    return death


@transaction.atomic
def disposal_confirm(*, actor: User, death: Death) -> Death:
    """The harmless-disposal plant confirms it received the carcasses."""
    if death.disposal_plant is None:
        raise BusinessError(code=NO_DISPOSAL_PLANT)
    require_region(actor, death.disposal_plant.township_id)
    require_role(actor, Role.DESTINATION_STAFF, Role.OFFICIAL_VET)
    if death.disposal_confirmed_at is not None:
        raise BusinessError(code=DISPOSAL_ALREADY_CONFIRMED)
    death.disposal_confirmed_by = actor
    death.disposal_confirmed_at = timezone.now()
    death.save(update_fields=["disposal_confirmed_by", "disposal_confirmed_at"])
    audit_record(
        actor=actor, action="death.disposal_confirm", obj=death, region_code=death.township_code
    )
    return death
