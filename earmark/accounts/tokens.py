"""Bearer tokens for mobile terminals and machine clients: one per device, hashed at rest."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import require_region, require_role
from earmark.accounts.errors import ACCOUNT_INACTIVE
from earmark.accounts.models import ApiToken, Role, User
from earmark.audit.services import audit_record
from earmark.core.errors import BusinessError, NotFound, invalid
from earmark.core.tokens import token_hash, token_matches, token_new, token_prefix, token_touch

TOKEN_PREFIX = "em"  # noqa: S105 - the visible start of every token, not a secret


@transaction.atomic
def token_create(*, actor: User | None, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for ``user``'s device; the raw token is returned once and never stored.

    A user creates its own tokens; a province administrator or county officer may create them
    for staff within its jurisdiction (terminals handed out by the agency).
    """
    name = name.strip()
    if not name:
        message = _("Name the device the token is for.")
        raise invalid(message, {"name": message})
    if actor is not None and actor.pk != user.pk:
        require_role(actor, Role.PROVINCE_ADMIN, Role.COUNTY_OFFICER)
        if user.region_code is None:
            raise NotFound()
        require_region(actor, user.region_code)
    if not user.is_active:
        raise BusinessError(code=ACCOUNT_INACTIVE)
    prefix, raw = token_new(TOKEN_PREFIX)
    token = ApiToken.objects.create(
        user=user, name=name[:100], prefix=prefix, key_hash=token_hash(raw)
    )
    audit_record(
        actor=actor,
        action="token.create",
        obj=token,
        region_code=user.region_code or "",
        details={"user": user.username, "name": token.name, "prefix": prefix},
    )
    return token, raw


@transaction.atomic
def token_revoke(*, actor: User | None, token: ApiToken) -> ApiToken:
    if actor is not None and actor.pk != token.user_id:
        require_role(actor, Role.PROVINCE_ADMIN, Role.COUNTY_OFFICER)
        require_region(actor, token.user.region_code or "")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="token.revoke",
            obj=token,
            region_code=token.user.region_code or "",
            details={"prefix": token.prefix},
        )
    return token


def token_authenticate(raw: str) -> User | None:
    """The active user a raw bearer token belongs to, or None."""
    prefix = token_prefix(raw, TOKEN_PREFIX)
    if prefix is None:
        return None
    token = (
        ApiToken.objects.select_related("user__agency")
        .filter(prefix=prefix, revoked_at__isnull=True)
        .first()
    )
    if token is None or not token_matches(raw, token.key_hash):
        return None
    if not token.user.is_active:
        return None
    token_touch(token)
    return token.user
