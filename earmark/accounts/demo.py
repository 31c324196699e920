"""Demo agencies and one user per role in the demo's county (长春市九台区 for Jilin), for trying
the system out.

Never run in production: the demo password is public.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from earmark.accounts.models import Agency, Role, User
from earmark.accounts.services import agencies_seed, user_create
from earmark.regions.demo import DemoPlace, demo_place

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - public by design, listed in the README
# Jilin's demo (the default of ``make run``): 长春市九台区, whose tags may still carry its
# former code 220181, and 其塔木镇.
DEMO_COUNTY = "220113"
DEMO_TOWNSHIP = "220113102"


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    region: str
    roles: tuple[str, ...]
    vaccinator_number: str | None = None


def demo_users(place: DemoPlace) -> tuple[DemoUser, ...]:
    """One user per role, in the demo's province, city, county and township."""
    town = place.name(place.township)
    return (
        DemoUser("demo-province", "省所管理员", place.province, (Role.PROVINCE_ADMIN,)),
        # A second official of the province: bulletins are reviewed by another than their drafter.
        DemoUser("demo-province-review", "省所审核员", place.province, (Role.PROVINCE_ADMIN,)),
        DemoUser("demo-city", f"{place.city_name}监督员", place.city, (Role.CITY_OFFICER,)),
        DemoUser("demo-county", f"{place.county_name}监督员", place.county, (Role.COUNTY_OFFICER,)),
        DemoUser("demo-township", f"{town}站长", place.township, (Role.TOWNSHIP_OFFICER,)),
        DemoUser("demo-vet", "王志强", place.county, (Role.OFFICIAL_VET,)),
        DemoUser("demo-vaccinator", "李建国", place.township, (Role.VACCINATOR,), "01"),
        DemoUser("demo-checkpoint", "指定通道检查员", place.county, (Role.CHECKPOINT_OFFICER,)),
        DemoUser("demo-destination", "屠宰场收货员", place.county, (Role.DESTINATION_STAFF,)),
        DemoUser("demo-farmvet", "赵明（宏达场兽医）", place.township, (Role.FARM_VET,)),
    )


@transaction.atomic
def seed_accounts() -> list[str]:
    """Create the agencies and the demo users that are missing; returns the usernames created."""
    agencies_seed(actor=None)
    created = []
    for demo in demo_users(demo_place()):
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
