from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import F, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from earmark.accounts.access import jurisdiction_q, require_region, user_jurisdiction
from earmark.accounts.models import Agency, Role, User
from earmark.core.codes import county_of, jurisdiction_prefix
from earmark.core.errors import BusinessError, NotFound
from earmark.core.species import species_digits, species_label
from earmark.eartags import spans
from earmark.eartags.codes import CodeError, format_range, format_tag, parse_tag
from earmark.eartags.errors import NOT_A_TAG_NUMBER, TAG_UNREGISTERED
from earmark.eartags.holders import Holder
from earmark.eartags.models import (
    Delivery,
    Holding,
    Issue,
    IssueLine,
    Pliers,
    PliersMove,
    RegisteredRange,
    Registration,
    Tag,
    TagEvent,
)
from earmark.eartags.ranges import RangeSet
from earmark.farms.models import Premises


def _in_jurisdiction(user: User, region: str = "") -> Q:
    """Holdings and documents are the county's, or the township's once issued to one.

    ``region`` narrows the jurisdiction to one of its regions."""
    prefix = jurisdiction_prefix(user_jurisdiction(user))
    if region:
        require_region(user, region)
        prefix = jurisdiction_prefix(region)
    if len(prefix) > 6:
        return Q(township_code=prefix)
    return Q(county_code__startswith=prefix)


def holding_list(
    *, user: User, holder: Holder | None = None, species: str = "", state: str = ""
) -> QuerySet[Holding]:
    holdings = Holding.objects.filter(_in_jurisdiction(user))
    if holder is not None:
        holdings = holdings.filter(**holder.lookup())
    if species:
        holdings = holdings.filter(species=species)
    if state:
        holdings = holdings.filter(state=state)
    return holdings.select_related(
        "agency", "premises", "vaccinator__vaccinator", "registered_range"
    ).order_by("first")


@dataclass
class HolderSummary:
    holder: Holder
    species: str
    state: str
    count: int
    ranges: list[str] = field(default_factory=list)

    @property
    def species_label(self) -> str:
        return species_label(self.species)


def holdings_by_holder(
    *, user: User, holder: Holder | None = None, species: str = "", ranges_per_holder: int = 20
) -> list[HolderSummary]:
    """What every holder within the jurisdiction holds, by species and state, with its first
    ``ranges_per_holder`` ranges: summed and ranked by the database, in a constant number of
    queries however many rows there are."""
    rows = holding_list(user=user, holder=holder, species=species).select_related(None)
    keys = ("agency_id", "premises_id", "vaccinator_id", "species", "state")
    totals = rows.order_by().values(*keys).annotate(count=Sum(F("last") - F("first") + 1))
    ranges: dict[tuple[Any, ...], list[str]] = {}
    if ranges_per_holder:
        ranked = rows.annotate(
            rank=Window(RowNumber(), partition_by=[F(k) for k in keys], order_by=F("first").asc())
        ).filter(rank__lte=ranges_per_holder)
        for *key, first, last in ranked.values_list(*keys, "first", "last").order_by("first"):
            ranges.setdefault(tuple(key), []).append(format_range(first, last))
    agencies = Agency.objects.select_related("region").in_bulk(
        {t["agency_id"] for t in totals if t["agency_id"]}
    )
    premises = Premises.objects.select_related("township").in_bulk(
        {t["premises_id"] for t in totals if t["premises_id"]}
    )
    vaccinators = User.objects.select_related("agency__region", "vaccinator").in_bulk(
        {t["vaccinator_id"] for t in totals if t["vaccinator_id"]}
    )
    summaries = [
        HolderSummary(
            Holder(
                agency=agencies.get(t["agency_id"]),
                premises=premises.get(t["premises_id"]),
                vaccinator=vaccinators.get(t["vaccinator_id"]),
            ),
            t["species"],
            t["state"],
            int(t["count"]),
            ranges.get(tuple(t[k] for k in keys), []),
        )
        for t in totals
    ]
    return sorted(summaries, key=lambda s: (s.holder.region_code, s.holder.key, s.species, s.state))


def numbers_in(rows: QuerySet[Any]) -> int:
    """How many numbers the ranges of ``rows`` hold."""
    return int(rows.aggregate(n=Sum(F("last") - F("first") + 1))["n"] or 0)


