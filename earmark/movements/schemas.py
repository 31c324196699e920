"""What the movements API takes and answers: its request and response schemas."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from earmark.core.schemas import In, SpeciesCode
from earmark.eartags.codes import format_range
from earmark.movements.models import (
    Alert,
    CheckpointCheck,
    Death,
    DestructionBatch,
    Receipt,
    RestrictionOverride,
)
from earmark.quarantine.models import Redirect


def tag_texts(rows: list[list[int]]) -> list[str]:
    return [format_range(a, b) for a, b in rows]


class CheckpointCheckIn(In):
    keeps_in = CheckpointCheck
    place: str = Field("", description="Where; by default the checkpoint you are posted at")
    payload: str = ""
    number: str = ""
    checked_at: datetime | None = None
    offline: bool = False
    vehicle_plate: str = ""
    animals_seen: int | None = Field(None, ge=0, le=5000)
    tags_read: str = Field("", max_length=2000, description="The tags read, as typed or scanned")
    disinfected: bool | None = Field(None, description="Whether the vehicle was disinfected here")


class SnapshotKeyOut(Schema):
    province: str
    kid: str
    public_key: str = Field(description="Ed25519 public key: 32 bytes, base64url")
    until: str | None = Field(
        description="Replaced by a later key: certificates issued after this day are not its"
    )


class CheckpointSnapshotOut(Schema):
    as_of: datetime
    key_id: str = Field(description="The fingerprint every signed payload carries as kid")
    public_key: str = Field(description="The province's Ed25519 public key: 32 bytes, base64url")
    revoked: list[str] = Field(
        description="Numbers of the certificates revoked while still within their validity"
    )
    keys: list[SnapshotKeyOut] = Field(
        description="Other provinces' trusted keys and this province's replaced keys"
    )
    used: list[list[str]] = Field(
        description="Numbers of certificates already used, as ranges [first, last]"
    )
    restricted: list[dict[str, str]] = Field(
        description="Valid certificates whose origin a movement restriction covers now: "
        "number, reason, since"
    )


class ArrivalIn(In):
    certificate: str
    premises: str
    tags: str
    arrived_at: datetime | None = None


class SlaughterIn(In):
    keeps_in = Receipt
    renamed = {"slaughterhouse": "premises"}
    certificate: str
    premises: str = Field(description="the slaughterhouse")
    tags: str
    passed: bool
    findings: str = ""
    finding_kinds: list[Alert.Kind] = []
    untagged: int = 0


class DeathIn(In):
    keeps_in = Death
    premises: str
    species: SpeciesCode
    tags: str = ""
    untagged: int = 0
    cause: str
    disposal_plant: str = ""


class DestructionIn(In):
    keeps_in = DestructionBatch
    tags: str = ""
    include_voided: bool = False
    destroyed_on: date | None = None
    method: str
    witnesses: str = Field(description="at least two witnesses, separated by 、 or commas")
    place: str = Field(description="where the tags were destroyed")


class AcknowledgeIn(In):
    keeps_in = Alert
    action_taken: str


class RedirectIn(In):
    keeps_in = Redirect
    premises: str
    reason: str


class OverrideIn(In):
    keeps_in = RestrictionOverride
    reason: str


class OverrideOut(Schema):
    certificate: str
    restriction: int
    reason: str
    recorded_at: datetime

    @staticmethod
    def resolve_certificate(o: RestrictionOverride) -> str:
        return o.certificate.number

    @staticmethod
    def resolve_restriction(o: RestrictionOverride) -> int:
        return o.restriction_id


class RedirectOut(Schema):
    certificate: str
    from_premises: str | None
    from_region: str | None
    to_premises: str
    to_premises_name: str
    reason: str
    recorded_at: datetime

    @staticmethod
    def resolve_certificate(r: Redirect) -> str:
        return r.certificate.number

    @staticmethod
    def resolve_from_premises(r: Redirect) -> str | None:
        return r.from_premises.code if r.from_premises else None

    @staticmethod
    def resolve_from_region(r: Redirect) -> str | None:
        return r.from_region_id

    @staticmethod
    def resolve_to_premises(r: Redirect) -> str:
        return r.to_premises.code

    @staticmethod
    def resolve_to_premises_name(r: Redirect) -> str:
        return r.to_premises.name


class ReceiptPreviewOut(Schema):
    received: list[str]
    missing: list[str]
    extra: list[str]


class ReceiptOut(Schema):
    certificate: str
    kind: str
    premises: str
    arrived_at: datetime
    received: list[str]
    missing: list[str]
    extra: list[str]
    late: bool
    passed: bool | None
    findings: str

    @staticmethod
    def resolve_certificate(r: Receipt) -> str:
        return r.certificate.number

    @staticmethod
    def resolve_premises(r: Receipt) -> str:
        return r.premises.code

    @staticmethod
    def resolve_received(r: Receipt) -> list[str]:
        return tag_texts(r.received)

    @staticmethod
    def resolve_missing(r: Receipt) -> list[str]:
        return tag_texts(r.missing)

    @staticmethod
    def resolve_extra(r: Receipt) -> list[str]:
        return tag_texts(r.extra)


class AlertOut(Schema):
    id: int
    kind: str
    county_code: str
    certificate: str | None
    message: str
    trace: dict[str, Any]
    raised_at: datetime
    respond_by: datetime = Field(description="Answer by then (art. 29), else it is overdue")
    overdue: bool = Field(description="Unanswered past respond_by")
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    action_taken: str
    from_province: str = Field(description="The province that raised it, if not this one")

    @staticmethod
    def resolve_county_code(a: Alert) -> str:
        return a.county_id

    @staticmethod
    def resolve_certificate(a: Alert) -> str | None:
        return a.certificate.number if a.certificate else None

    @staticmethod
    def resolve_acknowledged_by(a: Alert) -> str | None:
        return str(a.acknowledged_by) if a.acknowledged_by else None


class DeathOut(Schema):
    id: int
    premises: str
    species: str
    count: int
    tags: list[str]
    cause: str
    disposal_plant: str | None
    disposal_confirmed_at: datetime | None

    @staticmethod
    def resolve_premises(d: Death) -> str:
        return d.premises.code

    @staticmethod
    def resolve_tags(d: Death) -> list[str]:
        return tag_texts(d.tags)

    @staticmethod
    def resolve_disposal_plant(d: Death) -> str | None:
        return d.disposal_plant.code if d.disposal_plant else None


class DestructionOut(Schema):
    number: str
    county_code: str
    destroyed_on: date
    method: str
    place: str
    witnesses: str
    count: int
    recovered: list[str]
    voided: list[str]

    @staticmethod
    def resolve_county_code(b: DestructionBatch) -> str:
        return b.county_id

    @staticmethod
    def resolve_recovered(b: DestructionBatch) -> list[str]:
        return tag_texts(b.recovered)

    @staticmethod
    def resolve_voided(b: DestructionBatch) -> list[str]:
        return tag_texts(b.voided)


class ForeignReceiptOut(Schema):
    certificate: str = Field(alias="certificate.number")
    province: str = Field(alias="certificate.province")
    premises: str = Field(alias="premises.code")
    arrived_at: datetime
    received: list[list[int]]
    missing: list[list[int]]
    extra: list[list[int]]
    late: bool = Field(description="Animals for raising reported more than 24 hours after arrival")
    isolation_until: date | None = Field(
        None, description="Breeding and dairy animals stay in isolation until this day"
    )


class OverdueOut(Schema):
    """A valid certificate past its validity that no destination has received."""

    number: str
    premises: str = Field(validation_alias="premises.code", description="the origin premises")
    valid_until: date
    quantity: int
