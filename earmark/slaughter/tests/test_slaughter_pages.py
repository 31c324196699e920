"""The slaughterhouse vet's day on the pages: the ante-mortem form, the post-mortem form, a
product certificate; refusals stay on the form with their reasons in Chinese; the public page
answers too many checks with 429."""

from __future__ import annotations

from typing import Any

import time_machine
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from earmark.accounts.models import User
from earmark.core.testing import assert_guarded, client_for
from earmark.eartags.fixtures import pig
from earmark.farms.models import Premises
from earmark.quarantine.models import Certificate
from earmark.slaughter.models import ProductCertificate, SlaughterBatch


def test_the_vet_works_a_batch_on_the_pages(
    certified: Certificate, make_premises: Any, vet: User, outsider: User
) -> None:
    slaughterhouse: Premises = make_premises(name="南关定点屠宰场", kind="slaughterhouse", stock={})
    plant = make_premises(name="南关无害化处理厂", kind="disposal", stock={})
    client = client_for(vet)
    client.post(
        "/api/v1/slaughter-inspections",
        {
            "certificate": certified.number,
            "premises": slaughterhouse.code,
            "tags": f"{pig(1)}-{pig(10)}",
            "passed": True,
        },
        content_type="application/json",
    )
    listing = client.get("/slaughter/").content.decode()
    assert certified.number in listing and "待宰 10 头" in listing
    form = {
        "slaughterhouse": slaughterhouse.code,
        "certificate_1": certified.number,
        "count_1": "11",
        "ante_result": "passed",
    }
    refused = client.post("/slaughter/new", form).content.decode()
    assert f"检疫证明 {certified.number} 运入南关定点屠宰场猪 10 头，已屠宰 0" in refused
    assert not SlaughterBatch.objects.exists()
    opened = client.post("/slaughter/new", {**form, "count_1": "10"})
    batch = SlaughterBatch.objects.get()
    assert opened.status_code == 302 and opened["Location"] == f"/slaughter/batches/{batch.number}/"
    page = client.get(opened["Location"]).content.decode()
    assert "同步检疫" in page and 'name="finding_liver"' in page
    inspect = {
        "action": "inspect",
        "emergency": "0",
        "condemned": "1",
        "condemned_kg": "80.0",
        "disposal_plant": plant.code,
        "finding_liver": "肝脏淤血",
        "carcass_quantity": "9",
        "carcass_kg": "810.0",
    }
    without_plant = client.post(opened["Location"], {**inspect, "disposal_plant": ""})
    assert "请选择负责无害化处理的处理场。" in without_plant.content.decode()
    client.post(opened["Location"], inspect)
    batch.refresh_from_db()
    assert batch.status == "passed" and batch.findings == {"liver": "肝脏淤血"}
    page = client.get(opened["Location"]).content.decode()
    # Findings by the organ's name; the certificate's own button, the province preselected.
    assert "<dt>肝脏</dt><dd>肝脏淤血</dd>" in page and ">出具产品检疫证明</button>" in page
    assert '<option value="220000" selected>' in page
    certify = {
        "action": "certify",
        "product": "carcass",
        "quantity": "9",
        "weight_kg": "810.0",
        "owner_name": "南关农贸市场",
        "destination_province": "220000",
        "destination_region": "220102",
        "destination": "南关农贸市场",
    }
    done = client.post(opened["Location"], certify, follow=True).content.decode()
    product = ProductCertificate.objects.get()
    assert f"产品检疫证明 {product.number} 已出具。" in done
    detail = client.get(f"/slaughter/products/{product.number}/").content.decode()
    assert "分销换证" in detail and batch.number in detail
    assert_guarded("get", f"/slaughter/batches/{batch.number}/", outsider=outsider)
    assert_guarded("get", f"/slaughter/products/{product.number}/", outsider=outsider)


@override_settings(EARMARK_PUBLIC_CHECKS_PER_MINUTE=3)
def test_the_public_check_answers_a_few_checks_a_minute(db: None) -> None:
    cache.clear()  # the minute's count of earlier tests
    public = client_for(None)
    # Within one minute (the clock held still, so that no minute turns between the calls).
    with time_machine.travel(timezone.now(), tick=False):
        answers = [public.get("/p/224260000009/").status_code for _ in range(4)]
    assert answers == [404, 404, 404, 429]
