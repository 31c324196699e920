from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from earmark.accounts.access import request_user, require_role
from earmark.accounts.models import Role
from earmark.exchange.worker import dead_letter_requeue, dead_letters, exchange_status


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
