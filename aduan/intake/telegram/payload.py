"""Telegram Bot API Update objects → what Aduan does with them. Pure: no network, no database;
anything missing or of the wrong type is skipped, never an exception.

Only `message` updates from private chats with a person are taken: text, photo (the largest
size, its caption as the text), a document that is a photo sent as a file or a PDF, and
location (a venue's too). Edits (`edited_message`) are
ignored: the original was taken already, and an edit must not become a second report. Group
and channel posts, bots, membership changes, callbacks and the rest are ignored. A message
of another kind (sticker, voice, video, video note, document, audio, animation, contact, poll,
dice, other documents...) from a person is answered with the `inbound_unsupported` reply.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from aduan.core import clock


@dataclass(frozen=True)
class TelegramMessage:
    update_id: int
    chat_id: str
    message_id: str
    name: str
    kind: str  # text, photo, location, unsupported:<what>, or ignored:<why>
    text: str
    received_at: dt.datetime
    file_id: str = ""
    content_type: str = "image/jpeg"
    location: dict[str, float] | None = None
    language: str = ""

    @property
    def provider_message_id(self) -> str:
        return f"{self.chat_id}:{self.message_id}"

    @property
    def taken(self) -> bool:
        return self.kind in ("text", "photo", "location")

    @property
    def ignored(self) -> bool:
        return self.kind.startswith("ignored")


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _coordinate(value: Any, bound: float) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if -bound <= value <= bound else None


UNSUPPORTED_KEYS = (
    "sticker",
    "voice",
    "video_note",
    "video",
    "audio",
    "animation",
    "document",
    "contact",
    "poll",
    "dice",
    "game",
    "story",
    "invoice",
)


DOCUMENT_TYPES = {"image/jpeg", "image/png", "image/webp", "application/pdf"}


@dataclass
class _Parts:
    kind: str
    text: str = ""
    file_id: str = ""
    location: dict[str, float] | None = None
    content_type: str = "image/jpeg"  # Telegram re-encodes photos as JPEG


def _content(message: dict[str, Any]) -> _Parts:
    if "text" in message:
        text = _str(message.get("text"))
        return _Parts("text", text) if text.strip() else _Parts("unsupported:empty")
    photos = [p for p in map(_dict, message.get("photo") or []) if _str(p.get("file_id"))]
    if photos:
        largest = max(
            photos, key=lambda p: (_int(p.get("file_size")) or 0, _int(p.get("width")) or 0)
        )
        return _Parts("photo", _str(message.get("caption")), _str(largest.get("file_id")))
    document = _dict(message.get("document"))
    if (
        document
        and "animation" not in message
        and _str(document.get("mime_type")).lower() in DOCUMENT_TYPES
        and _str(document.get("file_id"))
    ):
        # A photo sent as a file, or a PDF (a letter): what the portal's upload checks take.
        return _Parts(
            "photo",
            _str(message.get("caption")),
            _str(document.get("file_id")),
            content_type=_str(document.get("mime_type")).lower(),
        )
    place = _dict(message.get("location")) or _dict(_dict(message.get("venue")).get("location"))
    if place:
        lat, lon = _coordinate(place.get("latitude"), 90), _coordinate(place.get("longitude"), 180)
        if lat is None or lon is None:
            return _Parts("unsupported:location")
        venue = _dict(message.get("venue"))
        text = " — ".join(p for p in (_str(venue.get("title")), _str(venue.get("address"))) if p)
        return _Parts("location", text, location={"lat": lat, "lon": lon})
    for key in UNSUPPORTED_KEYS:
        if key in message:
            return _Parts(f"unsupported:{key}")
    if any(
        key.startswith(("new_chat", "left_chat", "pinned", "group_", "migrate")) for key in message
    ):
        return _Parts("ignored:service")
    return _Parts("unsupported:unknown")


def parse_update(update: Any) -> TelegramMessage | None:
    """The message of an Update, or None when it is not a message at all (malformed, or
    an update type we never take)."""
    update = _dict(update)
    update_id = _int(update.get("update_id"))
    if update_id is None:
        return None
    kind_override = ""
    message = _dict(update.get("message"))
    if not message:
        edited = _dict(update.get("edited_message"))
        if not edited:
            return None  # channel_post, my_chat_member, callback_query...: not for us
        message, kind_override = edited, "ignored:edited"
    chat = _dict(message.get("chat"))
    chat_id, message_id = _int(chat.get("id")), _int(message.get("message_id"))
    if chat_id is None or message_id is None:
        return None
    sender = _dict(message.get("from"))
    if chat.get("type") != "private":
        kind_override = kind_override or "ignored:group"
    elif sender.get("is_bot") is True:
        kind_override = kind_override or "ignored:bot"
    parts = _content(message)
    date = _int(message.get("date"))
    try:
        received_at = dt.datetime.fromtimestamp(date, tz=dt.UTC) if date else clock.now()
    except (OverflowError, OSError, ValueError):
        received_at = clock.now()
    name = " ".join(p for p in (_str(sender.get("first_name")), _str(sender.get("last_name"))) if p)
    return TelegramMessage(
        update_id=update_id,
        chat_id=str(chat_id),
        message_id=str(message_id),
        name=name,
        kind=kind_override or parts.kind,
        text=parts.text,
        received_at=received_at,
        file_id=parts.file_id,
        content_type=parts.content_type,
        location=parts.location,
        language=_str(sender.get("language_code"))[:10],
    )
