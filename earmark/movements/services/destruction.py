"""Destruction of recovered tags by the county, in numbered batches."""

from __future__ import annotations

import re
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import require_role
from earmark.accounts.models import Role, User
from earmark.audit.services import audit_record
from earmark.core.codes import county_of
from earmark.core.errors import NOTHING_GIVEN, BusinessError, PermissionDenied, invalid
from earmark.core.sequences import sequence_take
from earmark.eartags.errors import TAGS_NOT_HELD
from earmark.eartags.messages import format_ranges
from earmark.eartags.models import Holding, TagEvent
from earmark.eartags.ranges import RangeSet
from earmark.eartags.services.usage import tag_events_save, tags_transition
from earmark.movements import selectors
from earmark.movements.models import DestructionBatch


def witness_names(text: str) -> list[str]:
    """The witnesses named in ``text``: 张三、李四 or 张三, 李四 (each once)."""
    names = [name.strip() for name in re.split(r"[、,，;；]+", text) if name.strip()]
    return list(dict.fromkeys(names))


@transaction.atomic
def destruction_record(
    *,
    actor: User,
    numbers: RangeSet,
    include_voided: bool,
    destroyed_on: date | None = None,
    method: str,
    witnesses: str,
    place: str = "",
) -> DestructionBatch:
    """A batch of recovered tags (and voided unused ones) destroyed by the county."""
    require_role(actor, Role.COUNTY_OFFICER)
    county = county_of(actor.region_code or "")
    if county is None or actor.region_code != county:
        raise PermissionDenied(_("Tags are destroyed by a county agency."))
    errors = {}
    if not method.strip():
        errors["method"] = _("Say how the tags were destroyed.")
    if len(witness_names(witnesses)) < 2:
        errors["witnesses"] = _("Name at least two witnesses, separated by 、 or commas.")
    if not place.strip():
        errors["place"] = _("Say where the tags were destroyed.")
    if errors:
        raise invalid(_("The destruction could not be recorded."), errors)
    held = selectors.recovered_in_county(county)
    stray = numbers.difference(held)
    if stray:
        raise BusinessError(
            _("These tags are not recovered tags held by the county: %(ranges)s.")
            % {"ranges": format_ranges(stray)},
            code=TAGS_NOT_HELD,
        )
    voided = (
        list(
            Holding.objects.select_for_update().filter(
                county_code=county, state=Holding.State.VOIDED
            )
        )
        if include_voided
        else []
    )
    count = numbers.count + sum(h.count for h in voided)
    if not count:
        raise BusinessError(_("There is nothing to destroy."), code=NOTHING_GIVEN)
    day = destroyed_on or timezone.localdate()
    sequence = sequence_take(f"destruction:{county}:{day.year}")
    batch = DestructionBatch.objects.create(
        number=f"XH{county}{day.year}{sequence:05d}",
        county_id=county,
        destroyed_on=day,
        method=method.strip()[:100],
        place=place.strip()[:100],
        witnesses="、".join(witness_names(witnesses))[:200],
        recovered=numbers.as_lists(),
        voided=[[h.first, h.last] for h in voided],
        count=count,
        created_by=actor,
    )
    if numbers:
        tags_transition(
            numbers=list(numbers.expand()),
            event="destroy",
            actor=actor,
            holder=batch.number,
            document_type="destruction",
            document_id=batch.number,
        )
    for holding in voided:
        holding.state = Holding.State.DESTROYED
    Holding.objects.bulk_update(voided, ["state"])
    if voided:
        tag_events_save(
            TagEvent(
                first=h.first,
                last=h.last,
                kind=TagEvent.Kind.DESTROYED,
                species=h.species,
                county_code=h.county_code,
                township_code=h.township_code,
                holder=batch.number,
                document_type="destruction",
                document_id=batch.number,
                actor=actor,
            )
            for h in voided
        )
    audit_record(
        actor=actor, action="tags.destroy", obj=batch, region_code=county, details={"count": count}
    )
    return batch
