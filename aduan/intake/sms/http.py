"""A generic HTTP SMS gateway (Kannel-style): the sender and what the webhooks share.

Sending is Kannel's `sendsms` interface: GET (or POST form) with username, password, to,
text, charset=UTF-8, coding (0 GSM-7, 2 UCS-2), dlr-mask and a dlr-url pointing back at
/webhooks/sms/dlr/ so the gateway reports delivery. Any 2xx answer means accepted. 400 means
the request itself is wrong (permanent); every other failure (401/403, 5xx, timeouts,
refused connections) is retried by the outbox with backoff. A generic gateway has no
idempotency: a crash between the gateway's accept and our commit can send an SMS twice
(Gammu's sender cannot, see gammu.py); the idempotency key goes along in the
X-Idempotency-Key header for gateways that use it.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from aduan.notifications.gsm7 import is_gsm7
from aduan.notifications.senders import PermanentFailure, RenderedMessage

from ..http_client import no_redirect_opener

MAX_REPLY_BYTES = 64_000
# Kannel's delivery report types (the %d in dlr-url) -> the outbox's delivery status.
KANNEL_DLR = {
    "1": "delivered",
    "2": "failed",
    "4": "pending",  # buffered at the SMSC
    "8": "sent",  # accepted by the SMSC
    "16": "failed",  # rejected by the SMSC
}
DLR_MASK = "31"


class GatewayUnavailable(Exception):
    """Temporary: the outbox retries."""


def _send_url() -> str:
    url = str(getattr(settings, "ADUAN_SMS_HTTP_SEND_URL", "")).strip()
    if not url.startswith(("https://", "http://")):
        raise ImproperlyConfigured("ADUAN_SMS_HTTP_SEND_URL must be an http(s) URL")
    return url


def dlr_url(provider_id: str) -> str:
    query = urllib.parse.urlencode(
        {"secret": settings.ADUAN_SMS_HTTP_SECRET, "id": provider_id}, safe=":"
    )
    # %d is Kannel's placeholder for the report type; it must reach the gateway as is.
    return f"{settings.ADUAN_SITE_URL}/webhooks/sms/dlr/?{query}&status=%d"


def gateway_request(params: dict[str, str], *, headers: dict[str, str] | None = None) -> bytes:
    """One request to the gateway's send URL. Raises PermanentFailure for 400 and
    GatewayUnavailable for everything else that is not a 2xx. Error messages never contain
    the URL or the parameters (the password travels in them, S13)."""
    url = _send_url()
    method = str(getattr(settings, "ADUAN_SMS_HTTP_METHOD", "GET")).upper()
    encoded = urllib.parse.urlencode(params)
    data = None
    if method == "POST":
        data = encoded.encode()
        target = url
    else:
        target = f"{url}{'&' if '?' in url else '?'}{encoded}"
    request = urllib.request.Request(  # noqa: S310 - http(s) checked in _send_url
        target, data=data, method=method, headers=dict(headers or {})
    )
    if data is not None:
        request.add_header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
    opener = no_redirect_opener()
    timeout = float(getattr(settings, "ADUAN_SMS_HTTP_TIMEOUT", 10))
    try:
        with opener.open(request, timeout=timeout) as reply:  # nosec B310
            return bytes(reply.read(MAX_REPLY_BYTES))
    except urllib.error.HTTPError as exc:
        exc.close()
        if exc.code == 400:
            raise PermanentFailure("the SMS gateway refused the request (HTTP 400)") from None
        raise GatewayUnavailable(f"the SMS gateway answered HTTP {exc.code}") from None
    except TimeoutError:
        raise GatewayUnavailable("the SMS gateway did not answer in time") from None
    except (urllib.error.URLError, ConnectionError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise GatewayUnavailable(
            f"the SMS gateway is unreachable ({type(reason).__name__})"
        ) from None


class HttpGatewaySender:
    """Sends through the gateway's sendsms URL; returns "http:<outbox id>", the id the
    gateway's delivery report comes back with."""

    def send(self, message: RenderedMessage) -> str:
        number = "".join(message.to_address.split())
        if not number:
            raise PermanentFailure("no phone number")
        provider_id = f"http:{message.outbox_id}"
        params = {
            "username": settings.ADUAN_SMS_HTTP_USERNAME,
            "password": settings.ADUAN_SMS_HTTP_PASSWORD,
            "to": number,
            "text": message.body,
            "charset": "UTF-8",
            "coding": "0" if is_gsm7(message.body) else "2",
            "dlr-mask": DLR_MASK,
            "dlr-url": dlr_url(provider_id),
        }
        sender_id = getattr(settings, "ADUAN_SMS_HTTP_FROM", "")
        if sender_id:
            params["from"] = sender_id
        gateway_request(params, headers={"X-Idempotency-Key": message.idempotency_key})
        return provider_id
