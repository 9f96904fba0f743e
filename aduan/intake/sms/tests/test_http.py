"""The generic HTTP SMS gateway: Kannel-style webhooks in, sendsms out (against a small local
fake gateway that answers the way Kannel's sendsms does)."""

from __future__ import annotations

import random
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import Client

from aduan.complaints.models import Complaint
from aduan.intake.models import InboundRecord
from aduan.notifications.models import OutboxMessage
from aduan.notifications.services import outbox_deliver_due, outbox_enqueue

pytestmark = pytest.mark.usefixtures("ref")

SECRET = "gateway-shared-secret-1708"
PASSWORD = "kannel-password-not-for-logs"


def number() -> str:
    return f"+62852{random.randint(10_000_000, 99_999_999)}"  # nosec B311


@pytest.fixture
def http_backend(settings: Any) -> Any:
    settings.ADUAN_SMS_BACKEND = "http"
    settings.ADUAN_SMS_HTTP_SECRET = SECRET
    settings.ADUAN_SMS_HTTP_USERNAME = "aduan"
    settings.ADUAN_SMS_HTTP_PASSWORD = PASSWORD
    settings.ADUAN_SMS_HTTP_TIMEOUT = 0.5
    settings.ADUAN_SENDERS = {
        **settings.ADUAN_SENDERS,
        "sms": "aduan.intake.sms.http.HttpGatewaySender",
    }
    return settings


def sms_records() -> list[InboundRecord]:
    return list(InboundRecord.objects.filter(channel="sms"))


# --- incoming -------------------------------------------------------------------------------


def test_incoming_sms_by_get_becomes_a_complaint(client: Client, http_backend: Any) -> None:
    sender = number()
    reply = client.get(
        "/webhooks/sms/",
        {
            "secret": SECRET,
            "from": sender,
            "text": "LAPOR Sampah menumpuk di pasar Pasarwajo",
            "id": "c0a8f1e2-kannel-1",
            "time": "2026-11-27 09:30:00",
        },
    )
    assert reply.status_code == 200 and reply.content == b""  # no reply SMS from the gateway
    (record,) = sms_records()
    assert record.provider_message_id == "http:c0a8f1e2-kannel-1"
    assert record.sender == sender
    assert record.complaint is not None and record.complaint.channel == "sms"
    assert "Sampah menumpuk" in record.complaint.body


def test_incoming_sms_by_post_form_and_a_second_delivery_stores_nothing_s16(
    client: Client, http_backend: Any
) -> None:
    sender = number()
    form = {"secret": SECRET, "from": sender, "text": "LAPOR Jalan berlubang di Lakudo"}
    for _ in range(2):  # the gateway retries (no id: the message is recognised by its content)
        assert client.post("/webhooks/sms/", form).status_code == 200
    (record,) = sms_records()
    assert Complaint.objects.count() == 1
    # S1: the id made up for it is a keyed hash, not the number in clear
    assert sender.lstrip("+") not in record.provider_message_id


@pytest.mark.parametrize("secret", ["", "wrong", SECRET + "x", SECRET.upper()])
def test_wrong_secret_is_refused_and_nothing_stored_s11_s13(
    client: Client, http_backend: Any, secret: str
) -> None:
    reply = client.get(
        "/webhooks/sms/", {"secret": secret, "from": number(), "text": "LAPOR palsu"}
    )
    assert reply.status_code == 403
    assert sms_records() == [] and Complaint.objects.count() == 0


def test_webhooks_are_not_there_when_the_http_backend_is_off(client: Client, settings: Any) -> None:
    settings.ADUAN_SMS_BACKEND = "gammu"
    settings.ADUAN_SMS_HTTP_SECRET = SECRET
    assert client.get("/webhooks/sms/", {"secret": SECRET, "from": "+628111"}).status_code == 404
    assert client.get("/webhooks/sms/dlr/", {"secret": SECRET}).status_code == 404


def test_invalid_utf8_and_other_charsets_are_decoded_not_refused(
    client: Client, http_backend: Any
) -> None:
    sender = urllib.parse.quote(number())
    bad = client.get(
        f"/webhooks/sms/?secret={SECRET}&from={sender}&id=bad-1&text=LAPOR%20jalan%FF%FE%20rusak"
    )
    assert bad.status_code == 200
    text = "LAPOR Jembatan ambruk ä".encode("utf-16-be")
    ucs2 = client.get(
        f"/webhooks/sms/?secret={SECRET}&from={urllib.parse.quote(number())}&id=ucs2-1"
        f"&charset=UTF-16BE&coding=2&text={urllib.parse.quote_from_bytes(text)}"
    )
    assert ucs2.status_code == 200
    records = {r.provider_message_id: r for r in sms_records()}
    assert records["http:bad-1"].text == "LAPOR jalan\ufffd\ufffd rusak"
    assert records["http:ucs2-1"].text == "LAPOR Jembatan ambruk ä"


def test_empty_text_and_missing_sender(client: Client, http_backend: Any) -> None:
    assert client.get("/webhooks/sms/", {"secret": SECRET, "text": "x"}).status_code == 400
    reply = client.get("/webhooks/sms/", {"secret": SECRET, "from": number(), "id": "e1"})
    assert reply.status_code == 200
    (record,) = sms_records()
    assert record.text == "" and record.complaint is None
    assert record.status == InboundRecord.Status.PROCESSED


