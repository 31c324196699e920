"""A farm on the API with its own token, obtained with its QR code and PIN: the same things its
phone page allows, for that farm only."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from earmark.accounts.models import User
from earmark.accounts.tokens import token_create
from earmark.eartags.fixtures import pig
from earmark.farms.models import Premises
from earmark.farms.services.credentials import premises_pin_issue
from earmark.quarantine.models import Certificate, Declaration


def _token(premises: Premises, pin: str) -> Any:
    return Client().post(
        "/api/v1/farm/tokens",
        {"qr_token": premises.qr_token, "pin": pin, "name": "王大山的手机"},
        content_type="application/json",
    )


def _farm(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def _declaration(tags: str) -> dict[str, Any]:
    return {
        "species": "pig",
        "quantity": 10,
        "purpose": "slaughter",
        "destination_province": "220000",
        "destination_region": "220102",
        "destination_address": "南关区定点屠宰场",
        "planned_departure": (timezone.now() + timedelta(hours=12)).isoformat(),
        "carrier_name": "赵运输",
        "carrier_phone": "13700001111",
        "vehicle_plate": "吉A12345",
        "tags": tags,
    }


def test_a_farm_declares_through_its_own_token(
    ready_farm: Premises, county_officer: User, certified: Certificate
) -> None:
    pin = premises_pin_issue(actor=county_officer, premises=ready_farm)
    wrong = _token(ready_farm, "000000" if pin != "000000" else "111111")
    assert wrong.status_code == 403
    assert wrong.json()["code"] == "wrong_pin"
    assert wrong.json()["detail"]["fields"]["pin"] == [wrong.json()["message"]]
    issued = _token(ready_farm, pin)
    assert issued.status_code == 201, issued.json()
    token = issued.json()["token"]
    assert token.startswith("fm_") and issued.json()["premises"] == ready_farm.code
    farm = _farm(token)
    assert farm.get("/api/v1/farm").json()["code"] == ready_farm.code

    url = "/api/v1/farm/declarations"
    body = _declaration(f"{pig(11)}-{pig(20)}")
    preview = farm.post(f"{url}/preview", body, content_type="application/json")
    assert preview.json()["tags"] == [f"{pig(11)}-{pig(20)}"]
    first = farm.post(
        url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="farm-declaration-1"
    )
    again = farm.post(
        url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="farm-declaration-1"
    )
    assert first.status_code == again.status_code == 201, first.json()
    assert first.json() == again.json()
    declaration = Declaration.objects.get(number=first.json()["number"])
    assert (declaration.premises_id, declaration.channel) == (ready_farm.pk, "farm")
    assert [d["number"] for d in farm.get(url).json()["items"]] == [
        declaration.number,
        certified.declaration.number,
    ]
    pdf = farm.get(f"/api/v1/farm/certificates/{certified.number}/pdf")
    assert pdf["Content-Type"] == "application/pdf"


def test_a_farm_token_opens_that_farm_only_and_nothing_of_the_staffs(
    ready_farm: Premises,
    make_premises: Any,
    county_officer: User,
    certified: Certificate,
) -> None:
    neighbour = make_premises(name="南岭第二养殖场", township="220102001", stock={"pig": 5})
    pin = premises_pin_issue(actor=county_officer, premises=neighbour)
    other = _farm(_token(neighbour, pin).json()["token"])
    assert other.get("/api/v1/farm").json()["code"] == neighbour.code
    declaration = certified.declaration.number
    assert other.get(f"/api/v1/farm/declarations/{declaration}").status_code == 404
    assert other.get(f"/api/v1/farm/certificates/{certified.number}/pdf").status_code == 404
    assert other.get("/api/v1/farm/declarations").json()["count"] == 0
    # A farm token is no staff token, and a staff token is no farm token.
    assert other.get("/api/v1/premises").status_code == 401
    _staff, raw = token_create(actor=None, user=county_officer, name="terminal")
    assert _farm(raw).get("/api/v1/farm").status_code == 401


def test_a_new_pin_retires_the_farms_tokens_and_a_farm_can_give_one_up(
    ready_farm: Premises, county_officer: User
) -> None:
    pin = premises_pin_issue(actor=county_officer, premises=ready_farm)
    phone = _farm(_token(ready_farm, pin).json()["token"])
    tablet = _farm(_token(ready_farm, pin).json()["token"])
    given_up = phone.post("/api/v1/farm/tokens/current/revoke")
    assert given_up.status_code == 200 and given_up.json()["revoked_at"]
    assert phone.get("/api/v1/farm").status_code == 401
    assert tablet.get("/api/v1/farm").status_code == 200
    premises_pin_issue(actor=county_officer, premises=ready_farm)
    assert tablet.get("/api/v1/farm").status_code == 401


def test_wrong_pins_lock_the_token_as_they_lock_the_page(
    ready_farm: Premises, county_officer: User
) -> None:
    no_pin_yet = _token(ready_farm, "123456")
    assert (no_pin_yet.status_code, no_pin_yet.json()["code"]) == (422, "farm_has_no_pin")
    assert no_pin_yet.json()["message"] == "该养殖场户尚无密码，请向乡镇畜牧兽医站索取。"
    pin = premises_pin_issue(actor=county_officer, premises=ready_farm)
    wrong = "000000" if pin != "000000" else "111111"
    answers = [_token(ready_farm, wrong).json()["message"] for _ in range(5)]
    assert answers[-1].startswith("密码错误次数过多")
    locked = _token(ready_farm, pin)
    assert locked.status_code == 429 and locked.json()["message"].startswith("密码错误次数过多")
    assert _token(Premises(qr_token="no-such-farm"), pin).status_code == 404
