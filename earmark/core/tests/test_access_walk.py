"""Every API operation (read from the OpenAPI document) and every page (read from the URL
resolver) is tried with no user and with an officer of another county whose own county holds
parallel data. Nothing of the first county may come back in a successful answer, and nothing of
it may change. New routes are covered without anyone editing this test."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Agency, Role, User
from earmark.audit.models import AuditEvent
from earmark.core.idempotency import FORM_FIELD
from earmark.core.testing import resolve_schema
from earmark.eartags.models import Holding, Issue, RegisteredRange, Registration, Tag
from earmark.farms.models import Premises, StockChange
from earmark.immunization.models import ImmunizationRecord
from earmark.movements.models import Alert, Death, DestructionBatch, Receipt
from earmark.quarantine.models import Certificate, Declaration
from earmark.regions.models import Region
from earmark.slaughter.models import ProductCertificate, SlaughterBatch
from earmark.trace.models import Investigation

FIRST = "220113"  # 九台区: the demo county, the data that must not leak
SECOND = "220102"  # 南关区: the outsider's county, with data of its own

# Operations that by design answer about the thing presented: a checkpoint officer holds the
# certificate (its paper or its signed QR code) of a truck from anywhere and must read it; for
# the same trucks checked offline, his phone keeps the numbers of every revoked certificate.
# The key registry is the province's public keys, which everyone who checks a certificate reads
# (and whose random characters would now and then spell a short marker such as a box "A04").
PRESENTED = {
    ("post", "/api/v1/checkpoint-checks"),
    ("get", "/api/v1/checkpoint-checks/snapshot"),
    ("get", "/api/v1/province-keys"),
}
# Pages anybody may open: sign-in, the language switch, the API's documentation, the public
# certificate check, the townships of a county (reference data for the farm's declaration) and
# the farm's own pages behind its QR code (the token is the farm's key), the installable
# app's shell (manifest, service worker, offline page, the outbox read from the device) and the
# terms the data exchange names.
PUBLIC_PAGES = {
    "manifest",
    "service-worker",
    "offline",
    "outbox",
    "api-docs",
    "quarantine-townships",
    "login",
    "logout",
    "set_language",
    "certificate-verify",
    "identifier-certificate",
    "product-public",
    "farm-page",
    "farm-declare",
    "farm-certificate",
    "identifier-vocabulary",
}


@dataclass
class World:
    """Identifiers of the first county, by kind, and the markers that must not leak."""

    pools: dict[str, list[Any]] = field(default_factory=dict)
    markers: set[str] = field(default_factory=set)
    ids: dict[str, list[int]] = field(default_factory=dict)
    second: dict[str, str] = field(default_factory=dict)


def _strings(*values: Any) -> set[str]:
    return {str(v) for v in values if v not in (None, "") and len(str(v)) >= 3}


def _first_county_world() -> World:
    world = World()
    premises = list(Premises.objects.filter(county_code=FIRST))
    # A certificate still to be received comes first: a write that takes it must be refused.
    certificates = sorted(
        Certificate.objects.filter(county_code=FIRST).select_related("receipt"),
        key=lambda c: (c.status != "valid" or hasattr(c, "receipt"), c.number),
    )
    on_the_road = certificates[0]
    on_the_road_tags = ",".join(str(r) for r in on_the_road.ranges.all())
    declarations = list(Declaration.objects.filter(county_code=FIRST))
    tags = list(Tag.objects.filter(premises__county_code=FIRST).order_by("number")[:400])
    # One document of each kind is enough to try every route that takes a number.
    documents = [
        on_the_road.number,
        *(d.number for d in declarations[:1]),
        *Issue.objects.filter(county_code=FIRST).values_list("number", flat=True)[:1],
        *Registration.objects.filter(county_id=FIRST).values_list("number", flat=True)[:1],
        *ImmunizationRecord.objects.filter(county_code=FIRST).values_list("number", flat=True)[:1],
        *DestructionBatch.objects.filter(county_id=FIRST).values_list("number", flat=True)[:1],
        *Investigation.objects.values_list("number", flat=True)[:1],
        *SlaughterBatch.objects.filter(county_code=FIRST).values_list("number", flat=True)[:1],
        *ProductCertificate.objects.filter(county_code=FIRST).values_list("number", flat=True)[:1],
    ]
    every_document = [
        *(c.number for c in certificates),
        *(d.number for d in declarations),
        *Issue.objects.filter(county_code=FIRST).values_list("number", flat=True),
        *ImmunizationRecord.objects.filter(county_code=FIRST).values_list("number", flat=True),
        *SlaughterBatch.objects.filter(county_code=FIRST).values_list("number", flat=True),
        *ProductCertificate.objects.filter(county_code=FIRST).values_list("number", flat=True),
    ]
    tag_texts = [f"{t.number:015d}" for t in tags]
    held = Holding.objects.filter(
        vaccinator__agency__region__code__startswith=FIRST, state="available"
    ).first()
    assert held is not None
    world.pools = {
        "number": [*documents, tag_texts[0]],
        # Tags on the road, and unused tags a vaccinator of the first county holds.
        "tags": [on_the_road_tags, f"{held.first:015d}-{held.first + 4:015d}"],
        "code": [premises[0].code, FIRST, f"{FIRST}102"],
        "tag": tag_texts[:1],
        "token": [p.qr_token for p in premises[:2]],
        "period": [timezone.localdate().strftime("%Y-%m")],
    }
    world.markers = (
        _strings(*(p.code for p in premises), *(p.name for p in premises))
        | _strings(*(p.owner_name for p in premises), *(p.phone for p in premises))
        | _strings(*(p.id_card for p in premises), *(p.qr_token for p in premises))
        | _strings(*documents, *every_document, *tag_texts)
        | _strings(
            *(d.carrier_phone for d in declarations), *(d.vehicle_plate for d in declarations)
        )
        | _strings(*RegisteredRange.objects.filter(county_code=FIRST).values_list("box", flat=True))
        | _strings(
            *User.objects.filter(agency__region__code__startswith=FIRST).values_list(
                "full_name", flat=True
            )
        )
    )
    return world


def _second_county_strings() -> set[str]:
    """Strings the second county (or the whole province) holds too: not markers."""
    premises = Premises.objects.exclude(county_code=FIRST)
    values = [*premises.values_list("name", "owner_name", "phone")]
    users = User.objects.exclude(agency__region__code__startswith=FIRST)
    return {str(v) for row in values for v in row} | set(users.values_list("full_name", flat=True))


def _county_filter(model: type[models.Model]) -> dict[str, str] | None:
    """A filter keeping the rows of the first county, from the fields the model has."""
    names = {f.name for f in model._meta.get_fields()}
    for name, lookup in (
        ("county_code", "county_code__startswith"),
        ("township_code", "township_code__startswith"),
        ("county", "county__code__startswith"),
        ("region", "region__code__startswith"),
        ("agency", "agency__region__code__startswith"),
        ("premises", "premises__county_code"),
        ("holder", "holder__agency__region__code__startswith"),
        ("user", "user__agency__region__code__startswith"),
    ):
        if name in names:
            return {lookup: FIRST}
    return None


def _ids_for(param: str) -> list[int]:
    """``alert_id``: ids of the first county's rows of every model named like ``alert``."""
    stem = param.removesuffix("_id").replace("_", "")
    found: list[int] = []
    for model in apps.get_models():
        if not model.__name__.lower().endswith(stem):
            continue
        condition = _county_filter(model)
        rows = model.objects.filter(**condition) if condition else model.objects.all()
        found.extend(rows.order_by("pk").values_list("pk", flat=True)[:2])
    return found or [1]


