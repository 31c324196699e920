"""Generators of realistic volumes for the benchmarks."""

from __future__ import annotations

import io
import random

from openpyxl import Workbook

from earmark.farms.excel import COLUMNS
from earmark.regions.models import Region

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"


def premises_workbook(*, county: str, rows: int, seed: int = 13) -> bytes:
    """A filled-in premises workbook of ``rows`` distinct farms and households in ``county``."""
    rng = random.Random(seed)
    townships = list(
        Region.objects.filter(parent_id=county).order_by("code").values_list("name", "code")
    )
    book = Workbook(write_only=True)
    sheet = book.create_sheet("养殖场户")
    sheet.append([str(column.label) for column in COLUMNS])
    for n in range(rows):
        name, code = townships[n % len(townships)]
        owner = rng.choice(SURNAMES) + rng.choice("国建春秋海山立新玉凤")
        household = n % 3 != 0
        sheet.append(
            [
                "养殖户" if household else "规模养殖场",
                f"{owner}养殖{'户' if household else '场'}{n:05d}",
                owner,
                f"139{n:08d}",
                "",
                f"{name} {code}",
                f"{name}第{n % 40 + 1}村",
                rng.randint(1, 2000) if n % 2 == 0 else None,
                rng.randint(1, 300) if n % 5 == 0 else None,
                rng.randint(1, 800) if n % 7 == 0 else None,
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
