"""Demo agencies and one user per role in 长春市九台区, for trying the system out.

Never run in production: the demo password is public.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from earmark.accounts.models import Agency, Role, User
from earmark.accounts.services import agencies_seed, user_create

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - public by design, listed in the README
DEMO_PROVINCE = "220000"
DEMO_CITY = "220100"
DEMO_COUNTY = "220113"  # 长春市九台区, whose tags may still carry its former code 220181
DEMO_TOWNSHIP = "220113102"  # 其塔木镇


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    region: str
    roles: tuple[str, ...]
    vaccinator_number: str | None = None


DEMO_USERS = (
    DemoUser("demo-province", "省所管理员", DEMO_PROVINCE, (Role.PROVINCE_ADMIN,)),
    DemoUser("demo-city", "长春市监督员", DEMO_CITY, (Role.CITY_OFFICER,)),
    DemoUser("demo-county", "九台区监督员", DEMO_COUNTY, (Role.COUNTY_OFFICER,)),
    DemoUser("demo-township", "其塔木镇站长", DEMO_TOWNSHIP, (Role.TOWNSHIP_OFFICER,)),
    DemoUser("demo-vet", "王志强", DEMO_COUNTY, (Role.OFFICIAL_VET,)),
    DemoUser("demo-vaccinator", "李建国", DEMO_TOWNSHIP, (Role.VACCINATOR,), "01"),
    DemoUser("demo-checkpoint", "指定通道检查员", DEMO_COUNTY, (Role.CHECKPOINT_OFFICER,)),
    DemoUser("demo-destination", "屠宰场收货员", DEMO_COUNTY, (Role.DESTINATION_STAFF,)),
    DemoUser("demo-farmvet", "赵明（宏达场兽医）", DEMO_TOWNSHIP, (Role.FARM_VET,)),
)


@transaction.atomic
def seed_accounts() -> list[str]:
    """Create the agencies and the demo users that are missing; returns the usernames created."""
    agencies_seed(actor=None)
    created = []
    for demo in DEMO_USERS:
        if User.objects.filter(username=demo.username).exists():
            continue
        user_create(
            actor=None,
            agency=Agency.objects.get(region_id=demo.region),
            username=demo.username,
            password=DEMO_PASSWORD,
            roles=demo.roles,
            full_name=demo.full_name,
            vaccinator_number=demo.vaccinator_number,
        )
        created.append(demo.username)
    return created
