from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from earmark.accounts.models import User
from earmark.core.testing import client_for
from earmark.farms.models import Premises, Stock


def _template(user: User) -> Any:
    response = client_for(user).get("/api/v1/premises/template/xlsx")
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    return load_workbook(io.BytesIO(response.content))


def _upload(user: User, book: Workbook) -> Any:
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("premises.xlsx", buffer.getvalue())
    return client_for(user).post("/api/v1/premises/import", {"file": upload})


def _fill(book: Workbook, rows: list[list[Any]]) -> Workbook:
    sheet = book["养殖场户"]
    for row in rows:
        sheet.append(row)
    return book


def test_the_template_has_instructions_and_drop_down_lists(county_officer: User) -> None:
    book = _template(county_officer)
    assert book.sheetnames == ["填写说明", "养殖场户", "下拉选项"]
    assert book["填写说明"]["A1"].value == "养殖场户登记表填写说明"
    sheet = book["养殖场户"]
    assert [c.value for c in sheet[1]][:6] == [
        "类型",
        "名称",
        "负责人或法人",
        "手机号",
        "身份证号",
        "乡镇",
    ]
    lists = book["下拉选项"]
    assert lists.sheet_state == "hidden"
    kinds = [c.value for c in lists["A"] if c.value]
    assert kinds == ["规模养殖场", "养殖户", "屠宰场", "交易市场", "无害化处理场"]
    townships = [c.value for c in lists["B"] if c.value]
    assert "南岭街道 220102001" in townships
    assert len(townships) == 28  # every township of 南关区, and only those
    assert all(t.split()[-1].startswith("220102") for t in townships)
    validations = {
        str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation
    }
    assert validations["A2"].endswith("$A$1:$A$5")
    assert "$B$1" in validations["F2"]


def test_a_filled_template_imports(county_officer: User) -> None:
    book = _fill(
        _template(county_officer),
        [
            [
                "规模养殖场",
                "南岭一号猪场",
                "王一",
                "13911110001",
                "",
                "南岭街道 220102001",
                "南岭村",
                500,
                None,
                None,
                800,
                125.35,
                43.88,
            ],
            [
                "养殖户",
                "赵二（散养）",
                "赵二",
                "13911110002",
                "11010519491231002X",
                "220102002",
                "自强村",
                None,
                3,
                12,
            ],
            ["养殖户", "孙三", "", "", "", "南岭街道 220102001", "", None, None, None],
        ],
    )
    response = _upload(county_officer, book)
    assert response.status_code == 201, response.json()
    assert response.json()["count"] == 3
    first = Premises.objects.get(name="南岭一号猪场")
    assert first.status == "to_verify"
    assert first.scale == 800
    assert str(first.latitude) == "43.880000"
    assert Stock.objects.get(premises=first).quantity == 500
    second = Premises.objects.get(name="赵二（散养）")
    assert {s.species: s.quantity for s in second.stock.all()} == {"cattle": 3, "sheep": 12}
    assert Premises.objects.get(name="孙三").status == "incomplete"


def test_bad_rows_are_all_reported_and_nothing_is_imported(
    county_officer: User, make_premises: Any
) -> None:
    make_premises(name="已登记养殖场", township="220102001")
    book = _fill(
        _template(county_officer),
        [
            [
                "规模养殖场",
                "好的一行",
                "王一",
                "13911110001",
                "",
                "南岭街道 220102001",
                "南岭村",
                5,
            ],
            ["规模养殖场", "", "王二", "13911110002", "", "南岭街道 220102001", "南岭村", 5],
            ["规模养殖场", "电话错", "王三", "1391111", "", "南岭街道 220102001", "南岭村", 5],
            ["规模养殖场", "乡镇不存在", "王四", "13911110004", "", "不存在镇", "南岭村", 5],
            [
                "规模养殖场",
                "好的一行",
                "王五",
                "13911110005",
                "",
                "南岭街道 220102001",
                "南岭村",
                5,
            ],
            [
                "规模养殖场",
                "已登记养殖场",
                "王六",
                "13911110006",
                "",
                "南岭街道 220102001",
                "南岭村",
                5,
            ],
            ["规模养殖场", "外县", "王七", "13911110007", "", "站前街道 220103002", "", 5],
        ],
    )
    response = _upload(county_officer, book)
    assert response.status_code == 422
    body = response.json()
    assert body["message"] == "6 行有问题，未导入任何数据。"
    report = [(r["ref"], r["field"], r["problems"]) for r in body["detail"]["items"]]
    assert report == [
        ("3", "name", ["名称必填。"]),
        ("4", "phone", ["请输入11位手机号码。"]),
        ("5", "township", ["未知乡镇：不存在镇。"]),
        ("6", "name", ["与第 2 行重复。"]),
        ("7", "name", ["已登记养殖场 已在本乡镇登记。"]),
        ("8", "township", ["站前街道不在您的辖区内。"]),
    ]
    assert Premises.objects.count() == 1


