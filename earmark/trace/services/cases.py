"""Violation cases (违法案件, Order 13 art. 24–29): a county opens a case against a party, with
the article, the facts and the records that prove them; it records the decision and the
penalty, and closes the case. Every party and every record named must exist and lie in the
county's jurisdiction (a maker is the province's and may be named by any county)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import can_read_region, require_region, require_role
from earmark.accounts.models import Agency, Role, User
from earmark.audit.services import audit_record
from earmark.core.codes import county_of
from earmark.core.errors import (
    INVALID_INPUT,
    TOO_MANY_ITEMS,
    BusinessError,
    PermissionDenied,
    invalid,
    item,
)
from earmark.core.sequences import sequence_take
from earmark.core.species import species_digits
from earmark.core.validators import FieldCheck, clean_text
from earmark.eartags.codes import CodeError, format_tag, parse_tag
from earmark.eartags.models import Manufacturer, Tag
from earmark.farms.models import Premises
from earmark.movements.models import CheckpointCheck
from earmark.quarantine.models import Certificate, Declaration, Refusal
from earmark.trace.errors import CASE_WRONG_STATUS, EVIDENCE_NOT_FOUND, PARTY_NOT_FOUND
from earmark.trace.models import Case

MAX_EVIDENCE = 50
EVIDENCE_KINDS = ("tag", "premises", "declaration", "certificate", "checkpoint_check", "refusal")


@dataclass(frozen=True)
class Evidence:
    """A record that proves the facts: its kind and its key (a tag number, a premises code, a
    declaration or certificate number, a checkpoint check's or a refusal's id)."""

    kind: str
    ref: str


@dataclass(frozen=True)
class CaseData:
    article: int
    party_kind: str
    facts: str
    party_ref: str = ""
    party_name: str = ""
    evidence: list[Evidence] = field(default_factory=list)
    source: str = Case.Source.MANUAL
    source_ref: str = ""


def _key(ref: str) -> int | None:
    """A record's id as typed, or None when it cannot be one (not digits, beyond 64 bits)."""
    return int(ref) if ref.isdigit() and len(ref) <= 18 else None


def _party(actor: User, data: CaseData) -> tuple[str, str]:
    """The party's key and name, found in the actor's jurisdiction; refuses one that is not."""
    ref = data.party_ref.strip()
    missing = BusinessError(
        code=PARTY_NOT_FOUND,
        fields={"party_ref": _("Not found in your jurisdiction.")},
    )
    if data.party_kind == Case.Party.DEALER:
        name = clean_text(data.party_name, 100, required=False)
        if not name:
            raise BusinessError(
                _("Name the dealer."),
                code=INVALID_INPUT,
                fields={"party_name": _("Name the dealer (at most 100 characters).")},
            )
        return ref[:60], name
    if data.party_kind == Case.Party.PREMISES:
        premises = Premises.objects.filter(code=ref).first()
        if premises is None or not can_read_region(actor, premises.township_id):
            raise missing
        return premises.code, premises.name
    if data.party_kind == Case.Party.MANUFACTURER:
        key = _key(ref)
        maker = Manufacturer.objects.filter(pk=key).first() if key else None
        if maker is None:
            raise missing
        return str(maker.pk), maker.name
    if data.party_kind == Case.Party.STAFF:
        staff = User.objects.select_related("agency").filter(username=ref).first()
        if (
            staff is None
            or staff.region_code is None
            or not can_read_region(actor, staff.region_code)
        ):
            raise missing
        return staff.username, (staff.get_full_name() or staff.username)[:100]
    if data.party_kind == Case.Party.AGENCY:
        agency = Agency.objects.filter(region_id=ref).first()
        if agency is None or not can_read_region(actor, agency.region_id):
            raise missing
        return agency.region_id, agency.name
    raise BusinessError(
        _("Choose whom the case is against."),
        code=INVALID_INPUT,
        fields={"party_kind": _("Choose whom the case is against.")},
    )


def _label(actor: User, evidence: Evidence) -> str | None:
    """What the case shows of one record; None when it does not exist in the jurisdiction."""
    ref = evidence.ref.strip()
    if evidence.kind == "tag":
        try:
            number = parse_tag(ref, species=species_digits())
        except CodeError:
            return None
        tag = Tag.objects.filter(number=number).first()
        if tag is not None and can_read_region(actor, tag.township_code or tag.county_code):
            return f"{format_tag(number)} · {tag.get_state_display()}"
        # A number the system does not know here (e.g. an illegal tag, art. 12) is still
        # evidence: what was found in the field.
        return format_tag(number)
    if evidence.kind == "premises":
        premises = Premises.objects.filter(code=ref).first()
        if premises is not None and can_read_region(actor, premises.township_id):
            return f"{premises.code} · {premises.name}"
    elif evidence.kind == "declaration":
        declaration = Declaration.objects.select_related("premises").filter(number=ref).first()
        if declaration is not None and can_read_region(actor, declaration.township_code):
            return f"{declaration.number} · {declaration.premises.name}"
    elif evidence.kind == "certificate":
        certificate = Certificate.objects.filter(number=ref).first()
        if certificate is not None and (
            can_read_region(actor, certificate.county_code)
            or can_read_region(actor, certificate.destination_region_id or "")
        ):
            return f"{certificate.number} · {certificate.origin}"
    elif evidence.kind == "checkpoint_check" and (key := _key(ref)):
        check = CheckpointCheck.objects.filter(pk=key).first()
        if check is not None and can_read_region(actor, check.county_code):
            return f"{check.number} · {check.place} · {check.get_result_display()}"
    elif evidence.kind == "refusal" and (key := _key(ref)):
        refusal = Refusal.objects.select_related("premises").filter(pk=key).first()
        if refusal is not None and can_read_region(actor, refusal.county_code):
            moment = timezone.localtime(refusal.attempted_at)
            return f"{refusal.premises.name} · {moment:%Y-%m-%d %H:%M}"
    return None


