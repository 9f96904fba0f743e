"""The WhatsApp Cloud API (Graph API) over HTTP with urllib: send a text or a template message,
fetch a media file, read the phone number (the connection check).

Errors: `WhatsAppUnavailable` (network, timeout, 5xx, 429, rate-limit and temporary Graph error
codes, an expired or wrong token: retrying, or an admin fixing the configuration, may help) and
`WhatsAppRejected` (a Graph error that cannot succeed for this recipient or message). Neither
carries the access token or the recipient's number.
"""

from __future__ import annotations

import base64
import hashlib
import json
import urllib.parse
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from ..http_client import MAX_REPLY_BYTES, JsonHttpClient

TEXT_LIMIT = 4096  # characters in one text message

# Graph error codes worth retrying: rate limits, temporary errors, and the token (an admin
# fixes it; the dead letter can then be sent again).
RETRYABLE_CODES = {
    1,  # API unknown
    2,  # API service (temporary)
    4,  # application request limit
    10,  # permission denied (configuration)
    17,  # user request limit
    190,  # access token expired or invalid (configuration)
    200,  # permission (configuration)
    80007,  # WhatsApp Business Account rate limit
    130429,  # throughput rate limit
    131000,  # something went wrong
    131016,  # service unavailable
    131048,  # spam rate limit
    131056,  # pair rate limit
    133004,  # server temporarily unavailable
}
OUTSIDE_WINDOW = 131047  # more than 24 hours since the citizen last wrote: templates only


class WhatsAppError(Exception):
    """Base of the client's errors."""

    def __init__(self, message: str, *, status: int = 0, code: int = 0) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class WhatsAppUnavailable(WhatsAppError):
    """Temporary: retry later."""


class WhatsAppRejected(WhatsAppError):
    """Permanent for this message: the Graph API refused it."""


@dataclass(frozen=True)
class Media:
    content: bytes
    content_type: str


def _graph_error(status: int, data: bytes, what: str) -> WhatsAppError:
    code = 0
    title = ""
    try:
        error = json.loads(data).get("error") or {}
        code = int(error.get("code") or 0)
        title = str(error.get("type") or "")[:60]
    except (ValueError, AttributeError, TypeError):
        pass
    message = f"WhatsApp answered HTTP {status} (error {code} {title}) on {what}".replace("  ", " ")
    if status >= 500 or status in (401, 408, 429) or code in RETRYABLE_CODES:
        return WhatsAppUnavailable(message, status=status, code=code)
    return WhatsAppRejected(message, status=status, code=code)


class WhatsAppClient(JsonHttpClient):
    provider = "WhatsApp"
    unavailable = WhatsAppUnavailable
    rejected = WhatsAppRejected

    def __init__(
        self,
        *,
        base_url: str | None = None,
        token: str | None = None,
        phone_number_id: str | None = None,
        timeout: float | None = None,
    ) -> None:
        super().__init__(
            timeout=float(timeout if timeout is not None else settings.ADUAN_WHATSAPP_TIMEOUT)
        )
        self.base_url = (base_url or settings.ADUAN_WHATSAPP_API_URL).rstrip("/")
        self.token = token if token is not None else settings.ADUAN_WHATSAPP_ACCESS_TOKEN
        self.phone_number_id = (
            phone_number_id
            if phone_number_id is not None
            else settings.ADUAN_WHATSAPP_PHONE_NUMBER_ID
        )
        if not self.base_url.startswith(("https://", "http://")):
            raise ImproperlyConfigured("ADUAN_WHATSAPP_API_URL must be an http(s) URL")
        if not self.token:
            raise ImproperlyConfigured("ADUAN_WHATSAPP_ACCESS_TOKEN is not set")
        if not self.phone_number_id:
            raise ImproperlyConfigured("ADUAN_WHATSAPP_PHONE_NUMBER_ID is not set")

    # -- transport ----------------------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}

    def _http_error(self, status: int, body: bytes, what: str) -> WhatsAppError:
        return _graph_error(status, body, what)

    def _json(self, path: str, *, what: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        content, _type = self._open(
            f"{self.base_url}/{path.lstrip('/')}", what=what, body=body, limit=MAX_REPLY_BYTES
        )
        reply = self._json_reply(content, what=what)
        if not isinstance(reply, dict):
            raise WhatsAppUnavailable(f"WhatsApp reply on {what} is not an object")
        return reply

    # -- the API --------------------------------------------------------------------------------

    def phone_number(self) -> dict[str, Any]:
        """GET /{phone-number-id}: the business number's display number and verified name."""
        return self._json(
            urllib.parse.quote(self.phone_number_id, safe=""), what="the phone number"
        )

    def _send(self, payload: dict[str, Any]) -> str:
        reply = self._json(
            f"{urllib.parse.quote(self.phone_number_id, safe='')}/messages",
            what="messages",
            body={"messaging_product": "whatsapp", "recipient_type": "individual", **payload},
        )
        try:
            return str(reply["messages"][0]["id"])
        except (KeyError, IndexError, TypeError):
            raise WhatsAppUnavailable("WhatsApp reply on messages has no message id") from None

    def send_text(self, to: str, text: str) -> str:
        """Send a text message; returns its wamid."""
        return self._send(
            {
                "to": to,
                "type": "text",
                "text": {"preview_url": False, "body": text[:TEXT_LIMIT]},
            }
        )

    def send_template(self, to: str, name: str, language: str, parameters: list[str]) -> str:
        """Send an approved template message (allowed outside the 24-hour window)."""
        template: dict[str, Any] = {"name": name, "language": {"code": language}}
        if parameters:
            template["components"] = [
                {
                    "type": "body",
                    "parameters": [{"type": "text", "text": value} for value in parameters],
                }
            ]
        return self._send({"to": to, "type": "template", "template": template})

    def media(self, media_id: str, *, max_bytes: int) -> Media:
        """A media file a citizen sent: GET /{media-id} gives a short-lived URL, fetched with the
        same bearer token. Refuses files over `max_bytes` and content not matching its sha256."""
        info = self._json(urllib.parse.quote(media_id, safe=""), what="media")
        url = str(info.get("url") or "")
        api = urllib.parse.urlsplit(self.base_url)
        target = urllib.parse.urlsplit(url)
        same_origin = (target.scheme, target.netloc) == (api.scheme, api.netloc)
        if target.scheme != "https" and not same_origin:
            # The bearer token goes only over HTTPS (or to the configured API origin in tests).
            raise WhatsAppRejected("WhatsApp media URL is not HTTPS")
        size = int(info.get("file_size") or 0)
        if size > max_bytes:
            raise WhatsAppRejected(f"WhatsApp media is larger than {max_bytes} bytes")
        content, content_type = self._open(url, what="media download", limit=max_bytes)
        digest = str(info.get("sha256") or "").strip()
        actual = hashlib.sha256(content)
        # Hex in the media node; some payloads carry it in base64: either must match.
        if digest and digest.lower() != actual.hexdigest() and digest != _b64(actual.digest()):
            raise WhatsAppUnavailable("WhatsApp media does not match its sha256")
        return Media(content, str(info.get("mime_type") or content_type).split(";")[0].strip())


def _b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode()


def whatsapp_enabled() -> bool:
    return bool(getattr(settings, "ADUAN_WHATSAPP_ENABLED", False))
