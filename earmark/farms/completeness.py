"""Whether a premises' base information is complete (Jilin plan §2(1)): the rule that both the
registration's services and the farm's eligibility selector apply."""

from __future__ import annotations

from django.utils.translation import gettext as _

from earmark.core.validators import is_mobile
from earmark.farms.models import Premises


def base_information_missing(
    *, name: str, owner_name: str, phone: str, address: str, keeps_animals: bool, species: bool
) -> list[str]:
    """The base information still lacking (Jilin plan §2(1)), in a fixed order."""
    missing = []
    if not name.strip():
        missing.append("name")
    if not owner_name.strip():
        missing.append("owner_name")
    if not phone or not is_mobile(phone.strip()):
        missing.append("phone")
    if not address.strip():
        missing.append("address")
    if keeps_animals and not species:
        missing.append("species")
    return missing


def missing_fields(premises: Premises, has_stock: bool | None = None) -> list[str]:
    """The base information a premises still lacks (``has_stock``: whether it has a stock
    row, where the caller knows)."""
    return base_information_missing(
        name=premises.name,
        owner_name=premises.owner_name,
        phone=premises.phone,
        address=premises.address,
        keeps_animals=premises.keeps_animals,
        species=premises.stock.exists() if has_stock is None else has_stock,
    )


def field_label(field: str) -> str:
    return {
        "name": _("name"),
        "owner_name": _("owner"),
        "phone": _("mobile phone"),
        "address": _("address"),
        "species": _("species and stock"),
    }.get(field, field)
