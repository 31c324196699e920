"""The review of a declaration: every check, all failures at once, grouped by tag range.
Run at submission and again when the certificate is issued."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.core.codes import is_within
from earmark.core.errors import BusinessError, ErrorCode, item
from earmark.core.species import species_digits, species_known, species_label, species_refusal
from earmark.core.validators import MOBILE_PROBLEM, is_mobile, is_plate, normalize_plate
from earmark.eartags.codes import format_range, format_tag, species_of
from earmark.eartags.messages import reason_text
from earmark.eartags.models import Tag
from earmark.eartags.parse import parse_tags
from earmark.eartags.ranges import RangeSet
from earmark.eartags.selectors.checks import tags_check
from earmark.eartags.spans import overlapping
from earmark.farms.models import Dealer, Premises, Restriction, Stock, Vehicle
from earmark.farms.selectors import (
    dealer_by_code,
    premises_can_declare,
    restriction_covering,
    restrictions_standing,
    vehicle_by_plate,
)
from earmark.immunization.selectors import arrived_among, protection_check, tag_carriers
from earmark.quarantine.errors import DECLARATION_REFUSED
from earmark.quarantine.models import OPEN_STATES, Declaration, DeclaredRange
from earmark.regions.gate import county_enabled
from earmark.regions.models import Region
from earmark.regions.provinces import PROVINCES, leaves_province, own_province


@dataclass(frozen=True)
class DeclarationData:
    species: str
    quantity: int
    purpose: str
    destination_province: str
    planned_departure: datetime
    carrier_name: str
    carrier_phone: str
    vehicle_plate: str
    numbers: str
    destination_region: str = ""
    destination_premises: str = ""
    destination_address: str = ""
    # The registration code of the dealer who bought the animals, if one did.
    dealer: str = ""


@dataclass
class TagProblem:
    first: int
    last: int
    problems: list[str]
    text: str = ""

    @property
    def count(self) -> int:
        return self.last - self.first + 1

    def as_item(self) -> dict[str, Any]:
        label = self.text or format_range(self.first, self.last)
        return item(label, self.problems, field="tags", count=self.count if not self.text else 0)


@dataclass
class Review:
    """Everything wrong with a declaration: general problems, fields, and tags by range."""

    general: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    tags: list[TagProblem] = field(default_factory=list)
    numbers: RangeSet = field(default_factory=RangeSet)
    # What the agency is told about (see ``Refusal``): never-registered tags, tags of another
    # township's inventory, and a quantity larger than the stock on hand.
    unregistered: RangeSet = field(default_factory=RangeSet)
    foreign: RangeSet = field(default_factory=RangeSet)
    on_hand: int = 0
    over_stock: bool = False

    @property
    def ok(self) -> bool:
        return not (self.general or self.fields or self.tags)

    @property
    def worth_reporting(self) -> bool:
        return bool(self.unregistered or self.foreign or self.over_stock)

    def refusal(
        self, message: str | None = None, code: ErrorCode = DECLARATION_REFUSED
    ) -> BusinessError:
        return BusinessError(
            message
            or _("The declaration was not submitted; correct these problems and submit again."),
            code=code,
            fields=self.fields,
            items=[t.as_item() for t in self.tags] + [item("", g) for g in self.general],
        )


def notice_hours(purpose: str) -> int:
    return int(settings.EARMARK_ADVANCE_NOTICE_HOURS.get(purpose, 72))


def declaration_review(
    *,
    premises: Premises,
    data: DeclarationData,
    now: datetime,
    exclude: int | None = None,
    at_issue: bool = False,
) -> Review:
    """Run every check of the Jilin plan and MoA Order 13 on a declaration: at submission, and
    again when the certificate is issued (``at_issue``, ``exclude`` the declaration itself),
    so that nothing that changed in between slips through. The advance notice is a rule of
    the submission only; protection is checked on the departure day, or today if later."""
    review = Review()
    # At issue the certificate has required the county's enablement already.
    if not at_issue and not county_enabled(premises.county_code):
        review.general.append(
            _(
                "Declarations in this system are not yet enabled in this county; the county "
                "requests enablement and the province switches it on."
            )
        )
    # The farm's stock by species, read once for the completeness and the stock checks.
    stock = dict(Stock.objects.filter(premises=premises).values_list("species", "quantity"))
    review.general.extend(premises_can_declare(premises=premises, has_stock=bool(stock)).reasons)
    target = _check_fields(review, data, now, notice=not at_issue)
    _check_restrictions(review, premises, target, data, now)
    _check_dealer(review, premises, data)
    parsed = parse_tags(data.numbers, species=species_digits())
    review.numbers = parsed.numbers
    for problem in parsed.problems:
        review.tags.append(TagProblem(0, 0, [reason_text(problem.reason)], text=problem.text))
    for legacy in parsed.legacy:
        review.tags.append(
            TagProblem(
                0, 0, [_("an 8-digit tag of the old system cannot be declared")], text=legacy
            )
        )
    if parsed.duplicates:
        review.general.append(
            _("Some tags were entered twice: %(tags)s.")
            % {"tags": "、".join(format_tag(n) for n in list(parsed.duplicates.expand())[:10])}
        )
    if data.quantity and parsed.numbers.count != data.quantity:
        review.general.append(
            _("%(quantity)d animals are declared but %(count)d tags were entered.")
            % {"quantity": data.quantity, "count": parsed.numbers.count}
        )
    on_hand = stock.get(data.species, 0)
    review.on_hand = on_hand
    if data.quantity > on_hand:
        review.over_stock = True
        review.general.append(
            _("%(quantity)d animals are declared but the farm has %(on_hand)d on hand.")
            % {"quantity": data.quantity, "on_hand": on_hand}
        )
    if parsed.numbers and parsed.numbers.count <= 20_000:
        protected_on = max(
            timezone.localtime(data.planned_departure).date(), timezone.localtime(now).date()
        )
        review.tags.extend(
            _tag_problems(review, premises, data, parsed.numbers, exclude, protected_on)
        )
        if review.foreign:
            # What the farmer does next, not only what is wrong.
            review.general.append(
                _(
                    "%(count)d tags belong to another township's inventory. If these animals "
                    "were brought in, their arrival must be recorded with their certificate "
                    "before they are declared; otherwise ask your township station to check "
                    "the tags."
                )
                % {"count": review.foreign.count}
            )
    elif parsed.numbers:
        review.general.append(_("At most 20,000 tags per declaration."))
    return review


def _check_restrictions(
    review: Review,
    premises: Premises,
    target: Premises | None,
    data: DeclarationData,
    now: datetime,
) -> None:
    """No animals leave from, or go to, what a movement restriction covers between now and the
    departure."""
    standing = restrictions_standing(at=now, until=max(now, data.planned_departure))
    if not standing:
        return
    origin = restriction_covering(standing, premises=premises)
    if origin is not None:
        review.general.append(
            _("The farm lies under a movement restriction since %(start)s: %(reason)s.")
            % _restriction_words(origin)
        )
    township = data.destination_region if len(data.destination_region) == 9 else ""
    destination = restriction_covering(standing, premises=target, township=township)
    if destination is not None:
        review.fields["destination_premises" if target else "destination_region"] = _(
            "The destination lies under a movement restriction since %(start)s: %(reason)s."
        ) % _restriction_words(destination)


def _restriction_words(restriction: Restriction) -> dict[str, str]:
    start = timezone.localtime(restriction.starts_at).strftime("%Y-%m-%d %H:%M")
    return {"start": start, "reason": restriction.reason}


def _check_fields(
    review: Review, data: DeclarationData, now: datetime, *, notice: bool
) -> Premises | None:
    """Check the declaration's own fields; answers the destination premises, when it exists."""
    fields = review.fields
    if not species_known(data.species):
        fields["species"] = species_refusal()
    if data.quantity < 1:
        fields["quantity"] = _("Declare at least one animal.")
    if data.purpose not in Declaration.Purpose.values:
        fields["purpose"] = _("Choose the purpose.")
    region = None
    target = None
    if data.destination_province not in PROVINCES:
        fields["destination_province"] = _("Choose the destination province.")
    elif not leaves_province(data.destination_province):
        region = Region.objects.filter(code=data.destination_region).first()
        if (
            region is None
            or region.level not in (Region.Level.COUNTY, Region.Level.TOWNSHIP)
            or not is_within(region.code, own_province())
        ):
            fields["destination_region"] = _("Choose the destination county or township.")
    elif data.destination_region:
        fields["destination_region"] = _("Outside the province give the address instead.")
    if data.destination_premises:
        target = Premises.objects.filter(code=data.destination_premises).first()
        if target is None:
            fields["destination_premises"] = _("No registered premises %(code)s.") % {
                "code": data.destination_premises
            }
        elif region is not None and not target.township_id.startswith(region.code):
            fields["destination_premises"] = _("%(name)s is not in the destination chosen.") % {
                "name": target.name
            }
    elif not data.destination_address.strip():
        fields["destination_address"] = _("Give the destination premises or its address.")
    if notice and data.purpose in Declaration.Purpose.values:
        hours = notice_hours(data.purpose)
        if data.planned_departure < now + timedelta(hours=hours):
            fields["planned_departure"] = (
                _("Declare at least %(hours)d hours before departure.") % {"hours": hours}
                if hours < 48
                else _("Declare at least %(days)d days before departure.") % {"days": hours // 24}
            )
    if not data.carrier_name.strip():
        fields["carrier_name"] = _("Name the carrier.")
    if not is_mobile(data.carrier_phone.strip()):
        fields["carrier_phone"] = MOBILE_PROBLEM
    plate = normalize_plate(data.vehicle_plate)
    if not is_plate(plate):
        fields["vehicle_plate"] = _("Enter the vehicle plate, e.g. 吉A12345.")
    else:
        vehicle = vehicle_by_plate(plate=plate)
        if vehicle is not None and vehicle.status == Vehicle.Status.SUSPENDED:
            fields["vehicle_plate"] = _(
                "The registration of vehicle %(plate)s is suspended: %(reason)s"
            ) % {"plate": plate, "reason": vehicle.suspended_reason}
    return target


def _check_dealer(review: Review, premises: Premises, data: DeclarationData) -> None:
    """A dealer named must be registered, not suspended, and registered to work in the farm's
    county."""
    code = data.dealer.strip()
    if not code:
        return
    dealer = dealer_by_code(code=code)
    if dealer is None:
        review.fields["dealer"] = _("Dealer %(code)s is not registered.") % {"code": code}
    elif dealer.status == Dealer.Status.SUSPENDED:
        review.fields["dealer"] = _(
            "The registration of dealer %(dealer)s is suspended: %(reason)s"
        ) % {
            "dealer": dealer,
            "reason": dealer.suspended_reason,
        }
    elif premises.county_code not in {c.code for c in dealer.counties.all()}:
        review.fields["dealer"] = _(
            "Dealer %(dealer)s is not registered to work in this county."
        ) % {"dealer": dealer}


def _tag_problems(
    review: Review,
    premises: Premises,
    data: DeclarationData,
    numbers: RangeSet,
    exclude: int | None,
    protected_on: date,
) -> list[TagProblem]:
    problems: dict[int, list[str]] = {n: [] for n in numbers.expand()}

    def add(first: int, last: int, message: str) -> None:
        for number in range(first, last + 1):
            if message not in problems[number]:
                problems[number].append(message)

    if species_known(data.species):
        for first, last in numbers:
            if species_of(first, species=species_digits()) != data.species:
                add(
                    first,
                    last,
                    _("not a %(species)s tag") % {"species": species_label(data.species)},
                )
    # Animals that arrived here under a certificate carry tags of their origin's inventory:
    # those are checked against the township they were issued to, not this farm's.
    # The animals carrying these tags, read once for every check below.
    carriers = tag_carriers(numbers)
    arrived = arrived_among(premises=premises, carriers=carriers)
    by_township: dict[str, list[int]] = {
        premises.township_id: list(numbers.difference(arrived).expand())
    }
    for number, township in Tag.objects.filter(number__in=list(arrived.expand())).values_list(
        "number", "township_code"
    ):
        by_township.setdefault(township, []).append(number)
    for township, members in by_township.items():
        if not members:
            continue
        for segment in tags_check(
            numbers=RangeSet.from_numbers(members), township=township
        ).segments:
            piece = RangeSet(((segment.first, segment.last),))
            if not segment.registered:
                review.unregistered = review.unregistered.union(piece)
            elif segment.township_code and segment.township_code != township:
                review.foreign = review.foreign.union(piece)
            for message in segment.problems:
                add(segment.first, segment.last, message)
    farm_key = f"premises:{premises.code}"
    for number, carrier in carriers.items():
        source = carrier.source_holder
        if carrier.premises_id != premises.pk:
            add(number, number, _("on an animal of another premises"))
        elif source != farm_key and not source.startswith("vaccinator:") and number not in arrived:
            add(number, number, _("not from the stock of this farm or a vaccinator"))
    # The farm's other open declarations that share a number with this one: a range search,
    # so the cost follows the numbers, not how many declarations the farm has open.
    open_ranges = (
        DeclaredRange.objects.filter(
            declaration__status__in=OPEN_STATES, declaration__premises=premises
        )
        .select_related("declaration")
        .only("first", "last", "declaration__number")
    )
    if exclude is not None:
        open_ranges = open_ranges.exclude(declaration_id=exclude)
    ranges = numbers.ranges
    starts = [first for first, _ in ranges]
    for row in overlapping(open_ranges, numbers):
        # The declared ranges this row meets, from the last one that starts before it.
        index = max(bisect_right(starts, row.first) - 1, 0)
        while index < len(ranges) and ranges[index][0] <= row.last:
            first, last = max(ranges[index][0], row.first), min(ranges[index][1], row.last)
            if first <= last:
                add(
                    first,
                    last,
                    _("on open declaration %(number)s") % {"number": row.declaration.number},
                )
            index += 1
    protection = protection_check(numbers=numbers, on=protected_on, carriers=carriers)
    for shield in protection.segments:
        for message in shield.problems:
            if message != _("not on any animal"):
                add(shield.first, shield.last, message)
    grouped: list[TagProblem] = []
    for number in sorted(problems):
        listed = problems[number]
        if not listed:
            continue
        if grouped and grouped[-1].last + 1 == number and grouped[-1].problems == listed:
            grouped[-1].last = number
        else:
            grouped.append(TagProblem(number, number, listed))
    return grouped


def declared_numbers(declaration: Declaration) -> RangeSet:
    return RangeSet.of(declaration.ranges.values_list("first", "last"))


def declaration_data_of(declaration: Declaration, numbers: RangeSet) -> DeclarationData:
    """What was declared, as the review reads it, to review it again."""
    return DeclarationData(
        species=declaration.species,
        quantity=declaration.quantity,
        purpose=declaration.purpose,
        destination_province=declaration.destination_province,
        destination_region=declaration.destination_region_id or "",
        destination_premises=(
            declaration.destination_premises.code if declaration.destination_premises else ""
        ),
        destination_address=declaration.destination_address,
        planned_departure=declaration.planned_departure,
        carrier_name=declaration.carrier_name,
        carrier_phone=declaration.carrier_phone,
        vehicle_plate=declaration.vehicle_plate,
        numbers=" ".join(f"{a:015d}-{b:015d}" for a, b in numbers),
        dealer=declaration.dealer.code if declaration.dealer else "",
    )
