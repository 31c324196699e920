"""Two running provinces (#30): Jilin and Heilongjiang as two instances of Earmark, each with its
own database, key and demo, meet through the platform simulator — the driver of ``make
two-provinces``, run on the suite's database (two SQLite files, or two PostgreSQL databases on
the suite's server). Everything goes through the instances' API and pages; no event is built by
hand."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_jilin_and_heilongjiang_meet_through_the_platform(tmp_path: Path) -> None:
    url = os.environ.get("DATABASE_URL", "")
    database = url if url.startswith("postgres") else "sqlite"
    transcript = tmp_path / "two-provinces.json"
    run = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "tools/two_provinces.py",
            "--database",
            database,
            "--json",
            str(transcript),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-6000:]
    said = json.loads(transcript.read_text())
    lines, facts = said["lines"], said["facts"]
    # The ceremony on both sides: a mistyped fingerprint refused, the right one pinned.
    assert sum("指纹与此密钥不符" in line for line in lines) == 2
    assert sum("核对" in line and "信任其密钥" in line for line in lines) == 2
    # Each way: checked valid at a checkpoint (API and page), forged and wrongly keyed copies
    # refused, received with the one tag that did not match, traced, and the origin alerted.
    for way, (origin, destination) in {
        "jilin_to_heilongjiang": ("吉林", "黑龙江"),
        "heilongjiang_to_jilin": ("黑龙江", "吉林"),
    }.items():
        crossing = facts[way]
        number = crossing["number"]
        assert number.startswith("22" if origin == "吉林" else "23")
        assert crossing["checked"] == "valid" and len(crossing["received"]) == 1
        # Received there, it is used at home too.
        assert crossing["used_at_home"] == "used"
        assert f"[{destination}] 接收地待接收列表预先显示 {number}" in lines
        assert f"[{destination}] 检查站页面核验 {number}：有效" in lines
        assert f"[{destination}] 篡改签名的证明、非对方密钥签名的证明：均为非真实证明" in lines
        assert any(
            line.startswith(f"[{origin}] 收到{destination}关于 {number} 的预警") for line in lines
        )
        assert any(f"经检疫证明 {number} 来自{origin}" in line for line in lines)
    # A revocation after Jilin read the certificate: revoked at its checkpoint, arrival refused.
    assert any("已撤销；接收被拒" in line and line.startswith("[吉林]") for line in lines)
    # An investigation in Heilongjiang reaches Jilin's pigs: Jilin is asked, tells its county and
    # answers with the farm they came from.
    assert any(
        line.startswith("[黑龙江] 调查 DC230113")
        and "吉林答复：九台区其塔木镇宏达生猪养殖场" in line
        for line in lines
    )
    assert any(line.startswith("[吉林] 收到预警：黑龙江省的调查 DC230113") for line in lines)
    # Jilin pigs slaughtered in Heilongjiang: recovered there, and in Jilin's records too.
    assert any(line.startswith("[黑龙江] 双城区定点屠宰场 屠宰检疫 22") for line in lines)
    assert any(
        line.startswith("[吉林] 22") and "在黑龙江屠宰：证明已使用" in line for line in lines
    )
    # Each demo's own type A certificate reached the other side before the ceremony: it was set
    # aside for want of a pinned key, and taken once the key was pinned; nothing else was.
    assert facts["held"] == {"吉林": ["taken"], "黑龙江": ["taken"]}
    assert "[吉林] 平台数据曾搁置：231260000001 签名密钥未获本省信任（密钥确认后已接收）" in lines