def _values(world: World, name: str, kind: str) -> list[Any]:
    if kind == "integer" or name.endswith("_id"):
        return world.ids.setdefault(name, _ids_for(name))
    if name in world.pools:
        return world.pools[name]
    return ["x"]


# --- The API, from its OpenAPI document -------------------------------------------------------


def _example(
    name: str,
    schema: dict[str, Any],
    document: dict[str, Any],
    world: World,
    own: bool,
    tags: int = 0,
) -> Any:
    """A value for field ``name``: the first county's identifiers, or with ``own`` the
    outsider's own premises and region with the first county's documents and tags."""
    schema = resolve_schema(schema, document)
    kind = schema.get("type")
    if "enum" in schema:
        return schema["enum"][0]
    if kind == "object" and "properties" in schema:
        return {
            key: _example(key, value, document, world, own, tags)
            for key, value in schema["properties"].items()
            if not value.get("deprecated")  # old names: the walk sends the current ones
        }
    if kind == "array":
        return []
    if kind == "boolean":
        return True
    if kind in ("integer", "number"):
        return _values(world, name, "integer")[0] if name.endswith("_id") else 1
    if schema.get("format") == "date":
        return timezone.localdate().isoformat()
    if schema.get("format") == "date-time":
        return (timezone.now() + timedelta(days=4)).isoformat()
    single = world.pools["tag"]
    by_name: dict[str, str] = {
        "certificate": world.pools["number"][0],
        "declaration": next(n for n in world.pools["number"] if n.startswith("SB")),
        "supersedes": world.pools["number"][0],
        "tags": world.pools["tags"][tags],
        "numbers": world.pools["tags"][tags],
        "ranges": world.pools["tags"][tags],
        "tag": single[0],
        "old": single[0],
        "new": single[-1],
        "number": world.pools["number"][0],
        "payload": world.pools["number"][0],
    }
    places = {
        "premises": world.second["premises"] if own else world.pools["code"][0],
        "origin_premises": world.second["premises"] if own else world.pools["code"][0],
        "slaughterhouse": world.second["slaughterhouse"] if own else world.pools["code"][0],
        "destination_premises": world.pools["code"][0],
        "disposal_plant": world.pools["code"][0],
        "township": world.second["township"] if own else f"{FIRST}102",
        "region": world.second["county"] if own else FIRST,
        "region_code": world.second["county"] if own else FIRST,
        "destination_region": FIRST,
        "county_code": world.second["county"] if own else FIRST,
        "to": f"premises:{world.second['premises'] if own else world.pools['code'][0]}",
        "holder": f"premises:{world.second['premises'] if own else world.pools['code'][0]}",
    }
    return places.get(name) or by_name.get(name) or "测试"


