"""Markets (交易市场, #17): a market receives animals against a certificate — its own province's
or another's — keeps their stock, and sends them on under a new declaration and certificate
whose origin is the market; the tag's trace passes through it. Animals from another province
are sent on from a farm too, re-immunized there (#30)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Role, User
from earmark.core.errors import BusinessError
from earmark.core.testing import client_for
from earmark.eartags.fixtures import pig
from earmark.farms.models import Premises, Stock
from earmark.farms.selectors import premises_can_declare
from earmark.farms.services.changes import premises_verify
from earmark.immunization.fixtures import fmd_pig
from earmark.movements.models import ForeignReceipt
from earmark.quarantine.demo import declared_in_advance
from earmark.quarantine.fixtures import declaration_data
from earmark.quarantine.models import Certificate
from earmark.quarantine.neighbour import Neighbour
from earmark.quarantine.services.certificates import certificate_issue
from earmark.quarantine.services.declarations import (
    declaration_decide,
    declaration_inspect,
    declaration_submit,
)
from earmark.quarantine.services.foreign import foreign_certificates_store

TEN = f"{pig(1)}-{pig(10)}"


def test_animals_pass_through_a_market(
    certified_to: Callable[..., Certificate],
    make_premises: Any,
    make_user: MakeUser,
    county_officer: User,
    station_officer: User,
    vet: User,
) -> None:
    market = premises_verify(
        actor=county_officer,
        premises=make_premises(name="南岭活畜交易市场", kind="market", stock={}),
    )
    receiver = make_user("220102", (Role.DESTINATION_STAFF,), username="market-receiver")
    into_market = certified_to(market)
    arrived = client_for(receiver).post(
        "/api/v1/arrivals",
        {"certificate": into_market.number, "premises": market.code, "tags": TEN},
        content_type="application/json",
    )
    assert arrived.status_code == 201, arrived.json()
    assert Stock.objects.get(premises=market, species="pig").quantity == 10

    # The market sends them on, for slaughter: its own declaration and certificate.
    onward = declaration_submit(premises=market, data=declaration_data(numbers=TEN, quantity=10))
    declaration_decide(actor=station_officer, declaration=onward, accept=True)
    declaration_inspect(actor=vet, declaration=onward, passed=True)
    out_of_market = certificate_issue(actor=vet, declaration=onward)
    assert out_of_market.premises == market
    assert Stock.objects.get(premises=market, species="pig").quantity == 0

    trace = client_for(county_officer).get(f"/api/v1/tags/{pig(3)}/trace").json()
    documents = [s["document"] for s in trace["steps"]]
    assert into_market.number in documents and out_of_market.number in documents
    places = [s["place"] for s in trace["steps"]]
    assert "南岭活畜交易市场" in "".join(places)


def test_a_slaughterhouse_declares_nothing(make_premises: Any) -> None:
    abattoir: Premises = make_premises(name="南关屠宰场", kind="slaughterhouse", stock={})
    reasons = premises_can_declare(premises=abattoir).reasons
    assert reasons[0] == "只有养殖场、养殖户和交易市场可以申报检疫；此处为屠宰场。"


def test_the_arrival_page_receives_another_province_s_certificate(
    make_premises: Any, make_user: MakeUser, heilongjiang: Neighbour
) -> None:
    today = timezone.localdate()
    certificate = heilongjiang.certificate(
        "231260000888",
        quantity=3,
        purpose="breeding",
        days=0,
        tags=((123010200400001, 123010200400003),),
    )
    assert foreign_certificates_store([certificate]).stored == 1
    market = make_premises(name="南岭活畜交易市场", kind="market", stock={})
    receiver = make_user("220102", (Role.DESTINATION_STAFF,), username="market-receiver")
    form = {
        "certificate": "231260000888",
        "premises": market.code,
        "tags": "123010200400001-123010200400003",
    }
    client = client_for(receiver)
    preview = client.post("/receive/arrival", form).content.decode()
    assert "3" in preview and not ForeignReceipt.objects.exists()
    confirmed = client.post("/receive/arrival", {**form, "action": "confirm"})
    assert confirmed.status_code == 302
    receipt = ForeignReceipt.objects.get()
    assert receipt.premises == market
    assert receipt.isolation_until == today + timedelta(days=30)


def test_a_farm_sends_on_pigs_it_received_from_heilongjiang(
    heilongjiang: Neighbour,
    make_premises: Any,
    make_user: MakeUser,
    county_officer: User,
    station_officer: User,
    stocked_vaccinator: User,
    vet: User,
) -> None:
    """Their tags are tags of this province once received (Heilongjiang registered them), and
    re-immunized here with a tag in the right ear (Order 13 art. 14) they are protected: the
    farm declares them onward under a certificate of this province."""
    foreign = "123010200400001-123010200400003"
    foreign_certificates_store(
        [
            heilongjiang.certificate(
                "231260000889", quantity=3, tags=((123010200400001, 123010200400003),)
            )
        ]
    )
    farm = premises_verify(
        actor=county_officer,
        premises=make_premises(name="南岭育肥场", stock={"pig": 0}),
    )
    receiver = make_user("220102", (Role.DESTINATION_STAFF,), username="farm-receiver")
    received = client_for(receiver).post(
        "/api/v1/foreign-arrivals",
        {"certificate": "231260000889", "premises": farm.code, "tags": foreign},
        content_type="application/json",
    )
    assert received.status_code == 201, received.json()
    # The legitimacy check knows them.
    checked = client_for(county_officer).post(
        "/api/v1/tags/check",
        {"tags": foreign, "township": farm.township_id},
        content_type="application/json",
    )
    assert checked.json()["ok"] is True, checked.json()
    # Past their certificate's validity they count as unprotected until re-immunized here.
    past = timezone.now() + timedelta(days=4)
    try:
        declaration_submit(
            premises=farm,
            data=declaration_data(numbers=foreign, quantity=3, planned_departure=past),
        )
    except BusinessError as refusal:
        assert [i["problems"] for i in refusal.detail["items"]] == [["未免疫口蹄疫（O型）"]]
    else:
        raise AssertionError("unprotected pigs were declared")
    for n, old in enumerate(range(123010200400001, 123010200400004)):
        retagged = client_for(stocked_vaccinator).post(
            f"/api/v1/tags/{old}/replace",
            {
                "new": pig(80 + n),
                "reason": "reimmunization",
                "vaccine_id": fmd_pig().pk,
                "batch_number": "B2026-12",
                "disinfection": "75%酒精浸泡消毒",
                "age": 35,
                "age_unit": "days",
                "seller": "南关区兽药经营部",
            },
            content_type="application/json",
        )
        assert retagged.status_code == 201, retagged.json()
    onward = declared_in_advance(premises=farm, data=declaration_data(numbers=foreign, quantity=3))
    declaration_decide(actor=station_officer, declaration=onward, accept=True)
    declaration_inspect(actor=vet, declaration=onward, passed=True)
    onward_certificate = certificate_issue(actor=vet, declaration=onward)
    assert onward_certificate.premises == farm
    trace = client_for(county_officer).get("/api/v1/tags/123010200400002/trace").json()
    documents = [s["document"] for s in trace["steps"]]
    assert "231260000889" in documents and onward_certificate.number in documents


def test_a_market_sends_on_pigs_from_heilongjiang_while_their_certificate_holds(
    heilongjiang: Neighbour,
    make_premises: Any,
    make_user: MakeUser,
    county_officer: User,
    station_officer: User,
    vet: User,
) -> None:
    """A market tags nobody: animals it received under another province's certificate count as
    immunized as that certificate attests while it is valid, and are sent on; afterwards they
    must be re-immunized at a farm first (art. 14)."""
    foreign = "123010200400001-123010200400003"
    foreign_certificates_store(
        [
            heilongjiang.certificate(
                "231260000890", quantity=3, days=1, tags=((123010200400001, 123010200400003),)
            )
        ]
    )
    market = premises_verify(
        actor=county_officer,
        premises=make_premises(name="南岭活畜交易市场", kind="market", stock={}),
    )
    receiver = make_user("220102", (Role.DESTINATION_STAFF,), username="market-receiver")
    client_for(receiver).post(
        "/api/v1/foreign-arrivals",
        {"certificate": "231260000890", "premises": market.code, "tags": foreign},
        content_type="application/json",
    )
    # Sent on the day after its validity, they are unprotected.
    late = declaration_data(
        numbers=foreign, quantity=3, planned_departure=timezone.now() + timedelta(days=2)
    )
    try:
        declaration_submit(premises=market, data=late)
    except BusinessError as refusal:
        assert [i["problems"] for i in refusal.detail["items"]] == [["未免疫口蹄疫（O型）"]]
    else:
        raise AssertionError("pigs past their certificate were declared unprotected")
    onward = declaration_submit(premises=market, data=declaration_data(numbers=foreign, quantity=3))
    declaration_decide(actor=station_officer, declaration=onward, accept=True)
    declaration_inspect(actor=vet, declaration=onward, passed=True)
    assert certificate_issue(actor=vet, declaration=onward).premises == market
