"""The one inbound path under faults and bad input (issue 5): a message delivered twice (S16),
a crash between storing and processing (S17), a processing error (nothing half-done), very
long and malformed text (NUL, lone surrogates), and the SMS replies' GSM-7 budget."""

from __future__ import annotations

import itertools

import pytest
from django.utils import translation

from aduan.complaints import services as complaint_services
from aduan.complaints.models import Complaint, InboundKey
from aduan.complaints.tests import factories as f
from aduan.core import clock
from aduan.intake.inbound import (
    inbound_process,
    inbound_process_pending,
    inbound_receive,
    inbound_store,
)
from aduan.intake.models import InboundRecord
from aduan.intake.types import InboundMessage
from aduan.notifications.gsm7 import gsm7_fit, gsm7_length, is_gsm7
from aduan.notifications.messages import MESSAGES
from aduan.notifications.models import OutboxMessage

PHONE = "081234567890"
_ids = itertools.count(1)


def sms(text: str, *, provider_id: str | None = None, channel: str = "sms") -> InboundMessage:
    return InboundMessage(
        channel=channel,
        provider_message_id=provider_id or f"in-{next(_ids)}",
        sender=PHONE if channel != "email" else "warga@contoh.id",
        text=text,
        received_at=clock.now(),
    )


def counts() -> tuple[int, int, int, int]:
    return (
        InboundRecord.objects.count(),
        Complaint.objects.count(),
        OutboxMessage.objects.count(),
        InboundKey.objects.count(),
    )


def test_s16_a_message_delivered_twice_is_acted_on_once(ref):
    """S16: the same provider message id again (a webhook retry, Gammu re-reading its inbox)
    returns the first outcome; nothing is stored, created or sent twice."""
    first = inbound_receive(sms("LAPOR jembatan Wabula retak", provider_id="gammu-7"))
    before = counts()
    second = inbound_receive(sms("LAPOR jembatan Wabula retak", provider_id="gammu-7"))
    assert (first.duplicate, second.duplicate) == (False, True)
    assert (second.record.pk, second.complaint_id) == (first.record.pk, first.complaint_id)
    assert counts() == before == (1, 1, 1, 1)


def test_s17_crash_between_store_and_process_is_finished_by_the_sweep(ref):
    """S17: the adapter stored the message (its transaction committed) and the worker died
    before processing. The sweep processes it exactly once; a redelivery meanwhile adds
    nothing."""
    record, created = inbound_store(sms("LAPOR lampu jalan mati", provider_id="gammu-9"))
    assert created and record.status == "received"
    again, created_again = inbound_store(sms("LAPOR lampu jalan mati", provider_id="gammu-9"))
    assert (again.pk, created_again) == (record.pk, False)
    assert Complaint.objects.count() == 0
    assert inbound_process_pending() == 1
    assert inbound_process_pending() == 0
    record.refresh_from_db()
    assert (record.status, record.action, record.attempts) == ("processed", "created", 1)
    assert Complaint.objects.count() == 1
    assert inbound_process(record).duplicate is True
    assert Complaint.objects.count() == 1


