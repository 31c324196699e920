"""Generators of realistic volumes for the benchmarks."""

from __future__ import annotations

import io
import random
from datetime import datetime, timedelta
from typing import Any

from django.db import models
from openpyxl import Workbook

from earmark.farms.excel import columns
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
    # Written by column, as the template's headers say (they read the sheet by header too).
    template = columns()
    sheet.append([str(column.label) for column in template])
    for n in range(rows):
        name, code = townships[n % len(townships)]
        owner = rng.choice(SURNAMES) + rng.choice("国建春秋海山立新玉凤")
        household = n % 3 != 0
        values = {
            "kind": "养殖户" if household else "规模养殖场",
            "name": f"{owner}养殖{'户' if household else '场'}{n:06d}",
            "owner_name": owner,
            "phone": f"139{n:08d}",
            "township": f"{name} {code}",
            "address": f"{name}第{n % 40 + 1}村",
            "stock.pig": rng.randint(1, 2000) if n % 2 == 0 else None,
            "stock.cattle": rng.randint(1, 300) if n % 5 == 0 else None,
            "stock.sheep": rng.randint(1, 800) if n % 7 == 0 else None,
        }
        sheet.append([values.get(column.key) for column in template])
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
    analyze()
    return {"ranges": per_county * len(counties), "applied": applied}


def scattered_holder(*, agency: Any, ranges: int, per_range: int = 10) -> None:
    """``agency`` (a township station) holds ``ranges`` separate short ranges of its county's
    numbers, as a station does after years of issues and returns."""
    from django.db import transaction

    from earmark.accounts.models import User
    from earmark.eartags.models import Holding, RegisteredRange, Registration

    county = agency.region_id[:6]
    prefix = int(f"1{county}") * 10**8 + 93_000_001
    with transaction.atomic():
        registration = Registration.objects.create(
            number=f"DJ{county}SCATTER",
            county_id=county,
            source=Registration.Source.IMPORT,
            count=ranges * per_range,
            created_by=User.objects.get(username="bench-county"),
        )
        RegisteredRange.objects.bulk_create(
            [
                RegisteredRange(
                    registration=registration,
                    species="pig",
                    first=prefix + n * 2 * per_range,
                    last=prefix + n * 2 * per_range + per_range - 1,
                    county_code=county,
                    printed_county=county,
                )
                for n in range(ranges)
            ],
            batch_size=2000,
        )
        Holding.objects.bulk_create(
            [
                Holding(
                    first=item.first,
                    last=item.last,
                    species="pig",
                    registered_range=item,
                    county_code=county,
                    township_code=agency.region_id,
                    agency=agency,
                )
                for item in RegisteredRange.objects.filter(registration=registration)
            ],
            batch_size=2000,
        )
    analyze()


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


_BLOCKS: list[tuple[str, str, int, int]] = []


