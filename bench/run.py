"""``make bench``: time the operations whose volumes matter, on a fresh database.

SQLite by default (``var/bench.sqlite3``, rebuilt each run). To measure on PostgreSQL, set
BENCH_DATABASE_URL to a database that the run may drop and create again, e.g.
``postgresql://postgres@127.0.0.1:5432/earmark_bench``.

Prints one row per figure and writes them to ``var/bench.json`` (``--json FILE`` elsewhere):
``{"figures": {name: number}, "units": {name: "s" | "per_s" | "ratio"}, "database": ...}``.
``bench/run.py check_runs_1000 trace_growth`` measures only those figures (and what they need).
Short operations are timed several times and the median kept.
"""

from __future__ import annotations

import argparse
import io
import json
import multiprocessing
import os
import random
import resource
import statistics
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DB = ROOT / "var" / "bench.sqlite3"


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
        # Vaccinators are numbered within their county.
        vaccinator_number=f"{User.objects.count() + 1:02d}" if role == "vaccinator" else None,
    )


# Every figure, its unit and the group of benchmarks that measures it.
UNITS: dict[str, str] = {}
GROUPS: dict[str, Callable[[Figures], None]] = {}
MEMBERS: dict[str, str] = {}


class Figures(dict[str, float]):
    def put(self, name: str, value: float) -> None:
        assert name in UNITS, name
        self[name] = value
        unit = UNITS[name]
        shown = {
            "s": f"{value * 1000:10.1f} ms",
            "per_s": f"{value:10.1f} /s",
            "MB": f"{value:10.1f} MB",
        }.get(unit, f"{value:10.1f} ×")
        print(f"{name:<44} {shown}", flush=True)


def group(name: str, units: dict[str, str]) -> Callable[[Callable[[Figures], None]], Any]:
    def register(function: Callable[[Figures], None]) -> Callable[[Figures], None]:
        GROUPS[name] = function
        UNITS.update(units)
        MEMBERS.update(dict.fromkeys(units, name))
        return function

    return register


def timed(action: Callable[[], Any], repeat: int = 5) -> float:
    """The median duration of ``action`` (once for slow or one-off actions)."""
    durations = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        durations.append(time.perf_counter() - started)
    return statistics.median(durations)


_DATA: dict[str, Any] = {}
# Applied tags (and animals) per registered range of 1,000: 63 make a million in all;
# ``--scale 2`` two million.
APPLIED = [63]


def _once(name: str, make: Callable[[], Any]) -> Any:
    if name not in _DATA:
        started = time.perf_counter()
        _DATA[name] = make()
        print(f"  (data {name}: {_DATA[name]} in {time.perf_counter() - started:.0f} s)")
    return _DATA[name]


def inventory() -> dict[str, int]:
    """Province scale: 20 million registered numbers in 20,000 ranges, 1 million applied."""
    from bench.generate import province_inventory

    _officer("bench-county", "220113", "county_officer")
    return _once("inventory", lambda: province_inventory(applied_per_range=APPLIED[0]))


def movements(stage: str) -> dict[str, Any]:
    from bench.generate import province_movements

    inventory()
    if stage == "rest":
        movements("tenth")
    return _once(
        f"movements-{stage}",
        lambda: province_movements(stage=stage, applied_per_range=APPLIED[0]),
    )


@group(
    "premises_import",
    {
        "premises_import_10000": "s",
        "premises_import_100000": "s",
        "premises_import_100000_rss_growth": "MB",
        "workbook_bomb_refused": "s",
        "workbook_bomb_refused_traced_peak": "MB",
    },
)
def bench_premises_import(figures: Figures) -> None:
    """A county's farms from one workbook (10,000, then 100,000 in another county): reading and
    checking every row, then creating them all; the growth of the process's peak resident memory
    over the larger import. Then a workbook of 3 million cells in under 500 KB (it unpacks to
    about 47 MB), refused before it is read: the median time over 5 tries and the peak of the
    memory Python allocates (tracemalloc) meanwhile."""
    from bench.generate import premises_workbook
    from earmark.core.errors import BusinessError
    from earmark.core.excel import Column, read_rows
    from earmark.core.testing import data_rows, workbook_with_rows
    from earmark.farms.excel import read_workbook
    from earmark.farms.services.imports import premises_import

    for county, rows in (("220113", 10_000), ("220112", 100_000)):
        officer = _officer(f"bench-county-{county}", county, "county_officer")
        content = premises_workbook(county=county, rows=rows)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        created = premises_import(actor=officer, rows=read_workbook(io.BytesIO(content)))
        figures.put(f"premises_import_{rows}", time.perf_counter() - started)
        assert len(created) == rows
        del created
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    figures.put("premises_import_100000_rss_growth", grown / 1024)
    bomb = workbook_with_rows(data_rows(2, 100_000, cells=30)).getvalue()
    columns = [Column("name", "名称", 10, required=True)]

    def refuse() -> None:
        try:
            read_rows(io.BytesIO(bomb), sheet_title="表", columns=columns, max_rows=100_000)
        except BusinessError as refusal:
            assert refusal.code == "file_too_large", refusal.code
        else:
            raise AssertionError("the bomb was read")

    figures.put("workbook_bomb_refused", timed(refuse))
    tracemalloc.start()
    refuse()
    figures.put("workbook_bomb_refused_traced_peak", tracemalloc.get_traced_memory()[1] / 2**20)
    tracemalloc.stop()


