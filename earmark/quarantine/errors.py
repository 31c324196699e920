"""The refusals of declarations and certificates (see core.errors)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from earmark.core.errors import conflict, refused

DECLARATION_REFUSED = refused(
    "declaration_refused",
    _("The declaration was not submitted; correct these problems and submit again."),
    "A declaration that fails a check of the Jilin plan §2: every problem at once, by field "
    "and by tag range (`detail.items`).",
)
REVIEW_FAILED = refused(
    "review_failed",
    _("No certificate: the declaration no longer passes every check."),
    "At issue the declaration is checked again (stock, tags, immunizations, restrictions); "
    "something changed since it was accepted.",
)
DECLARATION_WRONG_STATUS = conflict(
    "declaration_wrong_status",
    _("The declaration is not at this step."),
    "Accept and reject a submitted declaration, inspect an accepted one, certify an inspected "
    "one that passed.",
)
VALIDITY_REFUSED = refused(
    "validity_refused",
    _("The validity asked for is not allowed."),
    "A certificate is valid from the departure day for at most the national maximum "
    "(动物A 5 days, 动物B the day) or the province's shorter setting.",
)
ISSUE_DAY_REFUSED = refused(
    "issue_day_refused",
    _("A certificate is issued on the departure day or the day before."),
    "The vet inspects and issues as the animals leave: on the planned departure day or the day "
    "before (an early-morning departure), never earlier and never after the departure day.",
)
NOT_REPLACEABLE = refused(
    "not_replaceable",
    _("Only a revoked certificate of this declaration can be replaced."),
    "A replacement certificate supersedes a revoked certificate of the same declaration.",
)
NOT_A_DESIGNATED_CHECKPOINT = refused(
    "not_a_designated_checkpoint",
    _("This is not a designated checkpoint of the register."),
    "A type A certificate names a checkpoint of the province's register; a type B names none.",
)
JOURNEY_INCOMPLETE = refused(
    "journey_incomplete",
    _("A certificate leaving the province lacks what its journey needs."),
    "A type A certificate by road names its designated checkpoint and travels on a registered "
    "vehicle (`EARMARK_TYPE_A_REGISTERED_VEHICLE`); every type A records the vehicle's "
    "disinfection. `detail.fields` names what is missing.",
)
CERTIFICATE_NOT_VALID = conflict(
    "certificate_not_valid",
    _("The certificate is no longer valid."),
    "Revoking, receiving or redirecting a certificate that is revoked, used or expired.",
)
KEY_ALREADY_TRUSTED = conflict(
    "key_already_trusted",
    _("This key is trusted already."),
    "Only a key waiting to be pinned, or a quarantined one, can be pinned.",
)
FINGERPRINT_MISMATCH = refused(
    "fingerprint_mismatch",
    _("The fingerprint does not match this key: check it again with the other province."),
    "Pinning another province's key needs its whole fingerprint, as that province gave it out "
    "of band; what was typed is not this key's.",
)
