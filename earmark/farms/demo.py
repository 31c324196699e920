"""Demo premises in 长春市九台区 (every kind, some incomplete, some unverified) and a few
elsewhere, so that a newcomer can walk the farm registry."""

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
from earmark.regions.models import Region

# (external id, kind, name, owner, phone, township, address, stock, verify)
DemoRow = tuple[str, str, str, str, str, str, str, dict[str, int], bool]
DEMO_PREMISES: tuple[DemoRow, ...] = (
    (
        "DEMO-001",
        "farm",
        "九台区其塔木镇宏达生猪养殖场",
        "王宏达",
        "13904310001",
        "220113102",
        "其塔木镇东岗村三社",
        {"pig": 860},
        True,
    ),
    (
        "DEMO-002",
        "farm",
        "九台区上河湾镇丰源肉牛养殖场",
        "李丰源",
        "13904310002",
        "220113103",
        "上河湾镇万宝村",
        {"cattle": 210},
        True,
    ),
    (
        "DEMO-003",
        "household",
        "张立新（散养户）",
        "张立新",
        "13904310003",
        "220113102",
        "其塔木镇西岗村五社",
        {"pig": 18, "sheep": 25},
        True,
    ),
    (
        "DEMO-004",
        "household",
        "刘春华（散养户）",
        "刘春华",
        "13904310004",
        "220113102",
        "其塔木镇北山村",
        {"sheep": 60},
        False,
    ),
    (
        "DEMO-005",
        "farm",
        "九台区胡家乡牧兴养羊合作社",
        "赵牧兴",
        "",
        "220113200",
        "胡家回族乡胡家村",
        {"sheep": 340},
        False,
    ),
    ("DEMO-006", "household", "孙玉芬（散养户）", "", "13904310006", "220113201", "", {}, False),
    (
        "DEMO-007",
        "slaughterhouse",
        "九台区定点屠宰场",
        "周国强",
        "13904310007",
        "220113001",
        "九台街道工业园区8号",
        {},
        True,
    ),
    (
        "DEMO-008",
        "market",
        "九台区活畜交易市场",
        "吴凤霞",
        "13904310008",
        "220113005",
        "卡伦湖街道市场路",
        {},
        True,
    ),
    (
        "DEMO-009",
        "disposal",
        "九台区病死畜禽无害化处理中心",
        "郑海",
        "13904310009",
        "220113012",
        "龙嘉街道处理厂路",
        {},
        True,
    ),
    (
        "DEMO-101",
        "farm",
        "南关区幸福肉牛养殖场",
        "陈幸福",
        "13904310101",
        "220102001",
        "南岭街道",
        {"cattle": 95},
        False,
    ),
    (
        "DEMO-102",
        "farm",
        "公主岭市金源生猪养殖场",
        "钱金源",
        "13904310102",
        "220184",
        "范家屯镇",
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
    for external_id, kind, name, owner, phone, township, address, stock, verify in DEMO_PREMISES:
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
    for plate, owner, phone, capacity, documents in (
        ("吉A7D521", "赵铁军", "13704310021", 60, "九农运备字2026第017号"),
        ("吉A5K903", "钱永福", "13704310022", 120, "九农运备字2026第023号"),
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
        vehicle=Vehicle.objects.get(plate="吉A5K903"),
        reason="运载工具消毒检查不合格，整改后恢复",
    )
    return True


@transaction.atomic
def seed_dealers(*, county_officer: User) -> bool:
    """A dealer of 九台区 who also buys in 德惠市, and one suspended after foreign tags were
    found in his loads."""
    if Dealer.objects.exists():
        return False
    today = timezone.localdate()
    dealer_register(
        actor=county_officer,
        data=DealerData(
            name="周长顺",
            id_card="220113198001011233",
            phone="13604310031",
            counties=["220183"],
            trained_on=today - timedelta(days=8),
        ),
    )
    suspended = dealer_register(
        actor=county_officer,
        data=DealerData(name="吴大伟", id_card="220113197707074565", phone="13604310032"),
    )
    dealer_suspend(
        actor=county_officer, dealer=suspended, reason="收购畜禽中发现外县耳标，暂停备案待查"
    )
    return True


@transaction.atomic
def seed_checkpoints(*, province: User, county_officer: User) -> bool:
    """Two designated checkpoints — 拉林河 on the road to Heilongjiang and one in 九台区, where
    demo-checkpoint is posted."""
    if Checkpoint.objects.exists():
        return False
    checkpoint_register(
        actor=province,
        data=CheckpointData(
            code="JL-ZD-001",
            name="拉林河检查站",
            road="G1 京哈高速",
            county="220182",
            latitude=Decimal("44.887000"),
            longitude=Decimal("126.516000"),
        ),
    )
    jiutai = checkpoint_register(
        actor=province,
        data=CheckpointData(
            code="JL-ZD-002", name="九台卡伦检查站", road="G12 珲乌高速", county="220113"
        ),
    )
    checkpoint_post(actor=county_officer, checkpoint=jiutai, username="demo-checkpoint")
    return True
