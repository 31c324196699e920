"""The refusals of immunization, tagging, the vaccine catalogue and farm vets (see
core.errors)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from earmark.core.errors import conflict, forbidden, refused

IMMUNIZATION_REFUSED = refused(
    "immunization_refused",
    _("The immunization could not be recorded."),
    "A session refused as a whole: `detail.fields` and `detail.items` list every problem (tags "
    "not held or used, wrong species, vaccine, disinfection, pliers, stock).",
)
IMMUNIZATION_REPEATED = conflict(
    "immunization_repeated",
    _("These animals were vaccinated with this vaccine and batch on this day already."),
    "A session repeating one recorded (the same animals, vaccine, batch and day) under another "
    "idempotency key or none: the existing record is named. A retry with the same key returns "
    "the first answer instead.",
)
NOT_FROM_OUTSIDE = refused(
    "not_from_outside",
    _(
        "Only an animal that arrived from another county or province gets a re-immunization "
        "tag; for a lost or damaged tag record a replacement."
    ),
    "Art. 14's right-ear tag is for animals brought in from outside the county.",
)
STILL_PROTECTED = refused(
    "still_protected",
    _("A breeding or dairy animal that is still protected keeps its tag; it is not re-tagged."),
    "Breeding and dairy animals already tagged and protected are not re-tagged (art. 14).",
)
RETAGGING_REFUSED = refused(
    "retagging_refused",
    _("The new tag could not be recorded."),
    "A replacement or re-immunization tag refused: the new tag, the vaccine, the disinfection or "
    "the pliers (`detail.fields`).",
)
NOT_A_FARM = refused(
    "not_a_farm",
    _("Animals are tagged at farms and households."),
    "Slaughterhouses, markets and disposal plants do not tag animals.",
)
NOT_APPROVED = forbidden(
    "not_approved",
    _("Your approval does not cover this."),
    "A farm's own veterinarian works only at his farm, for the species and period approved "
    "(art. 13).",
)
OVER_STOCK = refused(
    "over_stock",
    _("More tagged animals than the farm's stock."),
    "Tagging more animals than the ledger says are on hand: record the stock change first.",
)
VACCINE_TAKEN = conflict(
    "vaccine_taken",
    _("This vaccine of this manufacturer is already in the catalogue."),
    "A vaccine is listed once per manufacturer.",
)
SPECIES_TAKEN = conflict(
    "species_taken",
    _("The species could not be added."),
    "A species' code, name and tag digits are unique; `detail.fields` says which is taken.",
)
FARM_VET_APPROVED = conflict(
    "farm_vet_approved",
    _("This veterinarian is approved for this farm already."),
    "One standing approval per veterinarian and farm.",
)
