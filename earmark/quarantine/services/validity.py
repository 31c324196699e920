"""How long a certificate is valid and when it may be issued.

One period that starts on the departure day and lasts at most the national maximum of the form
(动物A 5 days, 动物B 当日, 产品A 7 days, 产品B 当日); the province's settings may shorten it, never
lengthen it, and the vet may shorten it further. The vet inspects and issues when the animals
leave: on the planned departure day or the day before (an early-morning departure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.core.errors import BusinessError
from earmark.quarantine.errors import ISSUE_DAY_REFUSED, VALIDITY_REFUSED
from earmark.quarantine.models import Certificate, Declaration
from earmark.regions.provinces import leaves_province

# The national maximum of each form, in days counting the first (当日 is 1). Sources:
# 《动物检疫管理办法》(2022) and the forms of 农业农村部公告第 2 号 (2019); see docs/documents.md.
NATIONAL_MAX_DAYS = {"A": 5, "B": 1, "product_A": 7, "product_B": 1}
# The day before the departure is the earliest day of issue (an early-morning departure).
EARLIEST_ISSUE = timedelta(days=1)


@dataclass(frozen=True)
class Validity:
    """When a certificate may be used: from the departure day to ``longest`` at most."""

    departure: date
    longest: date


def longest_days(form: str, setting: int | None = None) -> int:
    """The province's setting for this journey, never beyond the form's national maximum."""
    national = NATIONAL_MAX_DAYS[form]
    return max(1, min(national, int(setting))) if setting is not None else national


def _where(declaration: Declaration) -> str:
    if leaves_province(declaration.destination_province):
        return "other_province"
    if (declaration.destination_region_id or "")[:6] == declaration.county_code:
        return "county"
    return "province"


def certificate_validity(declaration: Declaration) -> Validity:
    """The longest validity of the certificate this declaration gets: from its departure day."""
    departure = timezone.localtime(declaration.planned_departure).date()
    form = (
        Certificate.Kind.A
        if leaves_province(declaration.destination_province)
        else Certificate.Kind.B
    )
    setting = settings.EARMARK_CERTIFICATE_VALIDITY_DAYS.get(_where(declaration))
    days = longest_days(str(form), setting)
    return Validity(departure=departure, longest=departure + timedelta(days=days - 1))


def issue_day_check(departure: date, today: date) -> None:
    """A certificate is issued on the departure day or the day before, never earlier (the
    animals are inspected as they leave) and never after the departure day."""
    if today < departure - EARLIEST_ISSUE:
        message = _(
            "The certificate is issued on the departure day or the day before: these animals "
            "leave on %(date)s."
        ) % {"date": departure.isoformat()}
        raise BusinessError(message, code=ISSUE_DAY_REFUSED, fields={"planned_departure": message})
    if today > departure:
        message = _(
            "The planned departure on %(date)s has passed: the owner declares the journey again."
        ) % {"date": departure.isoformat()}
        raise BusinessError(message, code=ISSUE_DAY_REFUSED, fields={"planned_departure": message})


def valid_until_chosen(
    validity: Validity, valid_until: date | None, validity_days: int | None
) -> date:
    """The last day of validity the vet chose (by date, or by a number of days from the
    departure day), within ``validity``; the longest when the vet chose none."""
    if valid_until is None and validity_days is not None:
        valid_until = validity.departure + timedelta(days=validity_days - 1)
    if valid_until is None:
        return validity.longest
    message = None
    if valid_until < validity.departure:
        message = _("The certificate must stay valid until the departure on %(date)s.") % {
            "date": validity.departure.isoformat()
        }
    elif valid_until > validity.longest:
        message = _("This journey allows a validity until %(date)s at the latest.") % {
            "date": validity.longest.isoformat()
        }
    if message is not None:
        raise BusinessError(message, code=VALIDITY_REFUSED, fields={"valid_until": message})
    return valid_until


def period_until(form: str, first: date, chosen: date | None) -> date:
    """The last day of a validity that starts on ``first`` under the form ``form``: the day
    chosen, within the national maximum, else the maximum itself."""
    longest = first + timedelta(days=longest_days(form) - 1)
    return valid_until_chosen(Validity(departure=first, longest=longest), chosen, None)
