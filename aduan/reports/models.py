"""Monitoring and evaluation (Pasal 7(4)a, 12, 13; issue 7): targets per indicator set by the
chair for a period, for all agencies or one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aduan.core.models import TimeStampedModel


class Indicator(models.TextChoices):
    """The performance indicators of issue 7 (each has a direction: higher or lower is better)."""

    DISPATCHED_ON_TIME = "dispatched_on_time", _("Share dispatched within 2 working days")
    ANSWERED_BY_TARGET = "answered_by_target", _("Share answered within the 2-working-day target")
    ANSWERED_BY_DEADLINE = (
        "answered_by_deadline",
        _("Share answered within the 7-working-day deadline"),
    )
    MEDIAN_DAYS = "median_days", _("Median working days to answer")
    P90_DAYS = "p90_days", _("90th percentile of working days to answer")
    CLOSED_WITHOUT_FOLLOW_UP = "closed_without_follow_up", _("Share closed without a follow-up")
    SATISFACTION = "satisfaction", _("Average satisfaction (1-5)")
    RETURNED = "returned", _("Share returned for wrong dispatch")


LOWER_IS_BETTER = frozenset({Indicator.MEDIAN_DAYS, Indicator.P90_DAYS, Indicator.RETURNED})


class Target(TimeStampedModel):
    """A target for one indicator over a period, for every agency (agency empty) or one.

    Green when the target is met; amber when within `amber_margin` of it; red otherwise. An
    agency-specific target overrides the all-agencies one for the same indicator and period.
    """

    indicator = models.CharField(_("indicator"), max_length=32, choices=Indicator.choices)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="targets",
        help_text=_("Empty: the target for every agency."),
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    value = models.DecimalField(_("target"), max_digits=7, decimal_places=2)
    amber_margin = models.DecimalField(
        _("amber margin"),
        max_digits=7,
        decimal_places=2,
        default=0,
        help_text=_("How far from the target is still amber rather than red."),
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["period_start", "indicator"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="target_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()} {self.value}"


# --- the written report to the Bupati (Pasal 12; issue 7) -------------------------------------


class PeriodKind(models.TextChoices):
    MONTH = "month", _("month")
    QUARTER = "quarter", _("quarter")
    SEMESTER = "semester", _("semester")
    YEAR = "year", _("year")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    ISSUED = "issued", _("issued")


class IssuedReportImmutable(Exception):
    """An issued report is archived unchanged: no field may change and it is never deleted."""


class IssuedReport(TimeStampedModel):
    """One written report for a period: a draft the chair annotates, then issued — the PDF, XLSX
    and CSV generated once and stored with their SHA-256, so every later download is the same
    bytes (Pasal 12). `agency` empty: the regency-wide report to the Regent; set: the same report
    restricted to the complaints that agency leads (S3: only its head and liaisons, the
    coordination team, the regent and the admin see it). At most one report per period kind and
    start for the regency, and one per agency (the monthly auto-issue relies on it to run once)."""

    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the whole regency."),
    )
    period_kind = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    narrative = models.TextField(_("notes"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="laporan/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    xlsx = models.FileField(_("XLSX"), upload_to="laporan/", blank=True)
    xlsx_sha256 = models.CharField(max_length=64, blank=True)
    csv = models.FileField(_("CSV (zip)"), upload_to="laporan/", blank=True)
    csv_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-period_start", "period_kind"]
        verbose_name = _("written report")
        verbose_name_plural = _("written reports")
        constraints = [
            models.UniqueConstraint(
                fields=["period_kind", "period_start"],
                condition=Q(agency__isnull=True),
                name="report_one_per_period",
            ),
            models.UniqueConstraint(
                fields=["agency", "period_kind", "period_start"],
                condition=Q(agency__isnull=False),
                name="report_one_per_period_agency",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="report_period_order"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(issued_at__isnull=False) & ~Q(pdf_sha256="")),
                name="report_issued_complete",
            ),
        ]

    def __str__(self) -> str:
        base = f"{self.get_period_kind_display()} {self.period_start:%Y-%m-%d}"
        return f"{base} #{self.agency_id}" if self.agency_id else base

    @property
    def is_issued(self) -> bool:
        return self.status == ReportStatus.ISSUED

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            stored = (
                IssuedReport.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            )
            if stored == ReportStatus.ISSUED:
                raise IssuedReportImmutable(str(self))
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        if self.is_issued:
            raise IssuedReportImmutable(str(self))
        return super().delete(*args, **kwargs)  # type: ignore[arg-type]
