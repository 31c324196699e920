"""Anomalies that come from attempts the system refused: they are kept although nothing else
of the refused declaration is."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Agency, Role, User
from earmark.core.errors import BusinessError
from earmark.core.testing import client_for
from earmark.eartags.fixtures import pig
from earmark.eartags.holders import Holder
from earmark.eartags.ranges import RangeSet
from earmark.eartags.services.issuing import Selection, tags_issue
from earmark.eartags.services.registration import (
    RegistrationRow,
    delivery_create,
    tags_register,
)
from earmark.farms.models import Premises, Stock
from earmark.movements.services.arrivals import arrival_report
from earmark.quarantine.fixtures import declaration_data
from earmark.quarantine.models import Certificate, Declaration, Refusal
from earmark.quarantine.services.declarations import declaration_submit
from earmark.rollout.fixtures import enable, switch_off

UNREGISTERED = "122010299990001"


def _refused(premises: Premises, **changes: Any) -> None:
    with pytest.raises(BusinessError):
        declaration_submit(premises=premises, data=declaration_data(**changes))


def test_a_declaration_refused_for_foreign_and_unregistered_tags_is_kept_for_the_county(
    ready_farm: Premises, county_officer: User, outsider: User
) -> None:
    tags_issue(
        actor=county_officer,
        target=Holder(agency=Agency.objects.get(region_id="220102002")),
        species="pig",
        selection=Selection(ranges=f"{pig(601)}-{pig(605)}"),
    )
    _refused(
        ready_farm, quantity=8, numbers=f"{pig(1)}-{pig(2)} {pig(601)}-{pig(605)} {UNREGISTERED}"
    )
    refusal = Refusal.objects.get()
    assert (refusal.unregistered_count, refusal.foreign_count) == (1, 5)
    assert refusal.foreign == [[int(pig(601)), int(pig(605))]]
    assert refusal.channel == "farm" and not refusal.over_stock
    assert not Declaration.objects.exists()
    found = {
        a["kind"]: a for a in client_for(county_officer).get("/api/v1/anomalies").json()["items"]
    }
    evidence = found["refused_foreign_tags"]["evidence"][0]
    assert evidence.startswith("南岭生猪场 · ")
    assert "1 个从未登记，5 个属于其他乡镇" in evidence and pig(601) in evidence
    never = found["never_registered"]["evidence"]
    assert never == [f"{UNREGISTERED} · 在南岭生猪场被拒绝的申报中，{_now_text(refusal)}"]
    # Another county sees none of it.
    theirs = client_for(outsider).get("/api/v1/anomalies").json()["items"]
    assert {a["kind"] for a in theirs}.isdisjoint({"refused_foreign_tags", "never_registered"})
    page = client_for(county_officer).get("/trace/anomalies/").content.decode()
    assert "因外来或未登记耳标被拒绝的申报" in page and "见到的从未登记的耳标号" in page


def _now_text(refusal: Refusal) -> str:
    return f"{timezone.localtime(refusal.attempted_at):%Y-%m-%d %H:%M}"


def test_a_farm_declaring_more_than_its_stock_is_an_anomaly(
    ready_farm: Premises, county_officer: User
) -> None:
    Stock.objects.filter(premises=ready_farm, species="pig").update(quantity=5)
    _refused(ready_farm)
    refusal = Refusal.objects.get()
    assert (refusal.quantity, refusal.on_hand, refusal.over_stock) == (10, 5, True)
    found = {
        a["kind"]: a for a in client_for(county_officer).get("/api/v1/anomalies").json()["items"]
    }
    assert found["over_stock"]["evidence"] == [
        f"南岭生猪场 · {_now_text(refusal)} · 申报 10 头（只），存栏 5 头（只）"
    ]


def test_a_refusal_for_a_mistyped_field_is_not_an_anomaly(ready_farm: Premises) -> None:
    _refused(ready_farm, carrier_phone="123")
    assert not Refusal.objects.exists()


def test_numbers_never_registered_found_on_arriving_animals(
    certified_to: Callable[..., Certificate], make_premises: Any, make_user: MakeUser
) -> None:
    farm = make_premises(name="宽城育肥场", township="220103002", stock={"pig": 0})
    certificate = certified_to(farm)
    receiver = make_user("220103", (Role.DESTINATION_STAFF,))
    arrival_report(
        actor=receiver,
        certificate=certificate,
        premises=farm,
        scanned=RangeSet(((int(pig(1)), int(pig(10))), (int(UNREGISTERED), int(UNREGISTERED)))),
        arrived_at=timezone.now(),
    )
    officer = make_user("220103", (Role.COUNTY_OFFICER,))
    found = {a["kind"]: a for a in client_for(officer).get("/api/v1/anomalies").json()["items"]}
    assert found["never_registered"]["evidence"] == [
        f"{UNREGISTERED} · 在运抵宽城育肥场的动物上（{certificate.number}）"
    ]


def test_tags_registered_with_no_delivery_after_the_switch_on_are_flagged(
    register: Callable[..., Any],
    tag_order: Any,
    county_officer: User,
    outsider: User,
) -> None:
    # The stock the county held before it was switched on needs no delivery.
    switch_off("220102")
    before = register((60_001, 60_100, "S1", "01"))
    enable("220102")
    after = register((60_101, 60_200, "S2", "01"))
    delivery = delivery_create(
        actor=county_officer,
        order_id=tag_order.pk,
        note_number="SH-009",
        delivered_on=timezone.localdate(),
    )
    tags_register(
        actor=county_officer,
        rows=[
            RegistrationRow(
                line=2, species="pig", first=pig(1), last=pig(100), quantity="100", box="", pack=""
            )
        ],
        delivery=delivery,
    )

    def flagged(user: User) -> list[str]:
        found = client_for(user).get("/api/v1/anomalies").json()["items"]
        return next(
            (a["evidence"] for a in found if a["kind"] == "registration_without_delivery"), []
        )

    (evidence,) = flagged(county_officer)
    assert evidence.startswith(f"{after.number} · 南关区 · 100 · ")
    assert before.number not in str(flagged(county_officer))
    assert flagged(outsider) == []
    page = client_for(county_officer).get("/trace/anomalies/").content.decode()
    assert "县启用后登记、未关联定点企业交货的耳标" in page and after.number in page
