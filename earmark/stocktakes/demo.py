"""Demo stocktakes at the demo county's first farm: one that matches its ledger, one that
counted fewer and waits for the county's approval."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from earmark.accounts.models import User
from earmark.eartags.ranges import RangeSet
from earmark.farms.models import Premises, Stock
from earmark.immunization.models import Animal, AnimalTag
from earmark.stocktakes.models import Stocktake
from earmark.stocktakes.services import stocktake_record


@transaction.atomic
def seed_stocktakes(*, vaccinator: User) -> bool:
    farm = Premises.objects.get(external_id="DEMO-001")
    if Stocktake.objects.filter(premises=farm).exists():
        return False
    on_hand = Stock.objects.get(premises=farm, species="pig").quantity
    tags = RangeSet.from_numbers(
        AnimalTag.objects.filter(
            animal__premises=farm, animal__species="pig", animal__status=Animal.Status.ALIVE
        ).values_list("tag_id", flat=True)
    )
    today = timezone.localdate()
    stocktake_record(
        actor=vaccinator, premises=farm, species="pig", counted=on_hand, read=tags, taken_on=today
    )
    stocktake_record(
        actor=vaccinator,
        premises=farm,
        species="pig",
        counted=max(on_hand - 3, 0),
        read=tags,
        taken_on=today,
    )
    return True
