from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from playwright.sync_api import expect

from earmark.accounts.fixtures import TEST_PASSWORD
from earmark.accounts.models import User
from earmark.audit.models import OutboxEvent
from earmark.audit.outbox import outbox_emit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_province_sees_a_dead_letter_and_sends_it_again(
    live_server: Any, phone: Any, province_admin: User
) -> None:
    with transaction.atomic():
        event = outbox_emit("premises.verified", "premises:220102000001", {"code": "220102000001"})
    OutboxEvent.objects.filter(pk=event.pk).update(
        status="dead", attempts=8, last_error="HTTP 401: bad credentials"
    )
    phone.goto(f"{live_server.url}/login/?next=/exchange/")
    phone.get_by_label("用户名").fill(province_admin.username)
    phone.get_by_label("密码").fill(TEST_PASSWORD)
    phone.get_by_role("button", name="登录").click()
    expect(phone.get_by_role("heading", name="数据共享")).to_be_visible()
    expect(phone.get_by_text("HTTP 401: bad credentials")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.shot("exchange-dead-letter")
    phone.get_by_role("button", name="重新发送").click()
    expect(phone.get_by_text("premises.verified 已重新排队。")).to_be_visible()
    expect(phone.get_by_text("没有死信。")).to_be_visible()
    assert OutboxEvent.objects.get(pk=event.pk).status == "pending"
