"""Markets (交易市场, #17): a market receives animals against a certificate — its own province's
or another's — keeps their stock, and sends them on under a new declaration and certificate
whose origin is the market; the tag's trace passes through it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Role, User
from earmark.core.testing import client_for
from earmark.eartags.fixtures import pig
from earmark.farms.models import Premises, Stock
from earmark.farms.selectors import premises_can_declare
from earmark.farms.services.changes import premises_verify
from earmark.movements.models import ForeignReceipt
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
