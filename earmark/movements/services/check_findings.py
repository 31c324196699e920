"""What a checkpoint compares: the officer's record of the vehicle against the certificate, and
the certificate's standing (revoked, used, expired, restricted). One result by precedence, every
other finding beside it; the phone's offline check (checkpoint.js) follows the same order."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from earmark.core.validators import normalize_plate
from earmark.eartags.messages import format_ranges
from earmark.eartags.ranges import RangeSet
from earmark.farms.models import Checkpoint, Restriction
from earmark.movements.models import CheckpointCheck

Result = CheckpointCheck.Result


@dataclass(frozen=True)
class Expected:
    """What the certificate says of the journey, as far as it is known here."""

    plate: str = ""
    quantity: int | None = None
    tags: RangeSet | None = None
    # A type A certificate's designated checkpoint (our own certificates only).
    checkpoint: Checkpoint | None = None


@dataclass(frozen=True)
class Observed:
    """What the officer recorded; ``tags`` already read from the typed text."""

    plate: str
    animals: int | None
    tags: RangeSet
    disinfected: bool | None
    post: Checkpoint | None


def differences(expected: Expected, seen: Observed) -> list[dict[str, str]]:
    """Each way the vehicle differs from its certificate, in words an officer reads out."""
    found: list[dict[str, str]] = []
    plate = normalize_plate(seen.plate)
    if plate and expected.plate and plate != normalize_plate(expected.plate):
        found.append(
            {
                "code": "plate",
                "message": _("Plate %(seen)s; the certificate names %(expected)s.")
                % {"seen": plate, "expected": expected.plate},
            }
        )
    if (
        seen.animals is not None
        and expected.quantity is not None
        and seen.animals != expected.quantity
    ):
        found.append(
            {
                "code": "head",
                "message": _("%(seen)d head counted; the certificate says %(expected)d.")
                % {"seen": seen.animals, "expected": expected.quantity},
            }
        )
    if seen.tags and expected.tags is not None:
        strangers = seen.tags.difference(expected.tags)
        if strangers:
            found.append(
                {
                    "code": "tags",
                    "message": _("Tags not on the certificate: %(ranges)s.")
                    % {"ranges": format_ranges(strangers)},
                }
            )
    if seen.disinfected is False:
        found.append(
            {"code": "disinfection", "message": _("The vehicle was not disinfected here.")}
        )
    if (
        expected.checkpoint is not None
        and seen.post is not None
        and seen.post.pk != expected.checkpoint.pk
    ):
        found.append(
            {
                "code": "checkpoint",
                "message": _("The certificate names the checkpoint %(name)s, not this one.")
                % {"name": expected.checkpoint.name},
            }
        )
    return found


def restriction_finding(restriction: Restriction) -> dict[str, str]:
    return {
        "code": "restricted",
        "message": _("The origin is under a movement restriction since %(since)s: %(reason)s")
        % {
            "since": restriction.starts_at.strftime("%Y-%m-%d"),
            "reason": restriction.reason,
        },
    }


def standing_of(
    state: str, restriction: Restriction | None, found: list[dict[str, str]]
) -> tuple[str, list[dict[str, str]]]:
    """The one result, the strongest first — 伪造 > 已吊销 > 已使用 > 已过期 > 限制中 > 不符 >
    有效 — from the certificate's own state, a restriction over its origin and the
    differences; with the findings the result does not already say."""
    findings = ([restriction_finding(restriction)] if restriction else []) + found
    if state not in (Result.VALID,):
        return state, findings
    if restriction is not None:
        return Result.RESTRICTED, findings[1:]
    if found:
        return Result.MISMATCH, findings
    return Result.VALID, []
