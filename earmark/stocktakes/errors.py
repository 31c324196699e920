"""The refusals of stocktakes (see core.errors)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from earmark.core.errors import conflict

STOCKTAKE_NOT_OPEN = conflict(
    "stocktake_not_open",
    _("This stocktake has no adjustment waiting for approval."),
    "A stocktake that matched the ledger, or whose adjustment is approved already.",
)
