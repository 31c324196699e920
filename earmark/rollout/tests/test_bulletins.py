"""A bulletin an office can file and cite: drafted, reviewed by a second official, issued with
its document number (文号) in issue order; its figures and PDF frozen at issue (the same bytes
at every download, the hash in the audit log, signed); the 红头, 主送, 抄送, page numbers, the
agency and date over the seal area; a correction names what it corrects."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Role, User
from earmark.audit.models import AuditEvent
from earmark.core import signing
from earmark.core.pdfproof import assert_inside, assert_travels, render_png
from earmark.core.testing import client_for, race
from earmark.rollout.fixtures import Publish
from earmark.rollout.models import Bulletin
from earmark.rollout.services.bulletins import bulletin_draft, bulletin_issue, bulletin_review

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _text(content: bytes) -> str:
    return "".join(assert_travels(content).text.split())


def test_a_bulletin_carries_its_red_head_number_recipients_and_page_numbers(
    province_admin: User, publish: Publish
) -> None:
    with time_machine.travel(datetime(2026, 12, 10, 9, tzinfo=SHANGHAI)):
        response = publish(
            province_admin,
            "2026-11",
            recipients="各市（州）动物卫生监督所",
            copies_to="省农业农村厅",
        )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = assert_inside(response.content)
    text = _text(response.content)
    agency = province_admin.agency.name
    assert text.startswith(f"{agency}吉动监通〔2026〕1号吉林省耳标追溯及产地检疫信息化管理工作通报")
    assert "各市（州）动物卫生监督所：" in text and "抄送：省农业农村厅" in text
    assert f"（印章）{agency}2026年12月10日" in text and "截至2026年11月30日" in text
    assert all(f"第{n}页共{len(pages)}页" in page for n, page in enumerate(pages, 1))
    assert "草稿" not in text
    render_png(response.content, "bulletin")


def test_an_issued_bulletin_is_frozen_signed_and_in_the_audit_log(
    province_admin: User, publish: Publish
) -> None:
    first = publish(province_admin, "2026-11").content
    bulletin = Bulletin.objects.get()
    # Downloaded again, later, after the figures changed: the same bytes.
    with time_machine.travel(datetime(2027, 2, 1, 9, tzinfo=SHANGHAI)):
        again = client_for(province_admin).get(f"/api/v1/bulletins/{bulletin.pk}/pdf").content
    assert again == first
    digest = hashlib.sha256(first).hexdigest()
    assert bulletin.sha256 == digest
    issued = AuditEvent.objects.get(action="bulletin.issue")
    assert issued.details["sha256"] == digest and issued.details["number"] == bulletin.number
    signed = signing.verify_own(bulletin.signature)
    assert signed.fields["h"] == digest and signed.fields["n"] == bulletin.number


def test_numbers_follow_the_order_of_issue_not_of_drafting(
    province_admin: User, make_user: MakeUser
) -> None:
    reviewer = make_user("220000", (Role.PROVINCE_ADMIN,), username="second-reader")
    drafts = [
        bulletin_draft(actor=province_admin, period=month)
        for month in ("2026-09", "2026-10", "2026-11")
    ]
    for draft in drafts:
        bulletin_review(actor=reviewer, bulletin=draft)
    for draft in reversed(drafts):
        bulletin_issue(actor=province_admin, bulletin=draft)
    numbers = dict(Bulletin.objects.values_list("period", "sequence"))
    assert numbers == {"2026-11": 1, "2026-10": 2, "2026-09": 3}
    # A city numbers its own.
    city = make_user("220100", (Role.CITY_OFFICER,))
    city_reader = make_user("220100", (Role.CITY_OFFICER,), username="city-reader")
    theirs = bulletin_draft(actor=city, period="2026-11")
    bulletin_review(actor=city_reader, bulletin=theirs)
    assert bulletin_issue(actor=city, bulletin=theirs).number.startswith("长春动监通〔")


def test_a_draft_is_a_preview_reviewed_by_another_and_issued_once(
    province_admin: User, make_user: MakeUser
) -> None:
    client = client_for(province_admin)
    draft = client.post(
        "/api/v1/bulletins", {"period": "2026-11"}, content_type="application/json"
    ).json()
    assert (draft["status"], draft["number"]) == ("draft", "")
    preview = client.get(f"/api/v1/bulletins/{draft['id']}/pdf")
    text = _text(preview.content)
    assert "草稿" in text and "发文时编号" in text
    # Issued before review: refused; reviewed by its own drafter: refused.
    early = client.post(f"/api/v1/bulletins/{draft['id']}/issue")
    assert early.status_code == 409 and early.json()["code"] == "bulletin_wrong_status"
    own = client.post(f"/api/v1/bulletins/{draft['id']}/review")
    assert own.status_code == 422 and own.json()["message"] == "通报须由起草人以外的人员审核。"
    reader = make_user("220000", (Role.PROVINCE_ADMIN,), username="second-reader")
    assert client_for(reader).post(f"/api/v1/bulletins/{draft['id']}/review").status_code == 200
    issued = client.post(f"/api/v1/bulletins/{draft['id']}/issue").json()
    again = client.post(f"/api/v1/bulletins/{draft['id']}/issue").json()
    assert issued["number"] == again["number"] and Bulletin.objects.count() == 1


def test_a_correction_is_a_new_bulletin_that_names_the_one_it_corrects(
    province_admin: User, publish: Publish
) -> None:
    publish(province_admin, "2026-11")
    wrong = Bulletin.objects.get()
    corrected = publish(province_admin, "2026-11", corrects=wrong.pk)
    text = _text(corrected.content)
    assert f"本通报更正{wrong.number}" in text and "吉动监通〔" in text
    assert Bulletin.objects.filter(corrects=wrong).count() == 1
    # A draft cannot be corrected; nor a bulletin of another region.
    draft = bulletin_draft(actor=province_admin, period="2026-10")
    refused = client_for(province_admin).post(
        "/api/v1/bulletins",
        {"period": "2026-10", "corrects": draft.pk},
        content_type="application/json",
    )
    assert refused.status_code == 422 and refused.json()["code"] == "bulletin_not_correctable"


@pytest.mark.django_db(transaction=True)
def test_two_issues_at_once_leave_one_number(province_admin: User, make_user: MakeUser) -> None:
    reader = make_user("220000", (Role.PROVINCE_ADMIN,), username="second-reader")
    draft = bulletin_draft(actor=province_admin, period="2026-11")
    bulletin_review(actor=reader, bulletin=draft)

    def attempt() -> str:
        return bulletin_issue(actor=province_admin, bulletin=draft).number

    numbers = race([attempt, attempt], hold="earmark.rollout.services.bulletins.sequence_take")
    assert numbers[0] == numbers[1] and numbers[0].endswith("〕1号")
    assert Bulletin.objects.get().sequence == 1
    other = bulletin_draft(actor=province_admin, period="2026-10")
    bulletin_review(actor=reader, bulletin=other)
    assert bulletin_issue(actor=province_admin, bulletin=other).sequence == 2


def test_a_bulletin_issued_before_pdfs_were_kept_is_stored_at_its_next_download(
    province_admin: User,
) -> None:
    old = Bulletin.objects.create(
        region_id="220000",
        period="2026-10",
        status=Bulletin.Status.ISSUED,
        agency=province_admin.agency,
        as_of=date(2026, 10, 31),
        year=2026,
        sequence=1,
        number="吉动监通〔2026〕1号",
        issued_on=date(2026, 11, 2),
        issued_by=province_admin,
    )
    client = client_for(province_admin)
    first = client.get(f"/api/v1/bulletins/{old.pk}/pdf").content
    assert "吉动监通〔2026〕1号" in _text(first)
    assert client.get(f"/api/v1/bulletins/{old.pk}/pdf").content == first
    old.refresh_from_db()
    assert old.sha256 == hashlib.sha256(first).hexdigest()
