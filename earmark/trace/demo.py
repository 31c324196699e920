"""A chain worth tracing — 宏达 → 张立新's household → the slaughterhouse — and one open
investigation from 宏达."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from earmark.accounts.models import User
from earmark.eartags.ranges import RangeSet
from earmark.farms.models import Premises
from earmark.movements.models import Receipt
from earmark.movements.services.slaughter import slaughter_inspection
from earmark.quarantine.demo import _data
from earmark.quarantine.services.certificates import certificate_issue
from earmark.quarantine.services.declarations import (
    declaration_decide,
    declaration_inspect,
    declaration_submit,
)
from earmark.trace.models import Investigation
from earmark.trace.services import investigation_open


@transaction.atomic
def seed_trace(*, county_officer: User, township_officer: User, vet: User) -> bool:
    household = Premises.objects.get(external_id="DEMO-003")
    arrival = Receipt.objects.filter(premises=household, kind=Receipt.Kind.ARRIVAL).first()
    if arrival is None or Investigation.objects.exists():
        return False
    numbers = RangeSet.of(arrival.received)
    declaration = declaration_submit(
        premises=household,
        data=_data(list(numbers.expand()), planned_departure=timezone.now() + timedelta(hours=8)),
    )
    declaration_decide(actor=township_officer, declaration=declaration, accept=True)
    declaration_inspect(actor=vet, declaration=declaration, passed=True, notes="临床检查健康")
    certificate = certificate_issue(actor=vet, declaration=declaration)
    slaughter_inspection(
        actor=vet,
        certificate=certificate,
        slaughterhouse=Premises.objects.get(external_id="DEMO-007"),
        scanned=numbers,
        passed=True,
    )
    investigation_open(
        actor=county_officer,
        premises_code=Premises.objects.get(external_id="DEMO-001").code,
        reason="屠宰场报告1头猪体温偏高，追溯同批次来源和去向",
    )
    return True
