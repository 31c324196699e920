"""What the vet records of the journey on a certificate, checked before it is issued: a type A
certificate (leaving the province) by road names the designated checkpoint its animals pass,
records the vehicle's disinfection, and travels on a registered vehicle."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from earmark.core.errors import INVALID_INPUT, BusinessError
from earmark.core.validators import has_control_characters
from earmark.farms.models import Checkpoint
from earmark.farms.selectors import checkpoint_named
from earmark.quarantine.errors import JOURNEY_INCOMPLETE, NOT_A_DESIGNATED_CHECKPOINT
from earmark.quarantine.models import Certificate, Declaration, TransportMode


@dataclass(frozen=True)
class Journey:
    """What the vet records of the journey on the certificate: 运载方式, the vehicle's
    disinfection and, leaving or entering the province, the designated checkpoint."""

    transport_mode: str = TransportMode.ROAD
    disinfection: str = ""
    checkpoint: str = ""


def journey_checked(journey: Journey, *, kind: str, declaration: Declaration) -> Checkpoint | None:
    """The designated checkpoint the journey names (None for none), or the refusal."""
    for name in ("disinfection", "checkpoint"):
        text = getattr(journey, name)
        if has_control_characters(text) or len(text) > 100:
            raise BusinessError(
                _("Check the journey's details."),
                code=INVALID_INPUT,
                fields={name: _("At most 100 characters, without control characters.")},
            )
    if journey.transport_mode not in TransportMode.values:
        raise BusinessError(
            _("Check the journey's details."),
            code=INVALID_INPUT,
            fields={
                "transport_mode": _("One of: %(values)s.") % {"values": "road, rail, water, air"}
            },
        )
    if journey.checkpoint and kind == Certificate.Kind.B:
        raise BusinessError(
            _("Only animals leaving the province (type A) pass a designated checkpoint."),
            code=NOT_A_DESIGNATED_CHECKPOINT,
            fields={"checkpoint": _("Leave it empty for a certificate within the province.")},
        )
    site = checkpoint_named(text=journey.checkpoint)
    if journey.checkpoint.strip() and site is None:
        message = _("%(name)s is not a designated checkpoint of the register.") % {
            "name": journey.checkpoint.strip()
        }
        raise BusinessError(
            _("Check the journey's details."),
            code=NOT_A_DESIGNATED_CHECKPOINT,
            fields={"checkpoint": message},
        )
    if kind == Certificate.Kind.A:
        missing = leaving_problems(journey, site, declaration)
        if missing:
            raise BusinessError(
                _("A certificate leaving the province lacks what its journey needs."),
                code=JOURNEY_INCOMPLETE,
                fields=missing,
            )
    return site


def leaving_problems(
    journey: Journey, site: Checkpoint | None, declaration: Declaration
) -> dict[str, str]:
    """What a type A certificate's journey lacks: by road, the designated checkpoint and a
    registered vehicle (a province setting); always, the vehicle's disinfection."""
    problems: dict[str, str] = {}
    by_road = journey.transport_mode == TransportMode.ROAD
    if by_road and site is None:
        problems["checkpoint"] = _(
            "Name the designated checkpoint the animals pass leaving the province."
        )
    if not journey.disinfection.strip():
        problems["disinfection"] = _("Record how the vehicle was disinfected.")
    if by_road and settings.EARMARK_TYPE_A_REGISTERED_VEHICLE and declaration.vehicle_id is None:
        problems["vehicle_plate"] = _(
            "%(plate)s is not a registered vehicle: animals leave the province only on one."
        ) % {"plate": declaration.vehicle_plate}
    return problems
