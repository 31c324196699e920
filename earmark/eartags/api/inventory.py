"""Tags registered, issued, returned, voided, held and checked, and one tag's whole record."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from earmark.accounts.access import request_user, require_region
from earmark.accounts.models import User
from earmark.core.errors import NOTHING_GIVEN, BusinessError
from earmark.core.http import XLSX, attachment
from earmark.core.species import species_digits
from earmark.eartags import documents, excel
from earmark.eartags.codes import format_tag
from earmark.eartags.holders import Holder, holder_from_key
from earmark.eartags.messages import parse_problems, refuse_too_much
from earmark.eartags.models import (
    Delivery,
    Issue,
    Registration,
)
from earmark.eartags.parse import parse_tags
from earmark.eartags.schemas import (
    CheckOut,
    DeliveryIn,
    DeliveryOut,
    HoldingOut,
    IssueIn,
    IssueOut,
    IssuePreviewOut,
    MoveIn,
    RegistrationIn,
    RegistrationOut,
    TagCheckIn,
    TagOut,
    tag_answer,
)
from earmark.eartags.selectors import checks
from earmark.eartags.selectors import inventory as inventory_reads
from earmark.eartags.services import issuing, registration

router = Router(tags=["ear tags"])


UPLOAD = File(...)


def _holder(user: User, key: str) -> Holder:
    holder = holder_from_key(key)
    require_region(user, holder.region_code)
    return holder


@router.get("/tag-registrations/template/xlsx", summary="The county inventory sheet to fill in")
def tag_registrations_template_xlsx(request: HttpRequest) -> HttpResponse:
    return attachment(excel.template_workbook(), XLSX, "inventory-template.xlsx")


@router.post("/tag-registrations", response={201: RegistrationOut}, summary="Register unused tags")
def tag_registrations_create(request: HttpRequest, payload: RegistrationIn) -> Status[Registration]:
    user = request_user(request)
    rows = [
        registration.RegistrationRow(line=n, **row.dict()) for n, row in enumerate(payload.rows, 1)
    ]
    delivery = _delivery(user, payload.delivery_id)
    return Status(201, registration.tags_register(actor=user, rows=rows, delivery=delivery))


@router.post(
    "/tag-registrations/import",
    response={201: RegistrationOut},
    summary="Register from a filled-in inventory sheet, all rows or none",
)
def tag_registrations_import(
    request: HttpRequest, file: UploadedFile = UPLOAD, delivery_id: int | None = None
) -> Status[Registration]:
    user = request_user(request)
    rows = excel.read_workbook(file)
    created = registration.tags_register(
        actor=user,
        rows=rows,
        delivery=_delivery(user, delivery_id),
        source=Registration.Source.IMPORT,
        file_name=file.name or "",
    )
    return Status(201, created)


@router.get("/tag-registrations", response=list[RegistrationOut], summary="Registrations of tags")
@paginate
def tag_registrations_list(request: HttpRequest) -> object:
    return inventory_reads.registration_list(user=request_user(request))


def _delivery(user: User, delivery_id: int | None) -> Delivery | None:
    if delivery_id is None:
        return None
    return inventory_reads.delivery_get(user=user, delivery_id=delivery_id)


@router.get("/tag-deliveries", response=list[DeliveryOut], summary="Deliveries from makers")
@paginate
def tag_deliveries_list(request: HttpRequest) -> object:
    return inventory_reads.delivery_list(user=request_user(request))


@router.post(
    "/tag-deliveries", response={201: DeliveryOut}, summary="Record a manufacturer's delivery"
)
def tag_deliveries_create(request: HttpRequest, payload: DeliveryIn) -> Status[Delivery]:
    return Status(201, registration.delivery_create(actor=request_user(request), **payload.dict()))


@router.post(
    "/tag-issues", response={201: IssueOut}, summary="First or second issue, from your agency"
)
def tag_issues_create(request: HttpRequest, payload: IssueIn) -> Status[Issue]:
    user = request_user(request)
    issue = issuing.tags_issue(
        actor=user,
        target=_holder(user, payload.to),
        species=payload.species,
        selection=payload.selection(),
        note=payload.note,
    )
    return Status(201, inventory_reads.issue_get(user=user, number=issue.number))


@router.post(
    "/tag-issues/preview",
    response=IssuePreviewOut,
    summary="What this issue would hand over, or why it would be refused",
)
def tag_issues_preview(request: HttpRequest, payload: IssueIn) -> dict[str, Any]:
    user = request_user(request)
    return issuing.tags_issue_preview(
        actor=user,
        target=_holder(user, payload.to),
        species=payload.species,
        selection=payload.selection(),
        note=payload.note,
    )


@router.get("/tag-issues", response=list[IssueOut], summary="Issue, return and void documents")
@paginate
def tag_issues_list(request: HttpRequest, kind: str = "") -> object:
    return inventory_reads.issue_list(user=request_user(request), kind=kind)


@router.get("/tag-issues/{number}/pdf", summary="The printable document")
def tag_issues_pdf(request: HttpRequest, number: str) -> HttpResponse:
    issue = inventory_reads.issue_get(user=request_user(request), number=number)
    return attachment(documents.issue_pdf(issue), "application/pdf", f"{issue.number}.pdf")


@router.get("/tag-issues/{number}", response=IssueOut, summary="One issue document")
def tag_issues_get(request: HttpRequest, number: str) -> Issue:
    return inventory_reads.issue_get(user=request_user(request), number=number)


def _move(request: HttpRequest, payload: MoveIn, service: Any) -> Status[Issue]:
    user = request_user(request)
    issue = service(
        actor=user,
        source=_holder(user, payload.holder),
        species=payload.species,
        selection=payload.selection(),
        note=payload.note,
    )
    return Status(201, inventory_reads.issue_get(user=user, number=issue.number))


@router.post("/tag-returns", response={201: IssueOut}, summary="Return unused tags up the chain")
def tag_returns_create(request: HttpRequest, payload: MoveIn) -> Status[Issue]:
    return _move(request, payload, issuing.tags_return)


@router.post("/tag-voids", response={201: IssueOut}, summary="Void damaged unused tags")
def tag_voids_create(request: HttpRequest, payload: MoveIn) -> Status[Issue]:
    return _move(request, payload, issuing.tags_void)


@router.get("/tag-holdings", response=list[HoldingOut], summary="What every holder holds")
@paginate
def tag_holdings_list(
    request: HttpRequest, holder: str = "", species: str = ""
) -> list[dict[str, Any]]:
    user = request_user(request)
    only = _holder(user, holder) if holder else None
    return [
        {
            "holder": s.holder.label,
            "holder_key": s.holder.key,
            "species": s.species,
            "state": s.state,
            "count": s.count,
            "tags": s.ranges,
            "ranges": s.ranges,
        }
        for s in inventory_reads.holdings_by_holder(user=user, holder=only, species=species)
    ]


@router.get(
    "/tags/inventory",
    response=dict[str, int],
    summary="Inventory totals in your jurisdiction, or in one region of it (?region=)",
)
def tags_inventory(request: HttpRequest, region: str = "") -> dict[str, int]:
    return inventory_reads.inventory_totals(user=request_user(request), region=region)


@router.post("/tags/check", response=CheckOut, summary="Legitimacy check of tag numbers")
def tags_check(request: HttpRequest, payload: TagCheckIn) -> dict[str, Any]:
    user = request_user(request)
    require_region(user, payload.township)
    parsed = parse_tags(payload.tags, species=species_digits())
    refuse_too_much(parsed)
    if not parsed.numbers and not parsed.problems and not parsed.legacy:
        raise BusinessError(_("Enter tag numbers to check."), code=NOTHING_GIVEN)
    holder = _holder(user, payload.holder) if payload.holder else None
    report = checks.tags_check_visible(
        user=user, numbers=parsed.numbers, township=payload.township, holder=holder
    )
    return {
        "ok": report.ok and not parsed.problems,
        "checked": parsed.numbers.count,
        "problem_count": report.problem_count,
        "segments": [
            {
                **s.__dict__,
                "first": format_tag(s.first),
                "last": format_tag(s.last),
                "count": s.count,
            }
            for s in report.segments
        ],
        "unreadable": parse_problems(parsed),
        "legacy": parsed.legacy,
    }


@router.get(
    "/tags/{number}", response=TagOut, summary="One tag: registration, holder, state, history"
)
def tags_get(request: HttpRequest, number: str) -> dict[str, Any]:
    return tag_answer(inventory_reads.tag_detail(user=request_user(request), text=number))
