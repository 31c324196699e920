from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from earmark.accounts.access import request_user
from earmark.accounts.models import Role, User
from earmark.core.errors import INVALID_INPUT, BusinessError
from earmark.core.forms import error_lines, show_error
from earmark.core.http import attachment
from earmark.core.species import species_digits
from earmark.eartags.codes import CodeError, parse_tag
from earmark.farms.selectors import premises_by_token, premises_get
from earmark.farms.session import farm_session_opened
from earmark.quarantine import documents, selectors
from earmark.quarantine.forms import (
    CertificateSearchForm,
    DeclarationForm,
    InspectionForm,
    IssueForm,
    RejectForm,
    RevokeForm,
)
from earmark.quarantine.models import Certificate, Declaration
from earmark.quarantine.services import certificates
from earmark.quarantine.services.declarations import (
    declaration_decide,
    declaration_inspect,
    declaration_submit,
)
from earmark.quarantine.services.validity import certificate_validity
from earmark.regions.provinces import leaves_province
from earmark.regions.selectors import townships_of


def townships(request: HttpRequest) -> HttpResponse:
    """The <option>s of a county's townships, for the destination select (htmx)."""
    county = request.GET.get("destination_county", "")
    rows = townships_of(county=county)
    options = format_html_join(
        "", '<option value="{}">{}</option>', ((r.code, r.name) for r in rows)
    )
    return HttpResponse(format_html('<option value="">—</option>{}', options))


def farm_declare(request: HttpRequest, token: str) -> HttpResponse:
    """The farm's declaration, from its QR page after the PIN."""
    premises = premises_by_token(token=token)
    if not farm_session_opened(request, premises):
        return redirect("farm-page", token=token)
    form = DeclarationForm(request.POST or None)
    tag_problems: list[dict[str, Any]] = []
    if request.method == "POST" and form.is_valid():
        try:
            declaration = declaration_submit(premises=premises, data=form.data_object())
        except BusinessError as error:
            tag_problems = show_error(form, error, table=True)
        else:
            messages.success(
                request, _("Declaration %(number)s submitted.") % {"number": declaration.number}
            )
            return redirect("farm-page", token=token)
    return render(
        request,
        "quarantine/declare.html",
        {
            "form": form,
            "premises": premises,
            "tag_problems": tag_problems,
            "farm": True,
            "farm_menu": premises,
        },
    )


def farm_certificate(request: HttpRequest, token: str, number: str) -> HttpResponse:
    premises = premises_by_token(token=token)
    if not farm_session_opened(request, premises):
        return redirect("farm-page", token=token)
    certificate = selectors.farm_certificate_get(premises=premises, number=number)
    return attachment(documents.certificate_pdf(certificate), "application/pdf", f"{number}.pdf")


@login_required
def declare_for_farm(request: HttpRequest, code: str) -> HttpResponse:
    """A township officer enters a declaration a farm made by telephone."""
    user = request_user(request)
    premises = premises_get(user=user, code=code)
    form = DeclarationForm(request.POST or None)
    tag_problems: list[dict[str, Any]] = []
    if request.method == "POST" and form.is_valid():
        try:
            declaration = declaration_submit(
                premises=premises, data=form.data_object(), entered_by=user
            )
        except BusinessError as error:
            tag_problems = show_error(form, error, table=True)
        else:
            messages.success(
                request, _("Declaration %(number)s submitted.") % {"number": declaration.number}
            )
            return redirect("declaration-detail", number=declaration.number)
    return render(
        request,
        "quarantine/declare.html",
        {"form": form, "premises": premises, "tag_problems": tag_problems},
    )


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """The station's and the vet's list; the list part refreshes by itself (htmx)."""
    user = request_user(request)
    status = request.GET.get("status", "submitted,accepted,inspected")
    page = Paginator(selectors.declaration_list(user=user, status=status), 30).get_page(
        request.GET.get("page")
    )
    template = "quarantine/queue_rows.html" if request.htmx else "quarantine/queue.html"  # type: ignore[attr-defined]
    return render(
        request, template, {"page": page, "status": status, "statuses": Declaration.Status.choices}
    )


@login_required
def declaration_detail(request: HttpRequest, number: str) -> HttpResponse:
    user = request_user(request)
    declaration = selectors.declaration_get(user=user, number=number)
    if request.method == "POST":
        action = _DECLARATION_STEPS.get(request.POST.get("action", ""))
        try:
            done = action(request, user, declaration) if action else None
        except BusinessError as error:
            messages.error(request, str(error.message))
            for problem in error_lines(error):
                messages.error(request, problem)
        else:
            if done is not None:
                return done
        return redirect("declaration-detail", number=number)
    context = {
        "declaration": declaration,
        "forms": {
            "reject": RejectForm(),
            "inspect": InspectionForm(),
            "issue": _issue_form(declaration),
        },
        "is_station": user.has_role(Role.TOWNSHIP_OFFICER),
        "is_vet": user.has_role(Role.OFFICIAL_VET),
        "certificates": declaration.certificates.all(),
    }
    return render(request, "quarantine/declaration.html", context)


