"""The Telegram Bot API webhook (issue 5), Zulip-style: one test per captured Update fixture,
posted with the secret token as Telegram posts it, with the outcome asserted; S11 (a wrong or
missing secret token: 403, nothing stored); S16 (the same update twice: one complaint);
malformed input never a server error."""

from __future__ import annotations

import json
from typing import Any

import pytest

from aduan.complaints.models import Complaint
from aduan.complaints.tests.uploads_corpus import jpeg
from aduan.intake.models import InboundRecord
from aduan.intake.tests.messenger_support import (
    assert_location_taken,
    assert_media_lost,
    only_record,
)
from aduan.notifications.models import OutboxMessage

from .conftest import CHAT_ID, FIXTURES, SECRET, fixture, post

pytestmark = pytest.mark.django_db

UNSUPPORTED = [
    "sticker",
    "voice",
    "video_note",
    "video",
    "document_zip",
    "audio",
    "animation",
    "contact",
    "poll",
    "dice",
]
IGNORED = {
    "edited_message": "ignored:edited",
    "group_message": "ignored:group",
    "from_bot": "ignored:bot",
    "channel_post": "ignored",
    "my_chat_member": "ignored",
    "callback_query": "ignored",
}
TAKEN = ["text", "start", "photo", "photo_without_caption", "document", "location", "venue"]
LARGE_PHOTO = "AgACAgUAAxkBAAIBZ2cLarge"


def test_every_fixture_has_a_test():
    names = {p.stem for p in FIXTURES.glob("*.json")}
    assert names == set(UNSUPPORTED) | set(IGNORED) | set(TAKEN)


# --- S11: the secret token ----------------------------------------------------------------------


@pytest.mark.parametrize("secret", [None, "", "wrong", SECRET + "x", SECRET.upper()])
def test_a_wrong_or_missing_secret_token_is_refused_and_nothing_stored(
    client, bot_api, ref, secret
):
    """S11: without Telegram's X-Telegram-Bot-Api-Secret-Token equal to our secret (constant
    time comparison) the update gets 403; nothing is stored, processed or sent."""
    response = post(client, fixture("text"), secret=secret)
    assert response.status_code == 403
    assert not InboundRecord.objects.exists()
    assert not Complaint.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_an_unset_secret_refuses_everything(client, bot_api, ref, settings):
    """S11: a deployment that forgot the secret accepts nothing, not anything."""
    settings.ADUAN_TELEGRAM_WEBHOOK_SECRET = ""
    assert post(client, fixture("text"), secret="").status_code == 403
    assert not InboundRecord.objects.exists()


def test_the_webhook_is_not_there_when_telegram_is_off(client, bot_api, settings):
    settings.ADUAN_TELEGRAM_ENABLED = False
    assert post(client, fixture("text")).status_code == 404


def test_only_post_is_allowed(client, bot_api):
    assert client.get("/webhooks/telegram/").status_code == 405


# --- one test per fixture ------------------------------------------------------------------------


def test_text_message_becomes_a_complaint(client, bot_api, ref):
    """R9, R10, R23: a Telegram text (LAPOR ...) becomes a complaint on the Telegram channel;
    the chat id is the complainant's messenger id, "<chat_id>:<message_id>" the provider id."""
    response = post(client, fixture("text"))
    assert response.status_code == 200
    assert response.json() == {"action": "created"}
    complaint = Complaint.objects.get()
    assert complaint.channel == "telegram"
    assert "Masjid Agung" in complaint.body
    assert complaint.complainant.messenger_id == CHAT_ID
    assert complaint.complainant.name == "La Ode Hamid"
    record = only_record("telegram")
    assert record.provider_message_id == f"{CHAT_ID}:1001"


def test_start_answers_with_help(client, bot_api, ref):
    """/start (the first thing every Telegram user sends) is the help command."""
    response = post(client, fixture("start"))
    assert response.json() == {"action": "help"}
    (reply,) = OutboxMessage.objects.all()
    assert (reply.channel, reply.template, reply.address) == ("telegram", "inbound_help", CHAT_ID)
    assert not Complaint.objects.exists()


