"""The farm registry's pages: the premises (by concept in ``premises``) and the registers a
county keeps (restrictions, vehicles, dealers, checkpoints, in ``registers``)."""

from __future__ import annotations

from earmark.farms.views.premises import (
    baseinfo_detail,
    baseinfo_upload,
    premises_detail,
    premises_edit,
    premises_import,
    premises_ledger,
    premises_list,
    premises_new,
    premises_pin,
    premises_rotate_qr,
    premises_unlock_pin,
    premises_verify,
)
from earmark.farms.views.registers import (
    checkpoint_list,
    dealer_list,
    restriction_lift,
    restriction_list,
    vehicle_list,
)

__all__ = [
    "baseinfo_detail",
    "baseinfo_upload",
    "checkpoint_list",
    "dealer_list",
    "premises_detail",
    "premises_edit",
    "premises_import",
    "premises_ledger",
    "premises_list",
    "premises_new",
    "premises_pin",
    "premises_rotate_qr",
    "premises_unlock_pin",
    "premises_verify",
    "restriction_lift",
    "restriction_list",
    "vehicle_list",
]