@group(
    "check",
    {
        "check_runs_1000": "s",
        "check_scattered_1000": "s",
        "check_random_1000": "s",
        "check_scattered_10000": "s",
        "check_naive_1000": "s",
        "check_scattered_speedup": "ratio",
    },
)
def bench_check(figures: Figures) -> None:
    """The legitimacy check of applied tags against one township's inventory: in runs (the
    township's own), and from its county every other one (each number its own range, the
    neighbours on other animals) and a random sample — those mostly of other townships, which
    the report names at the same cost as a clean answer."""
    from earmark.eartags.models import Holding, RegisteredRange, Tag
    from earmark.eartags.ranges import RangeSet
    from earmark.eartags.selectors import checks

    inventory()
    township = "220113102"
    applied = list(
        Tag.objects.filter(township_code=township)
        .order_by("number")
        .values_list("number", flat=True)
    )
    county = list(
        Tag.objects.filter(county_code="220113").order_by("number").values_list("number", flat=True)
    )
    runs = RangeSet.from_numbers(applied[:1000])
    scattered = RangeSet.from_numbers(county[::2][:1000])
    sample = RangeSet.from_numbers(random.Random(7).sample(county, 1000))
    onward = Tag.objects.filter(number__gte=county[0]).order_by("number")
    wide = RangeSet.from_numbers(list(onward.values_list("number", flat=True)[:20_000])[::2])
    assert len(scattered.ranges) == 1000 and len(wide.ranges) == 10_000

    def check(numbers: RangeSet) -> Callable[[], None]:
        def run() -> None:
            report = checks.tags_check(numbers=numbers, township=township)
            assert sum(s.count for s in report.segments) == numbers.count
            assert numbers is not runs or report.ok, report.segments[:3]

        return run

    figures.put("check_runs_1000", timed(check(runs)))
    figures.put("check_scattered_1000", timed(check(scattered)))
    figures.put("check_random_1000", timed(check(sample)))
    figures.put("check_scattered_10000", timed(check(wide), repeat=3))

    def naive() -> None:
        for number in scattered.expand():
            RegisteredRange.objects.filter(first__lte=number, last__gte=number).first()
            Holding.objects.filter(first__lte=number, last__gte=number).first()
            Tag.objects.filter(number=number).first()

    figures.put("check_naive_1000", timed(naive, repeat=1))
    figures.put(
        "check_scattered_speedup", figures["check_naive_1000"] / figures["check_scattered_1000"]
    )


@group(
    "issue",
    {"issue_10000": "s", "issue_100_from_10000_ranges": "s", "inventory_import_10000": "s"},
)
def bench_issue(figures: Figures) -> None:
    from bench.generate import inventory_workbook, scattered_holder
    from earmark.accounts.models import Agency
    from earmark.eartags.excel import read_workbook
    from earmark.eartags.holders import Holder
    from earmark.eartags.services.issuing import Selection, tags_issue
    from earmark.eartags.services.registration import tags_register

    inventory()
    county = _officer("bench-county", "220113", "county_officer")
    station = Agency.objects.get(region_id="220113103")
    started = time.perf_counter()
    issue = tags_issue(
        actor=county,
        target=Holder(agency=station),
        species="pig",
        selection=Selection(count=10_000),
    )
    figures.put("issue_10000", time.perf_counter() - started)
    assert issue.count == 10_000

    # A station holding 10,000 separate ranges hands 100 numbers to a vaccinator.
    township = _officer("bench-station-200", "220113200", "township_officer")
    # A vaccinator each time: the same count to the same holder within a minute is refused as a
    # repeated submission.
    vaccinators = iter(
        [_officer(f"bench-vaccinator-200-{n}", "220113200", "vaccinator") for n in range(5)]
    )
    scattered_holder(agency=Agency.objects.get(region_id="220113200"), ranges=10_000)

    def hand_over() -> None:
        issue = tags_issue(
            actor=township,
            target=Holder(vaccinator=next(vaccinators)),
            species="pig",
            selection=Selection(count=100),
        )
        assert issue.count == 100

    figures.put("issue_100_from_10000_ranges", timed(hand_over))

    content = inventory_workbook(county="220113", rows=10_000)
    started = time.perf_counter()
    registration = tags_register(actor=county, rows=read_workbook(io.BytesIO(content)))
    figures.put("inventory_import_10000", time.perf_counter() - started)
    assert registration.count == 1_000_000


