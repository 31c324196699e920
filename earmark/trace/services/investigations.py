"""Outbreak investigations (Order 13 art. 21): from a tag or a premises, trace both ways, list
the premises and animals at risk, and alert every county the trace reaches."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import require_region, require_role
from earmark.accounts.models import Role, User
from earmark.audit.services import audit_record
from earmark.core.errors import INVALID_INPUT, BusinessError, NotFound
from earmark.core.sequences import sequence_take
from earmark.core.species import species_digits
from earmark.eartags.codes import CodeError, format_tag, parse_tag
from earmark.eartags.errors import NOT_A_TAG_NUMBER
from earmark.farms.models import Premises
from earmark.immunization.models import Animal, AnimalTag
from earmark.movements.models import Alert
from earmark.trace.models import Investigation
from earmark.trace.selectors.traces import run_premises_trace
from earmark.trace.services.trace_requests import trace_requests_send


def _subject(tag: str, premises_code: str) -> tuple[int | None, Premises]:
    if tag:
        try:
            number = parse_tag(tag, species=species_digits())
        except CodeError as error:
            raise BusinessError(
                _("%(text)s is not a 15-digit tag number.") % {"text": tag}, code=NOT_A_TAG_NUMBER
            ) from error
        application = (
            AnimalTag.objects.select_related("animal__premises").filter(tag_id=number).first()
        )
        if application is None:
            raise NotFound(_("No animal carries tag %(tag)s.") % {"tag": format_tag(number)})
        return number, application.animal.premises
    premises = Premises.objects.filter(code=premises_code).first()
    if premises is None:
        raise NotFound(_("Premises %(code)s does not exist.") % {"code": premises_code})
    return None, premises


@transaction.atomic
def investigation_open(
    *,
    actor: User,
    reason: str,
    tag: str = "",
    premises_code: str = "",
    since: date | None = None,
    until: date | None = None,
    hops: int = 3,
) -> Investigation:
    require_role(
        actor, Role.COUNTY_OFFICER, Role.OFFICIAL_VET, Role.CITY_OFFICER, Role.PROVINCE_ADMIN
    )
    if not reason.strip():
        raise BusinessError(
            _("Say why the investigation is opened."),
            code=INVALID_INPUT,
            fields={"reason": _("Say why the investigation is opened.")},
        )
    number, premises = _subject(tag.strip(), premises_code.strip())
    require_region(actor, premises.township_id)
    until = until or timezone.localdate()
    since = since or until - timedelta(days=90)
    trace = run_premises_trace(actor, premises.code, "both", since, until, hops)
    at_risk = dict(
        Animal.objects.filter(premises__code__in=list(trace.nodes), status=Animal.Status.ALIVE)
        .values_list("premises__code")
        .annotate(n=Count("id"))
        .values_list("premises__code", "n")
    )
    summary = {
        "premises": [
            {
                "code": n.code,
                "name": n.name,
                "kind": n.kind,
                "county": n.county_code,
                "hop": n.hop,
                "animals_on_hand": at_risk.get(n.code, 0),
            }
            for n in trace.nodes.values()
        ],
        "links": [
            {
                "from": link.origin,
                "to": link.destination,
                "animals": link.animals,
                "certificates": link.certificates,
            }
            for link in trace.links.values()
        ],
        "animals_moved": trace.animals,
        "animals_at_risk": sum(at_risk.values()),
    }
    year = timezone.localdate().year
    investigation = Investigation.objects.create(
        number=f"DC{premises.county_code}{year}{sequence_take(f'investigation:{premises.county_code}:{year}'):04d}",
        subject_tag=number,
        subject_premises=premises,
        county_code=premises.county_code,
        since=since,
        until=until,
        hops=hops,
        reason=reason.strip()[:500],
        summary=summary,
        opened_by=actor,
    )
    counties = sorted({n.county_code for n in trace.nodes.values()})
    for county in counties:
        alert = Alert.objects.create(
            kind=Alert.Kind.INVESTIGATION,
            county_id=county,
            message=_("Investigation %(number)s from %(premises)s: %(reason)s")
            % {
                "number": investigation.number,
                "premises": premises.name,
                "reason": investigation.reason,
            },
            trace={
                "investigation": investigation.number,
                "premises": [
                    p
                    for p in summary["premises"]
                    if p["county"] == county  # type: ignore[index]
                ],
            },
            raised_by=actor,
        )
        investigation.alerts.add(alert)
    # Animals another province certified are traced there too: it is asked, and tells.
    trace_requests_send(investigation, list(trace.nodes))
    audit_record(
        actor=actor,
        action="investigation.open",
        obj=investigation,
        region_code=premises.township_id,
        details={"number": investigation.number, "counties": counties},
    )
    return investigation
