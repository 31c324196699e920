"""The ear-tag inventory's API: registrations, issues, holdings and single tags (``inventory``),
the designated makers with their plans and orders (``makers``), and the pliers (``pliers``)."""

from __future__ import annotations

from earmark.eartags.api.inventory import router
from earmark.eartags.api.makers import makers_router
from earmark.eartags.api.pliers import pliers_router

__all__ = ["makers_router", "pliers_router", "router"]