def _issue_all(vet_id: int, declaration_ids: list[int], gate: Any) -> None:
    """One client: certificates for ``declaration_ids``, one after another, from the moment
    both clients are ready."""
    from django.db import connection

    from earmark.accounts.models import User
    from earmark.quarantine.models import Declaration
    from earmark.quarantine.services.certificates import certificate_issue

    vet = User.objects.get(pk=vet_id)
    declarations = list(Declaration.objects.filter(pk__in=declaration_ids).order_by("pk"))
    gate.wait()
    for declaration in declarations:
        certificate_issue(actor=vet, declaration=declaration)
    connection.close()


@group(
    "quarantine",
    {
        "declaration_runs_1000": "s",
        "declaration_scattered_1000": "s",
        "certificates_per_s": "per_s",
        "certificates_per_s_2_clients": "per_s",
    },
)
def bench_quarantine(figures: Figures) -> None:
    """A 1,000-tag declaration checked (tags in runs, and every other one), and certificates
    issued one after another by one client and by two at once."""
    from datetime import timedelta

    from django.db import connection
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

    inventory()
    county = _officer("bench-county", "220113", "county_officer")
    station_user = _officer("bench-station", "220113102", "township_officer")
    vaccinator = _officer("bench-vaccinator", "220113102", "vaccinator")
    vet = _officer("bench-vet", "220113102", "official_vet")
    station = Agency.objects.get(region_id="220113102")
    tags_issue(
        actor=county, target=Holder(agency=station), species="pig", selection=Selection(count=8_000)
    )
    tags_issue(
        actor=station_user,
        target=Holder(vaccinator=vaccinator),
        species="pig",
        selection=Selection(count=8_000),
    )

    def farm_with(name: str, numbers: RangeSet) -> Any:
        farm = premises_register(
            actor=None,
            data=PremisesData(
                kind="farm",
                name=name,
                township="220113102",
                owner_name="王",
                phone="13900000000",
                address="一村",
                stock={"pig": numbers.count},
            ),
        )
        farm = premises_verify(actor=county, premises=farm)
        immunization_record(
            actor=vaccinator,
            premises=farm,
            session=Session(
                species="pig",
                vaccine=Vaccine.objects.get(name="猪口蹄疫O型灭活疫苗"),
                batch_number="BENCH",
                disinfection="酒精",
                age=35,
                age_unit="days",
                seller="基准测试兽药经营部",
                vaccinated_on=timezone.localdate(),
            ),
            numbers=numbers,
        )
        return farm

    held = RangeSet.of(Holding.objects.filter(vaccinator=vaccinator).values_list("first", "last"))
    numbers = held.take_first(6_000)
    farm = farm_with("基准测试猪场", numbers)
    # A second farm, so that the two clients below issue for different farms (one farm's
    # declarations and certificates take turns, by design).
    other_numbers = held.difference(numbers).take_first(1_000)
    other = farm_with("基准测试猪场二", other_numbers)

    def text(tags: RangeSet) -> str:
        return " ".join(f"{a:015d}-{b:015d}" if a != b else f"{a:015d}" for a, b in tags)

    def data(tags: RangeSet) -> DeclarationData:
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
            numbers=text(tags),
        )

    thousand = numbers.take_first(1_000)
    every_other = RangeSet.from_numbers(list(numbers.expand())[1_000:3_000:2])
    for name, tags in (
        ("declaration_runs_1000", thousand),
        ("declaration_scattered_1000", every_other),
    ):

        def review(tags: RangeSet = tags) -> None:
            result = declaration_review(premises=farm, data=data(tags), now=timezone.now())
            assert result.ok, (result.general, result.fields, result.tags[:3])

        figures.put(name, timed(review))

    def inspected(premises: Any, numbers: RangeSet, count: int) -> list[Any]:
        ready = []
        for _ in range(count):
            tags = numbers.take_first(20)
            numbers = numbers.difference(tags)
            declaration = declaration_submit(premises=premises, data=data(tags))
            declaration_decide(actor=station_user, declaration=declaration, accept=True)
            ready.append(declaration_inspect(actor=vet, declaration=declaration, passed=True))
        return ready

    ready = inspected(farm, numbers.difference(numbers.take_first(3_000)), 100)
    ready += inspected(other, other_numbers, 50)
    from bench.generate import analyze

    analyze()
    started = time.perf_counter()
    for declaration in ready[:50]:
        certificate_issue(actor=vet, declaration=declaration)
    figures.put("certificates_per_s", 50 / (time.perf_counter() - started))

    # Two clients are two processes, as two application workers are: threads of one Python
    # process would take turns on its interpreter lock.
    connection.close()
    context = multiprocessing.get_context("fork")
    gate = context.Barrier(3)
    clients = [
        context.Process(target=_issue_all, args=(vet.pk, [d.pk for d in ready[a : a + 50]], gate))
        for a in (50, 100)
    ]
    for process in clients:
        process.start()
    gate.wait()
    started = time.perf_counter()
    for process in clients:
        process.join()
    assert all(process.exitcode == 0 for process in clients), [p.exitcode for p in clients]
    figures.put("certificates_per_s_2_clients", 100 / (time.perf_counter() - started))


