"""The demo province's rollout: the demo county enabled (九台区 for Jilin), and its city's other
counties at every other step, so that the dashboard shows every state (and, later in the year,
overdue cities)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from earmark.accounts.demo import DEMO_PASSWORD
from earmark.accounts.models import Agency, Role, User
from earmark.accounts.services import user_create
from earmark.eartags.services.registration import RegistrationRow, tags_register
from earmark.farms.services.changes import premises_verify
from earmark.farms.services.registration import PremisesData, premises_register
from earmark.regions.demo import demo_place
from earmark.regions.models import Region
from earmark.rollout.models import (
    Bulletin,
    CountyRollout,
    LeadingGroup,
    Publicity,
    ReportRound,
    Training,
)
from earmark.rollout.services.bulletins import bulletin_draft, bulletin_issue, bulletin_review
from earmark.rollout.services.counties import county_accept, county_enable, county_request
from earmark.rollout.services.equipment import (
    terminal_quota_set,
    terminal_register,
    training_record,
)
from earmark.rollout.services.organisation import leading_group_set, publicity_record
from earmark.rollout.services.supervision import (
    Fix,
    Remarks,
    fix_answer,
    inspection_record,
    report_file,
    round_open,
)

# The steps a county goes through; the city's other counties reach one each, furthest first.
STEPS = ["farms", "inventory", "trained", "requested", "enabled", "accepted"]


@transaction.atomic
def seed_rollout(*, province: User) -> bool:
    """Switch the demo county on (its data comes afterwards) and walk its city's other counties
    through the real services up to their demo step. Idempotent."""
    place = demo_place()
    if CountyRollout.objects.filter(county_id=place.county).exists():
        return False
    now = timezone.now()
    CountyRollout.objects.create(
        county_id=place.county,
        planned_on=now.date() - timedelta(days=240),
        requested_at=now - timedelta(days=245),
        enabled_by=province,
        note="首批试点县",
    )
    Region.objects.filter(code=place.county).update(enabled_at=now - timedelta(days=240))
    for code, step in zip(place.others, reversed(STEPS), strict=False):
        _walk(code, STEPS.index(step), province)
    training_record(
        actor=province,
        kind=Training.Kind.TRAINER,
        held_on=now.date() - timedelta(days=260),
        title="全省耳标追溯及产地检疫新功能师资培训",
        attendance=[(a.region_id, 2) for a in Agency.objects.filter(level=Agency.Level.CITY)],
    )
    county = User.objects.get(username="demo-county")
    training_record(
        actor=county,
        kind=Training.Kind.USER,
        held_on=now.date() - timedelta(days=250),
        title=f"{place.county_name}新功能使用培训",
        attendance=[(place.county, 4), (place.towns[0], 3), (place.towns[1], 2)],
    )
    terminal_quota_set(actor=province, region_code=place.county, required=5)
    terminal_register(
        actor=county,
        device_id=f"DJET-{place.county}-0001",
        model="动监e通 T3",
        holder=User.objects.get(username="demo-vet"),
    )
    return True


def _walk(code: str, last: int, province: User) -> None:
    officer = user_create(
        actor=None,
        agency=Agency.objects.get(region_id=code),
        username=f"demo-county-{code}",
        password=DEMO_PASSWORD,
        roles=[Role.COUNTY_OFFICER],
    )
    township = Region.objects.filter(parent_id=code).order_by("code").first()
    assert township is not None
    for n in range(2):
        premises = premises_register(
            actor=officer,
            data=PremisesData(
                kind="farm",
                name=f"{township.name}示范猪场{n + 1}",
                township=township.code,
                owner_name="示范",
                phone=f"1390000{code[-3:]}{n}",
                address=f"{township.name}一村",
                stock={"pig": 100},
            ),
        )
        premises_verify(actor=officer, premises=premises)
    if last >= STEPS.index("inventory"):
        prefix = f"1{code}"
        tags_register(
            actor=officer,
            rows=[
                RegistrationRow(
                    line=2,
                    species="pig",
                    first=f"{prefix}00000001",
                    last=f"{prefix}00001000",
                    quantity="1000",
                    box="A001",
                    pack="01",
                )
            ],
        )
    if last >= STEPS.index("trained"):
        training_record(
            actor=officer,
            kind=Training.Kind.USER,
            held_on=timezone.localdate() - timedelta(days=30),
            title="新功能使用培训",
            attendance=[(code, 3), (township.code, 2)],
        )
    if last >= STEPS.index("requested"):
        county_request(
            actor=officer, code=code, planned_on=timezone.localdate() + timedelta(days=14)
        )
    if last >= STEPS.index("enabled"):
        county_enable(actor=province, code=code)
    if last >= STEPS.index("accepted"):
        county_accept(actor=province, code=code, note="验收合格")


@transaction.atomic
def seed_supervision(*, province: User, city: User, county_officer: User) -> bool:
    """Two rounds of progress reports — one past due, which the demo county filed late and the
    other counties not at all, and one not yet due, which it filed early — and two inspections
    of it: the province's, answered, and the city's with one fix open past its deadline."""
    if ReportRound.objects.exists():
        return False
    place = demo_place()
    today = timezone.localdate()
    this_month = today.replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    earlier = (last_month - timedelta(days=1)).replace(day=1)
    past = round_open(
        actor=province,
        title=f"{earlier.year}年{earlier.month}月工作调度",
        since=earlier,
        until=last_month - timedelta(days=1),
        due_on=last_month + timedelta(days=4),
    )
    current = round_open(
        actor=province,
        title=f"{last_month.year}年{last_month.month}月工作调度",
        since=last_month,
        until=this_month - timedelta(days=1),
        due_on=this_month + timedelta(days=9),
    )
    report_file(
        actor=county_officer,
        round=past,
        remarks=Remarks(
            progress="已完成全部养殖场户基础信息核实，耳标库存按箱登记完毕。",
            problems="两个乡镇站动监e通终端尚未配齐。",
            next_steps="本月内补齐终端，开展第二期使用培训。",
        ),
    )
    # This month's report went in early, on time.
    report_file(
        actor=county_officer,
        round=current,
        remarks=Remarks(progress="终端已配齐，第二期使用培训已完成。"),
    )
    earlier_visit = inspection_record(
        actor=province,
        county=county_officer.region_code or "",
        visited_on=today - timedelta(days=60),
        team="省动物卫生监督所督查组",
        findings="领导小组和联络员已明确，宣传资料已发放到村。",
        fixes=[Fix("补充村级宣传栏", today - timedelta(days=40))],
    )
    fix_answer(
        actor=county_officer,
        fix=earlier_visit.fixes.get(position=1),
        answer="各村宣传栏已补充完毕。",
    )
    inspection = inspection_record(
        actor=city,
        county=county_officer.region_code or "",
        visited_on=today - timedelta(days=20),
        team=f"{place.city_name}动物卫生监督所督查组",
        findings=(
            f"{place.name(place.township)}站耳标出入库登记不及时；部分防疫员未记录耳标钳消毒情况。"
        ),
        fixes=[
            Fix("耳标出入库当日登记", today - timedelta(days=10)),
            Fix("防疫员每次免疫记录耳标和耳标钳消毒方式", today - timedelta(days=3)),
        ],
    )
    fix_answer(
        actor=county_officer,
        fix=inspection.fixes.get(position=1),
        answer="已要求各站当日登记，县所每周抽查。",
    )
    return True


@transaction.atomic
def seed_organisation(*, province: User, county_officer: User, township_officer: User) -> bool:
    """The province's and the demo county's leading groups, two publicity activities and a
    farmer and a dealer training in the county."""
    if LeadingGroup.objects.exists():
        return False
    place = demo_place()
    leading_group_set(
        actor=province,
        leader="省动物卫生监督所所长",
        members="副所长、信息科科长、检疫科科长",
        liaison_name="刘洋",
        liaison_phone=place.phone(1),
    )
    leading_group_set(
        actor=county_officer,
        leader=f"{place.county_name}农业农村局副局长",
        members="区动物卫生监督所所长、各乡镇站站长",
        liaison_name="孙丽",
        liaison_phone=place.phone(2),
    )
    today = timezone.localdate()
    publicity_record(
        actor=county_officer,
        kind=Publicity.Kind.MATERIAL,
        held_on=today - timedelta(days=30),
        title="发放《耳标佩戴和产地检疫申报明白纸》",
        reach=3000,
    )
    publicity_record(
        actor=township_officer,
        kind=Publicity.Kind.MEETING,
        held_on=today - timedelta(days=12),
        title=f"{place.name(place.township)}养殖场户扫码申报现场会",
        reach=85,
    )
    station = township_officer.region_code or ""
    training_record(
        actor=township_officer,
        kind=Training.Kind.FARM,
        held_on=today - timedelta(days=12),
        title="养殖场户扫码申报培训",
        attendance=[(station, 40)],
    )
    training_record(
        actor=county_officer,
        kind=Training.Kind.DEALER,
        held_on=today - timedelta(days=8),
        title="贩运经纪人跨省调运要求培训",
        attendance=[(county_officer.region_code or "", 15)],
    )
    return True


@transaction.atomic
def seed_bulletins(*, province: User, reviewer: User) -> bool:
    """Last month's bulletin drafted, reviewed and issued; this month's a draft waiting for its
    review (two bulletins, a list of two)."""
    if Bulletin.objects.exists():
        return False
    today = timezone.localdate()
    last_month = today.replace(day=1) - timedelta(days=1)
    issued = bulletin_draft(
        actor=province,
        period=f"{last_month:%Y-%m}",
        recipients="各市（州）动物卫生监督所",
        copies_to="省农业农村厅",
    )
    bulletin_review(actor=reviewer, bulletin=issued)
    bulletin_issue(actor=province, bulletin=issued)
    bulletin_draft(actor=province, period=f"{today:%Y-%m}", recipients="各市（州）动物卫生监督所")
    return True
