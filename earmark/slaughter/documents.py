"""The printed animal-product certificate, laid out as the national forms 动物检疫合格证明（产品A）
and（产品B）with the same parts as the animal certificates (the form's copies, stamp, signed QR
code and 注), in Chinese whatever the reader's language."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from reportlab.lib.units import mm
from reportlab.platypus import KeepInFrame, PageBreak, Spacer, Table, TableStyle

from earmark.core.fonts import SANS
from earmark.core.pdf import a4_pdf, official, para, qr_image
from earmark.core.species import species_label
from earmark.quarantine.documents import (
    COPIES,
    WIDTH,
    form_grid,
    form_styles,
    revoked_mark,
    stamp_box,
)
from earmark.slaughter.models import Product, ProductCertificate
from earmark.slaughter.services.products import product_qr_url

PRODUCTS: dict[str, str] = {
    Product.Kind.CARCASS.value: "白条",
    Product.Kind.CUTS.value: "分割肉",
    Product.Kind.OFFAL.value: "副产品",
}
NOTES = {
    "A": ["本证书一式两联，第一联由动物卫生监督所留存，第二联随货同行。"],
    "B": ["本证书一式两联，第一联由动物卫生监督所留存，第二联随货同行。", "本证书限省境内使用。"],
}


def _remark(certificate: ProductCertificate) -> str:
    parts = []
    if certificate.parent:
        parts.append(f"由 {certificate.parent.number} 分销换证")
    if certificate.supersedes:
        parts.append(f"替换已撤销的证明 {certificate.supersedes.number}")
    return "；".join(parts)


def _fields(certificate: ProductCertificate, style: dict[str, Any]) -> Table:
    def label(text: str) -> Any:
        return para(text, style["label"])

    def value(text: object) -> Any:
        return para(text, style["cell"])

    issued = timezone.localtime(certificate.issued_at)
    days = (certificate.valid_until - certificate.valid_from).days + 1
    within = "当日" if days == 1 else f" {days} 日"
    product = f"{species_label(certificate.species)}{PRODUCTS.get(certificate.product, '')}"
    rows: list[list[Any]] = [
        [
            label("货主"),
            value(certificate.owner_name),
            label("联系电话"),
            value(certificate.owner_phone),
        ],
        [
            label("产品名称"),
            value(product),
            label("数量及单位"),
            value(f"{certificate.quantity} 件，{certificate.weight_kg} 千克"),
        ],
        [label("生产单位名称地址"), value(certificate.producer), "", ""],
        [label("目的地"), value(certificate.destination), "", ""],
        [label("运载工具牌号"), value(certificate.vehicle_plate or "＿＿＿＿"), "", ""],
        [
            value(
                f"本批动物产品经检疫合格，应于{within}内到达有效（{certificate.valid_from} 至 "
                f"{certificate.valid_until}）。"
            ),
            "",
            "",
            "",
        ],
        [label("屠宰批次"), value(certificate.batch.number), "", ""],
        [
            label("备注"),
            value(_remark(certificate)),
            "",
            "",
        ],
        [
            label("官方兽医签字"),
            value(str(certificate.issued_by)),
            label("签发日期"),
            value(f"{issued.year}年{issued.month}月{issued.day}日"),
        ],
    ]
    return form_grid(rows, sentence=5)


def _form(certificate: ProductCertificate, copy: str) -> list[Any]:
    style = form_styles()
    agency = certificate.issued_by.agency.name if certificate.issued_by.agency else ""
    footer = Table(
        [
            [
                qr_image(product_qr_url(certificate), 34 * mm),
                stamp_box(
                    [agency or "动物卫生监督所", "（动物检疫专用章）"], style["small"], 34 * mm
                ),
            ]
        ],
        colWidths=[58 * mm, 57 * mm],
    )
    footer.setStyle(
        TableStyle([("FONT", (0, 0), (-1, -1), SANS), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    content: list[Any] = [
        para(f"动物检疫合格证明（产品{certificate.kind}）", style["title"]),
        para(f"编号：{certificate.number}　　{COPIES[copy]}", style["number"]),
        Spacer(1, 2 * mm),
    ]
    if certificate.status == ProductCertificate.Status.REVOKED:
        content.append(para(f"本证明已撤销：{certificate.revoked_reason}", style["revoked"]))
    content += [
        _fields(certificate, style),
        Spacer(1, 3 * mm),
        footer,
        para("扫码查验：检疫结果、屠宰场和动物来源。", style["small"]),
        Spacer(1, 2 * mm),
        para("注：", style["note"]),
        *[para(f"{n}. {line}", style["note"]) for n, line in enumerate(NOTES[certificate.kind], 1)],
    ]
    return [KeepInFrame(WIDTH, 264 * mm, content, mode="shrink")]


@official
def product_certificate_pdf(
    certificate: ProductCertificate, copies: tuple[str, ...] = ("carried",)
) -> bytes:
    story: list[Any] = []
    for copy in copies:
        if story:
            story.append(PageBreak())
        story += _form(certificate, copy)
    revoked = certificate.status == ProductCertificate.Status.REVOKED
    return a4_pdf(
        story,
        title=f"动物检疫合格证明（产品{certificate.kind}） {certificate.number}",
        on_page=revoked_mark(certificate) if revoked else None,
    )