@group(
    "trace",
    {
        "trace_tag_100k": "s",
        "trace_tag_1m": "s",
        "trace_growth": "ratio",
        "trace_forward_hub_3hops": "s",
        "trace_backward_hub_3hops": "s",
        "trace_backward_slaughterhouse_3hops": "s",
    },
)
def bench_trace(figures: Figures) -> None:
    """A year of movements: one tag traced at a tenth of the province's animals and at all of
    them (a million), then a busy farm and a slaughterhouse traced over 12 months, 3 hops."""
    from datetime import timedelta

    from django.utils import timezone

    from earmark.eartags.codes import format_tag
    from earmark.farms.models import Premises
    from earmark.trace.selectors.premises import premises_trace
    from earmark.trace.selectors.traces import tag_trace

    province = _officer("bench-province", "220000", "province_admin")
    first = movements("tenth")
    tag = format_tag(first["tag"])
    trace = tag_trace(user=province, text=tag)
    kinds = {step.kind for step in trace.steps}
    assert {"registered", "application", "immunization", "arrival"} <= kinds, kinds
    figures.put("trace_tag_100k", timed(lambda: tag_trace(user=province, text=tag), repeat=9))
    everything = movements("rest")
    assert len(tag_trace(user=province, text=tag).steps) == len(trace.steps)
    figures.put("trace_tag_1m", timed(lambda: tag_trace(user=province, text=tag), repeat=9))
    figures.put("trace_growth", figures["trace_tag_1m"] / figures["trace_tag_100k"])
    print(f"  ({first['animals'] + everything['animals']:,} animals)")

    until = timezone.now()
    hub = Premises.objects.get(code=first["hub"])
    slaughterhouse = Premises.objects.get(qr_token="bench-slaughter-220113")
    for name, premises, direction in (
        ("trace_forward_hub_3hops", hub, "forward"),
        ("trace_backward_hub_3hops", hub, "backward"),
        ("trace_backward_slaughterhouse_3hops", slaughterhouse, "backward"),
    ):

        def run(premises: Any = premises, direction: str = direction) -> Any:
            return premises_trace(
                premises=premises,
                direction=direction,
                since=until - timedelta(days=365),
                until=until,
                hops=3,
            )

        found = run()
        print(
            f"  ({name}: {len(found.nodes):,} premises, {len(found.links):,} links, "
            f"{found.animals:,} animals moved)"
        )
        figures.put(name, timed(run))


@group("exchange", {"outbox_per_s": "per_s"})
def bench_exchange(figures: Figures) -> None:
    """The outbox drained to the platform simulator over HTTP, batches of 100."""
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
    figures.put("outbox_per_s", delivered / seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="figures or groups to measure (default: all)")
    parser.add_argument("--json", type=Path, default=ROOT / "var" / "bench.json")
    parser.add_argument(
        "--scale", type=int, default=1, help="millions of applied tags and animals (default 1)"
    )
    arguments = parser.parse_args()
    unknown = [n for n in arguments.names if n not in UNITS and n not in GROUPS]
    if unknown:
        parser.error(f"unknown figures: {', '.join(unknown)}; known: {', '.join(UNITS)}")
    wanted = {MEMBERS.get(n, n) for n in arguments.names} or set(GROUPS)
    APPLIED[0] = 63 * arguments.scale
    database = _setup()
    print(f"database: {database}")
    figures = Figures()
    for name, benchmark in GROUPS.items():
        if name in wanted:
            benchmark(figures)
    chosen = [n for n in UNITS if n in figures]
    arguments.json.parent.mkdir(parents=True, exist_ok=True)
    arguments.json.write_text(
        json.dumps(
            {
                "database": database,
                "scale": arguments.scale,
                "figures": {n: round(figures[n], 6) for n in chosen},
                "units": {n: UNITS[n] for n in chosen},
            },
            indent=2,
        )
        + "\n"
    )
    print(f"written to {arguments.json}")


if __name__ == "__main__":
    main()
