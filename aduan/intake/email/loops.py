"""Mail that must never be answered: auto-replies, bounces, mailing lists and our own mail.

Answering an out-of-office reply with a receipt, which gets another out-of-office reply, is how
mail loops start. Such mail is stored (nothing is lost) as IGNORED and never replied to (S17):
RFC 3834 `Auto-Submitted` other than "no", `Precedence: bulk/junk/list/auto_reply`, an empty
`Return-Path: <>` (RFC 5321 null sender: bounces and DSNs), `X-Autoreply`/`X-Autorespond`,
mailing-list headers (`List-Id`, `List-Unsubscribe`), Outlook's auto-replies
(`X-Auto-Response-Suppress` with an "Automatic reply"/"Out of Office" subject), the
mailer-daemon/postmaster senders, `multipart/report` delivery reports and mail from our own
addresses or with our own Message-ID.
"""

from __future__ import annotations

import re
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr

from django.conf import settings

_AUTO_SUBJECT = re.compile(
    r"^\s*(automatic reply|auto[- ]?reply|autoreply|out of (the )?office|balasan otomatis"
    r"|sedang di luar kantor|di luar kantor|undeliverable|delivery status notification)\b",
    re.IGNORECASE,
)
_DAEMONS = {"mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon", "noreply-dmarc-support"}


def _header(message: EmailMessage, name: str) -> str:
    try:
        value = message.get(name)
    except Exception:  # a malformed header value (the policy parses it on access)
        value = next((v for k, v in message.raw_items() if k.lower() == name.lower()), "")
    return str(value or "").strip()


def own_addresses() -> set[str]:
    addresses = {
        parseaddr(settings.DEFAULT_FROM_EMAIL)[1],
        parseaddr(settings.SERVER_EMAIL)[1],
        settings.ADUAN_EMAIL_REPLY_TO,
        settings.ADUAN_IMAP_USER if "@" in settings.ADUAN_IMAP_USER else "",
    }
    return {address.strip().lower() for address in addresses if address and "@" in address}


def loop_reason(message: EmailMessage, sender: str) -> str:
    """Why this mail must not be answered ("" when it may be)."""
    auto_submitted = _header(message, "Auto-Submitted").split(";")[0].strip().lower()
    if auto_submitted and auto_submitted != "no":
        return f"auto-submitted: {auto_submitted}"[:30]
    precedence = _header(message, "Precedence").lower()
    if precedence in {"bulk", "junk", "list", "auto_reply", "auto-reply"}:
        return f"precedence: {precedence}"
    return_paths = [_header(message, "Return-Path")] if message.get("Return-Path") else []
    if any(re.fullmatch(r"<\s*>", path) for path in return_paths):
        return "bounce: null return-path"
    if message.get_content_type() == "multipart/report":
        return "bounce: delivery report"
    for name in ("X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-Auto-Reply"):
        if message.get(name) is not None:
            return "auto-reply"
    if message.get("List-Id") is not None or message.get("List-Unsubscribe") is not None:
        return "mailing list"
    if message.get("X-Auto-Response-Suppress") is not None and _AUTO_SUBJECT.match(
        _header(message, "Subject")
    ):
        return "auto-reply (outlook)"
    local = sender.split("@", 1)[0].lower()
    if local in _DAEMONS:
        return "bounce: mailer-daemon"
    ours = own_addresses()
    if sender.lower() in ours:
        return "own address"
    message_id = _header(message, "Message-ID")
    if message_id.lower().endswith(f"@{settings.ADUAN_MESSAGE_ID_DOMAIN.lower()}>"):
        return "own message"
    if message.get("X-Aduan-Idempotency-Key") is not None:
        return "own message"
    # A reply addressed from one of our mailboxes via a Sender header (a forwarding loop).
    senders = getaddresses([_header(message, "Sender")])
    if any(address.lower() in ours for _name, address in senders if address):
        return "own address"
    return ""
