"""The rollout's API: the counties' switch-on, milestones, terminals, training, statistics and
bulletins (``rollout``), and the province's supervision (``supervision``)."""

from __future__ import annotations

from earmark.rollout.api.bulletins import bulletins_router
from earmark.rollout.api.rollout import router
from earmark.rollout.api.supervision import supervision_router

__all__ = ["bulletins_router", "router", "supervision_router"]
