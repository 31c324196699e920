"""Bulletins (通报): drafted, reviewed, issued; the PDF of a draft is a preview, of an issued
bulletin the bytes stored at issue."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from earmark.accounts.access import request_user
from earmark.core.http import attachment
from earmark.core.schemas import In
from earmark.rollout.documents import period_parse
from earmark.rollout.models import Bulletin
from earmark.rollout.selectors.bulletins import bulletin_get, bulletin_list
from earmark.rollout.services import bulletins as services

bulletins_router = Router(tags=["rollout"])


class BulletinIn(In):
    keeps_in = Bulletin
    period: str = Field(pattern=r"^\d{4}-\d{2}$", description="the month it reports, e.g. 2026-11")
    recipients: str = Field("", description="主送: the agencies it is sent to")
    copies_to: str = Field("", description="抄送: the agencies it is copied to")
    corrects: int | None = Field(
        None, description="the id of the issued bulletin this one corrects"
    )


class BulletinOut(Schema):
    id: int
    region: str = Field(alias="region_id")
    period: str
    status: str
    number: str
    recipients: str
    copies_to: str
    corrects: str = Field(description="the number of the bulletin it corrects, or empty")
    drafted_by: str
    reviewed_by: str
    issued_by: str
    as_of: date | None
    issued_on: date | None
    sha256: str = Field(description="the hash of the issued PDF, as the audit log keeps it")

    @staticmethod
    def resolve_corrects(bulletin: Bulletin) -> str:
        return bulletin.corrects.number if bulletin.corrects else ""

    @staticmethod
    def resolve_drafted_by(bulletin: Bulletin) -> str:
        return str(bulletin.drafted_by or "")

    @staticmethod
    def resolve_reviewed_by(bulletin: Bulletin) -> str:
        return str(bulletin.reviewed_by or "")

    @staticmethod
    def resolve_issued_by(bulletin: Bulletin) -> str:
        return str(bulletin.issued_by or "")


@bulletins_router.get("/bulletins", response=list[BulletinOut], summary="Your region's bulletins")
@paginate
def bulletins_list(request: HttpRequest) -> object:
    return bulletin_list(user=request_user(request))


@bulletins_router.post(
    "/bulletins",
    response={201: BulletinOut},
    summary="Draft a bulletin for a month",
    description="A draft has no number; another official reviews it, then it is issued.",
)
def bulletins_create(request: HttpRequest, payload: BulletinIn) -> Status[Bulletin]:
    user = request_user(request)
    period_parse(payload.period)
    corrects = bulletin_get(user=user, pk=payload.corrects) if payload.corrects else None
    bulletin = services.bulletin_draft(
        actor=user,
        period=payload.period,
        recipients=payload.recipients,
        copies_to=payload.copies_to,
        corrects=corrects,
    )
    return Status(201, bulletin)


@bulletins_router.get("/bulletins/{bulletin_id}", response=BulletinOut, summary="One bulletin")
def bulletins_get(request: HttpRequest, bulletin_id: int) -> Bulletin:
    return bulletin_get(user=request_user(request), pk=bulletin_id)


@bulletins_router.post(
    "/bulletins/{bulletin_id}/review",
    response=BulletinOut,
    summary="Review a draft (another official than its drafter)",
)
def bulletins_review(request: HttpRequest, bulletin_id: int) -> Bulletin:
    user = request_user(request)
    return services.bulletin_review(actor=user, bulletin=bulletin_get(user=user, pk=bulletin_id))


@bulletins_router.post(
    "/bulletins/{bulletin_id}/issue",
    response=BulletinOut,
    summary="Issue a reviewed bulletin",
    description=(
        "Takes the next document number (文号) of the region and year, in issue order; freezes "
        "the figures as of today (or the month's last day) in the PDF kept with it, signs its "
        "hash and writes it to the audit log. Issuing again returns the bulletin as issued."
    ),
)
def bulletins_issue(request: HttpRequest, bulletin_id: int) -> Bulletin:
    user = request_user(request)
    return services.bulletin_issue(actor=user, bulletin=bulletin_get(user=user, pk=bulletin_id))


@bulletins_router.get(
    "/bulletins/{bulletin_id}/pdf",
    summary="The bulletin as a PDF in Chinese",
    description="An issued bulletin: the same bytes at every download. A draft: a preview "
    "marked 草稿, without number or date, its figures as of today.",
    response={200: None},
)
def bulletins_pdf(request: HttpRequest, bulletin_id: int) -> HttpResponse:
    user = request_user(request)
    bulletin = bulletin_get(user=user, pk=bulletin_id)
    name = f"bulletin-{bulletin.region_id}-{bulletin.period}-{bulletin.sequence or 'draft'}.pdf"
    return attachment(services.bulletin_pdf(user=user, bulletin=bulletin), "application/pdf", name)
