"""The farm's own pages: which farms this browser session has opened with their PIN."""

from __future__ import annotations

from django.http import HttpRequest

from earmark.farms.models import Premises

SESSION_KEY = "farm_access"
# A phone shared by a few households keeps the last few farms it opened.
REMEMBERED = 5


def farm_session_opened(request: HttpRequest, premises: Premises) -> bool:
    """Whether this session entered the farm's PIN (the farm's pages are open to it)."""
    return premises.qr_token in request.session.get(SESSION_KEY, [])


def farm_session_open(request: HttpRequest, premises: Premises) -> None:
    """Open the farm's pages to this session, after a right PIN (a new session key)."""
    opened = [t for t in request.session.get(SESSION_KEY, []) if t != premises.qr_token]
    request.session[SESSION_KEY] = [*opened, premises.qr_token][-REMEMBERED:]
    request.session.cycle_key()
