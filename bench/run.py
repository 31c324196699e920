"""``make bench``: time the operations whose volumes matter, on a fresh database.

SQLite by default (``var/bench.sqlite3``, rebuilt each run). To measure on PostgreSQL, set
BENCH_DATABASE_URL to a database that the run may drop and create again, e.g.
``postgresql://postgres@127.0.0.1:5432/earmark_bench``. Prints one table row per benchmark.
"""

from __future__ import annotations

import io
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DB = ROOT / "var" / "bench.sqlite3"
Result = tuple[str, int, float]


def _setup() -> str:
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        _recreate_postgres(url)
    else:
        BENCH_DB.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{BENCH_DB}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{BENCH_DB}"
    os.environ["DATABASE_URL"] = url
    key = ROOT / "var" / "bench-keys" / "certificate-signing.pem"
    os.environ["EARMARK_SIGNING_KEY"] = str(key)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "earmark.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_regions", stdout=io.StringIO())
    call_command("certificate_keys", "--if-missing", stdout=io.StringIO())
    from django.utils import timezone

    from earmark.regions.models import Region
    from earmark.rollout.models import CountyRollout

    now = timezone.now()
    counties = Region.objects.filter(level=Region.Level.COUNTY)
    CountyRollout.objects.bulk_create(
        CountyRollout(county=county, requested_at=now) for county in counties
    )
    counties.update(enabled_at=now)
    return url.split(":", 1)[0]


def _recreate_postgres(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1].split("?")[0]
    maintenance = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _officer(username: str, region: str, role: str) -> Any:
    from earmark.accounts.models import Agency, User
    from earmark.accounts.services import agencies_seed, user_create

    agencies_seed(actor=None)
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        return existing
    return user_create(
        actor=None,
        agency=Agency.objects.get(region_id=region),
        username=username,
        password="bench-password-1",
        roles=[role],
        vaccinator_number="01" if role == "vaccinator" else None,
    )


def bench_premises_import() -> list[Result]:
    from bench.generate import premises_workbook
    from earmark.farms.excel import read_workbook
    from earmark.farms.services.imports import premises_import

    officer = _officer("bench-county", "220113", "county_officer")
    content = premises_workbook(county="220113", rows=10_000)
    started = time.perf_counter()
    rows = read_workbook(io.BytesIO(content))
    created = premises_import(actor=officer, rows=rows)
    elapsed = time.perf_counter() - started
    assert len(created) == 10_000
    return [("import of a 10,000-row premises workbook", 10_000, elapsed)]


def bench_tags() -> list[Result]:
    """Province scale: 20 million registered numbers in 20,000 ranges, 1 million applied."""
    from bench.generate import inventory_workbook, province_inventory
    from earmark.accounts.models import Agency
    from earmark.eartags.excel import read_workbook
    from earmark.eartags.holders import Holder
    from earmark.eartags.models import Holding, RegisteredRange, Tag
    from earmark.eartags.ranges import RangeSet
    from earmark.eartags.selectors import checks
    from earmark.eartags.services.issuing import Selection, tags_issue
    from earmark.eartags.services.registration import tags_register

    county = _officer("bench-county", "220113", "county_officer")
    started = time.perf_counter()
    sizes = province_inventory()
    print(
        f"  (generated {sizes['ranges']:,} ranges and {sizes['applied']:,} applied tags "
        f"in {time.perf_counter() - started:.0f} s)"
    )
    results: list[Result] = []

    township = "220113102"
    applied = list(
        Tag.objects.filter(township_code=township)
        .order_by("number")
        .values_list("number", flat=True)[:1000]
    )
    numbers = RangeSet.from_numbers(applied)
    started = time.perf_counter()
    report = checks.tags_check(numbers=numbers, township=township)
    fast = time.perf_counter() - started
    assert report.ok, [s.problems for s in report.segments if s.problems][:3]
    results.append(("legitimacy check of 1,000 numbers", 1_000, fast))

    started = time.perf_counter()
    for number in applied:
        RegisteredRange.objects.filter(first__lte=number, last__gte=number).first()
        Holding.objects.filter(first__lte=number, last__gte=number).first()
        Tag.objects.filter(number=number).first()
    naive = time.perf_counter() - started
    results.append(("  the same, naively one number at a time", 1_000, naive))
    print(f"  (naive check / range check: {naive / fast:.1f}×)")

    station = Agency.objects.get(region_id="220113103")
    started = time.perf_counter()
    issue = tags_issue(
        actor=county,
        target=Holder(agency=station),
        species="pig",
        selection=Selection(count=10_000),
    )
    results.append(("issue of 10,000 numbers", issue.count, time.perf_counter() - started))

    content = inventory_workbook(county="220113", rows=10_000)
    started = time.perf_counter()
    registration = tags_register(actor=county, rows=read_workbook(io.BytesIO(content)))
    results.append(
        ("import of a 10,000-row inventory sheet", 10_000, time.perf_counter() - started)
    )
    assert registration.count == 1_000_000
    return results


