"""Across provinces (#17, #30): the national platform (the shipped simulator, serving several
provinces) publishes each province's signing key and hands each province the type A
certificates issued elsewhere for animals coming to it. Heilongjiang is played here by a
``Neighbour`` delivering to the same platform with the platform's token; Jilin is this
instance. Nothing Heilongjiang publishes is believed until Jilin's administrator pins its key."""

from __future__ import annotations

import json
import urllib.request
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Role, User
from earmark.core import signing
from earmark.core.testing import client_for, with_forged_signature
from earmark.exchange.fixtures import PLATFORM_TOKEN
from earmark.exchange.models import HeldEvent
from earmark.exchange.simulator import Platform
from earmark.exchange.worker import run
from earmark.farms.fixtures import MakePremises
from earmark.farms.models import Stock
from earmark.immunization.models import Animal
from earmark.movements.models import Alert
from earmark.quarantine.models import Certificate, ForeignCertificate, ProvinceKey
from earmark.quarantine.neighbour import Neighbour
from earmark.quarantine.services.province_keys import signing_key_publish

HEILONGJIANG = "230000"


def deliver(platform_url: str, events: list[dict[str, Any]]) -> None:
    """What another province's Earmark sends the platform, with the platform's token."""
    request = urllib.request.Request(  # noqa: S310 - the test's own simulator
        f"{platform_url}/events",
        data=json.dumps({"events": events}, ensure_ascii=False).encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {PLATFORM_TOKEN}",
        },
    )
    with urllib.request.urlopen(request, timeout=5):  # noqa: S310
        pass


def event(kind: str, aggregate: str, payload: dict[str, Any]) -> dict[str, Any]:
    return {
        "key": str(uuid.uuid4()),
        "type": kind,
        "aggregate": aggregate,
        "occurred_at": timezone.now().isoformat(),
        "payload": payload,
    }


def published(neighbour: Neighbour, entry: dict[str, Any] | None = None) -> dict[str, Any]:
    return event(
        "signing_key.published", f"signing-key:{neighbour.kid}", entry or neighbour.key_entry()
    )


def issued(entry: dict[str, Any]) -> dict[str, Any]:
    return event("certificate.issued", f"certificate:{entry['number']}", entry)


def revoked(neighbour: Neighbour, number: str, reason: str) -> dict[str, Any]:
    return event(
        "certificate.revoked",
        f"certificate:{number}",
        {
            "province": neighbour.province,
            "number": number,
            "reason": reason,
            "revoked_at": timezone.now().isoformat(),
            "signed": neighbour.revocation(number, reason),
        },
    )


def pin(admin: User, neighbour: Neighbour, fingerprint: str | None = None) -> Any:
    """The administrator types the fingerprint Heilongjiang gave him by telephone."""
    return client_for(admin).post(
        f"/api/v1/province-keys/{neighbour.kid}/pin",
        {"fingerprint": fingerprint if fingerprint is not None else neighbour.fingerprint},
        content_type="application/json",
    )


