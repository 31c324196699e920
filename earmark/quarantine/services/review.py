"""The review of a declaration: every check, all failures at once, grouped by tag range.
Run at submission and again when the certificate is issued."""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.core.species import species_digits, species_known, species_label
from earmark.eartags.codes import format_tag, species_of
from earmark.eartags.messages import reason_text
from earmark.eartags.models import Tag, TagEvent
from earmark.eartags.parse import parse_tags
from earmark.eartags.ranges import RangeSet
from earmark.eartags.selectors.checks import tags_check
from earmark.eartags.spans import overlapping
from earmark.farms.models import Premises, Stock
from earmark.farms.selectors import (
    premises_can_declare,
)
from earmark.immunization.selectors.protection import arrived_among, protection_check, tag_carriers
from earmark.quarantine.models import OPEN_STATES, Declaration, DeclaredRange, ForeignCertificate
from earmark.quarantine.services.review_data import DeclarationData, Review, TagProblem
from earmark.quarantine.services.review_fields import (
    _check_dealer,
    _check_fields,
    _check_restrictions,
)
from earmark.regions.gate import county_enabled


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
    # Tags another province registered came here on animals it certified (#30).
    from_abroad: dict[int, str] = {}
    for number, township, province in Tag.objects.filter(
        number__in=list(arrived.expand())
    ).values_list("number", "township_code", "origin_province"):
        by_township.setdefault(township, []).append(number)
        if province:
            from_abroad[number] = province
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
    # Animals another province certified are immunized as its certificate attests while it is
    # valid (it is quarantine's proof); afterwards they are re-immunized here (art. 14).
    attested = certified_elsewhere(from_abroad, on=protected_on)
    for shield in protection.segments:
        for message in shield.problems:
            if message != _("not on any animal"):
                for first, last in RangeSet(((shield.first, shield.last),)).difference(attested):
                    add(first, last, message)
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


def certified_elsewhere(from_abroad: dict[int, str], *, on: date) -> RangeSet:
    """Of ``from_abroad`` (tag number to the province that registered it), the tags that
    arrived under that province's certificate still valid ``on`` that day (#30). No statement
    at all when no tag came from another province."""
    if not from_abroad:
        return RangeSet()
    arrived = RangeSet.from_numbers(from_abroad)
    events = overlapping(
        TagEvent.objects.filter(kind=TagEvent.Kind.ARRIVED, document_type="certificate").only(
            "first", "last", "document_id"
        ),
        arrived,
    )
    valid = set(
        ForeignCertificate.objects.filter(
            number__in={event.document_id for event in events},
            valid_until__gte=on,
            revoked_at__isnull=True,
        ).values_list("province", "number")
    )
    found: list[int] = []
    for event in events:
        for a, b in arrived.intersection(RangeSet(((event.first, event.last),))):
            found.extend(n for n in range(a, b + 1) if (from_abroad[n], event.document_id) in valid)
    return RangeSet.from_numbers(found)
