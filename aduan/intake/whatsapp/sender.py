"""The outbox sender of the "whatsapp" channel (settings.ADUAN_SENDERS["whatsapp"] when
ADUAN_WHATSAPP_ENABLED): a text message to the citizen's WhatsApp number.

WhatsApp's 24-hour customer-service window: free text reaches a citizen only within 24 hours
of their last message. Outside it the Graph API refuses with error 131047. Then, when
ADUAN_WHATSAPP_FALLBACK_TEMPLATE names an approved template (one body parameter: the tracking
code, e.g. "Ada kabar baru untuk aduan {{1}}. Balas pesan ini untuk membacanya."), that template
is sent instead; otherwise the message fails permanently, and the email copy the outbox writes
when the citizen gave an address carries the news.
"""

from __future__ import annotations

from django.conf import settings

from aduan.notifications.senders import PermanentFailure, RenderedMessage

from ..messengers import messenger_client
from .client import OUTSIDE_WINDOW, WhatsAppClient, WhatsAppRejected, whatsapp_enabled


def whatsapp_address(address: str) -> str:
    """A stored phone number (+62812...) as WhatsApp wants it: digits with the country code."""
    return "".join(ch for ch in address if ch.isdigit())


class WhatsAppSender:
    def send(self, message: RenderedMessage) -> str:
        if not whatsapp_enabled():
            raise PermanentFailure("the WhatsApp channel is switched off")
        to = whatsapp_address(message.to_address)
        if len(to) < 8:
            raise PermanentFailure("not a WhatsApp number")
        client = messenger_client("WhatsApp", WhatsAppClient)
        try:
            return client.send_text(to, message.body)
        except WhatsAppRejected as exc:
            template = settings.ADUAN_WHATSAPP_FALLBACK_TEMPLATE
            if exc.code == OUTSIDE_WINDOW and template:
                try:
                    return client.send_template(
                        to,
                        template,
                        settings.ADUAN_WHATSAPP_FALLBACK_LANGUAGE,
                        [message.thread_id] if message.thread_id else [],
                    )
                except WhatsAppRejected as again:
                    raise PermanentFailure(str(again)) from None
            raise PermanentFailure(str(exc)) from None
