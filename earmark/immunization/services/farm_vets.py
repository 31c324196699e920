"""Farm veterinarians (Order 13 art. 13): a scale farm's own veterinarian, approved by the county
for that farm, some species and a period, immunizes and tags its animals from the tags issued
to the farm, under the county's supervision; the county may revoke the approval."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from earmark.accounts.access import require_region, require_role
from earmark.accounts.models import Role, User
from earmark.audit.services import audit_record
from earmark.core.errors import ALREADY_REVOKED, INVALID_INPUT, BusinessError, invalid
from earmark.core.species import species_known
from earmark.core.validators import has_control_characters
from earmark.farms.models import Premises
from earmark.immunization.errors import FARM_VET_APPROVED
from earmark.immunization.models import FarmVet


@dataclass(frozen=True)
class Approval:
    username: str
    certificate_number: str
    species: list[str]
    valid_from: date
    valid_until: date


@transaction.atomic
def farm_vet_approve(*, actor: User, premises: Premises, approval: Approval) -> FarmVet:
    """The county approves a farm's veterinarian (an account with the farm-veterinarian role
    at the farm's township) to immunize and tag the farm's animals."""
    require_region(actor, premises.township_id)
    require_role(actor, Role.COUNTY_OFFICER)
    errors: dict[str, str] = {}
    if premises.kind != Premises.Kind.FARM:
        errors["premises"] = _("Only a scale farm has its own veterinarian approved.")
    elif premises.status != Premises.Status.VERIFIED:
        errors["premises"] = _("The farm's base information must be verified first.")
    vet = User.objects.filter(username=approval.username.strip(), is_active=True).first()
    if vet is None or not vet.has_role(Role.FARM_VET) or vet.region_code != premises.township_id:
        errors["username"] = _(
            "No active farm-veterinarian account of %(township)s with this user name."
        ) % {"township": premises.township.name}
    number = approval.certificate_number.strip()
    if not number or len(number) > 50 or has_control_characters(number):
        errors["certificate_number"] = _("Enter the veterinarian's certificate number.")
    species = sorted(set(approval.species))
    if not species or any(not species_known(s) for s in species):
        errors["species"] = _("Choose the species the approval covers.")
    if approval.valid_until < approval.valid_from:
        errors["valid_until"] = _("The approval ends before it starts.")
    if errors:
        raise invalid(_("The approval was not saved."), errors)
    assert vet is not None
    if FarmVet.objects.filter(user=vet, premises=premises, status=FarmVet.Status.APPROVED).exists():
        raise BusinessError(code=FARM_VET_APPROVED)
    try:
        with transaction.atomic():
            granted = FarmVet.objects.create(
                user=vet,
                premises=premises,
                county_code=premises.county_code,
                certificate_number=number,
                species=species,
                valid_from=approval.valid_from,
                valid_until=approval.valid_until,
                approved_by=actor,
            )
    except IntegrityError as error:
        raise BusinessError(code=FARM_VET_APPROVED) from error
    audit_record(
        actor=actor,
        action="farm_vet.approve",
        obj=granted,
        region_code=premises.township_id,
        details={"vet": vet.username, "premises": premises.code, "species": species},
    )
    return granted


@transaction.atomic
def farm_vet_revoke(*, actor: User, approval: FarmVet, reason: str) -> FarmVet:
    """The county withdraws an approval; the veterinarian tags no more at the farm."""
    require_region(actor, approval.premises.township_id)
    require_role(actor, Role.COUNTY_OFFICER)
    text = reason.strip()
    if not text or len(text) > 200 or has_control_characters(text):
        raise BusinessError(
            _("Give the reason."),
            code=INVALID_INPUT,
            fields={"reason": _("Give the reason (at most 200 characters).")},
        )
    approval = FarmVet.objects.select_for_update().get(pk=approval.pk)
    if approval.status != FarmVet.Status.APPROVED:
        raise BusinessError(_("This approval is revoked already."), code=ALREADY_REVOKED)
    approval.status = FarmVet.Status.REVOKED
    approval.revoked_reason = text
    approval.save(update_fields=["status", "revoked_reason"])
    audit_record(
        actor=actor,
        action="farm_vet.revoke",
        obj=approval,
        region_code=approval.premises.township_id,
        details={"reason": text},
    )
    return approval