# --- outgoing -------------------------------------------------------------------------------


class FakeGateway:
    """Kannel's sendsms: 202 "0: Accepted for delivery"; scripted failures first."""

    def __init__(self, script: list[str]) -> None:
        self.script = list(script)
        self.requests: list[dict[str, str]] = []
        self.accepted = 0
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                query = urllib.parse.urlsplit(self.path).query
                gateway.requests.append(dict(urllib.parse.parse_qsl(query)))
                action = gateway.script.pop(0) if gateway.script else "accept"
                if action == "timeout":
                    time.sleep(1.0)
                    return
                if action == "500":
                    self.send_response(500)
                    self.end_headers()
                    self.wfile.write(b"internal error")
                    return
                if action == "400":
                    self.send_response(400)
                    self.end_headers()
                    self.wfile.write(b"Missing receiver number")
                    return
                gateway.accepted += 1
                self.send_response(202)
                self.end_headers()
                self.wfile.write(b"0: Accepted for delivery")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/cgi-bin/sendsms"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway(http_backend: Any) -> Iterator[FakeGateway]:
    fake = FakeGateway([])
    http_backend.ADUAN_SMS_HTTP_SEND_URL = fake.url
    yield fake
    fake.close()


def deliver_now() -> None:
    OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).update(
        next_attempt_at="2000-01-01T00:00:00Z"
    )
    outbox_deliver_due()


def test_gateway_errors_and_timeouts_are_retried_and_the_sms_delivered_once(
    gateway: FakeGateway,
) -> None:
    gateway.script = ["500", "timeout"]
    message = outbox_enqueue(
        channel="sms",
        template="inbound_help",
        idempotency_key="http-retry",
        address="+6281234500003",
    )
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxMessage.Status.PENDING)
    for _attempt in range(4):
        deliver_now()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 3 and gateway.accepted == 1
    assert len(gateway.requests) == 3
    assert message.provider_message_id == f"http:{message.pk}"
    sent = gateway.requests[-1]
    assert sent["to"] == "+6281234500003" and sent["coding"] == "0" and sent["charset"] == "UTF-8"
    assert sent["username"] == "aduan" and sent["password"] == PASSWORD
    assert "/webhooks/sms/dlr/" in sent["dlr-url"] and sent["dlr-url"].endswith("status=%d")
    # S13/S1: the password and the number travel in the URL, never into an error message
    assert message.last_error == ""
    failed = OutboxMessage.objects.create(
        channel="sms", template="inbound_help", idempotency_key="x", address="+6281234500009"
    )
    gateway.script = ["500"]
    OutboxMessage.objects.filter(pk=failed.pk).update(next_attempt_at="2000-01-01T00:00:00Z")
    outbox_deliver_due()
    failed.refresh_from_db()
    assert "HTTP 500" in failed.last_error
    assert PASSWORD not in failed.last_error and "1234500009" not in failed.last_error


def test_check_reaches_the_gateway_and_fails_when_it_errs(gateway: FakeGateway) -> None:
    from aduan.intake.sms.checks import sms_check

    gateway.script = ["400"]  # Kannel without "to": the gateway is there
    assert sms_check() == "the SMS gateway's send URL answers"
    gateway.script = ["500"]
    with pytest.raises(Exception, match="HTTP 500"):
        sms_check()


def test_a_request_the_gateway_calls_bad_is_not_retried(gateway: FakeGateway) -> None:
    gateway.script = ["400"]
    message = outbox_enqueue(
        channel="sms", template="inbound_help", idempotency_key="http-bad", address="+6281234500004"
    )
    deliver_now()
    message.refresh_from_db()
    assert message.status in (OutboxMessage.Status.DEAD, OutboxMessage.Status.CANCELLED)
    assert PASSWORD not in message.last_error and "400" in message.last_error
    deliver_now()
    assert len(gateway.requests) == 1


def test_delivery_report_callback_records_status_and_never_goes_back(
    client: Client, gateway: FakeGateway
) -> None:
    message = outbox_enqueue(
        channel="sms", template="inbound_help", idempotency_key="http-dlr", address="+6281234500005"
    )
    deliver_now()
    message.refresh_from_db()
    dlr = urllib.parse.urlsplit(gateway.requests[-1]["dlr-url"])
    assert dlr.path == "/webhooks/sms/dlr/"
    base = f"{dlr.path}?{dlr.query.replace('%d', '1')}"  # what Kannel calls: delivered
    assert client.get(base).status_code == 200
    message.refresh_from_db()
    assert message.delivery_status == "delivered"
    late = base.replace("status=1", "status=8")  # "accepted by the SMSC", arriving late
    assert client.get(late).status_code == 200
    message.refresh_from_db()
    assert message.delivery_status == "delivered"
    forged = base.replace(SECRET, "guess")
    assert client.get(forged.replace("status=1", "status=2")).status_code == 403
    message.refresh_from_db()
    assert message.delivery_status == "delivered"
