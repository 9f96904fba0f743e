"""The WhatsApp Cloud API webhook (issue 5), Zulip-style: one test per captured payload
fixture, posted signed as Meta posts it, with the outcome asserted; the handshake; S11 (a
signature that does not verify: 403, nothing stored); S16 (the same payload twice: one
complaint); malformed input never a server error."""

from __future__ import annotations

import json
from typing import Any

import pytest

from aduan.complaints.models import Complaint
from aduan.complaints.tests.uploads_corpus import jpeg
from aduan.intake.inbound import record_message
from aduan.intake.models import InboundRecord
from aduan.intake.tests.messenger_support import (
    assert_location_taken,
    assert_media_lost,
    only_record,
)
from aduan.notifications.models import OutboxMessage
from aduan.notifications.services import outbox_enqueue

from .conftest import URL, VERIFY_TOKEN, fixture, post, sign
from .fake_graph import FakeGraph

pytestmark = pytest.mark.django_db

WAMID_SENT = "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEjkwMDAwMDAx"
UNSUPPORTED = ["sticker", "audio", "video", "document_zip", "contacts", "unsupported", "unknown"]
IGNORED = ["reaction", "system"]
STATUSES = {
    "status_sent": "sent",
    "status_delivered": "delivered",
    "status_read": "read",
    "status_failed": "failed",
}
TAKEN = [
    "text",
    "image",
    "image_without_caption",
    "document",
    "location",
    "location_pin",
    "interactive_button_reply",
    "button",
]


def test_every_fixture_has_a_test():
    """Each captured payload is exercised by exactly one of the tables below."""
    from .conftest import FIXTURES

    names = {p.stem for p in FIXTURES.glob("*.json")}
    assert names == set(UNSUPPORTED) | set(IGNORED) | set(STATUSES) | set(TAKEN)


# --- the handshake ---------------------------------------------------------------------------


def test_verification_handshake_echoes_the_challenge(client, graph):
    """Meta's subscription check: hub.mode=subscribe and our verify token → the challenge."""
    response = client.get(
        URL,
        {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"},
    )
    assert response.status_code == 200
    assert response.content == b"1158201444"
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize(
    "params",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"},
        {"hub.challenge": "1"},
    ],
)
def test_verification_with_a_wrong_token_is_refused(client, graph, params):
    """S11: the handshake only answers whoever knows the verify token."""
    response = client.get(URL, params)
    assert response.status_code == 403
    assert b"1" not in response.content


def test_the_webhook_is_not_there_when_whatsapp_is_off(client, graph, settings):
    settings.ADUAN_WHATSAPP_ENABLED = False
    body = json.dumps(fixture("text")).encode()
    assert post(client, body).status_code == 404
    assert not InboundRecord.objects.exists()


# --- S11: the signature ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "signature",
    [
        "",  # missing
        "sha256=" + "0" * 64,
        "sha1=0123456789abcdef0123456789abcdef01234567",
        "sha256=",
        "wrong-secret",  # signed with another secret (filled in below)
    ],
)
def test_a_signature_that_does_not_verify_is_refused_and_nothing_stored(
    client, graph, ref, signature
):
    """S11: a POST whose X-Hub-Signature-256 is missing or is not the HMAC-SHA256 of the raw
    body with our app secret gets 403; nothing is stored, processed or sent."""
    body = json.dumps(fixture("text")).encode()
    if signature == "wrong-secret":
        signature = sign(body, "another-secret")
    response = post(client, body, signature=signature)
    assert response.status_code == 403
    assert not InboundRecord.objects.exists()
    assert not Complaint.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_a_signature_of_another_body_is_refused(client, graph, ref):
    """S11: the signature covers the exact bytes; a re-serialised or altered body fails."""
    original = json.dumps(fixture("text")).encode()
    altered = original.replace(b"Pasarwajo", b"Pasarwaj0")
    response = post(client, altered, signature=sign(original))
    assert response.status_code == 403
    assert not InboundRecord.objects.exists()


# --- one test per fixture ------------------------------------------------------------------------


