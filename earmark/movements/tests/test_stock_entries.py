from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum

from earmark.accounts.models import User
from earmark.core.testing import client_for, race
from earmark.farms.models import Premises, Stock, StockChange
from earmark.movements.services.stock_entries import stock_entry


def _change(user: User, code: str, **body: Any) -> Any:
    return client_for(user).post(
        f"/api/v1/premises/{code}/stock-changes", body, content_type="application/json"
    )


def test_each_change_is_a_ledger_row_and_the_stock_follows(
    township_officer: User, make_premises: Any
) -> None:
    premises = make_premises(stock={"pig": 100})
    born = _change(township_officer, premises.code, species="pig", delta=12, reason="birth")
    assert born.status_code == 201
    assert born.json()["balance"] == 112
    eaten = _change(
        township_officer, premises.code, species="pig", delta=-2, reason="slaughter", note="自宰"
    )
    assert eaten.json()["balance"] == 110
    stock = client_for(township_officer).get(f"/api/v1/premises/{premises.code}/stock").json()
    assert stock["stock"] == [{"species": "pig", "quantity": 110}]
    ledger = client_for(township_officer).get(f"/api/v1/premises/{premises.code}/stock-changes")
    rows = ledger.json()["items"]
    assert [(r["delta"], r["reason"], r["actor"]) for r in rows] == [
        (-2, "slaughter", township_officer.username),
        (12, "birth", township_officer.username),
        (100, "initial", None),
    ]
    total = StockChange.objects.filter(premises=premises).aggregate(s=Sum("delta"))["s"]
    assert total == Stock.objects.get(premises=premises, species="pig").quantity


def test_stock_never_goes_negative(township_officer: User, make_premises: Any) -> None:
    premises = make_premises(stock={"pig": 5})
    response = _change(township_officer, premises.code, species="pig", delta=-6, reason="slaughter")
    assert response.status_code == 422
    assert response.json()["message"] == "测试养殖场1 的猪存栏只有 5，不能减少 6。"
    assert Stock.objects.get(premises=premises).quantity == 5
    assert StockChange.objects.filter(premises=premises).count() == 1


def test_the_database_itself_refuses_negative_stock(make_premises: Any) -> None:
    premises = make_premises(stock={"pig": 5})
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE farms_stock SET quantity = quantity - 6 WHERE premises_id = %s", [premises.pk]
        )


def test_signs_and_reasons_must_agree(
    township_officer: User, county_officer: User, make_premises: Any
) -> None:
    premises = make_premises()
    wrong_sign = _change(township_officer, premises.code, species="pig", delta=-3, reason="birth")
    assert wrong_sign.json()["detail"]["fields"]["delta"] == ["该原因为增加，请输入正数。"]
    by_document = _change(
        township_officer, premises.code, species="pig", delta=-3, reason="certificate_out"
    )
    assert by_document.json()["message"] == "此类变动由相应单据自动记录，不能手工录入。"
    correction = _change(
        county_officer, premises.code, species="pig", delta=-3, reason="correction", note="清点"
    )
    assert correction.json()["code"] == "stock_reason_not_manual"


def test_another_county_cannot_touch_the_stock(
    outsider: User, make_premises: Any, county_officer: User
) -> None:
    premises = make_premises()
    assert (
        _change(outsider, premises.code, species="pig", delta=1, reason="birth").status_code == 404
    )
    assert Stock.objects.get(premises=premises).quantity == 100


@pytest.mark.django_db(transaction=True)
def test_concurrent_changes_leave_the_right_total(make_premises: Any, county_officer: User) -> None:
    premises = make_premises(stock={"pig": 100})

    def change(i: int) -> str:
        stock_entry(
            actor=county_officer,
            premises=premises,
            species="pig",
            delta=-30 if i % 2 else 5,
            reason="slaughter" if i % 2 else "birth",
        )
        return "ok"

    # Eight changes overlapping: the first holds its transaction until the others wait on it.
    results = race(
        [lambda i=i: change(i) for i in range(8)],
        hold="earmark.movements.services.stock_entries.audit_record",
    )
    quantity = Stock.objects.get(premises=premises, species="pig").quantity
    ledger_total = StockChange.objects.filter(premises=premises).aggregate(s=Sum("delta"))["s"]
    assert quantity == ledger_total >= 0
    assert set(results) <= {"ok", "stock_negative"}, results
    births = sum(1 for i, r in enumerate(results) if r == "ok" and i % 2 == 0)
    deaths = sum(1 for i, r in enumerate(results) if r == "ok" and i % 2)
    assert quantity == 100 + 5 * births - 30 * deaths
    assert births == 4
    assert Premises.objects.count() == 1


def test_a_note_the_system_wrote_reads_in_the_reader_s_language() -> None:
    from django.utils import translation

    written = StockChange(note="Certificate revoked")
    typed = StockChange(note="运输中破损")
    with translation.override("en"):
        assert (written.note_text, typed.note_text) == ("Certificate revoked", "运输中破损")
    with translation.override("zh-hans"):
        assert (written.note_text, typed.note_text) == ("检疫证明已撤销", "运输中破损")
