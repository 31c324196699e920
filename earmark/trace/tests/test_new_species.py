"""A species the province adds (Order 13 art. 30) goes through the whole chain as the shipped
ones do: farm stock, tag registration by its name on the sheet, issue, immunization against its
compulsory disease, declaration, the certificate in its own measure word, slaughter, the trace
and the workbooks."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import openpyxl
import pytest
import time_machine
from django.utils import timezone

from earmark.accounts.models import Agency, User
from earmark.core.errors import BusinessError
from earmark.core.pdfproof import assert_travels
from earmark.core.species import species_digits
from earmark.core.testing import client_for
from earmark.eartags.fixtures import pig
from earmark.eartags.holders import Holder
from earmark.eartags.parse import parse_tags
from earmark.eartags.ranges import RangeSet
from earmark.eartags.services.issuing import Selection, tags_issue
from earmark.farms.services.changes import premises_verify
from earmark.immunization.services.catalog import vaccine_create
from earmark.immunization.services.records import Session, immunization_record
from earmark.movements.services.slaughter import slaughter_inspection
from earmark.quarantine.fixtures import declaration_data
from earmark.quarantine.services.certificates import certificate_issue
from earmark.quarantine.services.declarations import (
    declaration_decide,
    declaration_inspect,
    declaration_submit,
)

# 南关区 (220102) horse tags: species digit 4, as the province gives it.
HORSE_TAG = 422_010_200_000_000


def horse(serial: int) -> str:
    return f"{HORSE_TAG + serial:015d}"


def _numbers(text: str) -> RangeSet:
    return parse_tags(text, species=species_digits()).numbers


def _json(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def test_a_species_added_by_the_province_goes_through_the_whole_chain(
    province_admin: User,
    county_officer: User,
    station: Agency,
    station_officer: User,
    vaccinator: User,
    vet: User,
    make_premises: Any,
) -> None:
    county = client_for(county_officer)
    # Before the province adds it, horse tags are not tags at all.
    check = {"tags": horse(1), "township": "220102001"}
    early = _json(county, "/api/v1/tags/check", check).json()
    assert early["unreadable"] == [{"text": horse(1), "message": "首位不是畜种码"}]

    added = _json(
        client_for(province_admin),
        "/api/v1/species",
        {
            "code": "horse",
            "name": "马",
            "name_en": "Horse",
            "unit": "匹",
            "digits": [4],
            "diseases": ["brucellosis"],
        },
    )
    assert added.status_code == 201, added.json()
    vaccine = vaccine_create(
        actor=province_admin,
        name="马布鲁氏菌病活疫苗",
        diseases=["brucellosis"],
        kind="live",
        manufacturer="中牧实业股份有限公司",
        protection_days=365,
        species=["horse"],
    )
    farm = make_premises(name="南岭马场", stock={"horse": 12})
    with time_machine.travel(timezone.now() - timedelta(days=20), tick=True):
        registered = _json(
            county,
            "/api/v1/tag-registrations",
            {
                "rows": [
                    {
                        "species": "马",
                        "first": horse(1),
                        "last": horse(100),
                        "quantity": "100",
                        "box": "M1",
                        "pack": "01",
                    }
                ]
            },
        )
        assert registered.status_code == 201, registered.json()
        tags_issue(
            actor=county_officer,
            target=Holder(agency=station),
            species="horse",
            selection=Selection(count=50),
        )
        tags_issue(
            actor=station_officer,
            target=Holder(vaccinator=vaccinator),
            species="horse",
            selection=Selection(count=20),
        )
    session = Session(
        species="horse",
        vaccine=vaccine,
        batch_number="M2026-01",
        disinfection="75%酒精浸泡消毒",
        age=12,
        age_unit="months",
        seller="长春市兽药经营部",
        vaccinated_on=timezone.localdate() - timedelta(days=10),
    )
    # A pig's tag is not put on a horse.
    with pytest.raises(BusinessError) as wrong:
        immunization_record(
            actor=vaccinator, premises=farm, session=session, numbers=_numbers(pig(1))
        )
    assert "马" in str(wrong.value.as_dict())
    immunization_record(
        actor=vaccinator,
        premises=farm,
        session=session,
        numbers=_numbers(f"{horse(1)}-{horse(10)}"),
    )
    premises_verify(actor=county_officer, premises=farm)
    farm.refresh_from_db()

    slaughterhouse = make_premises(name="南岭屠宰场", kind="slaughterhouse", stock={})
    declaration = declaration_submit(
        premises=farm,
        data=declaration_data(
            species="horse",
            quantity=5,
            numbers=f"{horse(1)}-{horse(5)}",
            destination_address=slaughterhouse.name,
        ),
    )
    declaration_decide(actor=station_officer, declaration=declaration, accept=True)
    declaration_inspect(actor=vet, declaration=declaration, passed=True)
    certificate = certificate_issue(actor=vet, declaration=declaration)
    vet_client = client_for(vet)
    pdf = vet_client.get(f"/api/v1/certificates/{certificate.number}/pdf").content
    text = "".join(assert_travels(pdf).text.split())
    assert "马" in text and "5匹" in text
    page = vet_client.get(f"/quarantine/certificates/{certificate.number}/").content.decode()
    assert "<dd>马 × 5</dd>" in page

    slaughter_inspection(
        actor=vet,
        certificate=certificate,
        slaughterhouse=slaughterhouse,
        scanned=_numbers(f"{horse(1)}-{horse(5)}"),
        passed=True,
    )
    stock = county.get(f"/api/v1/premises/{farm.code}/stock").json()
    assert {"species": "horse", "quantity": 7} in stock["stock"]
    trace = county.get(f"/api/v1/tags/{horse(3)}/trace").json()
    assert trace["species"] == "horse" and trace["state"] == "recovered"
    kinds = [step["kind"] for step in trace["steps"]]
    assert {"registered", "issued", "immunization", "certified", "slaughter"} <= set(kinds)

    # The workbooks: the premises export has a 马存栏 column, the tag sheet offers 马.
    export = openpyxl.load_workbook(io.BytesIO(county.get("/api/v1/premises/xlsx").content))
    rows = [[c for c in row] for row in export.active.iter_rows(values_only=True)]
    header = next(r for r in rows if "马存栏" in r)
    farm_row = next(r for r in rows if farm.code in r)
    assert farm_row[header.index("马存栏")] == 7
    template = openpyxl.load_workbook(
        io.BytesIO(county.get("/api/v1/tag-registrations/template/xlsx").content)
    )
    instructions = " ".join(str(c) for row in template.worksheets[0].values for c in row if c)
    assert "猪、牛、羊、马" in instructions and "4 马" in instructions
