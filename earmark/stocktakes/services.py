"""Recording a stocktake and approving the adjustment it proposes. The comparison lists every
difference with its likely cause and the step that resolves it; only the county's approval
moves the ledger, and never below the tagged live animals recorded there."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import require_region, require_role
from earmark.accounts.models import Role, User
from earmark.audit.services import audit_record
from earmark.core.errors import BusinessError, invalid
from earmark.core.sequences import sequence_take
from earmark.core.species import species_known, species_label, species_refusal
from earmark.eartags.messages import format_ranges
from earmark.eartags.models import Tag
from earmark.eartags.ranges import RangeSet
from earmark.farms.errors import STOCK_BELOW_TAGGED
from earmark.farms.models import Premises, Stock, StockChange
from earmark.farms.services.stock import premises_lock, stock_change_apply
from earmark.immunization.models import Animal, AnimalTag
from earmark.stocktakes.errors import STOCKTAKE_NOT_OPEN
from earmark.stocktakes.models import Stocktake

# Who counts on the premises, and how far back a count made offline may be dated.
COUNTERS = (Role.VACCINATOR, Role.OFFICIAL_VET, Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER)
OFFLINE_DAYS = 30
MAX_TAGS = 10_000
MAX_HEAD = 1_000_000


def _problems(
    premises: Premises, species: str, counted: int, read: RangeSet, on: date
) -> dict[str, str]:
    problems: dict[str, str] = {}
    if premises.kind == Premises.Kind.DISPOSAL:
        problems["premises"] = _("A disposal plant keeps no live animals to count.")
    if not species_known(species):
        problems["species"] = species_refusal()
    if not 0 <= counted <= MAX_HEAD:
        problems["counted"] = _("Enter the animals counted (0 to 1,000,000).")
    if read.count > MAX_TAGS:
        problems["tags"] = _("At most %(n)d tags in one stocktake.") % {"n": MAX_TAGS}
    today = timezone.localdate()
    if not today - timedelta(days=OFFLINE_DAYS) <= on <= today:
        problems["taken_on"] = _("The day of the count: today or within the last %(n)d days.") % {
            "n": OFFLINE_DAYS
        }
    return problems


def compare(
    premises: Premises, species: str, counted: int, read: RangeSet
) -> tuple[int, int, list[dict[str, object]]]:
    """The ledger balance, the live tagged animals here, and every difference between them and
    what was counted and read, each with its likely cause and the step that resolves it."""
    balance = (
        Stock.objects.filter(premises=premises, species=species)
        .values_list("quantity", flat=True)
        .first()
        or 0
    )
    here = {
        tag: animal
        for tag, animal in AnimalTag.objects.filter(
            animal__premises=premises,
            animal__species=species,
            animal__status=Animal.Status.ALIVE,
            tag__state=Tag.State.APPLIED,
        ).values_list("tag_id", "animal_id")
    }
    animals = set(here.values())
    typed = set(read.expand())
    seen = {animal for tag, animal in here.items() if tag in typed}
    not_seen = RangeSet.from_numbers(tag for tag, animal in here.items() if animal not in seen)
    others = read.difference(RangeSet.from_numbers(here))
    on_animals = set(
        AnimalTag.objects.filter(tag_id__in=list(others.expand())).values_list("tag_id", flat=True)
    )
    elsewhere = RangeSet.from_numbers(on_animals)
    unapplied = others.difference(elsewhere)
    differences: list[dict[str, object]] = []

    def add(kind: str, count: int, tags: RangeSet, cause: str, action: str) -> None:
        differences.append(
            {
                "kind": kind,
                "count": count,
                "tags": format_ranges(tags),
                "cause": cause,
                "action": action,
            }
        )

    if not_seen:
        add(
            "not_seen",
            len(animals - seen),
            not_seen,
            _("Tagged here but not seen: dead, sold without a certificate, or the tag lost."),
            _("Record the death, a replacement tag, or report the sale to the county."),
        )
    if elsewhere:
        add(
            "elsewhere",
            elsewhere.count,
            elsewhere,
            _(
                "Seen here but recorded on animals of another premises: moved without a "
                "certificate?"
            ),
            _("Check the animals' trace and report to the county."),
        )
    if unapplied:
        add(
            "unapplied",
            unapplied.count,
            unapplied,
            _("Seen here but never recorded as applied."),
            _("Record the tagging with the animals' immunization."),
        )
    untagged = counted - len(seen) - elsewhere.count - unapplied.count
    if untagged > 0:
        add(
            "untagged",
            untagged,
            RangeSet(),
            _("Counted without a tag read: young animals, or tags not read."),
            _("Tag the young at their immunization; read the others' tags."),
        )
    if counted != balance:
        add(
            "ledger",
            counted - balance,
            RangeSet(),
            _("The ledger says %(balance)d %(species)s; %(counted)d were counted.")
            % {"balance": balance, "species": species_label(species), "counted": counted},
            _("The county approves the adjustment, or the count is made again."),
        )
    return balance, len(animals), differences


@transaction.atomic
def stocktake_record(
    *, actor: User, premises: Premises, species: str, counted: int, read: RangeSet, taken_on: date
) -> Stocktake:
    """Record what was counted and read on a premises, compared with the records."""
    require_role(actor, *COUNTERS)
    require_region(actor, premises.township_id)
    problems = _problems(premises, species, counted, read, taken_on)
    if problems:
        raise invalid(_("The stocktake was not recorded."), problems)
    balance, tagged, differences = compare(premises, species, counted, read)
    year = taken_on.year
    sequence = sequence_take(f"stocktake:{premises.county_code}:{year}")
    stocktake = Stocktake.objects.create(
        number=f"PD{premises.county_code}{year}{sequence:06d}",
        premises=premises,
        county_code=premises.county_code,
        township_code=premises.township_id,
        species=species,
        taken_on=taken_on,
        counted=counted,
        read=read.as_lists(),
        balance=balance,
        tagged=tagged,
        differences=differences,
        differs=bool(differences),
        status=Stocktake.Status.MATCHED if counted == balance else Stocktake.Status.TO_APPROVE,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="stocktake.record",
        obj=stocktake,
        region_code=premises.township_id,
        details={"species": species, "counted": counted, "balance": balance},
    )
    return stocktake


@transaction.atomic
def stocktake_approve(*, actor: User, stocktake: Stocktake, note: str) -> Stocktake:
    """The county sets the ledger to what was counted: the one hand change of a balance."""
    require_role(actor, Role.COUNTY_OFFICER)
    require_region(actor, stocktake.township_code)
    stocktake = (
        Stocktake.objects.select_for_update().select_related("premises").get(pk=stocktake.pk)
    )
    if stocktake.status != Stocktake.Status.TO_APPROVE:
        raise BusinessError(code=STOCKTAKE_NOT_OPEN)
    text = " ".join(note.split())
    if not text or len(text) > 200:
        raise invalid(
            _("The adjustment was not approved."),
            {"note": _("Say why the count is right (at most 200 characters).")},
        )
    premises = premises_lock(stocktake.premises)
    current = (
        Stock.objects.filter(premises=premises, species=stocktake.species)
        .values_list("quantity", flat=True)
        .first()
        or 0
    )
    tagged = Animal.objects.filter(
        premises=premises, species=stocktake.species, status=Animal.Status.ALIVE
    ).count()
    if stocktake.counted < tagged:
        raise BusinessError(
            _(
                "%(tagged)d tagged live %(species)s are recorded at %(premises)s: record their "
                "deaths or replacement tags before the ledger is set to %(counted)d."
            )
            % {
                "tagged": tagged,
                "species": species_label(stocktake.species),
                "premises": premises.name,
                "counted": stocktake.counted,
            },
            code=STOCK_BELOW_TAGGED,
        )
    if stocktake.counted != current:
        stock_change_apply(
            premises=premises,
            species=stocktake.species,
            delta=stocktake.counted - current,
            reason=StockChange.Reason.CORRECTION,
            actor=actor,
            document_type="stocktake",
            document_id=stocktake.number,
            note=text,
        )
    stocktake.status = Stocktake.Status.APPROVED
    stocktake.approved_by = actor
    stocktake.approved_at = timezone.now()
    stocktake.approval_note = text
    stocktake.save(update_fields=["status", "approved_by", "approved_at", "approval_note"])
    audit_record(
        actor=actor,
        action="stocktake.approve",
        obj=stocktake,
        region_code=stocktake.township_code,
        details={"counted": stocktake.counted, "was": current},
    )
    return stocktake
