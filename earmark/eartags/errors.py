"""The refusals of the tag inventory: numbers, registration, makers, issues, pliers (see
core.errors)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from earmark.core.errors import absent, conflict, malformed, refused

TAGS_UNREADABLE = malformed(
    "tags_unreadable",
    _("Some numbers could not be read."),
    "Tag text that is not 15-digit numbers or ranges of them; `detail.items` names each piece.",
)
NOT_A_TAG_NUMBER = malformed(
    "not_a_tag_number",
    _("This is not a 15-digit tag number."),
    "Where one tag number is expected: 15 digits, species digit first.",
)
TOO_MUCH = malformed(
    "too_much",
    _("Too many numbers in one request."),
    "More than 5,000 numbers and ranges, or a million numbers, in one request.",
)
TAG_UNREGISTERED = absent(
    "tag_unregistered",
    _("This number was never registered: possibly a forged tag."),
    "A well-formed number that no county registered.",
)
HOLDER_MALFORMED = malformed(
    "holder_malformed",
    _("Name the holder as agency:ID, premises:CODE or vaccinator:ID."),
    "A holder is written `agency:ID`, `premises:CODE` or `vaccinator:ID`.",
)
ISSUE_REPEATED = conflict(
    "issue_repeated",
    _("The same issue was made a moment ago."),
    "The same count of tags from the same holder to the same holder within a minute, without "
    "an Idempotency-Key: taken for a repeated submission and refused, naming the first issue.",
)
DELIVERY_NOTE_TAKEN = conflict(
    "delivery_note_taken",
    _("This delivery note is already recorded."),
    "A county records each delivery note of a maker once.",
)
DELIVERY_BEFORE_ORDER = refused(
    "delivery_before_order",
    _("The delivery date lies before the order."),
    "Tags are delivered against an order placed before.",
)
LICENCE_TAKEN = conflict(
    "licence_taken",
    _("This licence is registered already."),
    "A designated maker is registered once, by licence.",
)
MAKER_NOT_DESIGNATED = refused(
    "maker_not_designated",
    _("The maker is not designated on that day."),
    "Orders and deliveries only from a maker designated, and not revoked, on the day (art. 10).",
)
BEYOND_PLAN = refused(
    "beyond_plan",
    _("The order goes beyond the maker's production plan."),
    "The counties' orders of a year and species stay within the maker's plan.",
)
PLAN_BELOW_ORDERED = refused(
    "plan_below_ordered",
    _("The plan is below what the counties have ordered."),
    "A production plan cannot fall below the numbers already ordered against it.",
)
ORDER_OVERLAPS = conflict(
    "order_overlaps",
    _("The block overlaps another order."),
    "Each order is a block of the county's numbers that no other order holds.",
)
TAGS_NOT_HELD = refused(
    "tags_not_held",
    _("The holder does not hold these tags."),
    "Only the holder issues, returns, voids or applies tags; `detail.items` lists the ranges not "
    "held.",
)
TAGS_UNUSABLE = refused(
    "tags_unusable",
    _("These tags cannot be used this way."),
    "Tags whose state forbids the step (applied, in transit, cancelled, lost…); `detail.items` "
    "names each with its state.",
)
WRONG_RECIPIENT = refused(
    "wrong_recipient",
    _("The tags or pliers cannot go to this recipient."),
    "County → its township stations; station → farms of its township and vaccinators of its "
    "county; never to where they are already.",
)
RETURN_REFUSED = refused(
    "return_refused",
    _("The tags cannot be returned this way."),
    "A county has no one above it to return to; a vaccinator holding several townships' tags "
    "returns them to each station.",
)
PLIERS_NOT_HELD = refused(
    "pliers_not_held",
    _("These pliers cannot be handed over; nothing was recorded."),
    "Pliers handed over only by whoever holds them; `detail.items` names each.",
)
PLIERS_REGISTERED = conflict(
    "pliers_registered",
    _("These serials are registered already or given twice; nothing was registered."),
    "A pair of pliers is registered once, by serial.",
)
TAGS_ALREADY_USED = refused(
    "tags_already_used",
    _("A tag is applied only once; these were used already."),
    "A cancelled, recovered, lost, voided or destroyed tag is never applied again (Order 67).",
)
