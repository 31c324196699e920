"""How long a sign-in stays locked after repeated wrong passwords (django-axes).

The lock holds for one account *from one address*: an attacker elsewhere who types wrong
passwords for an account locks only himself out, never its owner. The delay grows with every
lock of the day (15 minutes, then 30, 60, … up to a day), so guessing stays slow however long
the attacker keeps at it.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

DAY = timedelta(hours=24)


def cool_off(request: HttpRequest | None = None) -> timedelta:
    """The lock's length for the account and address of ``request``."""
    base = timedelta(minutes=settings.EARMARK_LOCKOUT_MINUTES)
    if request is None:
        return base
    from axes.models import AccessFailureLog

    field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")
    username = request.POST.get(field, "") if request.POST else ""
    address = getattr(request, "axes_ip_address", None)
    failures = AccessFailureLog.objects.filter(
        username=username, ip_address=address, attempt_time__gte=timezone.now() - DAY
    ).count()
    locks = max(failures // settings.AXES_FAILURE_LIMIT, 1)
    return min(base * 2 ** (locks - 1), DAY)
