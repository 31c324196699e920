from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from earmark.core.schemas import In
from earmark.slaughter.models import ProductCertificate, SlaughterBatch


class SourceIn(Schema):
    certificate: str = Field(max_length=20, description="a certificate received here")
    count: int = Field(description="how many of its animals are in the batch")


class BatchIn(In):
    keeps_in = SlaughterBatch
    premises: str = Field(max_length=12, description="the slaughterhouse (12-digit code)")
    sources: list[SourceIn] = Field(max_length=50)
    ante_result: str = Field(description="宰前检查: `passed` (fit) or `suspect`")
    ante_signs: str = Field("", description="clinical signs seen (required when suspect)")
    tags: str = Field("", description="the recovered tags of the batch's animals, if read")


class ProductIn(Schema):
    kind: str = Field(description="carcass (白条), cuts (分割肉) or offal (副产品)")
    quantity: int
    weight_kg: Decimal = Field(max_digits=10, decimal_places=1)


class PostMortemIn(In):
    keeps_in = SlaughterBatch
    findings: dict[str, str] = Field(
        default_factory=dict,
        description="同步检疫 by organ: head, skin, viscera, heart, liver, spleen, lungs, "
        "kidneys, carcass, trichina → what was found",
    )
    emergency: int = Field(0, description="animals slaughtered apart at once (急宰)")
    condemned: int = Field(0, description="animals condemned to harmless treatment")
    condemned_tags: str = ""
    condemned_kg: Decimal = Field(Decimal(0), max_digits=10, decimal_places=1)
    disposal_plant: str = Field("", max_length=12, description="the disposal plant (code)")
    notifiable: str = Field("", description="a notifiable disease found: blocks the batch")
    quality_certificate: str = Field("", description="肉品品质检验合格证 number")
    products: list[ProductIn] = Field(default_factory=list, max_length=3)


class BatchOut(Schema):
    number: str
    premises: str = Field(description="the slaughterhouse")
    species: str
    status: str
    sources: list[dict[str, object]]
    count: int
    ante_result: str
    ante_signs: str
    opened_at: datetime
    findings: dict[str, str]
    emergency: int
    condemned: int
    condemned_kg: Decimal
    notifiable: str
    quality_certificate: str
    products: list[ProductIn]

    @staticmethod
    def resolve_premises(batch: SlaughterBatch) -> str:
        return batch.slaughterhouse.code

    @staticmethod
    def resolve_products(batch: SlaughterBatch) -> list[dict[str, object]]:
        return [
            {"kind": p.kind, "quantity": p.quantity, "weight_kg": p.weight_kg}
            for p in batch.products.all()
        ]


class ConsignmentIn(In):
    keeps_in = ProductCertificate
    product: str = Field(description="carcass, cuts or offal")
    quantity: int
    weight_kg: Decimal = Field(max_digits=10, decimal_places=1)
    owner_name: str = Field(description="the buyer (货主)")
    owner_phone: str = ""
    destination_province: str = Field(max_length=6)
    destination_region: str = Field("", max_length=9)
    destination: str = Field("", description="the destination's address")
    vehicle_plate: str = ""
    valid_until: date | None = Field(
        None, description="shorter than the form's maximum (产品A 7 days, 产品B the day)"
    )


class ProductCertificateIn(ConsignmentIn):
    batch: str = Field(max_length=24, description="the slaughter batch that passed")
    supersedes: str = Field(
        "", max_length=20, description="the revoked certificate of the batch this one replaces"
    )


class ReasonIn(In):
    keeps_in = ProductCertificate
    columns = {"reason": "revoked_reason"}
    reason: str


class FindingIn(In):
    keeps_in = ProductCertificate
    columns = {"finding": "revoked_reason"}
    finding: str = Field(description="what was found (a food-safety finding in a shop)")


class ProductCertificateOut(Schema):
    number: str
    kind: str
    status: str
    batch: str
    parent: str
    supersedes: str
    species: str
    product: str
    quantity: int
    weight_kg: Decimal
    remaining_quantity: int
    remaining_kg: Decimal
    owner_name: str
    destination: str
    valid_from: date
    valid_until: date

    @staticmethod
    def resolve_batch(certificate: ProductCertificate) -> str:
        return certificate.batch.number

    @staticmethod
    def resolve_parent(certificate: ProductCertificate) -> str:
        return certificate.parent.number if certificate.parent else ""

    @staticmethod
    def resolve_supersedes(certificate: ProductCertificate) -> str:
        return certificate.supersedes.number if certificate.supersedes else ""


class OriginOut(Schema):
    county: str
    township: str
    farm: str
    animals: int


class ChainOut(Schema):
    batch: str
    result: str
    certificates: list[str]
    farms: list[str]
    origins: list[OriginOut]
    products: list[str]
