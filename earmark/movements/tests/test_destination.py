"""A certificate is received only where it sends the animals, by a user whose jurisdiction holds
that place; a real change of destination is recorded first, and alerts everyone concerned."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Role, User
from earmark.core.testing import client_for
from earmark.eartags.fixtures import pig
from earmark.farms.models import Premises, Stock, StockChange
from earmark.movements.models import Alert, Receipt
from earmark.quarantine.models import Certificate

TEN = f"{pig(1)}-{pig(10)}"


@pytest.fixture
def farm_x(make_premises: Any) -> Premises:
    return make_premises(name="自强育肥场", township="220102002", stock={"pig": 0})


@pytest.fixture
def farm_y(make_premises: Any) -> Premises:
    return make_premises(name="宽城育肥场", township="220103002", stock={"pig": 0})


@pytest.fixture
def kuancheng(make_user: MakeUser) -> User:
    """An officer of 宽城区 (220103) with every county role."""
    return make_user(
        "220103",
        (
            Role.COUNTY_OFFICER,
            Role.OFFICIAL_VET,
            Role.DESTINATION_STAFF,
        ),
        username="kuancheng-all",
    )


@pytest.fixture
def nanguan_receiver(make_user: MakeUser) -> User:
    return make_user(
        "220102", (Role.DESTINATION_STAFF, Role.OFFICIAL_VET), username="nanguan-receiver"
    )


def _arrive(user: User, certificate: Certificate, premises: Premises, **extra: Any) -> Any:
    return client_for(user).post(
        "/api/v1/arrivals",
        {"certificate": certificate.number, "premises": premises.code, "tags": TEN, **extra},
        content_type="application/json",
    )


def _slaughter(user: User, certificate: Certificate, premises: Premises) -> Any:
    return client_for(user).post(
        "/api/v1/slaughter-inspections",
        {
            "certificate": certificate.number,
            "slaughterhouse": premises.code,
            "tags": TEN,
            "passed": True,
        },
        content_type="application/json",
    )


def test_another_county_cannot_receive_a_certificate_at_its_own_farm(
    certified_to: Callable[..., Certificate], farm_x: Premises, farm_y: Premises, kuancheng: User
) -> None:
    certificate = certified_to(farm_x)
    refused = _arrive(kuancheng, certificate, farm_y)
    assert refused.status_code == 404
    assert refused.json()["message"] == f"检疫证明 {certificate.number} 不存在。"
    assert not Receipt.objects.exists()
    assert Stock.objects.get(premises=farm_y).quantity == 0


def test_a_certificate_is_received_only_at_its_destination_premises(
    certified_to: Callable[..., Certificate],
    farm_x: Premises,
    make_premises: Any,
    nanguan_receiver: User,
) -> None:
    certificate = certified_to(farm_x)
    other = make_premises(name="南岭二场", township="220102001", stock={"pig": 0})
    refused = _arrive(nanguan_receiver, certificate, other)
    assert refused.status_code == 422
    assert refused.json()["message"] == (
        f"检疫证明 {certificate.number} 的到达地是自强育肥场（{farm_x.code}），不是这里。"
        "如畜禽实际运到此处，须先由到达地县级机构登记改变到达地。"
    )
    assert _arrive(nanguan_receiver, certificate, farm_x).status_code == 201


def test_a_certificate_for_slaughter_is_not_received_as_an_arrival(
    certified: Certificate, farm_x: Premises, make_premises: Any, nanguan_receiver: User
) -> None:
    refused = _arrive(nanguan_receiver, certified, farm_x)
    assert refused.json()["message"] == (
        f"检疫证明 {certified.number} 的用途是屠宰，只能在屠宰场通过屠宰检疫接收。"
    )
    # Named only by an address in 南关区: any slaughterhouse of 南关区 receives it.
    abattoir = make_premises(name="南关屠宰场", kind="slaughterhouse", stock={})
    assert _slaughter(nanguan_receiver, certified, abattoir).status_code == 201


def test_an_address_in_a_county_is_received_only_in_that_county(
    certified: Certificate, make_premises: Any, kuancheng: User
) -> None:
    abattoir = make_premises(
        name="宽城屠宰场", kind="slaughterhouse", township="220103002", stock={}
    )
    assert _slaughter(kuancheng, certified, abattoir).status_code == 404


def test_a_type_a_certificate_to_another_province_is_not_received_here(
    certify: Callable[..., Certificate], make_premises: Any, nanguan_receiver: User
) -> None:
    away = certify(
        purpose="raising",
        destination_province="230000",
        destination_region="",
        destination_address="黑龙江省哈尔滨市双城区某养殖场",
    )
    assert away.kind == "A"
    household = make_premises(name="李四", kind="household", township="220102001", stock={"pig": 0})
    refused = _arrive(nanguan_receiver, away, household)
    assert refused.json()["message"] == (f"检疫证明 {away.number} 的到达地在外省，不能在本省接收。")


def test_a_change_of_destination_is_recorded_alerted_and_then_received_there(
    certified_to: Callable[..., Certificate],
    farm_x: Premises,
    farm_y: Premises,
    kuancheng: User,
    nanguan_receiver: User,
    outsider: User,
    make_user: MakeUser,
) -> None:
    certificate = certified_to(farm_x)
    url = f"/api/v1/certificates/{certificate.number}/redirect"
    body = {"premises": farm_y.code, "reason": "原到达场临时封锁，改运宽城育肥场"}
    # Neither a county with no part in it nor the county that would gain the animals may
    # divert the certificate; the county it is sent to records the change.
    for other in (make_user("220104", (Role.COUNTY_OFFICER,)), kuancheng):
        diverted = client_for(other).post(url, body, content_type="application/json")
        assert diverted.status_code == 404
    nanguan_officer = make_user("220102", (Role.COUNTY_OFFICER,))
    no_reason = client_for(nanguan_officer).post(
        url, {"premises": farm_y.code, "reason": " "}, content_type="application/json"
    )
    assert no_reason.json()["detail"]["fields"] == {"reason": ["请填写改变到达地的原因。"]}
    done = client_for(nanguan_officer).post(url, body, content_type="application/json")
    assert done.status_code == 201, done.json()
    assert (done.json()["from_premises"], done.json()["to_premises"]) == (farm_x.code, farm_y.code)
    # The origin county (also the first destination) and the new destination are alerted.
    alerts = sorted(Alert.objects.filter(kind="redirect").values_list("county_id", flat=True))
    assert alerts == ["220102", "220103"]
    assert "原到达场临时封锁" in Alert.objects.filter(kind="redirect").first().message
    # Received only at the new premises now, and only with the certificate's tags.
    assert _arrive(nanguan_receiver, certificate, farm_x).status_code == 422
    strangers = _arrive(kuancheng, certificate, farm_y, tags=pig(500))
    assert (strangers.status_code, strangers.json()["code"]) == (422, "no_tag_on_certificate")
    arrived = _arrive(kuancheng, certificate, farm_y)
    assert arrived.status_code == 201, arrived.json()
    assert Stock.objects.get(premises=farm_y).quantity == 10
    # The first destination county still reads the certificate it was expecting.
    listed = client_for(nanguan_receiver).get(f"/api/v1/certificates?number={certificate.number}")
    assert listed.json()["count"] == 1


def test_an_expired_certificate_is_sent_nowhere_else(
    certified_to: Callable[..., Certificate],
    farm_x: Premises,
    farm_y: Premises,
    make_user: MakeUser,
) -> None:
    certificate = certified_to(farm_x)
    Certificate.objects.filter(pk=certificate.pk).update(
        valid_until=timezone.localdate() - timedelta(days=1)
    )
    refused = client_for(make_user("220102", (Role.COUNTY_OFFICER,))).post(
        f"/api/v1/certificates/{certificate.number}/redirect",
        {"premises": farm_y.code, "reason": "原到达场临时封锁"},
        content_type="application/json",
    )
    assert (refused.status_code, refused.json()["code"]) == (422, "certificate_expired")
    assert (
        refused.json()["message"] == f"检疫证明 {certificate.number} 已过有效期，不能改变到达地。"
    )


def test_a_slaughterhouse_keeps_a_stock_ledger(
    certified: Certificate, make_premises: Any, nanguan_receiver: User, stocked_vaccinator: User
) -> None:
    abattoir = make_premises(name="南关屠宰场", kind="slaughterhouse", stock={})
    assert _slaughter(nanguan_receiver, certified, abattoir).status_code == 201
    assert Stock.objects.get(premises=abattoir, species="pig").quantity == 10
    client = client_for(nanguan_receiver)

    def record(count: int, number: str = certified.number) -> Any:
        return client.post(
            "/api/v1/slaughter-batches",
            {
                "premises": abattoir.code,
                "sources": [{"certificate": number, "count": count}],
                "ante_result": "passed",
            },
            content_type="application/json",
        )

    slaughtered = record(7)
    assert slaughtered.status_code == 201, slaughtered.json()
    assert Stock.objects.get(premises=abattoir, species="pig").quantity == 3
    too_many = record(4)
    assert (too_many.status_code, too_many.json()["code"]) == (
        422,
        "slaughter_beyond_certificate",
    )
    assert too_many.json()["message"] == (
        f"检疫证明 {certified.number} 运入南关屠宰场猪 10 头，已屠宰 7 头，最多还能登记 3 头。"
    )
    elsewhere = record(1, "220102000099")
    assert (elsewhere.status_code, elsewhere.json()["code"]) == (422, "not_received_here")
    assert elsewhere.json()["message"] == "检疫证明 220102000099 没有运入南关屠宰场的畜禽。"
    died = client_for(nanguan_receiver).post(
        "/api/v1/deaths",
        {"premises": abattoir.code, "species": "pig", "untagged": 1, "cause": "待宰期间死亡"},
        content_type="application/json",
    )
    assert died.status_code == 201, died.json()
    assert list(
        StockChange.objects.filter(premises=abattoir).order_by("id").values_list("reason", "delta")
    ) == [("arrival_in", 10), ("slaughter", -7), ("death", -1)]


def test_receivers_see_what_is_coming_and_find_any_certificate(
    certified_to: Callable[..., Certificate],
    farm_x: Premises,
    nanguan_receiver: User,
    make_user: MakeUser,
    outsider: User,
) -> None:
    certificate = certified_to(farm_x)
    station = make_user("220102002", (Role.DESTINATION_STAFF,))
    client = client_for(station)
    incoming = client.get("/api/v1/certificates?state=incoming").json()
    assert [c["number"] for c in incoming["items"]] == [certificate.number]
    at_farm = client.get(f"/api/v1/certificates?state=incoming&destination={farm_x.code}")
    assert at_farm.json()["count"] == 1
    home = client.get("/").content.decode()
    assert "待接收" in home and certificate.number in home
    assert client_for(outsider).get("/api/v1/certificates").json()["count"] == 0
    # Search by tag, origin farm and date, from the issuing side.
    issuing = client_for(make_user("220102001", (Role.TOWNSHIP_OFFICER,)))
    for query in (
        f"tag={pig(4)}",
        f"premises={certificate.premises.code}",
        f"from={timezone.localdate()}&to={timezone.localdate()}",
        f"number={certificate.number[:6]}",
    ):
        found = issuing.get(f"/api/v1/certificates?{query}").json()
        assert [c["number"] for c in found["items"]] == [certificate.number], query
    assert issuing.get(f"/api/v1/certificates?tag={pig(40)}").json()["count"] == 0
    _arrive(station, certificate, farm_x)
    assert client.get("/api/v1/certificates?state=incoming").json()["count"] == 0
    page = client.get("/quarantine/certificates/?state=used").content.decode()
    assert certificate.number in page
