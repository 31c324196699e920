"""Livestock dealers (贩运经纪人备案, #17): the county registers a dealer with his identity,
contact, the counties he works in and his training; a declaration may name him, and a suspended
dealer — or one not registered to work in the farm's county — is refused."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import require_role
from earmark.accounts.models import Role, User
from earmark.audit.outbox import outbox_emit
from earmark.audit.services import audit_record
from earmark.core.codes import county_of
from earmark.core.errors import BusinessError, PermissionDenied, invalid
from earmark.core.sequences import sequence_take
from earmark.core.validators import (
    FieldCheck,
    is_id_card,
    normalize_id_card,
)
from earmark.farms.errors import ID_CARD_TAKEN
from earmark.farms.models import Dealer
from earmark.farms.services.suspension import registration_reinstate, registration_suspend
from earmark.regions.models import Region

MAX_COUNTIES = 30


@dataclass(frozen=True)
class DealerData:
    name: str
    id_card: str
    phone: str
    # Other counties he works in, besides the registering county.
    counties: list[str] = field(default_factory=list)
    trained_on: date | None = None


def _shared(event: str, dealer: Dealer, counties: list[str]) -> None:
    """The register is shared with the national platform; the ID card number, masked."""
    outbox_emit(
        event,
        f"dealer:{dealer.code}",
        {
            "code": dealer.code,
            "name": dealer.name,
            "id_card": dealer.id_card_masked,
            "counties": counties,
            "status": dealer.status,
            "reason": dealer.suspended_reason,
        },
    )


@transaction.atomic
def dealer_register(*, actor: User, data: DealerData) -> Dealer:
    """The county registers a dealer; one registration per identity card in the province."""
    require_role(actor, Role.COUNTY_OFFICER)
    county = county_of(actor.region_code or "")
    if county is None or actor.region_code != county:
        raise PermissionDenied(_("Dealers are registered by a county agency."))
    check = FieldCheck()
    name = check.text("name", data.name, 50, missing=_("Enter the dealer's name."))
    id_card = normalize_id_card(data.id_card)
    if not is_id_card(id_card):
        check.add("id_card", _("Enter a valid 18-character resident ID card number."))
    check.mobile("phone", data.phone)
    others = sorted({c.strip() for c in data.counties if c.strip()} - {county})
    known = set(
        Region.objects.filter(code__in=others, level=Region.Level.COUNTY).values_list(
            "code", flat=True
        )
    )
    if len(others) > MAX_COUNTIES or set(others) - known:
        check.add("counties", _("List the codes of the counties he works in (at most 30)."))
    if data.trained_on is not None and data.trained_on > timezone.localdate():
        check.add("trained_on", _("A training is recorded after it was held."))
    if check:
        raise invalid(_("The dealer was not registered."), check.problems)
    if Dealer.objects.filter(id_card=id_card).exists():
        message = _("This ID card is registered to a dealer already.")
        raise BusinessError(message, code=ID_CARD_TAKEN, fields={"id_card": message})
    try:
        with transaction.atomic():
            dealer = Dealer.objects.create(
                code=f"JJ{county}{sequence_take(f'dealer:{county}'):05d}",
                name=name,
                id_card=id_card,
                phone=data.phone.strip(),
                trained_on=data.trained_on,
                county=Region.objects.get(code=county),
                registered_by=actor,
            )
    except IntegrityError as error:
        message = _("This ID card is registered to a dealer already.")
        raise BusinessError(message, code=ID_CARD_TAKEN, fields={"id_card": message}) from error
    dealer.counties.set(Region.objects.filter(code__in=[county, *others]))
    _shared("dealer.registered", dealer, [county, *others])
    audit_record(
        actor=actor,
        action="dealer.register",
        obj=dealer,
        region_code=county,
        details={"code": dealer.code, "counties": [county, *others]},
    )
    return dealer


def dealer_suspend(*, actor: User, dealer: Dealer, reason: str) -> Dealer:
    """The registering county suspends a dealer; declarations naming him are refused."""
    return registration_suspend(actor=actor, registration=dealer, reason=reason, share=_share)


def dealer_reinstate(*, actor: User, dealer: Dealer) -> Dealer:
    return registration_reinstate(actor=actor, registration=dealer, share=_share)


def _share(event: str, dealer: Dealer) -> None:
    _shared(event, dealer, sorted(c.code for c in dealer.counties.all()))
