"""Issuing a bulletin (通报): the document number is taken once, in order, per region and year."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from earmark.accounts.access import require_role, user_jurisdiction
from earmark.accounts.models import Role, User
from earmark.audit.services import audit_record
from earmark.core.sequences import sequence_take
from earmark.regions.provinces import ABBREVIATIONS
from earmark.regions.selectors import region_get
from earmark.rollout.models import Bulletin


class _IssuedMeanwhile(Exception):
    """Another request issued the same bulletin while this one waited for the number."""


def bulletin_number(region_code: str, name: str, year: int, sequence: int) -> str:
    """吉动监通〔2026〕3号 for the province; 长春动监通〔2026〕1号 for a city."""
    short = ABBREVIATIONS.get(region_code) or name.removesuffix("市")
    return f"{short}动监通〔{year}〕{sequence}号"


@transaction.atomic
def bulletin_issue(*, actor: User, period: str, as_of: date, today: date) -> Bulletin:
    """The bulletin of ``actor``'s jurisdiction for ``period`` with figures as of ``as_of``:
    the one already issued, else a new one with the next number of the region and year. Safe
    to repeat, and two requests at once leave one bulletin and no gap in the numbers."""
    require_role(actor, Role.PROVINCE_ADMIN, Role.CITY_OFFICER)
    region = region_get(code=user_jurisdiction(actor))
    same = {"region": region, "period": period, "as_of": as_of}
    found = Bulletin.objects.filter(**same).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            # The sequence's row stays locked until the end: whoever waited here sees what
            # the one before issued, and gives its number back by rolling back.
            sequence = sequence_take(f"bulletin:{region.code}:{today.year}")
            if Bulletin.objects.filter(**same).exists():
                raise _IssuedMeanwhile
            assert actor.agency is not None
            bulletin = Bulletin.objects.create(
                **same,
                year=today.year,
                sequence=sequence,
                number=bulletin_number(region.code, region.name, today.year, sequence),
                issued_on=today,
                issued_by=actor,
                agency=actor.agency,
            )
    except _IssuedMeanwhile:
        return Bulletin.objects.get(**same)
    audit_record(
        actor=actor,
        action="bulletin.issue",
        obj=bulletin,
        region_code=region.code,
        details={"number": bulletin.number, "period": period, "as_of": as_of.isoformat()},
    )
    return bulletin
