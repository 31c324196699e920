from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from pypdf import PdfReader

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Agency, Role, User
from earmark.core.pdfproof import assert_travels
from earmark.core.testing import client_for, race
from earmark.eartags.fixtures import Register, pig
from earmark.eartags.holders import Holder
from earmark.eartags.models import Holding, Issue
from earmark.eartags.services.issuing import Selection, tags_issue


def _issue(user: User, to: str, **body: Any) -> Any:
    return client_for(user).post(
        "/api/v1/tag-issues", {"to": to, "species": "pig", **body}, content_type="application/json"
    )


def _holdings(user: User, holder: str = "") -> list[dict[str, Any]]:
    url = "/api/v1/tag-holdings" + (f"?holder={holder}" if holder else "")
    return client_for(user).get(url).json()["items"]  # type: ignore[no-any-return]


def test_a_first_issue_by_count_takes_the_lowest_numbers(
    county_officer: User, register: Register, station: Agency
) -> None:
    register((1, 500, "A1", "01"), (501, 1000, "A1", "02"))
    response = _issue(county_officer, f"agency:{station.pk}", count=600)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["kind"] == "first"
    assert body["number"].startswith("FA220102")
    assert body["count"] == 600
    assert body["to_holder"] == "南岭街道畜牧兽医站"
    assert body["lines"] == [{"first": pig(1), "last": pig(600), "count": 600}]
    held = {h["holder"]: (h["count"], h["tags"]) for h in _holdings(county_officer)}
    assert held == {
        "南关区动物卫生监督所": (400, [f"{pig(601)}-{pig(1000)}"]),
        "南岭街道畜牧兽医站": (600, [f"{pig(1)}-{pig(500)}", f"{pig(501)}-{pig(600)}"]),
    }
    assert set(Holding.objects.filter(agency=station).values_list("township_code", flat=True)) == {
        "220102001"
    }


def test_issues_pick_whole_boxes_packs_or_typed_ranges(
    county_officer: User, register: Register, station: Agency
) -> None:
    register((1, 100, "A1", "01"), (101, 200, "A1", "02"), (201, 300, "A2", "01"))
    by_pack = _issue(county_officer, f"agency:{station.pk}", boxes=[{"box": "A1", "pack": "02"}])
    assert by_pack.json()["lines"] == [{"first": pig(101), "last": pig(200), "count": 100}]
    typed = _issue(county_officer, f"agency:{station.pk}", ranges=f"{pig(5)}-{pig(9)} {pig(20)}")
    assert [line["count"] for line in typed.json()["lines"]] == [5, 1]
    by_box = _issue(county_officer, f"agency:{station.pk}", boxes=[{"box": "A2"}])
    assert by_box.json()["count"] == 100


def test_only_the_holder_can_issue_and_the_refusal_names_the_numbers(
    county_officer: User, register: Register, station: Agency, make_user: MakeUser
) -> None:
    register((1, 100, "A1", "01"))
    _issue(county_officer, f"agency:{station.pk}", ranges=f"{pig(1)}-{pig(50)}")
    refused = _issue(county_officer, f"agency:{station.pk}", ranges=f"{pig(40)}-{pig(60)}")
    assert refused.status_code == 422
    assert refused.json()["message"] == (
        f"南关区动物卫生监督所未持有其中 11 枚耳标：{pig(40)}-{pig(50)}。"
    )
    other_station = make_user("220102002", (Role.TOWNSHIP_OFFICER,))
    farm = (
        client_for(county_officer)
        .post(
            "/api/v1/premises",
            {"kind": "farm", "name": "自强猪场", "township": "220102002"},
            content_type="application/json",
        )
        .json()
    )
    stolen = _issue(other_station, f"premises:{farm['code']}", ranges=f"{pig(1)}-{pig(10)}")
    assert stolen.status_code == 422
    assert "自强街道畜牧兽医站未持有其中 10 枚耳标" in stolen.json()["message"]


