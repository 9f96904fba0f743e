"""Credentials for the machine interfaces (issue 6): integrator API keys (REST integrator scope,
Open311 POST) and staff API tokens. Only a keyed hash of a secret is stored; the secret is shown
once when it is created. Both are revocable and scoped."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from aduan.core.models import TimeStampedModel


class Scope(models.TextChoices):
    """What a credential may do."""

    SUBMIT = "submit", _("Submit complaints (REST and Open311)")
    READ_PUBLIC = "read_public", _("Read public data at a higher rate")
    STAFF_READ = "staff_read", _("Staff: read queues and complaints")
    STAFF_ACT = "staff_act", _("Staff: perform workflow actions")


class ApiKey(TimeStampedModel):
    """An integrator's key (another agency's system, a civic-tech app, an Open311 client)."""

    name = models.CharField(_("name"), max_length=120)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("key starts with"), max_length=12, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    rate_per_minute = models.PositiveIntegerField(_("requests per minute"), default=60)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class StaffToken(TimeStampedModel):
    """A staff member's personal API token (only for users enrolled in two-factor)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=120)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("token starts with"), max_length=12, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("staff API token")
        verbose_name_plural = _("staff API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
