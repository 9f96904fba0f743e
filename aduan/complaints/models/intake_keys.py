from __future__ import annotations

from django.db import models

from aduan.core import clock


class InboundKey(models.Model):
    """Makes intake idempotent (S16): the same (source, key) never creates a second complaint.

    `source` is a channel or API client; `key` the provider's message id or an Idempotency-Key.
    `fingerprint` tells a retry (same content) from a reused key (different content).
    """

    source = models.CharField(max_length=60)
    key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)
    complaint = models.ForeignKey(
        "complaints.Complaint", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "key"], name="inbound_key_unique")]

    def __str__(self) -> str:
        return f"{self.source}:{self.key}"
