"""The checks of a declaration beyond its tags: its own fields, the dealer it names and the
movement restrictions standing where its animals come from or go."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.core.codes import is_within
from earmark.core.species import species_known, species_refusal
from earmark.core.validators import MOBILE_PROBLEM, is_mobile, is_plate, normalize_plate
from earmark.farms.models import Dealer, Premises, Restriction, Vehicle
from earmark.farms.selectors import (
    dealer_by_code,
    restriction_covering,
    restrictions_standing,
    vehicle_by_plate,
)
from earmark.quarantine.models import Declaration
from earmark.quarantine.services.review_data import DeclarationData, Review, notice_hours
from earmark.regions.models import Region
from earmark.regions.provinces import PROVINCES, leaves_province, own_province


def _check_restrictions(
    review: Review,
    premises: Premises,
    target: Premises | None,
    data: DeclarationData,
    now: datetime,
) -> None:
    """No animals leave from, or go to, what a movement restriction covers between now and the
    departure."""
    standing = restrictions_standing(at=now, until=max(now, data.planned_departure))
    if not standing:
        return
    origin = restriction_covering(standing, premises=premises)
    if origin is not None:
        review.general.append(
            _("The farm lies under a movement restriction since %(start)s: %(reason)s.")
            % _restriction_words(origin)
        )
    township = data.destination_region if len(data.destination_region) == 9 else ""
    destination = restriction_covering(standing, premises=target, township=township)
    if destination is not None:
        review.fields["destination_premises" if target else "destination_region"] = _(
            "The destination lies under a movement restriction since %(start)s: %(reason)s."
        ) % _restriction_words(destination)


def _restriction_words(restriction: Restriction) -> dict[str, str]:
    start = timezone.localtime(restriction.starts_at).strftime("%Y-%m-%d %H:%M")
    return {"start": start, "reason": restriction.reason}


def _check_fields(
    review: Review, data: DeclarationData, now: datetime, *, notice: bool
) -> Premises | None:
    """Check the declaration's own fields; answers the destination premises, when it exists."""
    fields = review.fields
    if not species_known(data.species):
        fields["species"] = species_refusal()
    if data.quantity < 1:
        fields["quantity"] = _("Declare at least one animal.")
    if data.purpose not in Declaration.Purpose.values:
        fields["purpose"] = _("Choose the purpose.")
    region = None
    target = None
    if data.destination_province not in PROVINCES:
        fields["destination_province"] = _("Choose the destination province.")
    elif not leaves_province(data.destination_province):
        region = Region.objects.filter(code=data.destination_region).first()
        if (
            region is None
            or region.level not in (Region.Level.COUNTY, Region.Level.TOWNSHIP)
            or not is_within(region.code, own_province())
        ):
            fields["destination_region"] = _("Choose the destination county or township.")
    elif data.destination_region:
        fields["destination_region"] = _("Outside the province give the address instead.")
    if data.destination_premises:
        target = Premises.objects.filter(code=data.destination_premises).first()
        if target is None:
            fields["destination_premises"] = _("No registered premises %(code)s.") % {
                "code": data.destination_premises
            }
        elif region is not None and not target.township_id.startswith(region.code):
            fields["destination_premises"] = _("%(name)s is not in the destination chosen.") % {
                "name": target.name
            }
    elif not data.destination_address.strip():
        fields["destination_address"] = _("Give the destination premises or its address.")
    if notice and data.purpose in Declaration.Purpose.values:
        hours = notice_hours(data.purpose)
        if data.planned_departure < now + timedelta(hours=hours):
            fields["planned_departure"] = (
                _("Declare at least %(hours)d hours before departure.") % {"hours": hours}
                if hours < 48
                else _("Declare at least %(days)d days before departure.") % {"days": hours // 24}
            )
    if not data.carrier_name.strip():
        fields["carrier_name"] = _("Name the carrier.")
    if not is_mobile(data.carrier_phone.strip()):
        fields["carrier_phone"] = str(MOBILE_PROBLEM)
    plate = normalize_plate(data.vehicle_plate)
    if not is_plate(plate):
        fields["vehicle_plate"] = _("Enter the vehicle plate, e.g. 吉A12345.")
    else:
        vehicle = vehicle_by_plate(plate=plate)
        if vehicle is not None and vehicle.status == Vehicle.Status.SUSPENDED:
            fields["vehicle_plate"] = _(
                "The registration of vehicle %(plate)s is suspended: %(reason)s"
            ) % {"plate": plate, "reason": vehicle.suspended_reason}
    return target


def _check_dealer(review: Review, premises: Premises, data: DeclarationData) -> None:
    """A dealer named must be registered, not suspended, and registered to work in the farm's
    county."""
    code = data.dealer.strip()
    if not code:
        return
    dealer = dealer_by_code(code=code)
    if dealer is None:
        review.fields["dealer"] = _("Dealer %(code)s is not registered.") % {"code": code}
    elif dealer.status == Dealer.Status.SUSPENDED:
        review.fields["dealer"] = _(
            "The registration of dealer %(dealer)s is suspended: %(reason)s"
        ) % {
            "dealer": dealer,
            "reason": dealer.suspended_reason,
        }
    elif premises.county_code not in {c.code for c in dealer.counties.all()}:
        review.fields["dealer"] = _(
            "Dealer %(dealer)s is not registered to work in this county."
        ) % {"dealer": dealer}
