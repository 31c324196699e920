from __future__ import annotations

from django.db import transaction

from earmark.core.models import Sequence


def sequence_take(key: str, count: int = 1) -> int:
    """Reserve ``count`` consecutive numbers under ``key``; returns the first of them.

    Runs inside the caller's transaction; concurrent callers wait for the row lock, so that
    every number is handed out once.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("sequence_take runs inside the caller's transaction")
    Sequence.objects.bulk_create([Sequence(key=key)], ignore_conflicts=True)
    sequence = Sequence.objects.select_for_update().get(key=key)
    first = sequence.last + 1
    sequence.last += count
    sequence.save(update_fields=["last"])
    return first