def test_text_message_becomes_a_complaint(client, graph, ref):
    """R9, R10, R23: a WhatsApp text (LAPOR ...) becomes a complaint on the WhatsApp channel;
    the sender's wa_id is the complainant's phone (E.164), their profile name the name."""
    response = post(client, fixture("text"))
    assert response.status_code == 200
    assert response.json()["messages"] == ["created"]
    complaint = Complaint.objects.get()
    assert complaint.channel == "whatsapp"
    assert "Pasarwajo" in complaint.body
    assert complaint.complainant.phone == "+6281234567890"
    assert complaint.complainant.name == "Wa Ode Sitti"
    record = only_record("whatsapp")
    assert record.provider_message_id.startswith("wamid.")
    assert record.complaint_id == complaint.pk


def test_image_message_is_downloaded_through_the_media_api(client, graph, ref, media):
    """An image with a caption: its media id is resolved (GET /{media-id}), the file fetched
    with the bearer token, and the photo is kept with the complaint."""
    photo = jpeg()
    graph.media["1003383421387256"] = (photo, "image/jpeg")
    response = post(client, fixture("image"))
    assert response.status_code == 200
    paths = [r.path for r in graph.requests]
    assert paths == ["/v21.0/1003383421387256", "/download/1003383421387256"]
    assert all(r.headers["Authorization"] == f"Bearer {graph.token}" for r in graph.requests)
    complaint = Complaint.objects.get()
    assert "Jembatan" in complaint.body
    (attachment,) = complaint.attachments.all()
    assert attachment.content_type == "image/jpeg"


def test_pdf_document_is_kept_with_the_complaint(client, graph, ref, media):
    """A letter sent as a PDF document (or a photo sent as a file): downloaded like an image
    and kept with the complaint after the portal's upload checks; other documents (a zip)
    get the polite reply (see the unsupported table)."""
    from aduan.complaints.tests.uploads_corpus import pdf

    graph.media["1228459131406374"] = (pdf(), "application/pdf")
    response = post(client, fixture("document"))
    assert response.json()["messages"] == ["created"]
    (attachment,) = Complaint.objects.get().attachments.all()
    assert attachment.content_type == "application/pdf"


def test_image_without_caption_is_kept(client, graph, ref, media):
    graph.media["1003383421387257"] = (jpeg(), "image/jpeg")
    response = post(client, fixture("image_without_caption"))
    assert response.status_code == 200
    record = only_record("whatsapp")
    assert record.status != InboundRecord.Status.RECEIVED
    assert len(graph.requests) == 2  # the media node and the file


def test_image_whose_download_fails_keeps_the_text(client, graph, ref, media):
    """The media API down: the caption is still taken, the loss noted on the record."""
    graph.fail_next(1, status=500)
    graph.media["1003383421387256"] = (jpeg(), "image/jpeg")
    response = post(client, fixture("image"))
    assert response.status_code == 200
    assert_media_lost("whatsapp", "WhatsAppUnavailable", "Jembatan")


@pytest.mark.parametrize(
    ("name", "lat", "lon"), [("location", -5.5069, 122.8597), ("location_pin", -5.4821, 122.9012)]
)
def test_location_message_is_stored_with_its_position(client, graph, ref, name, lat, lon):
    """A shared location: the position travels as raw["location"] = {lat, lon}."""
    response = post(client, fixture(name))
    assert response.status_code == 200
    assert_location_taken("whatsapp", lat, lon)


@pytest.mark.parametrize("name", ["interactive_button_reply", "button"])
def test_button_replies_are_taken_as_their_text(client, graph, ref, name):
    """A tapped reply button counts as the text on the button (a command such as BANTUAN)."""
    response = post(client, fixture(name))
    assert response.status_code == 200
    record = only_record("whatsapp")
    assert record.text in ("CEK BTN-7K3R-9FF", "BANTUAN")
    assert record.status != InboundRecord.Status.RECEIVED


