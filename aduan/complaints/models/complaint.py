from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aduan.core import clock
from aduan.core.fields import EncryptedTextField

from ..workflow.states import ArchiveReason, Status


class Kind(models.TextChoices):
    """LAPOR!'s classification (R1)."""

    COMPLAINT = "complaint", _("Complaint")
    ASPIRATION = "aspiration", _("Aspiration")
    INFORMATION_REQUEST = "information_request", _("Information request")


class Ground(models.TextChoices):
    """What a complaint is about, Pasal 3(1) (R2)."""

    BELOW_STANDARD = "below_standard", _("Service below the service standard")
    NEGLECT = "neglect", _("Neglect of duty")
    VIOLATION = "violation", _("Violation of a prohibition")


class Channel(models.TextChoices):
    """Where a complaint came in (R9, R10, R23)."""

    WEB = "web", _("Website")
    APP = "app", _("Android/iOS app")
    SMS = "sms", _("SMS 1708")
    EMAIL = "email", _("Email")
    WHATSAPP = "whatsapp", _("WhatsApp")
    TELEGRAM = "telegram", _("Telegram")
    SOCIAL_MEDIA = "social_media", _("Social media")
    CALL_CENTER = "call_center", _("Call center")
    COMPLAINT_BOX = "complaint_box", _("Complaint box")
    WALK_IN = "walk_in", _("Walk-in")
    NATIONAL_LAPOR = "national_lapor", _("National LAPOR!-SP4N")


class Resolution(models.TextChoices):
    """The handling result (hasil penanganan) the agency records with its response (Pasal 12)."""

    RESOLVED = "resolved", _("Resolved")
    SCHEDULED = "scheduled", _("Scheduled / in the plan")
    PARTIAL = "partial", _("Partly resolved")
    INFORMATION_GIVEN = "information_given", _("Information given")
    NOT_SUBSTANTIATED = "not_substantiated", _("Not substantiated")
    NOT_POSSIBLE = "not_possible", _("Cannot be acted on (with reasons)")


