"""The EPCIS 2.0 export means what it says: every step of the chain as the Core Business
Vocabulary names it, shipping with its destination, a revocation as void_shipping, identifiers
under the province's https base that resolve, checked against GS1's own JSON schema."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from unittest.mock import patch
from urllib.parse import quote

import jsonschema_rs
import pytest
from django.utils import timezone

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Role, User
from earmark.core.testing import client_for
from earmark.eartags.fixtures import pig
from earmark.eartags.ranges import RangeSet
from earmark.immunization.fixtures import ISSUED_DAYS_AGO
from earmark.movements.services.arrivals import arrival_report
from earmark.quarantine.models import Certificate
from earmark.quarantine.services.certificates import certificate_revoke

BASE = "https://earmark.jl.example/id"
# GS1's EPCIS 2.0 JSON schema (github.com/gs1/EPCIS, EPCIS-JSON-Schema.json), as test data.
SCHEMA = json.loads((Path(__file__).parent / "data" / "EPCIS-JSON-Schema.json").read_text())


@pytest.fixture(autouse=True)
def _identifier_base(settings: Any) -> None:
    settings.EARMARK_IDENTIFIER_BASE = BASE


def _document(user: User, since: str = "", until: str = "") -> dict[str, Any]:
    today = timezone.localdate().isoformat()
    query = f"from={quote(since or today)}&to={quote(until or today)}"
    response = client_for(user).get(f"/api/v1/tag-events/epcis?{query}")
    assert response.status_code == 200, response.content
    document: dict[str, Any] = response.json()
    validator = jsonschema_rs.Draft7Validator(SCHEMA, validate_formats=True)
    assert [str(error) for error in validator.iter_errors(document)] == []
    return document


def _identifiers(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [i for key, v in value.items() if key != "@context" for i in _identifiers(v)]
    if isinstance(value, list):
        return [i for v in value for i in _identifiers(v)]
    return [value] if isinstance(value, str) and "://" in value else []


def test_the_whole_chain_as_epcis_valid_against_gs1s_schema(
    certify: Callable[..., Certificate],
    certified_to: Callable[..., Certificate],
    make_premises: Any,
    make_user: MakeUser,
    county_officer: User,
    vet: User,
    outsider: User,
) -> None:
    farm = make_premises(name="南岭育肥场", township="220102001", stock={"pig": 0})
    received = certified_to(farm)
    arrival_report(
        actor=make_user("220102", (Role.DESTINATION_STAFF,)),
        certificate=received,
        premises=farm,
        scanned=RangeSet(((int(pig(1)), int(pig(10))),)),
        arrived_at=timezone.now(),
    )
    revoked = certify(numbers=f"{pig(11)}-{pig(12)}", quantity=2)
    certificate_revoke(actor=vet, certificate=revoked, reason="车辆故障")
    away = certify(
        numbers=f"{pig(13)}-{pig(14)}",
        quantity=2,
        destination_province="230000",
        destination_region="",
        destination_address="黑龙江省哈尔滨市双城区",
    )
    slaughtered = certify(numbers=f"{pig(15)}-{pig(20)}", quantity=6)
    slaughterhouse = make_premises(kind="slaughterhouse", stock={})
    inspect = client_for(vet).post(
        "/api/v1/slaughter-inspections",
        {
            "certificate": slaughtered.number,
            "slaughterhouse": slaughterhouse.code,
            "tags": f"{pig(15)}-{pig(20)}",
            "passed": True,
        },
        content_type="application/json",
    )
    assert inspect.status_code == 201, inspect.json()
    destroyed = client_for(county_officer).post(
        "/api/v1/tag-destructions",
        {
            "tags": f"{pig(15)}-{pig(20)}",
            "method": "焚烧",
            "witnesses": "张三、李四",
            "place": "县无害化处理中心",
        },
        content_type="application/json",
    )
    assert destroyed.status_code == 201, destroyed.json()

    # The inventory reached the vaccinator months before (as the fixtures record it).
    long_ago = (timezone.localdate() - timedelta(days=ISSUED_DAYS_AGO + 1)).isoformat()
    document = _document(county_officer, long_ago)
    assert document["type"] == "EPCISDocument" and document["schemaVersion"] == "2.0"
    events = document["epcisBody"]["eventList"]
    identifiers = _identifiers(events)
    assert identifiers and all(i.startswith(f"{BASE}/") for i in identifiers), identifiers[:5]

    def transaction(event: dict[str, Any]) -> str:
        return event.get("bizTransactionList", [{}])[0].get("bizTransaction", "")

    # Tags issued county → township → vaccinator: shipping between possessing parties.
    issues = [e for e in events if "/issue/" in transaction(e)]
    assert issues and {(e["action"], e["bizStep"]) for e in issues} == {("OBSERVE", "shipping")}
    assert issues[0]["sourceList"] == [
        {"type": "possessing_party", "source": f"{BASE}/agency/220102"}
    ]
    assert issues[0]["destinationList"][0]["type"] == "possessing_party"
    # Applied on the farm: commissioning, never under a certificate.
    applied = [e for e in events if e["bizStep"] == "commissioning"]
    assert applied and all(e["action"] == "ADD" and not transaction(e) for e in applied)
    assert applied[0]["epcList"][0] == f"{BASE}/eartag/{pig(1)}"
    # Every shipping under a certificate names where it goes; a revocation voids it.
    by_certificate = {
        number: [(e["action"], e["bizStep"]) for e in events if transaction(e).endswith(number)]
        for number in (received.number, revoked.number, away.number, slaughtered.number)
    }
    assert by_certificate[received.number] == [("OBSERVE", "shipping"), ("OBSERVE", "receiving")]
    assert by_certificate[revoked.number] == [("OBSERVE", "shipping"), ("OBSERVE", "void_shipping")]
    assert by_certificate[away.number] == [("OBSERVE", "shipping")]
    assert by_certificate[slaughtered.number] == [
        ("OBSERVE", "shipping"),
        ("DELETE", "decommissioning"),
    ]
    # The tags are recovered where the animals were slaughtered, not where they came from.
    [recovery] = [
        e
        for e in events
        if transaction(e).endswith(slaughtered.number) and e["bizStep"] == "decommissioning"
    ]
    assert recovery["bizLocation"] == {"id": f"{BASE}/premises/{slaughterhouse.code}"}
    assert recovery["readPoint"] == recovery["bizLocation"]
    for event in events:
        if event["bizStep"] in ("shipping", "void_shipping"):
            assert event["destinationList"], event
    to_farm = next(e for e in events if transaction(e).endswith(received.number))
    assert to_farm["destinationList"] == [
        {"type": "location", "destination": f"{BASE}/premises/{farm.code}"}
    ]
    [to_province] = [e for e in events if transaction(e).endswith(away.number)]
    assert to_province["destinationList"] == [
        {"type": "location", "destination": f"{BASE}/region/230000"}
    ]
    # The county destroys the recovered tags.
    [destroying] = [e for e in events if e["bizStep"] == "destroying"]
    assert destroying["action"] == "DELETE" and destroying["disposition"] == "destroyed"
    assert len(destroying["epcList"]) == 6
    assert destroying["bizLocation"] == {"id": f"{BASE}/agency/220102"}

    # The period can be moments, with their offsets.
    now = timezone.localtime()
    start = now - timedelta(minutes=5)
    recent = _document(county_officer, start.isoformat(), now.isoformat())
    assert recent["epcisBody"]["eventList"] == [
        e for e in events if datetime.fromisoformat(e["eventTime"]) >= start
    ]
    assert 0 < len(recent["epcisBody"]["eventList"]) < len(events)

    # The identifiers resolve to the pages of what they name.
    client = client_for(county_officer)
    tag = client.get(f"/id/eartag/{pig(1)}")
    assert tag.status_code == 302 and tag["Location"] == f"/trace/tags/{pig(1)}/"
    # A certificate's identifier is public: its verification page, for anyone.
    certificate = client_for(None).get(f"/id/certificate/{received.number}", follow=True)
    assert certificate.status_code == 200
    page = certificate.content.decode()
    assert received.number in page and "南岭街道畜牧兽医站" in page and "王五" not in page
    # Tags and premises need a sign-in and the jurisdiction, as in the API.
    assert client_for(None).get(f"/id/eartag/{pig(1)}")["Location"].startswith("/login/")
    assert client_for(outsider).get(f"/id/eartag/{pig(1)}", follow=True).status_code == 404
    event_path = applied[0]["eventID"].removeprefix(BASE.removesuffix("/id"))
    event = client.get(event_path)
    assert event.status_code == 302 and event["Location"] == f"/trace/tags/{pig(1)}/"
    # Another county's user learns nothing of the event; the vocabulary is public.
    assert client_for(outsider).get(event_path).status_code == 404
    assert client_for(None).get("/id/voc/certificate-document").status_code == 200

    other = _document(outsider, long_ago)
    assert other["epcisBody"]["eventList"] == []
    assert client_for(None).get("/api/v1/tag-events/epcis").status_code == 401
    bad = client_for(county_officer).get("/api/v1/tag-events/epcis?from=2026-02-01&to=2026-01-01")
    assert bad.json()["message"] == "期间的开始日期晚于结束日期。"


def test_a_period_too_large_for_one_document_asks_for_a_shorter_one(
    certify: Callable[..., Certificate], county_officer: User, settings: Any
) -> None:
    certify()  # registration, issues, application and certification: several events
    today = timezone.localdate()
    long_ago = (today - timedelta(days=400)).isoformat()
    query = f"from={long_ago}&to={today.isoformat()}"
    with patch("earmark.exchange.epcis.MAX_EVENTS", 2):
        answer = client_for(county_officer).get(f"/api/v1/tag-events/epcis?{query}")
    assert (answer.status_code, answer.json()["code"]) == (422, "export_too_large")
    assert answer.json()["message"] == "事件超过 2 条，请缩短期间。"
    with patch("earmark.exchange.epcis.MAX_TAGS", 5):
        answer = client_for(county_officer).get(f"/api/v1/tag-events/epcis?{query}")
    assert (answer.status_code, answer.json()["code"]) == (422, "export_too_large")


def test_one_shipment_is_one_event_whatever_the_numbers_and_its_events_are_asked_for(
    certify: Callable[..., Certificate], vet: User, outsider: User, county_officer: User
) -> None:
    # Every other pig of 1–20: ten ranges of one number, one shipment.
    scattered = ",".join(pig(n) for n in range(1, 21, 2))
    certificate = certify(numbers=scattered, quantity=10)
    document = _document(county_officer)
    shipping = [
        e
        for e in document["epcisBody"]["eventList"]
        if e["bizStep"] == "shipping" and "/certificate/" in str(e.get("bizTransactionList"))
    ]
    assert len(shipping) == 1
    assert shipping[0]["epcList"] == [f"{BASE}/eartag/{pig(n)}" for n in range(1, 21, 2)]
    mine = client_for(vet).get(f"/api/v1/certificates/{certificate.number}/epcis")
    assert mine.status_code == 200
    validator = jsonschema_rs.Draft7Validator(SCHEMA, validate_formats=True)
    assert [str(error) for error in validator.iter_errors(mine.json())] == []
    [event] = mine.json()["epcisBody"]["eventList"]
    assert event["epcList"] == shipping[0]["epcList"]
    assert (
        client_for(outsider).get(f"/api/v1/certificates/{certificate.number}/epcis").status_code
        == 404
    )
    assert (
        client_for(None).get(f"/api/v1/certificates/{certificate.number}/epcis").status_code == 401
    )