def inventory_totals(*, user: User, region: str = "") -> dict[str, int]:
    """Numbers registered, held at each level, voided and applied within the jurisdiction,
    or within one of its regions."""
    holdings = Holding.objects.filter(_in_jurisdiction(user, region))
    prefix = jurisdiction_prefix(region or user_jurisdiction(user))
    available = holdings.filter(state=Holding.State.AVAILABLE)
    return {
        "registered": numbers_in(
            RegisteredRange.objects.filter(county_code__startswith=prefix[:6])
        ),
        "at_county": numbers_in(available.filter(agency__level=Agency.Level.COUNTY)),
        "at_townships": numbers_in(available.filter(agency__level=Agency.Level.TOWNSHIP)),
        "at_farms": numbers_in(available.filter(premises__isnull=False)),
        "at_vaccinators": numbers_in(available.filter(vaccinator__isnull=False)),
        "voided": numbers_in(holdings.filter(state=Holding.State.VOIDED)),
        "applied": Tag.objects.filter(
            _in_jurisdiction(user, region), state=Tag.State.APPLIED
        ).count(),
    }


def issue_list(*, user: User, kind: str = "") -> QuerySet[Issue]:
    prefix = jurisdiction_prefix(user_jurisdiction(user))
    if len(prefix) > 6:
        # A township station sees the documents of its own inventory.
        issues = Issue.objects.filter(Q(township_code=prefix) | Q(to_agency__region_id=prefix))
    else:
        issues = Issue.objects.filter(county_code__startswith=prefix)
    if kind:
        issues = issues.filter(kind=kind)
    return (
        issues.select_related(
            "from_agency",
            "from_premises",
            # A vaccinator's label carries the number of its vaccinator record.
            "from_vaccinator__vaccinator",
            "to_agency",
            "to_premises",
            "to_vaccinator__vaccinator",
            "created_by",
        )
        .prefetch_related("lines")
        .order_by("-created_at", "-id")
    )


def issue_get(*, user: User, number: str) -> Issue:
    issue = issue_list(user=user).filter(number=number).first()
    if issue is None:
        raise NotFound(_("Document %(number)s does not exist.") % {"number": number})
    return issue


def registration_list(*, user: User) -> QuerySet[Registration]:
    return Registration.objects.filter(jurisdiction_q(user, "county__code")).select_related(
        "delivery", "created_by"
    )


def delivery_list(*, user: User) -> QuerySet[Delivery]:
    return (
        Delivery.objects.filter(jurisdiction_q(user, "county__code"))
        .select_related("order")
        .order_by("-delivered_on", "-id")
    )


@dataclass
class TagDetail:
    number: int
    text: str
    registered: RegisteredRange | None
    holding: Holding | None
    tag: Tag | None
    events: list[TagEvent]
    issues: list[Issue]

    @property
    def state(self) -> str:
        if self.tag is not None:
            return self.tag.state
        if self.holding is not None:
            return self.holding.state
        return "registered" if self.registered is not None else "unregistered"


def tag_detail(*, user: User, text: str) -> TagDetail:
    """Everything known of one number: registration, holder or state, and every step so far."""
    try:
        number = parse_tag(text, species=species_digits())
    except CodeError as error:
        raise BusinessError(
            _("%(text)s is not a 15-digit tag number.") % {"text": text}, code=NOT_A_TAG_NUMBER
        ) from error
    registered = spans.containing(
        RegisteredRange.objects.select_related("registration__delivery"), number
    ).first()
    if registered is None:
        raise NotFound(
            _("%(number)s was never registered: possibly a forged tag.")
            % {"number": format_tag(number)},
            code=TAG_UNREGISTERED,
        )
    holding = spans.containing(
        Holding.objects.select_related(
            "agency", "premises", "vaccinator__vaccinator", "acquired_by"
        ),
        number,
    ).first()
    tag = Tag.objects.select_related("premises").filter(number=number).first()
    township = (tag.township_code if tag else "") or (holding.township_code if holding else "")
    require_region(user, township or registered.county_code)
    events = list(spans.containing(TagEvent.objects.select_related("actor"), number).order_by("id"))
    issues = list(
        Issue.objects.filter(
            pk__in=spans.containing(IssueLine.objects.all(), number).values("issue_id")
        ).order_by("created_at", "id")
    )
    return TagDetail(number, format_tag(number), registered, holding, tag, events, issues)


def latest_step(numbers: RangeSet) -> datetime | None:
    """When the last step of any of ``numbers`` (registration, issue, application, …) was
    recorded; None for numbers with no recorded step."""
    moments = [e.created_at for e in spans.overlapping(TagEvent.objects.all(), numbers.ranges)]
    return max(moments, default=None)


