from __future__ import annotations

from django.apps import AppConfig


class TraceConfig(AppConfig):
    name = "earmark.trace"
    label = "trace"
