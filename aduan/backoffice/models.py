"""What the back-office keeps besides complaints: response templates, saved filters, and
responses waiting for the agency head's approval (the annex's "consult the head")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from aduan.core.fields import EncryptedTextField
from aduan.core.models import TimeStampedModel


class ResponseTemplate(TimeStampedModel):
    """A starting text for a response, per category (or for all when category is empty)."""

    category = models.ForeignKey(
        "agencies.Category",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="response_templates",
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="response_templates",
        help_text=_("Empty: available to every agency."),
    )
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("response template")
        verbose_name_plural = _("response templates")

    def __str__(self) -> str:
        return self.title


class SavedFilter(TimeStampedModel):
    """A named complaint-list filter (its query string) a staff member keeps."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters"
    )
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(_("filter"), max_length=1000)

    class Meta:
        ordering = ["name"]
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_filter_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class ResponseDraft(TimeStampedModel):
    """A liaison's response waiting for the agency head (Agency.requires_head_approval).

    Approving it performs the `respond` transition with this text; rejecting it sends it back
    with the head's note. Only one draft per complaint waits at a time.
    """

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for the head")
        APPROVED = "approved", _("Approved and sent")
        REJECTED = "rejected", _("Sent back")

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="response_drafts"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("text"))
    cause = models.ForeignKey(
        "agencies.Cause", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolution = models.CharField(_("handling result"), max_length=24, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.WAITING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("head's note"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("response draft")
        verbose_name_plural = _("response drafts")
        constraints = [
            models.UniqueConstraint(
                fields=["complaint"],
                condition=models.Q(status="waiting"),
                name="one_waiting_draft_per_complaint",
            )
        ]

    def __str__(self) -> str:
        return f"draft #{self.pk}"


class SocialPost(TimeStampedModel):
    """The social-media post a complaint was entered from (issue 5): the platforms' APIs are
    gated, so the Dinas admin copies the post into the operator intake by hand.

    The URL may identify the author: it is encrypted at rest, looked up by keyed hash only (to
    warn about the same post entered twice), shown to the staff who may see the complainant's
    identity, and never published (S1, S22). The author's handle is the complainant's messenger
    id ("instagram:@handle"), the post's text the complaint's body, its time the receipt time.
    """

    class Platform(models.TextChoices):
        FACEBOOK = "facebook", _("Facebook")
        INSTAGRAM = "instagram", _("Instagram")
        X = "x", _("X (Twitter)")
        TIKTOK = "tiktok", _("TikTok")
        YOUTUBE = "youtube", _("YouTube")
        OTHER = "other", _("Other")

    complaint = models.OneToOneField(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="social_post"
    )
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    url = EncryptedTextField(_("post URL"), blank=True)
    url_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    class Meta:
        verbose_name = _("social-media post")
        verbose_name_plural = _("social-media posts")

    def __str__(self) -> str:
        return f"{self.platform} post of complaint #{self.complaint_id}"
