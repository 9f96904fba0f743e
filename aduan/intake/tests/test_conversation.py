"""The conversation on the short-text channels and email (issue 5): commands end to end through
`inbound_receive`, threading (by code, by email headers, by the sender's one waiting
conversation, asking back when ambiguous), the confirmation of plain messages, attachments and
locations, and the replies in the outbox (R9, R10, R23, R26, R31, S1, S16, S17)."""

from __future__ import annotations

import datetime as dt
import io
import itertools

import pytest
from PIL import Image

from aduan.complaints.models import Complaint, Message
from aduan.complaints.tests import factories as f
from aduan.core import clock
from aduan.intake.conversation import inbound_drafts_expire
from aduan.intake.inbound import (
    inbound_ignore,
    inbound_process,
    inbound_receive,
    inbound_reply,
    inbound_store,
)
from aduan.intake.models import InboundRecord
from aduan.intake.types import InboundAttachment, InboundMessage
from aduan.notifications.models import OutboxMessage
from aduan.notifications.services import render

PHONE = "081234567890"
OTHER = "085298765432"
_ids = itertools.count(1)


def sms(text: str, *, sender: str = PHONE, channel: str = "sms", **kwargs) -> InboundMessage:  # type: ignore[no-untyped-def]
    return InboundMessage(
        channel=channel,
        provider_message_id=kwargs.pop("provider_id", f"{channel}-{next(_ids)}"),
        sender=sender,
        text=text,
        received_at=clock.now(),
        **kwargs,
    )


def replies(outcome) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    """(template, channel, address) of the outbox rows written for the sender."""
    rows = OutboxMessage.objects.filter(pk__in=outcome.replies).order_by("pk")
    return [
        (row.template, row.channel, row.address or ("complainant" if row.to_complainant else ""))
        for row in rows
    ]


def rendered(outcome) -> list[str]:  # type: ignore[no-untyped-def]
    return [render(row).body for row in OutboxMessage.objects.filter(pk__in=outcome.replies)]


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


# --- commands ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["BANTUAN", "bantuan", "?", "INFO", "/start", "bantun"])
def test_help_is_answered_on_the_same_channel(ref, text):
    """R9/R10: BANTUAN (and its forms) gets the help text by SMS to the sender's number."""
    outcome = inbound_receive(sms(text))
    assert (outcome.action, outcome.record.status) == ("help", "processed")
    assert replies(outcome) == [("inbound_help", "sms", PHONE)]
    assert "LAPOR" in rendered(outcome)[0]


def test_lapor_creates_an_sms_complaint_with_its_receipt(ref):
    """R9: LAPOR <isi> becomes a complaint on the SMS channel; the receipt goes back by SMS."""
    outcome = inbound_receive(sms("LAPOR Lampu jalan di Pasarwajo mati sejak seminggu."))
    complaint = Complaint.objects.get(pk=outcome.complaint_id)
    assert (outcome.action, complaint.channel, complaint.status) == ("created", "sms", "received")
    assert complaint.body == "Lampu jalan di Pasarwajo mati sejak seminggu."
    assert complaint.complainant.phone == "+6281234567890"
    assert replies(outcome) == [("complaint_received", "sms", "complainant")]
    assert outcome.record.complaint_id == complaint.pk


def test_lapor_without_text_gets_help(ref):
    outcome = inbound_receive(sms("LAPOR"))
    assert outcome.action == "help" and Complaint.objects.count() == 0


def test_cek_gives_the_public_status_and_never_an_identity(ref):
    """S1, R23: CEK <kode> answers the public status to anyone; the answer carries no name,
    phone or email, whether the asker is the complainant or not."""
    complaint = f.dispatched(channel="sms", name="Wa Ode Sitti", email="sitti@contoh.id")
    own = inbound_receive(sms(f"cek {complaint.tracking_code.lower()}"))
    other = inbound_receive(sms(f"CEK {complaint.tracking_code}", sender=OTHER))
    for outcome in (own, other):
        assert outcome.action == "status"
        assert [r[0] for r in replies(outcome)] == ["inbound_status"]
        (body,) = rendered(outcome)
        assert complaint.tracking_code in body and "Terdisposisi" in body
        for secret in ("Sitti", "sitti@contoh.id", "812", "Jalan rusak"):
            assert secret not in body
        row = OutboxMessage.objects.get(pk=outcome.replies[0])
        assert row.complaint_id is None and not row.to_complainant
    assert replies(other)[0][2] == OTHER


def test_unknown_code_gets_a_clear_answer(ref):
    outcome = inbound_receive(sms("CEK BTN-7K3R-9FF"))
    assert outcome.action == "unknown_code"
    assert replies(outcome) == [("inbound_unknown_code", "sms", PHONE)]
    assert "tidak ditemukan" in rendered(outcome)[0]


