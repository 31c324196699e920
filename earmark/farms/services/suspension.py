"""Suspending and reinstating a registration of the registers a county keeps (transport
vehicles, livestock dealers): one rule for both. Only the registering county acts; a reason is
required; the change is shared with the national platform and audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import transaction
from django.utils.translation import gettext as _

from earmark.accounts.access import require_role
from earmark.accounts.models import Role, User
from earmark.audit.services import audit_record
from earmark.core.errors import BusinessError, PermissionDenied, invalid
from earmark.core.validators import FieldCheck
from earmark.farms.errors import ALREADY_SUSPENDED, NOT_SUSPENDED
from earmark.farms.models import Dealer, Vehicle

Registration = TypeVar("Registration", Dealer, Vehicle)
# How each register tells the national platform of a change (event name, registration).
Share = Callable[[str, Registration], None]


def _locked(actor: User, registration: Registration) -> Registration:
    require_role(actor, Role.COUNTY_OFFICER)
    if registration.county_id != actor.region_code:
        raise PermissionDenied(_("Only the county that registered it suspends or reinstates it."))
    return type(registration).objects.select_for_update().get(pk=registration.pk)


@transaction.atomic
def registration_suspend(
    *, actor: User, registration: Registration, reason: str, share: Share[Registration]
) -> Registration:
    """Suspend a vehicle or a dealer: declarations and certificates naming it are refused
    while the suspension stands."""
    check = FieldCheck()
    text = check.text("reason", reason, 200, missing=_("Give the reason."))
    if check:
        raise invalid(_("Give the reason."), check.problems)
    registration = _locked(actor, registration)
    if registration.status == registration.Status.SUSPENDED:
        raise BusinessError(code=ALREADY_SUSPENDED)
    registration.status = registration.Status.SUSPENDED
    registration.suspended_reason = text
    registration.save(update_fields=["status", "suspended_reason"])
    return _done(actor, registration, "suspend", share, {"reason": text})


@transaction.atomic
def registration_reinstate(
    *, actor: User, registration: Registration, share: Share[Registration]
) -> Registration:
    """Lift a suspension."""
    registration = _locked(actor, registration)
    if registration.status != registration.Status.SUSPENDED:
        raise BusinessError(code=NOT_SUSPENDED)
    registration.status = registration.Status.ACTIVE
    registration.suspended_reason = ""
    registration.save(update_fields=["status", "suspended_reason"])
    return _done(actor, registration, "reinstate", share, {})


_PAST = {"suspend": "suspended", "reinstate": "reinstated"}


def _done(
    actor: User,
    registration: Registration,
    verb: str,
    share: Share[Registration],
    details: dict[str, str],
) -> Registration:
    kind = registration._meta.model_name
    share(f"{kind}.{_PAST[verb]}", registration)
    audit_record(
        actor=actor,
        action=f"{kind}.{verb}",
        obj=registration,
        region_code=registration.county_id,
        details=details,
    )
    return registration
