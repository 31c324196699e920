"""The bulletins page: drafts, reviews and issues (the province's or a city's own)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import request_user
from earmark.core.errors import BusinessError
from earmark.core.forms import show_error
from earmark.core.http import attachment
from earmark.rollout.forms import BulletinForm
from earmark.rollout.models import Bulletin
from earmark.rollout.selectors.bulletins import bulletin_get, bulletin_list, bulletins_issued
from earmark.rollout.services import bulletins as services


def _form(request: HttpRequest, issued: list[tuple[int, str]]) -> BulletinForm:
    return BulletinForm(
        request.POST or None,
        issued=issued,
        initial={
            "period": f"{timezone.localdate():%Y-%m}",
            "corrects": request.GET.get("corrects"),
        },
    )


@login_required
def bulletins(request: HttpRequest) -> HttpResponse:
    """The region's bulletins, newest first, and a new draft."""
    user = request_user(request)
    found = bulletin_list(user=user)
    form = _form(request, bulletins_issued(user=user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            draft = services.bulletin_draft(
                actor=user,
                period=data["period"],
                recipients=data["recipients"],
                copies_to=data["copies_to"],
                corrects=bulletin_get(user=user, pk=data["corrects"]) if data["corrects"] else None,
            )
        except BusinessError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Draft saved: another official reviews it."))
            return redirect("bulletin", pk=draft.pk)
    page = Paginator(found, 30).get_page(request.GET.get("page"))
    return render(request, "rollout/bulletins.html", {"page": page, "form": form})


@login_required
def bulletin(request: HttpRequest, pk: int) -> HttpResponse:
    """One bulletin: its preview or document, and the next step (review, issue)."""
    user = request_user(request)
    found = bulletin_get(user=user, pk=pk)
    if request.method == "POST":
        step = request.POST.get("action")
        try:
            if step == "review":
                services.bulletin_review(actor=user, bulletin=found)
                messages.success(request, _("Reviewed: it can be issued."))
            elif step == "issue":
                issued = services.bulletin_issue(actor=user, bulletin=found)
                messages.success(request, _("Issued as %(number)s.") % {"number": issued.number})
        except BusinessError as error:
            messages.error(request, str(error.message))
        return redirect("bulletin", pk=pk)
    may_review = found.status == Bulletin.Status.DRAFT and found.drafted_by_id != user.pk
    return render(
        request,
        "rollout/bulletin.html",
        {"bulletin": found, "may_review": may_review},
    )


@login_required
def bulletin_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    found = bulletin_get(user=user, pk=pk)
    name = f"bulletin-{found.region_id}-{found.period}-{found.sequence or 'draft'}.pdf"
    return attachment(services.bulletin_pdf(user=user, bulletin=found), "application/pdf", name)
