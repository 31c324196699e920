"""What comes in from the national platform is read here before anything is believed (#30).

The platform is a trust boundary: it may hand over anything — JSON of any shape, numbers of any
size, keys nobody made, copies that contradict each other. Each store takes the entries one at
a time (``take_each``): an entry is believed only for what its issuer's signature covers, and an
entry that cannot be read or believed becomes a ``Refusal`` with its reason, which the exchange
sets aside for the province administrator. One bad entry never stops the others."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from earmark.core.validators import one_line

log = logging.getLogger(__name__)

# At most this many entries of one answer are read in one pull.
MAX_ENTRIES = 5000
# A signed payload or a signed document longer than this is not read.
MAX_SIGNED = 8000


class Reason(models.TextChoices):
    UNREADABLE = "unreadable", _("Not readable: not the shape the platform documents")
    OUT_OF_BOUNDS = "out_of_bounds", _("A field is missing, of the wrong type or out of bounds")
    OWN_PROVINCE = "own_province", _("Claims this province's own code")
    KEY_MISMATCH = "key_mismatch", _("The key id does not match the key")
    CONFLICT = "conflict", _("Contradicts what is already stored")
    UNTRUSTED_KEY = "untrusted_key", _("Signed with a key this province does not trust")
    BAD_SIGNATURE = "bad_signature", _("The signature does not verify")
    RETIRED_KEY = "retired_key", _("Signed with a key after it was replaced")
    UNSIGNED_DISAGREES = "unsigned_disagrees", _("An unsigned field disagrees with the signature")
    NOT_FOR_US = "not_for_us", _("Not for this province")
    NOT_A_PARTY = (
        "not_a_party",
        _("From a province that neither issued nor receives the certificate"),
    )
    UNKNOWN_CERTIFICATE = "unknown_certificate", _("Names a certificate not known here")
    UNKNOWN_SPECIES = "unknown_species", _("A species not known here")


@dataclass(eq=False)
class Refusal(Exception):
    """An entry not taken, and why; ``alert``: raise it to the province administrator."""

    reason: Reason
    detail: str = ""
    reference: str = ""
    province: str = ""
    alert: bool = False


@dataclass(frozen=True)
class Refused:
    kind: str
    entry: Any
    refusal: Refusal


@dataclass
class Taken:
    kind: str = ""
    stored: int = 0
    refused: list[Refused] = field(default_factory=list)
    # The entries that held (stored now or before): one set aside earlier is settled by them.
    held: list[Any] = field(default_factory=list)
    # Raised to the province administrator although nothing was refused (a key quarantined).
    alerts: list[str] = field(default_factory=list)


def take_each(kind: str, entries: Any, take: Callable[[dict[str, Any], Taken], bool]) -> Taken:
    """``take`` each entry in its own savepoint: True when it stored something new; a
    ``Refusal`` it raises, or anything unexpected, sets the entry aside with its reason."""
    result = Taken(kind)
    if not isinstance(entries, list):
        result.refused.append(Refused(kind, entries, Refusal(Reason.UNREADABLE, "not a list")))
        return result
    for entry in entries[:MAX_ENTRIES]:
        try:
            if not isinstance(entry, dict):
                raise Refusal(Reason.UNREADABLE, "not an object")
            with transaction.atomic():
                result.stored += bool(take(entry, result))
            result.held.append(entry)
        except Refusal as refusal:
            result.refused.append(Refused(kind, entry, refusal))
        except Exception as error:  # one entry never stops the rest
            log.exception("an inbound %s could not be taken", kind)
            unread = Refusal(Reason.UNREADABLE, type(error).__name__)
            result.refused.append(Refused(kind, entry, unread))
    return result


def text(entry: dict[str, Any], name: str, limit: int) -> str:
    """A text field, or a refusal naming it."""
    value = entry.get(name)
    if not isinstance(value, str) or not value or len(value) > limit:
        raise Refusal(Reason.OUT_OF_BOUNDS, name)
    return value


def words(value: Any, limit: int) -> str:
    """Text as one line of printable characters (anything else is no text)."""
    return one_line(value, limit) if isinstance(value, str) else ""


def digits(value: Any, name: str, lengths: tuple[int, ...]) -> str:
    if not (isinstance(value, str) and value.isascii() and value.isdigit()):
        raise Refusal(Reason.OUT_OF_BOUNDS, name)
    if len(value) not in lengths:
        raise Refusal(Reason.OUT_OF_BOUNDS, name)
    return value


def whole(value: Any, name: str, low: int, high: int) -> int:
    """An integer within bounds (JSON true is not one)."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Refusal(Reason.OUT_OF_BOUNDS, name)
    return value


def day(value: Any, name: str) -> date:
    try:
        return date.fromisoformat(value if isinstance(value, str) and len(value) == 10 else "")
    except ValueError:
        raise Refusal(Reason.OUT_OF_BOUNDS, name) from None


def moment(value: Any, name: str) -> datetime:
    try:
        found = datetime.fromisoformat(value if isinstance(value, str) and len(value) <= 40 else "")
    except ValueError:
        raise Refusal(Reason.OUT_OF_BOUNDS, name) from None
    if not 2000 <= found.year <= 2100:
        raise Refusal(Reason.OUT_OF_BOUNDS, name)
    return found if timezone.is_aware(found) else timezone.make_aware(found)


def tag_ranges(value: Any, name: str, limit: int = 1000) -> list[list[int]]:
    """Tag ranges as another province signed them: at most ``limit``, of 15-digit numbers, each
    first to last."""
    if not isinstance(value, list) or len(value) > limit:
        raise Refusal(Reason.OUT_OF_BOUNDS, name)
    ranges = []
    for pair in value:
        if not (isinstance(pair, list) and len(pair) == 2) or not all(
            isinstance(n, int) and not isinstance(n, bool) and 0 < n < 10**15 for n in pair
        ):
            raise Refusal(Reason.OUT_OF_BOUNDS, name)
        if pair[0] > pair[1]:
            raise Refusal(Reason.OUT_OF_BOUNDS, name)
        ranges.append([pair[0], pair[1]])
    return ranges
