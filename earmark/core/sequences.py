from __future__ import annotations

from django.db import transaction

from earmark.core.models import Sequence


def sequence_take(key: str, count: int = 1) -> int:
    """Reserve ``count`` consecutive numbers under ``key``; returns the first of them.

    Runs inside the caller's transaction; the UPDATE locks the row until it ends, so that
    concurrent callers wait and every number is handed out once. One statement when the key
    exists (``RETURNING``, on PostgreSQL and SQLite alike).
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("sequence_take runs inside the caller's transaction")
    table = connection.ops.quote_name(Sequence._meta.db_table)
    # The table's own name, quoted; the key and count are parameters.
    sql = f'UPDATE {table} SET "last" = "last" + %s WHERE "key" = %s RETURNING "last"'  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [count, key])
        row = cursor.fetchone()
        if row is None:
            Sequence.objects.bulk_create([Sequence(key=key)], ignore_conflicts=True)
            cursor.execute(sql, [count, key])
            row = cursor.fetchone()
    return int(row[0]) - count + 1
