"""Registering unused tags: by box, pack and range, from a form or the county's template."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import require_role
from earmark.accounts.models import Agency, Role, User
from earmark.audit.services import audit_record
from earmark.core.codes import county_of
from earmark.core.errors import (
    NOTHING_GIVEN,
    ROWS_REFUSED,
    TOO_MANY_ROWS,
    BusinessError,
    NotFound,
    PermissionDenied,
    invalid,
    item,
)
from earmark.core.sequences import sequence_take
from earmark.core.species import species_digits, species_from_text, species_label, species_refusal
from earmark.eartags import spans
from earmark.eartags.codes import (
    CodeError,
    format_range,
    parse_tag,
    prefix_of,
    species_of,
    split,
)
from earmark.eartags.errors import DELIVERY_BEFORE_ORDER, DELIVERY_NOTE_TAKEN
from earmark.eartags.messages import reason_text
from earmark.eartags.models import (
    Delivery,
    Holding,
    RegisteredRange,
    Registration,
    TagEvent,
    TagOrder,
)
from earmark.eartags.ranges import overlaps
from earmark.eartags.services.makers import order_for_delivery
from earmark.eartags.services.usage import tag_events_save
from earmark.regions.models import Region

# Any fixed number: the PostgreSQL advisory lock that makes registrations take turns.
_REGISTRATION_LOCK = 7_220_000_002
MAX_ROWS = 20_000


@dataclass(frozen=True)
class RegistrationRow:
    """One line of the inventory sheet as typed: species, box, pack, first, last, quantity."""

    line: int
    species: str
    first: str
    last: str
    quantity: str = ""
    box: str = ""
    pack: str = ""


@dataclass(frozen=True)
class _Checked:
    row: RegistrationRow
    species: str
    first: int
    last: int


def _county_parts(county: Region) -> set[str]:
    """The county parts a county's tags may carry: its code and its historical codes."""
    return {county.code, *county.aliases.values_list("code", flat=True)}


def registration_problems(
    *, county: Region, rows: list[RegistrationRow], order: TagOrder | None = None
) -> list[dict[str, object]]:
    """Every problem of every row, in line order; empty when all rows may be registered. Tags
    delivered against an order must lie in the order's number block."""
    problems: list[dict[str, object]] = []
    checked: list[_Checked] = []
    allowed = _county_parts(county)

    def add(row: RegistrationRow, field: str, message: str) -> None:
        problems.append({"line": row.line, "field": field, "message": message})

    for row in rows:
        species = species_from_text(row.species)
        if species is None:
            add(row, "species", species_refusal())
        numbers: dict[str, int] = {}
        for field in ("first", "last"):
            try:
                numbers[field] = parse_tag(str(getattr(row, field)), species=species_digits())
            except CodeError as error:
                add(row, field, reason_text(error.reason))
        if len(numbers) < 2:
            continue
        first, last = numbers["first"], numbers["last"]
        if first > last:
            add(row, "last", _("The last number is smaller than the first."))
        elif prefix_of(first) != prefix_of(last):
            add(row, "last", _("First and last number differ in species or county digits."))
        if species is not None and species_of(first, species=species_digits()) != species:
            add(
                row,
                "species",
                _("The tags' species digit %(digit)d is not %(species)s.")
                % {"digit": split(first).species_digit, "species": species_label(species)},
            )
        if split(first).county not in allowed:
            add(
                row,
                "first",
                _("County part %(part)s is not %(county)s's code.")
                % {"part": split(first).county, "county": county.name},
            )
        ordered = first <= last and prefix_of(first) == prefix_of(last)
        if ordered:
            expected = last - first + 1
            quantity = str(row.quantity).strip().removesuffix(".0")
            if not quantity.isdigit():
                add(
                    row,
                    "quantity",
                    _("Enter the quantity (last − first + 1 = %(n)d).") % {"n": expected},
                )
            elif int(quantity) != expected:
                add(
                    row,
                    "quantity",
                    _("The quantity %(given)s does not match the range, which holds %(n)d.")
                    % {"given": quantity, "n": expected},
                )
        if ordered and order is not None and not (order.first <= first and last <= order.last):
            add(
                row,
                "first",
                _("Not within the number block %(range)s of order %(number)s.")
                % {"range": format_range(order.first, order.last), "number": order.number},
            )
        if ordered:
            # Overlaps are reported for every readable range, whatever else is wrong with it.
            checked.append(_Checked(row, species or "", first, last))
    by_range = {(c.first, c.last): c.row for c in checked}
    for a, b in overlaps(by_range):
        add(
            by_range[b],
            "first",
            _("Overlaps line %(line)d of this file.") % {"line": by_range[a].line},
        )
    for entry, clash in _clashes(checked):
        if clash is not None:
            add(
                entry.row,
                "first",
                _("Overlaps %(range)s, registered already by %(county)s.")
                % {"range": str(clash), "county": _county_name(clash.county_code)},
            )
    problems.sort(key=lambda p: (int(str(p["line"])), str(p["field"])))
    return problems


def _clashes(checked: list[_Checked]) -> list[tuple[_Checked, RegisteredRange | None]]:
    """Each row with the first registered range it overlaps, if any: the registered ranges the
    rows touch, then a binary search per row."""
    existing = spans.overlapping(
        RegisteredRange.objects.all(), [(entry.first, entry.last) for entry in checked]
    )
    result: list[tuple[_Checked, RegisteredRange | None]] = []
    for entry in checked:
        index = bisect_right(existing, entry.last, key=lambda r: r.first) - 1
        clash = existing[index] if index >= 0 and existing[index].last >= entry.first else None
        result.append((entry, clash))
    return result


