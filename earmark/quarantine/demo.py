"""Demo declarations of 宏达 in every state, and issued certificates (one of them revoked and
replaced), so that the station's queue, the vet's work and the checkpoints have something."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.db import transaction
from django.utils import timezone

from earmark.accounts.models import Role, User
from earmark.eartags.codes import format_tag
from earmark.farms.models import Premises
from earmark.immunization.models import AnimalTag
from earmark.quarantine.models import Declaration, ForeignCertificate
from earmark.quarantine.neighbour import Neighbour
from earmark.quarantine.services.certificates import certificate_issue, certificate_revoke
from earmark.quarantine.services.declarations import (
    declaration_decide,
    declaration_inspect,
    declaration_submit,
)
from earmark.quarantine.services.foreign import foreign_certificates_store
from earmark.quarantine.services.journey import Journey
from earmark.quarantine.services.province_keys import province_key_pin, province_keys_store
from earmark.quarantine.services.review_data import DeclarationData, notice_hours
from earmark.regions.demo import demo_place
from earmark.regions.gate import county_enabled


def declared_in_advance(*, premises: Premises, data: DeclarationData) -> Declaration:
    """The declaration of a journey that leaves today, submitted as long before as the notice
    for its purpose asks (3 days to raise, 15 to breed): the demo's and the tests' past, so that
    the certificate is issued now, on the departure day, as the rules want."""
    ahead = timedelta(hours=notice_hours(data.purpose), minutes=30)
    if data.planned_departure - timezone.now() >= ahead:
        return declaration_submit(premises=premises, data=data)
    with time_machine.travel(data.planned_departure - ahead, tick=False):
        return declaration_submit(premises=premises, data=data)


def _data(tags: list[int], **changes: object) -> DeclarationData:
    place = demo_place()
    slaughterhouse = Premises.objects.get(external_id="DEMO-007")
    values: dict[str, object] = {
        "species": "pig",
        "quantity": len(tags),
        "purpose": "slaughter",
        "destination_province": place.province,
        "destination_region": slaughterhouse.township_id,
        "destination_premises": slaughterhouse.code,
        "planned_departure": timezone.now() + timedelta(hours=12),
        "carrier_name": "孙师傅",
        "carrier_phone": place.phone(88, "138"),
        "vehicle_plate": place.plate("7D521"),
        "numbers": " ".join(format_tag(n) for n in tags),
    }
    values.update(changes)
    return DeclarationData(**values)  # type: ignore[arg-type]


@transaction.atomic
def seed_declarations(*, township_officer: User, vet: User) -> bool:
    farm = Premises.objects.get(external_id="DEMO-001")
    if Declaration.objects.filter(premises=farm).exists() or not county_enabled(farm.county_code):
        return False
    # The 40 pigs vaccinated 30 days ago are protected; the 20 vaccinated 200 days ago are not.
    protected = sorted(
        a.tag_id
        for a in AnimalTag.objects.filter(
            animal__premises=farm, tag__state="applied"
        ).select_related("animal")
        if a.animal.immunizations.filter(
            record__vaccinated_on__gte=timezone.localdate() - timedelta(days=60)
        ).exists()
    )[:40]
    groups = [protected[i : i + 5] for i in range(0, 40, 5)]

    def submitted(tags: list[int], **changes: object) -> Declaration:
        return declaration_submit(premises=farm, data=_data(tags, **changes))

    rejected = submitted(groups[0])
    declaration_decide(
        actor=township_officer,
        declaration=rejected,
        accept=False,
        reason="车辆未经消毒，请消毒后重新申报",
    )
    failed = submitted(groups[0])
    declaration_decide(actor=township_officer, declaration=failed, accept=True)
    declaration_inspect(
        actor=vet, declaration=failed, passed=False, notes="3号栏1头体温偏高，需隔离观察"
    )
    certified = submitted(groups[1] + groups[2])
    declaration_decide(actor=township_officer, declaration=certified, accept=True)
    declaration_inspect(actor=vet, declaration=certified, passed=True, notes="临床检查健康")
    first = certificate_issue(actor=vet, declaration=certified)
    certificate_revoke(actor=vet, certificate=first, reason="运输车辆更换")
    certificate_issue(actor=vet, declaration=certified, supersedes=first)
    outside = declared_in_advance(
        premises=farm,
        data=_data(
            groups[3],
            purpose="raising",
            destination_province=demo_place().partner,
            destination_region="",
            destination_premises="",
            destination_address=demo_place().preset.partner_address,
            planned_departure=timezone.now() + timedelta(hours=10),
        ),
    )
    declaration_decide(actor=township_officer, declaration=outside, accept=True)
    declaration_inspect(actor=vet, declaration=outside, passed=True, notes="临床检查健康")
    certificate_issue(
        actor=vet,
        declaration=outside,
        validity_days=3,
        journey=Journey(
            checkpoint=f"{demo_place().preset.province_initials}-ZD-001",
            disinfection="过氧乙酸喷雾消毒",
        ),
    )
    inspected = submitted(groups[4])
    declaration_decide(actor=township_officer, declaration=inspected, accept=True)
    declaration_inspect(actor=vet, declaration=inspected, passed=True, notes="临床检查健康")
    accepted = submitted(groups[5])
    declaration_decide(actor=township_officer, declaration=accepted, accept=True)
    submitted(groups[6])
    return True


@transaction.atomic
def seed_foreign_certificate() -> bool:
    """The partner province's published key (Heilongjiang's for Jilin) — already pinned by the
    province administrator, as after the fingerprint ceremony — and a type A certificate it
    issued for pigs coming to the demo county, as the national platform would hand them over
    (the demo plays that province: its private key is made here and thrown away)."""
    admin = User.objects.filter(role_assignments__role=Role.PROVINCE_ADMIN).first()
    if admin is None or ForeignCertificate.objects.exists():
        return False
    place = demo_place()
    partner = Neighbour(place.partner)
    province_keys_store([partner.key_entry()])
    province_key_pin(actor=admin, kid=partner.kid, fingerprint=partner.fingerprint)
    first = place.tag_prefix(1, place.preset.partner_county) * 10**8 + 200_001
    certificate = partner.certificate(
        f"{place.partner[:2]}1260000158",
        destination=place.county,
        quantity=20,
        tags=((first, first + 19),),
        origin=place.preset.partner_origin,
        destination_name=f"{place.province_name}{place.city_name}{place.county_name}",
    )
    return foreign_certificates_store([certificate]).stored == 1
