"""The outbox sender of the "telegram" channel (settings.ADUAN_SENDERS["telegram"] when
ADUAN_TELEGRAM_ENABLED): sendMessage to the chat the citizen wrote from (their messenger id).

A 400 (chat not found) or 403 (the citizen blocked the bot) cannot succeed: PermanentFailure.
429 (flood control, with retry_after), 5xx, timeouts and a wrong token are retried by the
outbox with its backoff (which starts longer than Telegram's usual retry_after).
"""

from __future__ import annotations

import re

from aduan.notifications.senders import PermanentFailure, RenderedMessage

from ..messengers import messenger_client
from .client import TelegramClient, TelegramRejected, telegram_enabled

CHAT_ID = re.compile(r"^-?\d{1,20}$")


class TelegramSender:
    def send(self, message: RenderedMessage) -> str:
        if not telegram_enabled():
            raise PermanentFailure("the Telegram channel is switched off")
        chat_id = message.to_address.strip()
        if not CHAT_ID.match(chat_id):
            raise PermanentFailure("not a Telegram chat id")
        client = messenger_client("Telegram", TelegramClient)
        try:
            return client.send_message(chat_id, message.body)
        except TelegramRejected as exc:
            raise PermanentFailure(str(exc)) from None
