"""Every page of every role, in a real browser at phone size: axe-core finds no serious or
critical accessibility fault, and no page is wider than the screen, in Chinese and in English.
The pages are those each role's menu leads to, plus the field forms and the farmer's pages."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from earmark.accounts.fixtures import TEST_PASSWORD, MakeUser
from earmark.accounts.models import Role, User
from earmark.core.browser import sign_in
from earmark.eartags.fixtures import pig
from earmark.farms.models import Premises
from earmark.farms.services.credentials import premises_pin_issue
from earmark.quarantine.models import Certificate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Axe()
SERIOUS = {"serious", "critical"}


def faults(page: Any, axe: bool = True) -> list[str]:
    """The serious and critical axe-core violations of the page, and its overflow."""
    found = []
    for violation in AXE.run(page).response["violations"] if axe else []:
        if violation["impact"] in SERIOUS:
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
            found.append(f"{page.url}: {violation['id']} {targets}")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    if width > page.viewport_size["width"]:
        found.append(f"{page.url}: {width} px wide")
    return found


def menu_pages(phone: Any) -> list[str]:
    return phone.eval_on_selector_all(
        ".menu nav a", "links => links.map(a => a.getAttribute('href'))"
    )


def walk(phone: Any, base: str, pages: list[str], shot: str, axe: bool = True) -> list[str]:
    found: list[str] = []
    for index, path in enumerate(dict.fromkeys(pages)):
        phone.goto(f"{base}{path}", wait_until="domcontentloaded")
        found += faults(phone, axe)
        if index == 0:
            phone.shot(shot)
    return found


@pytest.fixture
def staff(
    make_user: MakeUser,
    stocked_vaccinator: User,
    station_officer: User,
    vet: User,
    county_officer: User,
    province_admin: User,
) -> dict[str, User]:
    return {
        "vaccinator": stocked_vaccinator,
        "station": station_officer,
        "vet": vet,
        "county": county_officer,
        "province": province_admin,
        "checkpoint": make_user("220113", (Role.CHECKPOINT_OFFICER,), username="checkpoint"),
        "destination": make_user("220102001", (Role.DESTINATION_STAFF,), username="receiver"),
    }


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_role_s_pages_have_no_serious_accessibility_fault_and_fit_a_phone(
    live_server: Any,
    phone: Any,
    staff: dict[str, User],
    certified: Certificate,
    ready_farm: Premises,
    county_officer: User,
    language: str,
) -> None:
    base = live_server.url
    phone.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    extra = {
        "vaccinator": ["/immunize/", f"/premises/{ready_farm.code}/deaths"],
        "station": [f"/premises/{ready_farm.code}/declare", "/tags/issue", "/tags/check"],
        "vet": [
            f"/quarantine/certificates/{certified.number}/",
            "/slaughter/",
            "/slaughter/new",
            "/quarantine/?status=inspected",
        ],
        "county": [
            f"/premises/{ready_farm.code}/",
            f"/premises/{ready_farm.code}/ledger",
            f"/trace/tags/{pig(1)}/",
            f"/trace/premises/{ready_farm.code}/",
            "/tags/register",
            "/premises/new",
        ],
        "province": ["/rollout/statistics/", "/rollout/bulletins/"],
        "checkpoint": ["/checkpoint/"],
        "destination": ["/receive/arrival"],
    }
    found: list[str] = []
    for role, user in staff.items():
        context = phone.context
        context.clear_cookies()
        context.add_cookies([{"name": "django_language", "value": language, "url": base}])
        sign_in(phone, base, user.username, TEST_PASSWORD)
        # (The API's documentation is Swagger UI, a developer's desktop tool: left out.)
        pages = [p for p in menu_pages(phone) if p != "/api/docs"]
        pages = ["/", *pages, *extra[role], "/outbox/", "/offline/"]
        # The page's structure is the same in both languages: axe-core runs on the Chinese
        # pages; the English ones, whose words are longer, are checked for their width.
        found += walk(phone, base, pages, f"home-{role}-{language}", axe=language != "en")
    # The farmer, after the PIN on the farm's card.
    phone.context.clear_cookies()
    phone.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    pin = premises_pin_issue(actor=county_officer, premises=ready_farm)
    phone.goto(f"{base}/f/{ready_farm.qr_token}/")
    found += faults(phone)
    phone.locator("input[name=pin]").fill(pin)
    phone.locator("form button[type=submit]").first.click()
    found += walk(
        phone,
        base,
        [f"/f/{ready_farm.qr_token}/", f"/f/{ready_farm.qr_token}/declare"],
        f"home-farmer-{language}",
        axe=language != "en",
    )
    assert found == [], "\n".join(found)
