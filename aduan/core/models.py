from django.db import models
from django.utils.translation import gettext_lazy as _

from . import clock


class TimeStampedModel(models.Model):
    # A default rather than auto_now_add, so replayed history (demo data) keeps its times.
    created_at = models.DateTimeField(
        _("created at"), default=clock.now, db_index=True, editable=False
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class RateCounter(models.Model):
    """One fixed-window counter of the rate limiter (S7). Keys are keyed hashes, never an IP or
    a phone number in clear."""

    key = models.CharField(max_length=120, unique=True)
    window_ends_at = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")

    def __str__(self) -> str:
        return f"{self.key}={self.count}"
