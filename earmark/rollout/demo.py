"""The demo province's rollout: 九台区 enabled, and 长春's other counties at every other step,
so that the dashboard shows every state (and, later in the year, overdue cities)."""

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
from earmark.regions.models import Region
from earmark.rollout.models import CountyRollout, Training
from earmark.rollout.services.counties import county_accept, county_enable, county_request
from earmark.rollout.services.equipment import (
    terminal_quota_set,
    terminal_register,
    training_record,
)

# County → the furthest step it reaches in the demo.
STEPS = ["farms", "inventory", "trained", "requested", "enabled", "accepted"]
DEMO_COUNTIES = {
    "220102": "accepted",
    "220103": "enabled",
    "220104": "requested",
    "220105": "trained",
    "220106": "inventory",
    "220112": "farms",
}


@transaction.atomic
def seed_rollout(*, province: User) -> bool:
    """Switch 九台区 on (its data comes afterwards) and walk 长春's other counties through the
    real services up to their demo step. Idempotent."""
    if CountyRollout.objects.filter(county_id="220113").exists():
        return False
    now = timezone.now()
    CountyRollout.objects.create(
        county_id="220113",
        planned_on=now.date() - timedelta(days=240),
        requested_at=now - timedelta(days=245),
        enabled_by=province,
        note="首批试点县",
    )
    Region.objects.filter(code="220113").update(enabled_at=now - timedelta(days=240))
    for code, step in DEMO_COUNTIES.items():
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
        title="九台区新功能使用培训",
        attendance=[("220113", 4), ("220113102", 3), ("220113103", 2)],
    )
    terminal_quota_set(actor=province, region_code="220113", required=5)
    terminal_register(
        actor=county,
        device_id="DJET-220113-0001",
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
