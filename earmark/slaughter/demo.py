"""A slaughterhouse day of the demo: the pigs waiting at the demo slaughterhouse go through the
ante-mortem check in two batches; the first is inspected post-mortem (one pig condemned to the
disposal plant) and its carcasses leave on a 产品A to the partner province and a 产品B within the
county, part of which the county passes on to a school canteen; the second waits for its
post-mortem."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from earmark.accounts.models import User
from earmark.eartags.ranges import RangeSet
from earmark.farms.models import Premises
from earmark.movements.selectors import waiting_at
from earmark.regions.demo import demo_place
from earmark.regions.provinces import PROVINCES
from earmark.slaughter.models import SlaughterBatch
from earmark.slaughter.selectors import batch_tags_received
from earmark.slaughter.services.batches import PostMortem, Source, batch_close, batch_open
from earmark.slaughter.services.products import (
    Consignment,
    product_certificate_issue,
    product_certificate_split,
)


@transaction.atomic
def seed_slaughter(*, vet: User) -> bool:
    slaughterhouse = Premises.objects.get(external_id="DEMO-007")
    waiting = [
        w for w in waiting_at(Premises.objects.filter(pk=slaughterhouse.pk)) if w.waiting >= 4
    ]
    if SlaughterBatch.objects.exists() or not waiting:
        return False
    place = demo_place()
    first = waiting[0]
    count = first.waiting - 1
    tags = list(
        batch_tags_received(slaughterhouse=slaughterhouse, numbers=[first.certificate]).expand()
    )
    own = RangeSet.from_numbers(tags[:count])
    batch = batch_open(
        actor=vet,
        slaughterhouse=slaughterhouse,
        sources=[Source(first.certificate, count)],
        ante_result=SlaughterBatch.Ante.PASSED,
        tags=own,
    )
    passed = count - 1
    batch_close(
        actor=vet,
        batch=batch,
        post=PostMortem(
            findings={"liver": "1头肝脏严重淤血、肿大", "lungs": "未见异常", "carcass": "未见异常"},
            condemned=1,
            condemned_tags=RangeSet.from_numbers(tags[:1]),
            condemned_kg=Decimal("88.5"),
            disposal_plant=Premises.objects.get(external_id="DEMO-009"),
            quality_certificate="PZ-2026-0001",
            products=[
                ("carcass", passed, Decimal(92 * passed)),
                ("offal", passed, Decimal(14 * passed)),
            ],
        ),
    )
    away = product_certificate_issue(
        actor=vet,
        batch=batch,
        consignment=Consignment(
            product="carcass",
            quantity=1,
            weight_kg=Decimal(92),
            owner_name="鲜达冷链批发部",
            owner_phone=place.phone(91, "139"),
            destination_province=place.partner,
            destination=f"{PROVINCES[place.partner]}农产品批发市场冷库",
            vehicle_plate=place.plate("L0921"),
        ),
    )
    within = product_certificate_issue(
        actor=vet,
        batch=batch,
        consignment=Consignment(
            product="carcass",
            quantity=passed - 1,
            weight_kg=Decimal(92 * (passed - 1)),
            owner_name="城东农贸市场鲜肉摊",
            owner_phone=place.phone(92, "139"),
            destination_province=place.province,
            destination_region=place.township,
            destination="农贸市场3号摊位",
        ),
    )
    product_certificate_split(
        actor=vet,
        parent=within,
        consignment=Consignment(
            product="carcass",
            quantity=1,
            weight_kg=Decimal(92),
            owner_name="第一中学食堂",
            destination_province=place.province,
            destination_region=place.township,
            destination="第一中学",
        ),
    )
    assert away.pk
    batch_open(
        actor=vet,
        slaughterhouse=slaughterhouse,
        sources=[Source(first.certificate, 1)],
        ante_result=SlaughterBatch.Ante.PASSED,
        tags=RangeSet.from_numbers(tags[count : count + 1]),
    )
    return True