def test_photo_takes_the_largest_size_through_get_file(client, bot_api, ref, media):
    """A photo: the largest of its sizes is fetched (getFile, then /file/bot<token>/<path>)
    and kept with the complaint; the caption is the report's text."""
    bot_api.files[LARGE_PHOTO] = ("photos/file_12.jpg", jpeg())
    response = post(client, fixture("photo"))
    assert response.status_code == 200
    assert [r.path for r in bot_api.requests] == [
        f"/bot{bot_api.token}/getFile",
        f"/file/bot{bot_api.token}/photos/file_12.jpg",
    ]
    assert bot_api.requests[0].json() == {"file_id": LARGE_PHOTO}
    complaint = Complaint.objects.get()
    assert "Takimpo" in complaint.body
    (attachment,) = complaint.attachments.all()
    assert attachment.content_type == "image/jpeg"


def test_pdf_document_is_kept_with_the_complaint(client, bot_api, ref, media):
    """A letter sent as a PDF (or a photo sent as a file) is downloaded through getFile and
    kept with the complaint; other documents (a zip) get the polite reply."""
    from aduan.complaints.tests.uploads_corpus import pdf

    bot_api.files["BQACAgUAAxkBAAIBdoc"] = ("documents/file_3.pdf", pdf())
    response = post(client, fixture("document"))
    assert response.json() == {"action": "created"}
    (attachment,) = Complaint.objects.get().attachments.all()
    assert attachment.content_type == "application/pdf"


def test_photo_without_caption_is_kept(client, bot_api, ref, media):
    bot_api.files[LARGE_PHOTO] = ("photos/file_13.jpg", jpeg())
    response = post(client, fixture("photo_without_caption"))
    assert response.status_code == 200
    assert only_record("telegram").status != InboundRecord.Status.RECEIVED
    assert len(bot_api.requests) == 2


def test_photo_whose_download_fails_keeps_the_caption(client, bot_api, ref, media):
    bot_api.fail_next(1, status=502)
    response = post(client, fixture("photo"))
    assert response.status_code == 200
    assert_media_lost("telegram", "TelegramUnavailable", "Takimpo")


@pytest.mark.parametrize(
    ("name", "lat", "lon"), [("location", -5.5069, 122.8597), ("venue", -5.4821, 122.9012)]
)
def test_location_is_stored_with_its_position(client, bot_api, ref, name, lat, lon):
    response = post(client, fixture(name))
    assert response.status_code == 200
    assert_location_taken("telegram", lat, lon)


@pytest.mark.parametrize("name", UNSUPPORTED)
def test_unsupported_message_types_get_one_polite_reply(client, bot_api, ref, name):
    """A sticker, voice note, video note, file, contact, poll, dice...: kept (ignored),
    answered once with `inbound_unsupported`, never a server error; again: no second reply."""
    first = post(client, fixture(name))
    second = post(client, fixture(name))
    assert (first.status_code, second.status_code) == (200, 200)
    assert (first.json(), second.json()) == ({"action": "unsupported"}, {"action": "duplicate"})
    assert only_record("telegram").status == InboundRecord.Status.IGNORED
    (reply,) = OutboxMessage.objects.all()
    assert (reply.channel, reply.template, reply.address) == (
        "telegram",
        "inbound_unsupported",
        CHAT_ID,
    )
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(("name", "action"), IGNORED.items())
def test_edits_groups_bots_and_other_updates_are_ignored(client, bot_api, ref, name, action):
    """Decision: an edited message is ignored (the original was taken; an edit must not become
    a second report); group chats, other bots, channel posts, membership changes and
    callbacks are not conversations with a citizen."""
    response = post(client, fixture(name))
    assert response.status_code == 200
    assert response.json() == {"action": action}
    assert not InboundRecord.objects.exists()
    assert not OutboxMessage.objects.exists()


# --- S16, and bad input --------------------------------------------------------------------------


