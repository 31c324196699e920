from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime
from typing import Any
from xml.etree import ElementTree

from django.utils import timezone
from openpyxl import load_workbook

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Role, User
from earmark.core.testing import assert_guarded, client_for
from earmark.eartags.fixtures import pig
from earmark.eartags.ranges import RangeSet
from earmark.farms.models import Premises
from earmark.farms.services.changes import premises_verify
from earmark.movements.services.arrivals import arrival_report
from earmark.movements.services.slaughter import slaughter_inspection
from earmark.quarantine.fixtures import declaration_data
from earmark.quarantine.models import Certificate, Declaration
from earmark.quarantine.services.certificates import certificate_issue
from earmark.quarantine.services.declarations import (
    declaration_decide,
    declaration_inspect,
    declaration_submit,
)


def _certify(declaration: Declaration, station_officer: User, vet: User) -> Certificate:
    declaration_decide(actor=station_officer, declaration=declaration, accept=True)
    declaration_inspect(actor=vet, declaration=declaration, passed=True)
    return certificate_issue(actor=vet, declaration=declaration)


def _chain(
    declared_ahead: Callable[..., Declaration],
    station_officer: User,
    vet: User,
    make_premises: Any,
    make_user: MakeUser,
    county_officer: User,
) -> tuple[Premises, Premises, Premises]:
    """南岭生猪场 → 自强育肥场 (another township) → 南关屠宰场: ten pigs, two hops."""
    vet = make_user("220102", (Role.OFFICIAL_VET,))  # the county's vet works in every township
    fattening = make_premises(name="自强育肥场", township="220102002", stock={"pig": 0})
    fattening = premises_verify(actor=county_officer, premises=fattening)
    origin = declared_ahead(
        purpose="raising",
        destination_region=fattening.township_id,
        destination_premises=fattening.code,
    ).premises
    slaughterhouse = make_premises(
        name="南关屠宰场", kind="slaughterhouse", township="220102002", stock={}
    )
    first = _certify(Declaration.objects.get(), station_officer, vet)
    receiver = make_user("220102002", (Role.DESTINATION_STAFF,))
    ten = RangeSet(((int(pig(1)), int(pig(10))),))
    arrival_report(
        actor=receiver,
        certificate=first,
        premises=fattening,
        scanned=ten,
        arrived_at=timezone.now(),
    )
    # The arrived pigs carry 南岭街道's tags; 自强育肥场 may declare them all the same.
    onward = declaration_submit(premises=fattening, data=declaration_data())
    second_station = make_user("220102002", (Role.TOWNSHIP_OFFICER,))
    second = _certify(onward, second_station, vet)
    slaughter_inspection(
        actor=vet, certificate=second, slaughterhouse=slaughterhouse, scanned=ten, passed=True
    )
    return origin, fattening, slaughterhouse


def test_forward_and_backward_traces_follow_several_hops_with_counts(
    declared_ahead: Callable[..., Declaration],
    station_officer: User,
    vet: User,
    make_premises: Any,
    make_user: MakeUser,
    county_officer: User,
) -> None:
    origin, fattening, slaughterhouse = _chain(
        declared_ahead, station_officer, vet, make_premises, make_user, county_officer
    )
    client = client_for(county_officer)
    forward = client.get(f"/api/v1/premises/{origin.code}/trace?direction=forward&hops=3").json()
    assert [(k["origin"], k["destination"], k["animals"]) for k in forward["links"]] == [
        (origin.code, fattening.code, 10),
        (fattening.code, slaughterhouse.code, 10),
    ]
    assert {n["code"]: n["hop"] for n in forward["nodes"]} == {
        origin.code: 0,
        fattening.code: 1,
        slaughterhouse.code: 2,
    }
    one_hop = client.get(f"/api/v1/premises/{origin.code}/trace?direction=forward&hops=1").json()
    assert len(one_hop["links"]) == 1
    backward = client.get(f"/api/v1/premises/{slaughterhouse.code}/trace?direction=backward").json()
    assert {n["code"]: n["hop"] for n in backward["nodes"]} == {
        slaughterhouse.code: 0,
        fattening.code: -1,
        origin.code: -2,
    }
    empty = client.get(
        f"/api/v1/premises/{origin.code}/trace?direction=forward&from=2020-01-01&to=2020-12-31"
    ).json()
    assert empty["links"] == []


def test_the_picture_and_the_workbook_show_the_same_links(
    declared_ahead: Callable[..., Declaration],
    station_officer: User,
    vet: User,
    make_premises: Any,
    make_user: MakeUser,
    county_officer: User,
) -> None:
    origin, fattening, slaughterhouse = _chain(
        declared_ahead, station_officer, vet, make_premises, make_user, county_officer
    )
    client = client_for(county_officer)
    page = client.get(f"/trace/premises/{origin.code}/?direction=forward").content.decode()
    svg = ElementTree.fromstring(page[page.index("<svg") : page.index("</svg>") + 6])  # noqa: S314 - our own page
    ns = "{http://www.w3.org/2000/svg}"
    nodes = {g.get("data-code") for g in svg.iter(f"{ns}g") if g.get("data-code")}
    links = {
        (g.get("data-from"), g.get("data-to"), g.get("data-animals"))
        for g in svg.iter(f"{ns}g")
        if g.get("data-from")
    }
    assert nodes == {origin.code, fattening.code, slaughterhouse.code}
    assert links == {
        (origin.code, fattening.code, "10"),
        (fattening.code, slaughterhouse.code, "10"),
    }
    assert "<script" not in page[page.index("<svg") : page.index("</svg>")]
    export = client.get(f"/trace/premises/{origin.code}/export.xlsx?direction=forward")
    sheet = load_workbook(io.BytesIO(export.content)).active
    # Dates are date cells (Excel and WPS sort and filter them as dates), codes stay text.
    exported, first, code = sheet["B4"], sheet["G7"], sheet["A7"]  # type: ignore[index]
    assert exported.is_date and first.is_date and isinstance(first.value, datetime)
    assert first.value.date() == timezone.localdate() and "yy" in first.number_format
    assert code.data_type == "s" and len(code.value) == 12
    rows = list(sheet.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[0][0] == "正向追溯" and rows[1][1] == f"{origin.name}（{origin.code}）"
    rows = rows[5:]
    assert rows[0][:5] == ("发出方", "发出方（名称）", "接收方", "接收方（名称）", "头（只）数")
    assert {(r[0], r[2], r[4]) for r in rows[1:]} == {
        (origin.code, fattening.code, 10),
        (fattening.code, slaughterhouse.code, 10),
    }


def test_premises_traces_are_guarded(
    ready_farm: Premises, outsider: User, county_officer: User
) -> None:
    for url in (
        f"/api/v1/premises/{ready_farm.code}/trace",
        f"/trace/premises/{ready_farm.code}/",
        f"/trace/premises/{ready_farm.code}/export.xlsx",
    ):
        assert_guarded("get", url, outsider=outsider)
    bad = client_for(county_officer).get(
        f"/api/v1/premises/{ready_farm.code}/trace?direction=sideways"
    )
    assert bad.status_code == 400
