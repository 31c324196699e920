"""Demo inventory in the demo county (长春市九台区 for Jilin): the province's designated maker and
its plans, the county's orders, deliveries registered box by box (some older tags still carry
the county's former code, 220181 for 九台区), issued to two townships, and on to a farm and a
vaccinator."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from earmark.accounts.models import Agency, User
from earmark.eartags.holders import Holder
from earmark.eartags.models import Pliers, ProductionPlan, Registration
from earmark.eartags.services.issuing import Selection, tags_issue
from earmark.eartags.services.makers import (
    ManufacturerData,
    manufacturer_register,
    manufacturer_revoke,
    order_place,
    plan_set,
)
from earmark.eartags.services.pliers import pliers_issue, pliers_register
from earmark.eartags.services.registration import RegistrationRow, delivery_create, tags_register
from earmark.farms.models import Premises
from earmark.regions.demo import demo_place


def _rows(
    prefix: int, species: str, boxes: int, packs: int, per_pack: int
) -> list[RegistrationRow]:
    rows: list[RegistrationRow] = []
    serial = 1
    for box in range(1, boxes + 1):
        for pack in range(1, packs + 1):
            first, last = prefix * 10**8 + serial, prefix * 10**8 + serial + per_pack - 1
            rows.append(
                RegistrationRow(
                    line=len(rows) + 2,
                    species=species,
                    first=f"{first:015d}",
                    last=f"{last:015d}",
                    quantity=str(per_pack),
                    box=f"A{box:02d}",
                    pack=f"{pack:02d}",
                )
            )
            serial += per_pack
    return rows


def _maker(province: User) -> list[ProductionPlan]:
    """The province's designated maker with a plan per species for the year, and a maker whose
    designation was revoked (art. 24)."""
    today = timezone.localdate()
    place = demo_place()
    maker = manufacturer_register(
        actor=province,
        data=ManufacturerData(
            name=f"{place.province_name}动物标识定点生产企业",
            licence=f"{place.abbreviation}农标字（2024）第001号",
            species=["pig", "cattle", "sheep"],
            valid_from=date(today.year - 1, 1, 1),
            valid_until=date(today.year + 2, 12, 31),
        ),
    )
    revoked = manufacturer_register(
        actor=province,
        data=ManufacturerData(
            name=f"{place.city_short}某标牌制品厂",
            licence=f"{place.abbreviation}农标字（2023）第007号",
            species=["pig"],
            valid_from=date(today.year - 2, 1, 1),
            valid_until=date(today.year + 1, 12, 31),
        ),
    )
    manufacturer_revoke(
        actor=province, manufacturer=revoked, reason="抽检耳标编码重号，取消定点资格"
    )
    plans = []
    for year in sorted({today.year, today.year + 1}):
        for species, quantity in (("pig", 3_000_000), ("cattle", 400_000), ("sheep", 800_000)):
            plan = plan_set(
                actor=province, manufacturer=maker, year=year, species=species, quantity=quantity
            )
            if year == today.year:
                plans.append(plan)
    return plans


@transaction.atomic
def seed_tags(
    *, province: User, county_officer: User, township_officer: User, vaccinator: User
) -> bool:
    """Create the demo inventory unless the county registered tags already: the designated
    maker's plans, the county's orders against them, a delivery per order registered box by
    box, and older tags of the county's former code with no delivery."""
    place = demo_place()
    if Registration.objects.filter(county_id=place.county).exists():
        return False
    delivered_on = timezone.localdate() - timedelta(days=10)
    ordered_on = delivered_on - timedelta(days=30)
    batches = (
        _rows(place.tag_prefix(1), "pig", boxes=5, packs=10, per_pack=100),
        _rows(place.tag_prefix(2), "cattle", boxes=1, packs=10, per_pack=100),
        _rows(place.tag_prefix(3), "sheep", boxes=2, packs=10, per_pack=100),
    )
    for n, (plan, rows) in enumerate(zip(_maker(province), batches, strict=True), start=1):
        # Each order is a block of 20,000 numbers; the first delivery fills part of it.
        prefix = int(rows[0].first) // 10**8
        order = order_place(
            actor=county_officer,
            plan=plan,
            first=f"{prefix * 10**8 + 1:015d}",
            last=f"{prefix * 10**8 + 20_000:015d}",
            ordered_on=max(ordered_on, date(ordered_on.year, 1, 1)),
        )
        delivery = delivery_create(
            actor=county_officer,
            order_id=order.pk,
            note_number=f"{place.preset.province_initials}-EB-2026-03{17 + n}",
            delivered_on=delivered_on,
        )
        tags_register(actor=county_officer, rows=rows, delivery=delivery)
    if place.former:
        older = _rows(place.tag_prefix(1, place.former), "pig", boxes=1, packs=5, per_pack=100)
        tags_register(actor=county_officer, rows=older)
    station = Holder(agency=Agency.objects.get(region_id=place.towns[0]))
    second_station = Holder(agency=Agency.objects.get(region_id=place.towns[1]))
    tags_issue(actor=county_officer, target=station, species="pig", selection=Selection(count=2000))
    tags_issue(
        actor=county_officer,
        target=station,
        species="cattle",
        selection=Selection(boxes=[("A01", "01")]),
    )
    tags_issue(
        actor=county_officer, target=station, species="sheep", selection=Selection(count=500)
    )
    tags_issue(
        actor=county_officer, target=second_station, species="pig", selection=Selection(count=1000)
    )
    farm = Premises.objects.get(external_id="DEMO-001")
    tags_issue(
        actor=township_officer,
        target=Holder(premises=farm),
        species="pig",
        selection=Selection(count=300),
    )
    tags_issue(
        actor=township_officer,
        target=Holder(vaccinator=vaccinator),
        species="pig",
        selection=Selection(count=500),
    )
    tags_issue(
        actor=township_officer,
        target=Holder(vaccinator=vaccinator),
        species="sheep",
        selection=Selection(count=100),
    )
    return True


@transaction.atomic
def seed_pliers(*, county_officer: User, township_officer: User, vaccinator: User) -> bool:
    """Four pliers: two at the county, one at the station, one in the vaccinator's hands."""
    place = demo_place()
    if Pliers.objects.filter(county_id=place.county).exists():
        return False
    serials = [f"{place.preset.initials}-QZ-{n:03d}" for n in range(1, 5)]
    pliers_register(actor=county_officer, serials=serials)
    station = Agency.objects.get(region_id=township_officer.region_code)
    pliers_issue(actor=county_officer, serials=serials[:2], target=Holder(agency=station))
    pliers_issue(actor=township_officer, serials=serials[:1], target=Holder(vaccinator=vaccinator))
    return True
