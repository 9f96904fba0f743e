from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class DeadlinePolicy(models.Model):
    """The deployment's deadlines (one row, editable by admins). Defaults: Perbup Buton 15/2019
    as REGULATION.md reconciles it."""

    dispatch_working_days = models.PositiveSmallIntegerField(
        _("dispatch within (working days)"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("Pasal 11(2)c: 2 working days of receipt."),
    )
    response_target_working_days = models.PositiveSmallIntegerField(
        _("response service target (working days)"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Annex: deliver the follow-up within 2 working days."),
    )
    response_deadline_working_days = models.PositiveSmallIntegerField(
        _("response deadline (working days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Pasal 11(3)d: 7 working days of dispatch."),
    )
    autoclose_days = models.PositiveSmallIntegerField(
        _("close after response (calendar days)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("Pasal 11(3): closed 10 days after the response without a reply."),
    )
    autoarchive_pending_days = models.PositiveSmallIntegerField(
        _("archive pending without reply (calendar days)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )

    class Meta:
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policy")

    def __str__(self) -> str:
        return str(_("Deadline policy"))

    def save(self, *args: object, **kwargs: object) -> None:
        self.pk = 1
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @classmethod
    def current(cls) -> DeadlinePolicy:
        policy, _created = cls.objects.get_or_create(pk=1)
        return policy