def bench_quarantine() -> list[Result]:
    """A 1,000-tag declaration checked, and certificates issued one after another."""
    from datetime import timedelta

    from django.utils import timezone

    from earmark.accounts.models import Agency
    from earmark.eartags.holders import Holder
    from earmark.eartags.models import Holding
    from earmark.eartags.ranges import RangeSet
    from earmark.eartags.services.issuing import Selection, tags_issue
    from earmark.farms.services.changes import premises_verify
    from earmark.farms.services.registration import PremisesData, premises_register
    from earmark.immunization.models import Vaccine
    from earmark.immunization.services.records import Session, immunization_record
    from earmark.quarantine.services.certificates import certificate_issue
    from earmark.quarantine.services.declarations import (
        declaration_decide,
        declaration_inspect,
        declaration_submit,
    )
    from earmark.quarantine.services.review import DeclarationData, declaration_review

    county = _officer("bench-county", "220113", "county_officer")
    station_user = _officer("bench-station", "220113102", "township_officer")
    vaccinator = _officer("bench-vaccinator", "220113102", "vaccinator")
    vet = _officer("bench-vet", "220113102", "official_vet")
    station = Agency.objects.get(region_id="220113102")
    county_tags = Holding.objects.filter(agency__region_id="220113", state="available").count()
    assert county_tags, "run after the tag benchmark"
    tags_issue(
        actor=county, target=Holder(agency=station), species="pig", selection=Selection(count=3_000)
    )
    tags_issue(
        actor=station_user,
        target=Holder(vaccinator=vaccinator),
        species="pig",
        selection=Selection(count=3_000),
    )
    farm = premises_register(
        actor=None,
        data=PremisesData(
            kind="farm",
            name="基准测试猪场",
            township="220113102",
            owner_name="王",
            phone="13900000000",
            address="一村",
            stock={"pig": 3_000},
        ),
    )
    farm = premises_verify(actor=county, premises=farm)
    held = RangeSet.of(Holding.objects.filter(vaccinator=vaccinator).values_list("first", "last"))
    numbers = held.take_first(2_000)
    immunization_record(
        actor=vaccinator,
        premises=farm,
        session=Session(
            species="pig",
            vaccine=Vaccine.objects.get(name="猪口蹄疫O型灭活疫苗"),
            batch_number="BENCH",
            vaccinated_on=timezone.localdate(),
        ),
        numbers=numbers,
    )
    thousand = numbers.take_first(1_000)
    text = " ".join(f"{a:015d}-{b:015d}" for a, b in thousand)

    def data(tags: RangeSet, text: str) -> DeclarationData:
        return DeclarationData(
            species="pig",
            quantity=tags.count,
            purpose="slaughter",
            destination_province="220000",
            destination_region="220113001",
            destination_address="屠宰场",
            planned_departure=timezone.now() + timedelta(hours=12),
            carrier_name="赵",
            carrier_phone="13700000000",
            vehicle_plate="吉A12345",
            numbers=text,
        )

    started = time.perf_counter()
    review = declaration_review(premises=farm, data=data(thousand, text), now=timezone.now())
    checked = time.perf_counter() - started
    assert review.ok, (review.general, review.fields, review.tags[:3])
    results: list[Result] = [("check of a 1,000-tag declaration", 1_000, checked)]

    remaining = numbers.difference(thousand)
    ready = []
    for _ in range(50):
        tags = remaining.take_first(20)
        remaining = remaining.difference(tags)
        tag_text = " ".join(f"{a:015d}-{b:015d}" for a, b in tags)
        declaration = declaration_submit(premises=farm, data=data(tags, tag_text))
        declaration_decide(actor=station_user, declaration=declaration, accept=True)
        ready.append(declaration_inspect(actor=vet, declaration=declaration, passed=True))
    started = time.perf_counter()
    for declaration in ready:
        certificate_issue(actor=vet, declaration=declaration)
    results.append(
        ("certificates issued (20 tags each)", len(ready), time.perf_counter() - started)
    )
    return results