def _evidence(actor: User, evidence: list[Evidence]) -> list[dict[str, str]]:
    if len(evidence) > MAX_EVIDENCE:
        raise BusinessError(
            _("At most %(n)d records as evidence.") % {"n": MAX_EVIDENCE}, code=TOO_MANY_ITEMS
        )
    found: list[dict[str, str]] = []
    problems = []
    for entry in evidence:
        label = _label(actor, entry) if entry.kind in EVIDENCE_KINDS else None
        if label is None:
            problems.append(item(entry.ref[:40], _("not found in your jurisdiction")))
            continue
        record = {"kind": entry.kind, "ref": entry.ref.strip(), "label": label}
        if record not in found:
            found.append(record)
    if problems:
        raise BusinessError(
            _("Some records named as evidence were not found; the case was not opened."),
            code=EVIDENCE_NOT_FOUND,
            items=problems,
        )
    return found


@transaction.atomic
def case_open(*, actor: User, data: CaseData) -> Case:
    """A county opens a case (立案)."""
    require_role(actor, Role.COUNTY_OFFICER)
    county = county_of(actor.region_code or "")
    if county is None or actor.region_code != county:
        raise PermissionDenied(_("Cases are opened by a county agency."))
    check = FieldCheck()
    if data.article not in Case.Article.values:
        check.add("article", _("Choose the article of Order 13 (24 to 29)."))
    if data.source not in Case.Source.values:
        check.add("source", _("Choose where the case comes from."))
    facts = check.text("facts", data.facts, 2000, multiline=True, missing=_("Describe the facts."))
    source_ref = check.text("source_ref", data.source_ref, 100, required=False)
    if check:
        raise invalid(_("The case could not be opened."), check.problems)
    party_ref, party_name = _party(actor, data)
    evidence = _evidence(actor, data.evidence)
    year = timezone.localdate().year
    sequence = sequence_take(f"case:{county}:{year}")
    case = Case.objects.create(
        number=f"AJ{county}{year}{sequence:04d}",
        county_code=county,
        source=data.source,
        source_ref=source_ref or "",
        article=data.article,
        party_kind=data.party_kind,
        party_ref=party_ref,
        party_name=party_name,
        facts=facts or "",
        evidence=evidence,
        opened_by=actor,
    )
    audit_record(
        actor=actor,
        action="case.open",
        obj=case,
        region_code=county,
        details={
            "number": case.number,
            "article": case.article,
            "party": f"{case.party_kind}:{party_ref}",
            "evidence": len(evidence),
        },
    )
    return case


def _locked(actor: User, case: Case, status: str) -> Case:
    require_role(actor, Role.COUNTY_OFFICER)
    require_region(actor, case.county_code)
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status != status:
        raise BusinessError(
            _("Case %(number)s is %(status)s.")
            % {"number": locked.number, "status": locked.get_status_display()},
            code=CASE_WRONG_STATUS,
        )
    return locked


@transaction.atomic
def case_decide(*, actor: User, case: Case, decision: str, penalty: str = "") -> Case:
    """Record the decision and the penalty (处理决定、处罚) of an open case."""
    check = FieldCheck()
    decision_text = check.text(
        "decision", decision, 1000, multiline=True, missing=_("Write the decision.")
    )
    penalty_text = check.text("penalty", penalty, 500, multiline=True, required=False)
    if check:
        raise invalid(_("The decision could not be saved."), check.problems)
    case = _locked(actor, case, Case.Status.OPEN)
    case.status = Case.Status.DECIDED
    case.decision = decision_text or ""
    case.penalty = penalty_text or ""
    case.decided_by = actor
    case.decided_at = timezone.now()
    case.save(update_fields=["status", "decision", "penalty", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action="case.decide",
        obj=case,
        region_code=case.county_code,
        details={"number": case.number, "penalty": case.penalty},
    )
    return case


@transaction.atomic
def case_close(*, actor: User, case: Case, note: str = "") -> Case:
    """Close a decided case (结案), e.g. once the penalty is carried out."""
    text = clean_text(note, 500, multiline=True, required=False)
    if text is None:
        raise BusinessError(
            _("The case could not be closed."),
            code=INVALID_INPUT,
            fields={"note": _("At most 500 characters, without control characters.")},
        )
    case = _locked(actor, case, Case.Status.DECIDED)
    case.status = Case.Status.CLOSED
    case.closing_note = text
    case.closed_by = actor
    case.closed_at = timezone.now()
    case.save(update_fields=["status", "closing_note", "closed_by", "closed_at"])
    audit_record(
        actor=actor,
        action="case.close",
        obj=case,
        region_code=case.county_code,
        details={"number": case.number},
    )
    return case
