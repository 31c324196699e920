"""A bulletin an office can send: its document number (文号) per region and year, the issuing
agency, the date and a seal area; printed again it is the same document; every font travels."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Role, User
from earmark.core.pdfproof import assert_travels, render_png
from earmark.core.testing import client_for, race
from earmark.rollout.models import Bulletin
from earmark.rollout.services.bulletins import bulletin_issue

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _text(user: User, month: str) -> str:
    response = client_for(user).get(f"/api/v1/bulletins/{month}/pdf")
    assert response.status_code == 200, response.content
    return "".join(assert_travels(response.content).text.split())


def test_a_bulletin_carries_its_number_agency_date_and_seal_area(
    province_admin: User, make_user: MakeUser
) -> None:
    with time_machine.travel(datetime(2026, 12, 10, 9, tzinfo=SHANGHAI)):
        november = _text(province_admin, "2026-11")
        assert "吉动监通〔2026〕1号" in november
        assert f"{province_admin.agency.name}2026年12月10日" in november
        assert "（印章）" in november
        assert "截至2026年11月30日" in november
        # Printed again: the same document, the same number.
        assert "吉动监通〔2026〕1号" in _text(province_admin, "2026-11")
        december = _text(province_admin, "2026-12")
        assert "吉动监通〔2026〕2号" in december and "截至2026年12月10日" in december
        response = client_for(province_admin).get("/api/v1/bulletins/2026-12/pdf")
        render_png(response.content, "bulletin")
    with time_machine.travel(datetime(2026, 12, 20, 9, tzinfo=SHANGHAI)):
        # The running month on a later day: figures as of that day, a bulletin of its own.
        later = _text(province_admin, "2026-12")
        assert "吉动监通〔2026〕3号" in later and "截至2026年12月20日" in later
        # A city numbers its own bulletins.
        city = make_user("220100", (Role.CITY_OFFICER,))
        assert "长春动监通〔2026〕1号" in _text(city, "2026-12")
    with time_machine.travel(datetime(2027, 1, 5, 9, tzinfo=SHANGHAI)):
        assert "吉动监通〔2027〕1号" in _text(province_admin, "2026-12")
    assert Bulletin.objects.filter(region_id="220000").count() == 4


@pytest.mark.django_db(transaction=True)
def test_two_requests_for_the_same_bulletin_leave_one_number(province_admin: User) -> None:
    day = date(2026, 11, 30)

    def attempt() -> str:
        return bulletin_issue(actor=province_admin, period="2026-11", as_of=day, today=day).number

    numbers = race([attempt, attempt], hold="earmark.rollout.services.bulletins.sequence_take")
    assert numbers == ["吉动监通〔2026〕1号", "吉动监通〔2026〕1号"]
    assert Bulletin.objects.count() == 1
    # The loser gave its number back: the next bulletin is number 2, with no gap.
    following = bulletin_issue(
        actor=province_admin, period="2026-10", as_of=date(2026, 10, 31), today=day
    )
    assert following.number == "吉动监通〔2026〕2号"
