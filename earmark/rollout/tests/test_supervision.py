"""The province's supervision (Jilin §3, §4): rounds of progress reports (调度) that the counties
file from the system's figures, with who is late; inspection visits (督查) whose fixes the
county answers; both in the monthly bulletin."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from pypdf import PdfReader

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Role, User
from earmark.core.testing import client_for, race
from earmark.farms.fixtures import MakePremises
from earmark.rollout.fixtures import Publish
from earmark.rollout.models import ProgressReport, ReportRound
from earmark.rollout.services.supervision import Remarks, report_file, round_open


def _post(user: User, path: str, **body: Any) -> Any:
    return client_for(user).post(f"/api/v1{path}", body, content_type="application/json")


def test_counties_file_their_reports_and_the_province_sees_who_is_late(
    province_admin: User,
    county_officer: User,
    outsider: User,
    make_premises: MakePremises,
) -> None:
    today = timezone.localdate()
    with time_machine.travel(timezone.now() - timedelta(days=5)):
        make_premises(name="上报统计猪场")
    make_premises(name="统计期后登记的猪场")
    round_ = {
        "title": "第一次工作调度",
        "since": (today - timedelta(days=10)).isoformat(),
        "until": (today - timedelta(days=2)).isoformat(),
        "due_on": (today - timedelta(days=1)).isoformat(),
    }
    assert _post(county_officer, "/progress-rounds", **round_).status_code == 403
    early = _post(province_admin, "/progress-rounds", **{**round_, "due_on": round_["since"]})
    assert early.json()["detail"]["fields"]["due_on"] == ["报送截止日期应在统计期结束之后。"]
    called = _post(province_admin, "/progress-rounds", **round_)
    assert called.status_code == 201, called.json()
    assert _post(province_admin, "/progress-rounds", **round_).status_code == 409
    round_id = called.json()["id"]

    empty = _post(county_officer, "/progress-reports", round_id=round_id, progress=" ")
    assert empty.json()["detail"]["fields"]["progress"] == ["必填，最多 2000 字。"]
    filed = _post(
        county_officer,
        "/progress-reports",
        round_id=round_id,
        progress="已完成养殖场户信息核实。",
        problems="部分乡镇终端不足。",
    )
    assert filed.status_code == 201, filed.json()
    assert filed.json()["late"] is True
    assert filed.json()["figures"]["premises"] == 1
    assert (
        _post(county_officer, "/progress-reports", round_id=round_id, progress="再报").status_code
        == 409
    )

    standing = client_for(province_admin).get(f"/api/v1/progress-rounds/{round_id}").json()
    states = {c["county"]: c["state"] for c in standing["counties"]}
    assert len(states) == 60
    assert (states["220102"], states["220103"]) == ("late", "missing")
    # A county sees its own line only; the neighbour does not see 南关区's report.
    own = client_for(outsider).get(f"/api/v1/progress-rounds/{round_id}").json()
    assert [c["county"] for c in own["counties"]] == ["220103"]
    assert client_for(outsider).get("/api/v1/progress-reports").json()["count"] == 0

    page = client_for(province_admin).get(f"/rollout/progress/{round_id}/").content.decode()
    assert "部分乡镇终端不足。" in page and "逾期报送" in page and "逾期未报送" in page
    form = client_for(outsider).get(f"/rollout/progress/{round_id}/").content.decode()
    assert 'name="progress"' in form
    client_for(outsider).post(f"/rollout/progress/{round_id}/", {"progress": "按计划推进"})
    assert ProgressReport.objects.filter(county_id="220103").exists()


def test_an_inspection_s_fixes_are_answered_by_the_county(
    county_officer: User, outsider: User, make_user: MakeUser
) -> None:
    city = make_user("220100", (Role.CITY_OFFICER,), username="changchun-city")
    today = timezone.localdate()
    visit = {
        "county": "220102",
        "visited_on": (today - timedelta(days=5)).isoformat(),
        "team": "市局督查组（张三、李四）",
        "findings": "南岭街道未配备终端。",
        "fixes": [
            {
                "requirement": "补齐南岭街道终端",
                "deadline": (today - timedelta(days=1)).isoformat(),
            },
            {"requirement": "开展使用培训", "deadline": (today + timedelta(days=20)).isoformat()},
        ],
    }
    assert _post(county_officer, "/inspections", **visit).status_code == 403
    foreign = _post(city, "/inspections", **{**visit, "county": "220202"})
    assert foreign.status_code == 404
    backwards = _post(
        city,
        "/inspections",
        **{
            **visit,
            "fixes": [{"requirement": "x", "deadline": (today - timedelta(days=9)).isoformat()}],
        },
    )
    assert backwards.json()["detail"]["fields"]["fixes.1"] == ["整改期限早于督查日期。"]
    recorded = _post(city, "/inspections", **visit)
    assert recorded.status_code == 201, recorded.json()
    inspection = recorded.json()
    assert [f["overdue"] for f in inspection["fixes"]] == [True, False]
    path = f"/inspections/{inspection['id']}/fixes/1/answer"
    assert _post(outsider, path, answer="已补齐").status_code == 404
    assert client_for(outsider).get("/api/v1/inspections").json()["count"] == 0
    answered = _post(county_officer, path, answer="已补齐 2 台终端。")
    assert answered.status_code == 200, answered.json()
    assert answered.json()["fixes"][0]["answer"] == "已补齐 2 台终端。"
    assert answered.json()["fixes"][0]["overdue"] is False
    assert _post(county_officer, path, answer="再答").status_code == 409

    page = client_for(county_officer).get(f"/rollout/inspections/{inspection['id']}/")
    assert "已补齐 2 台终端。" in page.content.decode()
    done = client_for(county_officer).post(
        f"/rollout/inspections/{inspection['id']}/", {"position": "2", "answer": "已培训 30 人"}
    )
    assert done.status_code == 302
    listed = client_for(city).get("/api/v1/inspections").json()["items"][0]
    assert [f["answer"] for f in listed["fixes"]] == ["已补齐 2 台终端。", "已培训 30 人"]


def test_the_bulletin_names_late_counties_and_open_fixes(
    province_admin: User, county_officer: User, publish: Publish
) -> None:
    today = timezone.localdate()
    month_start = today.replace(day=1)
    round_open(
        actor=province_admin,
        title="本月调度",
        since=month_start,
        until=today,
        due_on=today,
    )
    _post(
        province_admin,
        "/inspections",
        county="220102",
        visited_on=today.isoformat(),
        team="省督查组",
        findings="培训未开展。",
        fixes=[{"requirement": "开展使用培训", "deadline": today.isoformat()}],
    )
    # Due today and not yet filed: not late yet; the fix is open.
    month = today.strftime("%Y-%m")
    response = publish(province_admin, month)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    text = text.replace("\n", "").replace(" ", "")
    assert "五、调度和督查" in text
    assert "本月到期的工作调度均按时报送。" in text
    assert "南关区：开展使用培训" in text


@pytest.mark.django_db(transaction=True)
def test_two_filings_of_one_county_leave_one_report(
    province_admin: User, county_officer: User
) -> None:
    today = timezone.localdate()
    called = round_open(actor=province_admin, title="调度", since=today, until=today, due_on=today)

    def attempt(text: str) -> Callable[[], str]:
        def file() -> str:
            report_file(actor=county_officer, round=called, remarks=Remarks(progress=text))
            return "filed"

        return file

    results = sorted(
        race(
            [attempt("一"), attempt("二")],
            hold="earmark.rollout.services.supervision.audit_record",
        )
    )
    assert results == ["filed", "report_filed"]
    assert ProgressReport.objects.count() == 1
    assert ReportRound.objects.count() == 1
