"""Every preview runs the very service its confirmation runs, and rolls it back: it refuses
what the confirmation refuses, with the same words, and keeps nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Agency, Role, User
from earmark.audit.models import AuditEvent, OutboxEvent
from earmark.core.testing import client_for
from earmark.eartags.fixtures import pig
from earmark.eartags.models import Issue
from earmark.farms.models import Premises
from earmark.immunization.fixtures import fmd_pig
from earmark.immunization.models import ImmunizationRecord
from earmark.movements.models import Receipt
from earmark.quarantine.models import Certificate, Declaration, Refusal


def _post(user: User, url: str, body: dict[str, Any]) -> Any:
    return client_for(user).post(url, body, content_type="application/json")


def _same(user: User, url: str, body: dict[str, Any]) -> tuple[Any, Any]:
    """The preview, then the confirmation, of the same request."""
    before = (AuditEvent.objects.count(), OutboxEvent.objects.count())
    preview = _post(user, f"{url}/preview", body)
    assert (AuditEvent.objects.count(), OutboxEvent.objects.count()) == before
    return preview, _post(user, url, body)


def test_the_vaccinators_check_refuses_what_recording_refuses(
    stocked_vaccinator: User, pig_farm: Premises
) -> None:
    # A sheep tag, an unregistered number and a tag still at the station, at once.
    body = {
        "premises": pig_farm.code,
        "species": "pig",
        "vaccine_id": fmd_pig().pk,
        "batch_number": "B1",
        "disinfection": "75%酒精浸泡消毒",
        "age": 35,
        "age_unit": "days",
        "seller": "南关区兽药经营部",
        "tags": f"{pig(1)} {pig(600)} 322010200000001 {pig(5000)}",
    }
    preview, confirm = _same(stocked_vaccinator, "/api/v1/immunizations", body)
    assert preview.status_code == confirm.status_code == 422
    assert preview.json() == confirm.json()
    assert len(preview.json()["detail"]["items"]) == 3
    assert not ImmunizationRecord.objects.exists()
    body["tags"] = f"{pig(1)}-{pig(3)}"
    preview, confirm = _same(stocked_vaccinator, "/api/v1/immunizations", body)
    assert preview.json()["to_apply"] == 3 and confirm.json()["count"] == 3
    page = (
        client_for(stocked_vaccinator)
        .post(
            "/immunize/",
            {
                "premises": pig_farm.code,
                "species": "pig",
                "vaccine": fmd_pig().pk,
                "batch_number": "B1",
                "disinfection": "75%酒精浸泡消毒",
                "age": 35,
                "age_unit": "days",
                "seller": "南关区兽药经营部",
                "vaccinated_on": "2026-01-01",
                "campaign": "routine",
                "numbers": pig(600),
                "action": "preview",
            },
        )
        .content.decode()
    )
    assert "新佩耳标" not in page and "尚未发给您" in page


def test_the_receivers_check_refuses_what_receiving_refuses(
    certified: Certificate, make_premises: Any, make_user: MakeUser
) -> None:
    farm = make_premises(name="自强育肥场", township="220102002", stock={"pig": 0})
    staff = make_user("220102", (Role.DESTINATION_STAFF, Role.OFFICIAL_VET))
    body = {"certificate": certified.number, "premises": farm.code, "tags": pig(1)}
    preview, confirm = _same(staff, "/api/v1/arrivals", body)
    assert preview.status_code == confirm.status_code == 422
    assert preview.json() == confirm.json()
    abattoir = make_premises(kind="slaughterhouse", stock={})
    body = {
        "certificate": certified.number,
        "slaughterhouse": abattoir.code,
        "tags": f"{pig(1)}-{pig(9)}",
        "passed": True,
    }
    preview, confirm = _same(staff, "/api/v1/slaughter-inspections", body)
    assert preview.json()["missing"] == confirm.json()["missing"] == [pig(10)]
    assert Receipt.objects.count() == 1


def test_the_issue_and_declaration_checks_refuse_what_confirming_refuses(
    first_issue: Callable[..., Issue],
    register: Any,
    station: Agency,
    county_officer: User,
    ready_farm: Premises,
    station_officer: User,
) -> None:
    body = {"to": f"agency:{station.pk}", "species": "pig", "count": 5000}
    preview, confirm = _same(county_officer, "/api/v1/tag-issues", body)
    assert preview.status_code == confirm.status_code == 422
    assert preview.json() == confirm.json()
    body["count"] = 10
    preview, confirm = _same(county_officer, "/api/v1/tag-issues", body)
    assert preview.json()["lines"] == [
        {k: line[k] for k in ("first", "last", "count")} for line in confirm.json()["lines"]
    ]
    declaration = {
        "origin_premises": ready_farm.code,
        "species": "pig",
        "quantity": 2,
        "purpose": "slaughter",
        "destination_province": "220000",
        "destination_region": "220102",
        "destination_address": "南关区定点屠宰场",
        "planned_departure": (timezone.now() + timedelta(hours=12)).isoformat(),
        "carrier_name": "赵运输",
        "carrier_phone": "13700001111",
        "vehicle_plate": "吉A12345",
        "tags": f"{pig(1)} 122010299999999",
    }
    preview, confirm = _same(station_officer, "/api/v1/declarations", declaration)
    assert preview.status_code == confirm.status_code == 422
    assert preview.json() == confirm.json()
    # Only the confirmation leaves the refusal in the agency's log.
    assert Refusal.objects.count() == 1
    declaration["tags"] = f"{pig(1)}-{pig(2)}"
    preview, confirm = _same(station_officer, "/api/v1/declarations", declaration)
    assert preview.json()["tags"] == confirm.json()["tags"] == [f"{pig(1)}-{pig(2)}"]
    assert Declaration.objects.count() == 1