def test_two_provinces_share_keys_and_certificates_through_the_platform(
    platform: Platform,
    settings: Any,
    certify: Callable[..., Certificate],
    make_user: MakeUser,
    make_premises: MakePremises,
    county_officer: User,
    province_admin: User,
) -> None:
    url = settings.EARMARK_NATIONAL_URL
    heilongjiang = Neighbour(HEILONGJIANG)
    genuine_entry = heilongjiang.certificate(
        "231260000001", issued=timezone.localdate() - timedelta(days=2), days=4
    )
    deliver(
        url,
        [
            published(heilongjiang),
            issued(genuine_entry),
            # Bound for Liaoning: not Jilin's to see.
            issued(heilongjiang.certificate("231260000002", destination="210102")),
        ],
    )
    # Jilin: its key published once, and a type A certificate to Heilongjiang.
    assert signing_key_publish() is True
    assert signing_key_publish() is False
    outbound = certify(
        destination_province=HEILONGJIANG,
        destination_region="",
        destination_address="黑龙江省哈尔滨市",
        planned_departure=timezone.now() + timedelta(days=1),
    )
    run(once=True)

    # Heilongjiang's key waits to be pinned: its certificate is set aside, not believed.
    assert ProvinceKey.objects.get().status == "pending"
    assert not ForeignCertificate.objects.exists()
    held = HeldEvent.objects.get()
    assert (held.kind, held.reason, held.reference, held.detail) == (
        "certificate",
        "untrusted_key",
        "231260000001",
        heilongjiang.kid,
    )
    # The administrator types a wrong fingerprint, then the one Heilongjiang read him.
    wrong = pin(province_admin, heilongjiang, "0000 1111")
    assert (wrong.status_code, wrong.json()["code"]) == (422, "fingerprint_mismatch")
    assert wrong.json()["message"] == "指纹与此密钥不符：请与对方省份再次核对。"
    assert pin(county_officer, heilongjiang).status_code == 403
    pinned = pin(province_admin, heilongjiang, heilongjiang.fingerprint.lower().replace(" ", ""))
    assert pinned.status_code == 200, pinned.json()
    assert pinned.json()["status"] == "trusted"
    assert pin(province_admin, heilongjiang).json()["code"] == "key_already_trusted"
    run(once=True)

    # What Jilin read: the registry with both keys, and the one certificate for Jilin; what
    # was set aside is settled by the certificate now taken.
    assert list(ForeignCertificate.objects.values_list("number", flat=True)) == ["231260000001"]
    assert HeldEvent.objects.get().status == "taken"
    registry = client_for(county_officer).get("/api/v1/province-keys").json()["items"]
    assert {(k["province"], k["own"], k["status"]) for k in registry} == {
        ("220000", True, "trusted"),
        (HEILONGJIANG, False, "trusted"),
    }
    # What Heilongjiang would read: Jilin's certificate for it, with the signed payload, which
    # verifies against Jilin's published key.
    with urllib.request.urlopen(f"{url}/certificates?destination={HEILONGJIANG}") as answer:  # noqa: S310
        for_heilongjiang = json.loads(answer.read())["certificates"]
    assert [c["number"] for c in for_heilongjiang] == [outbound.number]
    jilin_key = next(k for k in registry if k["own"])["public_key"]
    assert signing.verify_raw(for_heilongjiang[0]["payload"], jilin_key).ok
    assert signing.verify_raw(for_heilongjiang[0]["details"], jilin_key).ok

    # A Jilin checkpoint checks Heilongjiang's certificate: genuine by Heilongjiang's key.
    officer = make_user("220102", (Role.CHECKPOINT_OFFICER,), username="nanguan-checker")
    genuine = ForeignCertificate.objects.get().payload

    def check(payload: str) -> Any:
        return client_for(officer).post(
            "/api/v1/checkpoint-checks",
            {"place": "长春南收费站", "payload": payload},
            content_type="application/json",
        )

    checked = check(genuine)
    assert checked.status_code == 201, checked.json()
    body = checked.json()
    assert (body["result"], body["signature_valid"], body["issuing_province"]) == (
        "valid",
        True,
        HEILONGJIANG,
    )
    assert (body["certificate"]["province"], body["certificate"]["quantity"]) == (HEILONGJIANG, 5)
    forged = check(with_forged_signature(genuine)).json()
    assert (forged["result"], forged["signature_valid"]) == ("forged", False)
    # Signed by a key no province published: not genuine.
    stranger = Neighbour(HEILONGJIANG).certificate("231260000003")
    assert check(stranger["payload"]).json()["result"] == "forged"
    # The checkpoint's page says the same, naming the issuing province.
    page = client_for(officer).post(
        "/checkpoint/", {"code": genuine, "place": "长春南收费站"}, follow=True
    )
    shown = page.content.decode()
    assert "231260000001" in shown and "黑龙江省哈尔滨市道里区兴旺养殖场" in shown
    assert "(230000)" in shown or "（230000）" in shown

    # Received at a farm of 南关区: the tags go on its animals, marked as come from Heilongjiang;
    # reported 30 hours after arrival, animals for raising are flagged late.
    farm = make_premises(name="南岭育肥场", township="220102001", stock={"pig": 0})
    receiver = make_user("220102", (Role.DESTINATION_STAFF,), username="nanguan-receiver")

    def arrive(user: User, premises_code: str) -> Any:
        return client_for(user).post(
            "/api/v1/foreign-arrivals",
            {
                "certificate": "231260000001",
                "premises": premises_code,
                "tags": "123010200000001-123010200000005 123010200000009",
                "arrived_at": (timezone.now() - timedelta(hours=30)).isoformat(),
            },
            content_type="application/json",
        )

    elsewhere = make_premises(name="宽城场", township="220103002", stock={"pig": 0})
    kuancheng = make_user("220103", (Role.DESTINATION_STAFF,), username="kuancheng-receiver")
    assert arrive(kuancheng, elsewhere.code).json()["code"] == "destination_mismatch"
    received = arrive(receiver, farm.code)
    assert received.status_code == 201, received.json()
    body = received.json()
    assert (body["received"], body["extra"], body["late"]) == (
        [[123010200000001, 123010200000005]],
        [[123010200000009, 123010200000009]],
        True,
    )
    assert arrive(receiver, farm.code).status_code == 409
    assert Stock.objects.get(premises=farm, species="pig").quantity == 5
    animal = Animal.objects.get(tags__tag_id=123010200000003)
    assert (animal.premises, animal.arrived_from) == (farm, "230102")
    trace = client_for(county_officer).get("/api/v1/tags/123010200000003/trace").json()
    assert any(s["document"] == "231260000001" for s in trace["steps"])
    flagged = client_for(county_officer).get("/api/v1/anomalies").json()["items"]
    late = next(a for a in flagged if a["kind"] == "late_foreign_arrival")
    assert late["evidence"][0].startswith(
        "231260000001 · 黑龙江省哈尔滨市道里区兴旺养殖场 → 南岭育肥场"
    )
    # It passed no designated checkpoint (the check above was at a toll station): flagged.
    passage = next(a for a in flagged if a["kind"] == "no_checkpoint_passage")
    assert passage["evidence"][0].startswith("231260000001 · ")
    # Heilongjiang hears of it through the platform, as an alert to its origin county.
    run(once=True)
    with urllib.request.urlopen(f"{url}/alerts?province={HEILONGJIANG}") as answer:  # noqa: S310
        (alert,) = json.loads(answer.read())["alerts"]
    assert alert["payload"]["problems"] == ["mismatch", "late", "no_checkpoint"]
    assert alert["payload"]["message"] == (
        "检疫证明 231260000001 在南岭育肥场接收：耳标与检疫证明不符；"
        "抵达 24 小时后才报告；未经指定通道检查。"
    )
    assert alert["payload"]["extra"] == [[123010200000009, 123010200000009]]


