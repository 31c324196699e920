"""动监e通 mobile terminals and training sessions, recorded (counts and lists: in
``selectors.equipment``)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import (
    can_read_region,
    require_region,
    require_role,
)
from earmark.accounts.models import Agency, Role, User
from earmark.accounts.tokens import token_create
from earmark.audit.services import audit_record
from earmark.core.errors import INVALID_INPUT, BusinessError, NotFound, invalid
from earmark.rollout.errors import TERMINAL_REGISTERED
from earmark.rollout.models import Attendance, Terminal, TerminalQuota, Training


def _agency(user: User, region_code: str) -> Agency:
    agency = Agency.objects.select_related("region").filter(region_id=region_code).first()
    if agency is None:
        raise NotFound(_("No agency for region %(code)s.") % {"code": region_code})
    require_region(user, agency.region_id)
    return agency


@transaction.atomic
def terminal_register(
    *, actor: User, device_id: str, holder: User, model: str = ""
) -> tuple[Terminal, str]:
    """Register a terminal handed to ``holder`` and create the token it signs in with; the raw
    token is returned once, to be entered on the device."""
    require_role(actor, Role.PROVINCE_ADMIN, Role.COUNTY_OFFICER)
    device_id = device_id.strip()
    if not device_id:
        message = _("Give the device's serial number or IMEI.")
        raise invalid(message, {"device_id": message})
    agency = holder.agency
    if agency is None:
        raise NotFound()
    require_region(actor, agency.region_id)
    if Terminal.objects.filter(device_id=device_id).exists():
        raise BusinessError(
            _("Terminal %(device)s is already registered.") % {"device": device_id},
            code=TERMINAL_REGISTERED,
        )
    token, raw = token_create(actor=actor, user=holder, name=f"动监e通 {device_id}")
    terminal = Terminal.objects.create(
        agency=agency,
        device_id=device_id[:40],
        model=model.strip()[:60],
        holder=holder,
        token=token,
        registered_by=actor,
    )
    audit_record(
        actor=actor,
        action="terminal.register",
        obj=terminal,
        region_code=agency.region_id,
        details={"device_id": device_id, "holder": holder.username},
    )
    return terminal, raw


@transaction.atomic
def terminal_quota_set(*, actor: User, region_code: str, required: int) -> TerminalQuota:
    """The province or a city sets how many terminals an agency must have."""
    require_role(actor, Role.PROVINCE_ADMIN, Role.CITY_OFFICER)
    agency = _agency(actor, region_code)
    if required < 0:
        raise BusinessError(_("The number of terminals cannot be negative."), code=INVALID_INPUT)
    quota, _created = TerminalQuota.objects.update_or_create(
        agency=agency, defaults={"required": required, "updated_by": actor}
    )
    audit_record(
        actor=actor,
        action="terminal.quota",
        obj=quota,
        region_code=agency.region_id,
        details={"required": required},
    )
    return quota


@transaction.atomic
def training_record(
    *, actor: User, kind: str, held_on: date, title: str, attendance: list[tuple[str, int]]
) -> Training:
    """Record a training organised by the actor's agency, with the attendees each agency of
    its jurisdiction sent. Trainer training is the province's and cities' (师资培训); user
    training is the counties' (使用培训); farmers and dealers are trained by counties and
    stations, counted per township they came from. Every row is checked before anything is
    saved."""
    if kind == Training.Kind.TRAINER:
        require_role(actor, Role.PROVINCE_ADMIN, Role.CITY_OFFICER)
    elif kind == Training.Kind.USER:
        require_role(actor, Role.PROVINCE_ADMIN, Role.CITY_OFFICER, Role.COUNTY_OFFICER)
    elif kind in (Training.Kind.FARM, Training.Kind.DEALER):
        # Farmers and dealers are trained where they are: by the county or its stations.
        require_role(actor, Role.COUNTY_OFFICER, Role.TOWNSHIP_OFFICER)
    else:
        raise BusinessError(_("Choose the kind of training."), code=INVALID_INPUT)
    problems: dict[str, str] = {}
    if not title.strip():
        problems["title"] = _("Give the training a title.")
    if held_on > timezone.localdate():
        problems["held_on"] = _("A training is recorded after it was held.")
    if not attendance:
        problems["attendance"] = _("List the agencies that attended.")
    agencies: list[tuple[Agency, int]] = []
    seen: set[str] = set()
    for line, (code, count) in enumerate(attendance, start=1):
        key = f"attendance.{line}"
        agency = Agency.objects.filter(region_id=code.strip()).first()
        if agency is None or not can_read_region(actor, agency.region_id):
            problems[key] = _("No agency %(code)s in your jurisdiction.") % {"code": code}
        elif code in seen:
            problems[key] = _("%(code)s is listed twice.") % {"code": code}
        elif count < 1:
            problems[key] = _("At least one attendee.")
        else:
            agencies.append((agency, count))
        seen.add(code)
    if problems:
        raise BusinessError(
            _("The training was not recorded; correct these problems."),
            code=INVALID_INPUT,
            fields=problems,
        )
    assert actor.agency is not None  # require_role refuses users without an agency
    training = Training.objects.create(
        kind=kind,
        organiser=actor.agency,
        held_on=held_on,
        title=title.strip()[:100],
        recorded_by=actor,
    )
    Attendance.objects.bulk_create(
        Attendance(training=training, agency=agency, attendees=count) for agency, count in agencies
    )
    audit_record(
        actor=actor,
        action="training.record",
        obj=training,
        region_code=actor.agency.region_id,
        details={"kind": kind, "attendees": sum(c for _a, c in agencies)},
    )
    return training
