from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from earmark.accounts.models import User
from earmark.core.testing import client_for
from earmark.immunization.models import CompulsoryDisease, LegacyImmunization, Vaccine


def test_jilin_defaults_are_there(db: None) -> None:
    pairs = set(
        CompulsoryDisease.objects.filter(county_code="").values_list("species", "disease_id")
    )
    assert pairs == {
        ("pig", "fmd_o"),
        ("cattle", "fmd_o"),
        ("cattle", "fmd_a"),
        ("sheep", "fmd_o"),
        ("sheep", "ppr"),
    }
    assert Vaccine.objects.get(name="猪口蹄疫O型灭活疫苗").protection_days == 180


def test_the_province_edits_the_catalogue(province_admin: User, county_officer: User) -> None:
    body = {
        "name": "猪口蹄疫O型灭活疫苗（OZK/93株）",
        "diseases": ["fmd_o"],
        "kind": "inactivated",
        "manufacturer": "金宇保灵生物药品有限公司",
        "protection_days": 180,
        "species": ["pig"],
    }
    refused = client_for(county_officer).post(
        "/api/v1/vaccines", body, content_type="application/json"
    )
    assert refused.status_code == 403
    created = client_for(province_admin).post(
        "/api/v1/vaccines", body, content_type="application/json"
    )
    assert created.status_code == 201
    again = client_for(province_admin).post(
        "/api/v1/vaccines", body, content_type="application/json"
    )
    assert again.status_code == 409
    bad = client_for(province_admin).post(
        "/api/v1/vaccines",
        {**body, "name": "x", "diseases": ["rabies"], "protection_days": 0, "species": []},
        content_type="application/json",
    )
    assert set(bad.json()["detail"]["fields"]) == {"diseases", "protection_days", "species"}
    withdrawn = client_for(province_admin).post(f"/api/v1/vaccines/{created.json()['id']}/revoke")
    assert withdrawn.json()["is_active"] is False
    active = client_for(county_officer).get("/api/v1/vaccines?active=true").json()["items"]
    assert body["name"] not in [v["name"] for v in active]


def _legacy_book(rows: list[list[object]]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.title = "旧免疫档案"  # type: ignore[union-attr]
    sheet.append(["8位耳标号", "养殖场户编码", "畜种", "免疫日期", "疫苗", "批号"])  # type: ignore[union-attr]
    for row in rows:
        sheet.append(row)  # type: ignore[union-attr]
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("legacy.xlsx", buffer.getvalue())


def test_legacy_records_are_imported_and_traced_by_their_8_digit_code(
    county_officer: User, outsider: User
) -> None:
    bad = client_for(county_officer).post(
        "/api/v1/legacy-immunizations/import",
        {
            "file": _legacy_book(
                [
                    ["1300100", "", "猪", "2008-05-31", "口蹄疫疫苗", ""],
                    ["13010003", "", "马", "2008/13/01", "", ""],
                ]
            )
        },
    )
    assert bad.status_code == 422
    assert [(r["ref"], r["field"]) for r in bad.json()["detail"]["items"]] == [
        ("2", "code"),
        ("3", "species"),
        ("3", "date"),
        ("3", "vaccine"),
    ]
    assert not LegacyImmunization.objects.exists()
    good = client_for(county_officer).post(
        "/api/v1/legacy-immunizations/import",
        {
            "file": _legacy_book(
                [["13010003", "", "猪", "2008-05-31", "口蹄疫O型灭活疫苗", "200805"]]
            )
        },
    )
    assert good.json() == {"count": 1}
    found = client_for(county_officer).get("/api/v1/animals/13010003").json()
    assert found["legacy"] is True
    assert found["records"][0]["postal_code"] == "130100"
    assert found["records"][0]["vaccinator_number"] == "03"
    assert client_for(outsider).get("/api/v1/animals/13010003").status_code == 404


def test_legacy_add_on_codes_are_kept_and_traced_with_the_8_digit_code(
    county_officer: User, outsider: User
) -> None:
    """Art. 7: the add-on code of the basic prevention unit, printed beside the 8 digits."""
    book = Workbook()
    sheet = book.active
    sheet.title = "旧免疫档案"  # type: ignore[union-attr]
    sheet.append(["8位耳标号", "附加码", "畜种", "免疫日期", "疫苗"])  # type: ignore[union-attr]
    sheet.append(["13010003", "0123", "猪", "2008-05-31", "口蹄疫O型灭活疫苗"])  # type: ignore[union-attr]
    sheet.append(["13010003-0456", "", "猪", "2008-06-02", "口蹄疫O型灭活疫苗"])  # type: ignore[union-attr]
    sheet.append(["13010003", "", "猪", "2008-06-03", "猪瘟疫苗"])  # type: ignore[union-attr]
    sheet.append(["13010003-0456", "0789", "猪", "2008-06-04", "x"])  # type: ignore[union-attr]
    sheet.append(["13010003", "12a", "猪", "2008-06-04", "x"])  # type: ignore[union-attr]
    buffer = io.BytesIO()
    book.save(buffer)

    def upload(content: bytes) -> Any:
        return client_for(county_officer).post(
            "/api/v1/legacy-immunizations/import",
            {"file": SimpleUploadedFile("legacy.xlsx", content)},
        )

    refused = upload(buffer.getvalue())
    assert [(r["ref"], r["field"], r["problems"]) for r in refused.json()["detail"]["items"]] == [
        ("5", "addon", ["附加码与耳标号后的附加码不一致。"]),
        ("6", "addon", ["附加码为 1 至 12 位数字。"]),
    ]
    sheet.delete_rows(5, 2)  # type: ignore[union-attr]
    buffer = io.BytesIO()
    book.save(buffer)
    assert upload(buffer.getvalue()).json() == {"count": 3}
    every = client_for(county_officer).get("/api/v1/animals/13010003").json()
    assert sorted(r["addon"] for r in every["records"]) == ["", "0123", "0456"]
    one = client_for(county_officer).get("/api/v1/animals/13010003-0456").json()
    assert (one["code"], [r["addon"] for r in one["records"]]) == ("13010003-0456", ["0456"])
    trace = client_for(county_officer).get("/api/v1/tags/13010003-0123/trace").json()
    assert trace["tags"] == ["13010003-0123"]
    assert [s["details"]["addon"] for s in trace["steps"]] == ["0123"]
    assert client_for(county_officer).get("/api/v1/tags/13010003-9/trace").status_code == 404
    assert client_for(outsider).get("/api/v1/tags/13010003-0123/trace").status_code == 404
    page = client_for(county_officer).get("/trace/tags/13010003/").content.decode()
    assert "13010003-0123" in page and "13010003-0456" in page