def test_a_second_issue_reaches_a_farm_of_the_township_or_a_vaccinator(
    county_officer: User,
    register: Register,
    station: Agency,
    station_officer: User,
    make_user: MakeUser,
    make_premises: Any,
    first_issue: Callable[..., Issue],
) -> None:
    register((1, 1000, "A1", "01"))
    first_issue(count=1000)
    farm = make_premises(township="220102001")
    vaccinator = make_user("220102001", (Role.VACCINATOR,), vaccinator_number="21")
    to_farm = _issue(station_officer, f"premises:{farm.code}", count=100)
    assert to_farm.status_code == 201, to_farm.json()
    assert to_farm.json()["kind"] == "second"
    assert to_farm.json()["number"].startswith("FB220102")
    to_vaccinator = _issue(station_officer, f"vaccinator:{vaccinator.pk}", count=200)
    assert to_vaccinator.json()["to_holder"] == f"防疫员{vaccinator}（21号）"
    elsewhere = make_premises(township="220102002")
    # A farm of another township lies outside the station's jurisdiction: not found.
    refused = _issue(station_officer, f"premises:{elsewhere.code}", count=1)
    assert refused.status_code == 404
    mine = _holdings(station_officer, f"vaccinator:{vaccinator.pk}")
    assert mine[0]["count"] == 200
    slaughterhouse = make_premises(township="220102001", kind="slaughterhouse", stock={})
    assert _issue(station_officer, f"premises:{slaughterhouse.code}", count=1).status_code == 422


def test_returns_go_up_the_chain_and_voids_go_to_the_county(
    county_officer: User,
    register: Register,
    station: Agency,
    station_officer: User,
    make_premises: Any,
    first_issue: Callable[..., Issue],
) -> None:
    register((1, 1000, "A1", "01"))
    first_issue(count=300)
    farm = make_premises(township="220102001")
    _issue(station_officer, f"premises:{farm.code}", count=100)
    back = client_for(station_officer).post(
        "/api/v1/tag-returns",
        {"holder": f"premises:{farm.code}", "species": "pig", "ranges": f"{pig(51)}-{pig(100)}"},
        content_type="application/json",
    )
    assert back.status_code == 201, back.json()
    assert (back.json()["kind"], back.json()["to_holder"]) == ("return", "南岭街道畜牧兽医站")
    up = client_for(station_officer).post(
        "/api/v1/tag-returns",
        {"holder": f"agency:{station.pk}", "species": "pig", "count": 10},
        content_type="application/json",
    )
    assert up.json()["to_holder"] == "南关区动物卫生监督所"
    county = Agency.objects.get(region_id="220102")
    top = client_for(county_officer).post(
        "/api/v1/tag-returns",
        {"holder": f"agency:{county.pk}", "species": "pig", "count": 10},
        content_type="application/json",
    )
    assert (top.status_code, top.json()["code"]) == (422, "return_refused")
    assert top.json()["message"] == "县级机构没有可退回的上级。"
    no_reason = client_for(station_officer).post(
        "/api/v1/tag-voids",
        {"holder": f"premises:{farm.code}", "species": "pig", "ranges": pig(1)},
        content_type="application/json",
    )
    assert no_reason.json()["message"] == "请说明作废原因。"
    voided = client_for(station_officer).post(
        "/api/v1/tag-voids",
        {"holder": f"premises:{farm.code}", "species": "pig", "ranges": pig(1), "note": "破损"},
        content_type="application/json",
    )
    assert voided.status_code == 201
    row = Holding.objects.get(first=int(pig(1)))
    assert (row.state, row.agency.name) == ("voided", "南关区动物卫生监督所")
    totals = client_for(county_officer).get("/api/v1/tags/inventory").json()
    assert totals["registered"] == 1000
    assert totals["voided"] == 1
    assert totals["at_farms"] == 49
    assert totals["at_county"] == 710
    township = client_for(county_officer).get("/api/v1/tags/inventory?region=220102001").json()
    assert (township["at_townships"], township["at_farms"], township["at_county"]) == (240, 49, 0)
    other = client_for(county_officer).get("/api/v1/tags/inventory?region=220103")
    assert other.status_code == 404


