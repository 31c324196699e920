"""How long a certificate is valid: from the departure day, for at most the national maximum
(动物A 5 days, 动物B the day) or the province's shorter setting, never beyond what the vet chose."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.core.errors import BusinessError
from earmark.quarantine.errors import (
    VALIDITY_REFUSED,
)
from earmark.quarantine.models import (
    Declaration,
)
from earmark.regions.provinces import leaves_province

MAX_VALIDITY_DAYS = 5


@dataclass(frozen=True)
class Validity:
    """When a certificate may be used: from its issue to the end of the journey."""

    departure: date
    longest: date


def certificate_validity(declaration: Declaration, today: date | None = None) -> Validity:
    """The default (and longest) validity: the departure day (or today, if it has passed) plus
    the transit time to the destination, by the province's settings."""
    today = today or timezone.localdate()
    departure = max(today, timezone.localtime(declaration.planned_departure).date())
    if leaves_province(declaration.destination_province):
        where = "other_province"
    elif (declaration.destination_region_id or "")[:6] == declaration.county_code:
        where = "county"
    else:
        where = "province"
    days = min(int(settings.EARMARK_CERTIFICATE_VALIDITY_DAYS[where]), MAX_VALIDITY_DAYS)
    return Validity(departure=departure, longest=departure + timedelta(days=max(days, 1) - 1))


def _valid_until(
    declaration: Declaration, today: date, valid_until: date | None, validity_days: int | None
) -> date:
    validity = certificate_validity(declaration, today)
    if valid_until is None and validity_days is not None:
        # The older way of asking: a number of days, counted from the departure day.
        valid_until = validity.departure + timedelta(days=max(validity_days, 1) - 1)
    if valid_until is None:
        return validity.longest
    if valid_until < validity.departure:
        raise BusinessError(
            _("The certificate must stay valid until the departure on %(date)s.")
            % {"date": validity.departure.isoformat()},
            code=VALIDITY_REFUSED,
            fields={
                "valid_until": _("The certificate must stay valid until the departure on %(date)s.")
                % {"date": validity.departure.isoformat()}
            },
        )
    if valid_until > validity.longest:
        raise BusinessError(
            _("This journey allows a validity until %(date)s at the latest.")
            % {"date": validity.longest.isoformat()},
            code=VALIDITY_REFUSED,
            fields={
                "valid_until": _("This journey allows a validity until %(date)s at the latest.")
                % {"date": validity.longest.isoformat()}
            },
        )
    return valid_until
