from __future__ import annotations

from collections.abc import Mapping

from django.db import models
from django.utils.translation import gettext_lazy as _

from aduan.core import crypto
from aduan.core.fields import EncryptedTextField
from aduan.core.models import TimeStampedModel

# Identity field → (the column holding its keyed hash, the hash's purpose).
HASHED_FIELDS = {
    "phone": ("phone_hash", "phone"),
    "email": ("email_hash", "email"),
    "nik": ("nik_hash", "nik"),
    "messenger_id": ("messenger_hash", "messenger"),
}


def identity_hash(field: str, value: str) -> str:
    """The keyed hash stored beside an identity field (`value` already normalised); "" if empty."""
    _column, purpose = HASHED_FIELDS[field]
    return crypto.keyed_hash(value, purpose=purpose) if value else ""


def identity_hashes(identity: Mapping[str, str]) -> dict[str, str]:
    """The hash columns of a Complainant for a normalised identity (phone_hash, email_hash...)."""
    return {
        column: identity_hash(field, identity.get(field, ""))
        for field, (column, _p) in HASHED_FIELDS.items()
    }


class Complainant(TimeStampedModel):
    """The identity behind one complaint, kept apart from its text and encrypted at rest.

    Looked up only by keyed hash (phone, email, NIK, messenger id). Who may read it is decided
    by the privacy model (anonymous complaints: nobody but an admin after a logged reveal).
    """

    complaint = models.OneToOneField(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="complainant"
    )
    name = EncryptedTextField(_("name"), blank=True)
    phone = EncryptedTextField(_("phone (E.164)"), blank=True)
    email = EncryptedTextField(_("email"), blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    nik = EncryptedTextField(_("NIK"), blank=True)
    messenger_id = EncryptedTextField(
        _("messenger id"), blank=True, help_text=_("Telegram chat id and the like")
    )
    ip_address = EncryptedTextField(_("IP address"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    email_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    nik_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    messenger_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    consented_at = models.DateTimeField(
        _("consented to the privacy notice at"), null=True, blank=True
    )
    consent_version = models.CharField(_("privacy notice version"), max_length=20, blank=True)
    # Data-subject rights (UU 27/2022, S18).
    consent_withdrawn_at = models.DateTimeField(_("consent withdrawn at"), null=True, blank=True)
    erasure_requested_at = models.DateTimeField(_("deletion requested at"), null=True, blank=True)

    class Meta:
        verbose_name = _("complainant")
        verbose_name_plural = _("complainants")

    def __str__(self) -> str:
        return f"complainant #{self.pk}"

    @property
    def has_contact(self) -> bool:
        return bool(self.phone or self.email or self.messenger_id)
