"""The case register (违法案件, Order 13 art. 24–29): a county opens a case against a party with
the article, the facts and the records that prove them, decides it with a penalty and closes
it; parties and records of another county are not found, and the neighbour sees nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Role, User
from earmark.core.testing import client_for, race
from earmark.eartags.fixtures import pig
from earmark.farms.fixtures import MakePremises
from earmark.trace.models import Case
from earmark.trace.services.cases import CaseData, case_decide, case_open


def _post(user: User, path: str, **body: Any) -> Any:
    return client_for(user).post(f"/api/v1/cases{path}", body, content_type="application/json")


def test_a_case_is_opened_decided_and_closed(
    county_officer: User, outsider: User, make_premises: MakePremises, make_user: MakeUser
) -> None:
    farm = make_premises(name="违规养殖场")
    neighbour_farm = make_premises(township="220103002", name="邻县养殖场")
    vaccinator = make_user("220102001", (Role.VACCINATOR,), username="nanling-vaccinator")
    case = {
        "article": 27,
        "party_kind": "premises",
        "party_ref": farm.code,
        "facts": "拒绝加施耳标。\n现场发现 3 头猪无耳标。",
        "evidence": [
            {"kind": "premises", "ref": farm.code},
            {"kind": "tag", "ref": pig(7)},
        ],
        "source": "checkpoint",
        "source_ref": "公主岭检查站",
    }
    # Another county's premises, or a record it does not hold, is "not found"; nothing opens.
    foreign = _post(county_officer, "", **{**case, "party_ref": neighbour_farm.code})
    assert foreign.json()["detail"]["fields"]["party_ref"] == ["在您的辖区内未找到。"]
    evidence = _post(
        county_officer,
        "",
        **{**case, "evidence": [{"kind": "declaration", "ref": "SB22010320260000001"}]},
    )
    assert evidence.json()["code"] == "evidence_not_found"
    assert evidence.json()["detail"]["items"][0]["problems"] == ["在您的辖区内未找到"]
    assert _post(county_officer, "", **{**case, "article": 30}).status_code == 400
    assert not Case.objects.exists()
    # A vaccinator may not open cases.
    assert _post(vaccinator, "", **case).status_code == 403

    opened = _post(county_officer, "", **case)
    assert opened.status_code == 201, opened.json()
    body = opened.json()
    assert body["number"].startswith("AJ220102")
    assert (body["status"], body["party_name"]) == ("open", "违规养殖场")
    assert [e["label"] for e in body["evidence"]] == [f"{farm.code} · 违规养殖场", pig(7)]
    number = body["number"]

    # The neighbour sees none of it.
    assert client_for(outsider).get("/api/v1/cases").json()["count"] == 0
    assert client_for(outsider).get(f"/api/v1/cases/{number}").status_code == 404
    assert _post(outsider, f"/{number}/decide", decision="x").status_code == 404

    assert _post(county_officer, f"/{number}/close").json()["code"] == "case_wrong_status"
    assert _post(county_officer, f"/{number}/decide", decision=" ").json()["detail"]["fields"][
        "decision"
    ] == ["请填写处理决定。"]
    decided = _post(county_officer, f"/{number}/decide", decision="责令改正", penalty="罚款 500 元")
    assert (decided.json()["status"], decided.json()["penalty"]) == ("decided", "罚款 500 元")
    closed = _post(county_officer, f"/{number}/close", note="已整改")
    assert (closed.json()["status"], closed.json()["closing_note"]) == ("closed", "已整改")
    listed = client_for(county_officer).get("/api/v1/cases", {"status": "closed"}).json()
    assert [c["number"] for c in listed["items"]] == [number]

    page = client_for(county_officer).get(f"/trace/cases/{number}/").content.decode()
    assert "违规养殖场" in page and "罚款 500 元" in page and "第二十七条" in page


def test_a_case_opens_from_an_anomaly_on_the_page(
    county_officer: User, make_premises: MakePremises
) -> None:
    farm = make_premises(name="张三养殖场")
    client = client_for(county_officer)
    form = client.get("/trace/cases/new?anomaly=nothing-here").content.decode()
    assert 'name="facts"' in form
    answer = client.post(
        "/trace/cases/new",
        {
            "article": 25,
            "party_kind": "premises",
            "party_ref": farm.code,
            "facts": "使用非法耳标",
            "tags": f"{pig(1)}\n{pig(2)}",
            "premises": farm.code,
            "documents": "SB000",
            "source": "anomaly",
            "source_ref": "never_registered",
        },
    )
    # The declaration SB000 does not exist: the form says so and nothing is opened.
    assert "SB000" in answer.content.decode() and not Case.objects.exists()
    answer = client.post(
        "/trace/cases/new",
        {
            "article": 25,
            "party_kind": "premises",
            "party_ref": farm.code,
            "facts": "使用非法耳标",
            "tags": f"{pig(1)}\n{pig(2)}",
            "premises": farm.code,
            "source": "anomaly",
            "source_ref": "never_registered",
        },
    )
    assert answer.status_code == 302
    case = Case.objects.get()
    assert (case.source, case.source_ref) == ("anomaly", "never_registered")
    assert [e["kind"] for e in case.evidence] == ["tag", "tag", "premises"]


@pytest.mark.django_db(transaction=True)
def test_two_decisions_of_one_case_leave_one(
    county_officer: User, make_premises: MakePremises
) -> None:
    farm = make_premises()
    case = case_open(
        actor=county_officer,
        data=CaseData(article=27, party_kind="premises", party_ref=farm.code, facts="事实"),
    )

    def attempt(penalty: str) -> Callable[[], str]:
        def decide() -> str:
            case_decide(actor=county_officer, case=case, decision="决定", penalty=penalty)
            return "decided"

        return decide

    results = sorted(
        race(
            [attempt("警告"), attempt("罚款")],
            hold="earmark.trace.services.cases.audit_record",
        )
    )
    assert results == ["case_wrong_status", "decided"]
    assert Case.objects.get().penalty in ("警告", "罚款")
