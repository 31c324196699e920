"""Charts drawn on the server with ReportLab's graphics: the same drawing goes into a page as
SVG and into a PDF."""

from __future__ import annotations

import math

from django.utils.translation import gettext as _
from reportlab.graphics import renderSVG
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors

from earmark.farms.qr import CHINESE_FONT
from earmark.rollout.milestones import Board
from earmark.rollout.models import Stage
from earmark.rollout.statistics import FIGURES, Statistics

# Preparing (steps derived from data), requested, enabled, accepted.
GROUPS = [
    (Stage.PREPARING, Stage.TRAINED, colors.HexColor("#c9ced6")),
    (Stage.REQUESTED, Stage.REQUESTED, colors.HexColor("#f2c14e")),
    (Stage.ENABLED, Stage.ENABLED, colors.HexColor("#4c8bd6")),
    (Stage.ACCEPTED, Stage.ACCEPTED, colors.HexColor("#2f8f5b")),
]


def stage_chart(board: Board, width: int = 360) -> Drawing:
    """One bar per city, its counties stacked by where they stand."""
    cities = board.cities
    names = [city.name for city in cities]
    data = [
        [sum(1 for row in city.counties if low <= row.progress.stage <= high) for city in cities]
        for low, high, _colour in GROUPS
    ]
    bar = 18
    height = max(len(cities), 1) * (bar + 8) + 70
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 80, 50
    chart.width, chart.height = width - 100, height - 60
    chart.data = data
    chart.categoryAxis.categoryNames = names
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.reverseDirection = True
    chart.categoryAxis.labels.fontName = CHINESE_FONT
    chart.categoryAxis.labels.fontSize = 9
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = CHINESE_FONT
    chart.valueAxis.labels.fontSize = 8
    _whole_numbers(chart, max((sum(c) for c in zip(*data, strict=True)), default=0))
    chart.barWidth = bar
    for index, (_low, _high, colour) in enumerate(GROUPS):
        chart.bars[index].fillColor = colour
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = 10, 20
    legend.fontName = CHINESE_FONT
    legend.fontSize = 9
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.dx = legend.dy = 8
    legend.deltax = 80
    legend.colorNamePairs = [
        (GROUPS[0][2], _("Preparing")),
        (GROUPS[1][2], str(Stage.REQUESTED.label)),
        (GROUPS[2][2], str(Stage.ENABLED.label)),
        (GROUPS[3][2], str(Stage.ACCEPTED.label)),
    ]
    drawing.add(legend)
    return drawing


def svg(drawing: Drawing) -> str:
    """The drawing as inline SVG, scaling to its container, in the page's own font."""
    text = renderSVG.drawToString(drawing)
    text = text[text.index("<svg") :]
    return text.replace(f"font-family: {CHINESE_FONT}", "font-family: sans-serif").replace(
        f"font-family:{CHINESE_FONT}", "font-family:sans-serif"
    )


def figures_chart(stats: Statistics, keys: list[str], width: int = 360) -> Drawing:
    """One group of bars per region for the figures ``keys``."""
    labels = dict(FIGURES)
    palette = [colors.HexColor("#4c8bd6"), colors.HexColor("#2f8f5b"), colors.HexColor("#f2c14e")]
    bar = 8
    height = max(len(stats.rows), 1) * (bar * len(keys) + 8) + 70
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 80, 50
    chart.width, chart.height = width - 100, height - 60
    chart.data = [[row.figures[key] for row in stats.rows] for key in keys]
    chart.categoryAxis.categoryNames = [row.name for row in stats.rows]
    chart.categoryAxis.reverseDirection = True
    chart.categoryAxis.labels.fontName = CHINESE_FONT
    chart.categoryAxis.labels.fontSize = 9
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = CHINESE_FONT
    chart.valueAxis.labels.fontSize = 8
    _whole_numbers(chart, max((max(series, default=0) for series in chart.data), default=0))
    chart.barWidth = bar
    for index in range(len(keys)):
        chart.bars[index].fillColor = palette[index % len(palette)]
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = 10, 20
    legend.fontName = CHINESE_FONT
    legend.fontSize = 9
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.dx = legend.dy = 8
    legend.deltax = 110
    legend.colorNamePairs = [
        (palette[i % len(palette)], str(labels[key])) for i, key in enumerate(keys)
    ]
    drawing.add(legend)
    return drawing


def _whole_numbers(chart: HorizontalBarChart, top: int) -> None:
    """Counts are whole: ticks at whole steps, and an axis of at least 1 when all are zero."""
    chart.valueAxis.valueMax = max(top, 1)
    chart.valueAxis.valueStep = max(1, math.ceil(top / 5))
