from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Agency, Role, User
from earmark.core.testing import client_for, race
from earmark.eartags.fixtures import Register, pig
from earmark.eartags.models import Holding, RegisteredRange, TagEvent, TagOrder
from earmark.eartags.services.registration import RegistrationRow, tags_register


def _row(
    first: str, last: str, quantity: Any, species: str = "猪", box: str = "A1", pack: str = "01"
) -> dict[str, Any]:
    return {
        "species": species,
        "first": first,
        "last": last,
        "quantity": str(quantity),
        "box": box,
        "pack": pack,
    }


def _post(user: User, rows: list[dict[str, Any]], **extra: Any) -> Any:
    return client_for(user).post(
        "/api/v1/tag-registrations", {"rows": rows, **extra}, content_type="application/json"
    )


def test_a_county_registers_ranges_that_its_agency_then_holds(county_officer: User) -> None:
    response = _post(
        county_officer, [_row(pig(1), pig(500), 500), _row(pig(501), pig(1000), 500, pack="02")]
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"] == f"DJ220102{timezone.localdate().year}00001"
    assert body["count"] == 1000
    holding = Holding.objects.order_by("first")
    assert [(h.first, h.last, h.agency.name, h.box, h.pack) for h in holding] == [
        (int(pig(1)), int(pig(500)), "南关区动物卫生监督所", "A1", "01"),
        (int(pig(501)), int(pig(1000)), "南关区动物卫生监督所", "A1", "02"),
    ]
    assert TagEvent.objects.filter(kind="registered").count() == 2
    summary = client_for(county_officer).get("/api/v1/tag-holdings").json()["items"]
    assert summary == [
        {
            "holder": "南关区动物卫生监督所",
            "holder_key": f"agency:{Agency.objects.get(region_id='220102').pk}",
            "species": "pig",
            "state": "available",
            "count": 1000,
            "tags": [f"{pig(1)}-{pig(500)}", f"{pig(501)}-{pig(1000)}"],
            "ranges": [f"{pig(1)}-{pig(500)}", f"{pig(501)}-{pig(1000)}"],
        }
    ]


def test_every_faulty_row_is_reported_and_nothing_is_registered(
    county_officer: User, register: Register, make_user: MakeUser
) -> None:
    neighbour = make_user("220103", (Role.COUNTY_OFFICER,))
    tags_register(
        actor=neighbour,
        rows=[RegistrationRow(1, "pig", "122010300000001", "122010300000100", "100")],
    )
    register((2001, 2100, "", ""))
    response = _post(
        county_officer,
        [
            _row(pig(1), pig(100), 100),
            _row(pig(200), pig(100), 1),
            _row(pig(300), pig(399), 99),
            _row(pig(400), pig(499), 100, species="牛"),
            _row("122010300000050", "122010300000060", 11),
            _row(pig(50), pig(60), 11),
            _row(pig(2050), pig(2200), 151),
            _row("12201020000", pig(10), 1),
            _row(pig(600), "222010200000700", 101),
        ],
    )
    assert response.status_code == 422
    body = response.json()
    assert body["message"] == "8 行有问题，未登记任何耳标。"
    report = [(r["ref"], r["field"], r["problems"]) for r in body["detail"]["items"]]
    assert report == [
        ("2", "last", ["终止号小于起始号。"]),
        ("3", "quantity", ["数量 99 与号段不符，号段共 100 枚。"]),
        ("4", "species", ["耳标的畜种码 1 不是牛。"]),
        ("5", "first", ["县级代码 220103 不是南关区的代码。"]),
        ("5", "first", ["与已由宽城区登记的号段 122010300000001-122010300000100 重叠。"]),
        ("6", "first", ["与本文件第 1 行重叠。"]),
        ("7", "first", ["与已由南关区登记的号段 122010200002001-122010200002100 重叠。"]),
        ("8", "first", ["耳标号码应为15位"]),
        ("9", "last", ["起始号和终止号的畜种码和县级代码必须相同。"]),
    ]
    assert RegisteredRange.objects.count() == 2


def test_tags_printed_with_a_former_county_code_are_the_countys(make_user: MakeUser) -> None:
    jiutai = make_user("220113", (Role.COUNTY_OFFICER,))
    old = _post(jiutai, [_row("122018100000001", "122018100000010", 10)])
    assert old.status_code == 201, old.json()
    assert RegisteredRange.objects.get().printed_county == "220181"
    assert RegisteredRange.objects.get().county_code == "220113"
    gongzhuling = _post(jiutai, [_row("122038100000001", "122038100000010", 10)])
    assert gongzhuling.status_code == 422


def test_only_a_county_officer_registers(make_user: MakeUser) -> None:
    township = make_user("220102001", (Role.TOWNSHIP_OFFICER,))
    assert _post(township, [_row(pig(1), pig(10), 10)]).status_code == 403
    assert (
        client_for(None)
        .post("/api/v1/tag-registrations", {}, content_type="application/json")
        .status_code
        == 401
    )
    assert not RegisteredRange.objects.exists()


def test_the_template_round_trip_registers_a_workbook(
    county_officer: User, tag_order: TagOrder
) -> None:
    template = client_for(county_officer).get("/api/v1/tag-registrations/template/xlsx")
    book = load_workbook(io.BytesIO(template.content))
    assert book.sheetnames == ["填写说明", "库存耳标"]
    sheet = book["库存耳标"]
    assert [c.value for c in sheet[1]] == ["畜种", "箱号", "包号", "起始号", "终止号", "数量"]
    assert sheet.column_dimensions["D"].number_format == "@"
    sheet.append(["猪", "A1", "01", pig(1), pig(1000), 1000])
    sheet.append(["猪", "A1", "02", int(pig(1001)), int(pig(2000)), 1000])
    buffer = io.BytesIO()
    book.save(buffer)
    delivery = (
        client_for(county_officer)
        .post(
            "/api/v1/tag-deliveries",
            {
                "order_id": tag_order.pk,
                "note_number": "SH-2026-001",
                "delivered_on": timezone.localdate().isoformat(),
            },
            content_type="application/json",
        )
        .json()
    )
    response = client_for(county_officer).post(
        f"/api/v1/tag-registrations/import?delivery_id={delivery['id']}",
        {"file": SimpleUploadedFile("inventory.xlsx", buffer.getvalue())},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["count"] == 2000
    assert response.json()["delivery_id"] == delivery["id"]
    tag = client_for(county_officer).get(f"/api/v1/tags/{pig(1500)}").json()
    assert (tag["box"], tag["pack"], tag["delivery"]) == ("A1", "02", "SH-2026-001")


def test_a_bad_workbook_names_its_rows(county_officer: User) -> None:
    template = client_for(county_officer).get("/api/v1/tag-registrations/template/xlsx")
    book = load_workbook(io.BytesIO(template.content))
    book["库存耳标"].append(["猪", "A1", "01", pig(1), pig(10), 9])
    buffer = io.BytesIO()
    book.save(buffer)
    response = client_for(county_officer).post(
        "/api/v1/tag-registrations/import",
        {"file": SimpleUploadedFile("x.xlsx", buffer.getvalue())},
    )
    assert response.json()["detail"]["items"] == [
        {
            "ref": "2",
            "field": "quantity",
            "count": 0,
            "problems": ["数量 9 与号段不符，号段共 10 枚。"],
        }
    ]


@pytest.mark.django_db(transaction=True)
def test_two_registrations_of_the_same_numbers_leave_one_winner(county_officer: User) -> None:
    def attempt(offset: int) -> Callable[[], str]:
        def register() -> str:
            tags_register(
                actor=county_officer,
                rows=[RegistrationRow(1, "pig", pig(1 + offset), pig(1000 + offset), "1000")],
            )
            return "registered"

        return register

    results = sorted(
        race([attempt(0), attempt(500)], hold="earmark.eartags.services.registration.audit_record")
    )
    assert results == ["registered", "rows_refused"]
    assert RegisteredRange.objects.count() == 1
    assert Holding.objects.count() == 1
