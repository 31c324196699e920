"""Reads of the rollout app beyond county progress, one module per concept: milestones and
statistics (figures per region for a period)."""
