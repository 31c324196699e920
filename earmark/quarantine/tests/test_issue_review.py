"""The certificate re-checks everything at issue time, through the declaration's own review,
and is valid from its issue to the end of the journey."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from earmark.accounts.models import User
from earmark.core.errors import BusinessError
from earmark.core.testing import client_for
from earmark.farms.models import Premises
from earmark.farms.services.changes import premises_update
from earmark.immunization.models import ImmunizationRecord
from earmark.quarantine.fixtures import leaving_journey
from earmark.quarantine.models import Declaration
from earmark.quarantine.services.certificates import certificate_issue
from earmark.quarantine.services.declarations import declaration_decide, declaration_inspect


@pytest.fixture
def inspected(
    declared_ahead: Callable[..., Declaration], station_officer: User, vet: User
) -> Callable[..., Declaration]:
    def make(**changes: Any) -> Declaration:
        declaration = declared_ahead(**changes)
        declaration_decide(actor=station_officer, declaration=declaration, accept=True)
        return declaration_inspect(actor=vet, declaration=declaration, passed=True)

    return make


def test_a_farm_sent_back_to_verification_after_acceptance_gets_no_certificate(
    inspected: Callable[..., Declaration], ready_farm: Premises, county_officer: User, vet: User
) -> None:
    declaration = inspected()
    premises_update(actor=county_officer, premises=ready_farm, changes={"owner_name": "赵六"})
    ready_farm.refresh_from_db()
    assert ready_farm.status == "to_verify"
    refused = client_for(vet).post(
        "/api/v1/certificates",
        {"declaration": declaration.number},
        content_type="application/json",
    )
    assert refused.status_code == 422
    body = refused.json()
    assert (body["code"], body["message"]) == (
        "review_failed",
        "不能出具检疫证明：申报已不能通过全部核查。",
    )
    assert {"ref": "", "field": "", "count": 0, "problems": ["县级机构尚未审核基础信息。"]} in (
        body["detail"]["items"]
    )
    declaration.refresh_from_db()
    assert declaration.status == "inspected"


def test_protection_that_runs_out_before_departure_stops_the_certificate(
    vaccinate: Callable[..., ImmunizationRecord], ready_farm: Premises, inspected: Any, vet: User
) -> None:
    declaration = inspected()
    # The vaccination (180 days) ends before the departure once the departure is moved on.
    Declaration.objects.filter(pk=declaration.pk).update(
        planned_departure=timezone.now() + timedelta(days=175)
    )
    with pytest.raises(BusinessError) as refused:
        certificate_issue(actor=vet, declaration=declaration)
    tags = refused.value.detail["items"]
    assert tags and all(any("免疫保护" in p for p in t["problems"]) for t in tags)


def test_the_validity_starts_on_the_departure_day_and_keeps_to_the_national_maximum(
    inspected: Callable[..., Declaration], vet: User, settings: Any, request: Any
) -> None:
    journey = leaving_journey(request, "吉A12345")
    # A province's 2 days within the province are held to the national 当日; 4 to another
    # province stay 4 (shorter than 动物A's 5).
    settings.EARMARK_CERTIFICATE_VALIDITY_DAYS = {"county": 1, "province": 2, "other_province": 4}
    day = timezone.localdate() + timedelta(days=1)
    departure = timezone.make_aware(datetime.combine(day, time(5)))
    # Issued the day before an early departure: valid on the departure day, not the day of issue.
    within = certificate_issue(
        actor=vet, declaration=inspected(planned_departure=departure, quantity=2, numbers=_n(1, 2))
    )
    assert (within.valid_from, within.valid_until) == (day, day)
    elsewhere = certificate_issue(
        actor=vet,
        declaration=inspected(
            planned_departure=departure,
            quantity=2,
            numbers=_n(3, 4),
            destination_region="220113",
            destination_address="九台区某屠宰场",
        ),
    )
    assert (elsewhere.valid_from, elsewhere.valid_until) == (day, day)
    away = inspected(
        planned_departure=departure,
        quantity=2,
        numbers=_n(5, 6),
        destination_province="230000",
        destination_region="",
        destination_address="黑龙江省哈尔滨市",
    )
    client = client_for(vet)
    too_long = client.post(
        "/api/v1/certificates",
        {"declaration": away.number, "valid_until": (day + timedelta(days=4)).isoformat()},
        content_type="application/json",
    )
    assert too_long.json()["message"] == f"本次运输的有效期最长至 {day + timedelta(days=3)}。"
    too_short = client.post(
        "/api/v1/certificates",
        {"declaration": away.number, "valid_until": timezone.localdate().isoformat()},
        content_type="application/json",
    )
    assert too_short.json()["message"] == f"检疫证明的有效期不能早于启运日期 {day}。"
    shortened = client.post(
        "/api/v1/certificates",
        {
            "declaration": away.number,
            "valid_until": (day + timedelta(days=1)).isoformat(),
            "checkpoint": journey.checkpoint,
            "disinfection": journey.disinfection,
        },
        content_type="application/json",
    )
    assert shortened.status_code == 201, shortened.json()
    assert (shortened.json()["kind"], shortened.json()["valid_until"]) == (
        "A",
        (day + timedelta(days=1)).isoformat(),
    )


def _n(first: int, last: int) -> str:
    from earmark.eartags.fixtures import pig

    return f"{pig(first)}-{pig(last)}"