def _county_name(code: str) -> str:
    return Region.objects.filter(code=code).values_list("name", flat=True).first() or code


@transaction.atomic
def tags_register(
    *,
    actor: User,
    rows: list[RegistrationRow],
    delivery: Delivery | None = None,
    source: str = Registration.Source.FORM,
    file_name: str = "",
) -> Registration:
    """Register unused tags for the actor's county; all rows or none.

    The county agency holds them afterwards, ready for the first issue.
    """
    require_role(actor, Role.COUNTY_OFFICER)
    county_code = county_of(actor.region_code or "")
    if county_code is None or actor.region_code != county_code:
        raise PermissionDenied(_("Tags are registered by a county agency."))
    county = Region.objects.get(code=county_code)
    if delivery is not None and delivery.county_id != county_code:
        raise NotFound()
    if not rows:
        raise BusinessError(_("There is nothing to register."), code=NOTHING_GIVEN)
    if len(rows) > MAX_ROWS:
        raise BusinessError(
            _("At most %(count)d rows at a time.") % {"count": MAX_ROWS}, code=TOO_MANY_ROWS
        )
    if connection.vendor == "postgresql":
        # Registrations take turns so that two of them cannot both pass the overlap check.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_REGISTRATION_LOCK])
    problems = registration_problems(
        county=county, rows=rows, order=delivery.order if delivery is not None else None
    )
    if problems:
        lines = len({p["line"] for p in problems})
        raise BusinessError(
            _("%(count)d rows have problems; nothing was registered.") % {"count": lines},
            code=ROWS_REFUSED,
            items=[item(p["line"], str(p["message"]), field=str(p["field"])) for p in problems],
        )
    agency = Agency.objects.get(region=county)
    year = timezone.localdate().year
    sequence = sequence_take(f"registration:{county_code}:{year}")
    digits = species_digits()
    checked = [
        (
            row,
            species_from_text(row.species) or "",
            parse_tag(row.first, species=digits),
            parse_tag(row.last, species=digits),
        )
        for row in rows
    ]
    registration = Registration.objects.create(
        number=f"DJ{county_code}{year}{sequence:05d}",
        county=county,
        delivery=delivery,
        source=source,
        file_name=file_name[:200],
        count=sum(last - first + 1 for _row, _s, first, last in checked),
        created_by=actor,
    )
    registered = RegisteredRange.objects.bulk_create(
        [
            RegisteredRange(
                registration=registration,
                species=species,
                first=first,
                last=last,
                box=row.box.strip()[:30],
                pack=row.pack.strip()[:30],
                county_code=county_code,
                printed_county=split(first).county,
            )
            for row, species, first, last in checked
        ],
        batch_size=1000,
    )
    Holding.objects.bulk_create(
        [
            Holding(
                first=r.first,
                last=r.last,
                species=r.species,
                registered_range=r,
                box=r.box,
                pack=r.pack,
                county_code=county_code,
                agency=agency,
            )
            for r in registered
        ],
        batch_size=1000,
    )
    tag_events_save(
        [
            TagEvent(
                first=r.first,
                last=r.last,
                kind=TagEvent.Kind.REGISTERED,
                species=r.species,
                county_code=county_code,
                holder=agency.name,
                document_type="registration",
                document_id=registration.number,
                actor=actor,
            )
            for r in registered
        ]
    )
    audit_record(
        actor=actor,
        action="tags.register",
        obj=registration,
        region_code=county_code,
        details={
            "number": registration.number,
            "ranges": len(registered),
            "count": registration.count,
        },
    )
    return registration


@transaction.atomic
def delivery_create(
    *, actor: User, order_id: int, note_number: str, delivered_on: date
) -> Delivery:
    """Record a delivery against one of the county's orders, from a maker designated on the
    day (Order 13 art. 10, 24); registrations then link to it and take numbers of the order's
    block only."""
    require_role(actor, Role.COUNTY_OFFICER)
    county_code = county_of(actor.region_code or "")
    if county_code is None:
        raise PermissionDenied(_("Deliveries are recorded by a county agency."))
    errors = {}
    if not note_number.strip():
        errors["note_number"] = _("Enter the delivery note number.")
    if delivered_on > timezone.localdate():
        errors["delivered_on"] = _("The delivery date lies in the future.")
    if errors:
        raise invalid(_("The delivery could not be saved."), errors)
    order = order_for_delivery(actor=actor, order_id=order_id, delivered_on=delivered_on)
    if delivered_on < order.ordered_on:
        message = _("The delivery date lies before the order of %(date)s.") % {
            "date": order.ordered_on.isoformat()
        }
        raise BusinessError(
            _("The delivery could not be saved."),
            code=DELIVERY_BEFORE_ORDER,
            fields={"delivered_on": message},
        )
    if Delivery.objects.filter(county_id=county_code, note_number=note_number.strip()).exists():
        raise BusinessError(
            _("Delivery note %(number)s is already recorded.") % {"number": note_number.strip()},
            code=DELIVERY_NOTE_TAKEN,
            fields={
                "note_number": _("Delivery note %(number)s is already recorded.")
                % {"number": note_number.strip()}
            },
        )
    delivery = Delivery.objects.create(
        county_id=county_code,
        order=order,
        manufacturer=order.plan.manufacturer.name,
        note_number=note_number.strip()[:50],
        delivered_on=delivered_on,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="tags.delivery",
        obj=delivery,
        region_code=county_code,
        details={"order": order.number},
    )
    return delivery
