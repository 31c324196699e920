from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def error_page(request: HttpRequest, *, status: int, message: str) -> HttpResponse:
    return render(request, "core/error.html", {"message": message, "status": status}, status=status)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, status=403, message=_("You do not have permission to do this."))


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, status=404, message=_("Not found."))


def server_error(request: HttpRequest) -> HttpResponse:
    return error_page(
        request, status=500, message=_("Something went wrong on the server; please try again.")
    )
