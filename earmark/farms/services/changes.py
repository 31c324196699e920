"""Changing a premises' base information, and the county's verification of it. A change to a
key field sends a verified premises back to the county."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import require_region, require_role
from earmark.accounts.models import Role, User
from earmark.audit.outbox import outbox_emit
from earmark.audit.services import audit_record
from earmark.core.errors import INVALID_INPUT, BusinessError, invalid
from earmark.core.species import species_labels
from earmark.core.validators import normalize_id_card
from earmark.farms.completeness import field_label, missing_fields
from earmark.farms.errors import PREMISES_ALREADY_VERIFIED, PREMISES_INCOMPLETE
from earmark.farms.models import Premises, Stock
from earmark.farms.services.registration import (
    EDITABLE_FIELDS,
    EDITORS,
    KEY_FIELDS,
    PremisesData,
    optional_decimal,
    optional_int,
    premises_payload,
    premises_validate,
)
from earmark.regions.models import Region


def _status_after(premises: Premises, *, current: str, key_change: bool) -> str:
    if missing_fields(premises):
        return Premises.Status.INCOMPLETE
    if current == Premises.Status.VERIFIED and not key_change:
        return Premises.Status.VERIFIED
    return Premises.Status.TO_VERIFY


@transaction.atomic
def premises_update(*, actor: User | None, premises: Premises, changes: dict[str, Any]) -> Premises:
    """Change base information; a key field sends a verified premises back to "to verify".

    ``changes`` holds any of EDITABLE_FIELDS; ``species`` is the full list of species kept
    (stock itself changes only through the ledger).
    """
    if actor is not None:
        require_role(actor, *EDITORS)
        require_region(actor, premises.township_id)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise BusinessError(
            _("These fields cannot be changed here: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))},
            code=INVALID_INPUT,
        )
    kept = set(premises.stock.values_list("species", flat=True))
    species = set(changes.get("species", kept))
    merged = PremisesData(
        kind=changes.get("kind", premises.kind),
        name=changes.get("name", premises.name),
        township=changes.get("township", premises.township_id),
        owner_name=changes.get("owner_name", premises.owner_name),
        phone=changes.get("phone", premises.phone),
        id_card=changes.get("id_card", premises.id_card),
        address=changes.get("address", premises.address),
        scale=changes.get("scale", premises.scale),
        latitude=changes.get("latitude", premises.latitude),
        longitude=changes.get("longitude", premises.longitude),
        stock={s: None for s in species},
        external_id=changes.get("external_id", premises.external_id),
    )
    errors = premises_validate(merged, user=actor)
    removed = kept - species
    held = Stock.objects.filter(premises=premises, species__in=removed, quantity__gt=0)
    if held.exists():
        errors["species"] = _("Species with animals on hand cannot be removed: %(species)s.") % {
            "species": species_labels(held.values_list("species", flat=True))
        }
    if errors:
        raise invalid(_("The premises could not be saved."), errors)
    before = _key_values(premises, kept)
    township = Region.objects.get(code=merged.township)
    premises.kind = merged.kind
    premises.name = merged.name.strip()
    premises.owner_name = merged.owner_name.strip()
    premises.phone = merged.phone.strip()
    premises.id_card = normalize_id_card(merged.id_card) if merged.id_card else ""
    premises.township = township
    premises.county_code = township.code[:6]
    premises.address = merged.address.strip()
    premises.scale = optional_int(merged.scale)
    premises.latitude = optional_decimal(merged.latitude)
    premises.longitude = optional_decimal(merged.longitude)
    premises.external_id = merged.external_id.strip()
    Stock.objects.filter(premises=premises, species__in=removed).delete()
    for added in sorted(species - kept):
        Stock.objects.create(premises=premises, species=added, quantity=0)
    after = _key_values(premises, species)
    changed_keys = [field for field in KEY_FIELDS if before[field] != after[field]]
    previous_status = premises.status
    premises.status = _status_after(
        premises, current=previous_status, key_change=bool(changed_keys)
    )
    if premises.status != Premises.Status.VERIFIED:
        premises.verified_by = None
        premises.verified_at = None
    premises.save()
    outbox_emit(
        "premises.changed",
        f"premises:{premises.code}",
        {**premises_payload(premises), "changed": sorted(changes)},
    )
    audit_record(
        actor=actor,
        action="premises.update",
        obj=premises,
        region_code=premises.township_id,
        details={
            "changed": sorted(changes),
            "key_fields_changed": changed_keys,
            "status": [previous_status, premises.status],
        },
    )
    return premises


def _key_values(premises: Premises, species: set[str]) -> dict[str, Any]:
    return {
        "owner_name": premises.owner_name,
        "phone": premises.phone,
        "species": sorted(species),
        "township": premises.township_id,
    }


@transaction.atomic
def premises_verify(*, actor: User, premises: Premises) -> Premises:
    """A county officer confirms the base information of premises in its county."""
    require_role(actor, Role.COUNTY_OFFICER)
    require_region(actor, premises.township_id)
    premises = Premises.objects.select_for_update().get(pk=premises.pk)
    if premises.status == Premises.Status.VERIFIED:
        raise BusinessError(code=PREMISES_ALREADY_VERIFIED)
    missing = missing_fields(premises)
    if missing:
        raise BusinessError(
            _("The base information is incomplete: %(fields)s.")
            % {"fields": "、".join(field_label(f) for f in missing)},
            code=PREMISES_INCOMPLETE,
            fields={name: _("Required.") for name in missing},
        )
    premises.status = Premises.Status.VERIFIED
    premises.verified_by = actor
    premises.verified_at = timezone.now()
    premises.save(update_fields=["status", "verified_by", "verified_at", "updated_at"])
    outbox_emit("premises.verified", f"premises:{premises.code}", premises_payload(premises))
    audit_record(
        actor=actor, action="premises.verify", obj=premises, region_code=premises.township_id
    )
    return premises
