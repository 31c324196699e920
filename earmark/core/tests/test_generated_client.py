"""A third party's view of the API: a client generated from the served OpenAPI document with a
standard generator (openapi-python-client) builds without losing an operation, and drives the
chain over HTTP with API tokens — immunize, declare, accept, inspect, certify, slaughter,
trace — reading answers and refusals through its own typed models."""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from django.utils import timezone

from earmark.accounts.models import User
from earmark.accounts.tokens import token_create
from earmark.eartags.fixtures import pig
from earmark.farms.models import Premises
from earmark.farms.services.credentials import premises_pin_issue
from earmark.immunization.fixtures import fmd_pig

pytestmark = pytest.mark.django_db(transaction=True)

PACKAGE = "earmark_generated_client"


@pytest.fixture
def generated(live_server: Any, tmp_path: Path) -> Iterator[ModuleType]:
    """The client package, generated from the document the live server serves."""
    document = tmp_path / "openapi.json"
    document.write_bytes(
        httpx.get(f"{live_server.url}/api/v1/openapi.json", timeout=PATIENCE).content
    )
    config = tmp_path / "config.yml"
    config.write_text("post_hooks: []\n")  # no formatter run over the generated code
    generator = Path(sys.executable).with_name("openapi-python-client")
    run = subprocess.run(  # noqa: S603 (our own generator and paths)
        [
            str(generator),
            "generate",
            "--path",
            str(document),
            "--output-path",
            str(tmp_path / PACKAGE),
            "--meta",
            "none",
            "--config",
            str(config),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    # Every operation and schema is generated: the generator names what it had to leave out.
    assert "WARNING" not in run.stdout + run.stderr, run.stdout + run.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n.split(".")[0] == PACKAGE]:
            del sys.modules[name]


# The generated client and the live server answer within this, however busy the machine.
PATIENCE = httpx.Timeout(120.0)


def _operation(generated: ModuleType, operation_id: str) -> Any:
    """The generated module of an operation, found by its operationId alone (the generator
    files it under the operation's tag)."""
    root = Path(generated.__file__).parent / "api"
    found = [path for path in root.glob(f"*/{operation_id}.py")]
    assert len(found) == 1, (operation_id, found)
    return importlib.import_module(f"{PACKAGE}.api.{found[0].parent.name}.{operation_id}")


def test_a_generated_client_drives_the_chain_from_the_farm_to_slaughter(
    generated: ModuleType,
    live_server: Any,
    ready_farm: Premises,
    make_premises: Any,
    stocked_vaccinator: User,
    station_officer: User,
    vet: User,
    county_officer: User,
) -> None:
    def client(user: User) -> Any:
        _token, raw = token_create(actor=None, user=user, name="generated client")
        return generated.AuthenticatedClient(base_url=live_server.url, token=raw, timeout=PATIENCE)

    def call(operation_id: str, *args: Any, **kwargs: Any) -> Any:
        return _operation(generated, operation_id).sync_detailed(*args, **kwargs)

    models = importlib.import_module(f"{PACKAGE}.models")
    slaughterhouse = make_premises(name="南岭屠宰场", kind="slaughterhouse", stock={})

    immunized = call(
        "immunizations_create",
        client=client(stocked_vaccinator),
        body=models.ImmunizationIn.from_dict(
            {
                "premises": ready_farm.code,
                "species": "pig",
                "vaccine_id": fmd_pig().pk,
                "batch_number": "B2026-02",
                "disinfection": "75%酒精浸泡消毒",
                "age": 35,
                "age_unit": "days",
                "seller": "南关区兽药经营部",
                "tags": f"{pig(21)}-{pig(25)}",
            }
        ),
    )
    assert immunized.status_code == 201, immunized.content
    assert immunized.parsed.count == 5

    # The farm signs in with its QR code and PIN, and declares through its own token.
    pin = premises_pin_issue(actor=county_officer, premises=ready_farm)
    anonymous = generated.Client(base_url=live_server.url, timeout=PATIENCE)
    signed_in = call(
        "farm_tokens_create",
        client=anonymous,
        body=models.FarmTokenIn.from_dict(
            {"qr_token": ready_farm.qr_token, "pin": pin, "name": "场长手机"}
        ),
    )
    assert signed_in.status_code == 201, signed_in.content
    farm = generated.AuthenticatedClient(
        base_url=live_server.url, token=signed_in.parsed.token, timeout=PATIENCE
    )
    declaration = {
        "species": "pig",
        "quantity": 10,
        "purpose": "slaughter",
        "destination_province": "220000",
        "destination_region": slaughterhouse.township_id,
        "destination_premises": slaughterhouse.code,
        "destination_address": "",
        "planned_departure": "2200-01-01T08:00:00+08:00",
        "carrier_name": "赵运输",
        "carrier_phone": "13700001111",
        "vehicle_plate": "吉A12345",
        "tags": f"{pig(1)}-{pig(10)}",
    }
    declared = call(
        "farm_declarations_create",
        client=farm,
        body=models.FarmDeclarationIn.from_dict(declaration),
    )
    assert declared.status_code == 400  # a departure in 2200 is beyond any sensible year
    assert declared.parsed.code == "invalid_input"
    declaration["planned_departure"] = _in_hours(12)
    declared = call(
        "farm_declarations_create",
        client=farm,
        body=models.FarmDeclarationIn.from_dict(declaration),
    )
    assert declared.status_code == 201, declared.content
    number = declared.parsed.number
    assert (declared.parsed.origin_premises, declared.parsed.tags) == (
        ready_farm.code,
        [f"{pig(1)}-{pig(10)}"],
    )

    # The same tags again: a refusal, read through the generated error model.
    again = call(
        "farm_declarations_create",
        client=farm,
        body=models.FarmDeclarationIn.from_dict(declaration),
    )
    assert again.status_code == 422
    assert isinstance(again.parsed, models.ErrorOut)
    assert again.parsed.code == "declaration_refused"
    assert [item.ref for item in again.parsed.detail.items] == [f"{pig(1)}-{pig(10)}"]

    station = client(station_officer)
    accepted = call("declarations_accept", number, client=station)
    assert accepted.parsed.status == "accepted"
    inspector = client(vet)
    inspected = call(
        "declarations_inspect",
        number,
        client=inspector,
        body=models.InspectionIn.from_dict({"passed": True}),
    )
    assert inspected.parsed.status == "inspected"
    issued = call(
        "certificates_create",
        client=inspector,
        body=models.CertificateIn.from_dict({"declaration": number}),
    )
    assert issued.status_code == 201, issued.content
    certificate = issued.parsed.number
    assert issued.parsed.state == "valid"
    revoke_twice = call(
        "certificates_revoke",
        "000000000000",
        client=inspector,
        body=models.RevokeIn.from_dict({"reason": "无此证"}),
    )
    assert revoke_twice.status_code == 404 and revoke_twice.parsed.code == "not_found"

    slaughtered = call(
        "slaughter_inspections_create",
        client=inspector,
        body=models.SlaughterIn.from_dict(
            {
                "certificate": certificate,
                "premises": slaughterhouse.code,
                "tags": f"{pig(1)}-{pig(10)}",
                "passed": True,
            }
        ),
    )
    assert slaughtered.status_code == 201, slaughtered.content
    assert slaughtered.parsed.received == [f"{pig(1)}-{pig(10)}"]
    twice = call(
        "slaughter_inspections_create",
        client=inspector,
        body=models.SlaughterIn.from_dict(
            {
                "certificate": certificate,
                "premises": slaughterhouse.code,
                "tags": pig(1),
                "passed": True,
            }
        ),
    )
    assert (twice.status_code, twice.parsed.code) == (409, "certificate_already_received")

    officer = client(county_officer)
    detail = call("certificates_get", certificate, client=officer)
    assert detail.parsed.state == "used"
    trace = call("tags_trace", pig(3), client=officer)
    assert trace.status_code == 200
    assert trace.parsed.state == "recovered"
    assert certificate in {step.document for step in trace.parsed.steps}
    mine = call("farm_declarations_get", number, client=farm)
    assert mine.parsed.status == "certified"


def _in_hours(hours: int) -> str:
    return (timezone.now() + timedelta(hours=hours)).isoformat()
