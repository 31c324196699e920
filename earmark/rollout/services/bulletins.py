"""The bulletin (通报): drafted, reviewed by a second official, issued. At issue it takes the
next document number of its region and year (in issue order, no gap), its figures are frozen
in the PDF stored with it, the province signs the number and the PDF's hash, and the hash goes
to the audit chain. A correction is a new bulletin that names the one it corrects."""

from __future__ import annotations

import calendar
import hashlib
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import require_role, user_jurisdiction
from earmark.accounts.models import User
from earmark.audit.services import audit_record
from earmark.core import signing
from earmark.core.errors import BusinessError, NotFound
from earmark.core.sequences import sequence_take
from earmark.regions.provinces import ABBREVIATIONS
from earmark.regions.selectors import region_get
from earmark.rollout.bulletin_pdf import bulletin_document
from earmark.rollout.errors import (
    BULLETIN_NOT_CORRECTABLE,
    BULLETIN_OWN_REVIEW,
    BULLETIN_WRONG_STATUS,
    PERIOD_NOT_BEGUN,
)
from earmark.rollout.models import Bulletin
from earmark.rollout.selectors.bulletins import PUBLISHERS


def bulletin_number(region_code: str, name: str, year: int, sequence: int) -> str:
    """吉动监通〔2026〕3号 for the province; 长春动监通〔2026〕1号 for a city."""
    short = ABBREVIATIONS.get(region_code) or name.removesuffix("市")
    return f"{short}动监通〔{year}〕{sequence}号"


def figures_day(period: str, today: date) -> date:
    """The day a bulletin's figures are as of: the month's last day, or today in the month
    still running."""
    year, month = (int(part) for part in period.split("-"))
    return min(date(year, month, calendar.monthrange(year, month)[1]), today)


def _begun(period: str, today: date) -> None:
    year, month = (int(part) for part in period.split("-"))
    if date(year, month, 1) > today:
        raise BusinessError(
            _("A bulletin reports a month that has begun; %(month)s has not.")
            % {"month": f"{year}年{month}月"},
            code=PERIOD_NOT_BEGUN,
        )


def _ours(actor: User, bulletin: Bulletin) -> None:
    """A bulletin is reviewed and issued by officials of the region that drafted it."""
    require_role(actor, *PUBLISHERS)
    if user_jurisdiction(actor) != bulletin.region_id:
        raise NotFound()


def _wrong_status(bulletin: Bulletin) -> BusinessError:
    return BusinessError(
        _("The bulletin is %(status)s: it cannot take this step.")
        % {"status": bulletin.get_status_display()},
        code=BULLETIN_WRONG_STATUS,
    )


@transaction.atomic
def bulletin_draft(
    *,
    actor: User,
    period: str,
    recipients: str = "",
    copies_to: str = "",
    corrects: Bulletin | None = None,
) -> Bulletin:
    """A draft of ``actor``'s jurisdiction for the month ``period`` (2026-11)."""
    require_role(actor, *PUBLISHERS)
    region = region_get(code=user_jurisdiction(actor))
    _begun(period, timezone.localdate())
    if corrects is not None and (
        corrects.region_id != region.code or corrects.status != Bulletin.Status.ISSUED
    ):
        raise BusinessError(
            _("Only an issued bulletin of your region can be corrected."),
            code=BULLETIN_NOT_CORRECTABLE,
        )
    assert actor.agency is not None
    bulletin = Bulletin.objects.create(
        region=region,
        period=period,
        recipients=recipients.strip(),
        copies_to=copies_to.strip(),
        corrects=corrects,
        agency=actor.agency,
        drafted_by=actor,
        drafted_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="bulletin.draft",
        obj=bulletin,
        region_code=region.code,
        details={"period": period, "corrects": corrects.number if corrects else ""},
    )
    return bulletin


