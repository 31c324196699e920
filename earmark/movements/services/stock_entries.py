"""Hand entries of the stock ledger: births and home slaughter where animals are kept, and the
county's opening balances and corrections. Everything else moves by its document."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from earmark.accounts.models import User
from earmark.audit.services import audit_record
from earmark.core.errors import BusinessError
from earmark.core.species import species_label
from earmark.farms.errors import STOCK_BELOW_TAGGED
from earmark.farms.models import Premises, StockChange
from earmark.farms.services.stock import hand_entry_check, premises_lock, stock_change_apply
from earmark.immunization.services.tagging import tagged_count


@transaction.atomic
def stock_entry(
    *,
    actor: User,
    premises: Premises,
    species: str,
    delta: int,
    reason: str,
    note: str = "",
) -> StockChange:
    """Record a change of stock by hand, where a person's word is the document: never below the
    tagged live animals the records place here (they leave by their tags)."""
    hand_entry_check(
        actor=actor, premises=premises, species=species, delta=delta, reason=reason, note=note
    )
    # The premises' turn first, as tagging and certificates take it: entries, tagging and
    # issues on one premises run one after another, and never count the same room twice.
    premises_lock(premises)
    change = stock_change_apply(
        premises=premises, species=species, delta=delta, reason=reason, actor=actor, note=note
    )
    if delta < 0:
        tagged = tagged_count(premises, species)
        if change.balance < tagged:
            raise BusinessError(
                _(
                    "%(tagged)d tagged live %(species)s are recorded at %(premises)s; the stock "
                    "cannot fall to %(balance)d. Tagged animals leave by their tags: a "
                    "certificate or a death report."
                )
                % {
                    "tagged": tagged,
                    "species": species_label(species),
                    "premises": premises.name,
                    "balance": change.balance,
                },
                code=STOCK_BELOW_TAGGED,
            )
    audit_record(
        actor=actor,
        action="stock.change",
        obj=premises,
        region_code=premises.township_id,
        details={"species": species, "delta": delta, "reason": reason, "balance": change.balance},
    )
    return change
