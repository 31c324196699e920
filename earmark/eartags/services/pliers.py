"""Ear-tag pliers (耳标钳, Order 13 art. 11): the county registers them by serial and issues them
to its township stations, a station issues them to its vaccinators, and they come back up the
same way; each step is recorded with who handed over and who took them."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from earmark.accounts.access import require_region, require_role
from earmark.accounts.models import Agency, Role, User
from earmark.audit.services import audit_record
from earmark.core.codes import county_of
from earmark.core.errors import INVALID_INPUT, TOO_MANY_ITEMS, BusinessError, PermissionDenied, item
from earmark.core.validators import has_control_characters
from earmark.eartags.errors import PLIERS_NOT_HELD, PLIERS_REGISTERED, WRONG_RECIPIENT
from earmark.eartags.holders import Holder
from earmark.eartags.models import Pliers, PliersMove

MAX_SERIALS = 500


def _serials(serials: list[str]) -> list[str]:
    cleaned = [s.strip() for s in serials if s.strip()]
    if not cleaned:
        raise BusinessError(
            _("Give at least one serial."), code=INVALID_INPUT, fields={"serials": _("Required.")}
        )
    if len(cleaned) > MAX_SERIALS:
        raise BusinessError(
            _("At most %(count)d pliers at a time.") % {"count": MAX_SERIALS}, code=TOO_MANY_ITEMS
        )
    bad = [s for s in cleaned if len(s) > 40 or has_control_characters(s)]
    if bad:
        raise BusinessError(
            _("A serial has at most 40 characters, without control characters."),
            code=INVALID_INPUT,
            items=[item(s[:40], _("not a serial")) for s in bad[:20]],
        )
    return cleaned


def _agency(actor: User) -> Agency:
    if actor.agency is None:
        raise PermissionDenied(_("Your account is not attached to an agency."))
    return actor.agency


def _move(pliers: list[Pliers], kind: str, source: str, target: str, actor: User) -> None:
    PliersMove.objects.bulk_create(
        [
            PliersMove(pliers=p, kind=kind, from_label=source, to_label=target, actor=actor)
            for p in pliers
        ]
    )


def _held(actor_serials: list[str], county: str, holder: Holder) -> list[Pliers]:
    """The pliers of these serials in the county, locked; refuses naming each one ``holder``
    does not hold."""
    found = {
        p.serial: p
        for p in Pliers.objects.select_for_update().filter(
            county_id=county, serial__in=actor_serials
        )
    }
    problems = []
    for serial in actor_serials:
        pliers = found.get(serial)
        if pliers is None:
            problems.append(item(serial, _("not registered in this county")))
        elif (holder.agency is not None and pliers.agency_id != holder.agency.pk) or (
            holder.vaccinator is not None and pliers.vaccinator_id != holder.vaccinator.pk
        ):
            problems.append(item(serial, _("not held by %(holder)s") % {"holder": holder.label}))
    if problems:
        raise BusinessError(
            _("These pliers cannot be handed over; nothing was recorded."),
            code=PLIERS_NOT_HELD,
            items=problems,
        )
    return [found[s] for s in actor_serials]


@transaction.atomic
def pliers_register(*, actor: User, serials: list[str]) -> list[Pliers]:
    """The county registers new pliers; it holds them until it issues them."""
    require_role(actor, Role.COUNTY_OFFICER)
    county = _agency(actor)
    cleaned = _serials(serials)
    repeated = sorted({s for s in cleaned if cleaned.count(s) > 1})
    known = set(
        Pliers.objects.filter(county_id=county.region_id, serial__in=cleaned).values_list(
            "serial", flat=True
        )
    )
    if repeated or known:
        raise BusinessError(
            _("These serials are registered already or given twice; nothing was registered."),
            code=PLIERS_REGISTERED,
            items=[item(s, _("registered already")) for s in sorted(known)]
            + [item(s, _("given twice")) for s in repeated],
        )
    created = Pliers.objects.bulk_create(
        [Pliers(county_id=county.region_id, serial=s, agency=county) for s in cleaned]
    )
    _move(created, PliersMove.Kind.REGISTERED, "", county.name, actor)
    audit_record(
        actor=actor,
        action="pliers.register",
        object_type="eartags.pliers",
        object_id=cleaned[0],
        region_code=county.region_id,
        details={"serials": cleaned},
    )
    return created


@transaction.atomic
def pliers_issue(*, actor: User, serials: list[str], target: Holder) -> list[Pliers]:
    """County → one of its township stations; station → one of its county's vaccinators."""
    source = _agency(actor)
    if source.level == Agency.Level.COUNTY:
        require_role(actor, Role.COUNTY_OFFICER)
        if target.agency is None or target.agency.level != Agency.Level.TOWNSHIP:
            raise BusinessError(
                _("A county issues pliers to its township stations."), code=WRONG_RECIPIENT
            )
    elif source.level == Agency.Level.TOWNSHIP:
        require_role(actor, Role.TOWNSHIP_OFFICER)
        if target.vaccinator is None or not target.vaccinator.has_role(Role.VACCINATOR):
            raise BusinessError(
                _("A township station issues pliers to vaccinators."), code=WRONG_RECIPIENT
            )
    else:
        raise PermissionDenied(_("Pliers are issued by county agencies and township stations."))
    require_region(actor, target.region_code)
    county = county_of(source.region_id) or ""
    if target.vaccinator is not None and county_of(target.region_code) != county:
        raise BusinessError(_("The vaccinator does not work in this county."), code=WRONG_RECIPIENT)
    held = _held(_serials(serials), county, Holder(agency=source))
    return _hand_over(
        actor, held, Holder(agency=source), target, PliersMove.Kind.ISSUED, source.region_id
    )


@transaction.atomic
def pliers_return(*, actor: User, serials: list[str], source: Holder) -> list[Pliers]:
    """Back up the chain, recorded by the officer who takes them: a vaccinator's to his
    station, a station's to its county."""
    taker = _agency(actor)
    if source.vaccinator is not None:
        require_role(actor, Role.TOWNSHIP_OFFICER)
    elif source.agency is not None and source.agency.level == Agency.Level.TOWNSHIP:
        require_role(actor, Role.COUNTY_OFFICER)
    else:
        raise BusinessError(
            _("Pliers come back from a vaccinator or a township station."), code=WRONG_RECIPIENT
        )
    require_region(actor, source.region_code)
    held = _held(_serials(serials), county_of(taker.region_id) or "", source)
    return _hand_over(
        actor, held, source, Holder(agency=taker), PliersMove.Kind.RETURNED, taker.region_id
    )


def _hand_over(
    actor: User, pliers: list[Pliers], giver: Holder, taker: Holder, kind: str, region: str
) -> list[Pliers]:
    """``pliers`` pass from ``giver`` to ``taker``: held, recorded step by step, audited."""
    for one in pliers:
        one.agency = taker.agency
        one.vaccinator = taker.vaccinator
    Pliers.objects.bulk_update(pliers, ["agency", "vaccinator"])
    _move(pliers, kind, giver.label, taker.label, actor)
    audit_record(
        actor=actor,
        action=f"pliers.{kind}",
        object_type="eartags.pliers",
        object_id=pliers[0].serial,
        region_code=region,
        details={"serials": [p.serial for p in pliers], "from": giver.key, "to": taker.key},
    )
    return pliers
