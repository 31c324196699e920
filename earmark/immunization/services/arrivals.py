"""Two rules a vaccination session meets besides its fields and tags: an animal brought in from
outside the county is re-immunized with a right-ear tag, not vaccinated on its old tag (Order 13
art. 14); and a session is recorded once, whatever key it is sent with."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _

from earmark.core.errors import BusinessError
from earmark.eartags.codes import format_tag
from earmark.eartags.messages import format_ranges
from earmark.eartags.ranges import RangeSet
from earmark.farms.models import Premises
from earmark.farms.services.stock import premises_lock
from earmark.immunization.errors import IMMUNIZATION_REPEATED
from earmark.immunization.models import Animal, AnimalTag, ImmunizedAnimal
from earmark.immunization.selectors.protection import animal_protected


def arrivals_to_reimmunize(
    premises: Premises, animals: list[Animal], day: date
) -> list[dict[str, str]]:
    """The animals of a session that came from another county or province and have no
    re-immunization tag yet: each is refused with the step that applies (art. 14), except
    breeding and dairy animals still protected, which keep their tag."""
    if not settings.EARMARK_REIMMUNIZE_ARRIVALS:
        return []
    outside = [a for a in animals if a.arrived_from and a.arrived_from != premises.county_code]
    if not outside:
        return []
    tags: dict[int, list[AnimalTag]] = {}
    for application in AnimalTag.objects.filter(animal__in=outside).order_by("applied_at", "id"):
        tags.setdefault(application.animal_id, []).append(application)
    problems = []
    for animal in outside:
        applied = tags.get(animal.pk, [])
        if any(t.reason == AnimalTag.Reason.REIMMUNIZATION for t in applied):
            continue
        if (animal.is_breeding or animal.is_dairy) and animal_protected(animal, day):
            continue
        text = format_tag(applied[0].tag_id) if applied else str(animal.pk)
        problems.append(
            {
                "text": text,
                "message": _(
                    "came from another county or province: re-immunize it with a tag in the right "
                    "ear (art. 14), not on this tag"
                ),
            }
        )
    return problems


def refuse_repeated_session(
    *, premises: Premises, vaccine_id: int, batch_number: str, day: date, animals: list[Animal]
) -> None:
    """Refuse a session whose animals already have a record of the same vaccine and batch on
    the same day, naming it. Runs under the premises' turn, so of two at once the second sees
    the first."""
    if not animals:
        return
    premises_lock(premises)
    earlier = list(
        ImmunizedAnimal.objects.filter(
            animal__in=animals,
            record__vaccine_id=vaccine_id,
            record__batch_number=batch_number.strip(),
            record__vaccinated_on=day,
        ).values_list("record__number", "animal_id")
    )
    if not earlier:
        return
    numbers = sorted({number for number, _animal in earlier})
    tags = AnimalTag.objects.filter(animal_id__in={a for _n, a in earlier}).values_list(
        "tag_id", flat=True
    )
    raise BusinessError(
        _(
            "%(tags)s were vaccinated with this vaccine and batch on %(day)s already: record "
            "%(records)s. A second dose is a new session on another day or with another batch."
        )
        % {
            "tags": format_ranges(RangeSet.from_numbers(tags)),
            "day": day.isoformat(),
            "records": "、".join(numbers),
        },
        code=IMMUNIZATION_REPEATED,
    )
