from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Role, User
from earmark.core.testing import client_for
from earmark.eartags.fixtures import pig
from earmark.eartags.ranges import RangeSet
from earmark.movements.services.arrivals import arrival_report
from earmark.quarantine.models import Certificate


def test_tag_events_as_an_epcis_document(
    certified_to: Callable[..., Certificate],
    make_premises: Any,
    make_user: MakeUser,
    county_officer: User,
    outsider: User,
) -> None:
    farm = make_premises(name="南岭育肥场", township="220102001", stock={"pig": 0})
    certificate = certified_to(farm)
    declaration = certificate.declaration
    arrival_report(
        actor=make_user("220102", (Role.DESTINATION_STAFF,)),
        certificate=certificate,
        premises=farm,
        scanned=RangeSet(((int(pig(1)), int(pig(10))),)),
        arrived_at=timezone.now(),
    )
    today = timezone.localdate().isoformat()
    response = client_for(county_officer).get(f"/api/v1/exchange/epcis?from={today}&to={today}")
    document = response.json()
    assert document["type"] == "EPCISDocument" and document["schemaVersion"] == "2.0"
    assert document["@context"] == [
        "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
    ]
    events = document["epcisBody"]["eventList"]
    steps = [(e["action"], e["bizStep"]) for e in events]
    assert steps == [
        ("ADD", "commissioning"),
        ("OBSERVE", "shipping"),
        ("OBSERVE", "receiving"),
    ]
    commissioning, shipping, receiving = events
    assert commissioning["epcList"][0] == f"urn:cn:moa:eartag:{pig(1)}"
    assert len(commissioning["epcList"]) == 20
    assert commissioning["bizLocation"] == {
        "id": f"urn:cn:moa:premises:{declaration.premises.code}"
    }
    assert shipping["bizTransactionList"] == [
        {
            "type": "urn:cn:moa:btt:quarantine-certificate",
            "bizTransaction": f"urn:cn:moa:certificate:{certificate.number}",
        }
    ]
    assert shipping["destinationList"][0]["destination"] == f"urn:cn:moa:premises:{farm.code}"
    assert receiving["bizLocation"]["id"] == f"urn:cn:moa:premises:{farm.code}"
    assert all(e["type"] == "ObjectEvent" and e["eventTimeZoneOffset"] == "+08:00" for e in events)
    other = client_for(outsider).get(f"/api/v1/exchange/epcis?from={today}&to={today}").json()
    assert other["epcisBody"]["eventList"] == []
    assert client_for(None).get("/api/v1/exchange/epcis").status_code == 401
    bad = client_for(county_officer).get("/api/v1/exchange/epcis?from=2026-02-01&to=2026-01-01")
    assert bad.json()["message"] == "期间的开始日期晚于结束日期。"
