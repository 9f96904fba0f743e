"""JSON over HTTP with urllib, as the messenger clients (Telegram Bot API, WhatsApp Graph API)
use it: no redirects followed, a timeout, replies read up to a limit, and every failure turned
into the provider's "unavailable" (retry) or "rejected" (permanent) error.

No error message ever contains the URL (a token may travel in it, S13) or the request body.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any, ClassVar

MAX_REPLY_BYTES = 1_000_000


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is refused (it could carry a token or a bearer header elsewhere)."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def no_redirect_opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(NoRedirect())


class JsonHttpClient:
    """The shared transport of a provider's client. A subclass names the provider (in error
    messages), its two error classes, and maps an HTTP error status and body to one of them."""

    provider: ClassVar[str]
    unavailable: ClassVar[type[Exception]]
    rejected: ClassVar[type[Exception]]

    def __init__(self, *, timeout: float) -> None:
        self.timeout = timeout
        self._opener = no_redirect_opener()

    def _headers(self) -> dict[str, str]:
        return {"Accept": "application/json"}

    def _http_error(self, status: int, body: bytes, what: str) -> Exception:
        raise NotImplementedError

    def _open(
        self, url: str, *, what: str, body: dict[str, Any] | None = None, limit: int
    ) -> tuple[bytes, str]:
        """GET (no body) or POST a JSON body; returns the reply's bytes and content type."""
        headers = self._headers()
        data = None
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(  # noqa: S310 - http(s) checked by the subclass
            url, data=data, headers=headers, method="POST" if body is not None else "GET"
        )
        try:
            with self._opener.open(request, timeout=self.timeout) as reply:  # nosec B310
                content: bytes = reply.read(limit + 1)
                content_type: str = reply.headers.get_content_type()
        except urllib.error.HTTPError as exc:
            try:
                error_body = exc.read(MAX_REPLY_BYTES)
            except OSError:
                error_body = b""
            exc.close()
            raise self._http_error(exc.code, error_body, what) from None
        except TimeoutError:
            raise self.unavailable(f"{self.provider} did not answer in time on {what}") from None
        except (urllib.error.URLError, ConnectionError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise self.unavailable(
                f"{self.provider} unreachable on {what}: {type(reason).__name__}"
            ) from None
        if len(content) > limit:
            raise self.rejected(f"{self.provider} reply on {what} is larger than {limit} bytes")
        return content, content_type

    def _json_reply(self, content: bytes, *, what: str) -> Any:
        try:
            return json.loads(content)
        except ValueError:
            raise self.unavailable(f"{self.provider} reply on {what} is not JSON") from None
