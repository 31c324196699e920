"""Livestock dealers (贩运经纪人备案, #17): registered by a county with the counties they work in;
a declaration may name the dealer who bought the animals — refused for an unknown, suspended or
out-of-county dealer; refusals naming a dealer are counted per dealer among the anomalies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from earmark.accounts.models import User
from earmark.audit.models import OutboxEvent
from earmark.core.errors import BusinessError
from earmark.core.testing import client_for
from earmark.eartags.fixtures import pig
from earmark.quarantine.models import Declaration, Refusal
from earmark.quarantine.services.declarations import DeclarationRefused

DEALER = {
    "name": "周长顺",
    "id_card": "220102198505053219",
    "phone": "13604310031",
    "counties": [],
    "trained_on": None,
}


def _post(user: User, path: str, **body: Any) -> Any:
    return client_for(user).post(f"/api/v1{path}", body, content_type="application/json")


def test_a_county_registers_dealers_and_their_counties_see_them(
    county_officer: User, outsider: User
) -> None:
    bad = _post(county_officer, "/dealers", **{**DEALER, "id_card": "220102198505053210"})
    assert bad.json()["detail"]["fields"]["id_card"] == ["请输入有效的18位居民身份证号码。"]
    unknown = _post(county_officer, "/dealers", **{**DEALER, "counties": ["229999"]})
    assert "counties" in unknown.json()["detail"]["fields"]
    registered = _post(county_officer, "/dealers", **DEALER)
    assert registered.status_code == 201, registered.json()
    body = registered.json()
    assert body["code"].startswith("JJ220102")
    assert body["id_card"] == "220***********3219"
    assert body["counties"] == ["220102"]
    shared = OutboxEvent.objects.get(aggregate=f"dealer:{body['code']}")
    assert (shared.event_type, shared.payload["id_card"]) == ("dealer.registered", body["id_card"])
    assert _post(county_officer, "/dealers", **DEALER).status_code == 409
    # The neighbour sees only dealers who work in its county.
    assert client_for(outsider).get("/api/v1/dealers").json()["count"] == 0
    both = _post(
        county_officer,
        "/dealers",
        **{**DEALER, "id_card": "220113198001011233", "name": "吴大伟", "counties": ["220103"]},
    )
    assert both.json()["counties"] == ["220102", "220103"]
    seen = client_for(outsider).get("/api/v1/dealers").json()["items"]
    assert [d["name"] for d in seen] == ["吴大伟"]
    # Only the registering county suspends.
    assert _post(outsider, f"/dealers/{both.json()['code']}/suspend", reason="x").status_code == 403
    page = client_for(county_officer).get("/premises/dealers/").content.decode()
    assert "周长顺" in page and "220102198505053219" not in page


def test_declarations_name_registered_dealers_of_the_county(
    county_officer: User, outsider: User, declared: Callable[..., Declaration]
) -> None:
    local = _post(county_officer, "/dealers", **DEALER).json()["code"]
    elsewhere = _post(
        outsider,
        "/dealers",
        **{**DEALER, "id_card": "220113198001011233", "name": "吴大伟"},
    ).json()["code"]
    declaration = declared(dealer=local, numbers=f"{pig(1)}-{pig(5)}", quantity=5)
    assert declaration.dealer is not None and declaration.dealer.code == local
    listed = client_for(county_officer).get("/api/v1/declarations").json()["items"]
    assert listed[0]["dealer"] == local

    def refused(code: str) -> str:
        with pytest.raises(DeclarationRefused) as caught:
            declared(dealer=code, numbers=f"{pig(6)}-{pig(7)}", quantity=2)
        return caught.value.review.fields["dealer"]

    assert refused("JJ22010299999") == "经纪人 JJ22010299999 未备案。"
    assert refused(elsewhere) == f"经纪人 吴大伟（{elsewhere}）未备案在本县从业。"
    _post(county_officer, f"/dealers/{local}/suspend", reason="外县耳标")
    assert refused(local) == f"经纪人 周长顺（{local}）的备案已暂停：外县耳标"


def test_refusals_are_counted_per_dealer(
    county_officer: User, declared: Callable[..., Declaration]
) -> None:
    code = _post(county_officer, "/dealers", **DEALER).json()["code"]
    # Numbers never registered: refused and kept in the refusal log with the dealer.
    with pytest.raises(BusinessError):
        declared(dealer=code, numbers=f"{pig(900_001)}-{pig(900_002)}", quantity=2)
    assert Refusal.objects.get().dealer is not None
    anomalies = client_for(county_officer).get("/api/v1/anomalies").json()["items"]
    row = next(a for a in anomalies if a["kind"] == "dealer_refusals")
    assert row["evidence"] == [f"周长顺（{code}）：被拒申报 1 次，外来耳标 0 枚"]
