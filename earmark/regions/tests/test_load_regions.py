from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from earmark.core.errors import BusinessError
from earmark.regions.models import Region, RegionAlias
from earmark.regions.services import regions_load

pytestmark = pytest.mark.django_db


def test_jilin_has_its_province_cities_counties_and_townships(jilin: None) -> None:
    counts = {level: Region.objects.filter(level=level).count() for level in Region.Level.values}
    assert counts == {"province": 1, "city": 9, "county": 60, "township": 972}
    assert Region.objects.get(code="220113").parent_id == "220100"
    assert Region.objects.get(code="220113102").name == "其塔木镇"


def test_historical_county_codes_name_todays_county(jilin: None) -> None:
    assert RegionAlias.objects.get(code="220381").region_id == "220184"
    assert RegionAlias.objects.get(code="220181").region_id == "220113"


def test_loading_the_same_file_again_changes_nothing(jilin: None) -> None:
    out = io.StringIO()
    call_command("load_regions", stdout=out)
    assert "0 created, 0 updated, 1042 unchanged" in out.getvalue()
    assert Region.objects.count() == 1042


def test_it_loads_another_province_in_the_same_format(tmp_path: Path) -> None:
    data = tmp_path / "beijing.csv"
    data.write_text(
        "code,parent_code,level,name\n"
        "110000,,province,北京市\n"
        "110100,110000,city,市辖区\n"
        "110101,110100,county,东城区\n"
        "110101001,110101,township,东华门街道\n",
        encoding="utf-8",
    )
    call_command("load_regions", str(data), stdout=io.StringIO())
    assert Region.objects.get(code="110101001").parent.parent.parent.name == "北京市"


def test_a_renamed_region_is_updated(tmp_path: Path, jilin: None) -> None:
    data = tmp_path / "rename.csv"
    data.write_text("code,parent_code,level,name\n220113102,220113,township,其塔木镇（新）\n")
    call_command("load_regions", str(data), stdout=io.StringIO())
    assert Region.objects.get(code="220113102").name == "其塔木镇（新）"


def test_a_faulty_file_loads_nothing_and_names_every_bad_row() -> None:
    before = Region.objects.count()
    text = (
        "code,parent_code,level,name\n"
        "990000,,province,测试省\n"
        "990100,990000,city,测试市\n"
        "99010,990100,county,短代码\n"
        "990102,990000,county,上级错层\n"
        "990103,990100,township,级别不符\n"
        "990104,990100,county,\n"
        "990100,990000,city,重复\n"
        "980105,990100,county,前缀不符\n"
    )
    with translation.override("zh-hans"), pytest.raises(BusinessError) as caught:
        regions_load(regions_file=io.StringIO(text))
    error = caught.value
    assert str(error.message) == "区划文件有 6 行错误，未导入任何数据。"
    # Each problem names the row's code, then what is wrong with it.
    rows = {int(row["ref"]): row["problems"][0].split("：", 1)[1] for row in error.detail["items"]}
    assert rows == {
        4: "代码须为6位或9位数字",
        5: "上级 990000 不是高一级的区划",
        6: "该代码不是乡镇级代码",
        7: "名称为空",
        8: "该代码已在第 3 行出现",
        9: "代码与上级代码的前缀不符",
    }
    assert Region.objects.count() == before
    assert not Region.objects.filter(code="990000").exists()


def test_the_command_prints_the_faulty_rows(tmp_path: Path) -> None:
    data = tmp_path / "bad.csv"
    data.write_text("code,parent_code,level,name\n990101,990100,county,孤儿县\n")
    with pytest.raises(CommandError, match=r"line 2: 990101："):
        call_command("load_regions", str(data))


def test_a_file_without_the_columns_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "bad.csv"
    data.write_text("id,name\n1,x\n")
    with pytest.raises(CommandError, match="parent_code"):
        call_command("load_regions", str(data))
