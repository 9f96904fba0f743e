from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Clock(models.Model):
    """One run of a deadline clock: the Dinas's dispatch clock or an agency's response clock.

    The complaint row holds the current deadlines for queues; these rows are the history the
    performance indicators are computed from (R12, R25, R29, R34): when it started, when it was
    due, when it stopped and why, how many working days it took, whether target and deadline
    were met. `deadline_met` is authoritative: a clock stopped while paused (pending, then
    archived) is judged on the working days it had left when it was paused, and keeps the
    `due_at` it had before the pause.
    """

    class Kind(models.TextChoices):
        DISPATCH = "dispatch", _("dispatch (Dinas)")
        RESPONSE = "response", _("response (agency)")

    class StopReason(models.TextChoices):
        DISPATCHED = "dispatched", _("dispatched")
        RESPONDED = "responded", _("responded")
        RETURNED = "returned", _("returned")
        REDISPATCHED = "redispatched", _("dispatched elsewhere")
        ARCHIVED = "archived", _("archived")

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="clocks"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clocks",
    )
    started_at = models.DateTimeField(_("started"))
    allowance_working_days = models.PositiveSmallIntegerField(_("working days allowed"))
    target_at = models.DateTimeField(_("service target"), null=True, blank=True)
    due_at = models.DateTimeField(_("deadline"), null=True, blank=True)
    paused_at = models.DateTimeField(_("paused"), null=True, blank=True)
    remaining_working_days = models.SmallIntegerField(
        _("working days left when paused"), null=True, blank=True
    )
    stopped_at = models.DateTimeField(_("stopped"), null=True, blank=True)
    stop_reason = models.CharField(
        _("stopped because"), max_length=20, choices=StopReason.choices, blank=True
    )
    working_days_used = models.SmallIntegerField(_("working days used"), null=True, blank=True)
    target_met = models.BooleanField(_("target met"), null=True)
    deadline_met = models.BooleanField(_("deadline met"), null=True)
    target_passed_at = models.DateTimeField(
        _("target passed (reminder sent)"), null=True, blank=True
    )
    deadline_passed_at = models.DateTimeField(
        _("deadline passed (escalated)"), null=True, blank=True
    )

    class Meta:
        ordering = ["started_at", "id"]
        verbose_name = _("deadline clock")
        verbose_name_plural = _("deadline clocks")
        indexes = [
            models.Index(fields=["stopped_at", "due_at"], name="clock_running_due"),
            models.Index(fields=["stopped_at", "target_at"], name="clock_running_target"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint"],
                condition=models.Q(stopped_at__isnull=True),
                name="one_running_clock_per_complaint",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} clock of complaint {self.complaint_id}"

    @property
    def is_running(self) -> bool:
        return self.stopped_at is None and self.paused_at is None
