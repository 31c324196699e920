"""Demo immunizations in 其塔木镇: tagged pigs at 宏达 (some whose protection ran out) and
tagged sheep at 张立新's household; 宏达's own approved veterinarian."""

from __future__ import annotations

from datetime import date, timedelta

import time_machine
from django.db import transaction
from django.utils import timezone

from earmark.accounts.models import User
from earmark.eartags.models import Holding
from earmark.eartags.ranges import RangeSet
from earmark.farms.models import Premises
from earmark.immunization.models import FarmVet, ImmunizationRecord, Vaccine
from earmark.immunization.services.farm_vets import Approval, farm_vet_approve, farm_vet_revoke
from earmark.immunization.services.records import Session, immunization_record
from earmark.regions.demo import demo_place


def _first(vaccinator: User, species: str, count: int) -> RangeSet:
    held = Holding.objects.filter(
        vaccinator=vaccinator, species=species, state="available"
    ).order_by("first")
    return RangeSet.of((h.first, h.last) for h in held).take_first(count)


@transaction.atomic
def seed_immunizations(*, vaccinator: User) -> bool:
    place = demo_place()
    if ImmunizationRecord.objects.filter(county_code=place.county).exists():
        return False
    today = timezone.localdate()
    farm = Premises.objects.get(external_id="DEMO-001")
    household = Premises.objects.get(external_id="DEMO-003")
    pig_vaccine = Vaccine.objects.get(name="猪口蹄疫O型灭活疫苗")

    def record(
        premises: Premises,
        species: str,
        vaccine: Vaccine,
        numbers: RangeSet,
        days_ago: int,
        batch: str,
    ) -> None:
        # Recorded on the day of the session, as a vaccinator in the field would.
        with time_machine.travel(timezone.now() - timedelta(days=days_ago), tick=True):
            immunization_record(
                actor=vaccinator,
                premises=premises,
                session=Session(
                    species=species,
                    vaccine=vaccine,
                    batch_number=batch,
                    disinfection="75%酒精浸泡消毒",
                    vaccinated_on=today - timedelta(days=days_ago),
                    seller=f"{place.county_name}兽药经营部",
                    age=35 if species == "pig" else 6,
                    age_unit="days" if species == "pig" else "months",
                    campaign=ImmunizationRecord.Campaign.SPRING
                    if days_ago > 150
                    else ImmunizationRecord.Campaign.AUTUMN,
                ),
                numbers=numbers,
            )

    expired = _first(vaccinator, "pig", 20)
    record(farm, "pig", pig_vaccine, expired, 200, "O-2026-0311")
    protected = _first(vaccinator, "pig", 40)
    record(farm, "pig", pig_vaccine, protected, 30, "O-2026-0902")
    sheep = _first(vaccinator, "sheep", 10)
    record(
        household,
        "sheep",
        Vaccine.objects.get(name="口蹄疫O型合成肽疫苗"),
        sheep,
        30,
        "SP-2026-0901",
    )
    record(
        household,
        "sheep",
        Vaccine.objects.get(name="小反刍兽疫活疫苗（Clone9株）"),
        sheep,
        30,
        "PPR-2026-07",
    )
    return True


@transaction.atomic
def seed_farm_vets(*, county_officer: User) -> bool:
    """宏达's own veterinarian (demo-farmvet), approved for pigs this year, after an earlier
    approval the county revoked when his certificate lapsed."""
    if FarmVet.objects.exists():
        return False
    farm = Premises.objects.get(external_id="DEMO-001")
    today = timezone.localdate()
    place = demo_place()

    def approve(since: date, until: date) -> FarmVet:
        return farm_vet_approve(
            actor=county_officer,
            premises=farm,
            approval=Approval(
                username="demo-farmvet",
                certificate_number=f"{place.abbreviation}兽医资字{place.county}0017",
                species=["pig"],
                valid_from=since,
                valid_until=until,
            ),
        )

    earlier = approve(today - timedelta(days=400), today - timedelta(days=40))
    farm_vet_revoke(actor=county_officer, approval=earlier, reason="执业兽医资格证书过期")
    approve(today - timedelta(days=30), today + timedelta(days=335))
    return True
