"""A raw mail (RFC 5322 bytes) turned into an `InboundMessage` for the one intake path.

- Parsed with the standard library (`email`, policy.default): encoded-word subjects and names,
  any charset (ISO-8859-1 read as Windows-1252 like browsers do, unknown charsets and invalid
  bytes become U+FFFD instead of an error).
- The text: the inline text/plain parts; an HTML-only mail is turned into plain text (html.py),
  so no markup is ever stored or shown (S13). Quoted replies and signatures are stripped
  (quotes.py).
- Attachments and inline images become `InboundAttachment`s when their declared type is one an
  upload may be (images, PDF) and they fit `ADUAN_UPLOAD_MAX_BYTES`/`_MAX_FILES`/
  `_MAX_TOTAL_BYTES`. The size is estimated from the encoded length before anything is decoded,
  so an oversized attachment is never decoded; an archive (a zip bomb) is never opened. Each
  refused file is noted in the text ("[lampiran X tidak diterima: terlalu besar]"), so staff
  know it was sent. The files are checked again by content when they become uploads (S4, S10).
- `truncated=True`: only the start of an oversized mail was fetched; its text is read and all
  its attachments are noted as refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from typing import cast

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from aduan.core import clock

from ..types import InboundAttachment, InboundMessage
from .html import html_to_text
from .loops import loop_reason
from .quotes import strip_quotes

CHANNEL = "email"
TEXT_MAX = 20_000
SUBJECT_MAX = 200
ACCEPTED_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".heic", ".heif", ".pdf")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
KEPT_HEADERS = ("Message-ID", "In-Reply-To", "References")
RAW_HEADERS = (
    "Date", "Message-ID", "In-Reply-To", "References", "Auto-Submitted", "Precedence",
    "Return-Path", "List-Id", "Content-Type", "X-Mailer", "User-Agent",
)  # fmt: skip


@dataclass(frozen=True)
class ParsedMail:
    message: InboundMessage
    ignore_reason: str  # "" = process it; otherwise why it must not be answered (loops.py)


def _clean(text: str) -> str:
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _header(message: Message, name: str) -> str:
    try:
        value = message.get(name)
    except Exception:  # the policy parses on access; a malformed value must not stop us
        value = next((v for k, v in message.raw_items() if k.lower() == name.lower()), "")
    return " ".join(str(value or "").split())


def _raw_header(message: Message, name: str) -> str:
    """A header as it was sent (whitespace collapsed), not as the policy reparsed it: the
    policy shortens a malformed Message-ID ("<a b@c>" becomes "<a"), which would make two
    different mails look like one."""
    value = next((v for k, v in message.raw_items() if k.lower() == name.lower()), "")
    return " ".join(str(value).split())


def _decode_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = (part.get_content_charset() or "us-ascii").lower()
    if charset in {"us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1", "iso8859-1"}:
        # Mailers that do not declare a charset often send UTF-8; what is not valid UTF-8 is
        # read as Windows-1252, what "Latin-1" mail really is (WHATWG does the same).
        try:
            return payload.decode("utf-8")
        except UnicodeDecodeError:
            charset = "cp1252"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:  # an unknown charset name
        return payload.decode("utf-8", errors="replace")


def _leaves(part: Message) -> list[Message]:
    """The leaf parts in order; an attached mail (message/rfc822) is one leaf, not opened."""
    if part.get_content_maintype() == "multipart" and isinstance(part.get_payload(), list):
        leaves: list[Message] = []
        for child in part.get_payload():
            if isinstance(child, Message):
                leaves.extend(_leaves(child))
        return leaves
    return [part]


def _filename(part: Message, index: int) -> str:
    from aduan.complaints.uploads import sanitize_name

    try:
        name = part.get_filename() or ""
    except Exception:
        name = ""
    if not name:
        subtype = part.get_content_subtype() or "bin"
        name = f"lampiran-{index}.{subtype[:10]}"
    return sanitize_name(name)


def _accepted_type(content_type: str, filename: str) -> bool:
    if content_type.startswith("image/") or content_type == "application/pdf":
        return True
    return content_type == "application/octet-stream" and filename.lower().endswith(
        ACCEPTED_EXTENSIONS
    )


def _encoded_size(part: Message) -> int:
    """The decoded size, estimated from the encoded payload (nothing is decoded)."""
    payload = part.get_payload()
    length = len(payload) if isinstance(payload, (str, bytes)) else 0
    encoding = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
    return length * 3 // 4 if encoding == "base64" else length


def _refused(name: str, reason: str) -> str:
    return _("[attachment %(name)s not accepted: %(reason)s]") % {"name": name, "reason": reason}


def _attachments(
    parts: list[Message], *, truncated: bool
) -> tuple[tuple[InboundAttachment, ...], list[str]]:
    kept: list[InboundAttachment] = []
    notes: list[str] = []
    total = 0
    for index, part in enumerate(parts, start=1):
        name = _filename(part, index)
        content_type = part.get_content_type()
        if truncated:
            notes.append(_refused(name, _("the email is too large")))
            continue
        if not _accepted_type(content_type, name):
            notes.append(_refused(name, _("file type not supported")))
            continue
        if _encoded_size(part) > settings.ADUAN_UPLOAD_MAX_BYTES:
            notes.append(_refused(name, _("too large")))
            continue
        if len(kept) >= settings.ADUAN_UPLOAD_MAX_FILES:
            notes.append(_refused(name, _("too many attachments")))
            continue
        content = part.get_payload(decode=True)
        if not isinstance(content, bytes) or not content:
            continue
        if len(content) > settings.ADUAN_UPLOAD_MAX_BYTES:
            notes.append(_refused(name, _("too large")))
            continue
        if total + len(content) > settings.ADUAN_UPLOAD_MAX_TOTAL_BYTES:
            notes.append(_refused(name, _("the attachments are too large together")))
            continue
        total += len(content)
        kept.append(InboundAttachment(name, content_type, content))
    return tuple(kept), notes


def _sender(message: Message) -> tuple[str, str]:
    for name in ("From", "Sender"):
        try:
            parsed = getattr(message[name], "addresses", ())
        except Exception:  # a malformed address header: read it the lenient way below
            parsed = ()
        for address in parsed:
            if "@" in address.addr_spec:
                return address.addr_spec.strip(), " ".join(address.display_name.split())[:200]
    raw = _header(message, "From") or _header(message, "Sender")
    addresses = [(name, address) for name, address in getaddresses([raw]) if "@" in address]
    if not addresses:
        return "", ""
    name, address = addresses[0]
    return address.strip(), " ".join(name.split())[:200]


def _received_at(message: Message) -> dt.datetime:
    """When our mail server got it (the newest Received header), else now; never the future
    (the Date header is the sender's claim and is not used)."""
    now = clock.now()
    received = _header(message, "Received")
    if ";" in received:
        try:
            when = parsedate_to_datetime(received.rsplit(";", 1)[1].strip())
        except (TypeError, ValueError, IndexError):
            return now
        if when.tzinfo is not None and when <= now:
            return when
    return now


def _provider_id(message: Message, raw: bytes) -> str:
    message_id = _raw_header(message, "Message-ID")
    if message_id and len(message_id) <= 200:
        return message_id
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def parse_mail(raw: bytes, *, truncated: bool = False, size: int | None = None) -> ParsedMail:
    message = cast(EmailMessage, BytesParser(policy=policy.default).parsebytes(raw))
    sender, sender_name = _sender(message)
    subject = _clean(_header(message, "Subject"))[:SUBJECT_MAX]

    plain: list[str] = []
    html: list[str] = []
    files: list[Message] = []
    for part in _leaves(message):
        content_type = part.get_content_type()
        is_file = part.get_content_disposition() == "attachment" or bool(part.get_param("name"))
        if content_type in ("text/plain", "text/html") and not is_file:
            (plain if content_type == "text/plain" else html).append(_decode_text(part))
        elif content_type in (
            "message/delivery-status",
            "message/disposition-notification",
            "text/rfc822-headers",
        ):
            continue
        elif part.get_content_maintype() != "multipart":
            files.append(part)
    body = "\n\n".join(plain) if any(p.strip() for p in plain) else ""
    if not body:
        body = "\n\n".join(html_to_text(h) for h in html)
    text = strip_quotes(_clean(body))
    with translation.override(settings.LANGUAGE_CODE):
        attachments, notes = _attachments(files, truncated=truncated)
        if len(text) > TEXT_MAX:
            text = text[:TEXT_MAX].rstrip() + "\n" + _("[text cut: too long]")
    if not text.strip():
        text = subject
    if notes:
        text = f"{text}\n\n" + "\n".join(notes) if text else "\n".join(notes)

    ignore = loop_reason(message, sender) if sender else "no sender address"
    headers = {
        name: _raw_header(message, name)[:2000]
        for name in KEPT_HEADERS
        if _raw_header(message, name)
    }
    raw_headers = {name: _header(message, name)[:500] for name in RAW_HEADERS}
    raw_info = {
        "headers": {name: value for name, value in raw_headers.items() if value},
        "size": size if size is not None else len(raw),
        "truncated": truncated,
        "defects": len(message.defects),
    }
    inbound = InboundMessage(
        channel=CHANNEL,
        provider_message_id=_provider_id(message, raw),
        sender=sender,
        sender_name=sender_name,
        subject=subject,
        text=text,
        received_at=_received_at(message),
        attachments=attachments,
        headers=headers,
        raw=raw_info,
    )
    return ParsedMail(inbound, ignore)
