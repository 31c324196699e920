"""Species are data (Order 13 art. 30): the province adds one with its tag digit, names,
measure word and compulsory diseases; the shipped three stay as they were."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Role, User
from earmark.core.models import Species
from earmark.core.species import species_choices, species_digits, species_from_text
from earmark.core.testing import client_for, race
from earmark.immunization.models import CompulsoryDisease
from earmark.immunization.services.catalog import NewSpecies, species_add

HORSE: dict[str, Any] = {
    "code": "horse",
    "name": "马",
    "name_en": "Horse",
    "unit": "匹",
    "digits": [4],
    "diseases": ["brucellosis"],
    "aliases": ["骡"],
}


def _post(client: Client, body: dict[str, Any]) -> Any:
    return client.post("/api/v1/species", body, content_type="application/json")


def test_the_shipped_species_keep_their_digits_units_and_diseases(county_officer: User) -> None:
    listed = client_for(county_officer).get("/api/v1/species").json()["items"]
    assert [(s["code"], s["name"], s["digits"], s["unit"]) for s in listed] == [
        ("pig", "猪", [1, 7], "头"),
        ("cattle", "牛", [2], "头"),
        ("sheep", "羊", [3], "只"),
    ]
    assert {s["code"]: sorted(s["diseases"]) for s in listed} == {
        "pig": ["fmd_o"],
        "cattle": ["fmd_a", "fmd_o"],
        "sheep": ["fmd_o", "ppr"],
    }
    assert species_from_text("生猪") == "pig" and species_from_text("山羊") == "sheep"


def test_the_province_adds_a_species_and_every_list_offers_it(
    province_admin: User, county_officer: User
) -> None:
    province = client_for(province_admin)
    key = {"HTTP_IDEMPOTENCY_KEY": "province-species-0001"}
    added = province.post("/api/v1/species", HORSE, content_type="application/json", **key)
    assert added.status_code == 201, added.json()
    # Sent again on a weak signal: the same answer, nothing new.
    again = province.post("/api/v1/species", HORSE, content_type="application/json", **key)
    assert (again.status_code, again.json()) == (201, added.json())
    assert again["Idempotent-Replayed"] == "true"
    assert Species.objects.filter(code="horse").count() == 1
    assert added.json() | {"label": "马"} == {
        "code": "horse",
        "name": "马",
        "name_en": "Horse",
        "label": "马",
        "unit": "匹",
        "digits": [4],
        "aliases": ["骡"],
        "diseases": ["brucellosis"],
    }
    assert CompulsoryDisease.objects.filter(species="horse", county_code="").count() == 1
    assert species_digits()[4] == "horse"
    assert ("horse", "马") in species_choices()
    assert species_from_text("骡") == "horse" and species_from_text("Horse") == "horse"
    county = client_for(county_officer)
    assert "马" in [s["name"] for s in county.get("/api/v1/species").json()["items"]]
    # The forms offer it: the vaccine form's species and the page of species.
    assert 'value="horse"' in client_for(province_admin).get("/vaccines/").content.decode()
    new_premises = county.get("/premises/new").content.decode()
    assert 'value="horse"' in new_premises and 'name="stock_horse"' in new_premises
    assert "马存栏" in new_premises
    page = county.get("/species/").content.decode()
    assert "马" in page and "匹" in page and "布鲁氏菌病" in page
    assert "Add a species" not in page and "添加畜种" not in page
    # In English it reads as its English name.
    county.cookies["django_language"] = "en"
    english = county.get("/api/v1/species").json()["items"]
    assert next(s for s in english if s["code"] == "horse")["label"] == "Horse"


def test_a_request_names_only_species_of_the_table(county_officer: User) -> None:
    refused = client_for(county_officer).post(
        "/api/v1/farm-vets",
        {"premises": "x", "username": "y", "certificate_number": "z", "species": ["camel"]},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused.json()["detail"]["fields"]["body.payload.species.0"] == [
        "未知畜种 camel；可选畜种为：pig, cattle, sheep。"
    ]


def test_only_the_province_adds_and_every_refusal_names_its_field(
    province_admin: User, county_officer: User
) -> None:
    assert _post(Client(), HORSE).status_code == 401
    forbidden = _post(client_for(county_officer), HORSE)
    assert forbidden.status_code == 403
    province = client_for(province_admin)
    invalid = _post(
        province,
        {**HORSE, "code": "Horse!", "unit": "", "digits": [0], "diseases": ["glanders"]},
    )
    assert invalid.status_code == 400
    assert set(invalid.json()["detail"]["fields"]) == {"code", "unit", "digits", "diseases"}
    # Names end up in sheet headers and drop-down lists: words only, never a formula.
    hostile = _post(
        province, {**HORSE, "name": "=1+1", "name_en": 'Horse",=cmd', "aliases": ["骡,驴"]}
    )
    assert hostile.json()["detail"]["fields"] == {
        "name": ["请用汉字填写中文名称（最多 20 字）。"],
        "name_en": ["请用拉丁字母填写英文名称（最多 40 个）。"],
        "aliases": ["其他叫法：每个为一个词，最多 20 个字母或汉字。"],
    }
    taken = _post(province, {**HORSE, "code": "pony", "name": "猪", "digits": [7, 8]})
    assert taken.status_code == 409
    fields = taken.json()["detail"]["fields"]
    assert fields["name"] == ["猪已在追溯范围内。"]
    assert fields["digits"] == ["畜种码 7 已标识猪"]
    assert not Species.objects.filter(code="pony").exists()


@pytest.mark.django_db(transaction=True)
def test_two_additions_of_the_same_digit_leave_one_winner(make_user: MakeUser) -> None:
    admins = [
        make_user("220000", (Role.PROVINCE_ADMIN,), username=f"province-{n}") for n in range(2)
    ]

    def attempt(admin: User, code: str, name: str) -> Any:
        def add() -> str:
            data = NewSpecies(**{**HORSE, "code": code, "name": name, "aliases": []})
            species_add(actor=admin, data=data)
            return "added"

        return add

    results = race(
        [attempt(admins[0], "horse", "马"), attempt(admins[1], "donkey", "驴")],
        hold="earmark.immunization.services.catalog.audit_record",
    )
    assert sorted(results) == ["added", "species_taken"]
    assert Species.objects.filter(code__in=["horse", "donkey"]).count() == 1


def test_the_page_adds_a_species_for_the_province(province_admin: User) -> None:
    province = client_for(province_admin)
    page = province.post(
        "/species/",
        {
            "name": "马",
            "name_en": "Horse",
            "code": "horse",
            "unit": "匹",
            "digits": "4",
            "diseases": ["brucellosis"],
            "aliases": "骡、马匹",
        },
        follow=True,
    )
    assert page.status_code == 200
    assert "马已列入追溯畜种。" in page.content.decode()
    horse = Species.objects.get(code="horse")
    assert horse.aliases == "骡,马匹" and [d.digit for d in horse.digits.all()] == [4]
    again = province.post(
        "/species/",
        {"name": "驴", "name_en": "Donkey", "code": "donkey", "unit": "头", "digits": "4"},
    )
    assert "畜种码 4 已标识马" in again.content.decode()
    assert not Species.objects.filter(code="donkey").exists()
