"""The stock ledger: every change to animals on hand is a row, and stock never goes negative."""

from __future__ import annotations

from django.db import DataError, IntegrityError, transaction
from django.utils.translation import gettext as _

from earmark.accounts.access import require_region, require_role
from earmark.accounts.models import Role, User
from earmark.audit.services import audit_record
from earmark.core.errors import BusinessError, invalid
from earmark.core.species import species_known, species_label
from earmark.farms.errors import STOCK_NEGATIVE, STOCK_REASON_NOT_MANUAL
from earmark.farms.models import Premises, Stock, StockChange

# Reasons an officer may record by hand; the others come from certificates, arrivals and
# slaughter, which record them in their own transactions.
# No premises holds more; a larger number is a typing error (and beyond the column).
MAX_CHANGE = 1_000_000
MANUAL_REASONS = (
    StockChange.Reason.INITIAL,
    StockChange.Reason.BIRTH,
    StockChange.Reason.PURCHASE_IN,
    StockChange.Reason.DEATH,
    StockChange.Reason.SLAUGHTER,
    StockChange.Reason.CORRECTION,
)
INCREASING = (
    StockChange.Reason.INITIAL,
    StockChange.Reason.BIRTH,
    StockChange.Reason.PURCHASE_IN,
    StockChange.Reason.ARRIVAL_IN,
)
DECREASING = (
    StockChange.Reason.CERTIFICATE_OUT,
    StockChange.Reason.DEATH,
    StockChange.Reason.SLAUGHTER,
)


@transaction.atomic
def stock_change(
    *,
    actor: User,
    premises: Premises,
    species: str,
    delta: int,
    reason: str,
    note: str = "",
) -> StockChange:
    """An officer records a change of stock by hand (births, purchases, deaths, corrections)."""
    require_role(actor, Role.COUNTY_OFFICER, Role.TOWNSHIP_OFFICER)
    require_region(actor, premises.township_id)
    if reason not in MANUAL_REASONS:
        raise BusinessError(
            code=STOCK_REASON_NOT_MANUAL,
            fields={
                "reason": _("This kind of change is recorded by its own document, not by hand.")
            },
        )
    change = stock_change_apply(
        premises=premises, species=species, delta=delta, reason=reason, actor=actor, note=note
    )
    audit_record(
        actor=actor,
        action="stock.change",
        obj=premises,
        region_code=premises.township_id,
        details={"species": species, "delta": delta, "reason": reason, "balance": change.balance},
    )
    return change


def stock_change_apply(
    *,
    premises: Premises,
    species: str,
    delta: int,
    reason: str,
    actor: User | None,
    document_type: str = "",
    document_id: str = "",
    note: str = "",
) -> StockChange:
    """Apply one ledger row inside the caller's transaction; other services call this.

    The update is a single ``quantity = quantity + delta`` guarded by the current quantity, so
    that concurrent changes add up and none can take stock below zero.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("stock changes run inside their service's transaction")
    problems = _change_problems(species=species, delta=delta, reason=reason)
    if problems:
        raise invalid(_("The stock change is not valid."), problems)
    balance = _stock_add(premises, species, delta)
    if balance is None and delta > 0:
        # The first animals of this species here: the row is made, then added to.
        Stock.objects.bulk_create(
            [Stock(premises=premises, species=species, quantity=0)], ignore_conflicts=True
        )
        balance = _stock_add(premises, species, delta)
    if balance is None:
        on_hand = (
            Stock.objects.filter(premises=premises, species=species)
            .values_list("quantity", flat=True)
            .first()
            or 0
        )
        raise BusinessError(
            _("%(premises)s has only %(on_hand)d %(species)s; it cannot lose %(count)d.")
            % {
                "premises": premises.name,
                "on_hand": on_hand,
                "species": species_label(species),
                "count": -delta,
            },
            code=STOCK_NEGATIVE,
        )
    return StockChange.objects.create(
        premises=premises,
        species=species,
        delta=delta,
        balance=balance,
        reason=reason,
        actor=actor,
        document_type=document_type,
        document_id=document_id,
        note=note[:200],
    )


def _stock_add(premises: Premises, species: str, delta: int) -> int | None:
    """``quantity + delta`` in one statement, refused (None) where it would go below zero or
    there is no row; the new quantity otherwise."""
    connection = transaction.get_connection()
    table = connection.ops.quote_name(Stock._meta.db_table)
    # The table's own name, quoted; the values are parameters.
    sql = f"UPDATE {table} SET quantity = quantity + %s WHERE premises_id = %s AND species = %s"  # noqa: S608
    params: list[object] = [delta, premises.pk, species]
    if delta < 0:
        sql += " AND quantity >= %s"
        params.append(-delta)
    with connection.cursor() as cursor:
        if delta < 0:
            cursor.execute(sql + " RETURNING quantity", params)
            row = cursor.fetchone()
        else:
            # Beyond the column's range the database refuses the sum: in a savepoint, so that
            # the caller's transaction survives to report it.
            try:
                with transaction.atomic():
                    cursor.execute(sql + " RETURNING quantity", params)
                    row = cursor.fetchone()
            except (IntegrityError, DataError):
                row = None
    return int(row[0]) if row else None


def _change_problems(*, species: str, delta: int, reason: str) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not species_known(species):
        problems["species"] = _("Unknown species: %(species)s.") % {"species": species}
    if reason not in StockChange.Reason.values:
        problems["reason"] = _("Choose the reason of the change.")
    if delta == 0:
        problems["delta"] = _("The change must not be zero.")
    elif abs(delta) > MAX_CHANGE:
        problems["delta"] = _("At most %(n)d animals in one change.") % {"n": MAX_CHANGE}
    elif reason in INCREASING and delta < 0:
        problems["delta"] = _("This reason adds animals; enter a positive number.")
    elif reason in DECREASING and delta > 0:
        problems["delta"] = _("This reason removes animals; enter a negative number.")
    return problems


def premises_lock(premises: Premises) -> Premises:
    """Take the premises' turn: declarations, certificates and immunizations that read its
    stock and then change what stands against it (tagged animals, animals declared) run one at
    a time per premises, inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("a premises is locked inside its service's transaction")
    return Premises.objects.select_for_update().get(pk=premises.pk)
