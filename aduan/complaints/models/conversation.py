from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from aduan.core.models import TimeStampedModel


class Message(TimeStampedModel):
    """One entry of the conversation between the complainant and the Dinas/agency, or an
    internal note (never shown to the complainant)."""

    class Kind(models.TextChoices):
        QUESTION = "question", _("Question to the complainant")
        SUPPLEMENT = "supplement", _("Supplement from the complainant")
        RESPONSE = "response", _("Response")
        FOLLOW_UP = "follow_up", _("Follow-up from the complainant")
        FROM_COMPLAINANT = "from_complainant", _("Message from the complainant")
        TO_COMPLAINANT = "to_complainant", _("Message to the complainant")
        NOTE = "note", _("Internal note")

    INTERNAL_KINDS = frozenset({Kind.NOTE})
    FROM_COMPLAINANT_KINDS = frozenset({Kind.SUPPLEMENT, Kind.FOLLOW_UP, Kind.FROM_COMPLAINANT})

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="messages"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    body = models.TextField(_("text"))
    channel = models.CharField(_("channel"), max_length=20, blank=True)
    cause = models.ForeignKey(
        "agencies.Cause", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolution = models.CharField(_("handling result"), max_length=24, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_internal(self) -> bool:
        return self.kind in self.INTERNAL_KINDS

    @property
    def from_complainant(self) -> bool:
        return self.kind in self.FROM_COMPLAINANT_KINDS


def attachment_path(instance: Attachment, filename: str) -> str:
    """Server-side, unguessable names; the original name is kept in the row, not the path (S4, S10)."""
    return f"attachments/{secrets.token_hex(2)}/{secrets.token_urlsafe(24)}"


def upload_path(instance: Upload, filename: str) -> str:
    return f"uploads/{secrets.token_hex(2)}/{secrets.token_urlsafe(24)}"


class Attachment(TimeStampedModel):
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="attachments"
    )
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_internal = models.BooleanField(_("internal"), default=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Upload(TimeStampedModel):
    """A file already checked and re-encoded, waiting for its form to be submitted.

    A form with an error keeps what was typed *and* the files (issue 3): the files are stored
    here, owned by a keyed hash of the browser session, and become Attachments in the
    submission's transaction. Unclaimed uploads are purged after a day.
    """

    owner = models.CharField(max_length=64, db_index=True, editable=False)
    file = models.FileField(upload_to=upload_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64, editable=False)
    # The position found in a photo's EXIF before it was stripped, used only if the
    # complainant chooses to share the location.
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("upload")
        verbose_name_plural = _("uploads")

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
