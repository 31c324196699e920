"""What the API and the pages both build from a request's data: a post-mortem, a consignment,
the facts of a chain."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from earmark.accounts.models import User
from earmark.eartags.messages import read_numbers
from earmark.eartags.ranges import RangeSet
from earmark.farms.selectors import premises_get
from earmark.slaughter.selectors import Chain
from earmark.slaughter.services.batches import PostMortem
from earmark.slaughter.services.products import Consignment


def post_mortem_of(user: User, data: dict[str, Any]) -> PostMortem:
    plant = (
        premises_get(user=user, code=data["disposal_plant"]) if data.get("disposal_plant") else None
    )
    tags = data.get("condemned_tags") or ""
    return PostMortem(
        findings={k: v for k, v in (data.get("findings") or {}).items() if v.strip()},
        emergency=data.get("emergency") or 0,
        condemned=data.get("condemned") or 0,
        condemned_tags=read_numbers(tags) if tags.strip() else RangeSet(),
        condemned_kg=Decimal(data.get("condemned_kg") or 0),
        disposal_plant=plant,
        notifiable=data.get("notifiable") or "",
        quality_certificate=data.get("quality_certificate") or "",
        products=[
            (p["kind"], p["quantity"], Decimal(p["weight_kg"])) for p in data.get("products") or []
        ],
    )


def consignment_of(data: dict[str, Any]) -> Consignment:
    return Consignment(
        product=data["product"],
        quantity=data["quantity"],
        weight_kg=Decimal(data["weight_kg"]),
        owner_name=data["owner_name"],
        owner_phone=data.get("owner_phone") or "",
        destination_province=data["destination_province"],
        destination_region=data.get("destination_region") or "",
        destination=data.get("destination") or "",
        vehicle_plate=data.get("vehicle_plate") or "",
        valid_until=data.get("valid_until"),
    )


def chain_facts(chain: Chain) -> dict[str, Any]:
    return {
        "batch": chain.batch.number,
        "result": chain.batch.status,
        "certificates": [c.number for c in chain.certificates] + [f.number for f in chain.foreign],
        "farms": [f"{c.premises.name}（{c.premises.code}）" for c in chain.certificates],
        "origins": [o.__dict__ for o in chain.origins],
        "products": [p.number for p in chain.products],
    }
