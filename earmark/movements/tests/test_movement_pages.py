from __future__ import annotations

from collections.abc import Callable
from typing import Any

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Role, User
from earmark.core.testing import assert_guarded, client_for
from earmark.eartags.fixtures import pig
from earmark.eartags.models import Tag
from earmark.farms.models import Premises, Stock
from earmark.movements.models import Alert, CheckpointCheck
from earmark.quarantine.models import Certificate
from earmark.quarantine.services.payloads import qr_url


def test_the_checkpoint_page_reads_the_qr_url_and_records_the_check(
    certified: Certificate, make_user: MakeUser
) -> None:
    officer = make_user("220113", (Role.CHECKPOINT_OFFICER,))
    client = client_for(officer)
    page = client.post(
        "/checkpoint/", {"code": qr_url(certified), "place": "九台收费站"}, follow=True
    ).content.decode()
    assert "有效" in page and "省级机构签名有效。" in page and certified.number in page
    check = CheckpointCheck.objects.get()
    assert (check.result, check.signature_valid, check.place) == ("valid", True, "九台收费站")
    typed = client.post(
        "/checkpoint/", {"code": "222269999999", "place": "九台收费站"}, follow=True
    ).content.decode()
    assert "无此证明" in typed


def test_the_arrival_page_previews_then_records(
    certified_to: Callable[..., Certificate], make_premises: Any, make_user: MakeUser
) -> None:
    farm = make_premises(name="自强育肥场", township="220102002", stock={"pig": 0})
    certified = certified_to(farm)
    staff = make_user("220102002", (Role.DESTINATION_STAFF,))
    client = client_for(staff)
    form = {"certificate": certified.number, "premises": farm.code, "tags": f"{pig(1)}-{pig(9)}"}
    preview = client.post("/receive/arrival", {**form, "action": "preview"}).content.decode()
    assert "已扫描检疫证明上的耳标 9 枚。" in preview and f"缺少：{pig(10)}" in preview
    assert Stock.objects.get(premises=farm).quantity == 0
    done = client.post(
        "/receive/arrival", {**form, "action": "confirm"}, follow=True
    ).content.decode()
    assert "落地报告已记录" in done
    assert Stock.objects.get(premises=farm).quantity == 9


def test_the_slaughter_page_recovers_and_cancels(
    certified: Certificate, make_premises: Any, vet: User
) -> None:
    slaughterhouse = make_premises(name="南岭屠宰场", kind="slaughterhouse", stock={})
    done = (
        client_for(vet)
        .post(
            "/receive/slaughter",
            {
                "certificate": certified.number,
                "premises": slaughterhouse.code,
                "tags": f"{pig(1)}-{pig(10)}",
                "passed": "yes",
                "action": "confirm",
            },
            follow=True,
        )
        .content.decode()
    )
    assert "耳标已回收并注销" in done
    assert Tag.objects.filter(state="recovered").count() == 10


def test_deaths_destruction_alerts_and_overdue_pages(
    certified: Certificate,
    ready_farm: Premises,
    county_officer: User,
    stocked_vaccinator: User,
    make_premises: Any,
    vet: User,
) -> None:
    death = (
        client_for(stocked_vaccinator)
        .post(
            f"/premises/{ready_farm.code}/deaths",
            {"species": "pig", "tags": pig(15), "cause": "病死"},
            follow=True,
        )
        .content.decode()
    )
    assert "死亡已记录" in death
    slaughterhouse = make_premises(kind="slaughterhouse", stock={})
    client_for(vet).post(
        "/receive/slaughter",
        {
            "certificate": certified.number,
            "premises": slaughterhouse.code,
            "tags": f"{pig(1)}-{pig(9)}",
            "passed": "yes",
            "action": "confirm",
        },
    )
    client = client_for(county_officer)
    pending = client.get("/tags/destruction").content.decode()
    assert "<dd>9</dd>" in pending
    batch = client.post(
        "/tags/destruction",
        {
            "tags": f"{pig(1)}-{pig(9)}",
            "destroyed_on": "2026-11-01",
            "method": "焚烧",
            "witnesses": "张三",
            "place": "县无害化处理中心",
        },
    ).content.decode()
    # One witness is not enough: the form says so by its field, nothing is destroyed.
    assert "请至少填写两名监销人，用“、”或逗号分隔。" in batch
    batch = client.post(
        "/tags/destruction",
        {
            "tags": f"{pig(1)}-{pig(9)}",
            "destroyed_on": "2026-11-01",
            "method": "焚烧",
            "witnesses": "张三，李四",
            "place": "县无害化处理中心",
        },
        follow=True,
    ).content.decode()
    assert "已保存：9 枚耳标" in batch
    alert = Alert.objects.get()  # the missing tag of the slaughter
    inbox = client.get("/alerts/").content.decode()
    assert "耳标与检疫证明不符" in inbox
    client.post("/alerts/", {"alert": alert.pk, "action_taken": "已核实"})
    alert.refresh_from_db()
    assert alert.action_taken == "已核实"
    assert client.get("/quarantine/overdue").status_code == 200


def test_movement_pages_are_guarded(
    certified: Certificate, outsider: User, ready_farm: Premises
) -> None:
    assert_guarded("get", f"/premises/{ready_farm.code}/deaths", outsider=outsider)
    assert_guarded(
        "post",
        f"/premises/{ready_farm.code}/deaths",
        outsider=outsider,
        data={"species": "pig", "cause": "x", "untagged": "1"},
    )
    for url in (
        "/checkpoint/",
        "/receive/arrival",
        "/receive/slaughter",
        "/tags/destruction",
        "/alerts/",
        "/quarantine/overdue",
    ):
        assert_guarded("get", url, outsider=outsider, outsider_status=200)
    assert certified.number not in client_for(outsider).get("/alerts/").content.decode()
    assert Stock.objects.get(premises=ready_farm).quantity == 40
