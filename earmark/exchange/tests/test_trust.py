"""The platform is a trust boundary (#30): whose key is whose, what a signature covers, and what
happens to whatever else the platform hands over — set aside with its reason, raised where it
may be an attack, never stored, and never in the way of the rest."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.utils import timezone

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Role, User
from earmark.audit.models import OutboxEvent
from earmark.core import signing
from earmark.core.testing import client_for
from earmark.exchange.models import HeldEvent
from earmark.exchange.services.inbound import pull
from earmark.exchange.worker import run
from earmark.movements.models import Alert, CheckpointCheck
from earmark.quarantine.models import ForeignCertificate, ProvinceKey
from earmark.quarantine.neighbour import Neighbour
from earmark.quarantine.services.foreign import foreign_certificates_store
from earmark.quarantine.services.province_keys import province_keys_store, signing_key_publish


def platform(
    keys: list[Any] | None = None,
    certificates: list[Any] | None = None,
    alerts: list[Any] | None = None,
    receipts: list[Any] | None = None,
) -> Any:
    """A platform answering what it is given, as the worker's ``fetch``."""
    answers = {"keys": keys, "certificates": certificates, "alerts": alerts, "receipts": receipts}

    def fetch(path: str) -> Any:
        name = path.strip("/").partition("?")[0]
        return {name: answers.get(name) or []}

    return fetch


def held() -> list[tuple[str, str, str]]:
    return sorted(HeldEvent.objects.values_list("kind", "reason", "detail"))


def platform_alerts() -> list[str]:
    return list(Alert.objects.filter(kind=Alert.Kind.PLATFORM).values_list("message", flat=True))


def test_a_key_claiming_this_province_is_refused_and_raised(province_admin: User) -> None:
    impostor = Neighbour("220000")
    own = Neighbour("220000", signing.private_key())
    pull(platform(keys=[impostor.key_entry(), own.key_entry()]))
    # This province's own key, come back from the platform, is nothing new; another is an attack.
    assert not ProvinceKey.objects.exists()
    assert held() == [("key", "own_province", "")]
    (raised,) = Alert.objects.filter(kind=Alert.Kind.PLATFORM)
    assert raised.county_id == "220000"
    assert raised.message.startswith("国家平台转来的签名密钥已搁置：冒用本省代码")
    # The province administrator sees it among his alerts and answers it.
    listed = client_for(province_admin).get("/api/v1/alerts").json()["items"]
    assert [a["kind"] for a in listed] == ["platform"]
    answered = client_for(province_admin).post(
        f"/api/v1/alerts/{raised.pk}/acknowledge",
        {"action_taken": "已报国家平台核查"},
        content_type="application/json",
    )
    assert answered.status_code == 200, answered.json()


def test_a_key_whose_id_is_not_its_own_is_refused(db: None) -> None:
    neighbour = Neighbour()
    pull(platform(keys=[neighbour.key_entry() | {"kid": "0000000000000000"}]))
    assert held() == [("key", "key_mismatch", "")]


def test_a_province_rotates_its_key_and_the_old_one_signs_nothing_more(
    heilongjiang: Neighbour, province_admin: User
) -> None:
    old_kid = heilongjiang.kid
    before = heilongjiang.certificate("231260000010")
    old_key = heilongjiang.key
    rotated = heilongjiang.rotate()
    after = heilongjiang.certificate("231260000011")
    # The old key, stolen after it was replaced, signs a certificate dated later.
    thief = Neighbour("230000", old_key)
    late = thief.certificate("231260000012", issued=timezone.localdate() + timedelta(days=1))
    pull(platform(keys=[rotated], certificates=[before, after, late]))
    keys = {k.kid: k for k in ProvinceKey.objects.all()}
    assert keys[heilongjiang.kid].status == "trusted"
    assert keys[heilongjiang.kid].endorsed_by_id == keys[old_kid].pk
    assert keys[old_kid].retired_at is not None
    assert set(ForeignCertificate.objects.values_list("number", flat=True)) == {
        "231260000010",
        "231260000011",
    }
    assert held() == [("certificate", "retired_key", old_kid)]
    # The registry says so.
    registry = client_for(province_admin).get("/api/v1/province-keys").json()["items"]
    mine = {k["kid"]: k for k in registry}
    assert mine[heilongjiang.kid]["endorsed_by"] == old_kid
    assert mine[old_kid]["retired_at"] is not None


