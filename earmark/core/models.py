from __future__ import annotations

from django.db import models


class Sequence(models.Model):
    """The last number given out under a key (premises codes per county, document numbers per
    county and year): numbers are allocated under a row lock and never given out twice."""

    key = models.CharField(max_length=64, primary_key=True)
    last = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}:{self.last}"


class RequestKey(models.Model):
    """A write request already received under a key (the API's ``Idempotency-Key`` header, or a
    web form's one-time submission key) with what it answered, so that the same request sent
    again records nothing new and gets the same answer."""

    # Whose key: ``user:<id>`` or, on a farm's own pages, ``session:<key>``.
    scope = models.CharField(max_length=64)
    key = models.CharField(max_length=100)
    # What was asked (method, path, body), to refuse the same key for another request.
    fingerprint = models.CharField(max_length=64)
    completed = models.BooleanField(default=False)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(blank=True, default=b"")
    location = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="request_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"