@dataclass
class Call:
    method: str
    path: str
    url: str
    body: dict[str, Any] | None
    public: bool
    sent: str


def _api_calls(world: World) -> Iterator[Call]:
    document = json.loads(Client().get("/api/v1/openapi.json").content)
    for template, operations in document["paths"].items():
        for method, operation in operations.items():
            public = not operation.get("security")
            parameters = operation.get("parameters", [])
            path_params = [p for p in parameters if p["in"] == "path"]
            query: dict[str, Any] = {}
            for parameter in parameters:
                if parameter["in"] != "query" or parameter["name"] in ("limit", "offset"):
                    continue
                kind = resolve_schema(parameter.get("schema", {}), document).get("type", "string")
                candidates = _values(world, parameter["name"], kind)
                if candidates != ["x"]:
                    query[parameter["name"]] = candidates[0]
            content = operation.get("requestBody", {}).get("content", {})
            schema = content.get("application/json", {}).get("schema")
            bodies: list[dict[str, Any] | None] = [None]
            if schema is not None:
                bodies = [
                    _example("", schema, document, world, own, tags)
                    for own, tags in ((False, 0), (True, 0), (True, 1))
                ]
                bodies = list({json.dumps(b, sort_keys=True): b for b in bodies}.values())
            for values in _path_values(world, path_params, document):
                path = template
                for name, value in values.items():
                    path = path.replace("{" + name + "}", str(value))
                url = path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
                for body in bodies:
                    sent = url + json.dumps(body, ensure_ascii=False)
                    yield Call(method, template, url, body, public, sent)


def _path_values(
    world: World, parameters: list[dict[str, Any]], document: dict[str, Any]
) -> Iterator[dict[str, Any]]:
    if not parameters:
        yield {}
        return
    first, *rest = parameters
    kind = resolve_schema(first.get("schema", {}), document).get("type", "string")
    for value in _values(world, first["name"], kind):
        for others in _path_values(world, rest, document):
            yield {first["name"]: value, **others}


# --- The pages, from the URL resolver ---------------------------------------------------------


