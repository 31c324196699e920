"""Demo of the trust boundary: what a platform that is not to be believed handed over — a key
in the province's own name, and a certificate signed by a key nobody pinned — set aside on
数据共享 for the province administrator."""

from __future__ import annotations

from typing import Any

from earmark.exchange.models import HeldEvent
from earmark.exchange.services.inbound import pull
from earmark.quarantine.neighbour import Neighbour
from earmark.regions.demo import demo_place


def seed_held_events() -> bool:
    if HeldEvent.objects.exists():
        return False
    place = demo_place()
    impostor = Neighbour(place.province)
    stranger = Neighbour(place.partner)
    first = place.tag_prefix(1, place.preset.partner_county) * 10**8 + 500_001
    answers: dict[str, Any] = {
        "/keys": {"keys": [impostor.key_entry()]},
        "/certificates": {
            "certificates": [
                stranger.certificate(
                    f"{place.partner[:2]}1260000199",
                    destination=place.county,
                    quantity=30,
                    tags=((first, first + 29),),
                    destination_name=f"{place.province_name}{place.city_name}{place.county_name}",
                )
            ]
        },
    }
    pull(lambda path: answers.get(path.partition("?")[0], {}))
    return HeldEvent.objects.count() == 2
