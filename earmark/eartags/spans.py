"""Finding the rows of a range table (``first``, ``last``) that share a number with given
ranges, at a cost that grows with the ranges asked about and the rows found — never with the
size of the table.

A plain ``first <= b AND last >= a`` reads every row below ``b``. Instead:

- on PostgreSQL, every range table has a GiST index on ``int8range(first, last, '[]')`` and the
  condition is written with the range operator ``&&`` that the index answers;
- on SQLite, a table whose rows never share a number (registered ranges, holdings) is searched
  from the last row that starts at or before ``a`` (one step down the index on ``first``), and a
  table of overlapping rows (tag events, document ranges) by the width class of its rows
  (``span``: the number of decimal digits of ``last - first``), which bounds how far before
  ``a`` a row that reaches ``a`` can start.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.db.models import F
from django.db.models.functions import Cast, Length

from earmark.eartags.ranges import RangeSet

# Rows of a range table whose numbers are a class wider than this do not exist: tag numbers
# have 15 digits, so ``last - first`` has at most 15.
WIDEST = 15
# Ranges asked about in one query (on SQLite; PostgreSQL takes them all at once).
_CHUNK = 200
# Up to this many ranges, PostgreSQL is asked with an OR of range conditions.
_FEW = 8
# Ranges at most this many numbers apart are searched as one.
_GAP = 100


def span_field() -> models.GeneratedField:
    """The width class of a row, kept by the database itself."""
    return models.GeneratedField(
        expression=Length(Cast(F("last") - F("first"), models.CharField())),
        output_field=models.SmallIntegerField(),
        db_persist=True,
    )


class Overlaps(models.Expression):
    """True for the rows that share a number with any of ``ranges``: index searches written
    out directly (compiling one ORM expression per range would cost more than running the
    query)."""

    output_field = models.BooleanField()
    conditional = True

    def __init__(self, model: type[models.Model], ranges: Sequence[tuple[int, int]]) -> None:
        super().__init__()
        self.model = model
        self.ranges = list(ranges)
        self.columns: list[Any] = [F("first"), F("last")]
        if connection.vendor == "postgresql":
            self.columns.append(F("pk"))
        elif not getattr(model, "DISJOINT", False):
            self.columns.append(F("span"))

    def get_source_expressions(self) -> list[Any]:
        return self.columns

    def set_source_expressions(self, expressions: Sequence[Any]) -> None:
        self.columns = list(expressions)

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        first, last, *other = (compiler.compile(column)[0] for column in self.columns)
        # The third column: the primary key on PostgreSQL, the width class on SQLite.
        third = other[0] if other else ""
        terms: list[str] = []
        params: list[Any] = []
        table = connection.ops.quote_name(self.model._meta.db_table)
        if connection.vendor == "postgresql" and len(self.ranges) <= _FEW:
            for a, b in self.ranges:
                terms.append(f"int8range({first}, {last}, '[]') && int8range(%s, %s, '[]')")
                params += [a, b]
        elif connection.vendor == "postgresql":
            # Many ranges: one GiST search per range, joined from an array (one parameter
            # pair, however many ranges), rather than a long OR.
            pk = connection.ops.quote_name(self.model._meta.pk.column)
            terms.append(
                f"{third} IN (SELECT u.{pk} FROM unnest(%s::bigint[], %s::bigint[]) AS r(a, b) "  # noqa: S608
                f"""JOIN {table} u ON int8range(u."first", u."last", '[]') """
                "&& int8range(r.a, r.b, '[]'))"
            )
            params += [[a for a, _ in self.ranges], [b for _, b in self.ranges]]
        elif not other:
            # The row that contains ``a`` is the last one to start at or before it. (The
            # table's own name, quoted; the numbers are parameters.)
            before = f'(SELECT MAX(u."first") FROM {table} u WHERE u."first" <= %s)'  # noqa: S608
            for a, b in self.ranges:
                terms.append(
                    f"({first} >= COALESCE({before}, %s) AND {first} <= %s AND {last} >= %s)"
                )
                params += [a, a, b, a]
        else:
            for a, b in self.ranges:
                for width in range(1, WIDEST + 1):
                    terms.append(
                        f"({third} = {width} AND {first} > %s AND {first} <= %s AND {last} >= %s)"
                    )
                    params += [a - 10**width, b, a]
        if not terms:
            return "1 = 0", []
        return "(" + " OR ".join(terms) + ")", params


def overlapping(
    queryset: models.QuerySet[Any], ranges: RangeSet | Iterable[tuple[int, int]]
) -> list[Any]:
    """The rows of ``queryset`` that share a number with any of ``ranges``, once each, sorted
    by first number.

    Ranges a few numbers apart are asked about as one (scattered tags of the same boxes make a
    handful of searches, not one each); the rows found in the gaps are then left out."""
    model = queryset.model
    asked = (ranges if isinstance(ranges, RangeSet) else RangeSet.of(ranges)).ranges
    searched: list[tuple[int, int]] = []
    for first, last in asked:
        if searched and first - searched[-1][1] <= _GAP:
            searched[-1] = (searched[-1][0], last)
        else:
            searched.append((first, last))
    # A query of overlapping-table conditions on SQLite grows 15-fold: keep it smaller.
    size = _CHUNK if getattr(model, "DISJOINT", False) else 20
    if connection.vendor == "postgresql":
        size = max(len(searched), 1)
    rows: dict[int, Any] = {}
    for start in range(0, len(searched), size):
        condition = Overlaps(model, searched[start : start + size])
        # No ORDER BY: sorting by ``first`` would make SQLite walk that index instead.
        for row in queryset.filter(condition).order_by():
            rows[row.pk] = row
    starts = [first for first, _ in asked]
    ends = [last for _, last in asked]

    def meets(row: Any) -> bool:
        index = bisect_left(ends, row.first)
        return index < len(asked) and starts[index] <= row.last

    return sorted(filter(meets, rows.values()), key=lambda row: (row.first, row.pk))


class NumberIn(models.Expression):
    """``column IN (…)`` for many numbers, written out directly (the ORM's ``__in`` prepares
    each value on its own, which costs more than the lookup)."""

    output_field = models.BooleanField()
    conditional = True

    def __init__(self, column: str, numbers: Sequence[int]) -> None:
        super().__init__()
        self.column: Any = F(column)
        self.numbers = [int(n) for n in numbers]

    def get_source_expressions(self) -> list[Any]:
        return [self.column]

    def set_source_expressions(self, expressions: Sequence[Any]) -> None:
        (self.column,) = expressions

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        if not self.numbers:
            return "1 = 0", []
        column, params = compiler.compile(self.column)
        marks = ", ".join(["%s"] * len(self.numbers))
        return f"{column} IN ({marks})", [*params, *self.numbers]


def containing(queryset: models.QuerySet[Any], number: int) -> models.QuerySet[Any]:
    """The rows of ``queryset`` whose range holds ``number``."""
    return queryset.filter(Overlaps(queryset.model, [(number, number)]))


def gist_install(schema_editor: Any, *tables: str) -> None:
    """On PostgreSQL, the GiST index that ``&&`` uses, for each range table (a migration's
    step; the registered ranges and holdings have theirs through their exclusion constraint)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in tables:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_range_gist "
            f"ON {table} USING gist (int8range(first, last, '[]'))"
        )


def gist_remove(schema_editor: Any, *tables: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in tables:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_range_gist")
