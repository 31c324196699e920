"""Paths of the API's first release that were renamed to its one grammar (docs/api.md,
"Names"). Each keeps answering for one release, as its successor answers, with the headers
``Deprecation`` (RFC 9745: since when) and ``Link: <new>; rel="successor-version"``; the
changelog lists them. They are not in the OpenAPI document."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.utils.encoding import iri_to_uri

# 2026-12-07 00:00 UTC, the day the new names were published.
DEPRECATED_SINCE = "@1796601600"


@dataclass(frozen=True)
class Renamed:
    method: str
    old: str
    new: str
    new_method: str = ""


RENAMED = [
    Renamed("DELETE", "tokens/{token_id}", "tokens/{token_id}/revoke", "POST"),
    Renamed("GET", "premises/template.xlsx", "premises/template/xlsx"),
    Renamed("GET", "premises/export.xlsx", "premises/xlsx"),
    Renamed("POST", "premises/baseinfo-syncs", "baseinfo-syncs"),
    Renamed("GET", "premises/baseinfo-syncs/{sync_id}", "baseinfo-syncs/{sync_id}"),
    Renamed("POST", "premises/baseinfo-syncs/{sync_id}/apply", "baseinfo-syncs/{sync_id}/apply"),
    Renamed("GET", "premises/{code}/qr.png", "premises/{code}/qr/png"),
    Renamed("GET", "premises/{code}/qr.svg", "premises/{code}/qr/svg"),
    Renamed("GET", "premises/{code}/card.pdf", "premises/{code}/card/pdf"),
    Renamed("DELETE", "farm/tokens/current", "farm/tokens/current/revoke", "POST"),
    Renamed("POST", "tags/{number}/replacement", "tags/{number}/replace"),
    Renamed("GET", "tags/inventory-template.xlsx", "tag-registrations/template/xlsx"),
    Renamed("GET", "tags/registrations", "tag-registrations"),
    Renamed("POST", "tags/registrations", "tag-registrations"),
    Renamed("POST", "tags/registrations/import", "tag-registrations/import"),
    Renamed("GET", "tags/deliveries", "tag-deliveries"),
    Renamed("POST", "tags/deliveries", "tag-deliveries"),
    Renamed("GET", "tags/issues", "tag-issues"),
    Renamed("POST", "tags/issues", "tag-issues"),
    Renamed("POST", "tags/issues/preview", "tag-issues/preview"),
    Renamed("GET", "tags/issues/{number}.pdf", "tag-issues/{number}/pdf"),
    Renamed("GET", "tags/issues/{number}", "tag-issues/{number}"),
    Renamed("POST", "tags/returns", "tag-returns"),
    Renamed("POST", "tags/voids", "tag-voids"),
    Renamed("GET", "tags/holdings", "tag-holdings"),
    Renamed("GET", "pliers/{serial}", "pliers/{serial}/moves"),
    Renamed("POST", "production-plans", "production-plans", "PUT"),
    Renamed("POST", "vaccines/{vaccine_id}/withdraw", "vaccines/{vaccine_id}/revoke"),
    Renamed("POST", "compulsory-diseases", "compulsory-diseases", "PUT"),
    Renamed("POST", "immunizations/protection", "immunizations/check"),
    Renamed("POST", "immunizations/legacy-import", "legacy-immunizations/import"),
    Renamed("POST", "declarations/{number}/inspection", "declarations/{number}/inspect"),
    Renamed("GET", "keys/certificate-signing", "signing-keys/current"),
    Renamed("GET", "keys/provinces", "province-keys"),
    Renamed("GET", "checkpoint-snapshot", "checkpoint-checks/snapshot"),
    Renamed("POST", "arrivals/foreign", "foreign-arrivals"),
    Renamed(
        "POST", "deaths/{death_id}/disposal-confirmation", "deaths/{death_id}/confirm-disposal"
    ),
    Renamed("GET", "certificates-overdue", "overdue-certificates"),
    Renamed("GET", "trace/tags/{number}", "tags/{number}/trace"),
    Renamed("GET", "trace/premises/{code}", "premises/{code}/trace"),
    Renamed("GET", "trace/vehicles/{plate}", "vehicles/{plate}/trace"),
    Renamed("GET", "rollout/counties", "counties"),
    Renamed("POST", "rollout/counties/{code}/request", "counties/{code}/request"),
    Renamed("POST", "rollout/counties/{code}/enable", "counties/{code}/enable"),
    Renamed("POST", "rollout/counties/{code}/accept", "counties/{code}/accept"),
    Renamed("GET", "rollout/milestones", "milestones"),
    Renamed("PUT", "rollout/milestones", "milestones"),
    Renamed("GET", "rollout/dashboard", "rollout"),
    Renamed("PUT", "terminals/quotas", "terminal-quotas"),
    Renamed("PUT", "leading-groups/mine", "leading-groups"),
    Renamed("GET", "exchange/status", "exchange"),
    Renamed("POST", "exchange/dead-letters/{event_id}/requeue", "dead-letters/{event_id}/requeue"),
    Renamed("GET", "exchange/epcis", "tag-events/epcis"),
]


def _pattern(path: str) -> re.Pattern[str]:
    parts = re.split(r"(\{\w+\})", path)
    return re.compile(
        "^/api/v1/"
        + "".join(
            f"(?P<{part[1:-1]}>[^/]+?)" if part.startswith("{") else re.escape(part)
            for part in parts
        )
        + "$"
    )


_PATTERNS = [(entry, _pattern(entry.old)) for entry in RENAMED]


def successor(method: str, path: str) -> tuple[str, str] | None:
    """The method and path that answer an old ``method`` and ``path`` now, if it was renamed."""
    if not path.startswith("/api/v1/"):
        return None
    for entry, pattern in _PATTERNS:
        found = pattern.match(path) if entry.method == method else None
        if found:
            return entry.new_method or method, "/api/v1/" + entry.new.format(**found.groupdict())
    return None


class DeprecatedPathMiddleware:
    """Answers an old path as its successor answers, saying where the successor is. It runs
    before the one-time keys, so that a retry under the old path is the same request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        renamed = successor(request.method or "", request.path_info)
        if renamed is None:
            return self.get_response(request)
        import os

        if os.environ.get("EARMARK_NO_DEPRECATED"):
            return HttpResponse(f"DEPRECATED {request.method} {request.path_info}", status=418)
        request.method, request.path_info = renamed
        request.path = request.path_info
        response = self.get_response(request)
        response["Deprecation"] = DEPRECATED_SINCE
        response["Link"] = f'<{iri_to_uri(request.path_info)}>; rel="successor-version"'
        return response
