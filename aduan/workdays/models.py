from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from aduan.core.models import TimeStampedModel


class Holiday(TimeStampedModel):
    """A non-working day the admins maintain: cuti bersama, local days, and corrections.

    National holidays also come from the `holidays` package; a row here with `is_active=False`
    switches a package date off (e.g. a cuti bersama cancelled by a revised SKB).
    """

    class Kind(models.TextChoices):
        NATIONAL = "national", _("national holiday")
        JOINT_LEAVE = "joint_leave", _("joint leave (cuti bersama)")
        LOCAL = "local", _("local holiday")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    is_active = models.BooleanField(
        _("non-working day"),
        default=True,
        help_text=_(
            "Untick to make this date a working day even if the national calendar says otherwise."
        ),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"