def test_a_further_unsigned_key_is_quarantined_and_raised_until_pinned(
    heilongjiang: Neighbour, province_admin: User
) -> None:
    stranger = Neighbour("230000")
    forged = Neighbour("230000")
    # Endorsed by a key Heilongjiang never had; and one with no endorsement at all.
    endorsed_by_nobody = Neighbour("230000", forged.key).rotate()
    pull(platform(keys=[stranger.key_entry(), endorsed_by_nobody]))
    quarantined = ProvinceKey.objects.filter(status="quarantined")
    assert quarantined.count() == 2
    assert {k.reason for k in quarantined} == {
        "未经其所替换的密钥签名",
        "签名密钥未获本省信任，或已被替换",
    }
    assert len(platform_alerts()) == 2
    # Seen again: nothing new, nothing raised again.
    pull(platform(keys=[stranger.key_entry(), endorsed_by_nobody]))
    assert len(platform_alerts()) == 2
    # Its certificate is not believed.
    pull(platform(certificates=[stranger.certificate("231260000020")]))
    assert held() == [("certificate", "untrusted_key", stranger.kid)]
    # Heilongjiang tells by telephone it lost its key: the administrator pins the new one; the
    # old one is retired from now, and the certificate set aside is taken on retry.
    pinned = client_for(province_admin).post(
        f"/api/v1/province-keys/{stranger.kid}/pin",
        {"fingerprint": stranger.fingerprint},
        content_type="application/json",
    )
    assert pinned.status_code == 200, pinned.json()
    assert ProvinceKey.objects.get(kid=heilongjiang.kid).retired_at is not None
    (waiting,) = HeldEvent.objects.all()
    retried = client_for(province_admin).post(f"/api/v1/held-events/{waiting.pk}/retry")
    assert retried.json()["status"] == "taken"
    assert ForeignCertificate.objects.filter(number="231260000020").exists()
    again = client_for(province_admin).post(f"/api/v1/held-events/{waiting.pk}/retry")
    assert (again.status_code, again.json()["code"]) == (409, "held_event_handled")


def test_only_the_administrator_handles_what_was_set_aside(
    heilongjiang: Neighbour, province_admin: User, county_officer: User
) -> None:
    liar = heilongjiang.certificate("231260000030") | {"quantity": 500}
    pull(platform(certificates=[liar]))
    (waiting,) = HeldEvent.objects.all()
    assert (waiting.reason, waiting.detail, waiting.reference) == (
        "unsigned_disagrees",
        "quantity",
        "231260000030",
    )
    assert client_for(county_officer).get("/api/v1/held-events").status_code == 403
    assert (
        client_for(county_officer).post(f"/api/v1/held-events/{waiting.pk}/drop").status_code == 403
    )
    listed = client_for(province_admin).get("/api/v1/held-events?status=waiting").json()
    assert [(h["reason"], h["reason_label"]) for h in listed["items"]] == [
        ("unsigned_disagrees", "未签名的字段与签名内容不一致")
    ]
    # Retried, it still fails: it stays, with its reason.
    retried = client_for(province_admin).post(f"/api/v1/held-events/{waiting.pk}/retry").json()
    assert (retried["status"], retried["reason"]) == ("waiting", "unsigned_disagrees")
    dropped = client_for(province_admin).post(f"/api/v1/held-events/{waiting.pk}/drop").json()
    assert dropped["status"] == "dropped"
    # Handed over again, it stays dropped and is not raised again.
    pull(platform(certificates=[liar]))
    assert HeldEvent.objects.get().status == "dropped"
    assert client_for(province_admin).post("/api/v1/held-events/999999/drop").status_code == 404


