from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Role, User
from earmark.core.testing import assert_guarded, client_for
from earmark.quarantine.models import Certificate, Declaration
from earmark.quarantine.services.declarations import declaration_decide
from earmark.rollout.fixtures import Publish
from earmark.rollout.models import Bulletin
from earmark.rollout.services.equipment import terminal_quota_set
from earmark.trace.services.cases import CaseData, case_close, case_decide, case_open


def _and_rejected(declared: Callable[..., Declaration], station_officer: User) -> None:
    """Besides the certificate, a declaration of pigs 11–12 the station rejected."""
    rejected = declared(numbers="122010200000011-122010200000012", quantity=2)
    declaration_decide(
        actor=station_officer, declaration=rejected, accept=False, reason="运输车辆未备案"
    )


def test_statistics_per_township_of_a_county_with_its_export(
    certified: Certificate,
    declared: Callable[..., Declaration],
    station_officer: User,
    county_officer: User,
    outsider: User,
) -> None:
    _and_rejected(declared, station_officer)
    client = client_for(county_officer)
    # From before the inventory was issued (250 days ago) to today, whatever today's date.
    since = timezone.localdate() - timedelta(days=400)
    body = client.get(f"/api/v1/statistics?from={since}").json()
    assert body["region"] == "220102"
    nanling = next(r for r in body["rows"] if r["code"] == "220102001")
    figures = nanling["figures"]
    assert figures["certificates"] == 1
    assert figures["declarations_accepted"] == 1
    assert figures["declarations_rejected"] == 1
    assert figures["tags_applied"] == 20  # pigs 1-20 tagged by the vaccinator
    assert figures["tags_issued"] == 500  # the county's first issue to 南岭街道
    assert body["total"]["figures"]["tags_registered"] == 1000
    assert body["total"]["figures"]["certificates"] == 1
    assert body["rejected_by_reason"] == [{"reason": "运输车辆未备案", "count": 1}]
    last_year = client.get("/api/v1/statistics?from=2020-01-01&to=2020-12-31").json()
    assert last_year["total"]["figures"]["certificates"] == 0
    workbook = load_workbook(io.BytesIO(client.get("/rollout/statistics.xlsx").content))
    sheet = workbook.worksheets[0]
    assert [sheet["A1"].value, sheet["B2"].value, sheet["A3"].value] == [
        "统计",
        "南关区（220102）",
        "期间",
    ]
    assert sheet["A4"].value == "导出时间" and sheet.freeze_panes == "A7"
    header = [c.value for c in sheet[6]]
    assert header[:3] == ["区划代码", "区域", "养殖场户"]
    total = [c.value for c in sheet[sheet.max_row]]
    assert total[0] == "220102" and total[header.index("出具检疫证明")] == 1
    assert workbook.worksheets[1]["A2"].value == "运输车辆未备案"
    page = client.get("/rollout/statistics/").content.decode()
    assert "南岭街道" in page and "<svg" in page
    # Another county cannot ask for this one.
    assert client_for(outsider).get("/api/v1/statistics?region=220102").status_code == 404
    assert client_for(None).get("/api/v1/statistics").status_code == 401
    bad = client.get("/api/v1/statistics?from=2026-05-01&to=2026-04-01")
    assert bad.json()["message"] == "期间的开始日期晚于结束日期。"
    for url in ("/rollout/statistics/", "/rollout/statistics.xlsx"):
        assert_guarded("get", url, outsider=outsider, outsider_status=200)


def test_the_bulletin_names_the_agencies_concerned(
    certified: Certificate,
    declared: Callable[..., Declaration],
    station_officer: User,
    province_admin: User,
    county_officer: User,
    make_user: MakeUser,
    publish: Publish,
) -> None:
    _and_rejected(declared, station_officer)
    terminal_quota_set(actor=province_admin, region_code="220102001", required=4)
    for closing in (True, False):
        case = case_open(
            actor=county_officer,
            data=CaseData(
                article=27, party_kind="premises", party_ref=certified.premises.code, facts="事实"
            ),
        )
        if closing:
            case_decide(actor=county_officer, case=case, decision="责令改正")
            case_close(actor=county_officer, case=case)
    month = timezone.localdate().strftime("%Y-%m")
    response = publish(province_admin, month)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = text.replace("\n", "").replace(" ", "")
    year, number = month.split("-")
    assert f"吉林省耳标追溯及产地检疫信息化管理工作通报（{year}年{int(number)}月）" in text
    assert "南岭街道畜牧兽医站：应配备4台，已配备0台，缺4台。" in text
    assert "尚未开展使用培训的县（市、区）：" in text and "宽城区" in text
    assert "出具检疫证明1" in text
    assert "本月立案2起、结案1起：南关区立案2起、结案1起。" in text
    # A city's bulletin covers its own counties only; counties cannot publish.
    city = make_user("220200", (Role.CITY_OFFICER,))
    theirs = publish(city, month)
    city_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(theirs.content)).pages)
    assert "吉林市" in city_text and "南关区" not in city_text
    for user, status in ((county_officer, 403), (None, 401)):
        assert client_for(user).get("/api/v1/bulletins").status_code == status
        draft = client_for(user).post(
            "/api/v1/bulletins", {"period": month}, content_type="application/json"
        )
        assert draft.status_code == status
    bad = client_for(province_admin).post(
        "/api/v1/bulletins", {"period": "2026-13"}, content_type="application/json"
    )
    assert bad.json()["message"] == "期间为一个月，写作 2026-11。"
    issued = Bulletin.objects.filter(region_id="220000").get()
    page = client_for(province_admin).get(f"/rollout/bulletins/{issued.pk}.pdf")
    assert page.content == response.content


def test_the_bulletin_speaks_as_of_its_day_and_refuses_months_to_come(
    province_admin: User, publish: Publish
) -> None:
    from datetime import timedelta

    today = timezone.localdate()
    client = client_for(province_admin)
    current = publish(province_admin, f"{today:%Y-%m}")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(current.content)).pages)
    text = text.replace("\n", "").replace(" ", "")
    # Issued on the day, the running month's bulletin reports as of that day.
    assert f"截至{today:%Y年%m月%d日}" in text
    # The counties of one finding share a line: not one line for each of 60 counties.
    section = text.split("二、逾期未完成的县（市、区）")[1].split("三、")[0]
    assert section.count("：") < 10, section
    following = (today.replace(day=1) + timedelta(days=32)).strftime("%Y-%m")
    refused = client.post(
        "/api/v1/bulletins", {"period": following}, content_type="application/json"
    )
    assert refused.status_code == 422
    assert "尚未开始" in refused.json()["message"]
