from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from earmark.accounts.models import User
from earmark.core.testing import client_for
from earmark.eartags.fixtures import pig
from earmark.eartags.models import Tag
from earmark.eartags.ranges import RangeSet
from earmark.immunization.models import Animal, AnimalTag, ImmunizationRecord
from earmark.immunization.selectors import protection_check


def _replace(user: User, old: str, new: str, reason: str = "lost") -> object:
    return client_for(user).post(
        f"/api/v1/tags/{old}/replacement",
        {"new": new, "reason": reason},
        content_type="application/json",
    )


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
    assert lost_again.status_code == 400  # type: ignore[attr-defined]
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


def test_breeding_animals_still_protected_are_not_retagged(
    vaccinate: Callable[..., ImmunizationRecord], stocked_vaccinator: User
) -> None:
    vaccinate(pig(1), timezone.localdate() - timedelta(days=10))
    Animal.objects.update(is_breeding=True)
    refused = _replace(stocked_vaccinator, pig(1), pig(60), reason="reimmunization")
    assert refused.json()["message"] == "仍在免疫保护期内的种畜、奶畜保留原耳标，不重新加施耳标。"  # type: ignore[attr-defined]
    Animal.objects.update(is_breeding=False)
    retagged = _replace(stocked_vaccinator, pig(1), pig(60), reason="reimmunization")
    assert retagged.status_code == 201  # type: ignore[attr-defined]
    assert Tag.objects.get(number=int(pig(1))).state == "applied"  # the old tag stays
    assert AnimalTag.objects.get(tag_id=int(pig(60))).reason == "reimmunization"


def test_only_a_vaccinator_of_the_jurisdiction_replaces(
    vaccinate: Callable[..., ImmunizationRecord], outsider: User, county_officer: User
) -> None:
    vaccinate(pig(1), timezone.localdate())
    assert _replace(outsider, pig(1), pig(70)).status_code == 404  # type: ignore[attr-defined]
    assert _replace(county_officer, pig(1), pig(70)).status_code == 403  # type: ignore[attr-defined]
    assert (
        client_for(None)
        .post(f"/api/v1/tags/{pig(1)}/replacement", {}, content_type="application/json")
        .status_code
        == 401
    )
