"""Demo of the trust boundary: what a platform that is not to be believed handed over — a key
in Jilin's own name, and a certificate signed by a key nobody pinned — set aside on 数据共享
for the province administrator."""

from __future__ import annotations

from typing import Any

from earmark.exchange.models import HeldEvent
from earmark.exchange.services.inbound import pull
from earmark.quarantine.neighbour import Neighbour


def seed_held_events() -> bool:
    if HeldEvent.objects.exists():
        return False
    impostor = Neighbour("220000")
    stranger = Neighbour("230000")
    answers: dict[str, Any] = {
        "/keys": {"keys": [impostor.key_entry()]},
        "/certificates": {
            "certificates": [
                stranger.certificate(
                    "231260000199",
                    destination="220113",
                    quantity=30,
                    tags=((123010200500001, 123010200500030),),
                    destination_name="吉林省长春市九台区",
                )
            ]
        },
    }
    pull(lambda path: answers.get(path.partition("?")[0], {}))
    return HeldEvent.objects.count() == 2
