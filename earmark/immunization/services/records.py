"""Immunization records (Order 13 art. 9): one vaccination session at one premises, signed by
the vaccinator; the tags are applied at the same time where the animals have none yet."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.models import User
from earmark.audit.outbox import outbox_emit
from earmark.audit.services import audit_record
from earmark.core.errors import BusinessError, item
from earmark.core.preview import dry_run
from earmark.core.sequences import sequence_take
from earmark.core.species import species_known, species_label, species_refusal
from earmark.core.validators import has_control_characters
from earmark.eartags.codes import format_tag
from earmark.eartags.messages import format_ranges
from earmark.eartags.models import Tag
from earmark.eartags.ranges import RangeSet
from earmark.eartags.selectors.checks import used_tags
from earmark.eartags.selectors.inventory import latest_step
from earmark.farms.models import Premises
from earmark.immunization.errors import IMMUNIZATION_REFUSED
from earmark.immunization.models import (
    Animal,
    AnimalTag,
    ImmunizationRecord,
    ImmunizedAnimal,
    Vaccine,
)
from earmark.immunization.services.arrivals import arrivals_to_reimmunize, refuse_repeated_session
from earmark.immunization.services.replacement import tagging_problems
from earmark.immunization.services.tagging import (
    AnimalDetails,
    application_problems,
    require_vaccinator,
    stock_room_problem,
    tags_apply,
)


@dataclass(frozen=True)
class Session:
    """What the vaccinator enters for a session besides the tags."""

    species: str
    vaccine: Vaccine
    batch_number: str
    vaccinated_on: date
    seller: str = ""
    age: int | None = None
    age_unit: str = ""
    campaign: str = ImmunizationRecord.Campaign.ROUTINE
    # The moment of the session, when the vaccinator gives it; see ``session_moment``.
    vaccinated_at: datetime | None = None
    # How tags and pliers were disinfected (required when tags are applied, art. 15), and the
    # serial of the pliers used (one the vaccinator holds).
    disinfection: str = ""
    pliers: str = ""


@dataclass
class Plan:
    """What confirming a session will do: animals already tagged here, tags to apply now, and
    every tag that cannot be vaccinated here, with the reason."""

    tagged: list[Animal]
    to_apply: RangeSet
    problems: list[dict[str, str]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.tagged) + self.to_apply.count


@dataclass(frozen=True)
class Outcome:
    """What a session recorded (or, in a preview, would record)."""

    number: str
    count: int
    tagged: int
    applied: RangeSet

    @property
    def summary(self) -> str:
        return _("%(tagged)d animals tagged already, %(new)d new tags (%(ranges)s).") % {
            "tagged": self.tagged,
            "new": self.applied.count,
            "ranges": format_ranges(self.applied) or "—",
        }


def session_problems(session: Session) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not species_known(session.species):
        errors["species"] = species_refusal()
    vaccine = session.vaccine
    if not vaccine.is_active:
        errors["vaccine"] = _("This vaccine has been withdrawn.")
    elif session.species not in vaccine.species_list:
        errors["vaccine"] = _("%(vaccine)s is not for %(species)s.") % {
            "vaccine": vaccine.name,
            "species": species_label(session.species),
        }
    if not session.batch_number.strip():
        errors["batch_number"] = _("Enter the batch number printed on the vaccine.")
    if session.vaccinated_on > timezone.localdate():
        errors["vaccinated_on"] = _("The date lies in the future.")
    if session.vaccinated_at is not None and (
        timezone.localtime(session.vaccinated_at).date() != session.vaccinated_on
        or session.vaccinated_at > timezone.now() + timedelta(minutes=5)
    ):
        errors["vaccinated_at"] = _("The time must lie on the session's day, and not ahead.")
    # Art. 9: the record states the animals' age and who sold the vaccine.
    if session.age is None:
        errors["age"] = _("Enter the animals' age (art. 9).")
    elif session.age_unit not in ImmunizationRecord.AgeUnit.values:
        errors["age_unit"] = _("Say whether the age is in days or months.")
    if not session.seller.strip():
        errors["seller"] = _("Enter who sold the vaccine (art. 9).")
    if session.campaign not in ImmunizationRecord.Campaign.values:
        errors["campaign"] = _("Choose the campaign.")
    for name, longest in (("disinfection", 100), ("pliers", 40)):
        text = getattr(session, name)
        if len(text) > longest or has_control_characters(text):
            errors[name] = _("At most %(n)d characters, without control characters.") % {
                "n": longest
            }
    return errors


def _tool_problems(actor: User, session: Session, applies_tags: bool) -> dict[str, str]:
    """Art. 15: tags and pliers are disinfected for use — a session that applies tags says how;
    the pliers named are ones the vaccinator holds."""
    return tagging_problems(
        actor, disinfection=session.disinfection, pliers=session.pliers, applies_tags=applies_tags
    )


def session_moment(session: Session, now: datetime) -> datetime:
    """The moment of the session: as given; now for a session of today; otherwise the end of
    its day (the latest moment it can have been)."""
    if session.vaccinated_at is not None:
        return session.vaccinated_at
    local = timezone.localtime(now)
    if session.vaccinated_on >= local.date():
        return now
    return timezone.make_aware(datetime.combine(session.vaccinated_on, time(23, 59, 59)))


def immunization_plan(*, premises: Premises, species: str, numbers: RangeSet) -> Plan:
    """Sort the typed tags into animals already tagged at this premises and unused tags to apply;
    list the tags that are on animals elsewhere, or lost, cancelled or otherwise out of use."""
    used = {t.number: t for t in used_tags(numbers)}
    applications = {
        a.tag_id: a
        for a in AnimalTag.objects.filter(tag_id__in=list(used)).select_related("animal")
    }
    problems: list[dict[str, str]] = []
    tagged: list[Animal] = []
    for number, tag in sorted(used.items()):
        animal = applications[number].animal if number in applications else None
        text = format_tag(number)
        if tag.state != Tag.State.APPLIED or animal is None:
            problems.append({"text": text, "message": str(Tag.State(tag.state).label)})
        elif animal.premises_id != premises.pk:
            problems.append({"text": text, "message": _("on an animal of another premises")})
        elif animal.species != species:
            problems.append(
                {
                    "text": text,
                    "message": _("on a %(species)s") % {"species": species_label(animal.species)},
                }
            )
        else:
            tagged.append(animal)
    # An animal with two tags (replacement) is vaccinated once.
    animals = list({a.pk: a for a in tagged}.values())
    return Plan(
        tagged=animals,
        to_apply=numbers.difference(RangeSet.from_numbers(used)),
        problems=problems,
    )


@transaction.atomic
def immunization_record(
    *,
    actor: User,
    premises: Premises,
    session: Session,
    numbers: RangeSet,
    details: AnimalDetails | None = None,
) -> ImmunizationRecord:
    """Record a vaccination session; tags not yet on animals are applied in the same step.
    Every problem (fields, each tag, the stock) is refused at once."""
    return record_session(
        actor=actor, premises=premises, session=session, numbers=numbers, details=details
    )[0]


def immunization_preview(
    *,
    actor: User,
    premises: Premises,
    session: Session,
    numbers: RangeSet,
    details: AnimalDetails | None = None,
) -> Outcome:
    """What confirming would record, by running it and rolling it back."""
    return dry_run(
        lambda: record_session(
            actor=actor, premises=premises, session=session, numbers=numbers, details=details
        )[1]
    )


def _refusal(
    fields: dict[str, str], problems: list[dict[str, str]], general: list[str]
) -> BusinessError:
    items = [item(p["text"], p["message"], field="tags") for p in problems] + [
        item("", g) for g in general
    ]
    return BusinessError(
        _("The immunization could not be recorded."),
        code=IMMUNIZATION_REFUSED,
        fields=fields,
        items=items,
    )


def record_session(
    *,
    actor: User,
    premises: Premises,
    session: Session,
    numbers: RangeSet,
    details: AnimalDetails | None,
) -> tuple[ImmunizationRecord, Outcome]:
    """Check and keep one session, inside the caller's transaction (``immunization_record``,
    ``retagging.animal_reimmunize``): every problem at once, or the record."""
    require_vaccinator(actor, premises, species=session.species, day=session.vaccinated_on)
    fields = session_problems(session)
    general: list[str] = []
    problems: list[dict[str, str]] = []
    if not numbers:
        fields["tags"] = _("Enter the animals' tag numbers.")
    plan = immunization_plan(premises=premises, species=session.species, numbers=numbers)
    problems.extend(plan.problems)
    for name, message in _tool_problems(actor, session, bool(plan.to_apply)).items():
        fields.setdefault(name, message)
    if plan.to_apply and species_known(session.species):
        problems.extend(
            application_problems(
                actor=actor, premises=premises, species=session.species, numbers=plan.to_apply
            )
        )
        room = stock_room_problem(premises, session.species, plan.to_apply.count)
        if room:
            general.append(room)
    now = timezone.now()
    moment = session_moment(session, now)
    if numbers and moment < now - timedelta(minutes=5) and "vaccinated_on" not in fields:
        latest = latest_step(numbers)
        if latest is not None and moment < latest:
            # A session cannot have happened before the tags reached the vaccinator, nor
            # before any later step already recorded for them.
            fields["vaccinated_on"] = _(
                "These tags have a step recorded on %(date)s; the session cannot be dated earlier."
            ) % {"date": timezone.localtime(latest).strftime("%Y-%m-%d %H:%M")}
    if fields or problems or general:
        raise _refusal(fields, problems, general)
    if session.campaign != ImmunizationRecord.Campaign.ARRIVAL:
        problems.extend(arrivals_to_reimmunize(premises, plan.tagged, session.vaccinated_on))
    if problems:
        raise _refusal(fields, problems, general)
    refuse_repeated_session(
        premises=premises,
        vaccine_id=session.vaccine.pk,
        batch_number=session.batch_number,
        day=session.vaccinated_on,
        animals=plan.tagged,
    )
    new_animals = tags_apply(
        actor=actor,
        premises=premises,
        species=session.species,
        numbers=plan.to_apply,
        details=details or AnimalDetails(),
        applied_on=session.vaccinated_on,
        applied_at=moment,
    )
    year = session.vaccinated_on.year
    sequence = sequence_take(f"immunization:{premises.county_code}:{year}")
    vaccinator = getattr(actor, "vaccinator", None)
    record = ImmunizationRecord.objects.create(
        number=f"MY{premises.county_code}{year}{sequence:06d}",
        premises=premises,
        county_code=premises.county_code,
        township_code=premises.township_id,
        owner_name=premises.owner_name,
        species=session.species,
        age=session.age,
        age_unit=session.age_unit if session.age is not None else "",
        vaccinated_on=session.vaccinated_on,
        vaccinated_at=moment,
        vaccine=session.vaccine,
        batch_number=session.batch_number.strip()[:50],
        manufacturer=session.vaccine.manufacturer,
        seller=session.seller.strip()[:100],
        disinfection=session.disinfection.strip(),
        pliers=session.pliers.strip(),
        campaign=session.campaign,
        protection_days=session.vaccine.protection_days,
        count=plan.count,
        vaccinator=actor,
        vaccinator_number=vaccinator.number if vaccinator else "",
    )
    ImmunizedAnimal.objects.bulk_create(
        [ImmunizedAnimal(record=record, animal=a) for a in [*plan.tagged, *new_animals]],
        batch_size=1000,
    )
    outbox_emit(
        "immunization.recorded",
        f"premises:{premises.code}",
        {
            "number": record.number,
            "premises": premises.code,
            "species": record.species,
            "vaccine": session.vaccine.name,
            "diseases": sorted(d.code for d in session.vaccine.diseases.all()),
            "batch_number": record.batch_number,
            "vaccinated_on": record.vaccinated_on,
            "vaccinated_at": record.vaccinated_at,
            "protection_days": record.protection_days,
            "count": record.count,
            "vaccinator_number": record.vaccinator_number,
            "tags": [
                f"{t.tag_id:015d}"
                for t in AnimalTag.objects.filter(animal__in=[*plan.tagged, *new_animals]).only(
                    "tag_id"
                )
            ],
        },
    )
    audit_record(
        actor=actor,
        action="immunization.record",
        obj=record,
        region_code=premises.township_id,
        details={
            "number": record.number,
            "vaccine": session.vaccine.name,
            "count": record.count,
            "tagged_now": len(new_animals),
        },
    )
    return record, Outcome(
        number=record.number, count=record.count, tagged=len(plan.tagged), applied=plan.to_apply
    )
