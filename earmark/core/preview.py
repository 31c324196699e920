"""Previews that say exactly what the confirmation will say: the very same write service runs
in a transaction that is then rolled back. A preview never approves what the confirmation would
refuse, and the confirmation never finds a problem the preview kept quiet about."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import transaction

T = TypeVar("T")


class _RollBack(Exception):
    """Raised to undo the preview's transaction once its result is taken."""


def dry_run(run: Callable[[], T]) -> T:
    """Run ``run`` (a write service and what reads its outcome) and undo every write it made.

    ``run`` must read everything it needs from the outcome before returning: after the roll
    back, rows it created no longer exist. A refusal (``BusinessError``) propagates as it would
    from the confirmation.
    """
    outcome: list[T] = []
    try:
        with transaction.atomic():
            outcome.append(run())
            raise _RollBack
    except _RollBack:
        pass
    return outcome[0]
