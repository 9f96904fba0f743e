"""The WhatsApp sender through the real outbox delivery against the fake Graph API (issue 5):
the documented request, S17 (500s and timeouts retried and delivered once), the permanent
Graph errors, the 24-hour window (131047) with and without the fallback template, S13 (the
token in no error or log), the connection check, and the end-to-end path: a WhatsApp text
becomes a complaint, the admin dispatches, the liaison responds, and the response
notification goes back to the same wa_id."""

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

from .conftest import fixture, post
from .fake_graph import graph_error

pytestmark = pytest.mark.django_db

WA_ID = "6281234567890"


def _messages_to(graph, wa_id: str = WA_ID) -> list[dict]:
    return [body for body in graph.sent if body["to"] == wa_id]


def _receipt(client, graph) -> OutboxMessage:
    assert post(client, fixture("text")).status_code == 200
    return OutboxMessage.objects.get(template="complaint_received")


def test_the_receipt_goes_back_to_the_sender_as_documented(client, graph, ref):
    """R10: the answer goes back on the channel the citizen used: POST /{phone-number-id}/
    messages with the documented body, to the wa_id, and the wamid is kept for statuses."""
    receipt = _receipt(client, graph)
    report = outbox_deliver_due()
    assert report.sent >= 1
    (body,) = _messages_to(graph)
    assert body["messaging_product"] == "whatsapp"
    assert body["recipient_type"] == "individual"
    assert body["type"] == "text"
    assert Complaint.objects.get().tracking_code in body["text"]["body"]
    request = next(r for r in graph.requests if r.method == "POST")
    assert request.path == f"/v21.0/{graph.phone_number_id}/messages"
    assert request.headers["Authorization"] == f"Bearer {graph.token}"
    assert request.headers["Content-Type"] == "application/json"
    receipt.refresh_from_db()
    assert receipt.status == OutboxMessage.Status.SENT
    assert receipt.provider_message_id.startswith("wamid.")


def test_500s_are_retried_and_the_message_delivered_once(client, graph, ref):
    """S17: the provider answering 500 twice: the outbox retries with backoff and the
    message is delivered exactly once."""
    receipt = _receipt(client, graph)
    graph.fail_next(2, status=500)
    outbox_deliver_due()
    receipt.refresh_from_db()
    assert (receipt.status, receipt.attempts) == (OutboxMessage.Status.PENDING, 1)
    assert "500" in receipt.last_error
    deliver_until_settled()
    receipt.refresh_from_db()
    assert (receipt.status, receipt.attempts) == (OutboxMessage.Status.SENT, 3)
    assert len(_messages_to(graph)) == 1


def test_a_timeout_is_retried(client, graph, ref):
    """S17: the provider answering after the configured timeout: retried, delivered once."""
    receipt = _receipt(client, graph)
    graph.fail_next(1, mode="timeout")
    assert_retried_then_sent(receipt, "did not answer in time")
    assert len(_messages_to(graph)) == 1


@pytest.mark.parametrize(
    ("status", "code"), [(429, 130429), (400, 131056), (400, 4), (503, 0), (401, 190)]
)
def test_rate_limits_and_temporary_graph_errors_are_retried(client, graph, ref, status, code):
    receipt = _receipt(client, graph)
    graph.fail_next(1, status=status, body=graph_error(code, "temporary") if code else None)
    assert_retried_then_sent(receipt)


@pytest.mark.parametrize("code", [131026, 100, 131047, 131051])
def test_errors_that_cannot_succeed_are_permanent(client, graph, ref, code):
    """Undeliverable (not on WhatsApp), invalid parameter, outside the 24-hour window without
    a fallback template: not retried; the complainant's copy is cancelled."""
    receipt = _receipt(client, graph)
    graph.fail_next(1, status=400, body=graph_error(code, "cannot succeed"))
    outbox_deliver_due()
    receipt.refresh_from_db()
    assert receipt.status == OutboxMessage.Status.CANCELLED
    assert str(code) in receipt.last_error
    assert len(graph.requests) == 1  # the one refused POST, no retry
    deliver_until_settled()
    assert len([r for r in graph.requests if r.method == "POST"]) == 1


