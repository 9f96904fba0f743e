"""The connector's interface (`LaporClient`) and its first implementation over the legacy XML
protocol (`LegacyXmlLaporClient`). Another implementation (the current API, once its
documentation is available to a registered developer account) replaces it by setting
ADUAN_LAPOR_CLIENT to its dotted path; nothing else changes.

Errors: `LaporUnavailable` (network, timeout, 5xx, 429: retrying may help), `LaporRejected`
(the other side refused: 4xx or a status other than OK; retrying will not help),
`LaporProtocolError` (the reply is not what the protocol says). None of them carries the token.
"""

from __future__ import annotations

import abc
import datetime as dt
import logging
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from . import protocol
from .protocol import InboundReport, OutboundReport

logger = logging.getLogger(__name__)
T = TypeVar("T")


class LaporError(Exception):
    """Base of the connector's errors."""


class LaporUnavailable(LaporError):
    """Temporary: the network, a timeout, a 5xx or 429. The outbox retries."""


class LaporRejected(LaporError):
    """Permanent: LAPOR! refused the request (4xx, or a status other than OK)."""


class LaporProtocolError(LaporError):
    """The reply is malformed (not XML, missing ids)."""


@dataclass(frozen=True)
class StatusUpdate:
    key: str  # idempotency key (one per event)
    tracking_id: str
    status: str  # our state (complaints.workflow.states.Status)
    at: dt.datetime
    note: str = ""


@dataclass(frozen=True)
class ResponseUpdate:
    key: str
    tracking_id: str
    text: str  # public text: PII masked
    at: dt.datetime
    agency: str = ""


class LaporClient(abc.ABC):
    """What Aduan needs from the national LAPOR!-SP4N, whatever the wire format."""

    @abc.abstractmethod
    def import_forwarded(self, since: dt.datetime | None) -> list[InboundReport]:
        """Reports forwarded to this pemda since `since` (None: everything still open)."""

    @abc.abstractmethod
    def push_status(self, update: StatusUpdate) -> str:
        """Tell LAPOR! the report's new status; returns its transaction id (may be "")."""

    @abc.abstractmethod
    def push_response(self, update: ResponseUpdate) -> str:
        """Send the agency's response (tindak lanjut); returns a transaction id (may be "")."""

    @abc.abstractmethod
    def forward_up(self, report: OutboundReport) -> tuple[str, str]:
        """Hand a report outside the regency's authority to LAPOR!: (tracking_id, transaction_id)."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect would turn the POST into a GET and drop the body: refuse it instead."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class LegacyXmlLaporClient(LaporClient):
    """The legacy XML stream API over HTTP(S) with urllib, a timeout on every call."""

    def __init__(
        self, *, base_url: str | None = None, token: str | None = None, timeout: float | None = None
    ) -> None:
        self.base_url = (base_url if base_url is not None else settings.ADUAN_LAPOR_URL).rstrip("/")
        self.token = token if token is not None else settings.ADUAN_LAPOR_TOKEN
        self.timeout = float(timeout if timeout is not None else settings.ADUAN_LAPOR_TIMEOUT)
        if not self.base_url.startswith(("https://", "http://")):
            raise ImproperlyConfigured("ADUAN_LAPOR_URL must be an http(s) URL")
        if not self.token:
            raise ImproperlyConfigured("ADUAN_LAPOR_TOKEN is not set")
        self._opener = urllib.request.build_opener(_NoRedirect())

    # -- transport ----------------------------------------------------------------------------

    def _post(self, path: str, body: bytes, *, key: str = "") -> bytes:
        headers = {"Content-Type": protocol.CONTENT_TYPE, "Accept": "text/xml, application/xml"}
        if key:
            headers[protocol.IDEMPOTENCY_HEADER] = key
        request = urllib.request.Request(  # noqa: S310 - the URL is checked to be http(s)
            self.base_url + path, data=body, headers=headers, method="POST"
        )
        try:
            with self._opener.open(request, timeout=self.timeout) as reply:
                data: bytes = reply.read(protocol.MAX_RESPONSE_BYTES + 1)
        except urllib.error.HTTPError as exc:
            exc.close()
            if exc.code >= 500 or exc.code in (408, 429):
                raise LaporUnavailable(f"LAPOR! answered HTTP {exc.code} on {path}") from None
            raise LaporRejected(f"LAPOR! answered HTTP {exc.code} on {path}") from None
        except TimeoutError as exc:
            raise LaporUnavailable(f"LAPOR! did not answer in time on {path}") from exc
        except (urllib.error.URLError, ConnectionError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise LaporUnavailable(
                f"LAPOR! unreachable on {path}: {type(reason).__name__}"
            ) from None
        return data

    def _parse(self, parser: Callable[[bytes], T], data: bytes, path: str) -> T:
        try:
            return parser(data)
        except protocol.RejectedError as exc:
            raise LaporRejected(f"LAPOR! refused on {path}: {str(exc)[:200]}") from None
        except protocol.ProtocolError as exc:
            raise LaporProtocolError(f"{path}: {exc}") from None

    # -- the interface ------------------------------------------------------------------------

    def import_forwarded(self, since: dt.datetime | None) -> list[InboundReport]:
        body = protocol.build_forwarded_query(
            self.token, since=since, pemda_code=settings.ADUAN_PEMDA_CODE
        )
        data = self._post(protocol.PATH_FORWARDED, body)
        return self._parse(protocol.parse_forwarded, data, protocol.PATH_FORWARDED)

    def push_status(self, update: StatusUpdate) -> str:
        body = protocol.build_status(
            self.token,
            key=update.key,
            tracking_id=update.tracking_id,
            status=update.status,
            at=update.at,
            note=update.note,
        )
        data = self._post(protocol.PATH_STATUS, body, key=update.key)
        return self._parse(protocol.parse_ack, data, protocol.PATH_STATUS)

    def push_response(self, update: ResponseUpdate) -> str:
        body = protocol.build_response(
            self.token,
            key=update.key,
            tracking_id=update.tracking_id,
            text=update.text,
            at=update.at,
            agency=update.agency,
        )
        data = self._post(protocol.PATH_RESPONSE, body, key=update.key)
        return self._parse(protocol.parse_ack, data, protocol.PATH_RESPONSE)

    def forward_up(self, report: OutboundReport) -> tuple[str, str]:
        body = protocol.build_add_report(self.token, report)
        data = self._post(protocol.PATH_ADD_REPORT, body, key=report.key)
        result = self._parse(protocol.parse_add_result, data, protocol.PATH_ADD_REPORT)
        return result.tracking_id, result.transaction_id


def lapor_enabled() -> bool:
    return bool(getattr(settings, "ADUAN_LAPOR_ENABLED", False))


def get_client() -> LaporClient:
    """The configured implementation (ADUAN_LAPOR_CLIENT), built from settings."""
    path = getattr(
        settings,
        "ADUAN_LAPOR_CLIENT",
        "aduan.integrations.lapor.client.LegacyXmlLaporClient",
    )
    client: LaporClient = import_string(path)()
    return client


__all__ = [
    "InboundReport",
    "LaporClient",
    "LaporError",
    "LaporProtocolError",
    "LaporRejected",
    "LaporUnavailable",
    "LegacyXmlLaporClient",
    "OutboundReport",
    "ResponseUpdate",
    "StatusUpdate",
    "get_client",
    "lapor_enabled",
]
