"""Where the IMAP fetch has got to in each mailbox folder."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MailboxState(models.Model):
    """The last UID stored from one folder, valid while the folder keeps its UIDVALIDITY (a
    server that renumbers the folder changes UIDVALIDITY; we then read it again from the start,
    and the unique Message-ID of each stored mail prevents duplicates, S16)."""

    mailbox = models.CharField(_("mailbox"), max_length=255, unique=True)
    uidvalidity = models.BigIntegerField(_("UIDVALIDITY"), default=0)
    last_uid = models.BigIntegerField(_("last UID stored"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("mailbox state")
        verbose_name_plural = _("mailbox states")

    def __str__(self) -> str:
        return f"{self.mailbox} ({self.uidvalidity}:{self.last_uid})"
