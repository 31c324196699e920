"""Across provinces (#17): the national platform (the shipped simulator, serving several
provinces) publishes each province's signing key and hands each province the type A
certificates issued elsewhere for animals coming to it. Heilongjiang is played here by its own
key and its own deliveries to the same platform; Jilin is this instance."""

from __future__ import annotations

import json
import urllib.request
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import timezone

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Role, User
from earmark.core import signing
from earmark.core.testing import client_for, with_forged_signature
from earmark.exchange.simulator import Platform
from earmark.exchange.worker import run
from earmark.farms.fixtures import MakePremises
from earmark.farms.models import Stock
from earmark.immunization.models import Animal
from earmark.movements.models import Alert
from earmark.quarantine.models import Certificate, ForeignCertificate, ProvinceKey
from earmark.quarantine.services.foreign import signing_key_publish

HEILONGJIANG = "230000"


def _deliver(platform_url: str, events: list[dict[str, Any]]) -> None:
    """What Heilongjiang's own Earmark sends the platform."""
    request = urllib.request.Request(  # noqa: S310 - the test's own simulator
        f"{platform_url}/events",
        data=json.dumps({"events": events}, ensure_ascii=False).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5):  # noqa: S310
        pass


def _key_published(key: Ed25519PrivateKey) -> dict[str, Any]:
    """Heilongjiang's certificate-signing key, as its Earmark publishes it."""
    kid = signing.key_id(key.public_key())
    return {
        "key": str(uuid.uuid4()),
        "type": "signing_key.published",
        "aggregate": f"signing-key:{kid}",
        "occurred_at": timezone.now().isoformat(),
        "payload": {
            "province": HEILONGJIANG,
            "kid": kid,
            "public_key": signing.public_raw(key.public_key()),
            "valid_from": timezone.now().isoformat(),
        },
    }


def _heilongjiang_certificate(
    key: Ed25519PrivateKey, number: str, destination_province: str, destination_region: str
) -> dict[str, Any]:
    today = timezone.localdate()
    tags = [[123010200000001, 123010200000005]]
    payload = signing.sign(
        {
            "v": 1,
            "n": number,
            "k": "A",
            "sp": "pig",
            "q": 5,
            "o": "230102000001",
            "ot": "230102001",
            "d": destination_region,
            "pl": "黑A12345",
            # Issued two days ago: the animals arrived (30 hours ago) after it.
            "i": (today - timedelta(days=2)).isoformat(),
            "u": (today + timedelta(days=2)).isoformat(),
            "t": "123010200000001-123010200000005",
        },
        key=key,
    )
    return {
        "key": str(uuid.uuid4()),
        "type": "certificate.issued",
        "aggregate": f"certificate:{number}",
        "occurred_at": timezone.now().isoformat(),
        "payload": {
            "province": HEILONGJIANG,
            "number": number,
            "kind": "A",
            "species": "pig",
            "quantity": 5,
            "purpose": "raising",
            "destination_province": destination_province,
            "destination": "吉林省长春市南关区育肥场",
            "origin": "黑龙江省哈尔滨市道里区兴旺养殖场",
            "tags": tags,
            "payload": payload,
        },
    }


