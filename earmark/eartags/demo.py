"""Demo inventory in 长春市九台区: a delivery registered box by box (some tags still carry the
county's former code 220181), issued to two townships, and on to a farm and a vaccinator."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from earmark.accounts.models import Agency, User
from earmark.eartags.holders import Holder
from earmark.eartags.models import Pliers, Registration
from earmark.eartags.services.issuing import Selection, tags_issue
from earmark.eartags.services.pliers import pliers_issue, pliers_register
from earmark.eartags.services.registration import RegistrationRow, delivery_create, tags_register
from earmark.farms.models import Premises


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


@transaction.atomic
def seed_tags(*, county_officer: User, township_officer: User, vaccinator: User) -> bool:
    """Create the demo inventory unless the county registered tags already."""
    if Registration.objects.filter(county_id="220113").exists():
        return False
    delivery = delivery_create(
        actor=county_officer,
        manufacturer="吉林省动物标识定点生产企业",
        note_number="JL-EB-2026-0318",
        delivered_on=timezone.localdate() - timedelta(days=10),
    )
    rows = (
        _rows(1_220_113, "pig", boxes=5, packs=10, per_pack=100)
        + _rows(2_220_113, "cattle", boxes=1, packs=10, per_pack=100)
        + _rows(3_220_113, "sheep", boxes=2, packs=10, per_pack=100)
    )
    tags_register(actor=county_officer, rows=rows, delivery=delivery)
    tags_register(
        actor=county_officer, rows=_rows(1_220_181, "pig", boxes=1, packs=5, per_pack=100)
    )
    qitamu = Holder(agency=Agency.objects.get(region_id="220113102"))
    shanghewan = Holder(agency=Agency.objects.get(region_id="220113103"))
    tags_issue(actor=county_officer, target=qitamu, species="pig", selection=Selection(count=2000))
    tags_issue(
        actor=county_officer,
        target=qitamu,
        species="cattle",
        selection=Selection(boxes=[("A01", "01")]),
    )
    tags_issue(actor=county_officer, target=qitamu, species="sheep", selection=Selection(count=500))
    tags_issue(
        actor=county_officer, target=shanghewan, species="pig", selection=Selection(count=1000)
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
    if Pliers.objects.filter(county_id="220113").exists():
        return False
    pliers_register(
        actor=county_officer, serials=["JT-QZ-001", "JT-QZ-002", "JT-QZ-003", "JT-QZ-004"]
    )
    station = Agency.objects.get(region_id=township_officer.region_code)
    pliers_issue(
        actor=county_officer, serials=["JT-QZ-001", "JT-QZ-002"], target=Holder(agency=station)
    )
    pliers_issue(
        actor=township_officer, serials=["JT-QZ-001"], target=Holder(vaccinator=vaccinator)
    )
    return True
