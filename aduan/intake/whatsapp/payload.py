"""WhatsApp Cloud API webhook payloads → what Aduan does with each part. Pure: no network,
no database; anything missing or of the wrong type is skipped, never an exception.

A payload (`object: whatsapp_business_account`) has entry[].changes[].value with `metadata`
(our phone number id), `contacts` (profile names by wa_id), `messages` and `statuses`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from aduan.core import clock

# What a citizen may send and what becomes of it.
TAKEN = {"text", "image", "document", "location", "button", "interactive"}
# A document is taken when it is a photo sent as a file or a PDF (a letter): the kinds the
# portal's upload checks accept. Other documents (zip, docx...) get the polite reply.
DOCUMENT_TYPES = {"image/jpeg", "image/png", "image/webp", "application/pdf"}
IGNORED = {"reaction", "system", "ephemeral", "request_welcome"}  # no reply: nothing to answer
# Everything else (audio, voice, video, sticker, document, contacts, order, unsupported,
# unknown...) is answered with the `inbound_unsupported` reply.


@dataclass(frozen=True)
class WhatsAppMessage:
    wamid: str
    wa_id: str
    name: str
    kind: str  # the WhatsApp message type
    text: str
    received_at: dt.datetime
    media_id: str = ""
    media_type: str = ""
    location: dict[str, Any] | None = None
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def taken(self) -> bool:
        return self.kind in TAKEN

    @property
    def ignored(self) -> bool:
        return self.kind in IGNORED


@dataclass(frozen=True)
class WhatsAppStatus:
    wamid: str
    status: str  # sent, delivered, read, failed
    error_code: int = 0


@dataclass
class WhatsAppWebhook:
    messages: list[WhatsAppMessage] = field(default_factory=list)
    statuses: list[WhatsAppStatus] = field(default_factory=list)
    skipped: int = 0  # parts that were malformed or for another phone number


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _str(value: Any) -> str:
    return value if isinstance(value, str) else str(value) if isinstance(value, int) else ""


def _timestamp(value: Any) -> dt.datetime:
    try:
        seconds = int(str(value))
        return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return clock.now()


def _float(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if -180.0 <= number <= 180.0 else None


def _message(raw: dict[str, Any], names: dict[str, str]) -> WhatsAppMessage | None:
    wamid = _str(raw.get("id")).strip()
    wa_id = "".join(ch for ch in _str(raw.get("from")) if ch.isdigit())
    if not wamid or not wa_id:
        return None
    kind = _str(raw.get("type")) or "unknown"
    text = ""
    media_id = media_type = ""
    location = None
    if kind == "text":
        text = _str(_dict(raw.get("text")).get("body"))
    elif kind == "image":
        image = _dict(raw.get("image"))
        text = _str(image.get("caption"))
        media_id = _str(image.get("id"))
        media_type = _str(image.get("mime_type"))
    elif kind == "document":
        document = _dict(raw.get("document"))
        media_type = _str(document.get("mime_type")).split(";")[0].strip().lower()
        if media_type in DOCUMENT_TYPES and _str(document.get("id")):
            text = _str(document.get("caption"))
            media_id = _str(document.get("id"))
        else:
            kind = "unsupported"
    elif kind == "location":
        place = _dict(raw.get("location"))
        lat, lon = _float(place.get("latitude")), _float(place.get("longitude"))
        if lat is not None and lon is not None and abs(lat) <= 90:
            location = {"lat": lat, "lon": lon}
            text = " — ".join(
                part for part in (_str(place.get("name")), _str(place.get("address"))) if part
            )
        else:
            kind = "unsupported"
    elif kind == "button":  # a quick-reply button of a template message
        text = _str(_dict(raw.get("button")).get("text"))
    elif kind == "interactive":
        interactive = _dict(raw.get("interactive"))
        reply = _dict(interactive.get("button_reply")) or _dict(interactive.get("list_reply"))
        text = _str(reply.get("title"))
        if not text:
            kind = "unsupported"
    if kind in TAKEN and not text.strip() and not media_id and location is None:
        kind = "unsupported"  # a text message without text: nothing to take
    return WhatsAppMessage(
        wamid=wamid,
        wa_id=wa_id,
        name=names.get(wa_id, ""),
        kind=kind,
        text=text,
        received_at=_timestamp(raw.get("timestamp")),
        media_id=media_id,
        media_type=media_type,
        location=location,
        raw={"type": kind, "message": raw},  # the provider's message object, as received
    )


def parse_webhook(payload: Any, *, phone_number_id: str = "") -> WhatsAppWebhook:
    """The messages and statuses of a webhook payload, for our phone number only."""
    result = WhatsAppWebhook()
    payload = _dict(payload)
    if payload.get("object") != "whatsapp_business_account":
        result.skipped += 1
        return result
    for entry in _list(payload.get("entry")):
        for change in _list(_dict(entry).get("changes")):
            change = _dict(change)
            value = _dict(change.get("value"))
            if change.get("field", "messages") != "messages" or not value:
                result.skipped += 1
                continue
            ours = _str(_dict(value.get("metadata")).get("phone_number_id"))
            if phone_number_id and ours and ours != phone_number_id:
                result.skipped += 1
                continue
            names = {
                "".join(ch for ch in _str(c.get("wa_id")) if ch.isdigit()): _str(
                    _dict(c.get("profile")).get("name")
                )
                for c in map(_dict, _list(value.get("contacts")))
            }
            for raw in _list(value.get("messages")):
                message = _message(_dict(raw), names)
                if message is None:
                    result.skipped += 1
                else:
                    result.messages.append(message)
            for raw in map(_dict, _list(value.get("statuses"))):
                wamid, status = _str(raw.get("id")), _str(raw.get("status"))
                if not wamid or not status:
                    result.skipped += 1
                    continue
                errors = _list(raw.get("errors"))
                code = _dict(errors[0]).get("code") if errors else 0
                result.statuses.append(
                    WhatsAppStatus(wamid, status, code if isinstance(code, int) else 0)
                )
    return result