def move_parties(*, user: User, mode: str) -> list[tuple[str, str]]:
    """Whom the user may issue to, or whose tags it may return or void."""
    if mode == "issue":
        agency = user.agency
        if agency is None:
            return []
        if agency.level == Agency.Level.COUNTY:
            stations = Agency.objects.filter(
                level=Agency.Level.TOWNSHIP, region__code__startswith=agency.region_id
            ).select_related("region")
            return [(f"agency:{a.pk}", a.name) for a in stations]
        farms = Premises.objects.filter(
            township_id=agency.region_id, kind__in=[Premises.Kind.FARM, Premises.Kind.HOUSEHOLD]
        )
        vaccinators = User.objects.filter(
            role_assignments__role=Role.VACCINATOR,
            is_active=True,
            agency__region__code__startswith=county_of(agency.region_id) or agency.region_id,
        ).select_related("vaccinator")
        return [(f"premises:{p.code}", f"{p.name}（{p.code}）") for p in farms] + [
            (
                f"vaccinator:{v.pk}",
                _("Vaccinator %(name)s (No. %(number)s)")
                % {"name": v, "number": v.vaccinator.number},
            )
            for v in vaccinators
        ]
    holders = holdings_by_holder(user=user, ranges_per_holder=0)
    seen: dict[str, str] = {}
    for summary in holders:
        if summary.state != "available":
            continue
        if (
            mode == "return"
            and summary.holder.agency
            and summary.holder.agency.level == Agency.Level.COUNTY
        ):
            continue
        seen[summary.holder.key] = summary.holder.label
    return list(seen.items())


def delivery_get(*, user: User, delivery_id: int) -> Delivery:
    delivery = Delivery.objects.filter(pk=delivery_id).first()
    if delivery is None:
        raise NotFound()
    require_region(user, delivery.county_id)
    return delivery


def issue_holders(issue: Issue) -> tuple[Holder, Holder]:
    return (
        Holder(
            agency=issue.from_agency, premises=issue.from_premises, vaccinator=issue.from_vaccinator
        ),
        Holder(agency=issue.to_agency, premises=issue.to_premises, vaccinator=issue.to_vaccinator),
    )


# Who holds tags, as the data exchange names them: (agency | premises | vaccinator, public key).
Party = tuple[str, str]


def issue_parties(*, numbers: set[str]) -> dict[str, tuple[Party, Party]]:
    """Issue document number → who handed the tags over and who took them, in one query."""
    rows = Issue.objects.filter(number__in=numbers).values_list(
        "number",
        "from_agency__region_id",
        "from_premises__code",
        "from_vaccinator__vaccinator__county_id",
        "from_vaccinator__vaccinator__number",
        "to_agency__region_id",
        "to_premises__code",
        "to_vaccinator__vaccinator__county_id",
        "to_vaccinator__vaccinator__number",
    )
    return {number: (_party(*row[0:4]), _party(*row[4:8])) for number, *row in rows}


def _party(
    agency: str | None, premises: str | None, county: str | None, number: str | None
) -> Party:
    if premises:
        return ("premises", premises)
    if county and number:
        return ("vaccinator", f"{county}-{number}")
    return ("agency", agency or "")


def tag_event_number(*, user: User, event_id: int) -> int:
    """The first tag number of a tag event the user may read."""
    number = (
        TagEvent.objects.filter(jurisdiction_q(user, "county_code"), pk=event_id)
        .values_list("first", flat=True)
        .first()
    )
    if number is None:
        raise NotFound()
    return number


def pliers_list(*, user: User) -> QuerySet[Pliers]:
    """The pliers of the user's jurisdiction with who holds them."""
    return Pliers.objects.filter(jurisdiction_q(user, "county__code")).select_related(
        "agency", "vaccinator__vaccinator"
    )


def pliers_parties(*, user: User) -> list[tuple[str, str]]:
    """To whom the user may issue pliers, and from whom take them back: a county's stations,
    a station's vaccinators."""
    return [
        party
        for party in move_parties(user=user, mode="issue")
        if not party[0].startswith("premises:")
    ]


def pliers_held_by(*, vaccinator: User) -> list[str]:
    """The serials a vaccinator holds (his record shows them)."""
    return list(Pliers.objects.filter(vaccinator=vaccinator).values_list("serial", flat=True))


def pliers_moves(*, user: User, serial: str) -> list[PliersMove]:
    """Every step of one pliers of the user's jurisdiction, oldest first."""
    pliers = pliers_list(user=user).filter(serial=serial).first()
    if pliers is None:
        raise NotFound(_("No pliers %(serial)s.") % {"serial": serial})
    return list(pliers.moves.select_related("actor"))
