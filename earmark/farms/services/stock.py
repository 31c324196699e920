"""The stock ledger: every change to animals on hand is a row, and stock never goes negative."""

from __future__ import annotations

from django.db import DataError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import require_region, require_role
from earmark.accounts.models import Role, User
from earmark.core.errors import BusinessError, ErrorCode, invalid
from earmark.core.species import species_known, species_label
from earmark.farms.errors import (
    OPENING_BALANCE_SET,
    STOCK_COUNTY_ONLY,
    STOCK_NEGATIVE,
    STOCK_REASON_NOT_HERE,
    STOCK_REASON_NOT_MANUAL,
)
from earmark.farms.models import Premises, Stock, StockChange

# No premises holds more; a larger number is a typing error (and beyond the column).
MAX_CHANGE = 1_000_000
# What a person may record by hand: births and the owner's own slaughter for home consumption
# where animals are kept, and the county's opening balance. Animals come in, leave and die
# through their documents (receipts, certificates, slaughter inspection, death reports), which
# record their own rows; a balance is corrected only by the county approving a stocktake.
AT_FARMS = (StockChange.Reason.BIRTH, StockChange.Reason.SLAUGHTER)
BY_THE_COUNTY = (StockChange.Reason.INITIAL,)
MANUAL_REASONS = (*AT_FARMS, *BY_THE_COUNTY)
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


def manual_reasons(actor: User, premises: Premises) -> list[str]:
    """The reasons ``actor`` may record by hand at ``premises``: what the form offers is what
    ``hand_entry_check`` lets through."""
    reasons: list[str] = []
    if premises.keeps_animals:
        reasons += AT_FARMS
    if actor.has_role(Role.COUNTY_OFFICER):
        reasons += BY_THE_COUNTY
    return reasons


def hand_entry_check(
    *, actor: User, premises: Premises, species: str, delta: int, reason: str, note: str
) -> None:
    """Refuse a hand entry that no document explains, with the way it is recorded instead."""
    require_role(actor, Role.COUNTY_OFFICER, Role.TOWNSHIP_OFFICER)
    require_region(actor, premises.township_id)
    if reason in MANUAL_REASONS and reason in manual_reasons(actor, premises):
        if reason == StockChange.Reason.INITIAL:
            opened = (
                StockChange.objects.filter(premises=premises, species=species)
                .order_by("id")
                .values_list("created_at", flat=True)
                .first()
            )
            if opened is not None:
                raise BusinessError(
                    _(
                        "The stock of %(species)s at %(premises)s was opened on %(date)s; it "
                        "moves by its documents now, or by a correction with its reason."
                    )
                    % {
                        "species": species_label(species),
                        "premises": premises.name,
                        "date": timezone.localtime(opened).date().isoformat(),
                    },
                    code=OPENING_BALANCE_SET,
                )
        return
    if reason in BY_THE_COUNTY:
        raise BusinessError(
            code=STOCK_COUNTY_ONLY, fields={"reason": str(STOCK_COUNTY_ONLY.message)}
        )
    raise BusinessError(
        _reason_refusal(reason, premises),
        code=_refusal_code(reason),
        fields={"reason": _reason_refusal(reason, premises)},
    )


def _refusal_code(reason: str) -> ErrorCode:
    return STOCK_REASON_NOT_HERE if reason in AT_FARMS else STOCK_REASON_NOT_MANUAL


def _reason_refusal(reason: str, premises: Premises) -> str:
    """Why ``reason`` is no hand entry at ``premises``, and what records it instead."""
    if reason == StockChange.Reason.PURCHASE_IN:
        return _("Animals from elsewhere come in only by receiving their quarantine certificate.")
    if reason == StockChange.Reason.DEATH:
        return _("Deaths are recorded by a death report, with the cause and the disposal.")
    if reason == StockChange.Reason.CORRECTION:
        return _("A balance is corrected by a stocktake the county approves.")
    if reason == StockChange.Reason.SLAUGHTER and premises.kind == Premises.Kind.SLAUGHTERHOUSE:
        return _("Slaughter here is recorded against the certificate the animals came in on.")
    if reason in AT_FARMS:
        return _(
            "%(premises)s is a %(kind)s: its animals come in by certificate, not by birth or by "
            "hand."
        ) % {"premises": premises.name, "kind": premises.get_kind_display()}
    return _("This kind of change is recorded by its own document, not by hand.")


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
