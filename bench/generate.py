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


def province_inventory(
    *, ranges: int = 20_000, per_range: int = 1_000, applied_per_range: int = 63
) -> dict[str, int]:
    """Province-scale inventory written straight to the tables (the services are what is
    measured, not how the data got there): ``ranges`` registered ranges spread over every
    county, four in five of them issued to townships, and the first ``applied_per_range``
    numbers of each issued range applied."""
    from django.db import transaction

    from earmark.accounts.models import Agency, User
    from earmark.eartags.models import Holding, RegisteredRange, Registration, Tag

    counties = list(Region.objects.filter(level=Region.Level.COUNTY).order_by("code"))
    agencies = {a.region_id: a for a in Agency.objects.all()}
    townships: dict[str, list[str]] = {}
    for code in Region.objects.filter(level=Region.Level.TOWNSHIP).values_list("code", flat=True):
        townships.setdefault(code[:6], []).append(code)
    system = User.objects.get(username="bench-county")
    per_county = ranges // len(counties)
    applied = 0
    with transaction.atomic():
        for county in counties:
            registration = Registration.objects.create(
                number=f"DJ{county.code}BENCH",
                county=county,
                source=Registration.Source.IMPORT,
                count=per_county * per_range,
                created_by=system,
            )
            prefix = int(f"1{county.code}") * 10**8
            registered = RegisteredRange.objects.bulk_create(
                [
                    RegisteredRange(
                        registration=registration,
                        species="pig",
                        first=prefix + n * per_range + 1,
                        last=prefix + (n + 1) * per_range,
                        box=f"B{n // 10:04d}",
                        pack=f"{n % 10:02d}",
                        county_code=county.code,
                        printed_county=county.code,
                    )
                    for n in range(per_county)
                ],
                batch_size=2000,
            )
            registered = list(
                RegisteredRange.objects.filter(registration=registration).order_by("first")
            )
            holdings: list[Holding] = []
            tags: list[Tag] = []
            for n, item in enumerate(registered):
                if n % 5 == 4:
                    holdings.append(
                        Holding(
                            first=item.first,
                            last=item.last,
                            species="pig",
                            registered_range=item,
                            county_code=county.code,
                            agency=agencies[county.code],
                        )
                    )
                    continue
                township = townships[county.code][n % len(townships[county.code])]
                holdings.append(
                    Holding(
                        first=item.first + applied_per_range,
                        last=item.last,
                        species="pig",
                        registered_range=item,
                        county_code=county.code,
                        township_code=township,
                        agency=agencies[township],
                    )
                )
                tags.extend(
                    Tag(
                        number=number,
                        species="pig",
                        state=Tag.State.APPLIED,
                        registered_range=item,
                        county_code=county.code,
                        township_code=township,
                    )
                    for number in range(item.first, item.first + applied_per_range)
                )
            Holding.objects.bulk_create(holdings, batch_size=2000)
            Tag.objects.bulk_create(tags, batch_size=5000)
            applied += len(tags)
    return {"ranges": per_county * len(counties), "applied": applied}


def inventory_workbook(
    *, county: str, rows: int, per_row: int = 100, start_serial: int = 90_000_001
) -> bytes:
    """A filled-in inventory sheet of ``rows`` fresh ranges for ``county``."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("库存耳标")
    sheet.append(["畜种", "箱号", "包号", "起始号", "终止号", "数量"])
    prefix = int(f"1{county}") * 10**8
    for n in range(rows):
        first = prefix + start_serial + n * per_row
        sheet.append(
            [
                "猪",
                f"X{n // 10:05d}",
                f"{n % 10:02d}",
                f"{first:015d}",
                f"{first + per_row - 1:015d}",
                per_row,
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
