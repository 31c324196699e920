"""One name per thing across the API: tag text is ``tags``, a premises is ``premises`` with a
role prefix only where two appear, a certificate has one ``state``. The old names keep working
for one release and are marked deprecated in the document."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from earmark.accounts.models import User
from earmark.core.testing import client_for
from earmark.eartags.fixtures import pig
from earmark.farms.models import Premises
from earmark.quarantine.models import Certificate

OLD_NAMES = {"numbers", "ranges", "slaughterhouse"}


def _declaration(farm: Premises, **names: str) -> dict[str, Any]:
    return {
        "species": "pig",
        "quantity": 2,
        "purpose": "slaughter",
        "destination_province": "220000",
        "destination_region": "220102",
        "destination_address": "南关区定点屠宰场",
        "planned_departure": (timezone.now() + timedelta(hours=12)).isoformat(),
        "carrier_name": "赵运输",
        "carrier_phone": "13700001111",
        "vehicle_plate": "吉A12345",
        **names,
    }


def test_old_names_are_accepted_and_answered_beside_the_new_ones(
    ready_farm: Premises, station_officer: User
) -> None:
    client = client_for(station_officer)
    url = "/api/v1/declarations"
    old = client.post(
        url,
        _declaration(ready_farm, premises=ready_farm.code, numbers=f"{pig(1)}-{pig(2)}"),
        content_type="application/json",
    )
    assert old.status_code == 201, old.json()
    new = client.post(
        url,
        _declaration(ready_farm, origin_premises=ready_farm.code, tags=f"{pig(3)}-{pig(4)}"),
        content_type="application/json",
    )
    assert new.status_code == 201, new.json()
    for answer, tags in ((old, [f"{pig(1)}-{pig(2)}"]), (new, [f"{pig(3)}-{pig(4)}"])):
        body = answer.json()
        assert body["tags"] == body["ranges"] == tags
        assert body["origin_premises"] == body["premises"] == ready_farm.code
    # Sent under both names, the new one wins.
    both = client.post(
        f"{url}/preview",
        _declaration(
            ready_farm,
            origin_premises=ready_farm.code,
            tags=f"{pig(5)}-{pig(6)}",
            numbers=f"{pig(7)}",
        ),
        content_type="application/json",
    )
    assert both.json()["tags"] == [f"{pig(5)}-{pig(6)}"]


def test_a_certificate_answers_one_state_and_its_tags(
    certified: Certificate, county_officer: User
) -> None:
    body = client_for(county_officer).get(f"/api/v1/certificates/{certified.number}").json()
    assert body["state"] == "valid"
    assert body["origin_premises"] == certified.premises.code
    assert body["tags"] == [f"{pig(1)}-{pig(10)}"]
    listed = client_for(county_officer).get("/api/v1/certificates").json()["items"]
    assert [(c["number"], c["state"], c["origin_premises"]) for c in listed] == [
        (certified.number, "valid", certified.premises.code)
    ]


def test_the_document_marks_every_old_name_deprecated(db: None) -> None:
    document = Client().get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    current = []
    for name, schema in schemas.items():
        for field, spec in schema.get("properties", {}).items():
            if field in OLD_NAMES and not spec.get("deprecated"):
                current.append(f"{name}.{field}")
    assert current == []
    assert schemas["CertificateOut"]["properties"]["status"]["deprecated"] is True
    assert schemas["DeclarationIn"]["properties"]["numbers"]["deprecated"] is True
    assert "numbers" not in schemas["DeclarationIn"]["required"]
