from __future__ import annotations

from collections.abc import Callable
from typing import Any

from earmark.accounts.models import Agency, User
from earmark.core.testing import assert_guarded, client_for
from earmark.eartags.fixtures import Register, pig
from earmark.eartags.models import Holding, Issue, RegisteredRange


def test_a_county_officer_registers_issues_and_prints_in_the_web_pages(
    county_officer: User, station: Agency
) -> None:
    client = client_for(county_officer)
    registered = client.post(
        "/tags/register",
        {
            "species": "pig",
            "box": "A1",
            "pack": "01",
            "first": pig(1),
            "last": pig(100),
            "quantity": "100",
        },
        follow=True,
    ).content.decode()
    assert "共 100 枚耳标" in registered
    assert "县级库存" in registered
    wrong = client.post(
        "/tags/register",
        {"species": "cattle", "first": pig(101), "last": pig(200), "quantity": "99"},
    ).content.decode()
    assert "耳标的畜种码 1 不是牛。" in wrong
    assert "数量 99 与号段不符，号段共 100 枚。" in wrong
    page = client.get("/tags/issue").content.decode()
    assert "南岭街道畜牧兽医站" in page
    issued = client.post(
        "/tags/issue",
        {"party": f"agency:{station.pk}", "species": "pig", "count": "40"},
        follow=True,
    ).content.decode()
    issue = Issue.objects.get()
    assert f"单据 {issue.number} 已保存。" in issued
    assert pig(40) in issued
    too_many = client.post(
        "/tags/issue", {"party": f"agency:{station.pk}", "species": "pig", "count": "100"}
    ).content.decode()
    assert "可用耳标只有 60 枚，不足 100 枚。" in too_many
    unreadable = client.post(
        "/tags/issue", {"party": f"agency:{station.pk}", "species": "pig", "ranges": "12x"}
    ).content.decode()
    assert "部分号码无法识别。" in unreadable and "12x：不是数字" in unreadable
    history = client.get(f"/tags/number/{pig(5)}/").content.decode()
    assert "已登记" in history and "已发放" in history and issue.number in history


def test_the_check_page_shows_problems_by_range(county_officer: User, register: Register) -> None:
    register((1, 100, "A1", "01"))
    page = (
        client_for(county_officer)
        .post(
            "/tags/check",
            {"numbers": f"{pig(1)}-{pig(3)}\n122010299999999", "township": "220102001"},
        )
        .content.decode()
    )
    assert "4 个号码有问题。" in page
    assert "尚未发放到乡镇" in page
    assert "从未登记：可能是伪造耳标" in page
    # States read in Chinese, not as the API's codes.
    assert "可用" in page
    assert "unregistered" not in page and "available" not in page


def test_the_web_import_lists_faulty_rows(county_officer: User) -> None:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import load_workbook

    template = client_for(county_officer).get("/api/v1/tag-registrations/template/xlsx")
    book = load_workbook(io.BytesIO(template.content))
    book["库存耳标"].append(["猪", "A1", "01", pig(1), pig(10), 11])
    buffer = io.BytesIO()
    book.save(buffer)
    page = (
        client_for(county_officer)
        .post("/tags/import", {"file": SimpleUploadedFile("x.xlsx", buffer.getvalue())})
        .content.decode()
    )
    assert "1 行有问题，未登记任何耳标。" in page
    assert not RegisteredRange.objects.exists()


def test_every_tag_endpoint_and_page_is_guarded(
    county_officer: User,
    outsider: User,
    register: Register,
    station: Agency,
    first_issue: Callable[..., Issue],
    make_premises: Any,
) -> None:
    register((1, 100, "A1", "01"))
    issue = first_issue(count=10)
    farm = make_premises()
    for method, url, data in (
        ("get", f"/api/v1/tag-issues/{issue.number}", None),
        ("get", f"/api/v1/tag-issues/{issue.number}/pdf", None),
        ("get", f"/api/v1/tags/{pig(5)}", None),
        ("get", f"/api/v1/tag-holdings?holder=agency:{station.pk}", None),
        (
            "post",
            "/api/v1/tag-issues",
            {"to": f"premises:{farm.code}", "species": "pig", "count": 1},
        ),
        (
            "post",
            "/api/v1/tag-returns",
            {"holder": f"agency:{station.pk}", "species": "pig", "count": 1},
        ),
        (
            "post",
            "/api/v1/tag-voids",
            {"holder": f"agency:{station.pk}", "species": "pig", "count": 1, "note": "x"},
        ),
        ("post", "/api/v1/tags/check", {"numbers": pig(1), "township": "220102001"}),
        ("get", f"/tags/documents/{issue.number}/", None),
        ("get", f"/tags/number/{pig(5)}/", None),
    ):
        assert_guarded(method, url, outsider=outsider, data=data)
    for url in (
        "/api/v1/tag-holdings",
        "/api/v1/tag-issues",
        "/api/v1/tags/inventory",
        "/tags/",
        "/tags/documents/",
    ):
        assert_guarded("get", url, outsider=outsider, outsider_status=200)
    assert client_for(outsider).get("/api/v1/tag-holdings").json()["items"] == []
    assert client_for(outsider).get("/api/v1/tag-issues").json()["count"] == 0
    assert client_for(outsider).get("/api/v1/tags/inventory").json()["registered"] == 0
    assert sum(h.count for h in Holding.objects.filter(agency=station)) == 10
    for url in (
        "/tags/register",
        "/tags/import",
        "/tags/deliveries",
        "/tags/issue",
        "/tags/return",
        "/tags/void",
        "/tags/check",
    ):
        assert client_for(None).get(url).status_code == 302, url
    assert client_for(None).get("/api/v1/tag-registrations/template/xlsx").status_code == 401