def test_every_step_is_a_printable_document_and_traceable_per_tag(
    county_officer: User, register: Register, station: Agency, first_issue: Callable[..., Issue]
) -> None:
    register((1, 100, "A1", "01"))
    issue = first_issue(count=60)
    pdf = client_for(county_officer).get(f"/api/v1/tag-issues/{issue.number}/pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert issue.number in text
    assert pig(1) in text and pig(60) in text
    assert "南岭街道畜牧兽医站" in text and "一次发放" in text
    # "who · when" prints its middle dot: every character has a glyph, every font embedded.
    assert "·" in assert_travels(pdf.content).text
    tag = client_for(county_officer).get(f"/api/v1/tags/{pig(30)}").json()
    assert tag["state"] == "available"
    assert tag["holder"] == "南岭街道畜牧兽医站"
    assert tag["township_code"] == "220102001"
    assert [e["kind"] for e in tag["events"]] == ["registered", "issued"]
    assert tag["documents"] == [issue.number]
    forged = client_for(county_officer).get("/api/v1/tags/122010299999999")
    assert forged.status_code == 404
    assert forged.json()["message"] == "122010299999999 从未登记：可能是伪造耳标。"


@pytest.mark.django_db(transaction=True)
def test_two_issues_of_the_same_numbers_at_once_leave_one_winner(
    county_officer: User, register: Register, station: Agency
) -> None:
    register((1, 1000, "A1", "01"))
    other = Agency.objects.get(region_id="220102002")

    def attempt(target: Agency) -> Callable[[], str]:
        def issue() -> str:
            tags_issue(
                actor=county_officer,
                target=Holder(agency=target),
                species="pig",
                selection=Selection(ranges=f"{pig(100)}-{pig(600)}"),
            )
            return "issued"

        return issue

    results = sorted(
        race(
            [attempt(station), attempt(other)], hold="earmark.eartags.services.issuing.audit_record"
        )
    )
    assert results == ["issued", "tags_not_held"]
    counts = {
        h.agency.region_id: h.count for h in Holding.objects.exclude(agency__region_id="220102")
    }
    assert list(counts.values()) == [501]
    assert sum(h.count for h in Holding.objects.all()) == 1000


def test_an_issue_by_count_sent_twice_without_a_key_is_refused_naming_the_first(
    county_officer: User, register: Register, station: Agency
) -> None:
    """A double tap on 发放 with "100 tags" must not hand over 200 (#34); another count, typed
    numbers or another station go through."""
    register((1, 1000, "A1", "01"))
    client = client_for(county_officer)
    body = {"to": f"agency:{station.pk}", "species": "pig", "count": 100}
    first = client.post("/api/v1/tag-issues", body, content_type="application/json")
    assert first.status_code == 201, first.json()
    again = client.post("/api/v1/tag-issues", body, content_type="application/json")
    assert again.status_code == 409
    assert again.json()["code"] == "issue_repeated"
    assert first.json()["number"] in again.json()["message"]
    assert _held(station) == 100
    other = Agency.objects.get(region_id="220102002")
    for different in ({**body, "count": 50}, {**body, "to": f"agency:{other.pk}"}):
        assert (
            client.post(
                "/api/v1/tag-issues", different, content_type="application/json"
            ).status_code
            == 201
        )


@pytest.mark.django_db(transaction=True)
def test_two_issues_by_the_same_count_at_once_hand_over_once(
    county_officer: User, register: Register, station: Agency
) -> None:
    register((1, 1000, "A1", "01"))

    def issue() -> str:
        tags_issue(
            actor=county_officer,
            target=Holder(agency=station),
            species="pig",
            selection=Selection(count=100),
        )
        return "issued"

    results = sorted(race([issue, issue], hold="earmark.eartags.services.issuing.audit_record"))
    assert results == ["issue_repeated", "issued"]
    assert _held(station) == 100


def _held(agency: Agency) -> int:
    return sum(h.last - h.first + 1 for h in Holding.objects.filter(agency=agency))