def test_another_provinces_revocation_reaches_checkpoints_and_arrivals(
    platform: Platform,
    settings: Any,
    make_user: MakeUser,
    make_premises: MakePremises,
    heilongjiang: Neighbour,
) -> None:
    url = settings.EARMARK_NATIONAL_URL
    certificate = heilongjiang.certificate("231260000001")
    deliver(url, [issued(certificate)])
    run(once=True)
    officer = make_user("220102", (Role.CHECKPOINT_OFFICER,), username="nanguan-checker")
    payload = certificate["payload"]

    def check() -> Any:
        return (
            client_for(officer)
            .post(
                "/api/v1/checkpoint-checks",
                {"place": "长春南收费站", "payload": payload},
                content_type="application/json",
            )
            .json()
        )

    assert check()["result"] == "valid"
    # Another province cannot revoke Heilongjiang's certificate, nor can the platform in its
    # name (a revocation signed by a key nobody pinned, or none at all); Heilongjiang can.
    impostor = Neighbour(HEILONGJIANG)
    deliver(url, [revoked(impostor, "231260000001", "冒名撤销")])
    run(once=True)
    assert ForeignCertificate.objects.get().revoked_at is None
    assert HeldEvent.objects.get().reason == "untrusted_key"
    deliver(url, [revoked(heilongjiang, "231260000001", "检出非洲猪瘟疑似病例\x00")])
    run(once=True)
    foreign = ForeignCertificate.objects.get()
    assert foreign.revoked_reason == "检出非洲猪瘟疑似病例"
    checked = check()
    assert checked["result"] == "revoked"
    assert checked["certificate"]["revoked_reason"] == "检出非洲猪瘟疑似病例"
    # Offline too: the checkpoint's snapshot lists it among the revoked.
    snapshot = client_for(officer).get("/api/v1/checkpoint-checks/snapshot").json()
    assert "231260000001" in snapshot["revoked"]
    # The destination cannot receive the animals on it.
    farm = make_premises(name="南岭育肥场", township="220102001", stock={"pig": 0})
    receiver = make_user("220102", (Role.DESTINATION_STAFF,), username="nanguan-receiver")
    refused = client_for(receiver).post(
        "/api/v1/foreign-arrivals",
        {
            "certificate": "231260000001",
            "premises": farm.code,
            "tags": "123010200000001-123010200000005",
            "arrived_at": timezone.now().isoformat(),
        },
        content_type="application/json",
    )
    assert refused.status_code == 409
    assert refused.json()["message"] == (
        "检疫证明 231260000001 已被签发省份撤销：检出非洲猪瘟疑似病例"
    )
    assert not Animal.objects.filter(premises=farm).exists()