@transaction.atomic
def bulletin_review(*, actor: User, bulletin: Bulletin) -> Bulletin:
    """A second official of the same region reads the draft and passes it."""
    _ours(actor, bulletin)
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if bulletin.status == Bulletin.Status.REVIEWED and bulletin.reviewed_by_id == actor.pk:
        return bulletin
    if bulletin.status != Bulletin.Status.DRAFT:
        raise _wrong_status(bulletin)
    if bulletin.drafted_by_id == actor.pk:
        raise BusinessError(
            _("A bulletin is reviewed by another official than the one who drafted it."),
            code=BULLETIN_OWN_REVIEW,
        )
    bulletin.status = Bulletin.Status.REVIEWED
    bulletin.reviewed_by = actor
    bulletin.reviewed_at = timezone.now()
    bulletin.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    audit_record(
        actor=actor, action="bulletin.review", obj=bulletin, region_code=bulletin.region_id
    )
    return bulletin


def _seal(bulletin: Bulletin, pdf: bytes) -> None:
    """Keep the PDF, its hash and the province's signature over the number and the hash."""
    bulletin.pdf = pdf
    bulletin.sha256 = hashlib.sha256(pdf).hexdigest()
    bulletin.signature = signing.sign(
        {"t": "bulletin", "r": bulletin.region_id, "n": bulletin.number, "h": bulletin.sha256}
    )


@transaction.atomic
def bulletin_issue(*, actor: User, bulletin: Bulletin) -> Bulletin:
    """Number, freeze and sign a reviewed bulletin. Safe to repeat: an issued bulletin is
    returned as it is; two requests at once leave one number and no gap."""
    _ours(actor, bulletin)
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if bulletin.status == Bulletin.Status.ISSUED:
        return bulletin
    if bulletin.status != Bulletin.Status.REVIEWED:
        raise _wrong_status(bulletin)
    today = timezone.localdate()
    _begun(bulletin.period, today)
    # The sequence's row stays locked to the end: numbers follow the order of issue.
    bulletin.sequence = sequence_take(f"bulletin:{bulletin.region_id}:{today.year}")
    bulletin.year = today.year
    bulletin.number = bulletin_number(
        bulletin.region_id, bulletin.region.name, today.year, bulletin.sequence
    )
    bulletin.as_of = figures_day(bulletin.period, today)
    bulletin.issued_on = today
    bulletin.issued_by = actor
    bulletin.status = Bulletin.Status.ISSUED
    _seal(bulletin, bulletin_document(bulletin, user=actor, as_of=bulletin.as_of, day=today))
    bulletin.save()
    audit_record(
        actor=actor,
        action="bulletin.issue",
        obj=bulletin,
        region_code=bulletin.region_id,
        details={
            "number": bulletin.number,
            "period": bulletin.period,
            "as_of": bulletin.as_of.isoformat(),
            "sha256": bulletin.sha256,
        },
    )
    return bulletin


@transaction.atomic
def bulletin_pdf(*, user: User, bulletin: Bulletin) -> bytes:
    """The issued bulletin's stored bytes (the same at every download); a draft's preview as
    of today. A bulletin issued before PDFs were stored is rendered and stored once."""
    if bulletin.status != Bulletin.Status.ISSUED:
        return bulletin_document(
            bulletin, user=user, as_of=figures_day(bulletin.period, timezone.localdate()), day=None
        )
    if not bulletin.pdf:
        bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if not bulletin.pdf:
        assert bulletin.as_of is not None and bulletin.issued_on is not None
        pdf = bulletin_document(bulletin, user=user, as_of=bulletin.as_of, day=bulletin.issued_on)
        _seal(bulletin, pdf)
        bulletin.save(update_fields=["pdf", "sha256", "signature"])
        audit_record(
            actor=user,
            action="bulletin.store",
            obj=bulletin,
            region_code=bulletin.region_id,
            details={"number": bulletin.number, "sha256": bulletin.sha256},
        )
    return bytes(bulletin.pdf)