def _pages(
    patterns: list[Any], prefix: str = ""
) -> Iterator[tuple[str, str, list[tuple[str, str]]]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _pages(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            names = re.findall(r"<(?:(\w+):)?(\w+)>", route)
            yield route, pattern.name or "", [(conv or "str", name) for conv, name in names]


def _page_urls(world: World) -> Iterator[tuple[str, str]]:
    for route, name, parameters in _pages(get_resolver().url_patterns):
        # The API is walked from its document; "^api/v1/…" answers the API's 404 for the rest.
        if route.startswith(("api/v1/", "i18n/", "^api/v1/")):
            continue
        choices: list[dict[str, Any]] = [{}]
        for converter, parameter in parameters:
            kind = "integer" if converter == "int" else "string"
            choices = [
                {**chosen, parameter: value}
                for chosen in choices
                for value in _values(world, parameter, kind)
            ]
        for chosen in choices:
            url = "/" + route
            for parameter, value in chosen.items():
                url = re.sub(rf"<(?:\w+:)?{parameter}>", str(value), url)
            yield name, url


# --- Reading answers --------------------------------------------------------------------------


def _text(response: Any) -> str:
    kind = response.get("Content-Type", "")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if "pdf" in kind:
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    if "spreadsheet" in kind:
        workbook = load_workbook(io.BytesIO(content))
        return " ".join(
            str(cell)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    if kind.startswith("image/"):
        return ""
    if "json" in kind:
        # Read what the client reads: JSON escapes Chinese as \\uXXXX.
        return json.dumps(json.loads(content), ensure_ascii=False)
    # Random one-time values (CSRF tokens, form keys, nonces) are no one's data, and may
    # spell a short marker by chance.
    return RANDOM_VALUES.sub("", content.decode(errors="replace"))


RANDOM_VALUES = re.compile(
    rf'name="(?:csrfmiddlewaretoken|{FORM_FIELD})" value="[^"]*"|nonce="[^"]*"'
    r'|"X-CSRFToken": "[^"]*"'
)


def _leaks(world: World, response: Any, sent: str) -> list[str]:
    if not 200 <= response.status_code < 300:
        return []
    text = _text(response)
    # What the request itself carried may come back (an echo is no leak).
    return sorted(m for m in world.markers if m in text and m not in sent)


def _snapshot() -> dict[str, int]:
    """How much of the first county's data there is, by kind."""
    return {
        "premises": Premises.objects.filter(county_code=FIRST).count(),
        "stock_changes": StockChange.objects.filter(premises__county_code=FIRST).count(),
        "certificates": Certificate.objects.filter(county_code=FIRST, status="valid").count(),
        "declarations": Declaration.objects.filter(county_code=FIRST).count(),
        "receipts": Receipt.objects.filter(certificate__county_code=FIRST).count(),
        "alerts_open": Alert.objects.filter(county_id=FIRST, acknowledged_at=None).count(),
        "deaths": Death.objects.filter(county_code=FIRST).count(),
        "tags_applied": Tag.objects.filter(county_code=FIRST, state="applied").count(),
        "users_active": User.objects.filter(
            agency__region__code__startswith=FIRST, is_active=True
        ).count(),
        "rollout": Region.objects.filter(code=FIRST).exclude(enabled_at=None).count(),
    }


@pytest.fixture
def world(certified: Certificate, make_premises: Any, make_user: MakeUser, vet: User) -> World:
    """The demo county (九台区) seeded whole, and 南关区's own chain beside it. Both counties
    are switched on already, so the demo leaves the other counties' rollout alone."""
    call_command("seed_demo", stdout=io.StringIO())
    abattoir = make_premises(name="南关屠宰场", kind="slaughterhouse", stock={})
    built = _first_county_world()
    built.markers -= _second_county_strings()
    built.second = {
        "premises": certified.premises.code,
        "slaughterhouse": abattoir.code,
        "township": certified.premises.township_id,
        "county": SECOND,
    }
    assert len(built.markers) > 100 and built.pools["tag"]
    return built


@pytest.fixture
def outsider_all(make_user: MakeUser) -> User:
    """An officer of 南关区 with every role a county agency may give."""
    return make_user(
        SECOND,
        (
            Role.COUNTY_OFFICER,
            Role.OFFICIAL_VET,
            Role.VACCINATOR,
            Role.CHECKPOINT_OFFICER,
            Role.DESTINATION_STAFF,
        ),
        username="nanguan-everything",
    )


def _client(user: User | None = None) -> Client:
    """A client that answers a server error as a response, to be reported with the rest."""
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _walked_by(user: User, world: World, watched: World) -> list[str]:
    """Every API operation and page, with the first county's identifiers, as ``user``: the
    server errors, and the markers of ``watched`` that came back."""
    problems: list[str] = []
    for call in _api_calls(world):
        if call.public or (call.method, call.path) in PRESENTED:
            continue
        arguments: dict[str, Any] = {}
        if call.body is not None:
            arguments = {"data": json.dumps(call.body), "content_type": "application/json"}
        answer = getattr(_client(user), call.method)(call.url, **arguments)
        if answer.status_code >= 500:
            problems.append(f"{call.method} {call.url}: server error {answer.status_code}")
        leaked = _leaks(watched, answer, call.sent)
        if leaked:
            problems.append(f"{call.method} {call.url} {call.body}: {leaked[:5]}")
    for name, url in _page_urls(world):
        if name in PUBLIC_PAGES:
            continue
        answer = _client(user).get(url)
        if answer.status_code >= 500:
            problems.append(f"GET {url}: server error {answer.status_code}")
        leaked = _leaks(watched, answer, url)
        if leaked:
            problems.append(f"GET {url}: {leaked[:5]}")
    return problems


def test_no_route_gives_the_first_countys_data_to_anyone_else(
    world: World, outsider_all: User
) -> None:
    before = _snapshot()
    problems: list[str] = []
    calls = list(_api_calls(world))
    assert len({(c.method, c.path) for c in calls}) >= 100
    for call in calls:
        arguments: dict[str, Any] = {}
        if call.body is not None:
            arguments = {"data": json.dumps(call.body), "content_type": "application/json"}
        anonymous = getattr(_client(), call.method)(call.url, **arguments)
        if not call.public and anonymous.status_code != 401:
            problems.append(f"{call.method} {call.url}: {anonymous.status_code} with no user")
    pages = list(_page_urls(world))
    assert len({name for name, _url in pages}) >= 70
    for name, url in pages:
        anonymous = _client().get(url)
        if name not in PUBLIC_PAGES and not (
            anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")
        ):
            problems.append(f"GET {url}: {anonymous.status_code} with no user")
    problems.extend(_walked_by(outsider_all, world, world))
    assert problems == [], "\n".join(problems)
    # Nothing of the first county changed, and the outsider did nothing there.
    assert _snapshot() == before
    touched = AuditEvent.objects.filter(actor=outsider_all, region_code__startswith=FIRST)
    assert list(touched.values_list("action", flat=True)) == []
    assert Agency.objects.filter(region_id=FIRST).exists()


# --- A neighbouring township of the same county -------------------------------------------------


def _other_townships_markers(own: str) -> set[str]:
    """What the first county's other townships hold and a township station may not read: their
    farms, the farms' documents and the tags on their animals (#34)."""
    premises = list(Premises.objects.filter(county_code=FIRST).exclude(township_id=own))
    certificates = Certificate.objects.filter(premises__in=premises).values_list(
        "number", flat=True
    )
    declarations = Declaration.objects.filter(premises__in=premises).values_list(
        "number", flat=True
    )
    tags = Tag.objects.filter(premises__in=premises).values_list("number", flat=True)[:400]
    return (
        _strings(*(p.code for p in premises), *(p.name for p in premises))
        | _strings(*(p.owner_name for p in premises), *(p.phone for p in premises))
        | _strings(*(p.id_card for p in premises), *(p.qr_token for p in premises))
        | _strings(*certificates, *declarations, *(f"{n:015d}" for n in tags))
    )


def test_no_route_gives_a_neighbouring_townships_data_to_a_township_station(
    world: World, make_user: MakeUser
) -> None:
    """A station of the same county, whose township holds no farm of the demo, walks every
    operation and page with the first county's identifiers: nothing of the other townships'
    farms, documents or animals comes back."""
    farmed = set(Premises.objects.filter(county_code=FIRST).values_list("township_id", flat=True))
    own = (
        Agency.objects.filter(region__parent_id=FIRST)
        .exclude(region_id__in=farmed)
        .order_by("region_id")
        .values_list("region_id", flat=True)
        .first()
    )
    assert own is not None
    station = make_user(own, (Role.TOWNSHIP_OFFICER,), username="neighbouring-station")
    markers = _other_townships_markers(own) - _second_county_strings()
    assert len(markers) > 50
    neighbour = World(pools=world.pools, markers=markers, ids=world.ids, second=world.second)
    before = _snapshot()
    problems = _walked_by(station, world, neighbour)
    assert problems == [], "\n".join(problems)
    assert _snapshot() == before