@pytest.mark.parametrize("name", UNSUPPORTED)
def test_unsupported_message_types_get_one_polite_reply(client, graph, ref, name):
    """A sticker, voice note, video, document, contact card or a type WhatsApp itself does not
    support: kept (ignored), answered once with the `inbound_unsupported` reply, never a
    server error; a repeat delivery does not answer again (S16)."""
    for _ in range(2):
        response = post(client, fixture(name))
        assert response.status_code == 200
    assert response.json()["messages"] == ["duplicate"]
    record = only_record("whatsapp")
    assert record.status == InboundRecord.Status.IGNORED
    (reply,) = OutboxMessage.objects.all()
    assert (reply.channel, reply.template) == ("whatsapp", "inbound_unsupported")
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("name", IGNORED)
def test_reactions_and_system_messages_are_ignored(client, graph, ref, name):
    response = post(client, fixture(name))
    assert response.status_code == 200
    assert response.json()["messages"] == ["ignored"]
    assert not InboundRecord.objects.exists()
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize(("name", "status"), STATUSES.items())
def test_status_updates_are_recorded_on_the_outbox(client, graph, ref, name, status):
    """sent / delivered / read / failed reported by WhatsApp land on the message we sent."""
    sent = outbox_enqueue(
        channel="whatsapp",
        template="complaint_received",
        idempotency_key="wa-status-test",
        address="+6281234567890",
    )
    OutboxMessage.objects.filter(pk=sent.pk).update(status="sent", provider_message_id=WAMID_SENT)
    response = post(client, fixture(name))
    assert response.status_code == 200
    assert response.json()["statuses"] == 1
    sent.refresh_from_db()
    assert sent.delivery_status == status
    assert not InboundRecord.objects.exists()


# --- S16: repeat delivery, and bad input ---------------------------------------------------------


def test_the_same_payload_twice_creates_one_complaint(client, graph, ref):
    """S16: Meta retries a webhook it thinks failed; the wamid makes the repeat a no-op."""
    first = post(client, fixture("text"))
    second = post(client, fixture("text"))
    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json()["messages"] == ["duplicate"]
    assert Complaint.objects.count() == 1
    assert InboundRecord.objects.count() == 1


def test_a_repeated_image_is_not_downloaded_again(client, graph, ref, media):
    graph.media["1003383421387256"] = (jpeg(), "image/jpeg")
    post(client, fixture("image"))
    post(client, fixture("image"))
    assert len(graph.requests) == 2
    assert Complaint.objects.count() == 1


def _broken(payload: dict[str, Any], path: list[Any], value: Any) -> dict[str, Any]:
    node: Any = payload
    for key in path[:-1]:
        node = node[key]
    if value is KeyError:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return payload


VALUE = ["entry", 0, "changes", 0, "value"]
MESSAGE = [*VALUE, "messages", 0]


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (["object"], "page"),
        (["entry"], KeyError),
        (["entry"], "not a list"),
        (["entry", 0, "changes"], [None, 3, "x"]),
        ([*VALUE, "messages"], {"not": "a list"}),
        ([*MESSAGE, "id"], KeyError),
        ([*MESSAGE, "from"], KeyError),
        ([*MESSAGE, "from"], 12345),
        ([*MESSAGE, "text"], KeyError),
        ([*MESSAGE, "text"], {"body": ""}),
        ([*MESSAGE, "timestamp"], "yesterday"),
        ([*MESSAGE, "type"], None),
        ([*VALUE, "contacts"], "nobody"),
        ([*VALUE, "metadata", "phone_number_id"], "999999999"),
    ],
)
def test_malformed_payloads_are_answered_without_a_server_error(client, graph, ref, path, value):
    """Missing fields or fields of the wrong type: answered 200 (skipped or handled), never 500."""
    response = post(client, _broken(fixture("text"), path, value))
    assert response.status_code == 200
    assert InboundRecord.objects.filter(status=InboundRecord.Status.RECEIVED).count() == 0


@pytest.mark.parametrize(
    "body", [b"{not json", b'{"object": "whatsapp_business_account", "entry": [\xff\xfe]}', b""]
)
def test_malformed_json_and_invalid_utf8_are_400(client, graph, ref, body):
    response = post(client, body)
    assert response.status_code == 400
    assert not InboundRecord.objects.exists()


def test_a_10000_character_message_is_taken(client, graph, ref):
    payload = fixture("text")
    payload["entry"][0]["changes"][0]["value"]["messages"][0]["text"]["body"] = (
        "LAPOR " + "a" * 10_000
    )
    response = post(client, payload)
    assert response.status_code == 200
    assert only_record("whatsapp").status != InboundRecord.Status.RECEIVED