def test_only_what_the_signature_covers_is_believed(heilongjiang: Neighbour) -> None:
    genuine = heilongjiang.certificate("231260000040")
    other = heilongjiang.certificate("231260000041")
    taken = foreign_certificates_store(
        [
            # Tags that are not in the signed tag field.
            genuine | {"tags": [[999999999999999, 999999999999999]]},
            # An origin the issuer did not sign.
            other | {"origin": "<script>alert(1)</script>"},
            # Fields the issuer did not sign at all are ignored when they agree.
            heilongjiang.certificate("231260000042") | {"destination_premises": None},
        ]
    )
    assert [(r.refusal.reason, r.refusal.detail) for r in taken.refused] == [
        ("unsigned_disagrees", "tags"),
        ("unsigned_disagrees", "origin"),
    ]
    stored = ForeignCertificate.objects.get()
    assert (stored.number, stored.tags, stored.origin, stored.purpose) == (
        "231260000042",
        [[123010200000001, 123010200000005]],
        "黑龙江省哈尔滨市道里区兴旺养殖场",
        "raising",
    )
    # Details signed by another key than the certificate's are not believed either.
    details = Neighbour("230000").sign({"n": "231260000043", "pu": "slaughter"})
    crossed = foreign_certificates_store(
        [heilongjiang.certificate("231260000043") | {"details": details}]
    )
    assert crossed.refused[0].refusal.reason == "untrusted_key"


def test_a_stored_certificate_is_never_overwritten(
    heilongjiang: Neighbour, make_user: MakeUser
) -> None:
    first = heilongjiang.certificate("231260000050", quantity=5)
    second = heilongjiang.certificate(
        "231260000050", quantity=2, tags=((123010200000001, 123010200000002),)
    )
    pull(platform(certificates=[first]))
    pull(platform(certificates=[first, second]))
    stored = ForeignCertificate.objects.get()
    assert (stored.quantity, stored.payload) == (5, first["payload"])
    assert held() == [("certificate", "conflict", "已保存另一份")]
    assert len(platform_alerts()) == 1
    # The genuine payload still checks as itself.
    officer = make_user("220102", (Role.CHECKPOINT_OFFICER,), username="nanguan-checker")
    checked = client_for(officer).post(
        "/api/v1/checkpoint-checks",
        {"place": "长春南收费站", "payload": first["payload"]},
        content_type="application/json",
    )
    assert checked.json()["result"] == "valid"
    assert checked.json()["certificate"]["tags"] == ["123010200000001-123010200000005"]


def test_numbers_out_of_bounds_never_stop_the_exchange(
    heilongjiang: Neighbour, certified: Any
) -> None:
    """A malformed signed field once stopped every later pull (``q="abc"``) and crashed the
    worker (``q=10**20``), and with it delivery."""

    def signed_with(number: str, **fields: Any) -> dict[str, Any]:
        entry = heilongjiang.certificate(number)
        body = signing.payload_fields(entry["payload"])
        body.pop("kid")
        return entry | {"payload": heilongjiang.sign(body | fields)}

    hostile = [
        signed_with("231260000060", q="abc"),
        signed_with("231260000061", q=10**20),
        signed_with("231260000062", q=True),
        signed_with("231260000063", i="2026-13-45"),
        signed_with("231260000064", t="123-456"),
        signed_with("231260000065", sp="dragon"),
        signed_with("231260000066", d="110101"),
        signed_with("221260000067"),
        "not an object",
        {"payload": 12},
    ]
    genuine = heilongjiang.certificate("231260000069")
    sent: list[list[OutboxEvent]] = []
    delivered = run(
        once=True,
        send=sent.append,
        fetch=platform(certificates=[*hostile, genuine], alerts="nonsense"),  # type: ignore[arg-type]
    )
    assert delivered > 0 and sent
    assert list(ForeignCertificate.objects.values_list("number", flat=True)) == ["231260000069"]
    assert held() == sorted(
        [
            ("certificate", "out_of_bounds", "q"),
            ("certificate", "out_of_bounds", "q"),
            ("certificate", "out_of_bounds", "q"),
            ("certificate", "out_of_bounds", "i"),
            ("certificate", "out_of_bounds", "t"),
            ("certificate", "unknown_species", "dragon"),
            ("certificate", "not_for_us", "110101"),
            ("certificate", "out_of_bounds", "n"),
            ("certificate", "unreadable", "not an object"),
            ("certificate", "unreadable", "payload"),
            ("alert", "unreadable", "not a list"),
        ]
    )


def test_a_worker_outlives_a_platform_that_answers_nonsense(certified: Any) -> None:
    def fetch(path: str) -> Any:
        raise RecursionError("nested too deep")

    sent: list[list[OutboxEvent]] = []
    assert run(once=True, send=sent.append, fetch=fetch) > 0


