"""``make two-provinces``: Jilin and Heilongjiang, two running Earmarks, meet through one national
platform (#30).

It starts the platform simulator (taking events only with its token) and two instances on free
loopback ports, each with its own database (SQLite files, or PostgreSQL databases with
``--database postgresql://…``), signing key, ``EARMARK_PROVINCE_CODE`` and demo (``seed_demo
--no-partner``), and drives the real API as the people of both provinces would:

1. the key ceremony: each administrator reads his province's fingerprint and pins the other's
   (a mistyped fingerprint first, refused);
2. Jilin issues a type A certificate the normal way (vaccinated and tagged pigs, declared,
   accepted, inspected, certified); Heilongjiang reads it, checks it at a checkpoint (API and
   page), refuses a forged and a wrongly keyed copy, receives the pigs with one tag that does
   not match — which alerts Jilin's origin county across the border — and traces a tag;
3. the same the other way; and a second Heilongjiang certificate is revoked after Jilin has
   read it: Jilin's checkpoint then reads it as revoked and its destination cannot receive it;
4. Jilin pigs for slaughter inspected at Heilongjiang's slaughterhouse: the tags recovered
   there, and in Jilin's records once the platform has told it;
5. an investigation in Heilongjiang from a tag Jilin certified asks Jilin, which alerts its
   origin county and answers with the farms the pigs passed.

Each worker round is ``earmark exchange_worker --once``. It prints what was checked, received and
refused on each side, writes it as JSON with ``--json FILE``, and exits 1 if anything went
otherwise than a province would expect.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PASSWORD = "demo-pass-2026"  # noqa: S105 - the demo's public password
USERS = (
    "demo-province",
    "demo-county",
    "demo-township",
    "demo-vet",
    "demo-vaccinator",
    "demo-checkpoint",
    "demo-destination",
)


TOKENS = f"""
import json
from earmark.accounts.models import User
from earmark.accounts.tokens import token_create
users = User.objects.filter(username__in={USERS!r})
print(json.dumps({{u.username: token_create(actor=None, user=u, name="2p")[1] for u in users}}))
"""


STATUSES = {"waiting": "待处理", "taken": "密钥确认后已接收", "dropped": "已丢弃"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Failed(Exception):
    pass


@dataclass
class Answer:
    status: int
    body: Any

    def expect(self, status: int, what: str) -> Any:
        if self.status != status:
            raise Failed(f"{what}: HTTP {self.status}, expected {status}: {self.body}")
        return self.body


@dataclass
class Instance:
    label: str
    province: str
    home: Path
    database: str
    platform: str
    token: str
    port: int = field(default_factory=free_port)
    tokens: dict[str, str] = field(default_factory=dict)
    server: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DATABASE_URL": self.database,
            "EARMARK_VAR_DIR": str(self.home),
            "EARMARK_PROVINCE_CODE": self.province,
            "EARMARK_PUBLIC_URL": self.url,
            "EARMARK_NATIONAL_URL": self.platform,
            "EARMARK_NATIONAL_TOKEN": self.token,
            "EARMARK_EXCHANGE_BACKOFF": "0",
            # Pigs cross today: no notice in this run (a province's setting), so that they can
            # be received before the run ends.
            "EARMARK_ADVANCE_NOTICE_HOURS": '{"raising": 0, "slaughter": 0}',
            "EARMARK_FONT_DIR": os.environ.get("EARMARK_FONT_DIR", str(ROOT / "var" / "fonts")),
            "DEBUG": "0",
            "LOG_LEVEL": "ERROR",
        }

    def earmark(self, *args: str) -> str:
        done = subprocess.run(  # noqa: S603
            [str(BIN / "earmark"), *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if done.returncode:
            raise Failed(f"{self.label}: earmark {' '.join(args)}: {done.stderr[-2000:]}")
        return done.stdout

    def setup(self) -> subprocess.Popen[bytes]:
        """Migrate, load the province's divisions, make its key, seed its demo: in the
        background (both provinces at once)."""
        steps = " && ".join(
            f"{BIN / 'earmark'} {step}"
            for step in (
                "migrate -v0",
                "load_regions",
                "certificate_keys --if-missing",
                "seed_demo --no-partner",
            )
        )
        return subprocess.Popen(  # noqa: S603
            ["/bin/sh", "-c", steps],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=(self.home / "setup.log").open("wb"),
        )

    def serve(self) -> None:
        # Each person's API token, made by the accounts service in one process.
        made = self.earmark("shell", "-c", TOKENS)
        self.tokens = json.loads(made.strip().splitlines()[-1])
        self.server = subprocess.Popen(  # noqa: S603
            [
                str(BIN / "gunicorn"),
                "earmark.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--timeout",
                "120",
            ],
            env=self.env,
            cwd=ROOT,
            stderr=(self.home / "server.log").open("wb"),
        )
        wait_for(f"{self.url}/api/v1/openapi.json")

    def stop(self) -> None:
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=30)

    def exchange(self) -> None:
        """One round of the worker: deliver the outbox, then read from the platform."""
        self.earmark("exchange_worker", "--once")

    def api(self, user: str, method: str, path: str, body: Any = None) -> Answer:
        request = urllib.request.Request(  # noqa: S310 - our own instance
            f"{self.url}/api/v1{urllib.parse.quote(path, safe='/?=&')}",
            data=None if body is None else json.dumps(body, ensure_ascii=False).encode(),
            method=method,
            headers={
                "Authorization": f"Bearer {self.tokens[user]}",
                "Content-Type": "application/json",
                "Accept-Language": "zh-hans",
                **({"Idempotency-Key": secrets.token_hex(16)} if method == "POST" else {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as answer:  # noqa: S310
                return Answer(answer.status, json.loads(answer.read() or b"null"))
        except urllib.error.HTTPError as error:
            return Answer(error.code, json.loads(error.read() or b"null"))

    def page(self, user: str) -> Browser:
        browser = Browser(self.url)
        browser.sign_in(user)
        return browser


class Browser:
    """A person at a page: signed in, with cookies, posting forms with their hidden keys."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> str:
        with self.opener.open(f"{self.base}{path}", timeout=120) as answer:
            return str(answer.read().decode())

    def post(self, path: str, fields: dict[str, str]) -> str:
        form = self.get(path)
        hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
        request = urllib.request.Request(  # noqa: S310 - our own instance
            f"{self.base}{path}",
            data=urllib.parse.urlencode({**hidden, **fields}).encode(),
            headers={"Referer": f"{self.base}{path}", "Accept-Language": "zh-hans"},
        )
        with self.opener.open(request, timeout=120) as answer:
            return str(answer.read().decode())

    def sign_in(self, user: str) -> None:
        self.post("/login/", {"username": user, "password": PASSWORD})


