"""`manage.py channels_check email`: log in to the IMAP mailbox and connect to the SMTP server."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import get_connection

from aduan.intake.checks import register_check

from .fetch import imap_connect


@register_check("email")
def email_check() -> str | None:
    if not settings.ADUAN_IMAP_HOST:
        return None
    folder = settings.ADUAN_IMAP_FOLDER
    with imap_connect() as mailbox:
        status = mailbox.folder.status(folder, ["MESSAGES", "UNSEEN"])
    parts = [
        f"IMAP {settings.ADUAN_IMAP_HOST}:{settings.ADUAN_IMAP_PORT} {folder}: "
        f"{status.get('MESSAGES', 0)} mails, {status.get('UNSEEN', 0)} unread"
    ]
    connection = get_connection(fail_silently=False)
    if connection.__class__.__module__ == "django.core.mail.backends.smtp":
        connection.open()  # raises when the server cannot be reached or refuses the login
        connection.close()
        parts.append(f"SMTP {settings.EMAIL_HOST}:{settings.EMAIL_PORT} ok")
    else:
        parts.append(f"SMTP not used (EMAIL_BACKEND {settings.EMAIL_BACKEND})")
    return "; ".join(parts)
