"""The Telegram sender through the real outbox delivery against the fake Bot API (issue 5):
sendMessage as documented, S17 (500s, 429 and timeouts retried, delivered once), 400/403
permanent, S13 (the bot token, which is part of every Bot API URL, in no error, log or command
output), getMe as the connection check, setWebhook with the secret token, and the end-to-end
path back to the same chat."""

from __future__ import annotations

import logging

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from aduan.complaints.models import Complaint
from aduan.intake.tests.messenger_support import (
    assert_retried_then_sent,
    complaint_answered,
    deliver_until_settled,
)
from aduan.notifications.models import OutboxMessage
from aduan.notifications.senders import PermanentFailure, RenderedMessage
from aduan.notifications.services import outbox_deliver_due

from .conftest import CHAT_ID, SECRET, fixture, post
from .fake_bot_api import bot_error

pytestmark = pytest.mark.django_db


def _receipt(client) -> OutboxMessage:
    assert post(client, fixture("text")).json() == {"action": "created"}
    return OutboxMessage.objects.get(template="complaint_received")


def _send_message_calls(bot_api) -> list:
    return [r for r in bot_api.requests if r.path.endswith("/sendMessage")]


def test_the_receipt_goes_back_to_the_chat_as_documented(client, bot_api, ref):
    """R10: the receipt goes back on Telegram: sendMessage {chat_id, text} as plain text; the
    provider id "<chat_id>:<message_id>" is kept."""
    receipt = _receipt(client)
    outbox_deliver_due()
    (body,) = bot_api.sent
    assert body["chat_id"] == CHAT_ID
    assert Complaint.objects.get().tracking_code in body["text"]
    assert "parse_mode" not in body
    receipt.refresh_from_db()
    assert receipt.status == OutboxMessage.Status.SENT
    assert receipt.provider_message_id == f"{CHAT_ID}:501"


def test_500s_are_retried_and_the_message_delivered_once(client, bot_api, ref):
    """S17: two 500s, then success: retried with backoff, delivered exactly once."""
    receipt = _receipt(client)
    bot_api.fail_next(2, status=500)
    deliver_until_settled()
    receipt.refresh_from_db()
    assert (receipt.status, receipt.attempts) == (OutboxMessage.Status.SENT, 3)
    assert len(bot_api.sent) == 1
    assert len(_send_message_calls(bot_api)) == 3


def test_flood_control_429_is_retried(client, bot_api, ref):
    receipt = _receipt(client)
    bot_api.fail_next(1, status=429, body=bot_error(429, "Too Many Requests: retry after 5", 5))
    assert_retried_then_sent(receipt, "429")


def test_a_timeout_is_retried(client, bot_api, ref):
    """S17: the Bot API answering after the configured timeout: retried, delivered once."""
    receipt = _receipt(client)
    bot_api.fail_next(1, mode="timeout")
    assert_retried_then_sent(receipt, "did not answer in time")
    assert len(bot_api.sent) == 1


@pytest.mark.parametrize(
    ("status", "description"),
    [(403, "Forbidden: bot was blocked by the user"), (400, "Bad Request: chat not found")],
)
def test_blocked_bot_and_unknown_chat_are_permanent(client, bot_api, ref, status, description):
    receipt = _receipt(client)
    bot_api.fail_next(1, status=status, body=bot_error(status, description))
    deliver_until_settled()
    receipt.refresh_from_db()
    assert receipt.status == OutboxMessage.Status.CANCELLED
    assert description in receipt.last_error
    assert len(_send_message_calls(bot_api)) == 1


def test_the_bot_token_never_appears_in_errors_or_logs(client, bot_api, ref, caplog, settings):
    """S13: every Bot API URL holds the token; a wrong token (401), a timeout and an
    unreachable API leave errors and logs without it."""
    caplog.set_level(logging.DEBUG)
    receipt = _receipt(client)
    token = settings.ADUAN_TELEGRAM_BOT_TOKEN
    bot_api.token = "other:token"  # the API no longer knows ours: 401
    outbox_deliver_due()
    receipt.refresh_from_db()
    assert receipt.status == OutboxMessage.Status.PENDING
    assert "401" in receipt.last_error
    errors = [receipt.last_error]
    settings.ADUAN_TELEGRAM_API_URL = "http://127.0.0.1:9"  # nothing listens: unreachable
    deliver_until_settled(rounds=1)
    receipt.refresh_from_db()
    errors.append(receipt.last_error)
    assert "unreachable" in receipt.last_error
    for text in [*errors, caplog.text]:
        assert token not in text
        assert token.split(":")[1] not in text


def test_the_sender_refuses_a_non_chat_address(settings, bot_api):
    from aduan.intake.telegram.sender import TelegramSender

    with pytest.raises(PermanentFailure):
        TelegramSender().send(RenderedMessage(1, "telegram", "@someone", "", "Halo", "k"))
    settings.ADUAN_TELEGRAM_ENABLED = False
    with pytest.raises(PermanentFailure):
        TelegramSender().send(RenderedMessage(1, "telegram", CHAT_ID, "", "Halo", "k"))


def test_channels_check_calls_get_me(bot_api, capsys):
    call_command("channels_check", "telegram")
    assert "telegram: ok — bot @AduanButonBot" in capsys.readouterr().out


def test_channels_check_fails_with_a_wrong_token(bot_api, capsys, settings):
    bot_api.token = "other:token"
    with pytest.raises(CommandError):
        call_command("channels_check", "telegram")
    output = capsys.readouterr().out
    assert "telegram: FAILED" in output
    assert settings.ADUAN_TELEGRAM_BOT_TOKEN not in output


def test_telegram_webhook_command_sets_the_secret_token(bot_api, capsys):
    """S11: the webhook is registered with our secret token, so Telegram sends it back."""
    call_command("telegram_webhook", "https://aduan.butonkab.go.id")
    (params,) = bot_api.webhooks
    assert params["url"] == "https://aduan.butonkab.go.id/webhooks/telegram/"
    assert params["secret_token"] == SECRET
    assert params["allowed_updates"] == ["message"]
    with pytest.raises(CommandError):
        call_command("telegram_webhook", "http://insecure.example")


def test_end_to_end_text_dispatch_response_back_to_the_same_chat(client, bot_api, ref):
    """R10, R29: a Telegram text becomes a complaint; dispatched, responded, and the response
    notification reaches the same chat through sendMessage."""
    complaint = Complaint.objects.get(pk=_receipt(client).complaint_id)
    complaint = complaint_answered(complaint, "Lampu sudah diganti oleh Dinas Perhubungan.")
    deliver_until_settled()
    response = OutboxMessage.objects.get(template="complaint_responded", channel="telegram")
    assert response.status == OutboxMessage.Status.SENT
    texts = [m["text"] for m in bot_api.sent if m["chat_id"] == CHAT_ID]
    assert any("Lampu sudah diganti" in text for text in texts)
    assert len(texts) == OutboxMessage.objects.filter(channel="telegram", status="sent").count()


def test_settings_check_needs_the_webhook_secret_when_enabled(bot_api, settings):
    """S11: Telegram switched on without the webhook secret is a configuration error."""
    from aduan.intake.telegram.checks import telegram_settings_check

    settings.DEBUG = True
    assert telegram_settings_check() == []
    settings.ADUAN_TELEGRAM_WEBHOOK_SECRET = ""
    (problem,) = telegram_settings_check()
    assert problem.id == "telegram.E001"
    assert "ADUAN_TELEGRAM_WEBHOOK_SECRET" in problem.msg
