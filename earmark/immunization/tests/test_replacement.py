from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from earmark.accounts.models import User
from earmark.core.testing import client_for
from earmark.eartags.fixtures import pig
from earmark.eartags.models import Tag
from earmark.eartags.ranges import RangeSet
from earmark.immunization.fixtures import fmd_pig
from earmark.immunization.models import Animal, AnimalTag, ImmunizationRecord
from earmark.immunization.selectors.protection import protection_check


def _replace(user: User, old: str, new: str, reason: str = "lost", **more: str) -> Any:
    return client_for(user).post(
        f"/api/v1/tags/{old}/replace",
        {"new": new, "reason": reason, "disinfection": "碘伏擦拭", **more},
        content_type="application/json",
    )


def test_a_new_tag_records_how_tag_and_pliers_were_disinfected(
    vaccinate: Callable[..., ImmunizationRecord], stocked_vaccinator: User
) -> None:
    vaccinate(pig(1), timezone.localdate() - timedelta(days=30))
    refused = _replace(stocked_vaccinator, pig(1), pig(50), disinfection=" ", pliers="QZ-404")
    assert refused.status_code == 422
    assert refused.json()["detail"]["fields"] == {
        "disinfection": ["请记录耳标和耳标钳的消毒方式（农业部令第13号第十五条）。"],
        "pliers": ["您未持有耳标钳 QZ-404。"],
    }
    assert Tag.objects.get(number=int(pig(1))).state == "applied"
    assert _replace(stocked_vaccinator, pig(1), pig(50)).status_code == 201
    application = AnimalTag.objects.get(tag_id=int(pig(50)))
    assert (application.disinfection, application.pliers) == ("碘伏擦拭", "")


def test_a_lost_tag_is_replaced_in_the_right_ear_and_the_history_carries_over(
    vaccinate: Callable[..., ImmunizationRecord], stocked_vaccinator: User
) -> None:
    vaccinate(pig(1), timezone.localdate() - timedelta(days=30))
    response = _replace(stocked_vaccinator, pig(1), pig(50))
    assert response.status_code == 201, response.json()  # type: ignore[attr-defined]
    assert response.json() == {  # type: ignore[attr-defined]
        "animal": Animal.objects.get().pk,
        "number": pig(50),
        "ear": "right",
        "replaces": pig(1),
    }
    assert Tag.objects.get(number=int(pig(1))).state == "lost"
    assert protection_check(
        numbers=RangeSet(((int(pig(50)), int(pig(50))),)), on=timezone.localdate()
    ).ok
    animal = client_for(stocked_vaccinator).get(f"/api/v1/animals/{pig(50)}").json()
    assert [(t["number"], t["ear"], t["state"]) for t in animal["tags"]] == [
        (pig(1), "left", "lost"),
        (pig(50), "right", "applied"),
    ]
    assert len(animal["immunizations"]) == 1
    assert "fee" not in str(animal)
    lost_again = _replace(stocked_vaccinator, pig(1), pig(51))
    assert lost_again.status_code == 422  # type: ignore[attr-defined]
    assert "已丢失" in lost_again.json()["message"]  # type: ignore[attr-defined]


def test_a_used_or_foreign_species_tag_cannot_be_the_replacement(
    vaccinate: Callable[..., ImmunizationRecord], stocked_vaccinator: User
) -> None:
    vaccinate(f"{pig(1)}-{pig(2)}", timezone.localdate())
    used = _replace(stocked_vaccinator, pig(1), pig(2))
    assert used.json()["message"] == f"耳标只能佩戴一次，以下耳标已使用：{pig(2)}。"  # type: ignore[attr-defined]
    cattle = _replace(stocked_vaccinator, pig(1), "222010200000001")
    assert cattle.json()["message"] == "222010200000001 不是猪耳标。"  # type: ignore[attr-defined]
    assert Tag.objects.get(number=int(pig(1))).state == "applied"


def _reimmunize(user: User, old: str, new: str, **extra: Any) -> Any:
    body = {
        "new": new,
        "reason": "reimmunization",
        "vaccine_id": fmd_pig().pk,
        "batch_number": "B2026-09",
        "disinfection": "75%酒精浸泡消毒",
        "age": 35,
        "age_unit": "days",
        "seller": "南关区兽药经营部",
        **extra,
    }
    return client_for(user).post(
        f"/api/v1/tags/{old}/replace", body, content_type="application/json"
    )


def test_only_animals_from_outside_the_county_get_a_reimmunization_tag(
    vaccinate: Callable[..., ImmunizationRecord], stocked_vaccinator: User
) -> None:
    vaccinate(pig(1), timezone.localdate() - timedelta(days=10))
    refused = _reimmunize(stocked_vaccinator, pig(1), pig(60))
    assert refused.status_code == 422
    assert refused.json()["message"] == (
        "只有从外县或外省调入的畜禽才加施复免耳标；耳标丢失或损坏请登记补标。"
    )
    assert not Tag.objects.filter(number=int(pig(60))).exists()


def test_a_reimmunization_tag_comes_with_its_vaccination_in_one_step(
    vaccinate: Callable[..., ImmunizationRecord], stocked_vaccinator: User
) -> None:
    vaccinate(pig(1), timezone.localdate() - timedelta(days=10))
    # The animal came from another county (an arrival on its record).
    Animal.objects.update(arrived_from="220103")
    Animal.objects.update(is_breeding=True)
    refused = _reimmunize(stocked_vaccinator, pig(1), pig(60))
    assert refused.json()["message"] == "仍在免疫保护期内的种畜、奶畜保留原耳标，不重新加施耳标。"
    Animal.objects.update(is_breeding=False)
    no_vaccine = _reimmunize(stocked_vaccinator, pig(1), pig(60), vaccine_id=None)
    assert no_vaccine.json()["detail"]["fields"] == {"vaccine": ["请选择所用疫苗。"]}
    before = ImmunizationRecord.objects.count()
    retagged = _reimmunize(stocked_vaccinator, pig(1), pig(60))
    assert retagged.status_code == 201, retagged.json()
    assert Tag.objects.get(number=int(pig(1))).state == "applied"  # the old tag stays
    application = AnimalTag.objects.get(tag_id=int(pig(60)))
    assert (application.reason, application.ear) == ("reimmunization", "right")
    record = ImmunizationRecord.objects.order_by("-id").first()
    assert ImmunizationRecord.objects.count() == before + 1
    assert record is not None and record.campaign == "arrival"
    assert list(record.animals.values_list("animal_id", flat=True)) == [application.animal_id]
    assert record.vaccinated_at == application.applied_at


def test_only_a_vaccinator_of_the_jurisdiction_replaces(
    vaccinate: Callable[..., ImmunizationRecord], outsider: User, county_officer: User
) -> None:
    vaccinate(pig(1), timezone.localdate())
    assert _replace(outsider, pig(1), pig(70)).status_code == 404  # type: ignore[attr-defined]
    assert _replace(county_officer, pig(1), pig(70)).status_code == 403  # type: ignore[attr-defined]
    assert (
        client_for(None)
        .post(f"/api/v1/tags/{pig(1)}/replace", {}, content_type="application/json")
        .status_code
        == 401
    )
