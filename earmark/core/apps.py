from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "earmark.core"
    label = "core"

    def ready(self) -> None:
        from earmark.core.species import connect_signals

        connect_signals(self)
