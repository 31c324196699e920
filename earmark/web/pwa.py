"""The installable app: its manifest, its service worker, the page shown when a page was never
opened before and there is no connection, and the outbox of submissions kept on the device.

The service worker (``/sw.js``, served from the root so that it controls every page) precaches
the shell — styles, scripts, icons, the offline page — and keeps each page opened for the
connection's next drop. Submissions themselves never go through it: the page script keeps an
offline submission in the device's outbox and sends it, with its one-time key, when the
connection returns (``static/earmark/app.js``)."""

from __future__ import annotations

import hashlib
import json
from functools import cache

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

THEME = "#1f6f43"
# The shell: every page needs these, with or without a connection.
SHELL = (
    "earmark/app.css",
    "earmark/app.js",
    "earmark/offline.js",
    "earmark/checkpoint.js",
    "vendor/noble-ed25519/index.js",
    "earmark/scan.js",
    "earmark/favicon.svg",
    "earmark/icon-192.png",
    "earmark/icon-512.png",
    "django_htmx/htmx-2.min.js",
    "vendor/idb/umd.js",
    "vendor/jsqr/jsQR.js",
)


@cache
def _revision(path: str) -> str:
    found = finders.find(path)
    if not found:
        return "missing"
    with open(found, "rb") as file:
        return hashlib.sha256(file.read()).hexdigest()[:16]


def _precache() -> list[dict[str, str]]:
    entries = [{"url": static(path), "revision": _revision(path)} for path in SHELL]
    # The offline page changes with the templates and the language files: the version of the
    # shell as a whole stands for it.
    shell = hashlib.sha256("".join(e["revision"] for e in entries).encode()).hexdigest()[:16]
    entries.append({"url": reverse("offline"), "revision": shell})
    return entries


@cache_control(max_age=3600)
def manifest(request: HttpRequest) -> HttpResponse:
    data = {
        "name": "动监e通·耳标追溯",
        "short_name": "耳标追溯",
        "description": _("Ear-tag traceability and origin quarantine"),
        "lang": "zh-CN",
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME,
        "background_color": "#ffffff",
        "icons": [
            {"src": static("earmark/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("earmark/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("earmark/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/manifest+json"
    )


@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    response = render(
        request,
        "web/sw.js",
        {
            "workbox": static("vendor/workbox/workbox-sw.js"),
            "modules": static("vendor/workbox/").rstrip("/"),
            "precache": json.dumps(_precache()),
            "offline": reverse("offline"),
            "static_prefix": static(""),
        },
        content_type="application/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    return response


def offline(request: HttpRequest) -> HttpResponse:
    """What a page never opened on this device shows with no connection (precached: it holds
    nothing of any user)."""
    return render(request, "web/offline.html", {"bare": True})


def outbox(request: HttpRequest) -> HttpResponse:
    """The submissions kept on this device, listed by the page script from its storage."""
    return render(request, "web/outbox.html")
