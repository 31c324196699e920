"""The rollout's pages: the dashboard, counties, terminals, training, statistics and bulletins
(``rollout``), and the province's supervision (``supervision``)."""

from __future__ import annotations

from earmark.rollout.views.bulletins import bulletin, bulletin_pdf, bulletins
from earmark.rollout.views.rollout import (
    county_action,
    dashboard,
    statistics_export,
    statistics_page,
    terminals,
    trainings,
)
from earmark.rollout.views.supervision import (
    inspection_page,
    inspections_page,
    organisation_page,
    progress_page,
    progress_round,
)

__all__ = [
    "bulletin",
    "bulletin_pdf",
    "bulletins",
    "county_action",
    "dashboard",
    "inspection_page",
    "inspections_page",
    "organisation_page",
    "progress_page",
    "progress_round",
    "statistics_export",
    "statistics_page",
    "terminals",
    "trainings",
]
