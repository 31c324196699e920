"""A submission sent twice without an idempotency key (a double tap, a form sent again): the same
count of tags from the same holder to the same holder within a minute is refused, naming the
first issue (#34). Typed numbers need no such guard: the second time they are no longer held."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.core.errors import BusinessError
from earmark.eartags.errors import ISSUE_REPEATED
from earmark.eartags.holders import Holder
from earmark.eartags.models import Issue

REPEAT_WINDOW = timedelta(minutes=1)


def refuse_repeated_count(
    *, kind: str, source: Holder, target: Holder, species: str, count: int
) -> None:
    """Refuse an issue by count that repeats one made within the window. Runs under the lock
    of the source's holdings, so of two at once the second sees the first."""
    earlier = (
        Issue.objects.filter(
            kind=kind,
            species=species,
            count=count,
            created_at__gte=timezone.now() - REPEAT_WINDOW,
            **{f"from_{k}": v for k, v in source.fields().items()},
            **{f"to_{k}": v for k, v in target.fields().items()},
        )
        .order_by("-id")
        .first()
    )
    if earlier is not None:
        message = _(
            "The same issue was made a moment ago: %(number)s, %(count)d tags to %(holder)s. To "
            "issue as many again, wait a minute or type the numbers."
        ) % {"number": earlier.number, "count": count, "holder": target.label}
        raise BusinessError(message, code=ISSUE_REPEATED)
