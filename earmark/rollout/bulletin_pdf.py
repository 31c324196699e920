"""The bulletin (通报) as an official document: the 红头 (the issuing agency in red over a red
rule), the 文号, the title, 主送, the month's progress and figures, the agency and date over the
seal area, 抄送 and 第 N 页 共 M 页 on every page. A draft prints 草稿 across its pages and no
number; the issued bulletin is this document rendered once, at issue, and stored."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import HRFlowable, Spacer, Table, TableStyle

from earmark.accounts.access import user_jurisdiction
from earmark.accounts.models import User
from earmark.core.fonts import SANS, SANS_BOLD
from earmark.core.pdf import a4_pdf, official, para
from earmark.movements.selectors import alert_list
from earmark.rollout.charts import stage_chart
from earmark.rollout.models import Bulletin
from earmark.rollout.selectors.equipment import terminal_counts
from earmark.rollout.selectors.milestones import rollout_board
from earmark.rollout.selectors.statistics import FIGURES, statistics
from earmark.rollout.selectors.supervision import late_counties, open_fixes
from earmark.trace.selectors.cases import case_counts

RED = colors.HexColor("#c8102e")
WIDTH = 172 * mm


def _styles() -> dict[str, ParagraphStyle]:
    return {
        "red": ParagraphStyle(
            "red",
            wordWrap="CJK",
            fontName=SANS_BOLD,
            fontSize=24,
            leading=32,
            alignment=1,
            textColor=RED,
        ),
        "number": ParagraphStyle(
            "number", wordWrap="CJK", fontName=SANS, fontSize=11, leading=16, alignment=1
        ),
        "title": ParagraphStyle(
            "title", wordWrap="CJK", fontName=SANS_BOLD, fontSize=16, leading=22, alignment=1
        ),
        "heading": ParagraphStyle(
            "heading", wordWrap="CJK", fontName=SANS_BOLD, fontSize=12, leading=18
        ),
        "body": ParagraphStyle("body", wordWrap="CJK", fontName=SANS, fontSize=10, leading=15),
        "cell": ParagraphStyle("cell", wordWrap="CJK", fontName=SANS, fontSize=8, leading=10),
    }


def _draft_mark(canvas: Any) -> None:
    """草稿 across every page of a draft: it is not the document until it is issued."""
    canvas.saveState()
    canvas.setFillColor(colors.Color(0.6, 0.6, 0.6, alpha=0.25))
    canvas.setFont(SANS_BOLD, 120)
    canvas.translate(105 * mm, 148 * mm)
    canvas.rotate(35)
    canvas.drawCentredString(0, 0, "草稿")
    canvas.restoreState()


def _progress(user: User, since: date, as_of: date) -> list[Any]:
    """The month's sections: rollout, overdue counties, equipment and training, anomalies,
    supervision, the figures."""
    styles = _styles()
    heading, body, cell = styles["heading"], styles["body"], styles["cell"]
    code = user_jurisdiction(user)
    board = rollout_board(user=user, on=as_of)
    stats = statistics(user=user, region=code, since=since, until=as_of)
    story: list[Any] = []
    story.append(para("一、新功能启用进度", heading))
    counties = [row for city in board.cities for row in city.counties]
    # Counted as the milestone table counts: by the day each county got there.
    enabled = sum(1 for row in counties if row.progress.reached("enabled", as_of))
    accepted = sum(1 for row in counties if row.progress.reached("accepted", as_of))
    story.append(
        para(
            f"截至{as_of:%Y年%m月%d日}，共 {len(counties)} 个县（市、区），"
            f"已启用新功能 {enabled} 个，已验收 {accepted} 个。",
            body,
        )
    )
    header = ["市州", *[m.title for m in board.milestones]]
    states = {"met": "完成", "late": "逾期完成", "overdue": "逾期未完成", "pending": "未到期"}
    rows = [[para(text, cell) for text in header]]
    for city in board.cities:
        rows.append(
            [para(city.name, cell)]
            + [para(f"{states[m.state]}（{m.reached}/{m.needed}）", cell) for m in city.milestones]
        )
    if board.cities and board.cities[0].milestones:
        first = 20 * mm
        rest = (178 * mm - first) / len(board.milestones)
        table = Table(rows, repeatRows=1, colWidths=[first, *[rest] * len(board.milestones)])
        style = [
            ("FONT", (0, 0), (-1, -1), SANS),
            ("GRID", (0, 0), (-1, -1), 0.4, "#999999"),
            ("BACKGROUND", (0, 0), (-1, 0), "#e7f4ec"),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
        for r, city in enumerate(board.cities, start=1):
            for c, m in enumerate(city.milestones, start=1):
                if m.state == "overdue":
                    style.append(("TEXTCOLOR", (c, r), (c, r), "#b3261e"))
        table.setStyle(TableStyle(style))
        story.append(table)
    story.append(Spacer(1, 3 * mm))
    story.append(stage_chart(board, width=480))

    story.append(para("二、逾期未完成的县（市、区）", heading))
    # Counties with the same findings on one line, not one line each.
    groups: dict[str, list[str]] = {}
    for row in counties:
        if row.overdue:
            groups.setdefault("；".join(row.overdue), []).append(row.progress.name)
    if groups:
        for findings, names in groups.items():
            how_many = f"（{len(names)} 个）" if len(names) > 1 else ""
            story.append(para(f"{'、'.join(names)}{how_many}：{findings}", body))
    else:
        story.append(para("无。", body))

    story.append(para("三、“动监e通”配备和培训", heading))
    short = [c for c in terminal_counts(user=user) if c.shortfall]
    if short:
        story.append(para("以下机构“动监e通”配备不到位，予以通报：", body))
        for count in short:
            story.append(
                para(
                    f"{count.agency.name}：应配备 {count.required} 台，"
                    f"已配备 {count.deployed} 台，缺 {count.shortfall} 台。",
                    body,
                )
            )
    else:
        story.append(para("各机构“动监e通”均已按要求配备。", body))
    untrained = [row.progress.name for row in counties if not row.progress.trained]
    story.append(
        para(
            "尚未开展使用培训的县（市、区）："
            + ("、".join(untrained) if untrained else "无")
            + "。",
            body,
        )
    )

    story.append(para("四、异常情况", heading))
    anomalous = [r for r in stats.rows if r.figures["anomalies"]]
    if anomalous:
        for region in anomalous:
            story.append(
                para(
                    f"{region.name}：本月发现异常 {region.figures['anomalies']} 起"
                    f"（因外来或未登记耳标、超存栏申报被拒绝，检查站发现伪造或不明证明）。",
                    body,
                )
            )
    else:
        story.append(para("本月未发现异常。", body))
    unanswered = _unanswered_alerts(user)
    if unanswered:
        story.append(
            para(
                "以下县（市、区）有逾期未回复的疫情预警（第二十九条）："
                + "；".join(f"{name} {n} 条" for name, n in unanswered)
                + "。",
                body,
            )
        )
    counted = case_counts(user=user, since=since, until=as_of)
    if counted:
        opened = sum(c.opened for c in counted)
        closed = sum(c.closed for c in counted)
        story.append(
            para(
                f"本月立案 {opened} 起、结案 {closed} 起："
                + "；".join(f"{c.name}立案 {c.opened} 起、结案 {c.closed} 起" for c in counted)
                + "。",
                body,
            )
        )
    else:
        story.append(para("本月无立案、结案的违法案件。", body))

    story.append(para("五、调度和督查", heading))
    late = late_counties(user=user, since=since, until=as_of)
    for called, names in late:
        story.append(
            para(
                f"{called.title}（{called.due_on:%m月%d日}截止）逾期或未报送：{'、'.join(names)}。",
                body,
            )
        )
    if not late:
        story.append(para("本月到期的工作调度均按时报送。", body))
    fixes = open_fixes(user=user)
    if fixes:
        story.append(para(f"督查整改尚未答复 {len(fixes)} 项：", body))
        for fix in fixes:
            overdue = "（已逾期）" if fix.overdue_on(as_of) else ""
            story.append(
                para(
                    f"{fix.inspection.county.name}：{fix.requirement}，"
                    f"限{fix.deadline:%Y年%m月%d日}前完成{overdue}。",
                    body,
                )
            )
    else:
        story.append(para("督查整改事项均已答复。", body))

    story.append(para("六、本月主要数据", heading))
    total = stats.total.figures
    figures = [[para(str(label), cell), para(str(total[key]), cell)] for key, label in FIGURES]
    table = Table(figures, colWidths=[60 * mm, 30 * mm])
    table.setStyle(
        TableStyle([("FONT", (0, 0), (-1, -1), SANS), ("GRID", (0, 0), (-1, -1), 0.4, "#999999")])
    )
    story.append(table)
    return story


def _unanswered_alerts(user: User) -> list[tuple[str, int]]:
    """Counties with alerts past their response deadline, and how many, by name."""
    counts = Counter(
        alert_list(user=user, overdue_only=True).values_list("county__name", flat=True)
    )
    return sorted(counts.items())


def _closing(bulletin: Bulletin, day: date | None, style: ParagraphStyle) -> list[Any]:
    """The issuing agency and the date, right, over a marked area for its seal; then 抄送
    between two rules, as a 公文 ends."""
    right = ParagraphStyle("right", parent=style, alignment=2)
    when = f"{day.year}年{day.month}月{day.day}日" if day else "　　年　　月　　日"
    signature = Table(
        [
            [para("（印章）", ParagraphStyle("seal", parent=style, alignment=1))],
            [para(bulletin.agency.name, right)],
            [para(when, right)],
        ],
        colWidths=[70 * mm],
        rowHeights=[34 * mm, None, None],
        hAlign="RIGHT",
    )
    signature.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), SANS),
                ("BOX", (0, 0), (0, 0), 0.6, "#555555", None, (3, 2)),
                ("VALIGN", (0, 0), (0, 0), "MIDDLE"),
            ]
        )
    )
    story: list[Any] = [Spacer(1, 10 * mm), signature, Spacer(1, 8 * mm)]
    if bulletin.copies_to:
        story += [
            HRFlowable(width="100%", thickness=0.8, color=colors.black),
            para(f"抄送：{bulletin.copies_to}", style),
            HRFlowable(width="100%", thickness=0.8, color=colors.black),
        ]
    return story


def bulletin_title(bulletin: Bulletin) -> str:
    year, month = bulletin.period.split("-")
    return f"{bulletin.region.name}耳标追溯及产地检疫信息化管理工作通报（{year}年{int(month)}月）"


@official
def bulletin_document(bulletin: Bulletin, *, user: User, as_of: date, day: date | None) -> bytes:
    """The bulletin as of ``as_of``: issued on ``day`` with its number, or a draft (no number,
    no date, 草稿 across the pages). ``user`` is whose jurisdiction's figures it reports."""
    style = _styles()
    year, month = (int(part) for part in bulletin.period.split("-"))
    number = bulletin.number or "〔　　〕号（发文时编号）"
    story: list[Any] = [
        para(bulletin.agency.name, style["red"]),
        para(number, style["number"]),
        HRFlowable(width="100%", thickness=2, color=RED, spaceBefore=2, spaceAfter=8),
        para(bulletin_title(bulletin), style["title"]),
        Spacer(1, 4 * mm),
    ]
    if bulletin.recipients:
        story.append(para(f"{bulletin.recipients}：", style["body"]))
    if bulletin.corrects is not None:
        story.append(
            para(
                f"本通报更正{bulletin.corrects.number}（{bulletin.corrects.issued_on}印发），"
                "以本通报为准。",
                style["body"],
            )
        )
    story += _progress(user, date(year, month, 1), as_of)
    story += _closing(bulletin, day, style["body"])
    return a4_pdf(
        story,
        title=bulletin_title(bulletin),
        on_page=None if day else _draft_mark,
        numbered=True,
    )
