"""The WhatsApp Cloud API webhook, /webhooks/whatsapp/.

GET: the subscription handshake (hub.mode=subscribe, hub.verify_token compared in constant
time, hub.challenge echoed). POST: the body's HMAC-SHA256 with the app secret must match
`X-Hub-Signature-256` before anything is parsed or stored (S11: 403 and nothing stored
otherwise). A valid signed post is answered 200 as soon as its messages are stored and
processed: text, image and PDF/photo documents (downloaded through the media API) and
location messages go to the one inbound path, other types get one polite reply, reactions and
system messages are ignored, statuses are recorded on the outbox. A repeat delivery (the provider retries on anything but
200) is recognised by the wamid (S16).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from aduan.notifications.services import outbox_record_delivery

from ..messengers import media_max_bytes, messenger_hand_over, messenger_inbound
from ..types import InboundAttachment, InboundMessage
from .client import WhatsAppClient, WhatsAppError, whatsapp_enabled
from .payload import WhatsAppMessage, parse_webhook

logger = logging.getLogger(__name__)

CHANNEL = "whatsapp"
CHALLENGE = re.compile(r"^[A-Za-z0-9_.-]{1,200}$")
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "application/pdf": "pdf",
}


def signature_valid(body: bytes, header: str, secret: str) -> bool:
    """S11: `sha256=<hex HMAC-SHA256 of the raw body with the app secret>`, constant time."""
    if not secret or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256=").strip().lower())


def _verify(request: HttpRequest) -> HttpResponse:
    mode = request.GET.get("hub.mode", "")
    token = request.GET.get("hub.verify_token", "")
    challenge = request.GET.get("hub.challenge", "")
    expected = settings.ADUAN_WHATSAPP_VERIFY_TOKEN
    if (
        mode != "subscribe"
        or not expected
        or not hmac.compare_digest(token.encode(), expected.encode())
    ):
        return HttpResponse(status=403)
    if not CHALLENGE.match(challenge):
        return HttpResponse(status=400)
    return HttpResponse(challenge, content_type="text/plain")


def _media(message: WhatsAppMessage) -> tuple[InboundAttachment, ...]:
    if not message.media_id:
        return ()
    media = WhatsAppClient().media(message.media_id, max_bytes=media_max_bytes())
    extension = EXTENSIONS.get(media.content_type, "bin")
    return (
        InboundAttachment(
            f"whatsapp-{message.media_id}.{extension}", media.content_type, media.content
        ),
    )


def _inbound(message: WhatsAppMessage) -> InboundMessage:
    inbound = InboundMessage(
        channel=CHANNEL,
        provider_message_id=message.wamid,
        sender=f"+{message.wa_id}",
        sender_name=message.name,
        text=message.text,
        received_at=message.received_at,
        raw=dict(message.raw),
    )
    return messenger_inbound(
        inbound,
        location=message.location,
        unsupported=None if message.taken else message.kind,
        fetch=lambda: _media(message),
        errors=(WhatsAppError,),
        what=f"media of {message.wamid}",
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def whatsapp_webhook(request: HttpRequest) -> HttpResponse:
    if not whatsapp_enabled():
        return HttpResponse(status=404)
    if request.method == "GET":
        return _verify(request)
    body = request.body
    if not signature_valid(
        body, request.headers.get("X-Hub-Signature-256", ""), settings.ADUAN_WHATSAPP_APP_SECRET
    ):
        logger.warning("whatsapp webhook: signature missing or wrong, refused")
        return HttpResponse(status=403)
    try:
        payload = json.loads(body)
    except ValueError:  # includes invalid UTF-8
        return JsonResponse({"error": "malformed JSON"}, status=400)
    webhook = parse_webhook(payload, phone_number_id=settings.ADUAN_WHATSAPP_PHONE_NUMBER_ID)
    actions: list[str] = []
    for message in webhook.messages:
        if message.ignored:
            actions.append("ignored")
            continue
        actions.append(messenger_hand_over(_inbound(message)))
    for status in webhook.statuses:
        outbox_record_delivery(
            channel=CHANNEL, provider_message_id=status.wamid, status=status.status
        )
    return JsonResponse(
        {"messages": actions, "statuses": len(webhook.statuses), "skipped": webhook.skipped}
    )
