"""Charts drawn on the server with ReportLab's graphics: the same drawing goes into a page as
SVG and into a PDF."""

from __future__ import annotations

import math
import re
from typing import Any

from django.utils.translation import gettext as _
from reportlab.graphics import renderSVG
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors

from earmark.core.fonts import SANS, register
from earmark.rollout.models import Stage
from earmark.rollout.selectors.milestones import Board
from earmark.rollout.selectors.statistics import FIGURES, Statistics

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
    data = [
        [sum(1 for row in city.counties if low <= row.progress.stage <= high) for city in cities]
        for low, high, _colour in GROUPS
    ]
    top = max((sum(column) for column in zip(*data, strict=True)), default=0)
    legend = [
        (GROUPS[0][2], _("Preparing")),
        (GROUPS[1][2], str(Stage.REQUESTED.label)),
        (GROUPS[2][2], str(Stage.ENABLED.label)),
        (GROUPS[3][2], str(Stage.ACCEPTED.label)),
    ]
    return _bars([c.name for c in cities], data, legend, width, bar=18, stacked=True, top=top)


def figures_chart(stats: Statistics, keys: list[str], width: int = 360) -> Drawing:
    """One group of bars per region for the figures ``keys``."""
    labels = dict(FIGURES)
    palette = [colors.HexColor("#4c8bd6"), colors.HexColor("#2f8f5b"), colors.HexColor("#f2c14e")]
    data = [[row.figures[key] for row in stats.rows] for key in keys]
    top = max((max(series, default=0) for series in data), default=0)
    legend = [(palette[i % len(palette)], str(labels[key])) for i, key in enumerate(keys)]
    return _bars(
        [row.name for row in stats.rows], data, legend, width, bar=8, stacked=False, top=top
    )


def _bars(
    names: list[str],
    data: list[list[int]],
    legend: list[tuple[Any, str]],
    width: int,
    *,
    bar: int,
    stacked: bool,
    top: int,
) -> Drawing:
    """Horizontal bars, one row per name, whole-number ticks and a legend underneath."""
    per_row = bar + 8 if stacked else bar * len(data) + 8
    height = max(len(names), 1) * per_row + 70
    register()
    drawing = Drawing(width, height)
    drawing.initialFontName = SANS  # else the PDF names Helvetica, which it does not embed
    chart = HorizontalBarChart()
    chart.x, chart.y = 80, 50
    chart.width, chart.height = width - 100, height - 60
    chart.data = data
    chart.categoryAxis.categoryNames = names
    if stacked:
        chart.categoryAxis.style = "stacked"
    chart.categoryAxis.reverseDirection = True
    chart.categoryAxis.labels.fontName = SANS
    chart.categoryAxis.labels.fontSize = 9
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = SANS
    chart.valueAxis.labels.fontSize = 8
    # Counts are whole: ticks at whole steps, and an axis of at least 1 when all are zero.
    chart.valueAxis.valueMax = max(top, 1)
    chart.valueAxis.valueStep = max(1, math.ceil(top / 5))
    chart.barWidth = bar
    for index, (colour, _label) in enumerate(legend):
        chart.bars[index].fillColor = colour
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    key = Legend()
    key.x, key.y = 10, 20
    key.fontName = SANS
    key.fontSize = 9
    key.alignment = "right"
    key.columnMaximum = 1
    key.dx = key.dy = 8
    key.deltax = 110 if not stacked else 80
    key.colorNamePairs = legend
    drawing.add(key)
    return drawing


_STYLE = re.compile(r'style="([^"]*)"')


def _attributes(match: re.Match[str]) -> str:
    """``style="fill: red; stroke: none"`` as ``fill="red" stroke="none"``: presentation
    attributes, which the pages' Content-Security-Policy allows (inline styles it does not)."""
    pairs = (part.split(":", 1) for part in match.group(1).split(";") if ":" in part)
    return " ".join(f'{name.strip()}="{value.strip()}"' for name, value in pairs)


def svg(drawing: Drawing) -> str:
    """The drawing as inline SVG, scaling to its container, in the page's own font."""
    text = renderSVG.drawToString(drawing)
    text = text[text.index("<svg") :]
    text = text.replace(f"font-family: {SANS}", "font-family: sans-serif").replace(
        f"font-family:{SANS}", "font-family:sans-serif"
    )
    return _STYLE.sub(_attributes, text)
