from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from earmark.accounts.fixtures import TEST_PASSWORD
from earmark.accounts.models import User
from earmark.eartags.fixtures import pig
from earmark.eartags.models import Tag
from earmark.quarantine.models import Declaration
from earmark.quarantine.services.certificates import certificate_issue
from earmark.quarantine.services.declarations import declaration_decide, declaration_inspect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_slaughterhouse_vet_recovers_the_tags_on_a_phone(
    live_server: Any,
    phone: Any,
    declared: Callable[..., Declaration],
    station_officer: User,
    vet: User,
    make_premises: Any,
) -> None:
    declaration = declared()
    declaration_decide(actor=station_officer, declaration=declaration, accept=True)
    declaration_inspect(actor=vet, declaration=declaration, passed=True)
    certificate = certificate_issue(actor=vet, declaration=declaration)
    slaughterhouse = make_premises(name="南岭定点屠宰场", kind="slaughterhouse", stock={})
    phone.goto(f"{live_server.url}/login/?next=/receive/slaughter")
    phone.get_by_label("用户名").fill(vet.username)
    phone.get_by_label("密码").fill(TEST_PASSWORD)
    phone.get_by_role("button", name="登录").click()
    phone.get_by_label("检疫证明编号").fill(certificate.number)
    phone.get_by_label("接收场所").select_option(value=slaughterhouse.code)
    phone.get_by_label("扫描的耳标").fill(f"{pig(1)}-{pig(9)}")
    phone.get_by_role("radio", name="合格", exact=True).check()
    phone.get_by_role("button", name="核验").click()
    expect(phone.get_by_text(f"缺少：{pig(10)}")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.shot("slaughter-preview")
    phone.get_by_role("button", name="确认").click()
    expect(phone.get_by_text("耳标已回收并注销")).to_be_visible()
    assert Tag.objects.filter(state="recovered").count() == 9