def test_s17_a_processing_error_leaves_nothing_half_done(ref, monkeypatch):
    """S17: a failure in the middle of processing (here the receipt cannot be written: a fault
    injected into the outbox) rolls back the complaint; the record stays RECEIVED with the
    error for the sweep, and after five failed attempts becomes FAILED for a human."""

    def broken_outbox(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("outbox down for 081234567890")

    monkeypatch.setattr(complaint_services, "notify_complainant", broken_outbox)
    record, _created = inbound_store(sms("LAPOR sampah menumpuk di pasar"))
    outcome = inbound_process(record)
    record.refresh_from_db()
    assert (outcome.action, record.status, record.attempts) == ("error", "received", 1)
    assert "RuntimeError" in record.error and "081234567890" not in record.error
    assert (Complaint.objects.count(), InboundKey.objects.count()) == (0, 0)
    for _attempt in range(4):
        inbound_process(record)
    record.refresh_from_db()
    assert (record.status, record.attempts) == ("failed", 5)
    monkeypatch.undo()
    other, _created = inbound_store(sms("LAPOR got mampet"))
    assert inbound_process_pending() == 1  # the failed one is left for a human
    assert Complaint.objects.count() == 1 and other.pk != record.pk


def test_a_10000_character_sms_is_accepted_whole(ref):
    text = ("Jalan rusak dan berlubang di desa Wabula. " * 300)[:10_000]
    outcome = inbound_receive(sms(f"LAPOR {text}"))
    complaint = Complaint.objects.get(pk=outcome.complaint_id)
    assert complaint.body == text.strip()
    assert outcome.record.text == f"LAPOR {text}"


def test_a_longer_email_is_kept_whole_in_the_record(ref):
    text = "x" * 12_000
    outcome = inbound_receive(sms(text, channel="email"))
    assert outcome.action == "created"
    assert len(Complaint.objects.get().body) == 10_000
    assert len(InboundRecord.objects.get().text) == 12_000


@pytest.mark.parametrize("channel", ["sms", "email"])
def test_nul_bytes_and_surrogates_do_not_crash(ref, channel):
    """Invalid UTF-8 decoded by an adapter with surrogateescape, and NUL bytes (which
    PostgreSQL refuses in text): stored and processed, never a crash."""
    text = "LAPOR Jalan\x00 rusak \udcff\udcfe di Wabula"
    message = InboundMessage(
        channel=channel,
        provider_message_id="bad\x00-utf8",
        sender=PHONE if channel == "sms" else "warga@contoh.id",
        sender_name="Wa\x00rga \udce9",
        subject="Aduan \udcff",
        text=text,
        received_at=clock.now(),
        headers={"X-Test": "a\x00b"},
        raw={"text": "\x00\udcff"},
    )
    outcome = inbound_receive(message)
    assert outcome.action == "created"
    record = InboundRecord.objects.get()
    assert "\x00" not in record.text and "\x00" not in record.raw
    assert record.headers == {"X-Test": "ab"}
    body = Complaint.objects.get().body
    assert "\x00" not in body and "Jalan rusak" in body
    body.encode("utf-8")  # storable text


# --- notify_complainant: their channel, and email as well ----------------------------------------


def test_notifications_go_to_the_channel_used_and_email_as_well(ref):
    """R9, R10: an SMS complainant who also gave an email address hears on both; separate
    outbox rows with their own idempotency keys, so a failing channel blocks nothing."""
    complaint = f.submit(channel="sms", email="warga@contoh.id")
    rows = OutboxMessage.objects.filter(complaint=complaint, template="complaint_received")
    assert sorted(rows.values_list("channel", flat=True)) == ["email", "sms"]
    assert len(set(rows.values_list("idempotency_key", flat=True))) == 2
    only_sms = f.submit(channel="sms", email="")
    assert list(
        OutboxMessage.objects.filter(complaint=only_sms).values_list("channel", flat=True)
    ) == ["sms"]
    web = f.submit(channel="web", email="warga@contoh.id")
    assert list(OutboxMessage.objects.filter(complaint=web).values_list("channel", flat=True)) == [
        "email"
    ]


# --- GSM-7 ---------------------------------------------------------------------------------------


def test_gsm7_fit_replaces_what_would_force_ucs2():
    fitted = gsm7_fit(
        "\u201cJalan\u201d rusak \u2014 parah\u2026 \u2019kan? \u2705\U0001f64f  Caf\u00e8"
    )
    assert fitted == '"Jalan" rusak - parah... \'kan? Cafè'
    assert is_gsm7(fitted)
    assert gsm7_length("a[b]€") == 8  # extension characters count two
    assert gsm7_length("emoji 🙂") is None
    cut = gsm7_fit("kata " * 100, limit=160)
    assert gsm7_length(cut) <= 160 and cut.endswith("...")


class _Realistic(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return "Juni 2026 sampai Juli"


REALISTIC = _Realistic(
    code="BTN-7K3R-9FF",
    site_url="https://aduan.butonkab.go.id",
    pemda="Kabupaten Buton",
    agency="Dinas Pekerjaan Umum dan Penataan Ruang",
    response_due="Selasa 16 Juni 2026 15:00 WITA",
    question_short="Di mana tepatnya lokasi jalan yang rusak? Mohon sebutkan nama desanya.",
    private_link="https://aduan.butonkab.go.id/lacak/BTN-7K3R-9FF/?t=Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z",
    reason="Tidak jelas",
    forwarded_to="Balai Jalan Nasional XXI Kendari",
    status="Menunggu konfirmasi",
    codes="BTN-7K3R-9FF, BTN-AC3D-4EF, BTN-9X2M-7KH",
    first="BTN-7K3R-9FF",
    minutes=10,
    example="BTN-7K3R-9FF",
    count=2,
    dispatch_days=3,
)


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_sms_template_fits_one_gsm7_segment(language):
    """R9: every SMS text, filled with realistic (long) values, is plain GSM-7 and fits one
    160-character segment."""
    with translation.override(language):
        too_long = {}
        for name, text in MESSAGES.items():
            body = str(text.sms) % REALISTIC
            length = gsm7_length(body)
            if length is None or length > 160:
                too_long[name] = (length, body)
    assert too_long == {}


def test_an_sms_reply_stays_gsm7_when_no_letter_is_lost(ref):
    """R9: a staff question with curly quotes and an emoji still goes out as plain GSM-7; a
    question in a script GSM-7 cannot write keeps its letters (UCS-2 only when needed)."""
    from aduan.accounts.roles import Role
    from aduan.complaints.workflow import transitions as t
    from aduan.notifications.services import render

    complaint = f.submit(channel="sms", email="")
    t.complaint_request_info(
        complaint=complaint, by=f.actor(Role.ADMIN), question="\u201cDi mana?\u201d \U0001f64f"
    )
    row = OutboxMessage.objects.get(complaint=complaint, template="info_requested")
    body = render(row).body
    assert is_gsm7(body) and '"Di mana?"' in body
    assert gsm7_fit("\u0645\u0631\u062d\u0628\u0627") == ""  # what gsm7_fit alone would do
    from aduan.notifications.gsm7 import gsm7_prefer

    assert gsm7_prefer("Aduan \u0645\u0631\u062d\u0628\u0627 \u2014 ok") == (
        "Aduan \u0645\u0631\u062d\u0628\u0627 \u2014 ok"
    )


def test_s18_erasing_the_identity_erases_the_messages_as_received(ref):
    """S18: the complainant's erasure (data_rights.complainant_erase) also blanks the sender,
    name, headers and raw payload of the channel messages kept for the complaint, through
    settings.ADUAN_IDENTITY_ERASERS; the text of the report stays."""
    from aduan.complaints.data_rights import complainant_erase

    message = InboundMessage(
        channel="sms",
        provider_message_id="erase-1",
        sender=PHONE,
        sender_name="Wa Ode Hasnia",
        text="LAPOR lampu jalan Pasarwajo mati",
        received_at=clock.now(),
        raw={"SenderNumber": PHONE},
    )
    outcome = inbound_receive(message)
    complaint = Complaint.objects.get(pk=outcome.complaint_id)
    complainant_erase(complaint.complainant)
    record = InboundRecord.objects.get(pk=outcome.record.pk)
    assert (record.sender, record.sender_name, record.sender_hash, record.raw) == ("", "", "", "")
    assert "lampu jalan" in record.text
