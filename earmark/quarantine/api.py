# No postponed annotations here: ninja's paginate wrapper resolves the list's query parameter
# types (dates) in its own module, where the names would not be found.

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status
from ninja.pagination import paginate

from earmark.accounts.access import request_user
from earmark.core import signing
from earmark.core.errors import BusinessError
from earmark.core.http import attachment
from earmark.core.schemas import Day
from earmark.eartags.messages import parse_one_tag
from earmark.farms.selectors import premises_get
from earmark.farms.tokens import FarmTokenAuth, request_farm
from earmark.quarantine import documents, selectors
from earmark.quarantine.models import Certificate, Declaration
from earmark.quarantine.schemas import (
    CertificateIn,
    CertificateListOut,
    CertificateOut,
    DecisionIn,
    DeclarationIn,
    DeclarationOut,
    DeclarationPreviewOut,
    FarmDeclarationIn,
    InspectionIn,
    RevokeIn,
    VerifyIn,
)
from earmark.quarantine.services import certificates
from earmark.quarantine.services.declarations import (
    declaration_decide,
    declaration_inspect,
    declaration_preview,
    declaration_submit,
)
from earmark.quarantine.services.review_data import DeclarationData

router = Router(tags=["quarantine"])


def _data(payload: FarmDeclarationIn) -> DeclarationData:
    fields = payload.dict()
    fields.pop("origin_premises", None)
    fields["numbers"] = fields.pop("tags")
    return DeclarationData(**fields)


@router.post("/declarations", response={201: DeclarationOut}, summary="Declare on a farm's behalf")
def declarations_create(request: HttpRequest, payload: DeclarationIn) -> Status[Declaration]:
    user = request_user(request)
    premises = premises_get(user=user, code=payload.origin_premises)
    created = declaration_submit(premises=premises, data=_data(payload), entered_by=user)
    return Status(201, selectors.declaration_get(user=user, number=created.number))


@router.post(
    "/declarations/preview",
    response=DeclarationPreviewOut,
    summary="Run every check of a declaration without submitting it",
)
def declarations_preview(request: HttpRequest, payload: DeclarationIn) -> dict[str, Any]:
    user = request_user(request)
    return declaration_preview(
        premises=premises_get(user=user, code=payload.origin_premises),
        data=_data(payload),
        entered_by=user,
    )


@router.get("/declarations", response=list[DeclarationOut], summary="Declarations to your agency")
@paginate
def declarations_list(request: HttpRequest, status: str = "", premises: str = "") -> object:
    return selectors.declaration_list(user=request_user(request), status=status, premises=premises)


@router.get("/declarations/{number}", response=DeclarationOut, summary="One declaration")
def declarations_get(request: HttpRequest, number: str) -> Declaration:
    return selectors.declaration_get(user=request_user(request), number=number)


@router.post(
    "/declarations/{number}/accept", response=DeclarationOut, summary="Accept a declaration"
)
def declarations_accept(request: HttpRequest, number: str) -> Declaration:
    user = request_user(request)
    declaration = selectors.declaration_get(user=user, number=number)
    return declaration_decide(actor=user, declaration=declaration, accept=True)


@router.post(
    "/declarations/{number}/reject",
    response=DeclarationOut,
    summary="Reject a declaration, with the reason",
)
def declarations_reject(request: HttpRequest, number: str, payload: DecisionIn) -> Declaration:
    user = request_user(request)
    declaration = selectors.declaration_get(user=user, number=number)
    return declaration_decide(
        actor=user, declaration=declaration, accept=False, reason=payload.reason
    )


@router.post(
    "/declarations/{number}/inspect",
    response=DeclarationOut,
    summary="Record the on-site inspection",
)
def declarations_inspect(request: HttpRequest, number: str, payload: InspectionIn) -> Declaration:
    user = request_user(request)
    declaration = selectors.declaration_get(user=user, number=number)
    return declaration_inspect(
        actor=user, declaration=declaration, passed=payload.passed, notes=payload.notes
    )


@router.post("/certificates", response={201: CertificateOut}, summary="Issue a certificate")
def certificates_create(request: HttpRequest, payload: CertificateIn) -> Status[Certificate]:
    user = request_user(request)
    declaration = selectors.declaration_get(user=user, number=payload.declaration)
    old = (
        selectors.certificate_get(user=user, number=payload.supersedes)
        if payload.supersedes
        else None
    )
    issued = certificates.certificate_issue(
        actor=user,
        declaration=declaration,
        valid_until=payload.valid_until,
        validity_days=payload.validity_days,
        supersedes=old,
        journey=certificates.Journey(
            payload.transport_mode, payload.disinfection, payload.checkpoint
        ),
    )
    return Status(201, selectors.certificate_get(user=user, number=issued.number))


