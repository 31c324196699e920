"""The legitimacy check and the protection check tell a user facts about numbers only as far as
they concern the user's jurisdiction; of the rest the user learns "not in your jurisdiction"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from earmark.accounts.models import Agency, User
from earmark.core.testing import client_for
from earmark.eartags.fixtures import Register, pig
from earmark.eartags.holders import Holder
from earmark.eartags.services.issuing import Selection, tags_issue
from earmark.immunization.models import ImmunizationRecord


def test_the_check_hides_another_countys_holders_and_states(
    vaccinate: Callable[..., ImmunizationRecord], county_officer: User, outsider: User
) -> None:
    vaccinate(f"{pig(1)}-{pig(5)}", timezone.localdate() - timedelta(days=3))
    numbers = f"{pig(1)}-{pig(8)} 122010399999999"
    own = client_for(county_officer).post(
        "/api/v1/tags/check",
        {"numbers": numbers, "township": "220102001"},
        content_type="application/json",
    )
    assert any(s["state"] == "applied" for s in own.json()["segments"])
    foreign = client_for(outsider).post(
        "/api/v1/tags/check",
        {"numbers": numbers, "township": "220103002"},
        content_type="application/json",
    )
    assert foreign.status_code == 200
    body = foreign.json()
    assert [(s["first"], s["last"], s["problems"]) for s in body["segments"]] == [
        (pig(1), pig(8), ["不在您的辖区"]),
        ("122010399999999", "122010399999999", ["从未登记：可能是伪造耳标"]),
    ]
    text = foreign.content.decode()
    for secret in ("220102", "南岭", "applied", "防疫员"):
        assert secret not in text.replace(pig(1), "").replace(pig(8), "")
    page = (
        client_for(outsider)
        .post("/tags/check", {"numbers": numbers, "township": "220103002"})
        .content.decode()
    )
    assert "不在您的辖区" in page and "南岭" not in page


def test_protection_of_another_countys_animals_is_not_shown(
    vaccinate: Callable[..., ImmunizationRecord], county_officer: User, outsider: User
) -> None:
    vaccinate(f"{pig(1)}-{pig(3)}", timezone.localdate() - timedelta(days=3))
    body = {"numbers": f"{pig(1)}-{pig(3)}"}
    own = client_for(county_officer).post(
        "/api/v1/immunizations/check", body, content_type="application/json"
    )
    assert own.json()["ok"] is True and own.json()["segments"][0]["diseases"]
    foreign = client_for(outsider).post(
        "/api/v1/immunizations/check", body, content_type="application/json"
    )
    never = client_for(outsider).post(
        "/api/v1/immunizations/check",
        {"numbers": f"{pig(901)}-{pig(903)}"},
        content_type="application/json",
    )
    # Whether another county's tag is on an animal is that county's fact: it reads exactly as a
    # tag never applied (#34).
    assert foreign.json()["segments"] == [
        {
            "first": pig(1),
            "last": pig(3),
            "count": 3,
            "species": "",
            "diseases": [],
            "problems": ["未佩戴在任何畜禽上"],
        }
    ]
    assert [{**s, "first": "", "last": ""} for s in foreign.json()["segments"]] == [
        {**s, "first": "", "last": ""} for s in never.json()["segments"]
    ]
    assert foreign.json()["ok"] is never.json()["ok"] is False


def test_a_township_learns_nothing_of_a_neighbouring_townships_tags(
    register: Register, county_officer: User, station: Agency, station_officer: User
) -> None:
    """The check may say a number is registered, never who holds it or in what state, when a
    neighbouring township of the same county holds it (#34); the county's own store and the
    township's own stock it reads."""
    register((1, 100, "B1", "P1"))
    neighbour = (
        Agency.objects.filter(region__parent_id="220102").exclude(pk=station.pk).order_by("pk")
    ).first()
    assert neighbour is not None
    for agency, ranges in ((neighbour, f"{pig(1)}-{pig(10)}"), (station, f"{pig(11)}-{pig(20)}")):
        tags_issue(
            actor=county_officer,
            target=Holder(agency=agency),
            species="pig",
            selection=Selection(ranges=ranges),
        )
    answer = client_for(station_officer).post(
        "/api/v1/tags/check",
        {"numbers": f"{pig(1)}-{pig(30)}", "township": "220102001"},
        content_type="application/json",
    )
    segments = [
        (s["first"], s["last"], s["state"], s["problems"]) for s in answer.json()["segments"]
    ]
    assert segments[0] == (pig(1), pig(10), "", ["不在您的辖区"])
    assert segments[1][:3] == (pig(11), pig(20), "available")
    assert segments[2][:2] == (pig(21), pig(30)) and segments[2][2]
    assert neighbour.name not in answer.content.decode()


def test_work_is_bounded_by_the_size_of_the_request(county_officer: User) -> None:
    """Every endpoint that reads tag numbers refuses, before any work, more than 5,000 numbers
    and ranges or more than a million numbers at once."""
    client = client_for(county_officer)
    many = " ".join(pig(n) for n in range(1, 10_003, 2))  # 5,001 single numbers
    wide = f"{pig(1)}-{pig(9_000_000)} {pig(10_000_000)}-{pig(19_000_000)}"
    for numbers, said in ((many, "5,000"), (wide, "1,000,000")):
        check = client.post(
            "/api/v1/tags/check",
            {"numbers": numbers, "township": "220102001"},
            content_type="application/json",
        )
        assert check.status_code == 400
        assert (check.json()["code"], said in check.json()["message"]) == ("too_much", True)
        protection = client.post(
            "/api/v1/immunizations/check",
            {"numbers": numbers},
            content_type="application/json",
        )
        assert protection.status_code == 400
        assert said in str(protection.json()["detail"])