def wait_for(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 - local
                return
        except OSError:
            if time.monotonic() > deadline:
                raise Failed(f"{url} did not answer within {seconds:.0f} s") from None
            time.sleep(0.3)


@dataclass
class Transcript:
    lines: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    def say(self, side: str, text: str) -> None:
        line = f"[{side}] {text}"
        self.lines.append(line)
        print(line, flush=True)


def _first_numbers(holdings: list[dict[str, Any]], count: int) -> str:
    """The first ``count`` numbers of the vaccinator's available pig tags, as a range."""
    for holding in holdings:
        if holding["holder_key"].startswith("vaccinator:") and holding["state"] == "available":
            first = int(holding["tags"][0].split("-")[0])
            return f"{first:015d}-{first + count - 1:015d}"
    raise Failed("the vaccinator holds no pig tags")


def certify(
    side: Instance,
    destination_province: str,
    address: str,
    t: Transcript,
    purpose: str = "raising",
) -> dict[str, Any]:
    """A type A certificate issued the normal way: five pigs vaccinated and tagged at 宏达,
    declared by the station, accepted, inspected and certified."""
    farm = side.api("demo-county", "GET", "/premises?text=宏达").expect(200, "premises")["items"][0]
    holdings = side.api("demo-county", "GET", "/tag-holdings?species=pig&limit=100").expect(
        200, "holdings"
    )["items"]
    tags = _first_numbers(holdings, 5)
    vaccine = next(
        v
        for v in side.api("demo-vaccinator", "GET", "/vaccines?limit=100").expect(200, "vaccines")[
            "items"
        ]
        if "口蹄疫" in v["name"] and "pig" in v["species"]
    )
    side.api(
        "demo-vaccinator",
        "POST",
        "/immunizations",
        {
            "premises": farm["code"],
            "species": "pig",
            "vaccine_id": vaccine["id"],
            "batch_number": "O-2026-1201",
            "disinfection": "75%酒精浸泡消毒",
            "age": 35,
            "age_unit": "days",
            "seller": "九台区兽药经营部",
            "tags": tags,
        },
    ).expect(201, "immunization")
    plate = side.api("demo-county", "GET", "/vehicles?limit=10").expect(200, "vehicles")["items"]
    truck = next(v["plate"] for v in plate if v["status"] == "active")
    declaration = side.api(
        "demo-township",
        "POST",
        "/declarations",
        {
            "origin_premises": farm["code"],
            "species": "pig",
            "quantity": 5,
            "purpose": purpose,
            "destination_province": destination_province,
            "destination_address": address,
            "planned_departure": (datetime.now().astimezone() + timedelta(minutes=5)).isoformat(),
            "carrier_name": "孙师傅",
            "carrier_phone": "13804510088",
            "vehicle_plate": truck,
            "tags": tags,
        },
    ).expect(201, "declaration")["number"]
    side.api("demo-township", "POST", f"/declarations/{declaration}/accept", {}).expect(
        200, "accept"
    )
    side.api("demo-vet", "POST", f"/declarations/{declaration}/inspect", {"passed": True}).expect(
        200, "inspect"
    )
    certificate = side.api(
        "demo-vet",
        "POST",
        "/certificates",
        {
            "declaration": declaration,
            "checkpoint": "拉林河检查站",
            "disinfection": "过氧乙酸喷雾消毒",
        },
    ).expect(201, "certificate")
    t.say(
        side.label,
        f"检疫证明（动物A）{certificate['number']} 签发：{farm['name']} 生猪 5 头 → {address}",
    )
    return dict(certificate)


def check(side: Instance, payload: str) -> dict[str, Any]:
    return dict(
        side.api(
            "demo-checkpoint",
            "POST",
            "/checkpoint-checks",
            {"place": "拉林河检查站", "payload": payload, "vehicle_plate": ""},
        ).expect(201, "checkpoint check")
    )


def forged(payload: str) -> str:
    body, signature = payload.split(".")
    return f"{body}.{'B' if signature[0] == 'A' else 'A'}{signature[1:]}"


def wrongly_keyed(payload: str) -> str:
    """The same fields signed by a key nobody pinned (a counterfeiter's)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    body = payload.split(".")[0]
    fields = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    key = Ed25519PrivateKey.generate()
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    import hashlib

    fields["kid"] = hashlib.sha256(raw).hexdigest()[:16]
    data = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()

    def b64(value: bytes) -> str:
        return base64.urlsafe_b64encode(value).rstrip(b"=").decode()

    return f"{b64(data)}.{b64(key.sign(data))}"


def ceremony(jilin: Instance, heilongjiang: Instance, t: Transcript) -> None:
    for side in (jilin, heilongjiang, jilin):
        side.exchange()
    for here, there in ((jilin, heilongjiang), (heilongjiang, jilin)):
        keys = here.api("demo-province", "GET", "/province-keys").expect(200, "keys")["items"]
        theirs = next(k for k in keys if k["province"] == there.province)
        if theirs["status"] != "pending":
            raise Failed(f"{here.label}: {there.label}'s key is {theirs['status']} before the pin")
        given = next(
            k["fingerprint"]
            for k in there.api("demo-province", "GET", "/province-keys").expect(200, "keys")[
                "items"
            ]
            if k["own"]
        )
        mistyped = given[:-1] + ("0" if given[-1] != "0" else "1")
        wrong = here.api(
            "demo-province",
            "POST",
            f"/province-keys/{theirs['kid']}/pin",
            {"fingerprint": mistyped},
        ).expect(422, "a mistyped fingerprint")
        t.say(here.label, f"{there.label}密钥指纹输错一位：{wrong['message']}")
        here.api(
            "demo-province", "POST", f"/province-keys/{theirs['kid']}/pin", {"fingerprint": given}
        ).expect(200, "pin")
        t.say(here.label, f"核对{there.label}提供的指纹后信任其密钥 {theirs['kid']}")


def crossing(
    origin: Instance, destination: Instance, address: str, t: Transcript
) -> dict[str, Any]:
    """A certificate of ``origin`` checked, refused when forged, received with a mismatch and
    traced at ``destination``; the alert comes back to ``origin``."""
    certificate = certify(origin, destination.province, address, t)
    number, payload = certificate["number"], certificate["payload"]
    origin.exchange()
    destination.exchange()
    # Told before the truck arrives: among the destination county's 待接收.
    home = destination.page("demo-destination").get("/")
    if f'data-foreign="{number}"' not in home:
        raise Failed(f"{destination.label}'s destination county was not told of {number}")
    t.say(destination.label, f"接收地待接收列表预先显示 {number}")
    checked = check(destination, payload)
    if (checked["result"], checked["issuing_province"]) != ("valid", origin.province):
        raise Failed(f"{destination.label} checked {number}: {checked}")
    t.say(destination.label, f"检查站核验 {number}：有效，签发省 {checked['issuing_province']}")
    page = destination.page("demo-checkpoint").post(
        "/checkpoint/", {"code": payload, "place": "拉林河检查站"}
    )
    if number not in page or "有效" not in page or origin.province not in page:
        raise Failed(f"{destination.label}'s checkpoint page did not show {number} as valid")
    t.say(destination.label, f"检查站页面核验 {number}：有效")
    refused = [check(destination, p)["result"] for p in (forged(payload), wrongly_keyed(payload))]
    if refused != ["forged", "forged"]:
        raise Failed(f"{destination.label} took a forged or wrongly keyed copy: {refused}")
    t.say(destination.label, "篡改签名的证明、非对方密钥签名的证明：均为非真实证明")
    farm = destination.api("demo-county", "GET", "/premises?text=宏达").expect(200, "premises")[
        "items"
    ][0]
    first, last = (int(n) for n in certificate["tags"][0].split("-"))
    outsider = last + 1000
    received = destination.api(
        "demo-destination",
        "POST",
        "/foreign-arrivals",
        {
            "certificate": number,
            "premises": farm["code"],
            "tags": f"{first:015d}-{last - 1:015d} {outsider:015d}",
        },
    ).expect(201, "foreign arrival")
    t.say(
        destination.label,
        f"{farm['name']} 接收 {number}：缺 {received['missing']}，多 {received['extra']}",
    )
    trace = destination.api("demo-county", "GET", f"/tags/{first:015d}/trace").expect(200, "trace")
    if number not in [s.get("document") for s in trace["steps"]]:
        raise Failed(f"{destination.label}'s trace of {first} does not show {number}")
    t.say(destination.label, f"追溯耳标 {first:015d}：经检疫证明 {number} 来自{origin.label}")
    again = check(destination, payload)["result"]
    if again != "used":
        raise Failed(f"{destination.label}: {number} checks {again} once received")
    destination.exchange()
    origin.exchange()
    alerts = origin.api("demo-county", "GET", "/alerts?limit=100").expect(200, "alerts")["items"]
    mine = [a for a in alerts if a["certificate"] == number]
    if not mine or mine[0]["from_province"] != destination.province:
        raise Failed(f"{origin.label} got no alert about {number}: {alerts}")
    t.say(origin.label, f"收到{destination.label}关于 {number} 的预警：{mine[0]['message']}")
    # The receipt came back too: the certificate is used at the origin's checkpoints as well.
    at_home = check(origin, payload)["result"]
    if at_home != "used":
        raise Failed(f"{origin.label}: its own {number} checks {at_home} once received abroad")
    t.say(origin.label, f"本省检查站核验 {number}：已使用（{destination.label}已接收）")
    return {
        "number": number,
        "checked": checked["result"],
        "received": received["received"],
        "used_at_home": at_home,
        "tag": f"{first:015d}",
    }


def investigated_across(origin: Instance, destination: Instance, tag: str, t: Transcript) -> None:
    """An investigation at ``destination`` from a tag ``origin`` certified asks ``origin``,
    which alerts its county and answers with the farms the animals passed."""
    opened = destination.api(
        "demo-county", "POST", "/investigations", {"reason": "疑似非洲猪瘟", "tag": tag}
    ).expect(201, "investigation")
    number = opened["number"]
    destination.exchange()
    origin.exchange()
    destination.exchange()
    shown = destination.api("demo-county", "GET", f"/investigations/{number}").expect(200, "inv")
    asked = shown["requests"]
    if not asked or asked[0]["province"] != origin.province or asked[0]["answered_at"] is None:
        raise Failed(f"{destination.label}'s investigation {number} got no answer: {asked}")
    farms = "、".join(f["name"] for f in asked[0]["farms"])
    t.say(destination.label, f"调查 {number} 追溯至{origin.label}，{origin.label}答复：{farms}")
    alerts = origin.api("demo-county", "GET", "/alerts?limit=100").expect(200, "alerts")["items"]
    told = [a for a in alerts if a["kind"] == "investigation" and number in a["message"]]
    if not told:
        raise Failed(f"{origin.label}'s origin county was not told of {number}")
    t.say(origin.label, f"收到预警：{told[0]['message']}")


def revoked_after_read(
    origin: Instance, destination: Instance, address: str, t: Transcript
) -> None:
    certificate = certify(origin, destination.province, address, t)
    number, payload = certificate["number"], certificate["payload"]
    origin.exchange()
    destination.exchange()
    if check(destination, payload)["result"] != "valid":
        raise Failed(f"{destination.label}: {number} not valid before the revocation")
    origin.api(
        "demo-vet", "POST", f"/certificates/{number}/revoke", {"reason": "检出疑似非洲猪瘟"}
    ).expect(200, "revoke")
    t.say(origin.label, f"撤销 {number}：检出疑似非洲猪瘟")
    origin.exchange()
    destination.exchange()
    checked = check(destination, payload)
    if checked["result"] != "revoked":
        raise Failed(f"{destination.label}: {number} checks {checked['result']} after revocation")
    farm = destination.api("demo-county", "GET", "/premises?text=宏达").expect(200, "premises")[
        "items"
    ][0]
    refused = destination.api(
        "demo-destination",
        "POST",
        "/foreign-arrivals",
        {"certificate": number, "premises": farm["code"], "tags": certificate["tags"][0]},
    ).expect(409, "arrival on a revoked certificate")
    t.say(destination.label, f"检查站核验 {number}：已撤销；接收被拒：{refused['message']}")


def slaughtered_abroad(
    origin: Instance, destination: Instance, address: str, t: Transcript
) -> None:
    """Pigs for slaughter: inspected at ``destination``'s slaughterhouse, their tags recovered
    there — and, once the platform has told ``origin``, recovered in its records too."""
    certificate = certify(origin, destination.province, address, t, purpose="slaughter")
    number = certificate["number"]
    origin.exchange()
    destination.exchange()
    abattoir = destination.api("demo-county", "GET", "/premises?kind=slaughterhouse").expect(
        200, "slaughterhouses"
    )["items"][0]
    inspected = destination.api(
        "demo-vet",
        "POST",
        "/slaughter-inspections",
        {
            "certificate": number,
            "premises": abattoir["code"],
            "tags": certificate["tags"][0],
            "passed": True,
        },
    ).expect(201, "slaughter inspection")
    t.say(
        destination.label,
        f"{abattoir['name']} 屠宰检疫 {number}：合格，回收耳标 {inspected['received'][0]}",
    )
    destination.exchange()
    origin.exchange()
    first = certificate["tags"][0].split("-")[0]
    tag = origin.api("demo-county", "GET", f"/tags/{first}").expect(200, "tag")
    state = origin.api("demo-county", "GET", f"/certificates/{number}").expect(200, "cert")
    if (tag["state"], state["state"]) != ("recovered", "used"):
        raise Failed(f"{origin.label}: {number} is {state['state']}, tag {first} {tag['state']}")
    t.say(origin.label, f"{number} 在{destination.label}屠宰：证明已使用，耳标 {first} 已回收")


def scenario(jilin: Instance, heilongjiang: Instance) -> Transcript:
    t = Transcript()
    ceremony(jilin, heilongjiang, t)
    t.facts["jilin_to_heilongjiang"] = crossing(
        jilin, heilongjiang, "黑龙江省哈尔滨市双城区韩甸镇", t
    )
    investigated_across(jilin, heilongjiang, t.facts["jilin_to_heilongjiang"]["tag"], t)
    t.facts["heilongjiang_to_jilin"] = crossing(
        heilongjiang, jilin, "吉林省长春市九台区其塔木镇", t
    )
    revoked_after_read(heilongjiang, jilin, "吉林省长春市九台区其塔木镇", t)
    slaughtered_abroad(jilin, heilongjiang, "黑龙江省哈尔滨市双城区定点屠宰场", t)
    t.facts["held"] = {}
    for side in (jilin, heilongjiang):
        held = side.api("demo-province", "GET", "/held-events").expect(200, "held")["items"]
        for entry in held:
            t.say(
                side.label,
                f"平台数据曾搁置：{entry['reference']} {entry['reason_label']}"
                f"（{STATUSES[entry['status']]}）",
            )
        t.facts["held"][side.label] = sorted(h["status"] for h in held)
    return t


@contextlib.contextmanager
def databases(kind: str, work: Path) -> Iterator[tuple[str, str]]:
    """Two databases: SQLite files in ``work``, or two PostgreSQL databases on the server of
    ``kind`` (a postgresql:// address), dropped afterwards."""
    if not kind.startswith("postgres"):
        yield (
            f"sqlite:///{work / 'jilin' / 'earmark.sqlite3'}",
            f"sqlite:///{work / 'heilongjiang' / 'earmark.sqlite3'}",
        )
        return
    import psycopg

    names = [f"earmark_2p_{p}_{os.getpid()}" for p in ("jl", "hl")]
    with psycopg.connect(kind, autocommit=True) as connection:
        for name in names:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
    server = kind.rsplit("/", 1)[0]
    try:
        yield (f"{server}/{names[0]}", f"{server}/{names[1]}")
    finally:
        with psycopg.connect(kind, autocommit=True) as connection:
            for name in names:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(kind: str) -> Transcript:
    work = Path(tempfile.mkdtemp(prefix="earmark-2p-"))
    token = secrets.token_urlsafe(24)
    port = free_port()
    platform_url = f"http://127.0.0.1:{port}"
    platform = subprocess.Popen(  # noqa: S603
        [str(BIN / "earmark"), "national_sim", "--port", str(port), "--token", token],
        env={**os.environ, "EARMARK_VAR_DIR": str(work)},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    sides: list[Instance] = []
    try:
        with databases(kind, work) as (jilin_db, heilongjiang_db):
            for label, province, database in (
                ("吉林", "220000", jilin_db),
                ("黑龙江", "230000", heilongjiang_db),
            ):
                home = work / ("jilin" if province == "220000" else "heilongjiang")
                home.mkdir()
                sides.append(Instance(label, province, home, database, platform_url, token))
            setups = [side.setup() for side in sides]
            for side, setup in zip(sides, setups, strict=True):
                if setup.wait(timeout=900):
                    log = (side.home / "setup.log").read_text(errors="replace")[-3000:]
                    raise Failed(f"{side.label}: setting up failed:\n{log}")
            wait_for(f"{platform_url}/health")
            for side in sides:
                side.serve()
            return scenario(*sides)
    finally:
        for side in sides:
            side.stop()
        platform.terminate()
        platform.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database",
        default="sqlite",
        help="sqlite (the default), or a postgresql:// address whose server gets two databases",
    )
    parser.add_argument("--json", type=Path, default=None, help="write the transcript here")
    options = parser.parse_args()
    try:
        transcript = run(options.database)
    except Failed as failure:
        print(f"FAILED: {failure}", flush=True)
        return 1
    if options.json:
        options.json.write_text(
            json.dumps({"lines": transcript.lines, "facts": transcript.facts}, ensure_ascii=False)
        )
    print("two provinces: every crossing went as a province expects", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
