"""The refusals of the premises registry, its ledger and its registers (see core.errors)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from earmark.core.errors import conflict, error_code, forbidden, refused

PREMISES_CODES_EXHAUSTED = refused(
    "premises_codes_exhausted",
    _("The county has used up its premises codes."),
    "A county's six-digit premises sequence is full (999,999 codes).",
)
PREMISES_ALREADY_VERIFIED = conflict(
    "premises_already_verified",
    _("The premises is already verified."),
    "Verifying premises that are verified already.",
)
PREMISES_INCOMPLETE = refused(
    "premises_incomplete",
    _("The base information is incomplete."),
    "Name, owner, mobile phone, species, stock, township and address are all needed before "
    "verification; `detail.fields` names what is missing.",
)
STOCK_NEGATIVE = refused(
    "stock_negative",
    _("The stock would fall below zero."),
    "A change that takes away more animals than the premises holds.",
)
STOCK_REASON_NOT_MANUAL = refused(
    "stock_reason_not_manual",
    _("This kind of change is recorded by its own document, not by hand."),
    "Animals enter, leave or end only by their document (certificate, receipt, slaughter "
    "inspection, death report); by hand only births and home slaughter at farms and "
    "households, and the county's opening balances; a balance is corrected by a stocktake "
    "the county approves.",
)
STOCK_REASON_NOT_HERE = refused(
    "stock_reason_not_here",
    _("This change cannot be recorded by hand at this premises."),
    "Births and home slaughter happen at farms and households only; a slaughterhouse, market "
    "or disposal plant changes its stock through receipts, slaughter and death reports.",
)
STOCK_COUNTY_ONLY = refused(
    "stock_county_only",
    _("Only the county sets an opening balance."),
    "Opening balances are the county officer's; townships record births and home slaughter.",
)
OPENING_BALANCE_SET = conflict(
    "opening_balance_set",
    _("The opening balance of this species is set already."),
    "A premises' stock of a species is opened once (at registration, import or by the "
    "county); after that only documents and corrections move it.",
)
STOCK_BELOW_TAGGED = refused(
    "stock_below_tagged",
    _("The stock would fall below the tagged live animals recorded here."),
    "A hand entry that leaves fewer animals than the live tagged animals on the premises; "
    "tagged animals leave by their tags (certificate, death report).",
)
ID_CARD_TAKEN = conflict(
    "id_card_taken",
    _("This ID card is registered to a dealer already."),
    "A dealer is registered once, by ID card number.",
)
PLATE_TAKEN = conflict(
    "plate_taken",
    _("This vehicle is registered already."),
    "A vehicle is registered once, by plate.",
)
CHECKPOINT_TAKEN = conflict(
    "checkpoint_taken",
    _("A checkpoint with this code or name is registered already."),
    "Designated checkpoints have unique codes and names.",
)
NOT_A_CHECKPOINT_OFFICER = refused(
    "not_a_checkpoint_officer",
    _("No active checkpoint officer of the checkpoint's county has this user name."),
    "Only active checkpoint officers of the checkpoint's own county are posted there.",
)
ALREADY_SUSPENDED = conflict(
    "already_suspended",
    _("This is suspended already."),
    "Suspending a dealer or a vehicle that is suspended.",
)
NOT_SUSPENDED = conflict(
    "not_suspended",
    _("This is not suspended."),
    "Reinstating a dealer or a vehicle that is active.",
)
RESTRICTION_ALREADY_LIFTED = conflict(
    "restriction_already_lifted",
    _("The restriction is already lifted."),
    "Lifting a movement restriction that was lifted before.",
)
SYNC_ALREADY_APPLIED = conflict(
    "sync_already_applied",
    _("This upload was already applied."),
    "A base-information upload is applied once.",
)
FARM_HAS_NO_PIN = refused(
    "farm_has_no_pin",
    _("This farm has no PIN yet. Ask the township station for one."),
    "The farm's page and token need the PIN the township station hands out.",
)
WRONG_PIN = forbidden(
    "wrong_pin",
    _("The PIN is wrong. The page locks for a while after repeated wrong PINs."),
    "The farm's PIN does not match; from the fifth wrong PIN, the address that sent it waits.",
)
PIN_LOCKED = error_code(
    "pin_locked",
    429,
    _("Too many wrong PINs. Try again later."),
    "Too many wrong PINs from this address (1 minute, doubling up to an hour), or from "
    "everywhere (the farm, 15 minutes): try again after the time the message gives.",
)
QR_CODE_RETIRED = error_code(
    "qr_code_retired",
    404,
    _("This QR code is no longer valid. Ask the township station for a new one."),
    "A farm's QR address that was replaced or never existed.",
)
