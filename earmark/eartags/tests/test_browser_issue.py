from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from earmark.accounts.fixtures import TEST_PASSWORD
from earmark.accounts.models import User
from earmark.eartags.fixtures import Register, pig
from earmark.eartags.models import Holding, Issue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_township_officer_issues_tags_to_a_farm_on_a_phone(
    live_server: Any,
    phone: Any,
    register: Register,
    station_officer: User,
    make_premises: Any,
    first_issue: Callable[..., Issue],
) -> None:
    register((1, 500, "A1", "01"))
    first_issue(count=200)
    farm = make_premises(name="南岭一号猪场")
    phone.goto(f"{live_server.url}/login/?next=/tags/issue")
    phone.get_by_label("用户名").fill(station_officer.username)
    phone.get_by_label("密码").fill(TEST_PASSWORD)
    phone.get_by_role("button", name="登录").click()
    phone.get_by_label("接收方").select_option(label=f"南岭一号猪场（{farm.code}）")
    phone.get_by_label("号码或号段").fill(f"{pig(1)}-050")
    phone.get_by_role("button", name="保存单据").click()
    expect(phone.get_by_text("已保存")).to_be_visible()
    expect(phone.get_by_role("cell", name=pig(50))).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.shot("tag-issue-document")
    held = Holding.objects.get(premises=farm)
    assert (held.first, held.last) == (int(pig(1)), int(pig(50)))
