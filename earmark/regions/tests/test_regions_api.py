from __future__ import annotations

from earmark.accounts.models import User
from earmark.core.testing import client_for


def test_it_lists_the_eleven_counties_of_changchun(county_officer: User) -> None:
    response = client_for(county_officer).get("/api/v1/regions?parent=220100")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 11
    assert {item["level"] for item in body["items"]} == {"county"}
    assert {"code": "220113", "name": "九台区", "level": "county"} in body["items"]


def test_without_parent_it_lists_the_provinces(county_officer: User) -> None:
    body = client_for(county_officer).get("/api/v1/regions").json()
    assert body["items"] == [{"code": "220000", "name": "吉林省", "level": "province"}]


def test_a_township_comes_with_its_ancestors(county_officer: User) -> None:
    body = client_for(county_officer).get("/api/v1/regions/220113102").json()
    assert body["name"] == "其塔木镇"
    assert [a["code"] for a in body["ancestors"]] == ["220000", "220100", "220113"]


def test_a_historical_code_answers_with_todays_county(county_officer: User) -> None:
    body = client_for(county_officer).get("/api/v1/regions/220381").json()
    assert body["code"] == "220184"
    assert body["name"] == "公主岭市"
    assert body["historical_codes"] == ["220381"]


def test_an_unknown_code_is_not_found_and_a_malformed_one_is_refused(county_officer: User) -> None:
    client = client_for(county_officer)
    missing = client.get("/api/v1/regions/229999")
    assert missing.status_code == 404
    assert missing.json()["message"] == "行政区划 229999 不存在。"
    malformed = client.get("/api/v1/regions?parent=22x")
    assert malformed.status_code == 400
    assert malformed.json()["code"] == "not_a_region_code"


def test_regions_need_a_signed_in_user(jilin: None) -> None:
    for url in ("/api/v1/regions?parent=220100", "/api/v1/regions/220113"):
        response = client_for(None).get(url)
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"
