from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Role, User
from earmark.core.testing import assert_guarded, client_for
from earmark.eartags.fixtures import pig
from earmark.eartags.models import Tag
from earmark.eartags.ranges import RangeSet
from earmark.immunization.models import ImmunizationRecord
from earmark.movements.models import Alert
from earmark.movements.services.arrivals import arrival_report
from earmark.movements.services.checkpoints import checkpoint_check
from earmark.quarantine.models import Declaration
from earmark.quarantine.services.certificates import certificate_issue
from earmark.quarantine.services.declarations import declaration_decide, declaration_inspect


def test_an_investigation_from_a_tag_alerts_every_county_the_trace_reaches(
    declared_ahead: Callable[..., Declaration],
    station_officer: User,
    vet: User,
    make_premises: Any,
    make_user: MakeUser,
    county_officer: User,
) -> None:
    neighbour_farm = make_premises(name="宽城育肥场", township="220103002", stock={"pig": 0})
    declaration = declared_ahead(
        purpose="raising",
        destination_region=neighbour_farm.township_id,
        destination_premises=neighbour_farm.code,
    )
    declaration_decide(actor=station_officer, declaration=declaration, accept=True)
    declaration_inspect(actor=vet, declaration=declaration, passed=True)
    certificate = certificate_issue(actor=vet, declaration=declaration)
    receiver = make_user("220103", (Role.DESTINATION_STAFF,))
    arrival_report(
        actor=receiver,
        certificate=certificate,
        premises=neighbour_farm,
        scanned=RangeSet(((int(pig(1)), int(pig(10))),)),
        arrived_at=timezone.now(),
    )
    response = client_for(county_officer).post(
        "/api/v1/investigations",
        {"tag": pig(15), "reason": "疑似口蹄疫"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {p["code"] for p in body["summary"]["premises"]} == {
        declaration.premises.code,
        neighbour_farm.code,
    }
    assert body["summary"]["animals_moved"] == 10
    assert body["summary"]["animals_at_risk"] == 20  # ten tagged pigs left at home, ten arrived
    assert sorted(a["county_code"] for a in body["alerts"]) == ["220102", "220103"]
    neighbour = make_user("220103", (Role.COUNTY_OFFICER,))
    inbox = client_for(neighbour).get("/api/v1/alerts?open=true").json()["items"]
    assert [a["kind"] for a in inbox] == ["investigation"]
    client_for(neighbour).post(
        f"/api/v1/alerts/{inbox[0]['id']}/acknowledge",
        {"action_taken": "已封锁宽城育肥场"},
        content_type="application/json",
    )
    detail = client_for(county_officer).get(f"/api/v1/investigations/{body['number']}").json()
    acknowledged = {a["county_code"]: a["action_taken"] for a in detail["alerts"]}
    assert acknowledged["220103"] == "已封锁宽城育肥场"
    # The neighbour county reads the investigation that reached it.
    assert client_for(neighbour).get(f"/api/v1/investigations/{body['number']}").status_code == 200
    assert Alert.objects.filter(kind="investigation").count() == 2


def test_investigations_are_guarded_and_need_a_reason(
    ready_farm: Any, outsider: User, county_officer: User
) -> None:
    refused = client_for(county_officer).post(
        "/api/v1/investigations",
        {"premises": ready_farm.code, "reason": " "},
        content_type="application/json",
    )
    assert refused.json()["message"] == "请说明发起调查的原因。"
    assert (
        client_for(outsider)
        .post(
            "/api/v1/investigations",
            {"premises": ready_farm.code, "reason": "x"},
            content_type="application/json",
        )
        .status_code
        == 404
    )
    assert client_for(None).get("/api/v1/anomalies").status_code == 401
    opened = (
        client_for(county_officer)
        .post(
            "/trace/investigations/new",
            {"premises": ready_farm.code, "reason": "演练"},
            follow=True,
        )
        .content.decode()
    )
    assert "演练" in opened and "风险场户" in opened
    from earmark.trace.models import Investigation

    number = Investigation.objects.get().number
    for url in (f"/api/v1/investigations/{number}", f"/trace/investigations/{number}/"):
        assert_guarded("get", url, outsider=outsider)
    for url in ("/api/v1/anomalies", "/trace/anomalies/"):
        assert_guarded("get", url, outsider=outsider, outsider_status=200)


def test_anomalies_come_with_their_evidence(
    vaccinate: Callable[..., ImmunizationRecord],
    declared_ahead: Callable[..., Declaration],
    station_officer: User,
    vet: User,
    county_officer: User,
    make_user: MakeUser,
) -> None:
    declaration = declared_ahead()
    declaration_decide(actor=station_officer, declaration=declaration, accept=True)
    declaration_inspect(actor=vet, declaration=declaration, passed=True)
    certificate = certificate_issue(actor=vet, declaration=declaration)
    Tag.objects.filter(number__lte=int(pig(10))).update(
        updated_at=timezone.now() - timedelta(days=10)
    )
    checkpoint = make_user("220102", (Role.CHECKPOINT_OFFICER,))
    checkpoint_check(actor=checkpoint, place="南关检查站", number="222269999999")
    found = {
        a["kind"]: a for a in client_for(county_officer).get("/api/v1/anomalies").json()["items"]
    }
    assert pig(1) in found["in_transit_too_long"]["evidence"]
    assert found["forged_certificate"]["evidence"][0].startswith("222269999999 · 南关检查站")
    assert certificate.number  # the certificate is still within validity: not overdue
    assert "overdue_certificate" not in found
    page = client_for(county_officer).get("/trace/anomalies/").content.decode()
    assert "运输中超过 7 天的耳标" in page