def test_a_message_for_another_business_number_is_skipped(client, graph, ref):
    payload = fixture("text")
    payload["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = "42"
    response = post(client, payload)
    assert response.json() == {"messages": [], "statuses": 0, "skipped": 1}
    assert not InboundRecord.objects.exists()


def test_graph_fake_is_a_real_peer(graph: FakeGraph):
    """The fake answers over HTTP like the Graph API (sanity check of the test peer)."""
    from aduan.intake.whatsapp.client import WhatsAppClient

    assert WhatsAppClient().phone_number()["id"] == graph.phone_number_id


@pytest.mark.parametrize("text", ["LAPOR jalan \\ud800 rusak", "LAPOR jalan \\u0000 rusak"])
def test_lone_surrogates_and_nul_in_json_text_do_not_crash(client, graph, ref, text):
    """Signed, valid JSON carrying a lone surrogate or a NUL: taken, cleaned, never a 500."""
    body = json.dumps(fixture("text")).replace("LAPOR Jalan", text).encode()
    assert text.encode() in body
    response = post(client, body)
    assert response.status_code == 200
    assert only_record("whatsapp").status != InboundRecord.Status.RECEIVED


def test_a_media_file_that_does_not_match_its_hash_is_not_kept(client, graph, ref, media):
    """The downloaded bytes must match the sha256 the media node announced."""
    graph.media["1003383421387256"] = (jpeg(), "image/jpeg")
    graph.tamper_downloads = True
    response = post(client, fixture("image"))
    assert response.status_code == 200
    assert record_message(only_record("whatsapp")).raw["media_error"] == "WhatsAppUnavailable"
    assert not Complaint.objects.get().attachments.exists()


@pytest.mark.parametrize("recovery", ["provider_retry", "sweep"])
def test_a_crash_after_storing_loses_nothing_and_duplicates_nothing(client, graph, ref, recovery):
    """S16, S17: the process dies after the message was stored and before it was processed
    (so Meta got no 200). Meta's retry, or the periodic sweep, processes the stored record
    once; the other then finds nothing left to do: one complaint, one receipt."""
    from aduan.intake.inbound import inbound_process_pending, inbound_store
    from aduan.intake.whatsapp.payload import parse_webhook
    from aduan.intake.whatsapp.views import _inbound

    (message,) = parse_webhook(fixture("text"), phone_number_id=graph.phone_number_id).messages
    record, created = inbound_store(_inbound(message))  # ... and the worker is killed here
    assert created and record.status == InboundRecord.Status.RECEIVED
    if recovery == "provider_retry":
        assert post(client, fixture("text")).json()["messages"] == ["created"]
        assert inbound_process_pending() == 0
    else:
        assert inbound_process_pending() == 1
        assert post(client, fixture("text")).json()["messages"] == ["duplicate"]
    assert Complaint.objects.count() == 1
    assert OutboxMessage.objects.filter(template="complaint_received").count() == 1
    record.refresh_from_db()
    assert record.status == InboundRecord.Status.PROCESSED


def test_no_identity_in_the_logs(client, graph, ref, media, caplog):
    """S1: the sender's number and profile name reach no log line, even when something goes
    wrong on the way (a failed media download, an unsupported type, a refused signature)."""
    import logging

    caplog.set_level(logging.DEBUG)
    graph.fail_next(1, status=500)
    post(client, fixture("image"))
    post(client, fixture("sticker"))
    post(client, fixture("text"), signature="sha256=00")
    assert InboundRecord.objects.count() == 2
    for secret in ("6281234567890", "Wa Ode Sitti", graph.token):
        assert secret not in caplog.text


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_repeat_deliveries_create_one_complaint(graph, ref):
    """S16 under concurrency: Meta may deliver the same webhook again while the first delivery
    is still being handled; four simultaneous posts of one wamid make one record, one
    complaint, one receipt — every post answered 200."""
    import threading

    from django.db import connection
    from django.test import Client

    barrier = threading.Barrier(4)
    codes: list[int] = []

    def deliver() -> None:
        try:
            barrier.wait(timeout=10)
            codes.append(post(Client(), fixture("text")).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert codes == [200, 200, 200, 200]
    assert InboundRecord.objects.count() == 1
    assert Complaint.objects.count() == 1
    assert OutboxMessage.objects.filter(template="complaint_received").count() == 1
