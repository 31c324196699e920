"""What the quarantine API takes and answers: its request and response schemas."""

from datetime import date, datetime

from ninja import Field, Schema

from earmark.core.schemas import In, SpeciesCode, formerly
from earmark.quarantine.models import Certificate, Declaration, TransportMode
from earmark.quarantine.selectors import certificate_state


class FarmDeclarationIn(In):
    """A declaration as the farm itself makes it (its premises is the token's)."""

    keeps_in = Declaration
    renamed = {"numbers": "tags"}
    species: SpeciesCode
    quantity: int
    purpose: Declaration.Purpose
    destination_province: str
    destination_region: str = ""
    destination_premises: str = ""
    destination_address: str = ""
    planned_departure: datetime
    carrier_name: str
    carrier_phone: str
    vehicle_plate: str
    tags: str
    dealer: str = Field(
        "", max_length=16, description="The registration code of the dealer who bought them"
    )


class DeclarationIn(FarmDeclarationIn):
    """A declaration a township station enters for a farm (by telephone)."""

    renamed = {"premises": "origin_premises", "numbers": "tags"}
    origin_premises: str


class DeclarationOut(Schema):
    number: str
    origin_premises: str = Field(alias="premises.code")
    premises: str = formerly("origin_premises")
    premises_name: str = Field(alias="premises.name")
    species: str
    quantity: int
    purpose: str
    destination_province: str
    destination_region: str | None
    destination_premises: str | None
    destination_address: str
    planned_departure: datetime
    carrier_name: str
    carrier_phone: str
    vehicle_plate: str
    vehicle_registered: bool
    dealer: str | None = Field(None, alias="dealer.code")
    channel: str
    status: str
    reject_reason: str
    clinical_result: str
    inspection_notes: str
    tags: list[str]
    ranges: list[str] = formerly("tags")
    created_at: datetime

    @staticmethod
    def resolve_premises(d: Declaration) -> str:
        return d.premises.code

    @staticmethod
    def resolve_vehicle_registered(d: Declaration) -> bool:
        return d.vehicle_id is not None

    @staticmethod
    def resolve_destination_region(d: Declaration) -> str | None:
        return d.destination_region_id

    @staticmethod
    def resolve_destination_premises(d: Declaration) -> str | None:
        return d.destination_premises.code if d.destination_premises else None

    @staticmethod
    def resolve_tags(d: Declaration) -> list[str]:
        return [str(r) for r in d.ranges.all()]

    resolve_ranges = resolve_tags  # the deprecated name of the same value


class DecisionIn(In):
    keeps_in = Declaration
    columns = {"reason": "reject_reason"}
    reason: str = ""


class InspectionIn(In):
    keeps_in = Declaration
    columns = {"notes": "inspection_notes"}
    passed: bool
    notes: str = ""


class CertificateIn(In):
    keeps_in = Certificate
    declaration: str
    valid_until: date | None = Field(
        None,
        description=(
            "Last day of validity; by default the departure day plus the transit time to the "
            "destination. It may be shortened, never set before the departure."
        ),
    )
    validity_days: int | None = Field(
        None, description="Deprecated: days counted from the departure day; use valid_until."
    )
    supersedes: str | None = None
    transport_mode: TransportMode = Field(
        TransportMode.ROAD, description="运载方式: road, rail, water or air"
    )
    disinfection: str = Field(
        "", description="运载工具消毒情况: how the vehicle was disinfected before loading"
    )
    checkpoint: str = Field(
        "", description="The designated checkpoint (指定通道) a type A certificate passes"
    )


class CertificateOut(Schema):
    number: str
    kind: str
    declaration: str
    origin_premises: str
    premises: str = formerly("origin_premises")
    species: str
    quantity: int
    purpose: str
    owner_name: str
    origin: str
    destination: str
    destination_premises: str | None
    planned_departure: datetime | None
    carrier_name: str
    vehicle_plate: str
    transport_mode: str
    disinfection: str
    checkpoint: str
    valid_from: date
    valid_until: date
    state: str = Field(description="valid, expired, revoked or used (received)")
    status: str = formerly("state", "the stored status (valid, revoked, used), blind to expiry")
    issued_by: str
    issued_at: datetime
    revoked_reason: str
    supersedes: str | None
    tags: list[str]
    ranges: list[str] = formerly("tags")
    payload: str

    @staticmethod
    def resolve_declaration(c: Certificate) -> str:
        return c.declaration.number

    @staticmethod
    def resolve_origin_premises(c: Certificate) -> str:
        return c.premises.code

    resolve_premises = resolve_origin_premises  # the deprecated name of the same value

    @staticmethod
    def resolve_destination_premises(c: Certificate) -> str | None:
        return c.destination_premises.code if c.destination_premises else None

    @staticmethod
    def resolve_state(c: Certificate) -> str:
        return certificate_state(c)

    @staticmethod
    def resolve_issued_by(c: Certificate) -> str:
        return str(c.issued_by)

    @staticmethod
    def resolve_supersedes(c: Certificate) -> str | None:
        return c.supersedes.number if c.supersedes else None

    @staticmethod
    def resolve_tags(c: Certificate) -> list[str]:
        return [str(r) for r in c.ranges.all()]

    resolve_ranges = resolve_tags  # the deprecated name of the same value


class RevokeIn(In):
    keeps_in = Certificate
    columns = {"reason": "revoked_reason"}
    reason: str


class VerifyIn(In):
    payload: str


class DeclarationPreviewOut(Schema):
    quantity: int
    purpose: str
    tags: list[str]
    ranges: list[str] = formerly("tags")


class CertificateListOut(Schema):
    number: str
    kind: str
    state: str = Field(description="valid, expired, revoked or used (received)")
    status: str = formerly("state", "the stored status (valid, revoked, used), blind to expiry")
    origin_premises: str = Field(alias="premises.code")
    premises: str = formerly("origin_premises")
    premises_name: str = Field(alias="premises.name")
    species: str
    quantity: int
    purpose: str
    destination: str
    destination_premises: str | None
    valid_from: date
    valid_until: date
    issued_at: datetime
    received: bool

    @staticmethod
    def resolve_state(c: Certificate) -> str:
        return certificate_state(c)

    @staticmethod
    def resolve_premises(c: Certificate) -> str:
        return c.premises.code

    @staticmethod
    def resolve_destination_premises(c: Certificate) -> str | None:
        return c.destination_premises.code if c.destination_premises else None

    @staticmethod
    def resolve_received(c: Certificate) -> bool:
        return c.status == Certificate.Status.USED
