from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Role, User
from earmark.core.errors import BusinessError
from earmark.core.pdfproof import assert_inside, assert_travels, render_png
from earmark.core.testing import client_for, race, with_forged_signature
from earmark.eartags.fixtures import pig
from earmark.eartags.models import Tag
from earmark.eartags.ranges import RangeSet
from earmark.farms.models import Premises, Stock
from earmark.immunization.models import Animal
from earmark.movements.models import Alert, Death, Receipt
from earmark.movements.services.arrivals import arrival_report
from earmark.movements.services.deaths import disposal_confirm
from earmark.quarantine.models import Certificate


@pytest.fixture
def receiving_farm(make_premises: Any) -> Premises:
    return make_premises(name="自强育肥场", township="220102002", stock={"pig": 0})


@pytest.fixture
def to_farm(certified_to: Callable[..., Certificate], receiving_farm: Premises) -> Certificate:
    """Pigs 1–10 of 南岭生猪场 certified for raising at 自强育肥场."""
    return certified_to(receiving_farm)


@pytest.fixture
def staff(make_user: MakeUser) -> User:
    return make_user("220102", (Role.DESTINATION_STAFF,), username="receiver")


@pytest.fixture
def checkpoint(make_user: MakeUser) -> User:
    return make_user("220103", (Role.CHECKPOINT_OFFICER,), username="checkpoint")


def test_a_checkpoint_checks_by_payload_or_number_and_each_check_is_recorded(
    certified: Certificate, checkpoint: User
) -> None:
    client = client_for(checkpoint)
    by_payload = client.post(
        "/api/v1/checkpoint-checks",
        {"place": "长春南收费站", "payload": certified.payload},
        content_type="application/json",
    ).json()
    assert (by_payload["result"], by_payload["signature_valid"]) == ("valid", True)
    assert by_payload["certificate"]["tags"] == [f"{pig(1)}-{pig(10)}"]
    assert "owner" not in str(by_payload["certificate"])
    forged = client.post(
        "/api/v1/checkpoint-checks",
        {"place": "长春南收费站", "payload": with_forged_signature(certified.payload)},
        content_type="application/json",
    ).json()
    assert forged["result"] == "forged"
    unknown = client.post(
        "/api/v1/checkpoint-checks",
        {"place": "x", "number": "222269999999", "offline": True},
        content_type="application/json",
    ).json()
    assert unknown["result"] == "unknown"
    assert certified.checks.count() == 2
    assert (
        client_for(None)
        .post("/api/v1/checkpoint-checks", {}, content_type="application/json")
        .status_code
        == 401
    )