def test_a_used_certificate_reads_used_online_and_offline(
    heilongjiang: Neighbour, make_user: MakeUser, make_premises: Any
) -> None:
    entry = heilongjiang.certificate("231260000070")
    pull(platform(certificates=[entry]))
    farm = make_premises(name="南岭育肥场", township="220102001", stock={"pig": 0})
    receiver = make_user("220102", (Role.DESTINATION_STAFF,), username="nanguan-receiver")
    received = client_for(receiver).post(
        "/api/v1/foreign-arrivals",
        {
            "certificate": "231260000070",
            "premises": farm.code,
            "tags": "123010200000001-123010200000005",
        },
        content_type="application/json",
    )
    assert received.status_code == 201, received.json()
    officer = make_user("220102", (Role.CHECKPOINT_OFFICER,), username="nanguan-checker")
    checked = client_for(officer).post(
        "/api/v1/checkpoint-checks",
        {"place": "长春南收费站", "payload": entry["payload"]},
        content_type="application/json",
    )
    assert checked.json()["result"] == "used"
    snapshot = client_for(officer).get("/api/v1/checkpoint-checks/snapshot").json()
    assert ["231260000070", "231260000070"] in snapshot["used"]
    assert [k["kid"] for k in snapshot["keys"]] == [heilongjiang.kid]
    assert CheckpointCheck.objects.get().result == "used"


def test_this_province_rotates_its_key(
    settings: Any, tmp_path: Path, certified: Any, make_user: MakeUser, heilongjiang: Neighbour
) -> None:
    """``certificate_keys --rotate``: the old key signs the new one for other provinces and
    keeps verifying the certificates it signed until they expire."""
    key = tmp_path / "keys" / "signing.pem"
    key.parent.mkdir()
    key.write_bytes(Path(settings.EARMARK_SIGNING_KEY).read_bytes())
    settings.EARMARK_SIGNING_KEY = key
    old = signing.key_id()
    assert old == signing.payload_fields(certified.payload)["kid"]
    call_command("certificate_keys", "--rotate")
    assert signing.key_id() != old
    assert (key.parent / "retired" / f"{old}.pub.pem").exists()
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    # Published with its endorsement, which verifies against the old key.
    event = OutboxEvent.objects.get(event_type="signing_key.published")
    endorsement = event.payload["endorsement"]
    old_public = next(k for k in signing.own_public_keys() if k == old)
    verified = signing.verify(
        endorsement, signing.public_pem(signing.own_public_keys()[old_public])
    )
    assert verified.ok and verified.fields["endorses"] == signing.key_id()
    assert signing_key_publish() is False
    # A certificate signed with the old key still checks valid, offline keys included.
    officer = make_user("220102", (Role.CHECKPOINT_OFFICER,), username="nanguan-checker")
    checked = client_for(officer).post(
        "/api/v1/checkpoint-checks",
        {"place": "长春南收费站", "payload": certified.payload},
        content_type="application/json",
    )
    assert (checked.json()["result"], checked.json()["signature_valid"]) == ("valid", True)
    snapshot = client_for(officer).get("/api/v1/checkpoint-checks/snapshot").json()
    assert snapshot["key_id"] == signing.key_id()
    assert {k["kid"] for k in snapshot["keys"]} == {old, heilongjiang.kid}
    # Another province that trusts the old key takes the new one on its endorsement.
    settings.EARMARK_PROVINCE_CODE = "230000"
    ProvinceKey.objects.create(
        province="220000",
        kid=old,
        public_key=signing.public_raw(signing.own_public_keys()[old]),
        valid_from=timezone.now() - timedelta(days=1),
        status="trusted",
    )
    new = event.payload
    assert province_keys_store([new]).stored == 1
    assert ProvinceKey.objects.get(kid=new["kid"]).status == "trusted"


