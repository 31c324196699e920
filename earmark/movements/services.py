"""The end of a movement and of an animal's life: checkpoints, deaths, destruction of tags.
Receipts (arrivals and slaughter) are in ``receipts``, changes of destination in ``redirects``,
alerts in ``alerts``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import require_region, require_role
from earmark.accounts.models import Role, User
from earmark.audit.services import audit_record
from earmark.core import signing
from earmark.core.codes import county_of
from earmark.core.errors import BusinessError, Conflict
from earmark.core.sequences import sequence_take
from earmark.eartags.messages import format_ranges
from earmark.eartags.models import Holding, TagEvent
from earmark.eartags.ranges import RangeSet
from earmark.eartags.usage import tag_events_save, tags_transition
from earmark.exchange.outbox import outbox_emit
from earmark.farms.models import Premises, StockChange
from earmark.farms.stock import stock_change_apply
from earmark.immunization.models import Animal, AnimalTag
from earmark.movements import selectors
from earmark.movements.models import CheckpointCheck, Death, DestructionBatch
from earmark.quarantine.certificates import certificate_state
from earmark.quarantine.models import Certificate


def _ranges(numbers: RangeSet) -> list[list[int]]:
    return [[a, b] for a, b in numbers]


def _tag_text(numbers: RangeSet) -> list[list[str]]:
    return [[f"{a:015d}", f"{b:015d}"] for a, b in numbers]


# --- Checkpoints ----------------------------------------------------------------------------


@dataclass
class CheckOutcome:
    check: CheckpointCheck
    certificate: Certificate | None


@transaction.atomic
def checkpoint_check(
    *,
    actor: User,
    place: str,
    payload: str = "",
    number: str = "",
    checked_at: datetime | None = None,
    offline: bool = False,
) -> CheckOutcome:
    """Check a certificate from its QR payload (signature and status) or its number; recorded
    with place and time. ``offline`` uploads a check made earlier without a network."""
    require_role(actor, Role.CHECKPOINT_OFFICER)
    if not place.strip():
        raise BusinessError(
            _("Say where the check took place."), code="invalid", detail={"place": "required"}
        )
    signature_valid = None
    if payload.strip():
        verified = signing.verify(payload, signing.public_pem())
        signature_valid = verified.ok
        number = str(verified.fields.get("n", number)) if verified.fields else number
    number = number.strip()
    if not number:
        raise BusinessError(_("Scan the QR code or type the certificate number."), code="invalid")
    certificate = (
        Certificate.objects.select_related("premises", "destination_region")
        .filter(number=number)
        .first()
    )
    if signature_valid is False or (
        certificate and payload.strip() and certificate.payload != payload.strip()
    ):
        result: str = CheckpointCheck.Result.FORGED
    elif certificate is None:
        result = CheckpointCheck.Result.UNKNOWN
    else:
        result = certificate_state(certificate)
    check = CheckpointCheck.objects.create(
        certificate=certificate,
        number=number[:12],
        result=result,
        signature_valid=signature_valid,
        offline=offline,
        place=place.strip()[:100],
        county_code=county_of(actor.region_code or "") or "",
        checked_by=actor,
        checked_at=checked_at or timezone.now(),
    )
    audit_record(
        actor=actor,
        action="checkpoint.check",
        obj=check,
        region_code=check.county_code,
        details={"number": number, "result": result, "offline": offline},
    )
    return CheckOutcome(check, certificate)


# --- Deaths, disposal, destruction --------------------------------------------------


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
            _("Give the cause of death."), code="invalid", detail={"cause": "required"}
        )
    if disposal_plant is not None and disposal_plant.kind != Premises.Kind.DISPOSAL:
        raise BusinessError(
            _("%(name)s is not a disposal plant.") % {"name": disposal_plant.name}, code="invalid"
        )
    count = numbers.count + untagged
    if count < 1:
        raise BusinessError(_("Enter the dead animals' tags or their number."), code="invalid")
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
            code="not_here",
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
        tags=_ranges(numbers),
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
            "tags": _tag_text(numbers),
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
        raise BusinessError(_("No disposal plant was named."), code="invalid")
    require_region(actor, death.disposal_plant.township_id)
    require_role(actor, Role.DESTINATION_STAFF, Role.OFFICIAL_VET)
    if death.disposal_confirmed_at is not None:
        raise Conflict(_("The disposal was confirmed already."))
    death.disposal_confirmed_by = actor
    death.disposal_confirmed_at = timezone.now()
    death.save(update_fields=["disposal_confirmed_by", "disposal_confirmed_at"])
    audit_record(
        actor=actor, action="death.disposal_confirm", obj=death, region_code=death.township_code
    )
    return death


@transaction.atomic
def destruction_record(
    *,
    actor: User,
    numbers: RangeSet,
    include_voided: bool,
    destroyed_on: date | None = None,
    method: str,
    witnesses: str,
) -> DestructionBatch:
    """A batch of recovered tags (and voided unused ones) destroyed by the county."""
    require_role(actor, Role.COUNTY_OFFICER)
    county = county_of(actor.region_code or "")
    if county is None or actor.region_code != county:
        raise BusinessError(_("Tags are destroyed by a county agency."), code="invalid")
    errors = {}
    if not method.strip():
        errors["method"] = _("Say how the tags were destroyed.")
    if not witnesses.strip():
        errors["witnesses"] = _("Name the witnesses.")
    if errors:
        raise BusinessError(
            _("The destruction could not be recorded."), code="invalid", detail=errors
        )
    held = selectors.recovered_in_county(county)
    stray = numbers.difference(held)
    if stray:
        raise BusinessError(
            _("These tags are not recovered tags held by the county: %(ranges)s.")
            % {"ranges": format_ranges(stray)},
            code="not_held",
        )
    voided = (
        list(
            Holding.objects.select_for_update().filter(
                county_code=county, state=Holding.State.VOIDED
            )
        )
        if include_voided
        else []
    )
    count = numbers.count + sum(h.count for h in voided)
    if not count:
        raise BusinessError(_("There is nothing to destroy."), code="empty")
    day = destroyed_on or timezone.localdate()
    sequence = sequence_take(f"destruction:{county}:{day.year}")
    batch = DestructionBatch.objects.create(
        number=f"XH{county}{day.year}{sequence:05d}",
        county_id=county,
        destroyed_on=day,
        method=method.strip()[:100],
        witnesses=witnesses.strip()[:200],
        recovered=_ranges(numbers),
        voided=[[h.first, h.last] for h in voided],
        count=count,
        created_by=actor,
    )
    if numbers:
        tags_transition(
            numbers=list(numbers.expand()),
            event="destroy",
            actor=actor,
            holder=batch.number,
            document_type="destruction",
            document_id=batch.number,
        )
    for holding in voided:
        holding.state = Holding.State.DESTROYED
    Holding.objects.bulk_update(voided, ["state"])
    if voided:
        tag_events_save(
            TagEvent(
                first=h.first,
                last=h.last,
                kind=TagEvent.Kind.DESTROYED,
                species=h.species,
                county_code=h.county_code,
                township_code=h.township_code,
                holder=batch.number,
                document_type="destruction",
                document_id=batch.number,
                actor=actor,
            )
            for h in voided
        )
    audit_record(
        actor=actor, action="tags.destroy", obj=batch, region_code=county, details={"count": count}
    )
    return batch
