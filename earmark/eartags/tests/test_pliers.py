"""Ear-tag pliers (耳标钳, Order 13 art. 11): registered by the county by serial, issued county →
station → vaccinator and taken back the same way, every step recorded; the vaccinator sees his."""

from __future__ import annotations

from typing import Any

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Agency, Role, User
from earmark.core.testing import client_for
from earmark.eartags.models import Pliers, PliersMove


def _post(user: User, path: str, **body: Any) -> Any:
    return client_for(user).post(f"/api/v1/pliers{path}", body, content_type="application/json")


def test_pliers_go_down_to_the_vaccinator_and_come_back(
    county_officer: User, station_officer: User, station: Agency, vaccinator: User
) -> None:
    registered = _post(county_officer, "", serials=["NG-001", "NG-002", "NG-003"])
    assert registered.status_code == 201, registered.json()
    again = _post(county_officer, "", serials=["NG-003", "NG-004", "NG-004"])
    assert again.status_code == 409
    assert {(i["ref"], i["problems"][0]) for i in again.json()["detail"]["items"]} == {
        ("NG-003", "已登记"),
        ("NG-004", "重复填写"),
    }
    assert not Pliers.objects.filter(serial="NG-004").exists()
    # The county hands two to its station; it cannot hand one straight to a vaccinator.
    to_station = _post(
        county_officer, "/issue", serials=["NG-001", "NG-002"], holder=f"agency:{station.pk}"
    )
    assert to_station.status_code == 200, to_station.json()
    direct = _post(
        county_officer, "/issue", serials=["NG-003"], holder=f"vaccinator:{vaccinator.pk}"
    )
    assert direct.json()["code"] == "wrong_recipient"
    # The station hands one on; one it does not hold is refused, naming it.
    not_held = _post(
        station_officer,
        "/issue",
        serials=["NG-001", "NG-003"],
        holder=f"vaccinator:{vaccinator.pk}",
    )
    assert not_held.status_code == 422
    assert [i["ref"] for i in not_held.json()["detail"]["items"]] == ["NG-003"]
    handed = _post(
        station_officer, "/issue", serials=["NG-001"], holder=f"vaccinator:{vaccinator.pk}"
    )
    assert handed.json()[0]["holder"].startswith("防疫员")
    page = client_for(vaccinator).get("/immunize/").content.decode()
    assert "你的耳标钳：NG-001" in page
    listed = client_for(county_officer).get("/api/v1/pliers").json()
    holders = {row["serial"]: row["holder"] for row in listed["items"]}
    assert holders["NG-002"] == station.name and holders["NG-003"].endswith("动物卫生监督所")
    # Back up: the station takes it from the vaccinator, the county from the station.
    back = _post(
        station_officer, "/return", serials=["NG-001"], holder=f"vaccinator:{vaccinator.pk}"
    )
    assert back.status_code == 200, back.json()
    up = _post(county_officer, "/return", serials=["NG-001"], holder=f"agency:{station.pk}")
    assert up.status_code == 200, up.json()
    assert Pliers.objects.get(serial="NG-001").agency == county_officer.agency
    steps = list(PliersMove.objects.filter(pliers__serial="NG-001").values_list("kind", flat=True))
    assert steps == ["registered", "issued", "issued", "returned", "returned"]
    history = client_for(county_officer).get("/api/v1/pliers/NG-001/moves").json()["items"]
    assert [(h["kind"], h["to_holder"]) for h in history][:2] == [
        ("registered", county_officer.agency.name),
        ("issued", station.name),
    ]


def test_pliers_are_the_countys_own(
    county_officer: User, outsider: User, make_user: MakeUser, station: Agency
) -> None:
    _post(county_officer, "", serials=["NG-101"])
    assert client_for(outsider).get("/api/v1/pliers").json()["count"] == 0
    other = Agency.objects.get(region_id=outsider.region_code)
    foreign = _post(outsider, "/issue", serials=["NG-101"], holder=f"agency:{station.pk}")
    assert foreign.status_code == 404
    theirs = _post(outsider, "/issue", serials=["NG-101"], holder=f"agency:{other.pk}")
    assert theirs.status_code == 422
    vaccinator = make_user("220102001", (Role.VACCINATOR,))
    assert _post(vaccinator, "", serials=["NG-102"]).status_code == 403
    assert client_for(None).get("/api/v1/pliers").status_code == 401


def test_the_county_registers_and_issues_pliers_on_its_page(
    county_officer: User, station: Agency
) -> None:
    client = client_for(county_officer)
    client.post("/tags/pliers/", {"action": "register", "serials": "NG-201\nNG-202"})
    client.post(
        "/tags/pliers/",
        {"action": "issue", "party": f"agency:{station.pk}", "serials": "NG-201"},
    )
    page = client.get("/tags/pliers/").content.decode()
    assert "NG-201" in page and "NG-202" in page and station.name in page
    assert Pliers.objects.get(serial="NG-201").agency == station
