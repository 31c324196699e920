"""A chain worth tracing — 宏达 → 张立新's household → the slaughterhouse — one open
investigation from 宏达, and two violation cases."""

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
from earmark.quarantine.models import Refusal
from earmark.quarantine.services.certificates import certificate_issue
from earmark.quarantine.services.declarations import (
    declaration_decide,
    declaration_inspect,
    declaration_submit,
)
from earmark.regions.demo import demo_place
from earmark.trace.models import Case, Investigation
from earmark.trace.services.cases import (
    CaseData,
    Evidence,
    case_close,
    case_decide,
    case_open,
)
from earmark.trace.services.investigations import investigation_open


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


@transaction.atomic
def seed_cases(*, county_officer: User) -> bool:
    """Two cases of the demo county: one open against a farm whose declaration was refused (or
    the first demo farm), one decided and closed against a vaccinator."""
    if Case.objects.exists():
        return False
    county = demo_place().county
    refusal = Refusal.objects.filter(county_code=county).select_related("premises").first()
    farm = refusal.premises if refusal else Premises.objects.get(external_id="DEMO-001")
    evidence = [Evidence("premises", farm.code)]
    if refusal is not None:
        evidence.append(Evidence("refusal", str(refusal.pk)))
    case_open(
        actor=county_officer,
        data=CaseData(
            article=Case.Article.REFUSED_SYSTEM,
            party_kind=Case.Party.PREMISES,
            party_ref=farm.code,
            facts="申报出栏的猪只中有未加施合格耳标的个体，经站所核实后立案调查。",
            evidence=evidence,
            source=Case.Source.REFUSAL if refusal else Case.Source.MANUAL,
            source_ref=str(refusal.pk) if refusal else "",
        ),
    )
    closed = case_open(
        actor=county_officer,
        data=CaseData(
            article=Case.Article.ILLEGAL_TAGS,
            party_kind=Case.Party.STAFF,
            party_ref="demo-vaccinator",
            facts="防疫员使用非本县发放渠道的耳标，经核查系外县调剂借用。",
        ),
    )
    case_decide(
        actor=county_officer,
        case=closed,
        decision="责令改正，退回借用耳标，由县所重新发放。",
        penalty="通报批评",
    )
    case_close(actor=county_officer, case=closed, note="已退回并重新发放。")
    return True