def _issue_form(declaration: Declaration, data: Any = None) -> IssueForm:
    validity = certificate_validity(declaration)
    leaving = leaves_province(declaration.destination_province)
    return IssueForm(data, departure=validity.departure, longest=validity.longest, leaving=leaving)


def _accept(request: HttpRequest, user: User, declaration: Declaration) -> None:
    declaration_decide(actor=user, declaration=declaration, accept=True)
    messages.success(request, _("Declaration accepted."))


def _reject(request: HttpRequest, user: User, declaration: Declaration) -> None:
    reason = request.POST.get("reason", "")
    declaration_decide(actor=user, declaration=declaration, accept=False, reason=reason)
    messages.success(request, _("Declaration rejected; the farm sees the reason."))


def _inspect(request: HttpRequest, user: User, declaration: Declaration) -> None:
    passed = request.POST.get("passed") == "yes"
    notes = request.POST.get("notes", "")
    declaration_inspect(actor=user, declaration=declaration, passed=passed, notes=notes)
    messages.success(request, _("Inspection recorded."))


def _issue(request: HttpRequest, user: User, declaration: Declaration) -> HttpResponse:
    issue = _issue_form(declaration, request.POST)
    if not issue.is_valid():
        raise BusinessError(
            _("Check the certificate's details."),
            code=INVALID_INPUT,
            fields={
                str(issue.fields[name].label): [str(text) for text in texts]
                for name, texts in issue.errors.items()
            },
        )
    certificate = certificates.certificate_issue(
        actor=user,
        declaration=declaration,
        valid_until=issue.cleaned_data["valid_until"],
        journey=certificates.Journey(**issue.journey()),
    )
    messages.success(request, _("Certificate %(number)s issued.") % {"number": certificate.number})
    return redirect("certificate-detail", number=certificate.number)


# What the station and the vet do on a declaration's page, by the button pressed.
_DECLARATION_STEPS: dict[str, Callable[[HttpRequest, User, Declaration], HttpResponse | None]] = {
    "accept": _accept,
    "reject": _reject,
    "inspect": _inspect,
    "issue": _issue,
}


@login_required
def certificate_list(request: HttpRequest) -> HttpResponse:
    """Certificates leaving or coming into the jurisdiction, searched by number, farm, tag,
    date and state; ``?state=incoming`` lists those still to be received (待接收)."""
    user = request_user(request)
    form = CertificateSearchForm(request.GET or None)
    search = selectors.CertificateFilter()
    if form.is_valid():
        data = form.cleaned_data
        try:
            tag = (
                parse_tag(data["tag"].strip(), species=species_digits())
                if data["tag"].strip()
                else None
            )
        except CodeError:
            form.add_error("tag", _("A tag number has 15 digits."))
            tag = None
        search = selectors.CertificateFilter(
            number=data["number"].strip(),
            premises=data["premises"].strip(),
            tag=tag,
            since=data["since"],
            until=data["until"],
            state=data["state"],
        )
    page = Paginator(selectors.certificate_list(user=user, search=search), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "quarantine/certificates.html", {"form": form, "page": page})


@login_required
def certificate_detail(request: HttpRequest, number: str) -> HttpResponse:
    user = request_user(request)
    certificate = selectors.certificate_get(user=user, number=number)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificates.certificate_revoke(
                actor=user, certificate=certificate, reason=form.cleaned_data["reason"]
            )
        except BusinessError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Certificate revoked."))
            return redirect("certificate-detail", number=number)
    state = selectors.certificate_state(certificate)
    return render(
        request,
        "quarantine/certificate.html",
        {
            "certificate": certificate,
            "state": state,
            "form": form,
            "is_vet": user.has_role(Role.OFFICIAL_VET),
            "is_origin": selectors.certificate_is_origin(user=user, certificate=certificate),
            "may_redirect": state == "valid"
            and user.has_role(Role.COUNTY_OFFICER, Role.OFFICIAL_VET),
            "restricted": _may_override(user, certificate, state),
            "redirects": selectors.certificate_redirects(certificate=certificate),
        },
    )


def _may_override(user: User, certificate: Certificate, state: str) -> bool:
    """Whether the page offers the county to let in animals whose origin is restricted."""
    return (
        state == "valid"
        and user.has_role(Role.COUNTY_OFFICER)
        and selectors.origin_restriction(certificate) is not None
    )


def verify(request: HttpRequest, number: str) -> HttpResponse:
    """Public: a certificate's status, and whether the QR code's payload is genuine."""
    result = selectors.certificate_public_check(number=number, payload=request.GET.get("p", ""))
    certificate = result.certificate
    return render(
        request,
        "quarantine/verify.html",
        {
            "number": number,
            "certificate": certificate,
            "state": selectors.certificate_state(certificate) if certificate else "unknown",
            "checked": result.checked,
            "genuine": result.genuine,
        },
        status=200 if certificate else 404,
    )