def test_the_same_update_twice_creates_one_complaint(client, bot_api, ref):
    """S16: Telegram redelivers an update it got no 2xx for; the repeat is a no-op."""
    post(client, fixture("text"))
    second = post(client, fixture("text"))
    assert second.json() == {"action": "duplicate"}
    assert Complaint.objects.count() == 1
    assert InboundRecord.objects.count() == 1


def test_a_repeated_photo_is_not_downloaded_again(client, bot_api, ref, media):
    bot_api.files[LARGE_PHOTO] = ("photos/file_14.jpg", jpeg())
    post(client, fixture("photo"))
    post(client, fixture("photo"))
    assert len(bot_api.requests) == 2


def _set(payload: dict[str, Any], path: list[Any], value: Any) -> dict[str, Any]:
    node: Any = payload
    for key in path[:-1]:
        node = node[key]
    if value is KeyError:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return payload


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (["update_id"], KeyError),
        (["update_id"], "864200001"),
        (["message"], "hello"),
        (["message", "chat"], KeyError),
        (["message", "chat", "id"], "abc"),
        (["message", "message_id"], None),
        (["message", "from"], KeyError),
        (["message", "text"], 42),
        (["message", "text"], "   "),
        (["message", "date"], 10**20),
        (["message", "photo"], [{"no": "file_id"}]),
        (["message", "location"], {"latitude": 200, "longitude": "x"}),
    ],
)
def test_malformed_updates_are_answered_without_a_server_error(client, bot_api, ref, path, value):
    """Missing fields or wrong types: 200 (ignored or handled), never a 500 — a 5xx would make
    Telegram hold back every later update of the bot."""
    response = post(client, _set(fixture("text"), path, value))
    assert response.status_code == 200
    assert not InboundRecord.objects.filter(status=InboundRecord.Status.RECEIVED).exists()


@pytest.mark.parametrize(
    "body", [b"{not json", b'{"update_id": 1, "message": {"text": "\xff"}}', b"[]"]
)
def test_malformed_json_and_invalid_utf8(client, bot_api, ref, body):
    response = post(client, body)
    assert response.status_code in (200, 400)
    assert not InboundRecord.objects.exists()
    if body != b"[]":
        assert response.status_code == 400


def test_a_10000_character_message_is_taken(client, bot_api, ref):
    response = post(client, _set(fixture("text"), ["message", "text"], "LAPOR " + "b" * 10_000))
    assert response.status_code == 200
    assert only_record("telegram").status != InboundRecord.Status.RECEIVED


def test_the_update_is_not_logged_with_the_secret(client, bot_api, ref, caplog):
    """S13: a refused update is logged without the secret that was tried or expected."""
    post(client, fixture("text"), secret="guess-" + SECRET)
    assert SECRET not in caplog.text
    assert json.dumps(fixture("text"))[:20] not in caplog.text


@pytest.mark.parametrize("text", ["LAPOR jalan \\ud800 rusak", "LAPOR jalan \\u0000 rusak"])
def test_lone_surrogates_and_nul_in_json_text_do_not_crash(client, bot_api, ref, text):
    """Valid JSON can still carry a lone surrogate or a NUL (PostgreSQL refuses NUL in text):
    taken, cleaned, never a server error."""
    body = json.dumps(fixture("text")).replace("LAPOR Lampu", text).encode()
    assert text.encode() in body
    response = post(client, body)
    assert response.status_code == 200
    assert only_record("telegram").status != InboundRecord.Status.RECEIVED


def test_no_identity_in_the_logs(client, bot_api, ref, media, caplog):
    """S1: the chat id (the citizen's messenger id) and name reach no log line, even when the
    photo download fails or the message type is unsupported."""
    import logging

    caplog.set_level(logging.DEBUG)
    bot_api.fail_next(1, status=500)
    post(client, fixture("photo"))
    post(client, fixture("sticker"))
    assert InboundRecord.objects.count() == 2
    for secret in (CHAT_ID, "La Ode", "Hamid", bot_api.token):
        assert secret not in caplog.text
