"""The Telegram Bot API over HTTP with urllib: sendMessage, getFile and the file download,
getMe (the connection check), setWebhook.

The bot token is part of every URL (https://api.telegram.org/bot<token>/<method>), so no error
message, log line or outbox error ever contains a URL (S13). Errors: `TelegramUnavailable`
(network, timeout, 5xx, 429 with its retry_after, a wrong token: retry) and `TelegramRejected`
(400 bad request such as "chat not found", 403 "bot was blocked by the user": permanent).
"""

from __future__ import annotations

import json
import re
import urllib.parse
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from ..http_client import MAX_REPLY_BYTES, JsonHttpClient

TEXT_LIMIT = 4096
FILE_PATH = re.compile(r"^[A-Za-z0-9_./-]{1,200}$")


class TelegramError(Exception):
    def __init__(self, message: str, *, status: int = 0, retry_after: int = 0) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class TelegramUnavailable(TelegramError):
    """Temporary: retry later."""


class TelegramRejected(TelegramError):
    """Permanent for this message."""


@dataclass(frozen=True)
class TelegramFile:
    content: bytes
    file_path: str


def _description(data: bytes) -> tuple[str, int]:
    try:
        reply = json.loads(data)
        description = str(reply.get("description") or "")[:200]
        retry_after = int((reply.get("parameters") or {}).get("retry_after") or 0)
    except (ValueError, AttributeError, TypeError):
        return "", 0
    return description, retry_after


class TelegramClient(JsonHttpClient):
    provider = "Telegram"
    unavailable = TelegramUnavailable
    rejected = TelegramRejected

    def __init__(
        self, *, base_url: str | None = None, token: str | None = None, timeout: float | None = None
    ) -> None:
        super().__init__(
            timeout=float(timeout if timeout is not None else settings.ADUAN_TELEGRAM_TIMEOUT)
        )
        self.base_url = (base_url or settings.ADUAN_TELEGRAM_API_URL).rstrip("/")
        self.token = token if token is not None else settings.ADUAN_TELEGRAM_BOT_TOKEN
        if not self.base_url.startswith(("https://", "http://")):
            raise ImproperlyConfigured("ADUAN_TELEGRAM_API_URL must be an http(s) URL")
        if not self.token:
            raise ImproperlyConfigured("ADUAN_TELEGRAM_BOT_TOKEN is not set")

    def _http_error(self, status: int, body: bytes, what: str) -> TelegramError:
        description, retry_after = _description(body)
        message = f"Telegram answered HTTP {status} on {what}: {description}".rstrip(": ")
        if status in (400, 403):
            return TelegramRejected(message, status=status)
        return TelegramUnavailable(message, status=status, retry_after=retry_after)

    def call(self, method: str, params: dict[str, Any] | None = None) -> Any:
        """A Bot API method; returns its `result`."""
        content, _type = self._open(
            f"{self.base_url}/bot{self.token}/{method}",
            what=method,
            body=params or {},
            limit=MAX_REPLY_BYTES,
        )
        reply = self._json_reply(content, what=method)
        if not isinstance(reply, dict) or not reply.get("ok"):
            description, _retry = _description(content)
            raise TelegramUnavailable(f"Telegram refused {method}: {description}")
        return reply.get("result")

    def get_me(self) -> dict[str, Any]:
        result = self.call("getMe")
        return result if isinstance(result, dict) else {}

    def send_message(self, chat_id: str, text: str) -> str:
        """sendMessage as plain text (no parse_mode: nothing in the text is markup); returns
        "<chat_id>:<message_id>"."""
        result = self.call(
            "sendMessage",
            {
                "chat_id": chat_id,
                "text": text[:TEXT_LIMIT],
                "link_preview_options": {"is_disabled": True},
            },
        )
        try:
            return f"{result['chat']['id']}:{result['message_id']}"
        except (KeyError, TypeError):
            raise TelegramUnavailable("Telegram reply on sendMessage has no message id") from None

    def download(self, file_id: str, *, max_bytes: int) -> TelegramFile:
        """getFile, then the file from /file/bot<token>/<file_path> (refused over max_bytes)."""
        result = self.call("getFile", {"file_id": file_id})
        if not isinstance(result, dict):
            raise TelegramUnavailable("Telegram reply on getFile has no file")
        size = int(result.get("file_size") or 0)
        if size > max_bytes:
            raise TelegramRejected(f"Telegram file is larger than {max_bytes} bytes")
        path = str(result.get("file_path") or "")
        if not FILE_PATH.match(path) or ".." in path:
            raise TelegramUnavailable("Telegram reply on getFile has no usable file_path")
        content, _type = self._open(
            f"{self.base_url}/file/bot{self.token}/{urllib.parse.quote(path)}",
            what="the file download",
            body=None,
            limit=max_bytes,
        )
        return TelegramFile(content, path)

    def set_webhook(self, url: str, secret_token: str) -> bool:
        return bool(
            self.call(
                "setWebhook",
                {
                    "url": url,
                    "secret_token": secret_token,
                    "allowed_updates": ["message"],
                    "drop_pending_updates": False,
                },
            )
        )


def telegram_enabled() -> bool:
    return bool(getattr(settings, "ADUAN_TELEGRAM_ENABLED", False))