def province_movements(
    *,
    stage: str,
    applied_per_range: int = 63,
    certificates_per_farm: int = 3,
    hub_suppliers: int = 300,
    hub_shipments: int = 100,
) -> dict[str, Any]:
    """A year of animals and movements on top of ``province_inventory``: every block of applied
    tags is a farm whose animals carry them (one animal per tag, vaccinated once), each farm
    ships ``certificates_per_farm`` certificates to its county's slaughterhouse or to a farm of
    its city. Tag events follow each range through its life.

    Generated in two stages so that one run measures how a trace grows with the data:
    ``stage="tenth"`` writes every tenth block (a tenth of the province, spread over every
    county) and one busy farm in 长春 that buys from ``hub_suppliers`` farms and sells
    ``hub_shipments`` lots on; ``stage="rest"`` writes the other nine tenths. Returns the sizes,
    the busy farm's code and a tag that travelled (both from the first stage)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from earmark.accounts.models import User
    from earmark.eartags.models import Holding, RegisteredRange, TagEvent
    from earmark.farms.models import Premises
    from earmark.immunization.models import (
        Animal,
        AnimalTag,
        ImmunizationRecord,
        ImmunizedAnimal,
        Vaccine,
    )
    from earmark.movements.models import Receipt
    from earmark.quarantine.models import (
        Certificate,
        CertificateRange,
        Declaration,
        DeclaredRange,
    )

    assert stage in ("tenth", "rest"), stage
    rng = random.Random(29 if stage == "tenth" else 31)
    system = User.objects.get(username="bench-county")
    vaccine = Vaccine.objects.get(name="猪口蹄疫O型灭活疫苗")
    now = timezone.now()
    # The blocks as the inventory made them: read once, before other benchmarks issue and
    # apply some of the numbers after them.
    every = _BLOCKS or list(
        Holding.objects.exclude(township_code="")
        .filter(
            registered_range__registration__number__endswith="BENCH",
            first=models.F("registered_range__first") + applied_per_range,
        )
        .order_by("first")
        .values_list("township_code", "county_code", "first", "registered_range__first")
    )
    _BLOCKS[:] = every
    # (global index, township, county, holding first, registered first)
    blocks = [(n, *block) for n, block in enumerate(every) if (n % 10 == 0) == (stage == "tenth")]
    with transaction.atomic():
        Premises.objects.bulk_create(
            [
                Premises(
                    code=f"{county}{900_000 + n:06d}",
                    kind=Premises.Kind.FARM,
                    name=f"基准养殖场{n:05d}",
                    owner_name="基准",
                    township_id=township,
                    county_code=county,
                    status=Premises.Status.VERIFIED,
                    qr_token=f"bench-farm-{n}",
                )
                for n, township, county, _, _ in blocks
            ],
            batch_size=2000,
        )
        if stage == "tenth":
            counties = sorted({county for _, county, _, _ in every})
            Premises.objects.bulk_create(
                [
                    Premises(
                        code=f"{county}{990_000:06d}",
                        kind=Premises.Kind.SLAUGHTERHOUSE,
                        name=f"基准屠宰场{county}",
                        township_id=next(t for _, t, c, _, _ in blocks if c == county),
                        county_code=county,
                        status=Premises.Status.VERIFIED,
                        qr_token=f"bench-slaughter-{county}",
                    )
                    for county in counties
                ]
            )
        slaughterhouses = {
            p.county_code: p
            for p in Premises.objects.filter(qr_token__startswith="bench-slaughter-")
        }
        by_token = {
            p.qr_token: p
            for p in Premises.objects.filter(qr_token__in=[f"bench-farm-{n}" for n, *_ in blocks])
        }
        farms = [by_token[f"bench-farm-{n}"] for n, *_ in blocks]
        # Each block of applied numbers: [registered first, holding first - 1].
        ranges = [(start, first - 1) for _, _, _, first, start in blocks]
        next_animal = (Animal.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        animals: list[Animal] = []
        applications: list[AnimalTag] = []
        immunized: list[ImmunizedAnimal] = []
        vaccinated_on = (now - timedelta(days=400)).date()
        vaccinated_at = now - timedelta(days=400)
        ImmunizationRecord.objects.bulk_create(
            [
                ImmunizationRecord(
                    number=f"MYBENCH{n:08d}",
                    premises=farm,
                    county_code=farm.county_code,
                    township_code=farm.township_id,
                    owner_name="基准",
                    species="pig",
                    vaccinated_on=vaccinated_on,
                    vaccinated_at=vaccinated_at,
                    vaccine=vaccine,
                    batch_number="BENCH",
                    manufacturer="基准",
                    age=35,
                    age_unit="days",
                    seller="基准",
                    protection_days=vaccine.protection_days,
                    count=last - first + 1,
                    vaccinator=system,
                    vaccinator_number="01",
                )
                for (n, *_), farm, (first, last) in zip(blocks, farms, ranges, strict=True)
            ],
            batch_size=2000,
        )
        by_number = {
            r.number: r
            for r in ImmunizationRecord.objects.filter(
                number__in=[f"MYBENCH{n:08d}" for n, *_ in blocks]
            )
        }
        records = [by_number[f"MYBENCH{n:08d}"] for n, *_ in blocks]
        for farm, record, (first, last) in zip(farms, records, ranges, strict=True):
            for number in range(first, last + 1):
                animal_id = next_animal
                next_animal += 1
                animals.append(
                    Animal(id=animal_id, species="pig", premises=farm, county_code=farm.county_code)
                )
                applications.append(
                    AnimalTag(
                        tag_id=number,
                        animal_id=animal_id,
                        ear=AnimalTag.Ear.LEFT,
                        reason=AnimalTag.Reason.FIRST,
                        source_holder=f"premises:{farm.code}",
                        applied_on=vaccinated_on,
                        applied_at=vaccinated_at,
                        applied_by=system,
                    )
                )
                immunized.append(ImmunizedAnimal(record=record, animal_id=animal_id))
        Animal.objects.bulk_create(animals, batch_size=10_000)
        AnimalTag.objects.bulk_create(applications, batch_size=10_000)
        ImmunizedAnimal.objects.bulk_create(immunized, batch_size=10_000)
        _sequences_reset(connection, [Animal])
        # The registration events of this stage's blocks; the last stage also takes those of
        # the ranges no farm uses (the county's own stock).
        starts = {start for _, _, _, _, start in blocks}
        in_blocks = {start for _, _, _, start in every}
        events = [
            TagEvent(
                first=r.first,
                last=r.last,
                kind=TagEvent.Kind.REGISTERED,
                species="pig",
                county_code=r.county_code,
                document_type="registration",
                document_id=f"DJ{r.county_code}BENCH",
                actor=system,
            )
            for r in RegisteredRange.objects.filter(
                registration__number__endswith="BENCH"
            ).iterator()
            if r.first in starts or (stage == "rest" and r.first not in in_blocks)
        ]
        for farm, (first, last) in zip(farms, ranges, strict=True):
            events.append(
                TagEvent(
                    first=first,
                    last=last,
                    kind=TagEvent.Kind.APPLIED,
                    species="pig",
                    county_code=farm.county_code,
                    township_code=farm.township_id,
                    holder=farm.name,
                    actor=system,
                )
            )
        # Lots: (origin, destination, numbers, issued at).
        by_city: dict[str, list[int]] = {}
        for index, farm in enumerate(farms):
            by_city.setdefault(farm.county_code[:4], []).append(index)
        lots: list[tuple[Premises, Premises, tuple[int, int], datetime]] = []
        for farm, (first, last) in zip(farms, ranges, strict=True):
            size = (last - first + 1) // certificates_per_farm
            for k in range(certificates_per_farm):
                if rng.random() < 0.6:
                    destination = slaughterhouses[farm.county_code]
                else:
                    destination = farms[rng.choice(by_city[farm.county_code[:4]])]
                    if destination.pk == farm.pk:
                        destination = slaughterhouses[farm.county_code]
                numbers = (first + k * size, first + (k + 1) * size - 1)
                moment = now - timedelta(days=rng.uniform(1, 364))
                lots.append((farm, destination, numbers, moment))
        hub: Premises | None = None
        if stage == "tenth":
            hub = next(f for f in farms if f.county_code == "220113")
            city = [i for i in by_city["2201"] if farms[i].pk != hub.pk]
            bought = []
            for index in rng.sample(city, min(hub_suppliers, len(city))):
                # The suppliers sell the last animals of their block: the lots above end
                # below it (a block's size need not divide by certificates_per_farm).
                last = ranges[index][1]
                moment = now - timedelta(days=rng.uniform(200, 364))
                lots.append((farms[index], hub, (last - 1, last), moment))
                bought.append(last - 1)
            for index in range(hub_shipments):
                first = bought[index % len(bought)]
                destination = farms[rng.choice(by_city["2201"])]
                moment = now - timedelta(days=rng.uniform(100, 199))
                lots.append((hub, destination, (first, first), moment))
        offset = Declaration.objects.filter(number__startswith="SBBENCH").count()
        Declaration.objects.bulk_create(
            [
                Declaration(
                    number=f"SBBENCH{offset + n:08d}",
                    premises=origin,
                    county_code=origin.county_code,
                    township_code=origin.township_id,
                    species="pig",
                    quantity=last - first + 1,
                    purpose=Declaration.Purpose.SLAUGHTER
                    if destination.kind == Premises.Kind.SLAUGHTERHOUSE
                    else Declaration.Purpose.RAISING,
                    destination_province="220000",
                    destination_premises=destination,
                    planned_departure=moment,
                    carrier_name="基准",
                    carrier_phone="13700000000",
                    vehicle_plate="吉A12345",
                    channel=Declaration.Channel.FARM,
                    status=Declaration.Status.CERTIFIED,
                )
                for n, (origin, destination, (first, last), moment) in enumerate(lots)
            ],
            batch_size=2000,
        )
        declarations = list(
            Declaration.objects.filter(number__startswith="SBBENCH").order_by("id")[offset:]
        )
        DeclaredRange.objects.bulk_create(
            [
                DeclaredRange(declaration=d, first=first, last=last)
                for d, (_, _, (first, last), _) in zip(declarations, lots, strict=True)
            ],
            batch_size=5000,
        )
        Certificate.objects.bulk_create(
            [
                Certificate(
                    number=f"9{offset + n:011d}",
                    kind=Certificate.Kind.B,
                    declaration=d,
                    premises=origin,
                    county_code=origin.county_code,
                    township_code=origin.township_id,
                    species="pig",
                    quantity=last - first + 1,
                    purpose=d.purpose,
                    owner_name="基准",
                    owner_phone="13700000000",
                    origin=origin.name,
                    destination_province="220000",
                    destination=destination.name,
                    destination_premises=destination,
                    carrier_name="基准",
                    carrier_phone="13700000000",
                    vehicle_plate="吉A12345",
                    valid_from=moment.date(),
                    valid_until=moment.date() + timedelta(days=2),
                    status=Certificate.Status.USED,
                    issued_by=system,
                    issued_at=moment,
                    payload="",
                )
                for n, (d, (origin, destination, (first, last), moment)) in enumerate(
                    zip(declarations, lots, strict=True)
                )
            ],
            batch_size=2000,
        )
        certificates = list(
            Certificate.objects.filter(number__startswith="9").order_by("id")[offset:]
        )
        CertificateRange.objects.bulk_create(
            [
                CertificateRange(certificate=c, first=first, last=last)
                for c, (_, _, (first, last), _) in zip(certificates, lots, strict=True)
            ],
            batch_size=5000,
        )
        Receipt.objects.bulk_create(
            [
                Receipt(
                    certificate=c,
                    kind=Receipt.Kind.SLAUGHTER
                    if destination.kind == Premises.Kind.SLAUGHTERHOUSE
                    else Receipt.Kind.ARRIVAL,
                    premises=destination,
                    county_code=destination.county_code,
                    township_code=destination.township_id,
                    arrived_at=moment + timedelta(hours=8),
                    received=[[first, last]],
                    passed=True if destination.kind == Premises.Kind.SLAUGHTERHOUSE else None,
                    recorded_by=system,
                )
                for c, (_, destination, (first, last), moment) in zip(
                    certificates, lots, strict=True
                )
            ],
            batch_size=2000,
        )
        for c, (origin, destination, (first, last), _) in zip(certificates, lots, strict=True):
            for kind, holder in (
                (TagEvent.Kind.CERTIFIED, origin.name),
                (TagEvent.Kind.ARRIVED, destination.name),
            ):
                events.append(
                    TagEvent(
                        first=first,
                        last=last,
                        kind=kind,
                        species="pig",
                        county_code=destination.county_code,
                        township_code=destination.township_id,
                        holder=holder,
                        document_type="certificate",
                        document_id=c.number,
                        actor=system,
                    )
                )
        TagEvent.objects.bulk_create(events, batch_size=5000)
    analyze()
    return {
        "animals": len(animals),
        "premises": len(farms),
        "certificates": len(certificates),
        "events": len(events),
        "hub": hub.code if hub else "",
        "tag": lots[-1][2][0] if hub else 0,
    }


def analyze() -> None:
    """Refresh the planner's statistics after a bulk load (autovacuum may be off)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _sequences_reset(connection: Any, models_: list[type]) -> None:
    """After rows written with explicit keys, let PostgreSQL's sequences continue past them."""
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), models_)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
