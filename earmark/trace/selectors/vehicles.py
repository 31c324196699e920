"""Following a vehicle: every premises it loaded at or delivered to within a period, from the
certificates that name its plate — so that an outbreak finds the farms a contaminated truck
visited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from earmark.accounts.access import user_jurisdiction
from earmark.accounts.models import User
from earmark.core.codes import jurisdiction_prefix
from earmark.core.validators import normalize_plate
from earmark.quarantine.models import Certificate

# The longest window one trace covers.
MAX_DAYS = 366


@dataclass(frozen=True)
class Trip:
    """One journey of the vehicle: the certificate, where it loaded and where it delivered."""

    certificate: str
    at: datetime
    loaded_at: str
    loaded_code: str
    delivered_to: str
    delivered_code: str
    quantity: int
    species: str
    # How the vehicle was disinfected before loading, as the vet recorded it ("" if not).
    disinfection: str


@dataclass(frozen=True)
class VehicleTrace:
    plate: str
    since: date
    until: date
    trips: list[Trip]

    @property
    def premises(self) -> list[tuple[str, str]]:
        """Every premises served, (code, name), once each, in the order first served."""
        seen: dict[str, str] = {}
        for trip in self.trips:
            for code, name in (
                (trip.loaded_code, trip.loaded_at),
                (trip.delivered_code, trip.delivered_to),
            ):
                if code:
                    seen.setdefault(code, name)
        return list(seen.items())


def vehicle_trace(
    *, user: User, plate: str, since: date | None, until: date | None
) -> VehicleTrace:
    """The journeys of a plate between two days (the last 30 days by default) that leave from
    or arrive in the user's jurisdiction."""
    plate = normalize_plate(plate)
    until = until or timezone.localdate()
    since = since or until - timedelta(days=30)
    since = max(since, until - timedelta(days=MAX_DAYS))
    prefix = jurisdiction_prefix(user_jurisdiction(user))
    start = timezone.make_aware(datetime.combine(since, time.min))
    end = timezone.make_aware(datetime.combine(until + timedelta(days=1), time.min))
    certificates = (
        Certificate.objects.filter(vehicle_plate=plate, issued_at__gte=start, issued_at__lt=end)
        .filter(
            Q(township_code__startswith=prefix)
            | Q(destination_region__code__startswith=prefix)
            | Q(receipt__premises__township__code__startswith=prefix)
        )
        .select_related("premises", "destination_premises", "receipt__premises")
        .distinct()
        .order_by("issued_at", "id")
    )
    trips = []
    for c in certificates:
        receipt = getattr(c, "receipt", None)
        target = receipt.premises if receipt is not None else c.destination_premises
        trips.append(
            Trip(
                certificate=c.number,
                at=c.issued_at,
                loaded_at=c.premises.name,
                loaded_code=c.premises.code,
                delivered_to=target.name if target else c.destination,
                delivered_code=target.code if target else "",
                quantity=c.quantity,
                species=c.species,
                disinfection=c.disinfection,
            )
        )
    return VehicleTrace(plate=plate, since=since, until=until, trips=trips)
