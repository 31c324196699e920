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
from earmark.eartags.selectors.inventory import tag_event_number
from earmark.exchange.selectors import dead_letters, exchange_status
from earmark.exchange.services.outbox import dead_letter_requeue


@login_required
def status_page(request: HttpRequest) -> HttpResponse:
    require_role(request_user(request), Role.PROVINCE_ADMIN)
    return render(
        request,
        "exchange/status.html",
        {"status": exchange_status(), "dead_letters": dead_letters()},
    )


@login_required
@require_POST
def requeue(request: HttpRequest, event_id: int) -> HttpResponse:
    event = dead_letter_requeue(actor=request_user(request), event_id=event_id)
    messages.success(request, _("%(type)s queued again.") % {"type": event.event_type})
    return redirect("exchange-status")


# What each kind of identifier leads to: the page of the thing it names, behind the page's own
# access rules (the page's URL name and the name of its parameter).
RESOLVED: dict[str, tuple[str, str | None]] = {
    "eartag": ("trace-tag", "number"),
    "premises": ("premises-detail", "code"),
    "certificate": ("certificate-detail", "number"),
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
