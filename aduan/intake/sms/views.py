"""The HTTP SMS gateway's webhooks: /webhooks/sms/ (an incoming SMS) and /webhooks/sms/dlr/
(a delivery report for an SMS we sent).

Kannel-style parameters, by GET or POST form: secret, from, text, id (Kannel's %I), time
(%t "YYYY-MM-DD HH:MM:SS" or %T unix seconds), charset (the text's, default UTF-8; Kannel's
%C). The shared secret (ADUAN_SMS_HTTP_SECRET, also accepted in the X-Aduan-Secret header)
is compared in constant time; a wrong one gets 403 and nothing is stored (S11, S13). The
answer to an SMS is an empty 200 (Kannel then sends no reply of its own: our reply comes
through the outbox and the sendsms URL).
"""

from __future__ import annotations

import codecs
import datetime as dt
import hmac
import urllib.parse
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from aduan.core import clock, crypto
from aduan.notifications.models import OutboxMessage
from aduan.notifications.services import outbox_record_delivery

from ..inbound import inbound_receive
from ..types import InboundMessage
from .gammu import FINAL_DELIVERY
from .http import KANNEL_DLR

MAX_PARAM_BYTES = 200_000


def _enabled() -> bool:
    return getattr(settings, "ADUAN_SMS_BACKEND", "off") == "http" and bool(
        getattr(settings, "ADUAN_SMS_HTTP_SECRET", "")
    )


def gateway_params(request: HttpRequest) -> dict[str, str]:
    """The parameters of a GET query or a POST form; the text decoded in the charset the
    gateway names (charset=...), invalid bytes replaced by U+FFFD: nothing is refused for its
    encoding."""
    raw = request.META.get("QUERY_STRING", "")
    if request.method == "POST":
        content_type = request.content_type or ""
        if content_type in ("", "application/x-www-form-urlencoded"):
            body = request.body[:MAX_PARAM_BYTES].decode("latin-1")
            raw = f"{raw}&{body}" if raw else body
        else:
            return {key: request.POST.get(key, "") for key in request.POST}
    # latin-1 keeps every byte as one character, so the real charset can be applied after.
    pairs = urllib.parse.parse_qsl(
        raw[:MAX_PARAM_BYTES], keep_blank_values=True, encoding="latin-1"
    )
    charset = "utf-8"
    for key, value in pairs:
        if key.lower() == "charset" and value.strip():
            try:
                charset = codecs.lookup(value.strip()).name
            except LookupError:
                charset = "utf-8"
    params: dict[str, str] = {}
    for key, value in pairs:
        if key not in params:
            # The charset is the text's (Kannel's %C); everything else is ASCII or UTF-8.
            encoding = charset if key == "text" else "utf-8"
            params[key] = value.encode("latin-1").decode(encoding, errors="replace")
    return params


def _secret_ok(request: HttpRequest, params: dict[str, str]) -> bool:
    given = params.get("secret") or request.headers.get("X-Aduan-Secret", "")
    expected = str(settings.ADUAN_SMS_HTTP_SECRET)
    return hmac.compare_digest(given.encode(), expected.encode())


def _received_at(value: str) -> dt.datetime:
    value = value.strip()
    now = clock.now()
    parsed: dt.datetime | None = None
    try:
        if value.isdigit():
            parsed = dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
        elif value:
            parsed = dt.datetime.fromisoformat(value)
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
    except (ValueError, OverflowError, OSError):
        parsed = None
    if parsed is None or parsed > now + dt.timedelta(hours=1):
        return now
    return parsed


@csrf_exempt
@require_http_methods(["GET", "POST"])
def sms_gateway_webhook(request: HttpRequest) -> HttpResponse:
    if not _enabled():
        raise Http404
    params = gateway_params(request)
    if not _secret_ok(request, params):
        return HttpResponse("forbidden", status=403, content_type="text/plain")
    sender = params.get("from", "").strip()
    if not sender:
        return HttpResponse("from is required", status=400, content_type="text/plain")
    text = params.get("text", "").replace("\x00", "")
    time_value = params.get("time", "")
    message_id = (
        params.get("id", "").strip()[:150]
        or crypto.keyed_hash(f"{sender}|{time_value}|{text}", purpose="sms-gateway")[:32]
    )
    inbound_receive(
        InboundMessage(
            channel="sms",
            provider_message_id=f"http:{message_id}",
            sender=sender,
            text=text,
            received_at=_received_at(time_value),
            raw={
                "backend": "http",
                **{
                    key: params[key][:200]
                    for key in ("id", "time", "charset", "coding", "smsc", "to")
                    if key in params
                },
            },
        )
    )
    return HttpResponse("", content_type="text/plain")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def sms_gateway_delivery_report(request: HttpRequest) -> HttpResponse:
    if not _enabled():
        raise Http404
    params = gateway_params(request)
    if not _secret_ok(request, params):
        return HttpResponse("forbidden", status=403, content_type="text/plain")
    provider_id = params.get("id", "").strip()
    status = KANNEL_DLR.get(params.get("status", "").strip())
    if not provider_id.startswith("http:") or status is None:
        return HttpResponse("id and a known status are required", status=400)
    final = OutboxMessage.objects.filter(
        channel="sms", provider_message_id=provider_id, delivery_status__in=FINAL_DELIVERY
    ).exists()
    if not final or status in FINAL_DELIVERY:  # a late "accepted" never undoes "delivered"
        outbox_record_delivery(channel="sms", provider_message_id=provider_id, status=status)
    return HttpResponse("OK", content_type="text/plain")
