"""Fixtures: the Telegram channel switched on against a running fake Bot API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from aduan.complaints.tests.uploads_corpus import media_fixture
from aduan.intake.tests.messenger_support import load_fixture
from aduan.intake.whatsapp.tests.fake_http import running

from .fake_bot_api import FakeBotApi

__all__ = ["media_fixture"]

SECRET = "tg-webhook-secret_2f9c"
FIXTURES = Path(__file__).parent / "fixtures"
URL = "/webhooks/telegram/"
CHAT_ID = "123456789"


def fixture(name: str) -> dict[str, Any]:
    return load_fixture(FIXTURES, name)


def post(client: Client, payload: Any, *, secret: str | None = SECRET) -> Any:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": secret}
    return client.post(URL, body, content_type="application/json", headers=headers)


@pytest.fixture
def bot_api(settings) -> Iterator[FakeBotApi]:  # type: ignore[no-untyped-def]
    with running(FakeBotApi()) as fake:
        settings.ADUAN_TELEGRAM_ENABLED = True
        settings.ADUAN_TELEGRAM_API_URL = fake.url
        settings.ADUAN_TELEGRAM_BOT_TOKEN = fake.token
        settings.ADUAN_TELEGRAM_WEBHOOK_SECRET = SECRET
        settings.ADUAN_TELEGRAM_TIMEOUT = 0.3
        settings.ADUAN_SENDERS = {
            **settings.ADUAN_SENDERS,
            "telegram": "aduan.intake.telegram.sender.TelegramSender",
        }
        yield fake