def test_an_arrival_moves_animals_and_tags_and_raises_the_stock(
    to_farm: Certificate, receiving_farm: Premises, staff: User
) -> None:
    certified = to_farm
    response = client_for(staff).post(
        "/api/v1/arrivals",
        {
            "certificate": certified.number,
            "premises": receiving_farm.code,
            "tags": f"{pig(1)}-{pig(9)} {pig(30)}",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["received"], body["missing"], body["extra"]) == (
        [f"{pig(1)}-{pig(9)}"],
        [pig(10)],
        [pig(30)],
    )
    assert Stock.objects.get(premises=receiving_farm).quantity == 9
    assert Tag.objects.get(number=int(pig(5))).state == "applied"
    assert Tag.objects.get(number=int(pig(5))).premises == receiving_farm
    assert Tag.objects.get(number=int(pig(10))).state == "in_transit"
    assert Animal.objects.filter(premises=receiving_farm).count() == 9
    certified.refresh_from_db()
    assert certified.status == "used"
    alert = Alert.objects.get()
    assert (alert.kind, alert.county_id) == ("mismatch", "220102")
    again = client_for(staff).post(
        "/api/v1/arrivals",
        {"certificate": certified.number, "premises": receiving_farm.code, "tags": pig(10)},
        content_type="application/json",
    )
    assert again.status_code == 409
    assert again.json()["message"] == f"检疫证明 {certified.number} 已经接收过。"


def test_slaughter_recovers_and_cancels_the_tags_and_alerts_the_origin(
    certified: Certificate, make_premises: Any, vet: User
) -> None:
    slaughterhouse = make_premises(name="南岭屠宰场", kind="slaughterhouse", stock={})
    response = client_for(vet).post(
        "/api/v1/slaughter-inspections",
        {
            "certificate": certified.number,
            "slaughterhouse": slaughterhouse.code,
            "tags": f"{pig(1)}-{pig(10)}",
            "passed": False,
            "findings": "2号猪疑似口蹄疫症状",
            "untagged": 1,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert set(Tag.objects.filter(number__lte=int(pig(10))).values_list("state", flat=True)) == {
        "recovered"
    }
    assert Animal.objects.filter(status="slaughtered").count() == 10
    receipt = Receipt.objects.get()
    assert receipt.received == [[int(pig(1)), int(pig(10))]]  # the product record keeps the tags
    kinds = sorted(Alert.objects.values_list("kind", flat=True))
    assert kinds == ["disease", "untagged"]
    alert = Alert.objects.get(kind="disease")
    assert alert.trace["origin_premises"] == certified.premises.code
    county_officer_alerts = Alert.objects.filter(
        county_id="220102", acknowledged_at__isnull=True
    ).count()
    assert county_officer_alerts == 2


def test_alerts_stay_in_the_origin_inbox_until_acknowledged(
    to_farm: Certificate,
    receiving_farm: Premises,
    staff: User,
    county_officer: User,
    outsider: User,
) -> None:
    client_for(staff).post(
        "/api/v1/arrivals",
        {"certificate": to_farm.number, "premises": receiving_farm.code, "tags": pig(1)},
        content_type="application/json",
    )
    inbox = client_for(county_officer).get("/api/v1/alerts?open=true").json()
    assert inbox["count"] == 1
    assert client_for(outsider).get("/api/v1/alerts").json()["count"] == 0
    alert_id = inbox["items"][0]["id"]
    assert (
        client_for(outsider)
        .post(
            f"/api/v1/alerts/{alert_id}/acknowledge",
            {"action_taken": "x"},
            content_type="application/json",
        )
        .status_code
        == 404
    )
    done = client_for(county_officer).post(
        f"/api/v1/alerts/{alert_id}/acknowledge",
        {"action_taken": "已电话联系货主核实"},
        content_type="application/json",
    )
    assert done.json()["acknowledged_by"] == str(county_officer)
    assert client_for(county_officer).get("/api/v1/alerts?open=true").json()["count"] == 0
    again = client_for(county_officer).post(
        f"/api/v1/alerts/{alert_id}/acknowledge",
        {"action_taken": "再次核实"},
        content_type="application/json",
    )
    assert (again.status_code, again.json()["code"]) == (409, "alert_already_acknowledged")


def test_deaths_cancel_tags_and_lower_the_stock_and_the_plant_confirms(
    ready_farm: Premises, stocked_vaccinator: User, make_premises: Any, make_user: MakeUser
) -> None:
    plant = make_premises(name="无害化处理中心", kind="disposal", stock={})
    response = client_for(stocked_vaccinator).post(
        "/api/v1/deaths",
        {
            "premises": ready_farm.code,
            "species": "pig",
            "tags": f"{pig(1)}-{pig(2)}",
            "untagged": 1,
            "cause": "病死",
            "disposal_plant": plant.code,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert Stock.objects.get(premises=ready_farm).quantity == 47
    assert Tag.objects.get(number=int(pig(1))).state == "cancelled"
    plant_staff = make_user("220102001", (Role.DESTINATION_STAFF,))
    confirmed = client_for(plant_staff).post(
        f"/api/v1/deaths/{response.json()['id']}/confirm-disposal"
    )
    assert confirmed.json()["disposal_confirmed_at"] is not None
    twice = client_for(plant_staff).post(f"/api/v1/deaths/{response.json()['id']}/confirm-disposal")
    assert (twice.status_code, twice.json()["code"]) == (409, "disposal_already_confirmed")
    # A death that named no plant has nothing to confirm (the plant's staff never see it).
    unnamed = client_for(stocked_vaccinator).post(
        "/api/v1/deaths",
        {"premises": ready_farm.code, "species": "pig", "untagged": 1, "cause": "压死"},
        content_type="application/json",
    )
    assert (
        client_for(plant_staff)
        .post(f"/api/v1/deaths/{unnamed.json()['id']}/confirm-disposal")
        .status_code
        == 404
    )
    with pytest.raises(BusinessError) as refused:
        disposal_confirm(actor=plant_staff, death=Death.objects.get(pk=unnamed.json()["id"]))
    assert refused.value.code == "no_disposal_plant"
    not_here = client_for(stocked_vaccinator).post(
        "/api/v1/deaths",
        {"premises": ready_farm.code, "species": "pig", "tags": pig(90), "cause": "病死"},
        content_type="application/json",
    )
    assert not_here.status_code == 422


def test_the_county_destroys_recovered_and_voided_tags_in_a_batch(
    certified: Certificate, make_premises: Any, vet: User, county_officer: User, outsider: User
) -> None:
    slaughterhouse = make_premises(kind="slaughterhouse", stock={})
    client_for(vet).post(
        "/api/v1/slaughter-inspections",
        {
            "certificate": certified.number,
            "slaughterhouse": slaughterhouse.code,
            "tags": f"{pig(1)}-{pig(10)}",
            "passed": True,
        },
        content_type="application/json",
    )
    client = client_for(county_officer)
    pending = client.get("/api/v1/tag-destructions/pending").json()
    assert pending["recovered_count"] == 10
    where = {"method": "焚烧", "place": "南关区无害化处理中心"}
    refused = client.post(
        "/api/v1/tag-destructions",
        {"tags": f"{pig(1)}-{pig(11)}", "witnesses": "张三、李四", **where},
        content_type="application/json",
    )
    assert refused.status_code == 422
    alone = client.post(
        "/api/v1/tag-destructions",
        {"tags": f"{pig(1)}-{pig(10)}", "witnesses": "张三", **where},
        content_type="application/json",
    )
    assert alone.json()["detail"]["fields"]["witnesses"] == [
        "请至少填写两名监销人，用“、”或逗号分隔。"
    ]
    batch = client.post(
        "/api/v1/tag-destructions",
        {"tags": f"{pig(1)}-{pig(10)}", "witnesses": "张三， 李四", **where},
        content_type="application/json",
    )
    assert batch.status_code == 201, batch.json()
    assert batch.json()["count"] == 10 and batch.json()["witnesses"] == "张三、李四"
    # The record the county prints, has signed and stamps: numbers as ranges, both witnesses.
    record = client.get(f"/api/v1/tag-destructions/{batch.json()['number']}/pdf")
    assert record.status_code == 200 and record["Content-Type"] == "application/pdf"
    [page] = assert_inside(record.content)
    assert_travels(record.content)
    for expected in (
        "畜禽标识（耳标）销毁记录",
        f"编号：{batch.json()['number']}",
        "销毁地点南关区无害化处理中心",
        "销毁方法焚烧",
        "回收耳标10枚",
        f"回收{pig(1)}-{pig(10)}",
        "监销人1张三签字",
        "监销人2李四签字",
        "动物卫生监督机构（印章）",
        "第1页共1页",
    ):
        assert expected in page, expected
    render_png(record.content, "destruction-record")
    assert (
        client_for(outsider)
        .get(f"/api/v1/tag-destructions/{batch.json()['number']}/pdf")
        .status_code
        == 404
    )
    assert set(Tag.objects.filter(number__lte=int(pig(10))).values_list("state", flat=True)) == {
        "destroyed"
    }
    assert client.get("/api/v1/tag-destructions/pending").json()["recovered_count"] == 0


def test_an_overdue_certificate_is_flagged(certified: Certificate, county_officer: User) -> None:
    Certificate.objects.filter(pk=certified.pk).update(
        valid_until=timezone.localdate() - timedelta(days=1)
    )
    overdue = client_for(county_officer).get("/api/v1/overdue-certificates").json()["items"]
    assert [c["number"] for c in overdue] == [certified.number]


@pytest.mark.django_db(transaction=True)
def test_the_same_certificate_received_twice_at_once_leaves_one_winner(
    to_farm: Certificate, receiving_farm: Premises, staff: User
) -> None:
    def attempt() -> str:
        arrival_report(
            actor=staff,
            certificate=to_farm,
            premises=receiving_farm,
            scanned=RangeSet(((int(pig(1)), int(pig(10))),)),
            arrived_at=timezone.now(),
        )
        return "received"

    results = sorted(
        race([attempt, attempt], hold="earmark.movements.services.arrivals.audit_record")
    )
    assert results == ["certificate_already_received", "received"]
    assert Stock.objects.get(premises=receiving_farm).quantity == 10


def test_animals_from_another_province_reported_after_24_hours_are_flagged(
    to_farm: Certificate, receiving_farm: Premises, staff: User
) -> None:
    # As if the certificate had come from another province, issued two days ago.
    Certificate.objects.filter(pk=to_farm.pk).update(
        kind="A", issued_at=timezone.now() - timedelta(days=2)
    )
    certified = Certificate.objects.get(pk=to_farm.pk)
    receipt = arrival_report(
        actor=staff,
        certificate=certified,
        premises=receiving_farm,
        scanned=RangeSet(((int(pig(1)), int(pig(10))),)),
        arrived_at=timezone.now() - timedelta(hours=30),
    )
    assert receipt.late is True
    alert = Alert.objects.get(kind="late_arrival")
    assert alert.county_id == receiving_farm.county_code


def test_a_destruction_record_of_thousands_of_scattered_tags_prints_every_number(
    county_officer: User,
) -> None:
    from earmark.eartags.codes import format_range
    from earmark.movements.documents import destruction_pdf
    from earmark.movements.models import DestructionBatch

    first = int(pig(1))
    recovered = [[first + 2 * n, first + 2 * n] for n in range(3000)]
    batch = DestructionBatch.objects.create(
        number="XH22010220260099",
        county_id="220102",
        destroyed_on=timezone.localdate(),
        method="焚烧",
        place="南关区无害化处理中心",
        witnesses="张三、李四",
        recovered=recovered,
        voided=[[first + 9000, first + 9499]],
        count=3500,
        created_by=county_officer,
    )
    pdf = destruction_pdf(batch)
    assert_travels(pdf)
    pages = assert_inside(pdf)
    text = "".join("".join(pages).split())
    assert all(format_range(a, b) in text for a, b in recovered)
    assert f"作废{format_range(first + 9000, first + 9499)}" in text
    assert all(
        f"第{n}页共{len(pages)}页" in page.replace(" ", "") for n, page in enumerate(pages, 1)
    )
    assert "监销人2李四签字" in text and len(pages) > 10
