"""Validity is one period from the departure day, at most the national maximum of the form
(动物A 5 days, 动物B 当日), shortened by the province or the vet, never lengthened; the vet issues
on the departure day or the day before, never earlier, never after. Refusals say why in Chinese."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from earmark.accounts.models import User
from earmark.core.testing import client_for
from earmark.eartags.fixtures import pig
from earmark.quarantine.fixtures import leaving_journey
from earmark.quarantine.models import Declaration
from earmark.quarantine.services.declarations import declaration_decide, declaration_inspect


def _inspected(declaration: Declaration, station_officer: User, vet: User) -> Declaration:
    declaration_decide(actor=station_officer, declaration=declaration, accept=True)
    return declaration_inspect(actor=vet, declaration=declaration, passed=True)


def _issue(vet: User, declaration: Declaration, **body: Any) -> Any:
    return client_for(vet).post(
        "/api/v1/certificates",
        {"declaration": declaration.number, **body},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )


def _on(day: int, hour: int = 8) -> datetime:
    """``hour`` o'clock on the day ``day`` days from today, local time."""
    when = datetime.combine(timezone.localdate() + timedelta(days=day), time(hour))
    return timezone.make_aware(when)


@pytest.fixture
def leaving(declared_ahead: Callable[..., Declaration], request: pytest.FixtureRequest) -> Any:
    """A journey to Heilongjiang through 拉林河检查站 on a registered vehicle."""
    leaving_journey(request, "吉A12345")

    def make(**changes: Any) -> Declaration:
        return declared_ahead(
            destination_province="230000",
            destination_region="",
            destination_address="黑龙江省哈尔滨市双城区",
            **changes,
        )

    return make


JOURNEY = {"checkpoint": "拉林河检查站", "disinfection": "过氧乙酸喷雾"}


def test_a_type_a_certificate_lasts_five_days_at_most(
    leaving: Callable[..., Declaration], station_officer: User, vet: User
) -> None:
    over = _inspected(leaving(planned_departure=_on(1)), station_officer, vet)
    sixth = (timezone.localdate() + timedelta(days=6)).isoformat()
    refused = _issue(vet, over, valid_until=sixth, **JOURNEY)
    assert refused.status_code == 422
    detail = refused.json()["detail"]
    fifth = (timezone.localdate() + timedelta(days=5)).isoformat()
    assert refused.json()["code"] == "validity_refused"
    assert detail["fields"]["valid_until"] == [f"本次运输的有效期最长至 {fifth}。"]
    issued = _issue(vet, over, valid_until=fifth, **JOURNEY)
    assert issued.status_code == 201, issued.json()
    body = issued.json()
    # The period starts on the departure day, not on the day of issue.
    assert body["valid_from"] == (timezone.localdate() + timedelta(days=1)).isoformat()
    assert body["valid_until"] == fifth


def test_a_type_b_certificate_is_valid_the_day_of_departure_only(
    declared_ahead: Callable[..., Declaration], station_officer: User, vet: User, settings: Any
) -> None:
    # A province that wrote 2 days for its own journeys is held to the national 当日.
    settings.EARMARK_CERTIFICATE_VALIDITY_DAYS = {"county": 3, "province": 2}
    declaration = _inspected(declared_ahead(planned_departure=_on(0, 23)), station_officer, vet)
    today = timezone.localdate()
    refused = _issue(vet, declaration, valid_until=(today + timedelta(days=1)).isoformat())
    assert refused.status_code == 422
    assert refused.json()["detail"]["fields"]["valid_until"] == [
        f"本次运输的有效期最长至 {today.isoformat()}。"
    ]
    issued = _issue(vet, declaration)
    assert issued.status_code == 201
    assert issued.json()["valid_from"] == issued.json()["valid_until"] == today.isoformat()


def test_the_vet_issues_on_the_departure_day_or_the_day_before(
    declared_ahead: Callable[..., Declaration], station_officer: User, vet: User
) -> None:
    early = _inspected(declared_ahead(planned_departure=_on(2)), station_officer, vet)
    refused = _issue(vet, early)
    assert refused.status_code == 422
    detail = refused.json()["detail"]
    assert refused.json()["code"] == "issue_day_refused"
    departure = (timezone.localdate() + timedelta(days=2)).isoformat()
    assert detail["fields"]["planned_departure"] == [
        f"检疫证明在启运当日或前一日签发：这批动物计划于 {departure} 启运。"
    ]
    later = declared_ahead(
        planned_departure=_on(1, 5), numbers=f"{pig(11)}-{pig(20)}", purpose="slaughter"
    )
    assert _issue(vet, _inspected(later, station_officer, vet)).status_code == 201


def test_a_departure_day_that_has_passed_is_declared_again(
    declared_ahead: Callable[..., Declaration], station_officer: User, vet: User
) -> None:
    gone = _inspected(declared_ahead(planned_departure=_on(-1)), station_officer, vet)
    refused = _issue(vet, gone)
    assert refused.status_code == 422
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert refused.json()["detail"]["fields"]["planned_departure"] == [
        f"计划启运日 {yesterday} 已过，请货主重新申报。"
    ]