@router.get(
    "/certificates",
    response=list[CertificateListOut],
    summary="Certificates leaving or coming into your jurisdiction, searched",
    description=(
        "`state=incoming` lists the certificates still to be received (待接收) in your "
        "jurisdiction, or at `destination` (a premises code or a region code)."
    ),
)
@paginate
def certificates_list(
    request: HttpRequest,
    number: str = "",
    premises: str = "",
    tag: str = "",
    since: Day | None = Query(None, alias="from"),  # noqa: B008
    until: Day | None = Query(None, alias="to"),  # noqa: B008
    destination: str = "",
    state: Literal["", "incoming", "valid", "expired", "revoked", "used"] = "",
) -> object:
    return selectors.certificate_list(
        user=request_user(request),
        search=selectors.CertificateFilter(
            number=number,
            premises=premises,
            tag=parse_one_tag(tag) if tag else None,
            since=since,
            until=until,
            destination=destination,
            state=state,
        ),
    )


@router.post("/certificates/verify", auth=None, summary="Verify a signed payload, and its status")
def certificates_verify(request: HttpRequest, payload: VerifyIn) -> dict[str, Any]:
    result = signing.verify_own(payload.payload)
    answer: dict[str, Any] = {
        "signature_valid": result.ok,
        "reason": result.reason,
        "fields": result.fields,
    }
    if result.ok:
        try:
            certificate = selectors.certificate_find(str(result.fields.get("n", "")))
        except BusinessError:
            answer["state"] = "unknown"
        else:
            answer["state"] = selectors.certificate_state(certificate)
            answer["matches_record"] = certificate.payload == payload.payload.strip()
    return answer


@router.get("/certificates/{number}", response=CertificateOut, summary="One certificate")
def certificates_get(request: HttpRequest, number: str) -> Certificate:
    return selectors.certificate_get(user=request_user(request), number=number)


@router.get(
    "/certificates/{number}/pdf",
    summary="The printable certificate",
    description=(
        "The national form, page 1 whole, the tag numbers it has no room for on annex pages "
        "(附页 k/N). `part`: `stub` (第一联, the agency's) or `carried` (第二联, with the "
        "animals); without it, as the province prints them (`EARMARK_CERTIFICATE_COPIES`)."
    ),
)
def certificates_pdf(
    request: HttpRequest, number: str, part: Literal["stub", "carried"] | None = None
) -> HttpResponse:
    certificate = selectors.certificate_get(user=request_user(request), number=number)
    pdf = documents.certificate_pdf(certificate, documents.certificate_copies(part))
    suffix = f"-{part}" if part else ""
    return attachment(pdf, "application/pdf", f"{certificate.number}{suffix}.pdf")


@router.post(
    "/certificates/{number}/revoke",
    response=CertificateOut,
    summary="Revoke a certificate, with the reason",
)
def certificates_revoke(request: HttpRequest, number: str, payload: RevokeIn) -> Certificate:
    user = request_user(request)
    certificate = selectors.certificate_get(user=user, number=number)
    return certificates.certificate_revoke(
        actor=user, certificate=certificate, reason=payload.reason
    )


@router.get("/signing-keys/current", auth=None, summary="The province's public key (PEM)")
def signing_keys_current(request: HttpRequest) -> dict[str, str]:
    return {
        "algorithm": "Ed25519",
        "key_id": signing.key_id(),
        "public_key_pem": signing.public_pem().decode(),
    }


# --- The farm's own API (see ``farms.api.farm_router`` for its token) -------------------------

farm_router = Router(tags=["farm"])


@farm_router.post(
    "/farm/declarations",
    response={201: DeclarationOut},
    auth=FarmTokenAuth(),
    summary="The farm declares its animals for quarantine",
)
def farm_declarations_create(
    request: HttpRequest, payload: FarmDeclarationIn
) -> Status[Declaration]:
    premises = request_farm(request)
    created = declaration_submit(premises=premises, data=_data(payload))
    return Status(201, selectors.farm_declaration_get(premises=premises, number=created.number))


@farm_router.post(
    "/farm/declarations/preview",
    response=DeclarationPreviewOut,
    auth=FarmTokenAuth(),
    summary="Run every check of the farm's declaration without submitting it",
)
def farm_declarations_preview(request: HttpRequest, payload: FarmDeclarationIn) -> Any:
    return declaration_preview(premises=request_farm(request), data=_data(payload))


@farm_router.get(
    "/farm/declarations",
    response=list[DeclarationOut],
    auth=FarmTokenAuth(),
    summary="The farm's declarations, newest first",
)
@paginate
def farm_declarations_list(request: HttpRequest) -> Any:
    return selectors.farm_declaration_list(premises=request_farm(request))


@farm_router.get(
    "/farm/declarations/{number}",
    response=DeclarationOut,
    auth=FarmTokenAuth(),
    summary="One of the farm's declarations",
)
def farm_declarations_get(request: HttpRequest, number: str) -> Declaration:
    return selectors.farm_declaration_get(premises=request_farm(request), number=number)


@farm_router.get(
    "/farm/certificates/{number}/pdf",
    auth=FarmTokenAuth(),
    summary="One of the farm's certificates, printable",
)
def farm_certificates_pdf(request: HttpRequest, number: str) -> HttpResponse:
    certificate = selectors.farm_certificate_get(premises=request_farm(request), number=number)
    return attachment(documents.certificate_pdf(certificate), "application/pdf", f"{number}.pdf")
