from __future__ import annotations

from django.db import models


class Sequence(models.Model):
    """The last number given out under a key (premises codes per county, document numbers per
    county and year): numbers are allocated under a row lock and never given out twice."""

    key = models.CharField(max_length=64, primary_key=True)
    last = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}:{self.last}"