def test_balas_answers_the_pending_question(ref):
    """R26: BALAS <kode> <isi> from the complainant's number: supplement, back to verification."""
    complaint = f.pending(channel="sms", email="")
    outcome = inbound_receive(sms(f"BALAS {complaint.tracking_code} Di depan SD Negeri 1"))
    complaint.refresh_from_db()
    assert (outcome.action, complaint.status) == ("supplement", "received")
    assert (
        Message.objects.get(complaint=complaint, kind="supplement").body == "Di depan SD Negeri 1"
    )
    assert ("supplement_received", "sms", "complainant") in replies(outcome)


def test_only_the_complainant_may_act_on_a_complaint(ref):
    """S1, S3: BALAS/PUAS/BELUM with someone else's code changes nothing and says so (with the
    public status only)."""
    complaint = f.responded(channel="sms", email="")
    before = (complaint.status, complaint.messages.count(), complaint.events.count())
    for text in ("BALAS {} saya juga", "PUAS {} 5", "BELUM {} masih rusak"):
        outcome = inbound_receive(sms(text.format(complaint.tracking_code), sender=OTHER))
        assert outcome.action == "not_yours"
        assert replies(outcome) == [("inbound_not_yours", "sms", OTHER)]
    complaint.refresh_from_db()
    assert (complaint.status, complaint.messages.count(), complaint.events.count()) == before
    assert Complaint.objects.count() == 1


def test_puas_confirms_with_a_rating(ref):
    """R32: PUAS <kode> 5 closes the responded complaint as confirmed, rated 5."""
    complaint = f.responded(channel="sms", email="")
    outcome = inbound_receive(sms(f"puas {complaint.tracking_code} 5"))
    complaint.refresh_from_db()
    assert (outcome.action, complaint.status, complaint.satisfaction) == ("confirm", "closed", 5)
    assert ("complaint_closed", "sms", "complainant") in replies(outcome)


def test_puas_rates_a_closed_complaint_once(ref):
    complaint = f.unrated_closed(channel="sms", email="")
    outcome = inbound_receive(sms(f"PUAS {complaint.tracking_code} 4"))
    complaint.refresh_from_db()
    assert (outcome.action, complaint.satisfaction) == ("rate", 4)
    assert replies(outcome) == [("inbound_rated", "sms", PHONE)]
    again = inbound_receive(sms(f"PUAS {complaint.tracking_code} 1"))
    complaint.refresh_from_db()
    assert (again.action, complaint.satisfaction) == ("not_now", 4)


def test_puas_before_a_response_is_refused_politely(ref):
    complaint = f.dispatched(channel="sms", email="")
    outcome = inbound_receive(sms(f"PUAS {complaint.tracking_code}"))
    complaint.refresh_from_db()
    assert (outcome.action, complaint.status) == ("not_now", "dispatched")
    assert replies(outcome) == [("inbound_not_now", "sms", PHONE)]


def test_belum_sends_the_complaint_back_to_the_agency(ref):
    """R31: BELUM <kode> [isi] within the 10 days is a follow-up."""
    complaint = f.responded(channel="sms", email="")
    outcome = inbound_receive(sms(f"BELUM {complaint.tracking_code} lampu masih mati"))
    complaint.refresh_from_db()
    assert (outcome.action, complaint.status, complaint.follow_up_count) == (
        "follow_up",
        "in_progress",
        1,
    )
    assert Message.objects.get(complaint=complaint, kind="follow_up").body == "lampu masih mati"


def test_belum_without_code_uses_the_one_responded_conversation(ref):
    complaint = f.responded(channel="sms", email="")
    outcome = inbound_receive(sms("belum"))
    complaint.refresh_from_db()
    assert (outcome.action, outcome.complaint_id, complaint.status) == (
        "follow_up",
        complaint.pk,
        "in_progress",
    )


def test_balas_after_the_window_is_kept_as_a_message(ref, time_machine):
    complaint = f.responded(channel="sms", email="")
    time_machine.move_to(complaint.autoclose_at + dt.timedelta(minutes=1), tick=False)
    outcome = inbound_receive(sms(f"BALAS {complaint.tracking_code} masih mati"))
    assert outcome.action == "message"
    assert Message.objects.filter(complaint=complaint, kind="from_complainant").count() == 1


def test_balas_on_a_closed_complaint_changes_nothing(ref):
    complaint = f.closed(channel="sms", email="")
    outcome = inbound_receive(sms(f"BALAS {complaint.tracking_code} rusak lagi"))
    assert outcome.action == "not_now"
    assert Complaint.objects.count() == 1


