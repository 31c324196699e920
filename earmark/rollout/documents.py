"""What the province publishes: the statistics workbook and the bulletin (通报) PDF."""

from __future__ import annotations

import calendar
import io
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from earmark.accounts.access import require_role, user_jurisdiction
from earmark.accounts.models import Role, User
from earmark.core.codes import jurisdiction_prefix
from earmark.core.errors import INVALID_INPUT, BusinessError
from earmark.core.excel import Column, export_preamble, safe_row, write_header, write_preamble
from earmark.core.fonts import SANS, SANS_BOLD
from earmark.core.pdf import a4_pdf, para
from earmark.core.schemas import FIRST_YEAR, LAST_YEAR
from earmark.movements.selectors import alert_list
from earmark.rollout.charts import stage_chart
from earmark.rollout.errors import PERIOD_NOT_BEGUN
from earmark.rollout.models import Bulletin
from earmark.rollout.selectors.equipment import terminal_counts
from earmark.rollout.selectors.milestones import rollout_board
from earmark.rollout.selectors.statistics import FIGURES, Statistics, statistics
from earmark.rollout.selectors.supervision import late_counties, open_fixes
from earmark.rollout.services.bulletins import bulletin_issue
from earmark.trace.selectors.cases import case_counts

_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


def statistics_workbook(stats: Statistics) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Statistics")
    columns = [Column("code", _("Region code"), 12), Column("name", _("Region"), 14)] + [
        Column(key, label, 12) for key, label in FIGURES
    ]
    start = write_preamble(
        sheet,
        export_preamble(
            _("Statistics"),
            region=f"{stats.region.name}（{stats.region.code}）",
            period=_("%(since)s to %(until)s") % {"since": stats.since, "until": stats.until},
        ),
    )
    write_header(sheet, columns, row=start)
    for row in [*stats.rows, stats.total]:
        sheet.append(safe_row([row.code, row.name, *(row.figures[key] for key, _l in FIGURES)]))
    reasons = book.create_sheet(_("Rejections by reason"))
    write_header(reasons, [Column("reason", _("Reason"), 40), Column("n", _("Declarations"), 12)])
    for reason, count in stats.rejected_by_reason:
        reasons.append(safe_row([reason, count]))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class Period:
    since: date
    until: date

    @property
    def label(self) -> str:
        return f"{self.since.year}年{self.since.month}月"


def period_parse(text: str) -> Period:
    """``2026-11``: a calendar month."""
    found = _PERIOD.match(text)
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise BusinessError(_("A period is a month, written like 2026-11."), code=INVALID_INPUT)
    if not FIRST_YEAR <= int(found.group(1)) <= LAST_YEAR:
        raise BusinessError(
            _("A date between %(first)d and %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
            code=INVALID_INPUT,
        )
    year, month = int(found.group(1)), int(found.group(2))
    return Period(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))


def bulletin_pdf(*, user: User, period: Period) -> bytes:
    """The bulletin for a month: progress against the milestones on its last day, counties
    overdue, shortfalls of terminals and training, anomalies and the month's figures — naming
    the agencies concerned."""
    require_role(user, Role.PROVINCE_ADMIN, Role.CITY_OFFICER)
    today = timezone.localdate()
    if period.since > today:
        raise BusinessError(
            _("A bulletin reports a month that has begun; %(month)s has not.")
            % {"month": period.label},
            code=PERIOD_NOT_BEGUN,
        )
    # The figures as of the day it is issued, for the month still running.
    as_of = min(period.until, today)
    issued = bulletin_issue(actor=user, period=f"{period.since:%Y-%m}", as_of=as_of, today=today)
    code = user_jurisdiction(user)
    board = rollout_board(user=user, on=as_of)
    stats = statistics(user=user, region=code, since=period.since, until=as_of)
    title = ParagraphStyle("title", fontName=SANS_BOLD, fontSize=16, leading=22, alignment=1)
    heading = ParagraphStyle("heading", fontName=SANS_BOLD, fontSize=12, leading=18)
    body = ParagraphStyle("body", fontName=SANS, fontSize=10, leading=15)
    cell = ParagraphStyle("cell", fontName=SANS, fontSize=8, leading=10)
    centred = ParagraphStyle("centred", fontName=SANS, fontSize=10, leading=15, alignment=1)
    story: list = []  # type: ignore[type-arg]
    story.append(
        para(f"{stats.region.name}耳标追溯及产地检疫信息化管理工作通报（{period.label}）", title)
    )
    story.append(para(issued.number, centred))
    story.append(Spacer(1, 6 * mm))

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
    counted = case_counts(user=user, since=period.since, until=as_of)
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
    late = late_counties(user=user, since=period.since, until=as_of)
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
    story.append(Spacer(1, 14 * mm))
    story.append(_signature(issued, body))

    return a4_pdf(story, title=f"{stats.region.name}工作通报 {period.label}")


def _unanswered_alerts(user: User) -> list[tuple[str, int]]:
    """Counties with alerts past their response deadline, and how many, by name."""
    counts = Counter(
        alert_list(user=user, overdue_only=True).values_list("county__name", flat=True)
    )
    return sorted(counts.items())


def _signature(issued: Bulletin, style: ParagraphStyle) -> Table:
    """The issuing agency and the date, right, over a marked area for its seal."""
    right = ParagraphStyle("right", parent=style, alignment=2)
    day = issued.issued_on
    signature = Table(
        [
            [para("（印章）", ParagraphStyle("seal", parent=style, alignment=1))],
            [para(issued.agency.name, right)],
            [para(f"{day.year}年{day.month}月{day.day}日", right)],
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
    return signature


def bulletin_name(user: User, period: Period) -> str:
    return f"bulletin-{jurisdiction_prefix(user_jurisdiction(user))}-{period.since:%Y-%m}.pdf"