def test_the_administrator_pins_a_key_and_handles_what_was_set_aside_on_the_page(
    province_admin: User, county_officer: User, make_user: MakeUser
) -> None:
    heilongjiang = Neighbour("230000")
    hostile = heilongjiang.certificate("231260000080") | {"origin": "<script>alert(1)</script>"}
    pull(
        platform(
            keys=[heilongjiang.key_entry()],
            certificates=[heilongjiang.certificate("231260000081"), hostile],
        )
    )
    client = client_for(province_admin)
    page = client.get("/exchange/").content.decode()
    assert signing.fingerprint(signing.public_raw()) in page
    assert heilongjiang.fingerprint in page and "待核对确认" in page
    assert "签名密钥未获本省信任" in page and "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert client_for(county_officer).get("/exchange/").status_code == 403

    def follow(url: str, data: dict[str, str] | None = None) -> str:
        return client.post(url, data or {}, follow=True).content.decode()

    wrong = follow(f"/exchange/keys/{heilongjiang.kid}/pin", {"fingerprint": "ABCD 0123"})
    assert "指纹与此密钥不符：请与对方省份再次核对。" in wrong
    right = follow(
        f"/exchange/keys/{heilongjiang.kid}/pin", {"fingerprint": heilongjiang.fingerprint}
    )
    assert "已信任该密钥" in right
    waiting = {h.reference: h for h in HeldEvent.objects.all()}
    assert "已重试" in follow(f"/exchange/held/{waiting['231260000081'].pk}/retry")
    still = follow(f"/exchange/held/{waiting['231260000080'].pk}/retry")
    assert "仍被搁置：未签名的字段与签名内容不一致" in still
    assert "已丢弃" in follow(f"/exchange/held/{waiting['231260000080'].pk}/drop")
    assert "没有搁置的数据。" in client.get("/exchange/").content.decode()
    distrusted = follow(
        f"/exchange/keys/{heilongjiang.kid}/distrust", {"reason": "对方报告密钥失窃"}
    )
    assert "已隔离该密钥" in distrusted
    assert ProvinceKey.objects.get().reason == "对方报告密钥失窃"
    assert "请说明不再信任该密钥的原因" in follow(
        f"/exchange/keys/{heilongjiang.kid}/distrust", {"reason": " "}
    )
    # What it signed is no longer believed.
    officer = make_user("220102", (Role.CHECKPOINT_OFFICER,), username="nanguan-checker")
    checked = client_for(officer).post(
        "/api/v1/checkpoint-checks",
        {"place": "长春南收费站", "payload": heilongjiang.certificate("231260000081")["payload"]},
        content_type="application/json",
    )
    assert (checked.json()["result"], checked.json()["signature_valid"]) == ("forged", False)


def test_a_certificate_received_in_the_other_province_is_used_here(
    heilongjiang: Neighbour, certify: Any, make_user: MakeUser
) -> None:
    """Heilongjiang reports its receipt of a Jilin certificate, signed: Jilin's checkpoints then
    read it as used, online and offline; a receipt from elsewhere is set aside."""
    outbound = certify(
        destination_province="230000",
        destination_region="",
        destination_address="黑龙江省哈尔滨市双城区",
        planned_departure=timezone.now() + timedelta(days=1),
    )
    liaoning = Neighbour("210000")
    pull(
        platform(
            receipts=[
                Neighbour("230000").receipt(outbound.number, key="forged"),
                heilongjiang.receipt("221269999999", key="unknown"),
            ]
        )
    )
    assert sorted(HeldEvent.objects.values_list("reason", flat=True)) == [
        "unknown_certificate",
        "untrusted_key",
    ]
    outbound.refresh_from_db()
    assert outbound.status == "valid"
    province_keys_store([liaoning.key_entry()])
    ProvinceKey.objects.filter(kid=liaoning.kid).update(status="trusted")
    pull(platform(receipts=[liaoning.receipt(outbound.number, key="liaoning")]))
    assert HeldEvent.objects.filter(reason="not_a_party").exists()
    pull(platform(receipts=[heilongjiang.receipt(outbound.number)]))
    outbound.refresh_from_db()
    assert outbound.status == "used"
    officer = make_user("220102", (Role.CHECKPOINT_OFFICER,), username="nanguan-checker")
    checked = client_for(officer).post(
        "/api/v1/checkpoint-checks",
        {"place": "拉林河检查站", "payload": outbound.payload},
        content_type="application/json",
    )
    assert checked.json()["result"] == "used"
    snapshot = client_for(officer).get("/api/v1/checkpoint-checks/snapshot").json()
    assert [outbound.number, outbound.number] in snapshot["used"]
