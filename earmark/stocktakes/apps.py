from __future__ import annotations

from django.apps import AppConfig


class StocktakesConfig(AppConfig):
    name = "earmark.stocktakes"
    label = "stocktakes"
