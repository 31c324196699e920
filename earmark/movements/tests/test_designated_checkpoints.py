"""Designated checkpoints (指定通道, #17): the province keeps the register; an officer is posted
at one and his checks are recorded there with what he saw on the vehicle; a type A certificate
names a registered checkpoint."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Role, User
from earmark.audit.models import OutboxEvent
from earmark.core.errors import BusinessError
from earmark.core.testing import client_for
from earmark.eartags.fixtures import pig
from earmark.farms.models import Checkpoint
from earmark.movements.models import CheckpointCheck
from earmark.quarantine.fixtures import DISINFECTED, Certify, leaving_journey
from earmark.quarantine.models import Declaration
from earmark.quarantine.services.certificates import Journey, certificate_issue
from earmark.quarantine.services.declarations import declaration_decide, declaration_inspect


def _post(user: User, path: str, **body: Any) -> Any:
    return client_for(user).post(f"/api/v1{path}", body, content_type="application/json")


def test_the_province_registers_checkpoints_and_posts_officers(
    province_admin: User, county_officer: User, outsider: User, make_user: MakeUser
) -> None:
    site = {"code": "JL-ZD-009", "name": "南关检查站", "road": "G1", "county": "220102"}
    assert _post(county_officer, "/checkpoints", **site).status_code == 403
    half = _post(province_admin, "/checkpoints", **{**site, "latitude": 43.8})
    assert half.json()["detail"]["fields"]["latitude"] == ["请同时填写经度和纬度（度），或都不填。"]
    registered = _post(province_admin, "/checkpoints", **site)
    assert registered.status_code == 201, registered.json()
    assert _post(province_admin, "/checkpoints", **site).status_code == 409
    assert OutboxEvent.objects.get(aggregate="checkpoint:JL-ZD-009").event_type == (
        "checkpoint.registered"
    )
    # Every officer reads the register.
    assert client_for(outsider).get("/api/v1/checkpoints").json()["count"] == 1
    officer = make_user("220102", (Role.CHECKPOINT_OFFICER,), username="nanguan-checker")
    foreign = make_user("220103", (Role.CHECKPOINT_OFFICER,), username="kuancheng-checker")
    post = "/checkpoints/JL-ZD-009/officers"
    wrong = _post(county_officer, post, username="kuancheng-checker")
    assert wrong.json()["detail"]["fields"]["username"] == [
        "南关区没有该用户名的在用检查站工作人员。"
    ]
    assert _post(outsider, post, username="kuancheng-checker").status_code == 404
    posted = _post(county_officer, post, username="nanguan-checker")
    assert posted.json()["officers"] == ["nanguan-checker"]
    assert foreign.checkpoint_posts.count() == 0
    assert officer.checkpoint_posts.get().code == "JL-ZD-009"
    page = client_for(province_admin).get("/premises/checkpoints/").content.decode()
    assert "南关检查站" in page and 'name="code"' in page


def test_a_posted_officer_records_what_he_saw_at_his_checkpoint(
    county_officer: User, make_user: MakeUser, certify: Certify, province_admin: User
) -> None:
    _post(
        province_admin,
        "/checkpoints",
        code="JL-ZD-009",
        name="南关检查站",
        road="G1",
        county="220102",
    )
    officer = make_user("220102", (Role.CHECKPOINT_OFFICER,), username="nanguan-checker")
    _post(county_officer, "/checkpoints/JL-ZD-009/officers", username="nanguan-checker")
    certificate = certify()
    checked = _post(
        officer,
        "/checkpoint-checks",
        number=certificate.number,
        vehicle_plate="吉a12345",
        animals_seen=10,
        tags_read="122010200000001-010",
        disinfected=True,
    )
    assert checked.status_code == 201, checked.json()
    check = CheckpointCheck.objects.get()
    assert (check.place, check.checkpoint.code) == ("南关检查站", "JL-ZD-009")  # type: ignore[union-attr]
    assert (check.vehicle_plate, check.animals_seen, check.disinfected) == ("吉A12345", 10, True)
    bad = _post(officer, "/checkpoint-checks", number=certificate.number, vehicle_plate="x1")
    assert bad.json()["detail"]["fields"]["vehicle_plate"] == ["请输入车牌号，如 吉A12345。"]
    # An officer posted nowhere still says where he is.
    loose = make_user("220102", (Role.CHECKPOINT_OFFICER,), username="loose-checker")
    assert _post(loose, "/checkpoint-checks", number=certificate.number).status_code == 400


def test_a_type_a_certificate_names_a_registered_checkpoint(
    declared: Callable[..., Declaration],
    station_officer: User,
    vet: User,
    designated_checkpoint: Checkpoint,
    request: pytest.FixtureRequest,
) -> None:
    leaving_journey(request, "吉A12345")

    def ready(serials: str) -> Declaration:
        declaration = declared(
            destination_province="230000",
            destination_region="",
            destination_address="黑龙江省哈尔滨市",
            numbers=serials,
            quantity=5,
            planned_departure=timezone.now() + timedelta(days=1),
        )
        declaration_decide(actor=station_officer, declaration=declaration, accept=True)
        return declaration_inspect(actor=vet, declaration=declaration, passed=True)

    unknown = ready(f"{pig(1)}-{pig(5)}")
    with pytest.raises(BusinessError) as refusal:
        certificate_issue(actor=vet, declaration=unknown, journey=Journey(checkpoint="某某检查站"))
    assert refusal.value.detail["fields"]["checkpoint"] == ["某某检查站 不是已登记的指定通道。"]
    bare = Journey(checkpoint="JL-ZD-001")
    with pytest.raises(BusinessError) as undisinfected:
        certificate_issue(actor=vet, declaration=unknown, journey=bare)
    assert undisinfected.value.code == "journey_incomplete"
    certificate = certificate_issue(
        actor=vet,
        declaration=unknown,
        journey=Journey(checkpoint="JL-ZD-001", disinfection=DISINFECTED),
    )
    assert (certificate.checkpoint, certificate.checkpoint_site) == (
        "拉林河检查站",
        designated_checkpoint,
    )


def test_a_type_a_certificate_needs_its_checkpoint_disinfection_and_a_registered_vehicle(
    declared: Callable[..., Declaration],
    station_officer: User,
    vet: User,
    designated_checkpoint: Checkpoint,
    settings: Any,
) -> None:
    declaration = declared(
        destination_province="230000",
        destination_region="",
        destination_address="黑龙江省哈尔滨市",
        numbers=f"{pig(1)}-{pig(5)}",
        quantity=5,
        vehicle_plate="吉B77777",
        planned_departure=timezone.now() + timedelta(days=1),
    )
    declaration_decide(actor=station_officer, declaration=declaration, accept=True)
    declaration_inspect(actor=vet, declaration=declaration, passed=True)
    refused = _post(vet, "/certificates", declaration=declaration.number)
    assert (refused.status_code, refused.json()["code"]) == (422, "journey_incomplete")
    assert refused.json()["detail"]["fields"] == {
        "checkpoint": ["请填写畜禽出省经过的指定通道。"],
        "disinfection": ["请记录运载工具的消毒情况。"],
        "vehicle_plate": ["吉B77777 不是已备案车辆：畜禽只能用已备案车辆运出省。"],
    }
    journey = {"checkpoint": "JL-ZD-001", "disinfection": DISINFECTED}
    assert _post(vet, "/certificates", declaration=declaration.number, **journey).json()["detail"][
        "fields"
    ] == {"vehicle_plate": ["吉B77777 不是已备案车辆：畜禽只能用已备案车辆运出省。"]}
    # A province that lets unregistered vehicles leave switches the rule off.
    settings.EARMARK_TYPE_A_REGISTERED_VEHICLE = False
    issued = _post(vet, "/certificates", declaration=declaration.number, **journey)
    assert issued.status_code == 201, issued.json()