def test_two_provinces_share_keys_and_certificates_through_the_platform(
    platform: Platform,
    settings: Any,
    certify: Callable[..., Certificate],
    make_user: MakeUser,
    make_premises: MakePremises,
    county_officer: User,
) -> None:
    url = settings.EARMARK_NATIONAL_URL
    heilongjiang = Ed25519PrivateKey.generate()
    _deliver(
        url,
        [
            _key_published(heilongjiang),
            _heilongjiang_certificate(heilongjiang, "231260000001", "220000", "220102"),
            # Bound for Liaoning: not Jilin's to see.
            _heilongjiang_certificate(heilongjiang, "231260000002", "210000", "210102"),
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

    # What Jilin read: the registry with both keys, and the one certificate for Jilin.
    assert set(ProvinceKey.objects.values_list("province", flat=True)) == {"220000", HEILONGJIANG}
    assert list(ForeignCertificate.objects.values_list("number", flat=True)) == ["231260000001"]
    registry = client_for(county_officer).get("/api/v1/province-keys").json()["items"]
    assert {(k["province"], k["own"]) for k in registry} == {
        ("220000", True),
        (HEILONGJIANG, False),
    }
    # What Heilongjiang would read: Jilin's certificate for it, with the signed payload, which
    # verifies against Jilin's published key.
    with urllib.request.urlopen(f"{url}/certificates?destination={HEILONGJIANG}") as answer:  # noqa: S310
        for_heilongjiang = json.loads(answer.read())["certificates"]
    assert [c["number"] for c in for_heilongjiang] == [outbound.number]
    jilin_key = next(k for k in registry if k["own"])["public_key"]
    assert signing.verify_raw(for_heilongjiang[0]["payload"], jilin_key).ok

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
    stranger = _heilongjiang_certificate(
        Ed25519PrivateKey.generate(), "231260000003", "220000", "220102"
    )
    assert check(stranger["payload"]["payload"]).json()["result"] == "forged"
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


def _revocation(province: str, number: str, reason: str) -> dict[str, Any]:
    return {
        "key": str(uuid.uuid4()),
        "type": "certificate.revoked",
        "aggregate": f"certificate:{number}",
        "occurred_at": timezone.now().isoformat(),
        "payload": {
            "province": province,
            "number": number,
            "reason": reason,
            "revoked_at": timezone.now().isoformat(),
        },
    }


def test_another_provinces_revocation_reaches_checkpoints_and_arrivals(
    platform: Platform, settings: Any, make_user: MakeUser, make_premises: MakePremises
) -> None:
    url = settings.EARMARK_NATIONAL_URL
    heilongjiang = Ed25519PrivateKey.generate()
    certificate = _heilongjiang_certificate(heilongjiang, "231260000001", "220000", "220102")
    _deliver(url, [_key_published(heilongjiang), certificate])
    run(once=True)
    officer = make_user("220102", (Role.CHECKPOINT_OFFICER,), username="nanguan-checker")
    payload = certificate["payload"]["payload"]

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
    # Another province cannot revoke Heilongjiang's certificate; Heilongjiang can.
    _deliver(url, [_revocation("210000", "231260000001", "冒名撤销")])
    run(once=True)
    assert ForeignCertificate.objects.get().revoked_at is None
    _deliver(url, [_revocation(HEILONGJIANG, "231260000001", "检出非洲猪瘟疑似病例\x00")])
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


def _alert_from(province: str, origin: str, certificate: str) -> dict[str, Any]:
    return {
        "key": str(uuid.uuid4()),
        "type": "alert.raised",
        "aggregate": f"certificate:{certificate}",
        "occurred_at": timezone.now().isoformat(),
        "payload": {
            "province": province,
            "origin_province": origin,
            "certificate": certificate,
            "problems": ["late", "no_checkpoint"],
            "message": "检疫证明在哈尔滨兴旺养殖场接收：抵达 24 小时后才报告。\x00",
            "premises": "哈尔滨兴旺养殖场",
            "arrived_at": timezone.now().isoformat(),
            "missing": [],
            "extra": "not ranges",
        },
    }


def test_another_provinces_alert_reaches_the_origin_county_once(
    platform: Platform,
    settings: Any,
    certify: Callable[..., Certificate],
    county_officer: User,
    outsider: User,
) -> None:
    url = settings.EARMARK_NATIONAL_URL
    outbound = certify(
        destination_province=HEILONGJIANG,
        destination_region="",
        destination_address="黑龙江省哈尔滨市",
        planned_departure=timezone.now() + timedelta(days=1),
    )
    _deliver(
        url,
        [
            _alert_from(HEILONGJIANG, "220000", outbound.number),
            # Not Jilin's: about a certificate it never issued, or claimed by Jilin itself.
            _alert_from(HEILONGJIANG, "220000", "999999999999"),
            _alert_from("220000", "220000", outbound.number),
        ],
    )
    run(once=True)
    run(once=True)
    alert = Alert.objects.get()
    assert (alert.kind, alert.county_id, alert.from_province, alert.raised_by) == (
        "late_arrival",
        "220102",
        HEILONGJIANG,
        None,
    )
    assert alert.message == "检疫证明在哈尔滨兴旺养殖场接收：抵达 24 小时后才报告。"
    assert alert.trace["problems"] == ["late", "no_checkpoint"] and alert.trace["extra"] == []
    assert alert.trace["origin_name"] == outbound.premises.name
    listed = client_for(county_officer).get("/api/v1/alerts").json()["items"]
    assert [(a["certificate"], a["from_province"]) for a in listed] == [
        (outbound.number, HEILONGJIANG)
    ]
    assert client_for(outsider).get("/api/v1/alerts").json()["items"] == []
    page = client_for(county_officer).get("/alerts/").content.decode()
    assert "来自 230000" in page
