"""Designated ear-tag manufacturers and ordering by plan (Order 13 art. 10–12, 24).

The province keeps the register of designated makers and each one's yearly production plan per
species; a county orders a block of its own numbers against a plan; a delivery is recorded
against an order, and registering it accepts only numbers of the order's block. A maker whose
designation ended or was revoked (art. 24) takes no order and makes no delivery."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import require_region, require_role
from earmark.accounts.models import Role, User
from earmark.audit.services import audit_record
from earmark.core.codes import county_of
from earmark.core.errors import ALREADY_REVOKED, BusinessError, NotFound, PermissionDenied, invalid
from earmark.core.sequences import sequence_take
from earmark.core.species import species_digits, species_known, species_label, species_refusal
from earmark.core.validators import FieldCheck, clean_text
from earmark.eartags.codes import CodeError, format_range, parse_tag, prefix_of, species_of, split
from earmark.eartags.errors import (
    BEYOND_PLAN,
    LICENCE_TAKEN,
    MAKER_NOT_DESIGNATED,
    ORDER_OVERLAPS,
    PLAN_BELOW_ORDERED,
)
from earmark.eartags.messages import reason_text
from earmark.eartags.models import Manufacturer, ProductionPlan, TagOrder
from earmark.eartags.selectors.inventory import numbers_in
from earmark.regions.models import Region

# A plan or an order beyond this many tags is a typing error (a county uses a few million).
MAX_QUANTITY = 100_000_000


def _refuse(message: str, fields: dict[str, str]) -> BusinessError:
    return invalid(message, fields)


@dataclass(frozen=True)
class ManufacturerData:
    name: str
    licence: str
    species: list[str]
    valid_from: date
    valid_until: date


@transaction.atomic
def manufacturer_register(*, actor: User, data: ManufacturerData) -> Manufacturer:
    """The province designates a manufacturer (art. 10)."""
    require_role(actor, Role.PROVINCE_ADMIN)
    check = FieldCheck()
    name = check.text("name", data.name, 100, missing=_("Name the manufacturer."))
    licence = check.text("licence", data.licence, 50, missing=_("Enter the licence number."))
    errors = check.problems
    species = sorted(set(data.species))
    if not species or any(not species_known(s) for s in species):
        errors["species"] = species_refusal()
    if data.valid_until < data.valid_from:
        errors["valid_until"] = _("The designation ends before it starts.")
    if errors:
        raise _refuse(_("The manufacturer could not be registered."), errors)
    assert name is not None and licence is not None
    if Manufacturer.objects.filter(licence=licence).exists():
        message = _("Licence %(licence)s is registered already.") % {"licence": licence}
        raise BusinessError(message, code=LICENCE_TAKEN, fields={"licence": message})
    maker = Manufacturer.objects.create(
        name=name,
        licence=licence,
        species=species,
        valid_from=data.valid_from,
        valid_until=data.valid_until,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="tags.manufacturer",
        obj=maker,
        region_code=actor.region_code or "",
        details={"name": name, "licence": licence, "species": species},
    )
    return maker


@transaction.atomic
def manufacturer_revoke(*, actor: User, manufacturer: Manufacturer, reason: str) -> Manufacturer:
    """The province revokes a designation (art. 24): no further order or delivery."""
    require_role(actor, Role.PROVINCE_ADMIN)
    text = clean_text(reason, 200)
    if text is None:
        raise _refuse(
            _("Give the reason for the revocation."),
            {"reason": _("Give the reason (at most 200 characters).")},
        )
    maker = Manufacturer.objects.select_for_update().get(pk=manufacturer.pk)
    if maker.status == Manufacturer.Status.REVOKED:
        raise BusinessError(_("This designation is revoked already."), code=ALREADY_REVOKED)
    maker.status = Manufacturer.Status.REVOKED
    maker.revoked_reason = text
    maker.revoked_at = timezone.now()
    maker.save(update_fields=["status", "revoked_reason", "revoked_at"])
    audit_record(
        actor=actor,
        action="tags.manufacturer_revoke",
        obj=maker,
        region_code=actor.region_code or "",
        details={"reason": text},
    )
    return maker


def _ordered(plan: ProductionPlan) -> int:
    return numbers_in(TagOrder.objects.filter(plan=plan))


def _require_designated(maker: Manufacturer, day: date, field: str) -> None:
    """Refuse a maker not designated on ``day``: revoked (art. 24), or outside its period."""
    if maker.designated_on(day):
        return
    if maker.status == Manufacturer.Status.REVOKED:
        message = _("The designation of %(maker)s is revoked: %(reason)s") % {
            "maker": maker.name,
            "reason": maker.revoked_reason,
        }
    else:
        message = _("%(maker)s is not designated on %(date)s.") % {
            "maker": maker.name,
            "date": day.isoformat(),
        }
    raise BusinessError(message, code=MAKER_NOT_DESIGNATED, fields={field: message})


@transaction.atomic
def plan_set(
    *, actor: User, manufacturer: Manufacturer, year: int, species: str, quantity: int
) -> ProductionPlan:
    """The province sets (or changes) a maker's plan for a year and species; a plan never falls
    below what the counties have ordered against it."""
    require_role(actor, Role.PROVINCE_ADMIN)
    maker = Manufacturer.objects.select_for_update().get(pk=manufacturer.pk)
    errors: dict[str, str] = {}
    if species not in maker.species:
        errors["species"] = _("%(maker)s is not designated for this species.") % {
            "maker": maker.name
        }
    if not 1 <= quantity <= MAX_QUANTITY:
        errors["quantity"] = _("A quantity between 1 and %(n)d.") % {"n": MAX_QUANTITY}
    if not maker.valid_from.year <= year <= maker.valid_until.year:
        errors["year"] = _("The designation runs from %(first)s to %(last)s.") % {
            "first": maker.valid_from.isoformat(),
            "last": maker.valid_until.isoformat(),
        }
    if maker.status != Manufacturer.Status.DESIGNATED:
        errors["manufacturer"] = _("The designation of %(maker)s is revoked.") % {
            "maker": maker.name
        }
    if errors:
        raise _refuse(_("The plan could not be saved."), errors)
    plan = (
        ProductionPlan.objects.select_for_update()
        .filter(manufacturer=maker, year=year, species=species)
        .first()
    )
    if plan is None:
        plan = ProductionPlan.objects.create(
            manufacturer=maker, year=year, species=species, quantity=quantity, created_by=actor
        )
    else:
        ordered = _ordered(plan)
        if quantity < ordered:
            message = _("Counties have ordered %(n)d tags against this plan already.") % {
                "n": ordered
            }
            raise BusinessError(message, code=PLAN_BELOW_ORDERED, fields={"quantity": message})
        plan.quantity = quantity
        plan.created_by = actor
        plan.save(update_fields=["quantity", "created_by", "updated_at"])
    audit_record(
        actor=actor,
        action="tags.plan",
        obj=plan,
        region_code=actor.region_code or "",
        details={
            "manufacturer": maker.name,
            "year": year,
            "species": species,
            "quantity": quantity,
        },
    )
    return plan


def _block(county: Region, species: str, first_text: str, last_text: str) -> tuple[int, int]:
    """The order's number block, read and checked: the county's own numbers of one species."""
    errors: dict[str, str] = {}
    numbers: dict[str, int] = {}
    for field, text in (("first", first_text), ("last", last_text)):
        try:
            numbers[field] = parse_tag(text, species=species_digits())
        except CodeError as error:
            errors[field] = reason_text(error.reason)
    if errors:
        raise _refuse(_("The number block could not be read."), errors)
    first, last = numbers["first"], numbers["last"]
    parts = {county.code, *county.aliases.values_list("code", flat=True)}
    if first > last:
        errors["last"] = _("The last number is smaller than the first.")
    elif prefix_of(first) != prefix_of(last):
        errors["last"] = _("First and last number differ in species or county digits.")
    elif species_of(first, species=species_digits()) != species:
        errors["first"] = _("The tags' species digit %(digit)d is not %(species)s.") % {
            "digit": split(first).species_digit,
            "species": species_label(species),
        }
    elif split(first).county not in parts:
        errors["first"] = _("County part %(part)s is not %(county)s's code.") % {
            "part": split(first).county,
            "county": county.name,
        }
    elif last - first + 1 > MAX_QUANTITY:
        errors["last"] = _("A quantity between 1 and %(n)d.") % {"n": MAX_QUANTITY}
    if errors:
        raise _refuse(_("The number block cannot be ordered."), errors)
    return first, last


@transaction.atomic
def order_place(
    *, actor: User, plan: ProductionPlan, first: str, last: str, ordered_on: date | None = None
) -> TagOrder:
    """A county orders a block of its numbers against a maker's plan (计划订购, art. 11): the
    maker designated for the species on the day, the plan not exceeded, the block the county's
    and nobody else's order."""
    require_role(actor, Role.COUNTY_OFFICER)
    county_code = county_of(actor.region_code or "")
    if county_code is None or actor.region_code != county_code:
        raise PermissionDenied(_("Tags are ordered by a county agency."))
    today = timezone.localdate()
    ordered_on = ordered_on or today
    if ordered_on > today:
        raise _refuse(
            _("The order date lies in the future."),
            {"ordered_on": _("The order date lies in the future.")},
        )
    # Orders against one plan take turns (the plan's remainder), and so do one county's
    # (its blocks): plan first, then county, always in this order.
    plan = ProductionPlan.objects.select_for_update().select_related("manufacturer").get(pk=plan.pk)
    county = Region.objects.select_for_update().get(code=county_code)
    maker = plan.manufacturer
    _require_designated(maker, ordered_on, "plan")
    if plan.year != ordered_on.year:
        message = _("This plan is for %(year)d.") % {"year": plan.year}
        raise _refuse(message, {"plan": message})
    a, b = _block(county, plan.species, first, last)
    remaining = plan.quantity - _ordered(plan)
    if b - a + 1 > remaining:
        message = _("The plan of %(maker)s has %(n)d tags left to order.") % {
            "maker": maker.name,
            "n": max(remaining, 0),
        }
        raise BusinessError(message, code=BEYOND_PLAN, fields={"last": message})
    clash = TagOrder.objects.filter(first__lte=b, last__gte=a).order_by("first").first()
    if clash is not None:
        message = _("The block overlaps order %(number)s (%(range)s).") % {
            "number": clash.number,
            "range": format_range(clash.first, clash.last),
        }
        raise BusinessError(message, code=ORDER_OVERLAPS, fields={"first": message})
    sequence = sequence_take(f"tag-order:{county_code}:{ordered_on.year}")
    order = TagOrder.objects.create(
        number=f"DG{county_code}{ordered_on.year}{sequence:04d}",
        county=county,
        plan=plan,
        first=a,
        last=b,
        ordered_on=ordered_on,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="tags.order",
        obj=order,
        region_code=county_code,
        details={
            "number": order.number,
            "manufacturer": maker.name,
            "range": format_range(a, b),
            "quantity": order.quantity,
        },
    )
    return order


def order_for_delivery(*, actor: User, order_id: int, delivered_on: date) -> TagOrder:
    """The order a delivery is recorded against: the actor's county's, from a maker designated
    on the delivery day (art. 24)."""
    order = TagOrder.objects.select_related("plan__manufacturer").filter(pk=order_id).first()
    if order is None:
        raise NotFound()
    require_region(actor, order.county_id)
    _require_designated(order.plan.manufacturer, delivered_on, "order")
    return order
