"""Livestock transport vehicles (运输车辆备案): the county registers a vehicle with its owner,
capacity and documents; declarations match it by plate; a suspended vehicle carries no animals
until the county reinstates it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from earmark.accounts.access import require_role
from earmark.accounts.models import Role, User
from earmark.audit.outbox import outbox_emit
from earmark.audit.services import audit_record
from earmark.core.codes import county_of
from earmark.core.errors import BusinessError, PermissionDenied, invalid
from earmark.core.validators import (
    FieldCheck,
    is_plate,
    normalize_plate,
)
from earmark.farms.errors import PLATE_TAKEN
from earmark.farms.models import Vehicle
from earmark.farms.services.suspension import registration_reinstate, registration_suspend
from earmark.regions.models import Region


@dataclass(frozen=True)
class VehicleData:
    plate: str
    owner_name: str
    owner_phone: str
    capacity: int
    documents: str


def _shared(event: str, vehicle: Vehicle) -> None:
    """The register is shared with the national platform: plate, owner, capacity, status."""
    outbox_emit(
        event,
        f"vehicle:{vehicle.plate}",
        {
            "plate": vehicle.plate,
            "owner": vehicle.owner_name,
            "capacity": vehicle.capacity,
            "documents": vehicle.documents,
            "county": vehicle.county_id,
            "status": vehicle.status,
            "reason": vehicle.suspended_reason,
        },
    )


@transaction.atomic
def vehicle_register(*, actor: User, data: VehicleData) -> Vehicle:
    """The county registers a vehicle; a plate is registered once in the province."""
    require_role(actor, Role.COUNTY_OFFICER)
    county = county_of(actor.region_code or "")
    if county is None or actor.region_code != county:
        raise PermissionDenied(_("Vehicles are registered by a county agency."))
    plate = normalize_plate(data.plate)
    check = FieldCheck()
    if not is_plate(plate):
        check.add("plate", _("Enter the vehicle plate, e.g. 吉A12345."))
    owner = check.text("owner_name", data.owner_name, 50, missing=_("Name the owner."))
    check.mobile("owner_phone", data.owner_phone)
    if not 1 <= data.capacity <= 5000:
        check.add("capacity", _("How many animals it carries, from 1 to 5,000."))
    documents = check.text(
        "documents", data.documents, 100, missing=_("Enter the registration document's number.")
    )
    if check:
        raise invalid(_("The vehicle was not registered."), check.problems)
    if Vehicle.objects.filter(plate=plate).exists():
        message = _("Vehicle %(plate)s is registered already.") % {"plate": plate}
        raise BusinessError(message, code=PLATE_TAKEN, fields={"plate": message})
    try:
        with transaction.atomic():
            vehicle = Vehicle.objects.create(
                plate=plate,
                owner_name=owner or "",
                owner_phone=data.owner_phone.strip(),
                capacity=data.capacity,
                documents=documents or "",
                county=Region.objects.get(code=county),
                registered_by=actor,
            )
    except IntegrityError as error:
        message = _("Vehicle %(plate)s is registered already.") % {"plate": plate}
        raise BusinessError(message, code=PLATE_TAKEN, fields={"plate": message}) from error
    _shared("vehicle.registered", vehicle)
    audit_record(
        actor=actor,
        action="vehicle.register",
        obj=vehicle,
        region_code=county,
        details={"plate": plate, "capacity": data.capacity},
    )
    return vehicle


def vehicle_suspend(*, actor: User, vehicle: Vehicle, reason: str) -> Vehicle:
    """The registering county suspends a vehicle (e.g. not disinfected, unsafe); declarations
    and certificates naming it are refused while it stands."""
    return registration_suspend(actor=actor, registration=vehicle, reason=reason, share=_shared)


def vehicle_reinstate(*, actor: User, vehicle: Vehicle) -> Vehicle:
    return registration_reinstate(actor=actor, registration=vehicle, share=_shared)
