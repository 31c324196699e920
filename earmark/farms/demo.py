"""Demo premises in the demo county (长春市九台区 for Jilin: every kind, some incomplete, some
unverified) and a few elsewhere, so that a newcomer can walk the farm registry."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from earmark.accounts.models import User
from earmark.farms.models import Checkpoint, Dealer, Premises, Restriction, Vehicle
from earmark.farms.services.changes import premises_verify
from earmark.farms.services.checkpoints import CheckpointData, checkpoint_post, checkpoint_register
from earmark.farms.services.dealers import DealerData, dealer_register, dealer_suspend
from earmark.farms.services.registration import PremisesData, premises_register
from earmark.farms.services.restrictions import (
    RestrictionData,
    restriction_lift,
    restriction_place,
)
from earmark.farms.services.vehicles import VehicleData, vehicle_register, vehicle_suspend
from earmark.regions.demo import DemoPlace, demo_place
from earmark.regions.models import Region

# (external id, kind, name, owner, phone, township, address, stock, verify)
DemoRow = tuple[str, str, str, str, str, str, str, dict[str, int], bool]


def demo_premises(place: DemoPlace) -> tuple[DemoRow, ...]:
    """Every kind of premises in the demo's county, some incomplete, some unverified, and two
    farms in other counties."""
    county, name = place.county_name, place.name
    town, second = place.towns
    village, other_village = place.villages
    street_a, street_b, street_c = place.streets
    here, there, _dealer_county = place.elsewhere
    return (
        (
            "DEMO-001",
            "farm",
            f"{county}{name(town)}宏达生猪养殖场",
            "王宏达",
            place.phone(1),
            town,
            f"{name(town)}东岗村三社",
            {"pig": 860},
            True,
        ),
        (
            "DEMO-002",
            "farm",
            f"{county}{name(second)}丰源肉牛养殖场",
            "李丰源",
            place.phone(2),
            second,
            f"{name(second)}万宝村",
            {"cattle": 210},
            True,
        ),
        (
            "DEMO-003",
            "household",
            "张立新（散养户）",
            "张立新",
            place.phone(3),
            town,
            f"{name(town)}西岗村五社",
            {"pig": 18, "sheep": 25},
            True,
        ),
        (
            "DEMO-004",
            "household",
            "刘春华（散养户）",
            "刘春华",
            place.phone(4),
            town,
            f"{name(town)}北山村",
            {"sheep": 60},
            False,
        ),
        (
            "DEMO-005",
            "farm",
            f"{county}{name(village)}牧兴养羊合作社",
            "赵牧兴",
            "",
            village,
            f"{name(village)}胡家村",
            {"sheep": 340},
            False,
        ),
        (
            "DEMO-006",
            "household",
            "孙玉芬（散养户）",
            "",
            place.phone(6),
            other_village,
            "",
            {},
            False,
        ),
        (
            "DEMO-007",
            "slaughterhouse",
            f"{county}定点屠宰场",
            "周国强",
            place.phone(7),
            street_a,
            f"{name(street_a)}工业园区8号",
            {},
            True,
        ),
        (
            "DEMO-008",
            "market",
            f"{county}活畜交易市场",
            "吴凤霞",
            place.phone(8),
            street_b,
            f"{name(street_b)}市场路",
            {},
            True,
        ),
        (
            "DEMO-009",
            "disposal",
            f"{county}病死畜禽无害化处理中心",
            "郑海",
            place.phone(9),
            street_c,
            f"{name(street_c)}处理厂路",
            {},
            True,
        ),
        (
            "DEMO-101",
            "farm",
            f"{name(here)}幸福肉牛养殖场",
            "陈幸福",
            place.phone(101),
            here,
            "",
            {"cattle": 95},
            False,
        ),
        (
            "DEMO-102",
            "farm",
            f"{name(there)}金源生猪养殖场",
            "钱金源",
            place.phone(102),
            there,
            "",
            {"pig": 1500},
            False,
        ),
    )


@transaction.atomic
def seed_premises(*, county_officer: User) -> int:
    """Create the demo premises that are missing; returns how many were created."""

    existing = set(
        Premises.objects.filter(external_id__startswith="DEMO-").values_list(
            "external_id", flat=True
        )
    )
    created = 0
    rows = demo_premises(demo_place())
    for external_id, kind, name, owner, phone, township, address, stock, verify in rows:
        if external_id in existing:
            continue
        if len(township) == 6:
            township = (
                Region.objects.filter(parent_id=township)
                .order_by("code")
                .values_list("code", flat=True)[0]
            )
        premises = premises_register(
            actor=None,
            data=PremisesData(
                kind=kind,
                name=name,
                township=township,
                owner_name=owner,
                phone=phone,
                address=address,
                stock=stock,
                external_id=external_id,
            ),
        )
        if verify and premises.county_code == county_officer.region_code:
            premises_verify(actor=county_officer, premises=premises)
        created += 1
    return created


@transaction.atomic
def seed_restriction(*, county_officer: User) -> bool:
    """One movement restriction in force, on 孙玉芬's township after a suspected case nearby,
    and an earlier one on 丰源's cattle farm, lifted."""
    township = Premises.objects.get(external_id="DEMO-006").township_id
    if Restriction.objects.filter(township_id=township).exists():
        return False
    earlier = restriction_place(
        actor=county_officer,
        data=RestrictionData(
            kind=Restriction.Kind.PREMISES,
            premises=Premises.objects.get(external_id="DEMO-002"),
            reason="牛结节性皮肤病疑似病例，待实验室确诊",
        ),
    )
    restriction_lift(actor=county_officer, restriction=earlier, reason="实验室检测阴性")
    restriction_place(
        actor=county_officer,
        data=RestrictionData(
            kind=Restriction.Kind.TOWNSHIP,
            township=township,
            reason="周边发现疑似非洲猪瘟疫情，暂停生猪调出调入",
        ),
    )
    return True


