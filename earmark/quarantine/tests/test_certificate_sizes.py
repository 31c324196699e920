"""A certificate prints for any number of animals: page 1 is the whole form (编号, signature,
stamp, QR code), the numbers it has no room for go to annex pages 附页 k/N that each carry the
编号 and the QR code; every number is in the text, as a range where the numbers run; no word
runs off a page. Read back with pypdf, poppler and a QR decoder."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from earmark.accounts.models import User
from earmark.core.pdfproof import assert_inside, assert_travels, render_png
from earmark.core.testing import client_for
from earmark.eartags.codes import format_range
from earmark.eartags.fixtures import PIG
from earmark.quarantine import documents
from earmark.quarantine.annex import PER_PAGE
from earmark.quarantine.models import Certificate, CertificateRange

QR = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)


def _scattered(certificate: Certificate, count: int, *, run: int = 1) -> list[tuple[int, int]]:
    """``count`` tags on ``certificate``: runs of ``run`` numbers, one number left out between
    runs (every other number when ``run`` is 1)."""
    ranges = []
    first = PIG + 1
    left = count
    while left:
        size = min(run, left)
        ranges.append((first, first + size - 1))
        first += size + 1
        left -= size
    certificate.ranges.all().delete()
    CertificateRange.objects.bulk_create(
        CertificateRange(certificate=certificate, first=a, last=b) for a, b in ranges
    )
    Certificate.objects.filter(pk=certificate.pk).update(quantity=count)
    certificate.refresh_from_db()
    return ranges


def _codes(page: object) -> list[str]:
    texts = []
    for image in page.images:  # type: ignore[attr-defined]
        picture = Image.open(io.BytesIO(image.data))
        texts += [code.text for code in zxingcpp.read_barcodes(picture, formats=QR)]
    return texts


@pytest.mark.parametrize("count", [1, 20, 220, 1000, 5000])
def test_every_page_carries_the_number_and_the_code_and_every_tag_is_printed(
    certified: Certificate, count: int
) -> None:
    ranges = _scattered(certified, count)
    pdf = documents.certificate_pdf(certified, ("carried",))
    assert_travels(pdf)
    pages = assert_inside(pdf)
    annexes = 0 if len(ranges) <= 6 else -(-len(ranges) // PER_PAGE)
    assert len(pages) == 1 + annexes
    first = pages[0]
    for expected in ("动物检疫合格证明（动物B）", "官方兽医签字", "动物检疫专用章", "注：1."):
        assert expected in first, expected
    if annexes:
        assert f"共{count}枚，{len(ranges)}段，号码见附页（共{annexes}页）" in first
    for number, text in enumerate(pages[1:], 1):
        assert f"附页{number}/{annexes}" in text and "动物检疫专用章" in text
    reader = PdfReader(io.BytesIO(pdf))
    for number, (page, text) in enumerate(zip(reader.pages, pages, strict=True), 1):
        assert f"编号：{certified.number}" in text, number
        assert any(f"/verify/{certified.number}/" in code for code in _codes(page)), number
    printed = "".join(pages)
    assert all(format_range(a, b) in printed for a, b in ranges)
    render_png(pdf, f"certificate-{count}-tags", page=len(pages))


def test_numbers_that_run_print_as_ranges(certified: Certificate) -> None:
    ranges = _scattered(certified, 1000, run=200)
    pdf = documents.certificate_pdf(certified, ("carried",))
    [page] = assert_inside(pdf)
    assert len(ranges) == 5 and all(format_range(a, b) in page for a, b in ranges)
    assert f"{PIG + 1:015d}-{PIG + 200:015d}" in page


def test_both_copies_in_one_pdf_or_one_each(certified: Certificate, vet: User, settings) -> None:
    _scattered(certified, 400)
    client = client_for(vet)
    url = f"/api/v1/certificates/{certified.number}/pdf"
    both = assert_inside(client.get(url).content)
    # 400 scattered tags: the form and 3 annex pages, for each copy.
    assert len(both) == 8
    assert "第一联动物卫生监督所留存（共二联）" in both[0]
    assert "第二联随货同行（共二联）" in both[4] and "附页3/3" in both[7]
    settings.EARMARK_CERTIFICATE_COPIES = "separate"
    carried = assert_inside(client.get(url).content)
    assert len(carried) == 4 and "第二联随货同行" in carried[0]
    stub = assert_inside(client.get(f"{url}?part=stub").content)
    assert (
        len(stub) == 4 and "第一联" in stub[0] and "第二联随货同行（共二联）" not in "".join(stub)
    )
    assert client.get(f"{url}?part=third").status_code == 400