# --- threading without a code ----------------------------------------------------------------------


def test_plain_message_answers_the_one_waiting_conversation(ref):
    """R26: without a code, a plain SMS from the complainant's number answers their one pending
    question."""
    complaint = f.pending(channel="sms", email="")
    outcome = inbound_receive(sms("Lokasinya di depan pasar Pasarwajo"))
    complaint.refresh_from_db()
    assert (outcome.action, outcome.complaint_id, complaint.status) == (
        "supplement",
        complaint.pk,
        "received",
    )


def test_two_waiting_conversations_are_asked_back_never_guessed(ref):
    first = f.pending(channel="sms", email="")
    second = f.responded(channel="sms", email="")
    outcome = inbound_receive(sms("Sudah saya jawab kemarin"))
    assert (outcome.action, outcome.complaint_id) == ("ambiguous", None)
    assert replies(outcome) == [("inbound_which_complaint", "sms", PHONE)]
    (body,) = rendered(outcome)
    assert first.tracking_code in body and second.tracking_code in body
    for complaint in (first, second):
        before = complaint.status
        complaint.refresh_from_db()
        assert complaint.status == before
    assert Message.objects.filter(kind__in=["supplement", "follow_up"]).count() == 0


def test_a_code_in_a_plain_message_threads_it(ref):
    complaint = f.dispatched(channel="whatsapp", email="")
    outcome = inbound_receive(
        sms(
            f"Kapan diperbaiki? {complaint.tracking_code}",
            channel="whatsapp",
            sender="6281234567890",
        )
    )
    assert (outcome.action, outcome.complaint_id) == ("message", complaint.pk)
    assert replies(outcome) == [("message_received", "whatsapp", "complainant")]


# --- confirmation of a plain message -------------------------------------------------------------


def test_plain_message_waits_for_ya_then_becomes_one_complaint(ref):
    """R9: a plain SMS from an unknown number is asked for confirmation; YA creates the
    complaint from everything they sent meanwhile; a second YA finds nothing waiting."""
    first = inbound_receive(sms("Jalan di desa Wabula rusak parah"))
    assert (first.action, first.complaint_id) == ("awaiting_confirmation", None)
    assert replies(first) == [("inbound_confirm_new", "sms", PHONE)]
    assert "YA" in rendered(first)[0]
    second = inbound_receive(sms("Sudah tiga bulan tidak diperbaiki"))
    assert (second.action, second.replies) == ("awaiting_confirmation", [])
    assert Complaint.objects.count() == 0
    confirmed = inbound_receive(sms("Ya"))
    complaint = Complaint.objects.get()
    assert (confirmed.action, confirmed.complaint_id) == ("confirmed", complaint.pk)
    assert complaint.body == "Jalan di desa Wabula rusak parah\nSudah tiga bulan tidak diperbaiki"
    assert complaint.channel == "sms"
    assert ("complaint_received", "sms", "complainant") in replies(confirmed)
    assert set(
        InboundRecord.objects.filter(pk__in=[first.record.pk, second.record.pk]).values_list(
            "action", "complaint_id"
        )
    ) == {("confirmed", complaint.pk)}
    again = inbound_receive(sms("YA"))
    assert again.action == "nothing_to_confirm" and Complaint.objects.count() == 1


def test_a_draft_expires_after_24_hours(ref, time_machine):
    draft = inbound_receive(sms("Air PDAM mati di Pasarwajo"))
    time_machine.move_to(clock.now() + dt.timedelta(hours=25), tick=False)
    late = inbound_receive(sms("YA"))
    assert late.action == "nothing_to_confirm" and Complaint.objects.count() == 0
    assert inbound_drafts_expire() == 1
    draft.record.refresh_from_db()
    assert draft.record.action == "draft_expired"


def test_batal_drops_the_draft(ref):
    inbound_receive(sms("Sampah menumpuk di pasar"))
    cancelled = inbound_receive(sms("BATAL"))
    assert cancelled.action == "draft_cancelled"
    assert replies(cancelled) == [("inbound_draft_cancelled", "sms", PHONE)]
    assert inbound_receive(sms("YA")).action == "nothing_to_confirm"
    assert Complaint.objects.count() == 0


