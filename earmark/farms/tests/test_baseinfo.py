from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from earmark.accounts.models import User
from earmark.core.testing import client_for
from earmark.farms.models import BaseInfoSync, Premises, Stock, StockChange

HEADER = (
    "养殖场户编码,养殖场户名称,养殖场户类型,负责人,联系电话,身份证号,"
    "所在乡镇,详细地址,生猪存栏,牛存栏,羊存栏\n"
)


def _upload(user: User, text: str, *, encoding: str = "gb18030") -> Any:
    upload = SimpleUploadedFile("export.csv", (HEADER + text).encode(encoding))
    return client_for(user).post("/api/v1/baseinfo-syncs", {"file": upload})


def test_an_export_is_compared_and_applied_only_when_confirmed(
    county_officer: User, make_premises: Any
) -> None:
    kept = make_premises(name="老王猪场", external_id="JL-1", stock={"pig": 50})
    client_for(county_officer).post(f"/api/v1/premises/{kept.code}/verify")
    gone = make_premises(name="已关停猪场", external_id="JL-9")
    response = _upload(
        county_officer,
        "JL-1,老王猪场,规模养殖场,王五,13800000000,,南岭街道,一村一社,65,,\n"
        "JL-2,新李养牛户,散养户,李四,13800000002,,220102002,二村,,7,\n",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["diff"]["new"] == ["JL-2"]
    assert body["diff"]["changed"] == {"JL-1": {"stock.pig": [50, 65]}}
    assert body["diff"]["missing"] == [
        {"external_id": "JL-9", "code": gone.code, "name": "已关停猪场"}
    ]
    assert body["diff"]["errors"] == []
    assert not Premises.objects.filter(external_id="JL-2").exists()  # nothing changed yet

    applied = client_for(county_officer).post(f"/api/v1/baseinfo-syncs/{body['id']}/apply")
    assert applied.status_code == 200
    assert applied.json()["applied_at"] is not None
    new = Premises.objects.get(external_id="JL-2")
    assert new.kind == "household"
    assert Stock.objects.get(premises=new).quantity == 7
    correction = StockChange.objects.filter(premises=kept).latest("id")
    assert (correction.delta, correction.reason, correction.note_text) == (
        15,
        "correction",
        "基础信息同步",
    )
    kept.refresh_from_db()
    assert kept.status == "verified"  # a stock correction is not a key change
    assert Premises.objects.filter(pk=gone.pk).exists()  # missing premises are never removed
    again = client_for(county_officer).post(f"/api/v1/baseinfo-syncs/{body['id']}/apply")
    assert again.json()["message"] == "本次上传已经应用过。"


def test_a_changed_owner_sends_a_verified_farm_back(
    county_officer: User, make_premises: Any
) -> None:
    farm = make_premises(name="老王猪场", external_id="JL-1", stock={"pig": 50})
    client_for(county_officer).post(f"/api/v1/premises/{farm.code}/verify")
    body = _upload(
        county_officer,
        "JL-1,老王猪场,规模养殖场,王小五,13800000000,,南岭街道,一村一社,50,,\n",
        encoding="utf-8",
    ).json()
    assert body["diff"]["changed"] == {"JL-1": {"owner_name": ["王五", "王小五"]}}
    client_for(county_officer).post(f"/api/v1/baseinfo-syncs/{body['id']}/apply")
    farm.refresh_from_db()
    assert (farm.owner_name, farm.status) == ("王小五", "to_verify")


def test_faulty_rows_block_the_apply(county_officer: User) -> None:
    body = _upload(
        county_officer,
        "JL-3,,规模养殖场,王五,13800000000,,南岭街道,一村,1,,\n"
        "JL-4,外县场,规模养殖场,王五,1380000,,站前街道,一村,1,,\n"
        "JL-4,重复场,规模养殖场,王五,13800000000,,南岭街道,一村,1,,\n",
    ).json()
    errors = [(e["ref"], e["field"], e["problems"]) for e in body["diff"]["errors"]]
    assert errors == [
        ("2", "name", ["名称必填。"]),
        ("3", "phone", ["请输入11位手机号码。"]),
        ("3", "township", ["站前街道不在您的辖区内。"]),
        ("4", "external_id", ["编码 JL-4 重复出现。"]),
    ]
    refused = client_for(county_officer).post(f"/api/v1/baseinfo-syncs/{body['id']}/apply")
    assert refused.status_code == 422
    assert not Premises.objects.exists()


def test_the_export_must_have_the_configured_columns(county_officer: User) -> None:
    upload = SimpleUploadedFile("x.csv", "编号,名字\n1,2\n".encode())
    response = client_for(county_officer).post("/api/v1/baseinfo-syncs", {"file": upload})
    assert response.json()["message"] == "文件缺少以下列：养殖场户编码、养殖场户名称、所在乡镇。"


def test_another_county_cannot_see_or_apply_a_sync(county_officer: User, outsider: User) -> None:
    body = _upload(
        county_officer, "JL-2,新李养牛户,散养户,李四,13800000002,,220102002,二村,,7,\n"
    ).json()
    client = client_for(outsider)
    assert client.get(f"/api/v1/baseinfo-syncs/{body['id']}").status_code == 404
    assert client.post(f"/api/v1/baseinfo-syncs/{body['id']}/apply").status_code == 404
    assert client.get(f"/premises/baseinfo/{body['id']}/").status_code == 404
    assert BaseInfoSync.objects.get().applied_at is None


def test_the_web_flow_shows_the_diff_then_applies(county_officer: User) -> None:
    client = client_for(county_officer)
    upload = SimpleUploadedFile(
        "export.csv",
        (HEADER + "JL-2,新李养牛户,散养户,李四,13800000002,,220102002,二村,,7,\n").encode(),
    )
    page = client.post("/premises/baseinfo/", {"file": upload}, follow=True).content.decode()
    assert "JL-2" in page and "应用这些变更" in page
    sync = BaseInfoSync.objects.get()
    done = client.post(f"/premises/baseinfo/{sync.pk}/", follow=True).content.decode()
    assert "变更已应用。" in done
    assert Premises.objects.filter(external_id="JL-2").exists()


def test_a_file_dropped_by_the_collection_system_is_synced(
    county_officer: User, tmp_path: Any
) -> None:
    import io
    import json

    import pytest
    from django.core.management import call_command
    from django.core.management.base import CommandError

    (tmp_path / "export-1.csv").write_bytes(
        (HEADER + "JL-7,东山猪场,规模养殖场,赵六,13800000007,,南岭街道,三村,40,,\n").encode(
            "gb18030"
        )
    )
    (tmp_path / "export-2.csv").write_bytes(
        (HEADER + "JL-8,,规模养殖场,钱七,123,,不存在乡,四村,,,\n").encode("gb18030")
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 file"):
        call_command(
            "baseinfo_drop",
            "--dir",
            str(tmp_path),
            "--user",
            county_officer.username,
            "--apply",
            stdout=out,
            stderr=io.StringIO(),
        )
    assert "export-1.csv: sync" in out.getvalue() and "applied" in out.getvalue()
    assert Premises.objects.get(external_id="JL-7").name == "东山猪场"
    assert not Premises.objects.filter(external_id="JL-8").exists()
    assert next(p.name for p in (tmp_path / "done").iterdir()).endswith("-export-1.csv")
    report = json.loads((tmp_path / "refused" / "export-2.csv.report.json").read_text())
    assert report["detail"]["items"][0]["ref"] == "2"
    assert not list(tmp_path.glob("*.csv"))