def bench_trace() -> list[Result]:
    """A year of movements among a million animals: one tag traced, and a busy farm traced
    forward and backward over 12 months and 3 hops."""
    from datetime import timedelta

    from django.utils import timezone

    from bench.generate import province_movements
    from earmark.eartags.codes import format_tag
    from earmark.farms.models import Premises
    from earmark.trace.selectors.premises import premises_trace
    from earmark.trace.selectors.traces import tag_trace

    province = _officer("bench-province", "220000", "province_admin")
    started = time.perf_counter()
    sizes = province_movements()
    print(
        f"  (generated {sizes['animals']:,} animals on {sizes['premises']:,} premises, "
        f"{sizes['certificates']:,} certificates received and {sizes['events']:,} tag events "
        f"in {time.perf_counter() - started:.0f} s)"
    )
    results: list[Result] = []
    started = time.perf_counter()
    trace = tag_trace(user=province, text=format_tag(sizes["tag"]))
    results.append(("trace of one tag", len(trace.steps), time.perf_counter() - started))
    kinds = {step.kind for step in trace.steps}
    assert {"registered", "application", "immunization", "arrival"} <= kinds, kinds

    hub = Premises.objects.get(code=sizes["hub"])
    until = timezone.now()
    for direction in ("forward", "backward"):
        started = time.perf_counter()
        found = premises_trace(
            premises=hub,
            direction=direction,
            since=until - timedelta(days=365),
            until=until,
            hops=3,
        )
        seconds = time.perf_counter() - started
        print(
            f"  ({direction}: {len(found.nodes):,} premises, {len(found.links):,} links, "
            f"{found.animals:,} animals moved)"
        )
        results.append((f"{direction} trace of a busy farm, 12 months, 3 hops", 1, seconds))
    return results


def bench_exchange() -> list[Result]:
    """The outbox drained to the platform simulator over HTTP, batches of 100."""
    import threading

    from django.conf import settings
    from django.db import transaction

    from earmark.audit.models import OutboxEvent
    from earmark.audit.outbox import outbox_emit_many
    from earmark.exchange.simulator import Platform, serve
    from earmark.exchange.worker import run

    OutboxEvent.objects.all().delete()
    with transaction.atomic():
        outbox_emit_many(
            [
                ("tags.applied", f"tags:{220100 + n % 60}", {"first": n, "last": n, "count": 1})
                for n in range(10_000)
            ]
        )
    platform = Platform()
    server = serve(platform, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.EARMARK_NATIONAL_URL = f"http://127.0.0.1:{server.server_port}"
    settings.EARMARK_EXCHANGE_BATCH = 100
    started = time.perf_counter()
    delivered = run(once=True)
    seconds = time.perf_counter() - started
    server.shutdown()
    assert delivered == 10_000 == len(platform.events), (delivered, len(platform.events))
    return [("outbox events delivered (batches of 100)", delivered, seconds)]


BENCHMARKS: list[Callable[[], list[Result]]] = [
    bench_premises_import,
    bench_tags,
    bench_quarantine,
    bench_trace,
    bench_exchange,
]


def main() -> None:
    only = set(sys.argv[1:])
    database = _setup()
    print(f"database: {database}")
    print(f"{'benchmark':<48} {'items':>8} {'seconds':>9} {'items/s':>9}")
    for benchmark in BENCHMARKS:
        # ``bench/run.py exchange premises_import`` runs those alone (trace needs tags first).
        if only and benchmark.__name__.removeprefix("bench_") not in only:
            continue
        for name, items, seconds in benchmark():
            print(f"{name:<48} {items:>8} {seconds:>9.3f} {items / seconds:>9.0f}", flush=True)


if __name__ == "__main__":
    main()