class CloseReason(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed by the complainant")
    NO_REPLY = "no_reply", _("No reply within 10 days of the response")


class ComplaintQuerySet(models.QuerySet["Complaint"]):
    def open(self) -> ComplaintQuerySet:
        return self.exclude(status__in=[Status.CLOSED, Status.ARCHIVED])

    def overdue(self, at: dt.datetime | None = None) -> ComplaintQuerySet:
        """Past a deadline of the current stage: dispatch (Dinas) or response (agency)."""
        moment = at or clock.now()
        return self.filter(
            Q(status__in=[Status.RECEIVED, Status.RETURNED], dispatch_due_at__lt=moment)
            | Q(status__in=[Status.DISPATCHED, Status.IN_PROGRESS], response_due_at__lt=moment)
        )

    def public(self) -> ComplaintQuerySet:
        """Complaints that may appear on the public portal: not confidential (rahasia)."""
        return self.filter(private=False).exclude(status=Status.ARCHIVED)

    def published(self) -> ComplaintQuerySet:
        """Public complaints whose moderated text was approved for publication (Pasal 4(3))."""
        return self.public().filter(published=True)


class Complaint(models.Model):
    """A complaint, aspiration or information request, from any channel (Pasal 6)."""

    tracking_code = models.CharField(_("tracking code"), max_length=24, unique=True)
    access_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    access_token = EncryptedTextField(
        editable=False, help_text="Sent to the complainant; looked up by hash"
    )

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, default=Kind.COMPLAINT)
    ground = models.CharField(
        _("ground (Pasal 3(1))"), max_length=24, choices=Ground.choices, blank=True
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("what happened"))
    event_date = models.DateField(_("date of the event"), null=True, blank=True)
    region = models.ForeignKey(
        "agencies.Region",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    location_text = models.CharField(_("location"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=8, default="id")

    category = models.ForeignKey(
        "agencies.Category",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    lead_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("lead agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_complaints",
    )
    co_agencies = models.ManyToManyField(
        "agencies.Agency", verbose_name=_("co-agencies"), blank=True, related_name="co_complaints"
    )
    suggested_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("suggested agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The agency suggested by the agency that returned the complaint."),
    )

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    status_changed_at = models.DateTimeField(_("status changed at"), default=clock.now)

    anonymous = models.BooleanField(
        _("anonymous"), default=False, help_text=_("Identity hidden from agencies and the public.")
    )
    private = models.BooleanField(
        _("confidential"), default=False, help_text=_("Never shown on the public portal.")
    )
    protection_requested = models.BooleanField(_("protection requested"), default=False)

    # Moderation for the public portal (Pasal 4(3)): until a report is approved, the public sees
    # only its category, area and state. The public text is an edited copy; `title`/`body` stay
    # as the complainant wrote them.
    published = models.BooleanField(_("approved for publication"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    public_title = models.CharField(_("public title"), max_length=200, blank=True)
    public_body = models.TextField(_("public text"), blank=True)

    cause = models.ForeignKey(
        "agencies.Cause",
        verbose_name=_("cause"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolution = models.CharField(
        _("handling result"), max_length=24, choices=Resolution.choices, blank=True
    )
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (1-5)"), null=True, blank=True)
    satisfaction_comment = models.TextField(_("complainant's comment"), blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)

    received_at = models.DateTimeField(_("received at"), default=clock.now)
    first_dispatched_at = models.DateTimeField(_("first dispatched at"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    first_responded_at = models.DateTimeField(_("first responded at"), null=True, blank=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    close_reason = models.CharField(
        _("close reason"), max_length=20, choices=CloseReason.choices, blank=True
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    archive_reason = models.CharField(
        _("archive reason"), max_length=20, choices=ArchiveReason.choices, blank=True
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    forwarded_to = models.CharField(_("forwarded to"), max_length=300, blank=True)
    related = models.ManyToManyField(
        "self", verbose_name=_("related complaints"), blank=True, symmetrical=True
    )
    follow_up_count = models.PositiveSmallIntegerField(_("follow-ups"), default=0)

    # The deadlines of the current stage (the history of every clock is in Clock).
    dispatch_due_at = models.DateTimeField(_("dispatch due"), null=True, blank=True)
    response_target_at = models.DateTimeField(_("response target"), null=True, blank=True)
    response_due_at = models.DateTimeField(_("response due"), null=True, blank=True)
    autoclose_at = models.DateTimeField(_("closes automatically at"), null=True, blank=True)
    autoarchive_at = models.DateTimeField(_("archived automatically at"), null=True, blank=True)

    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by (operator)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    national_reference = models.CharField(
        _("national LAPOR! reference"), max_length=64, blank=True, db_index=True
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [
            models.Index(fields=["status", "dispatch_due_at"], name="complaint_dispatch_queue"),
            models.Index(
                fields=["lead_agency", "status", "response_due_at"], name="complaint_agency_queue"
            ),
            models.Index(fields=["status", "autoclose_at"], name="complaint_autoclose"),
            models.Index(fields=["status", "autoarchive_at"], name="complaint_autoarchive"),
            models.Index(fields=["received_at"], name="complaint_received"),
            models.Index(
                fields=["private", "published", "received_at"], name="complaint_public_list"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True)
                | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="satisfaction_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(ground="") | Q(kind="complaint"), name="ground_only_for_complaints"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status not in (Status.CLOSED, Status.ARCHIVED)

    def is_overdue(self, at: dt.datetime | None = None) -> bool:
        moment = at or clock.now()
        if self.status in (Status.RECEIVED, Status.RETURNED):
            return self.dispatch_due_at is not None and moment > self.dispatch_due_at
        if self.status in (Status.DISPATCHED, Status.IN_PROGRESS):
            return self.response_due_at is not None and moment > self.response_due_at
        return False
