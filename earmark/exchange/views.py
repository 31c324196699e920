from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from earmark.accounts.access import request_user, require_role
from earmark.accounts.models import Role
from earmark.core.forms import act
from earmark.eartags.selectors.inventory import tag_event_number
from earmark.exchange.models import HeldEvent
from earmark.exchange.selectors import dead_letters, exchange_status, held_events
from earmark.exchange.services.inbound import held_drop, held_retry
from earmark.exchange.services.outbox import dead_letter_requeue
from earmark.quarantine.registry import province_keys
from earmark.quarantine.services.province_keys import province_key_distrust, province_key_pin
from earmark.regions.provinces import PROVINCES


@login_required
def status_page(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require_role(user, Role.PROVINCE_ADMIN)
    keys = province_keys(user=user)
    return render(
        request,
        "exchange/status.html",
        {
            "status": exchange_status(),
            "dead_letters": dead_letters(),
            "own_keys": [k for k in keys if k.own],
            # Each with the name of the province it claims.
            "keys": [(PROVINCES.get(k.province, k.province), k) for k in keys if not k.own],
            "held": [
                (PROVINCES.get(h.province, h.province), h)
                for h in held_events(user=user, status=HeldEvent.Status.WAITING)[:100]
            ],
        },
    )


@login_required
@require_POST
def key_pin(request: HttpRequest, kid: str) -> HttpResponse:
    fingerprint = request.POST.get("fingerprint", "")[:200]
    return act(
        request,
        lambda: province_key_pin(actor=request_user(request), kid=kid, fingerprint=fingerprint),
        done=reverse("exchange-status") + "#keys",
        message=_("The key is trusted: certificates it signs are believed."),
    )


@login_required
@require_POST
def key_distrust(request: HttpRequest, kid: str) -> HttpResponse:
    reason = request.POST.get("reason", "")[:200]
    return act(
        request,
        lambda: province_key_distrust(actor=request_user(request), kid=kid, reason=reason),
        done=reverse("exchange-status") + "#keys",
        message=_("The key is quarantined: what it signs is no longer believed."),
    )


@login_required
@require_POST
def held_retry_page(request: HttpRequest, held_id: int) -> HttpResponse:
    retried: list[HeldEvent] = []
    response = act(
        request,
        lambda: retried.append(held_retry(actor=request_user(request), held_id=held_id)),
        done=reverse("exchange-status") + "#held",
        message=_("Tried again."),
    )
    if retried and retried[0].status == HeldEvent.Status.WAITING:
        messages.warning(
            request,
            _("Still set aside: %(reason)s") % {"reason": retried[0].get_reason_display()},
        )
    return response


@login_required
@require_POST
def held_drop_page(request: HttpRequest, held_id: int) -> HttpResponse:
    return act(
        request,
        lambda: held_drop(actor=request_user(request), held_id=held_id),
        done=reverse("exchange-status") + "#held",
        message=_("Dropped: it stays on record and is not raised again."),
    )


@login_required
@require_POST
def requeue(request: HttpRequest, event_id: int) -> HttpResponse:
    event = dead_letter_requeue(actor=request_user(request), event_id=event_id)
    messages.success(request, _("%(type)s queued again.") % {"type": event.event_type})
    return redirect("exchange-status")


# What each kind of identifier leads to: the page of the thing it names, behind the page's own
# access rules (the page's URL name and the name of its parameter). A certificate's identifier
# is public: it leads to the verification page (``identifier_certificate``).
RESOLVED: dict[str, tuple[str, str | None]] = {
    "eartag": ("trace-tag", "number"),
    "premises": ("premises-detail", "code"),
    "issue": ("tags-document", "number"),
    "destruction": ("tags-destruction", None),
    "region": ("region-detail", "code"),
    "agency": ("region-detail", "code"),
}
# The terms of our own vocabulary the export uses (business transaction types).
VOCABULARY = {
    "certificate-document": gettext_lazy(
        "An animal quarantine certificate (动物检疫合格证明) under which animals move."
    ),
    "issue-document": gettext_lazy(
        "An ear-tag issue document (发放单): unused tags handed from one holder to another."
    ),
    "destruction-document": gettext_lazy(
        "The county's record of recovered tags destroyed in one batch (销毁记录)."
    ),
}


@login_required
def identifier_resolve(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    name, parameter = RESOLVED[kind]
    return HttpResponseRedirect(reverse(name, kwargs={parameter: key} if parameter else {}))


def identifier_certificate(request: HttpRequest, key: str) -> HttpResponse:
    """Anyone: the certificate's public verification page (valid or not, species, issuing
    agency, dates; no owner, no tag states)."""
    return HttpResponseRedirect(reverse("certificate-verify", args=[key]))


@login_required
def identifier_event(request: HttpRequest, event_id: int, part: int = 1) -> HttpResponse:
    """An event leads to the trace of its first tag, for a user who may read it."""
    number = tag_event_number(user=request_user(request), event_id=event_id)
    return redirect("trace-tag", number=f"{number:015d}")


def vocabulary(request: HttpRequest, term: str) -> HttpResponse:
    if term not in VOCABULARY:
        raise Http404(term)
    return render(
        request,
        "exchange/vocabulary.html",
        {"term": term, "terms": VOCABULARY.items()},
    )
