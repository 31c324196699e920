from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Role, User
from earmark.core.testing import assert_guarded, client_for
from earmark.eartags.fixtures import pig
from earmark.eartags.ranges import RangeSet
from earmark.farms.models import Premises
from earmark.immunization.services.replacement import tag_replace
from earmark.movements.services.arrivals import arrival_report
from earmark.movements.services.redirects import certificate_redirect
from earmark.movements.services.slaughter import slaughter_inspection
from earmark.quarantine.models import Declaration
from earmark.quarantine.services.certificates import certificate_issue
from earmark.quarantine.services.declarations import declaration_decide, declaration_inspect


def _slaughtered(
    declared: Callable[..., Declaration],
    station_officer: User,
    vet: User,
    slaughterhouse: Premises,
    slaughter_vet: User | None = None,
) -> None:
    declaration = declared(
        destination_region=slaughterhouse.county_code, destination_address=slaughterhouse.name
    )
    declaration_decide(actor=station_officer, declaration=declaration, accept=True)
    declaration_inspect(actor=vet, declaration=declaration, passed=True)
    certificate = certificate_issue(actor=vet, declaration=declaration)
    slaughter_inspection(
        actor=slaughter_vet or vet,
        certificate=certificate,
        slaughterhouse=slaughterhouse,
        scanned=RangeSet(((int(pig(1)), int(pig(10))),)),
        passed=True,
    )


def test_a_tag_traces_from_its_box_to_the_slaughterhouse_in_time_order(
    declared: Callable[..., Declaration], station_officer: User, vet: User, make_premises: Any
) -> None:
    slaughterhouse = make_premises(name="南岭屠宰场", kind="slaughterhouse", stock={})
    _slaughtered(declared, station_officer, vet, slaughterhouse)
    body = client_for(vet).get(f"/api/v1/tags/{pig(3)}/trace").json()
    kinds = [step["kind"] for step in body["steps"]]
    for expected in (
        "registered",
        "issued",
        "applied",
        "application",
        "immunization",
        "declared",
        "certified",
        "slaughter",
        "recovered",
    ):
        assert expected in kinds, expected
    assert (
        kinds.index("registered")
        < kinds.index("issued")
        < kinds.index("declared")
        < kinds.index("certified")
    )
    registered = next(s for s in body["steps"] if s["kind"] == "registered")
    assert (registered["details"]["box"], registered["details"]["pack"]) == ("A1", "01")
    times = [step["at"] for step in body["steps"]]
    assert times == sorted(times)
    assert body["state"] == "recovered"


def test_a_replaced_tag_traces_the_same_animal(
    vaccinate: Callable[..., Any], stocked_vaccinator: User
) -> None:
    vaccinate(pig(1), timezone.localdate() - timedelta(days=3))
    tag_replace(
        actor=stocked_vaccinator, old=pig(1), new=pig(60), reason="lost", disinfection="碘伏擦拭"
    )
    old = client_for(stocked_vaccinator).get(f"/api/v1/tags/{pig(1)}/trace").json()
    new = client_for(stocked_vaccinator).get(f"/api/v1/tags/{pig(60)}/trace").json()
    assert old["tags"] == new["tags"] == [pig(1), pig(60)]
    assert "lost" in [s["kind"] for s in new["steps"]]


def test_another_county_sees_a_chain_that_crossed_into_it_but_nothing_else(
    declared: Callable[..., Declaration],
    station_officer: User,
    vet: User,
    make_premises: Any,
    make_user: MakeUser,
) -> None:
    abattoir = make_premises(
        name="宽城屠宰场", kind="slaughterhouse", township="220103002", stock={}
    )
    kuancheng_vet = make_user("220103", (Role.OFFICIAL_VET,))
    _slaughtered(declared, station_officer, vet, abattoir, slaughter_vet=kuancheng_vet)
    # The animals ended in 宽城区: its vet traces them back to their box in 南关区.
    crossed = client_for(kuancheng_vet).get(f"/api/v1/tags/{pig(3)}/trace")
    assert crossed.status_code == 200
    assert "registered" in [s["kind"] for s in crossed.json()["steps"]]
    # A tag of 南关区 that never left it stays invisible to 宽城区.
    assert client_for(kuancheng_vet).get(f"/api/v1/tags/{pig(30)}/trace").status_code == 404


def test_forged_and_malformed_numbers_and_access(
    county_officer: User, outsider: User, register: Any
) -> None:
    register((1, 10, "A1", "01"))
    client = client_for(county_officer)
    forged = client.get("/api/v1/tags/122010299999999/trace")
    assert forged.json()["message"] == "122010299999999 从未登记：可能是伪造耳标。"
    assert client.get("/api/v1/tags/12x/trace").status_code == 400
    assert_guarded("get", f"/api/v1/tags/{pig(5)}/trace", outsider=outsider)
    assert_guarded("get", f"/trace/tags/{pig(5)}/", outsider=outsider)
    page = client.get(f"/trace/tags/{pig(5)}/").content.decode()
    assert "已登记" in page and "箱号 A1" in page


def test_a_number_that_is_no_tag_is_said_beside_the_search_field(
    county_officer: User, register: Any
) -> None:
    """A 14-digit number typed into the search stays on the search page with the reason beside
    the field, instead of a page of its own (#38); a good number goes to its trace."""
    register((1, 10, "A1", "01"))
    client = client_for(county_officer)
    short = client.get("/trace/", {"number": "12201020000000"})
    assert short.status_code == 200
    page = short.content.decode()
    assert "12201020000000 不是15位耳标号码。" in page
    assert 'aria-describedby="number-problem"' in page and 'value="12201020000000"' in page
    found = client.get("/trace/", {"number": pig(5)})
    assert found.status_code == 302 and found["Location"].endswith(f"/{pig(5)}/")


def test_the_trace_tells_the_truth_about_time(
    vaccinate: Callable[..., Any],
    certified_to: Callable[..., Any],
    make_premises: Any,
    make_user: MakeUser,
    county_officer: User,
) -> None:
    """Facts of one day keep the order in which they happened (no date-only fact at noon), a
    change of destination shows, and every time has the same format."""
    vaccinate(f"{pig(1)}-{pig(10)}", timezone.localdate())
    farm = make_premises(name="自强育肥场", township="220102002", stock={"pig": 0})
    other = make_premises(name="自强二场", township="220102002", stock={"pig": 0})
    certificate = certified_to(farm, numbers=f"{pig(1)}-{pig(10)}")
    certificate_redirect(
        actor=county_officer, certificate=certificate, to_premises=other, reason="改运二场"
    )
    arrival_report(
        actor=make_user("220102", (Role.DESTINATION_STAFF,)),
        certificate=certificate,
        premises=other,
        scanned=RangeSet(((int(pig(1)), int(pig(10))),)),
        arrived_at=timezone.now(),
    )
    body = client_for(county_officer).get(f"/api/v1/tags/{pig(3)}/trace").json()
    kinds = [step["kind"] for step in body["steps"]]
    order = [
        "registered",
        "issued",
        "application",
        "immunization",
        "declared",
        "certified",
        "redirect",
        "arrival",
    ]
    seen = [kind for kind in kinds if kind in order]
    assert list(dict.fromkeys(seen)) == order, kinds
    assert all(
        re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+08:00", s["at"])
        for s in body["steps"]
    )
    redirect = next(s for s in body["steps"] if s["kind"] == "redirect")
    assert redirect["details"]["reason"] == "改运二场" and redirect["place"] == "自强二场"