def test_a_file_that_is_not_the_template_is_refused(county_officer: User) -> None:
    not_excel = SimpleUploadedFile("x.xlsx", b"plain text")
    response = client_for(county_officer).post("/api/v1/premises/import", {"file": not_excel})
    assert response.json()["message"] == "文件不是Excel工作簿（.xlsx）。"
    book = Workbook()
    book.active.append(["foo", "bar"])  # type: ignore[union-attr]
    wrong = _upload(county_officer, book)
    assert wrong.json()["message"] == "工作表缺少以下列：类型、名称、乡镇。"


def test_the_export_holds_the_filtered_list_with_masked_id_cards(
    county_officer: User, make_premises: Any
) -> None:
    make_premises(name="甲猪场", id_card="11010519491231002X", stock={"pig": 7})
    make_premises(name="乙牛场", kind="household", stock={"cattle": 2})
    response = client_for(county_officer).get("/api/v1/premises/xlsx?species=pig")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))  # type: ignore[union-attr]
    # What, where and when come first; then the table.
    assert rows[0][0] == "养殖场户登记表"
    assert rows[1][:2] == ("区域", "南关区（220102）")
    assert rows[2][:2] == ("期间", "导出时的登记情况")
    assert rows[3][0] == "导出时间" and rows[3][1].date() == timezone.localdate()
    table = rows[5:]
    assert table[0][:4] == ("编码", "状态", "类型", "名称")
    assert len(table) == 2
    assert table[1][3] == "甲猪场"
    assert table[1][6] == "110***********002X"
    assert table[1][9] == 7


def test_the_web_import_page_lists_every_faulty_row(county_officer: User) -> None:
    book = _fill(_template(county_officer), [["规模养殖场", "", "王二", "1", "", "x", "", 5]])
    buffer = io.BytesIO()
    book.save(buffer)
    page = client_for(county_officer).post(
        "/premises/import", {"file": SimpleUploadedFile("p.xlsx", buffer.getvalue())}
    )
    text = page.content.decode()
    assert "1 行有问题，未导入任何数据。" in text
    assert "名称必填。" in text and "请输入11位手机号码。" in text


def test_long_digit_strings_are_text_and_a_rounded_one_is_refused_saying_why(
    county_officer: User,
) -> None:
    book = _template(county_officer)
    sheet = book["养殖场户"]
    header = [c.value for c in sheet[1]]
    # The template keeps phones and ID-card numbers as text: typed in, every digit stays.
    for label in ("手机号", "身份证号"):
        letter = chr(ord("A") + header.index(label))
        assert sheet.column_dimensions[letter].number_format == "@", label
    # A spreadsheet that took the ID-card number as a number kept 15 digits of it.
    rounded = float("220102199001011234")
    row = ["养殖户", "赵二", "赵二", "13911110002", rounded, "220102002", "自强村", 3]
    response = _upload(county_officer, _fill(book, [row]))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "rows_refused"
    [entry] = body["detail"]["items"]
    assert entry["ref"] == "2" and entry["field"] == "id_card"
    assert entry["problems"] == [
        "“身份证号”被存成了数字（显示为2.2E+17之类），表格软件已丢掉其后几位。"
        "请把该列设为文本格式后重新填写。"
    ]
    assert not Premises.objects.filter(name="赵二").exists()