def test_another_provinces_alert_reaches_the_origin_county_once(
    platform: Platform,
    settings: Any,
    certify: Callable[..., Certificate],
    county_officer: User,
    outsider: User,
    province_admin: User,
    heilongjiang: Neighbour,
) -> None:
    url = settings.EARMARK_NATIONAL_URL
    outbound = certify(
        destination_province=HEILONGJIANG,
        destination_region="",
        destination_address="黑龙江省哈尔滨市",
        planned_departure=timezone.now() + timedelta(days=1),
    )
    # Liaoning's key is trusted too, but the animals did not go there.
    liaoning = Neighbour("210000")
    deliver(url, [published(liaoning)])
    run(once=True)
    assert pin(province_admin, liaoning).status_code == 200

    def alert(sender: Neighbour, number: str) -> dict[str, Any]:
        entry = sender.alert(number, ("late", "no_checkpoint"), key=str(uuid.uuid4()))
        return event("alert.raised", f"certificate:{number}", entry["payload"]) | {
            "key": entry["key"]
        }

    genuine = alert(heilongjiang, outbound.number)
    deliver(
        url,
        [
            genuine,
            # Not Jilin's: about a certificate it never issued; from a province that neither
            # issued nor receives it; signed by a key nobody pinned.
            alert(heilongjiang, "221269999999"),
            alert(liaoning, outbound.number),
            alert(Neighbour(HEILONGJIANG), outbound.number),
        ],
    )
    run(once=True)
    run(once=True)
    assert sorted(HeldEvent.objects.values_list("reason", "times_seen")) == [
        ("not_a_party", 2),
        ("unknown_certificate", 2),
        ("untrusted_key", 2),
    ]
    alert = Alert.objects.get()
    assert (alert.kind, alert.county_id, alert.from_province, alert.raised_by) == (
        "late_arrival",
        "220102",
        HEILONGJIANG,
        None,
    )
    assert alert.message == f"检疫证明 {outbound.number} 到达时发现问题"
    assert alert.trace["problems"] == ["late", "no_checkpoint"] and alert.trace["extra"] == []
    assert alert.trace["origin_name"] == outbound.premises.name
    listed = client_for(county_officer).get("/api/v1/alerts").json()["items"]
    assert [(a["certificate"], a["from_province"]) for a in listed] == [
        (outbound.number, HEILONGJIANG)
    ]
    assert client_for(outsider).get("/api/v1/alerts").json()["items"] == []
    page = client_for(county_officer).get("/alerts/").content.decode()
    assert "来自 230000" in page
