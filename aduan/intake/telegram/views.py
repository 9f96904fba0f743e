"""The Telegram Bot API webhook, /webhooks/telegram/.

Telegram sends each Update as a POST with the `X-Telegram-Bot-Api-Secret-Token` header set by
setWebhook (`manage.py telegram_webhook`); it is compared in constant time before anything is
parsed or stored (S11: 403 and nothing stored otherwise). A valid post is answered 200 once
its message is stored and processed (Telegram retries, and holds back later updates, until
it gets a 2xx): malformed or foreign updates are answered 200 and ignored, so that one bad
update never blocks the bot. The message id "<chat_id>:<message_id>" makes a repeat delivery
a no-op (S16).
"""

from __future__ import annotations

import hmac
import json
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..messengers import media_max_bytes, messenger_hand_over, messenger_inbound
from ..types import InboundAttachment, InboundMessage
from .client import TelegramClient, TelegramError, telegram_enabled
from .payload import TelegramMessage, parse_update

logger = logging.getLogger(__name__)

CHANNEL = "telegram"


def secret_valid(header: str, secret: str) -> bool:
    """S11: the secret token of setWebhook, compared in constant time."""
    return bool(secret) and hmac.compare_digest(header.encode(), secret.encode())


def _photo(message: TelegramMessage) -> tuple[InboundAttachment, ...]:
    if not message.file_id:
        return ()
    file = TelegramClient().download(message.file_id, max_bytes=media_max_bytes())
    name = file.file_path.rsplit("/", 1)[-1] or "photo.jpg"
    return (InboundAttachment(f"telegram-{name}", message.content_type, file.content),)


def _inbound(message: TelegramMessage, update: dict[str, object]) -> InboundMessage:
    # The Update as received is kept (encrypted at rest with the record).
    raw: dict[str, object] = {"type": message.kind, "update": update}
    if message.language:
        raw["language"] = message.language
    inbound = InboundMessage(
        channel=CHANNEL,
        provider_message_id=message.provider_message_id,
        sender=message.chat_id,
        sender_name=message.name,
        text=message.text,
        received_at=message.received_at,
        raw=raw,
    )
    return messenger_inbound(
        inbound,
        location=message.location,
        unsupported=None if message.taken else message.kind.removeprefix("unsupported:"),
        fetch=lambda: _photo(message),
        errors=(TelegramError,),
        what=f"photo of update {message.update_id}",
    )


@csrf_exempt
@require_POST
def telegram_webhook(request: HttpRequest) -> HttpResponse:
    if not telegram_enabled():
        return HttpResponse(status=404)
    if not secret_valid(
        request.headers.get("X-Telegram-Bot-Api-Secret-Token", ""),
        settings.ADUAN_TELEGRAM_WEBHOOK_SECRET,
    ):
        logger.warning("telegram webhook: secret token missing or wrong, refused")
        return HttpResponse(status=403)
    try:
        update = json.loads(request.body)
    except ValueError:  # includes invalid UTF-8
        return JsonResponse({"error": "malformed JSON"}, status=400)
    message = parse_update(update)
    if message is None:
        return JsonResponse({"action": "ignored"})
    if message.ignored:
        return JsonResponse({"action": message.kind})
    action = messenger_hand_over(_inbound(message, update))
    return JsonResponse({"action": action})