def test_outside_the_24_hour_window_the_fallback_template_is_sent(client, graph, ref, settings):
    """Decision: with ADUAN_WHATSAPP_FALLBACK_TEMPLATE set, error 131047 is answered with
    the approved template carrying the tracking code."""
    settings.ADUAN_WHATSAPP_FALLBACK_TEMPLATE = "aduan_kabar_baru"
    receipt = _receipt(client, graph)
    graph.fail_next(1, status=400, body=graph_error(131047, "Re-engagement message"))
    outbox_deliver_due()
    receipt.refresh_from_db()
    assert receipt.status == OutboxMessage.Status.SENT
    (template,) = _messages_to(graph)
    code = Complaint.objects.get().tracking_code
    assert template["type"] == "template"
    assert template["template"] == {
        "name": "aduan_kabar_baru",
        "language": {"code": "id"},
        "components": [{"type": "body", "parameters": [{"type": "text", "text": code}]}],
    }


def test_the_token_never_appears_in_errors_or_logs(client, graph, ref, caplog):
    """S13: a wrong token (401, error 190) is retried, and neither the outbox error nor the
    log carries the access token or the recipient's number."""
    caplog.set_level(logging.DEBUG)
    receipt = _receipt(client, graph)
    graph.token = "another-token"
    outbox_deliver_due()
    receipt.refresh_from_db()
    assert receipt.status == OutboxMessage.Status.PENDING
    assert "190" in receipt.last_error
    from django.conf import settings

    token = settings.ADUAN_WHATSAPP_ACCESS_TOKEN
    for text in (receipt.last_error, caplog.text):
        assert token not in text
        assert WA_ID not in text


def test_the_sender_refuses_when_whatsapp_is_off(settings):
    from aduan.intake.whatsapp.sender import WhatsAppSender

    settings.ADUAN_WHATSAPP_ENABLED = False
    with pytest.raises(PermanentFailure):
        WhatsAppSender().send(RenderedMessage(1, "whatsapp", "+6281234567890", "", "Halo", "key-1"))


def test_channels_check_reads_the_phone_number(graph, capsys):
    call_command("channels_check", "whatsapp")
    assert "whatsapp: ok" in capsys.readouterr().out


def test_channels_check_fails_with_a_wrong_token(graph, capsys):
    graph.token = "another-token"
    with pytest.raises(CommandError):
        call_command("channels_check", "whatsapp")
    output = capsys.readouterr().out
    assert "whatsapp: FAILED" in output
    assert "another-token" not in output


def test_end_to_end_text_dispatch_response_back_to_the_same_wa_id(client, graph, ref):
    """R10, R29: a WhatsApp text becomes a complaint; the admin dispatches it, the liaison
    responds, and the response notification reaches the same wa_id through the Graph API."""
    assert post(client, fixture("text")).json()["messages"] == ["created"]
    complaint = Complaint.objects.get()
    outbox_deliver_due()
    complaint = complaint_answered(complaint, "Lubang sudah ditambal oleh tim UPTD jalan.")
    deliver_until_settled()
    response = OutboxMessage.objects.get(template="complaint_responded", channel="whatsapp")
    assert response.status == OutboxMessage.Status.SENT
    bodies = [m["text"]["body"] for m in _messages_to(graph)]
    assert any("dijawab" in body and complaint.tracking_code in body for body in bodies)
    assert len(bodies) == OutboxMessage.objects.filter(channel="whatsapp", status="sent").count()


def test_settings_check_needs_the_app_secret_when_enabled(graph, settings):
    """S11: switching WhatsApp on without the app secret (no signature could be verified) or
    the verify token is a configuration error reported by `manage.py check`."""
    from aduan.intake.whatsapp.checks import whatsapp_settings_check

    settings.DEBUG = True
    assert whatsapp_settings_check() == []
    settings.ADUAN_WHATSAPP_APP_SECRET = ""
    settings.ADUAN_WHATSAPP_VERIFY_TOKEN = ""
    ids = [
        (p.id, "APP_SECRET" in p.msg or "VERIFY_TOKEN" in p.msg) for p in whatsapp_settings_check()
    ]
    assert ids == [("whatsapp.E001", True), ("whatsapp.E001", True)]