def test_email_creates_at_once_and_threads_by_our_headers(ref):
    """R10: an email is deliberate: a complaint at once. A reply to our notification threads
    by In-Reply-To/References (thread.<CODE>@...) even without the code in subject or text."""
    created = inbound_receive(
        InboundMessage(
            channel="email",
            provider_message_id="<a1@warga>",
            sender="Warga@Contoh.id",
            subject="Jalan rusak",
            text="Jalan di Wabula rusak.",
            received_at=clock.now(),
        )
    )
    complaint = Complaint.objects.get(pk=created.complaint_id)
    assert (created.action, complaint.channel, complaint.title) == (
        "created",
        "email",
        "Jalan rusak",
    )
    complaint.status = "dispatched"
    complaint.save(update_fields=["status"])
    reply = inbound_receive(
        InboundMessage(
            channel="email",
            provider_message_id="<a2@warga>",
            sender="warga@contoh.id",
            subject="Re: your report",
            text="Apakah sudah ditangani?",
            received_at=clock.now(),
            headers={
                "In-Reply-To": f"<c{complaint.pk}.e9.received.complainant@aduan.test>",
                "References": f"<thread.{complaint.tracking_code}@aduan.test>",
            },
        )
    )
    assert (reply.action, reply.complaint_id) == ("message", complaint.pk)
    assert Complaint.objects.count() == 1


# --- attachments and location --------------------------------------------------------------------


def test_attachments_are_checked_like_the_portal_and_a_location_kept(ref):
    """S4, S10: a photo is re-encoded into the complaint's attachment; a file that is not an
    image or PDF is refused, the sender told once, and the text still accepted. A shared
    location becomes the complaint's position."""
    outcome = inbound_receive(
        sms(
            "LAPOR Jembatan retak",
            channel="telegram",
            sender="123456789",
            attachments=(
                InboundAttachment("foto.png", "image/png", png()),
                InboundAttachment("virus.exe", "application/octet-stream", b"MZ\x90\x00" * 50),
            ),
            raw={"location": {"lat": -5.4921, "lon": 122.9}},
        )
    )
    complaint = Complaint.objects.get(pk=outcome.complaint_id)
    assert complaint.attachments.count() == 1
    assert complaint.attachments.get().content_type == "image/png"
    assert (float(complaint.latitude), float(complaint.longitude)) == (-5.4921, 122.9)
    templates = [r[0] for r in replies(outcome)]
    assert templates.count("inbound_attachment_refused") == 1
    assert "complaint_received" in templates
    assert outcome.record.attachments.count() == 0  # the staged bytes are gone


def test_a_photo_draft_keeps_its_file_until_ya(ref):
    draft = inbound_receive(
        sms("", channel="whatsapp", attachments=(InboundAttachment("a.png", "image/png", png()),))
    )
    assert draft.action == "awaiting_confirmation"
    assert draft.record.attachments.count() == 1
    confirmed = inbound_receive(sms("YA", channel="whatsapp"))
    complaint = Complaint.objects.get(pk=confirmed.complaint_id)
    assert complaint.attachments.count() == 1
    assert draft.record.attachments.count() == 0


# --- the adapters' helpers --------------------------------------------------------------------------


def test_inbound_reply_and_ignore_for_adapters(ref):
    record, created = inbound_store(sms("(stiker)", provider_id="wa-sticker", channel="whatsapp"))
    assert created
    message = inbound_reply(record, "inbound_unsupported")
    assert message is not None and (message.channel, message.address) == ("whatsapp", PHONE)
    assert inbound_reply(record, "inbound_unsupported").pk == message.pk  # idempotent
    ignored = inbound_ignore(record, "unsupported")
    assert (ignored.status, ignored.action) == ("ignored", "unsupported")
    assert inbound_process(record).duplicate is True
    assert Complaint.objects.count() == 0


def test_the_same_number_in_another_spelling_is_the_same_sender(ref):
    """Gammu may give 0812... one time and +62812... the next: the same sender for drafts."""
    inbound_receive(sms("Drainase tersumbat di Lasalimu", sender="081234567890"))
    confirmed = inbound_receive(sms("YA", sender="+62 812-3456-7890"))
    assert confirmed.action == "confirmed"
    assert Complaint.objects.get().complainant.phone == "+6281234567890"


def test_a_fresh_email_is_a_new_report_but_a_reply_answers(ref):
    """R26: the complainant's reply ("Re: ...") answers their pending question; a fresh mail
    from the same address with a new subject is a new report, not a guess."""
    complaint = f.pending(channel="email", phone="", email="warga@contoh.id")

    def mail(subject: str) -> InboundMessage:
        return InboundMessage(
            channel="email",
            provider_message_id=f"<{next(_ids)}@warga>",
            sender="warga@contoh.id",
            subject=subject,
            text="Di depan pasar.",
            received_at=clock.now(),
        )

    fresh = inbound_receive(mail("Lampu jalan mati"))
    assert fresh.action == "created" and fresh.complaint_id != complaint.pk
    answer = inbound_receive(mail("Re: More information needed"))
    assert (answer.action, answer.complaint_id) == ("supplement", complaint.pk)
