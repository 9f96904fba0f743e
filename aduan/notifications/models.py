from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from aduan.core import clock
from aduan.core.fields import EncryptedTextField


class OutboxMessage(models.Model):
    """One message to send, written in the same transaction as the change that causes it (S17).

    Delivery is at-least-once: a worker claims a row (so two workers never send it at the same
    time), sends, and records the result; a crash after sending and before recording may send
    it again, so the idempotency key travels with the message (e.g. as the email Message-ID).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        DEAD = "dead", _("failed for good (dead letter)")
        CANCELLED = "cancelled", _("cancelled")

    class Channel(models.TextChoices):
        EMAIL = "email", _("email")
        SMS = "sms", _("SMS")
        WHATSAPP = "whatsapp", _("WhatsApp")
        TELEGRAM = "telegram", _("Telegram")
        CONSOLE = "console", _("log only")

    created_at = models.DateTimeField(_("created"), default=clock.now, db_index=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    template = models.CharField(_("template"), max_length=60)
    language = models.CharField(_("language"), max_length=8, default="id")
    context = models.JSONField(_("context"), default=dict, blank=True)
    complaint = models.ForeignKey(
        "complaints.Complaint",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outbox_messages",
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_complainant = models.BooleanField(
        _("to the complainant"),
        default=False,
        help_text=_(
            "The address is read from the complainant's identity when sending, never copied here."
        ),
    )
    address = EncryptedTextField(_("address"), blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("maximum attempts"), default=8)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=clock.now)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    claimed_by = models.CharField(_("claimed by"), max_length=100, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    provider_message_id = models.CharField(_("provider message id"), max_length=200, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    # What the channel later reported about the sent message (Gammu's sentitems, a WhatsApp
    # status webhook, an SMS gateway's delivery report): "delivered", "read", "failed", ...
    delivery_status = models.CharField(_("delivery status"), max_length=20, blank=True)
    delivery_updated_at = models.DateTimeField(_("delivery status updated"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["channel", "provider_message_id"], name="outbox_provider_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(to_user__isnull=False)
                | models.Q(to_complainant=True)
                | ~models.Q(address=""),
                name="outbox_has_recipient",
            )
        ]

    def __str__(self) -> str:
        return f"{self.template} via {self.channel} ({self.status})"