@transaction.atomic
def seed_vehicles(*, county_officer: User) -> bool:
    """The truck the demo's declarations name, registered, and one suspended after failing its
    disinfection check."""
    if Vehicle.objects.exists():
        return False
    place = demo_place()
    record = f"{place.county_name[0]}农运备字2026"
    for plate, owner, phone, capacity, documents in (
        (place.plate("7D521"), "赵铁军", place.phone(21, "137"), 60, f"{record}第017号"),
        (place.plate("5K903"), "钱永福", place.phone(22, "137"), 120, f"{record}第023号"),
    ):
        vehicle_register(
            actor=county_officer,
            data=VehicleData(
                plate=plate,
                owner_name=owner,
                owner_phone=phone,
                capacity=capacity,
                documents=documents,
            ),
        )
    vehicle_suspend(
        actor=county_officer,
        vehicle=Vehicle.objects.get(plate=place.plate("5K903")),
        reason="运载工具消毒检查不合格，整改后恢复",
    )
    return True


@transaction.atomic
def seed_dealers(*, county_officer: User) -> bool:
    """A dealer of the demo county who also buys in another county (九台区 and 德惠市 in
    Jilin), and one suspended after foreign tags were found in his loads."""
    if Dealer.objects.exists():
        return False
    place = demo_place()
    today = timezone.localdate()
    dealer_register(
        actor=county_officer,
        data=DealerData(
            name="周长顺",
            id_card=place.id_card("19800101", "123"),
            phone=place.phone(31, "136"),
            counties=[place.elsewhere[2]],
            trained_on=today - timedelta(days=8),
        ),
    )
    suspended = dealer_register(
        actor=county_officer,
        data=DealerData(
            name="吴大伟", id_card=place.id_card("19770707", "456"), phone=place.phone(32, "136")
        ),
    )
    dealer_suspend(
        actor=county_officer, dealer=suspended, reason="收购畜禽中发现外县耳标，暂停备案待查"
    )
    return True


@transaction.atomic
def seed_checkpoints(*, province: User, county_officer: User) -> bool:
    """Two designated checkpoints — 拉林河 on the G1 between Jilin and Heilongjiang, and one in
    the demo county, where demo-checkpoint is posted."""
    if Checkpoint.objects.exists():
        return False
    place = demo_place()
    prefix = place.preset.province_initials
    checkpoint_register(
        actor=province,
        data=CheckpointData(
            code=f"{prefix}-ZD-001",
            name="拉林河检查站",
            road="G1 京哈高速",
            county=place.border,
            latitude=Decimal("44.887000"),
            longitude=Decimal("126.516000"),
        ),
    )
    local = checkpoint_register(
        actor=province,
        data=CheckpointData(
            code=f"{prefix}-ZD-002",
            name=f"{place.county_name.removesuffix('区')}{place.name(place.streets[1])[:2]}检查站",
            road="G12 珲乌高速",
            county=place.county,
        ),
    )
    checkpoint_post(actor=county_officer, checkpoint=local, username="demo-checkpoint")
    return True
