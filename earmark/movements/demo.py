"""Demo ends of movements in the demo county (九台区 for Jilin): a slaughter with one tag missing
(an open alert), an arrival at a household, deaths sent to the disposal plant, and a destruction
batch."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from earmark.accounts.models import Agency, User
from earmark.eartags.holders import Holder
from earmark.eartags.ranges import RangeSet
from earmark.eartags.services.issuing import Selection, tags_void
from earmark.farms.models import Premises
from earmark.immunization.models import AnimalTag
from earmark.immunization.selectors.protection import protection_check
from earmark.movements.models import Receipt
from earmark.movements.services.arrivals import arrival_report
from earmark.movements.services.deaths import death_report, disposal_confirm
from earmark.movements.services.destruction import destruction_record
from earmark.movements.services.slaughter import slaughter_inspection
from earmark.quarantine.demo import _data, declared_in_advance
from earmark.quarantine.models import OPEN_STATES, Certificate, DeclaredRange
from earmark.quarantine.services.certificates import certificate_issue
from earmark.quarantine.services.declarations import (
    declaration_decide,
    declaration_inspect,
)
from earmark.regions.demo import demo_place


@transaction.atomic
def seed_movements(
    *, county_officer: User, township_officer: User, vet: User, vaccinator: User, receiver: User
) -> bool:
    farm = Premises.objects.get(external_id="DEMO-001")
    slaughterhouse = Premises.objects.get(external_id="DEMO-007")
    certificate = (
        Certificate.objects.filter(premises=farm, kind="B", status="valid")
        .order_by("number")
        .first()
    )
    place = demo_place()
    if certificate is None or Receipt.objects.filter(premises__county_code=place.county).exists():
        return False
    tags = RangeSet.of(certificate.ranges.values_list("first", "last"))
    slaughter_inspection(
        actor=vet,
        certificate=certificate,
        slaughterhouse=slaughterhouse,
        scanned=tags.difference(RangeSet(((tags.ranges[-1][1], tags.ranges[-1][1]),))),
        passed=True,
        findings="",
    )
    household = Premises.objects.get(external_id="DEMO-003")
    # Tags on the farm's animals that no open declaration holds.
    declared = RangeSet.of(
        DeclaredRange.objects.filter(
            declaration__premises=farm, declaration__status__in=OPEN_STATES
        ).values_list("first", "last")
    )
    free = sorted(
        number
        for number in AnimalTag.objects.filter(
            animal__premises=farm, tag__state="applied"
        ).values_list("tag_id", flat=True)
        if number not in declared
    )
    protected = [n for n in free if _protected(n)][:5]
    declaration = declared_in_advance(
        premises=farm,
        data=_data(
            protected,
            purpose="raising",
            destination_region=place.township,
            destination_premises=household.code,
            planned_departure=timezone.now() + timedelta(hours=10),
        ),
    )
    declaration_decide(actor=township_officer, declaration=declaration, accept=True)
    declaration_inspect(actor=vet, declaration=declaration, passed=True, notes="临床检查健康")
    moved = certificate_issue(actor=vet, declaration=declaration)
    arrival_report(
        actor=receiver,
        certificate=moved,
        premises=household,
        scanned=RangeSet.of(moved.ranges.values_list("first", "last")),
        arrived_at=timezone.now(),
    )
    dead = [n for n in free if not _protected(n)][:2]
    death = death_report(
        actor=vaccinator,
        premises=farm,
        species="pig",
        numbers=RangeSet.from_numbers(dead),
        cause="病死（腹泻）",
        disposal_plant=Premises.objects.get(external_id="DEMO-009"),
    )
    disposal_confirm(actor=receiver, death=death)
    station = Holder(agency=Agency.objects.get(region_id=place.township))
    tags_void(
        actor=township_officer,
        source=station,
        species="pig",
        selection=Selection(count=3),
        note="运输中破损",
    )
    destruction_record(
        actor=county_officer,
        numbers=tags.difference(RangeSet(((tags.ranges[-1][1], tags.ranges[-1][1]),))),
        include_voided=True,
        method="集中焚烧",
        place=f"{place.county_name}病死畜禽无害化处理中心",
        witnesses=(
            f"{place.county_name}动物卫生监督所 刘强、{place.name(place.township)}畜牧兽医站 陈明"
        ),
    )
    return True


def _protected(number: int) -> bool:

    return protection_check(numbers=RangeSet(((number, number),)), on=timezone.localdate()).ok
