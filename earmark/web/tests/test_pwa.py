"""The installable app's manifest, service worker and offline page, read as a browser would."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.test import Client
from PIL import Image

from earmark.accounts.models import User

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:  # type: ignore[no-untyped-def]
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def test_the_manifest_names_the_app_and_its_icons_are_the_sizes_it_says(client: Client) -> None:
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "动监e通·耳标追溯"
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["theme_color"].startswith("#")
    purposes = set()
    for icon in manifest["icons"]:
        image = Image.open(io.BytesIO(_body(client.get(icon["src"]))))
        assert image.format == "PNG"
        assert f"{image.width}x{image.height}" == icon["sizes"]
        purposes.add(icon.get("purpose", "any"))
    assert {"any", "maskable"} <= purposes
    assert any(icon["sizes"] == "512x512" for icon in manifest["icons"])


def test_the_service_worker_precaches_only_files_that_exist(client: Client) -> None:
    response = client.get("/sw.js")
    assert response["Content-Type"].startswith("application/javascript")
    assert "no-cache" in response["Cache-Control"]
    script = response.content.decode()
    # Workbox comes from this server, never from a CDN.
    [imported] = re.findall(r'importScripts\("([^"]+)"\)', script)
    assert json.loads(f'"{imported}"') == "/static/vendor/workbox/workbox-sw.js"
    assert "https://" not in script and "http://" not in script
    assert client.get("/static/vendor/workbox/workbox-sw.js").status_code == 200
    for module in ("core", "routing", "strategies", "precaching", "expiration"):
        assert client.get(f"/static/vendor/workbox/workbox-{module}.prod.js").status_code == 200
    [entries] = re.findall(r"precacheAndRoute\((\[.*?\])\)", script)
    urls = [entry["url"] for entry in json.loads(entries)]
    assert "/offline/" in urls and "/static/earmark/offline.js" in urls
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_the_offline_page_holds_nothing_of_the_user_who_fetched_it(
    client: Client, vaccinator: User
) -> None:
    client.force_login(vaccinator)
    page = client.get("/offline/").content.decode()
    assert "没有网络连接" in page
    assert vaccinator.username not in page and str(vaccinator) not in page
    assert str(vaccinator.agency) not in page
    assert 'data-device-user="guest"' in page


def test_a_field_user_s_home_asks_for_the_pages_of_his_work_to_be_kept(
    client: Client, vaccinator: User
) -> None:
    client.force_login(vaccinator)
    [kept] = re.findall(r'data-keep-pages="([^"]*)"', client.get("/").content.decode())
    assert "/immunize/" in kept.split() and "/outbox/" in kept.split()
    # Other pages do not ask again.
    assert "data-keep-pages" not in client.get("/outbox/").content.decode()
