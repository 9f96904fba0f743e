"""Every message that arrives on a channel, kept as received before anything is done with it.

An adapter stores an `InboundRecord` first (in the same transaction that takes the message off
the provider: Gammu's inbox row marked processed, the IMAP UID remembered, the webhook
answered), then processes it. A crash between the two leaves a RECEIVED record that the
periodic sweep processes again; the unique (channel, provider message id) means a message
delivered twice is stored and processed once (S16). Sender, text and raw payload are
encrypted at rest (S1); the sender is looked up by keyed hash only.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from aduan.core import clock
from aduan.core.fields import EncryptedTextField


class InboundRecord(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("received, not processed yet")
        PROCESSED = "processed", _("processed")
        IGNORED = "ignored", _("ignored (auto-reply, bounce, unsupported)")
        REJECTED = "rejected", _("rejected (blocked or rate-limited sender)")
        FAILED = "failed", _("failed, needs a look")

    channel = models.CharField(_("channel"), max_length=20)
    provider_message_id = models.CharField(_("provider message id"), max_length=200)
    sender = EncryptedTextField(_("sender"), blank=True)
    sender_hash = models.CharField(_("sender hash"), max_length=64, blank=True, db_index=True)
    sender_name = EncryptedTextField(_("sender name"), blank=True)
    subject = EncryptedTextField(_("subject"), blank=True)
    text = EncryptedTextField(_("text"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    raw = EncryptedTextField(_("raw payload (JSON)"), blank=True)
    received_at = models.DateTimeField(_("received by the provider"))
    stored_at = models.DateTimeField(_("stored"), default=clock.now, db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    action = models.CharField(_("action"), max_length=30, blank=True)
    complaint = models.ForeignKey(
        "complaints.Complaint",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inbound_records",
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["stored_at", "id"]
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "provider_message_id"], name="inbound_record_unique"
            )
        ]
        indexes = [models.Index(fields=["status", "stored_at"], name="inbound_due")]

    def __str__(self) -> str:
        return f"{self.channel}:{self.provider_message_id} ({self.status})"


class InboundRecordAttachment(models.Model):
    """A file that came with an inbound message, kept until the message is processed (then
    it becomes the complaint's upload, re-checked like any upload: S4, S10)."""

    record = models.ForeignKey(InboundRecord, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()

    def __str__(self) -> str:
        return self.filename


class SenderBlock(models.Model):
    """A sender an admin blocked (abuse): their messages are kept, REJECTED, and never answered.

    The address itself is not stored: only its keyed hash (the same for SMS and WhatsApp, since
    both are the phone number) and a masked form for the list (+62812****789)."""

    ALL_CHANNELS = "*"

    channel = models.CharField(
        _("channel"), max_length=20, help_text=_('"*" blocks the address on every channel')
    )
    address_hash = models.CharField(_("address hash"), max_length=64, db_index=True)
    masked_address = models.CharField(_("address (masked)"), max_length=60)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=clock.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("blocked sender")
        verbose_name_plural = _("blocked senders")
        constraints = [
            models.UniqueConstraint(fields=["channel", "address_hash"], name="sender_block_unique")
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.masked_address}"
