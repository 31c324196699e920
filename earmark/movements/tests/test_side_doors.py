"""No side doors: a head of stock appears, moves or ends only by the document that explains it
(Order 13 art. 18-19). Each former side door is tried and found closed; what remains open by
hand is what a person's word is the document for."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Sum

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Role, User
from earmark.core.testing import client_for, race
from earmark.eartags.fixtures import pig
from earmark.farms.models import Premises, Stock, StockChange
from earmark.movements.services.slaughter import slaughter_record
from earmark.quarantine.models import Certificate


def _hand(user: User, premises: Premises, **body: Any) -> Any:
    return client_for(user).post(
        f"/api/v1/premises/{premises.code}/stock-changes", body, content_type="application/json"
    )


def _on_hand(premises: Premises, species: str = "pig") -> int:
    row = Stock.objects.filter(premises=premises, species=species).first()
    return row.quantity if row else 0


@pytest.fixture
def nanguan_vet(make_user: MakeUser) -> User:
    return make_user("220102", (Role.OFFICIAL_VET,), username="nanguan-vet")


def test_a_slaughterhouse_or_a_market_has_no_births_and_buys_nothing_by_hand(
    township_officer: User, county_officer: User, make_premises: Any
) -> None:
    abattoir = make_premises(name="南关屠宰场", kind="slaughterhouse", stock={})
    market = make_premises(name="南关活畜市场", kind="market", stock={})
    born = _hand(county_officer, abattoir, species="pig", delta=5, reason="birth")
    assert (born.status_code, born.json()["code"]) == (422, "stock_reason_not_here")
    assert born.json()["message"] == (
        "南关屠宰场为屠宰场：其畜禽凭检疫证明运入，不能手工登记出生或屠宰。"
    )
    bought = _hand(county_officer, market, species="cattle", delta=4, reason="purchase_in")
    assert (bought.status_code, bought.json()["code"]) == (422, "stock_reason_not_manual")
    assert bought.json()["message"] == "外来畜禽只能凭检疫证明接收入场。"
    slaughtered = _hand(county_officer, abattoir, species="pig", delta=-1, reason="slaughter")
    assert slaughtered.json()["message"] == "屠宰场的屠宰按畜禽运入时的检疫证明登记。"
    assert not StockChange.objects.filter(premises__in=[abattoir, market]).exists()


def test_a_farm_buys_only_by_receipt_and_reports_deaths_by_their_report(
    township_officer: User, make_premises: Any
) -> None:
    farm = make_premises(stock={"pig": 20})
    bought = _hand(township_officer, farm, species="pig", delta=4, reason="purchase_in")
    assert (bought.status_code, bought.json()["code"]) == (422, "stock_reason_not_manual")
    died = _hand(township_officer, farm, species="pig", delta=-1, reason="death")
    assert died.json()["message"] == "死亡须填写死亡报告，注明死因和无害化处理。"
    born = _hand(township_officer, farm, species="pig", delta=6, reason="birth")
    eaten = _hand(township_officer, farm, species="pig", delta=-2, reason="slaughter", note="自宰")
    assert (born.status_code, eaten.status_code) == (201, 201)
    assert _on_hand(farm) == 24


def test_the_county_opens_a_balance_once_and_corrects_only_by_a_stocktake(
    township_officer: User, county_officer: User, make_premises: Any
) -> None:
    farm = make_premises(stock={"pig": 20})
    by_township = _hand(township_officer, farm, species="sheep", delta=30, reason="initial")
    assert (by_township.status_code, by_township.json()["code"]) == (422, "stock_county_only")
    assert by_township.json()["message"] == "只有县级可以设定期初存栏。"
    opened = _hand(county_officer, farm, species="sheep", delta=30, reason="initial")
    assert opened.status_code == 201
    again = _hand(county_officer, farm, species="pig", delta=10, reason="initial")
    assert (again.status_code, again.json()["code"]) == (409, "opening_balance_set")
    assert again.json()["message"].startswith("测试养殖场1 的猪存栏已于 ")
    corrected = _hand(
        county_officer, farm, species="pig", delta=-3, reason="correction", note="清点"
    )
    assert (corrected.status_code, corrected.json()["code"]) == (422, "stock_reason_not_manual")
    assert corrected.json()["message"] == "存栏更正须经县级审核盘点结果。"
    assert _on_hand(farm) == 20 and _on_hand(farm, "sheep") == 30


def test_a_balance_never_falls_below_the_tagged_live_animals(
    ready_farm: Premises, township_officer: User
) -> None:
    """南岭生猪场 holds 50 pigs, 20 of them tagged: home slaughter of 31 is refused."""
    eaten = _hand(township_officer, ready_farm, species="pig", delta=-31, reason="slaughter")
    assert (eaten.status_code, eaten.json()["code"]) == (422, "stock_below_tagged")
    assert eaten.json()["message"] == (
        "南岭生猪场 登记有 20 头已佩标的在栏猪，存栏不能降至 19。"
        "已佩标畜禽凭耳标离场：检疫证明或死亡报告。"
    )
    fewer = _hand(township_officer, ready_farm, species="pig", delta=-30, reason="slaughter")
    assert fewer.status_code == 201
    assert _on_hand(ready_farm) == 20


def test_the_form_offers_only_what_the_user_may_record(
    township_officer: User, county_officer: User, make_premises: Any
) -> None:
    farm = make_premises()
    abattoir = make_premises(name="南关屠宰场", kind="slaughterhouse", stock={})

    def offered(user: User, premises: Premises) -> list[str]:
        page = client_for(user).get(f"/premises/{premises.code}/")
        form = page.context["stock_form"]
        return [value for value, _label in form.fields["reason"].choices]

    assert offered(township_officer, farm) == ["birth", "slaughter"]
    assert offered(county_officer, farm) == ["initial", "birth", "slaughter"]
    assert offered(township_officer, abattoir) == []
    assert (
        "记录存栏变动"
        not in client_for(township_officer).get(f"/premises/{abattoir.code}/").content.decode()
    )
    refused = client_for(township_officer).post(
        f"/premises/{farm.code}/stock",
        {"species": "pig", "reason": "purchase_in", "delta": "4"},
        follow=True,
    )
    assert "请填写畜种、原因和整数变动数。" in refused.content.decode()
    assert _on_hand(farm) == 100


def test_only_animals_a_certificate_brought_in_are_slaughtered(
    certified: Certificate,
    make_premises: Any,
    county_officer: User,
    nanguan_vet: User,
) -> None:
    abattoir = make_premises(name="南关屠宰场", kind="slaughterhouse", stock={})
    # An opening balance of 10 pigs by the county: present, but explained by no certificate.
    assert (
        _hand(county_officer, abattoir, species="pig", delta=10, reason="initial").status_code
        == 201
    )
    client = client_for(nanguan_vet)
    inspected = client.post(
        "/api/v1/slaughter-inspections",
        {
            "certificate": certified.number,
            "slaughterhouse": abattoir.code,
            "tags": f"{pig(1)}-{pig(10)}",
            "passed": True,
        },
        content_type="application/json",
    )
    assert inspected.status_code == 201, inspected.json()

    def batch(count: int) -> Any:
        """Slaughter goes through a batch (the ante-mortem check), certificate by certificate."""
        return client.post(
            "/api/v1/slaughter-batches",
            {
                "premises": abattoir.code,
                "sources": [{"certificate": certified.number, "count": count}],
                "ante_result": "passed",
            },
            content_type="application/json",
        )

    assert batch(10).status_code == 201
    # The 10 opened by hand are on hand, and can never be slaughtered.
    assert _on_hand(abattoir) == 10
    assert batch(1).json()["code"] == "slaughter_beyond_certificate"
    page = client.get("/slaughter/").content.decode()
    assert "没有待宰畜禽。" in page
    # The hand record of a slaughter is gone: the batch replaced it.
    gone = client.post(
        "/api/v1/slaughter-records",
        {"premises": abattoir.code, "certificate": certified.number, "count": 1},
        content_type="application/json",
    )
    assert gone.status_code in (404, 405)


@pytest.mark.django_db(transaction=True)
def test_two_records_of_the_last_animals_leave_one_winner(
    certified: Certificate, make_premises: Any, nanguan_vet: User
) -> None:
    abattoir = make_premises(name="南关屠宰场", kind="slaughterhouse", stock={})
    response = client_for(nanguan_vet).post(
        "/api/v1/slaughter-inspections",
        {
            "certificate": certified.number,
            "slaughterhouse": abattoir.code,
            "tags": f"{pig(1)}-{pig(10)}",
            "passed": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201

    def take() -> str:
        slaughter_record(
            actor=nanguan_vet, slaughterhouse=abattoir, certificate=certified.number, count=6
        )
        return "ok"

    results = race([take, take], hold="earmark.movements.services.slaughter.stock_change_apply")
    assert sorted(results) == ["ok", "slaughter_beyond_certificate"]
    slaughtered = StockChange.objects.filter(premises=abattoir, reason="slaughter")
    assert slaughtered.aggregate(s=Sum("delta"))["s"] == -6
