"""Long names wrap, never run off the page or get cut: the certificate, its annex, the farm
card and the tag issue document, with the longest names the fields allow (100 characters of
Chinese, of Latin, one unbroken Latin word), and in Chinese for a reader of English."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from earmark.accounts.models import Agency, User
from earmark.core.pdfproof import assert_inside, assert_travels, render_png
from earmark.core.testing import client_for
from earmark.eartags.fixtures import Register
from earmark.eartags.models import Issue
from earmark.farms.models import Premises
from earmark.quarantine.fixtures import Certify

CHINESE = "吉林省长春市南关区南岭街道第一村民委员会兴旺生猪标准化规模养殖专业合作社" * 3
LATIN = "Northeast Changchun Nanguan Standardised Pig Breeding Cooperative Number Seven Ltd Co"
UNBROKEN = "X" * 100
NAMES = [CHINESE[:100], (LATIN + " " + LATIN)[:100], UNBROKEN]


def _flat(pages: list[str]) -> str:
    return "".join("".join(pages).split())


def _named(premises: Premises, name: str) -> Premises:
    premises.name = name
    premises.owner_name = name[:50]
    premises.address = (name * 3)[:200]
    premises.save(update_fields=["name", "owner_name", "address"])
    return premises


@pytest.mark.parametrize("name", NAMES, ids=["chinese", "latin", "unbroken"])
def test_a_certificate_wraps_the_longest_names(
    certify: Certify, ready_farm: Premises, vet: User, name: str
) -> None:
    _named(ready_farm, name)
    certificate = certify()
    pdf = (
        client_for(vet)
        .get(
            f"/api/v1/certificates/{certificate.number}/pdf?part=carried",
            HTTP_ACCEPT_LANGUAGE="en",
        )
        .content
    )
    [page] = assert_inside(pdf)
    assert_travels(pdf)
    flat = _flat([page])
    assert "".join(name.split()) in flat and "动物种类猪" in flat
    assert "官方兽医签字" in flat and "动物检疫专用章" in flat
    render_png(pdf, f"certificate-long-{name[:1]}")


@pytest.mark.parametrize("name", NAMES, ids=["chinese", "latin", "unbroken"])
def test_the_farm_card_wraps_the_longest_name(
    county_officer: User, make_premises: Callable[..., Premises], name: str
) -> None:
    premises = make_premises(name=name)
    pdf = (
        client_for(county_officer)
        .get(f"/api/v1/premises/{premises.code}/card/pdf", HTTP_ACCEPT_LANGUAGE="en")
        .content
    )
    [page] = assert_inside(pdf)
    flat = _flat([page])
    assert "".join(name.split()) in flat and "养殖场户检疫申报二维码" in flat


def test_an_issue_document_wraps_long_names_and_prints_in_chinese(
    county_officer: User,
    register: Register,
    station: Agency,
    first_issue: Callable[..., Issue],
) -> None:
    station.name = CHINESE[:100]
    station.save(update_fields=["name"])
    register((1, 100, "A1", "01"))
    issue = first_issue(count=60)
    pdf = (
        client_for(county_officer)
        .get(f"/api/v1/tag-issues/{issue.number}/pdf", HTTP_ACCEPT_LANGUAGE="en")
        .content
    )
    pages = assert_inside(pdf)
    flat = _flat(pages)
    assert CHINESE[:100] in flat
    # The document is Chinese for a reader of English: no English label in it.
    assert "Ear-tag" not in flat and "Document" not in flat and "Issuedby" not in flat
    render_png(pdf, "issue-document-long")
