"""Fixtures: the WhatsApp channel switched on against a running fake Graph API."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from aduan.complaints.tests.uploads_corpus import media_fixture
from aduan.intake.tests.messenger_support import load_fixture

from .fake_graph import PHONE_NUMBER_ID, FakeGraph
from .fake_http import running

__all__ = ["media_fixture"]

APP_SECRET = "test-app-secret-7f3a"
VERIFY_TOKEN = "test-verify-token-c41d"
FIXTURES = Path(__file__).parent / "fixtures"
URL = "/webhooks/whatsapp/"


def fixture(name: str) -> dict[str, Any]:
    return load_fixture(FIXTURES, name)


def sign(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post(client: Client, payload: Any, *, signature: str | None = None) -> Any:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return client.post(
        URL,
        body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": sign(body) if signature is None else signature},
    )


@pytest.fixture
def graph(settings) -> Iterator[FakeGraph]:  # type: ignore[no-untyped-def]
    with running(FakeGraph()) as fake:
        settings.ADUAN_WHATSAPP_ENABLED = True
        settings.ADUAN_WHATSAPP_API_URL = fake.api_url
        settings.ADUAN_WHATSAPP_ACCESS_TOKEN = fake.token
        settings.ADUAN_WHATSAPP_PHONE_NUMBER_ID = PHONE_NUMBER_ID
        settings.ADUAN_WHATSAPP_APP_SECRET = APP_SECRET
        settings.ADUAN_WHATSAPP_VERIFY_TOKEN = VERIFY_TOKEN
        settings.ADUAN_WHATSAPP_TIMEOUT = 0.3
        settings.ADUAN_WHATSAPP_FALLBACK_TEMPLATE = ""
        settings.ADUAN_SENDERS = {
            **settings.ADUAN_SENDERS,
            "whatsapp": "aduan.intake.whatsapp.sender.WhatsAppSender",
        }
        yield fake
