"""Slaughter batches (宰前检查, 同步检疫) and animal-product certificates (产品A / 产品B)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from ninja.pagination import paginate

from earmark.accounts.access import request_user
from earmark.core.http import attachment
from earmark.eartags.messages import read_numbers
from earmark.eartags.ranges import RangeSet
from earmark.farms.selectors import premises_get
from earmark.slaughter import selectors
from earmark.slaughter.documents import product_certificate_pdf
from earmark.slaughter.models import ProductCertificate, SlaughterBatch
from earmark.slaughter.schemas import (
    BatchIn,
    BatchOut,
    ChainOut,
    ConsignmentIn,
    FindingIn,
    PostMortemIn,
    ProductCertificateIn,
    ProductCertificateOut,
    ReasonIn,
)
from earmark.slaughter.services import batches, findings, products
from earmark.slaughter.views_common import chain_facts, consignment_of, post_mortem_of

router = Router(tags=["slaughter"])


def _tags(text: str) -> RangeSet:
    return read_numbers(text) if text.strip() else RangeSet()


@router.get("/slaughter-batches", response=list[BatchOut], summary="Slaughter batches")
@paginate
def slaughter_batches_list(request: HttpRequest) -> Any:
    return selectors.batch_list(user=request_user(request))


@router.post(
    "/slaughter-batches",
    response={201: BatchOut},
    summary="Open a batch with its ante-mortem check (宰前检查)",
    description="The animals leave the slaughterhouse's stock, certificate by certificate: never "
    "more than each certificate brought in and still waits.",
)
def slaughter_batches_create(request: HttpRequest, payload: BatchIn) -> Status[SlaughterBatch]:
    user = request_user(request)
    batch = batches.batch_open(
        actor=user,
        slaughterhouse=premises_get(user=user, code=payload.premises),
        sources=[batches.Source(s.certificate, s.count) for s in payload.sources],
        ante_result=payload.ante_result,
        ante_signs=payload.ante_signs,
        tags=_tags(payload.tags),
    )
    return Status(201, batch)


@router.get("/slaughter-batches/{number}", response=BatchOut, summary="One slaughter batch")
def slaughter_batches_get(request: HttpRequest, number: str) -> SlaughterBatch:
    return selectors.batch_get(user=request_user(request), number=number)


@router.post(
    "/slaughter-batches/{number}/inspect",
    response=BatchOut,
    summary="Record the post-mortem inspection (同步检疫)",
    description="Findings by organ, animals slaughtered apart (急宰) or condemned (to the "
    "disposal plant named), what the batch produced; a notifiable finding blocks it and alerts "
    "the origin counties.",
)
def slaughter_batches_inspect(
    request: HttpRequest, number: str, payload: PostMortemIn
) -> SlaughterBatch:
    user = request_user(request)
    batch = selectors.batch_get(user=user, number=number)
    return batches.batch_close(actor=user, batch=batch, post=post_mortem_of(user, payload.dict()))


@router.get(
    "/product-certificates",
    response=list[ProductCertificateOut],
    summary="Product certificates issued in or sent to your jurisdiction",
)
@paginate
def product_certificates_list(request: HttpRequest) -> Any:
    return selectors.product_certificate_list(user=request_user(request))


@router.post(
    "/product-certificates",
    response={201: ProductCertificateOut},
    summary="Issue a product certificate (产品A / 产品B) from a batch that passed",
)
def product_certificates_create(
    request: HttpRequest, payload: ProductCertificateIn
) -> Status[ProductCertificate]:
    user = request_user(request)
    batch = selectors.batch_get(user=user, number=payload.batch)
    data = payload.dict()
    data.pop("batch")
    number = data.pop("supersedes")
    replaced = selectors.product_certificate_get(user=user, number=number) if number else None
    certificate = products.product_certificate_issue(
        actor=user, batch=batch, consignment=consignment_of(data), supersedes=replaced
    )
    return Status(201, certificate)


@router.get(
    "/product-certificates/{number}",
    response=ProductCertificateOut,
    summary="One product certificate",
)
def product_certificates_get(request: HttpRequest, number: str) -> ProductCertificate:
    return selectors.product_certificate_get(user=request_user(request), number=number)


@router.get(
    "/product-certificates/{number}/pdf",
    summary="The printable product certificate",
    response={200: None},
)
def product_certificates_pdf(request: HttpRequest, number: str) -> HttpResponse:
    certificate = selectors.product_certificate_get(user=request_user(request), number=number)
    return attachment(product_certificate_pdf(certificate), "application/pdf", f"{number}.pdf")


@router.post(
    "/product-certificates/{number}/split",
    response={201: ProductCertificateOut},
    summary="Pass part of a lot on (分销换证): by the county it was sent to",
)
def product_certificates_split(
    request: HttpRequest, number: str, payload: ConsignmentIn
) -> Status[ProductCertificate]:
    user = request_user(request)
    parent = selectors.product_certificate_get(user=user, number=number)
    child = products.product_certificate_split(
        actor=user, parent=parent, consignment=consignment_of(payload.dict())
    )
    return Status(201, child)


@router.post(
    "/product-certificates/{number}/revoke",
    response=ProductCertificateOut,
    summary="Revoke a product certificate none of which was passed on",
)
def product_certificates_revoke(
    request: HttpRequest, number: str, payload: ReasonIn
) -> ProductCertificate:
    user = request_user(request)
    certificate = selectors.product_certificate_get(user=user, number=number)
    return products.product_certificate_revoke(
        actor=user, certificate=certificate, reason=payload.reason
    )


@router.get(
    "/product-certificates/{number}/trace",
    response=ChainOut,
    summary="Back to the batch, its certificates and farms; forward to its other certificates",
)
def product_certificates_trace(request: HttpRequest, number: str) -> dict[str, Any]:
    certificate = selectors.product_certificate_get(user=request_user(request), number=number)
    return chain_facts(selectors.batch_chain(certificate.batch))


@router.post(
    "/product-certificates/{number}/report",
    response={201: dict[str, int]},
    summary="Report a food-safety finding: the origin counties are alerted",
)
def product_certificates_report(
    request: HttpRequest, number: str, payload: FindingIn
) -> Status[dict[str, int]]:
    user = request_user(request)
    certificate = selectors.product_certificate_get(user=user, number=number)
    raised = findings.product_finding_report(
        actor=user, certificate=certificate, finding=payload.finding
    )
    return Status(201, {"alerts": raised})
