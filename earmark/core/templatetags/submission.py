"""``{% submission_key %}``: the one-time key of a form that writes (see ``core.idempotency``)."""

from __future__ import annotations

import secrets

from django import template
from django.utils.html import format_html

from earmark.core.idempotency import FORM_FIELD

register = template.Library()


@register.simple_tag
def submission_key() -> str:
    return format_html(
        '<input type="hidden" name="{}" value="{}">', FORM_FIELD, secrets.token_urlsafe(18)
    )
