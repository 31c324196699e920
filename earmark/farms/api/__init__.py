"""The farm registry's API: premises with their stock, documents and credentials (``premises``),
the farm's own operations under its token (``farm``), and the registers a county keeps
(``registers``: restrictions, vehicles, dealers, checkpoints)."""

from __future__ import annotations

from earmark.farms.api.farm import farm_router
from earmark.farms.api.premises import router
from earmark.farms.api.registers import (
    checkpoints_router,
    dealers_router,
    restrictions_router,
    vehicles_router,
)

__all__ = [
    "checkpoints_router",
    "dealers_router",
    "farm_router",
    "restrictions_router",
    "router",
    "vehicles_router",
]
