"""The slaughterhouse vet's pages (phone first): the day's batches, the ante-mortem check, the
post-mortem and the product certificates; the product certificate's page for the county it was
sent to; and the consumer's public origin check."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import request_user
from earmark.accounts.models import User
from earmark.core.errors import BusinessError
from earmark.core.forms import act, show_error
from earmark.eartags.messages import read_numbers
from earmark.eartags.ranges import RangeSet
from earmark.farms.selectors import disposal_plants, premises_choices, premises_get
from earmark.movements.selectors import slaughter_waiting
from earmark.slaughter import selectors
from earmark.slaughter.forms import BatchForm, ConsignmentForm, FindingForm, PostMortemForm
from earmark.slaughter.models import ProductCertificate, SlaughterBatch
from earmark.slaughter.services import batches as batch_services
from earmark.slaughter.services import findings, products
from earmark.slaughter.services.batches import ORGANS
from earmark.slaughter.services.products import Consignment
from earmark.slaughter.views_common import consignment_of, post_mortem_of


def _waiting(user: User) -> list[tuple[str, str]]:
    return [
        (w.certificate, f"{w.certificate} · {w.premises_name} · {w.waiting}")
        for w in slaughter_waiting(user=user)
        if w.waiting > 0
    ]


@login_required
def batches(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    page = Paginator(selectors.batch_list(user=user), 30).get_page(request.GET.get("page"))
    waiting = [w for w in slaughter_waiting(user=user) if w.waiting > 0]
    return render(request, "slaughter/batches.html", {"page": page, "waiting": waiting})


@login_required
def batch_new(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = BatchForm(
        request.POST or None,
        places=premises_choices(user=user, kinds=["slaughterhouse"]),
        waiting=_waiting(user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch = batch_services.batch_open(
                actor=user,
                slaughterhouse=premises_get(user=user, code=data["slaughterhouse"]),
                sources=[batch_services.Source(c, n) for c, n in form.sources()],
                ante_result=data["ante_result"],
                ante_signs=data["ante_signs"],
                tags=read_numbers(data["tags"]) if data["tags"].strip() else RangeSet(),
            )
        except BusinessError as error:
            show_error(form, error, items_field="tags")
        else:
            messages.success(request, _("Batch %(number)s opened.") % {"number": batch.number})
            return redirect("slaughter-batch", number=batch.number)
    return render(request, "slaughter/batch_new.html", {"form": form})


def _inspect(request: HttpRequest, user: User, batch: SlaughterBatch, form: PostMortemForm) -> bool:
    if not form.is_valid():
        return False
    try:
        batch_services.batch_close(
            actor=user, batch=batch, post=post_mortem_of(user, form.post_mortem())
        )
    except BusinessError as error:
        show_error(form, error)
        return False
    messages.success(request, _("Post-mortem recorded."))
    return True


def _issued(
    request: HttpRequest, form: ConsignmentForm, issue: Callable[[Consignment], ProductCertificate]
) -> bool:
    """A product certificate issued from the form (from a batch, or split from another)."""
    if not form.is_valid():
        return False
    try:
        issued = issue(consignment_of(form.cleaned_data))
    except BusinessError as error:
        show_error(form, error)
        return False
    messages.success(
        request, _("Product certificate %(number)s issued.") % {"number": issued.number}
    )
    return True


@login_required
def batch_detail(request: HttpRequest, number: str) -> HttpResponse:
    user = request_user(request)
    batch = selectors.batch_get(user=user, number=number)
    step = request.POST.get("action") if request.method == "POST" else None
    inspect = PostMortemForm(
        request.POST if step == "inspect" else None,
        plants=disposal_plants(county_code=batch.county_code),
    )
    certify = ConsignmentForm(request.POST if step == "certify" else None)
    if (step == "inspect" and _inspect(request, user, batch, inspect)) or (
        step == "certify"
        and _issued(
            request,
            certify,
            lambda c: products.product_certificate_issue(actor=user, batch=batch, consignment=c),
        )
    ):
        return redirect("slaughter-batch", number=number)
    context = {
        "batch": batch,
        "chain": selectors.batch_chain(batch),
        "produced": selectors.produced(batch),
        "findings": [(ORGANS.get(organ, organ), text) for organ, text in batch.findings.items()],
        "inspect": inspect if batch.status == SlaughterBatch.Status.OPEN else None,
        "certify": certify if batch.status == SlaughterBatch.Status.PASSED else None,
    }
    return render(request, "slaughter/batch.html", context)


def _act(request: HttpRequest, user: User, certificate: ProductCertificate) -> HttpResponse:
    """Revoke, or report a finding: a button that acts at once."""
    done = f"/slaughter/products/{certificate.number}/"
    if request.POST.get("action") == "revoke":
        reason = request.POST.get("reason", "")[:200]
        return act(
            request,
            lambda: products.product_certificate_revoke(
                actor=user, certificate=certificate, reason=reason
            ),
            done=done,
            message=_("Revoked."),
        )
    finding = request.POST.get("finding", "")[:300]
    return act(
        request,
        lambda: findings.product_finding_report(
            actor=user, certificate=certificate, finding=finding
        ),
        done=done,
        message=_("The counties the animals came from are alerted."),
    )


@login_required
def product_detail(request: HttpRequest, number: str) -> HttpResponse:
    user = request_user(request)
    certificate = selectors.product_certificate_get(user=user, number=number)
    step = request.POST.get("action") if request.method == "POST" else None
    if step in ("revoke", "report"):
        return _act(request, user, certificate)
    split = ConsignmentForm(
        request.POST if step == "split" else None, initial={"product": certificate.product}
    )
    if step == "split" and _issued(
        request,
        split,
        lambda c: products.product_certificate_split(actor=user, parent=certificate, consignment=c),
    ):
        return redirect("slaughter-product", number=number)
    context = {
        "certificate": certificate,
        "chain": selectors.batch_chain(certificate.batch),
        "split": split,
        "finding": FindingForm(),
    }
    return render(request, "slaughter/product.html", context)


def _allowed(request: HttpRequest) -> bool:
    """At most ``EARMARK_PUBLIC_CHECKS_PER_MINUTE`` checks a minute from one address."""
    address = request.META.get("REMOTE_ADDR", "")
    key = f"public-check:{address}:{timezone.now():%Y%m%d%H%M}"
    cache.add(key, 0, 120)
    return cache.incr(key) <= settings.EARMARK_PUBLIC_CHECKS_PER_MINUTE


def product_public(request: HttpRequest, number: str) -> HttpResponse:
    """Public, no sign-in: the consumer's origin check of a product certificate."""
    if not _allowed(request):
        return render(
            request, "slaughter/public.html", {"number": number, "busy": True}, status=429
        )
    result = selectors.product_public_check(
        number=number, payload=request.GET.get("p", ""), today=timezone.localdate()
    )
    chain = selectors.public_chain(result.certificate) if result.certificate else None
    context = {"number": number, "result": result, "chain": chain}
    return render(request, "slaughter/public.html", context, status=200 if chain else 404)
