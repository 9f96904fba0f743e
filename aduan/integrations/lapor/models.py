from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from aduan.core import clock


class SyncState(models.Model):
    """Where the import of forwarded reports stands (one row per connector, `name`)."""

    name = models.CharField(_("name"), max_length=40, unique=True, default="forwarded")
    cursor = models.DateTimeField(_("imported up to"), null=True, blank=True)
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last successful run"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    imported_total = models.PositiveIntegerField(_("reports imported"), default=0)

    class Meta:
        verbose_name = _("LAPOR! synchronisation")
        verbose_name_plural = _("LAPOR! synchronisations")

    def __str__(self) -> str:
        return f"LAPOR! sync {self.name}"


class Link(models.Model):
    """A complaint's identifiers on LAPOR!: imported from it (inbound) or forwarded up to it
    (outbound). The tracking id is also kept in Complaint.national_reference."""

    class Direction(models.TextChoices):
        INBOUND = "inbound", _("forwarded to us by LAPOR!")
        OUTBOUND = "outbound", _("forwarded up to LAPOR!")

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="lapor_links"
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    tracking_id = models.CharField(_("LAPOR! tracking id"), max_length=64)
    transaction_id = models.CharField(_("LAPOR! transaction id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), default=clock.now)

    class Meta:
        verbose_name = _("LAPOR! link")
        verbose_name_plural = _("LAPOR! links")
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "direction"], name="lapor_link_one_per_direction"
            ),
            models.UniqueConstraint(
                fields=["direction", "tracking_id"], name="lapor_link_tracking_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.direction} {self.tracking_id}"
