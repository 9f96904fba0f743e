"""The one intake service (DESIGN.md: one way in): new complaints from inbound messages,
idempotent per provider message id (S16), and threading of replies into the sender's own
complaint only (S1, R10, R26, R31)."""

from __future__ import annotations

import datetime as dt

import pytest

from aduan.accounts.roles import Role
from aduan.complaints.models import Complaint, InboundKey, Message
from aduan.complaints.tests import factories as f
from aduan.complaints.workflow import transitions as t
from aduan.core import clock, crypto
from aduan.core.exceptions import ApplicationError
from aduan.intake.services import intake_receive
from aduan.intake.types import InboundMessage
from aduan.notifications.models import OutboxMessage

PHONE = "+6281234567890"


def sms(text: str, *, sender: str = "081234567890", provider_id: str = "gammu-1") -> InboundMessage:
    return InboundMessage(
        channel="sms",
        provider_message_id=provider_id,
        sender=sender,
        text=text,
        received_at=clock.now(),
    )


def email(text: str, *, subject: str, sender: str, provider_id: str) -> InboundMessage:
    return InboundMessage(
        channel="email",
        provider_message_id=provider_id,
        sender=sender,
        subject=subject,
        text=text,
        received_at=clock.now(),
    )


@pytest.mark.parametrize(
    "sender", ["081234567890", "0812-3456-7890", "+62 812 3456 7890", "6281234567890"]
)
def test_sms_creates_a_complaint_with_the_phone_in_e164(ref, sender):
    """R9, R10: an SMS to 1708 becomes a complaint on the SMS channel; the sender's number is
    stored in E.164 (+62...) encrypted, with its keyed hash for lookups; the receipt goes back
    by SMS."""
    result = intake_receive(sms("Lampu jalan di Pasarwajo mati sejak seminggu.", sender=sender))
    assert result.action == "created"
    assert result.access_token
    complaint = Complaint.objects.get(pk=result.complaint.pk)
    assert (complaint.channel, complaint.status) == ("sms", "received")
    assert complaint.body == "Lampu jalan di Pasarwajo mati sejak seminggu."
    assert complaint.complainant.phone == PHONE
    assert complaint.complainant.phone_hash == crypto.keyed_hash(PHONE, purpose="phone")
    receipt = OutboxMessage.objects.get(complaint=complaint)
    assert (receipt.template, receipt.channel, receipt.address) == ("complaint_received", "sms", "")


def test_an_invalid_sender_number_is_refused(ref):
    """R10: a sender that is not a phone number is refused and nothing is stored."""
    with pytest.raises(ApplicationError) as excinfo:
        intake_receive(sms("Halo", sender="12"))
    assert excinfo.value.code == "phone_invalid"
    assert Complaint.objects.count() == 0


def test_the_same_provider_message_twice_creates_one_complaint(ref):
    """S16: a provider that delivers the same message twice (a webhook retry) gets the same
    complaint back; nothing is written the second time."""
    first = intake_receive(sms("Jembatan Wabula retak.", provider_id="gammu-77"))
    counts = (Complaint.objects.count(), OutboxMessage.objects.count(), InboundKey.objects.count())
    second = intake_receive(sms("Jembatan Wabula retak.", provider_id="gammu-77"))
    assert (first.action, second.action) == ("created", "duplicate")
    assert second.complaint.pk == first.complaint.pk
    assert second.access_token == ""
    assert (
        (Complaint.objects.count(), OutboxMessage.objects.count(), InboundKey.objects.count())
        == counts
        == (1, 1, 1)
    )


def test_a_reused_provider_id_with_other_content_is_refused(ref):
    """S16: the same provider message id with different content is a misuse, not a retry."""
    intake_receive(sms("Jembatan Wabula retak.", provider_id="gammu-78"))
    with pytest.raises(ApplicationError) as excinfo:
        intake_receive(sms("Pasar Pasarwajo kotor.", provider_id="gammu-78"))
    assert excinfo.value.code == "idempotency_key_reused"
    assert Complaint.objects.count() == 1


def test_answer_to_a_pending_question_by_the_same_sender(ref):
    """R26: an SMS carrying the tracking code from the complainant's own number answers the
    pending question: supplement, back to verification; a redelivery changes nothing."""
    complaint = f.pending(channel="sms", phone="0812 3456 7890", email="")
    text = f"BALAS {complaint.tracking_code.lower()} Di depan SD Negeri 1 Wabula"
    result = intake_receive(sms(text, sender="+6281234567890", provider_id="gammu-90"))
    assert (result.action, result.complaint.pk) == ("supplement", complaint.pk)
    complaint.refresh_from_db()
    assert complaint.status == "received"
    supplement = Message.objects.get(complaint=complaint, kind="supplement")
    assert (supplement.body, supplement.channel) == (text, "sms")
    again = intake_receive(sms(text, sender="+6281234567890", provider_id="gammu-90"))
    assert again.action == "duplicate"
    assert Message.objects.filter(complaint=complaint, kind="supplement").count() == 1
    assert Complaint.objects.count() == 1


def test_reply_to_a_response_by_the_same_sender_is_a_follow_up(ref):
    """R31: within the 10 days, the complainant's reply with the code sends the complaint back
    to the agency."""
    complaint = f.responded(channel="sms", email="")
    result = intake_receive(
        sms(f"BALAS {complaint.tracking_code} lampu masih mati", provider_id="g-1")
    )
    assert (result.action, result.complaint.pk) == ("follow_up", complaint.pk)
    complaint.refresh_from_db()
    assert (complaint.status, complaint.follow_up_count) == ("in_progress", 1)


def test_reply_after_the_window_is_kept_as_a_message(ref, time_machine):
    """R31: after the 10 days the reply cannot reopen the handling, but it is not lost: it is
    kept as a message from the complainant."""
    complaint = f.responded(channel="sms", email="")
    time_machine.move_to(complaint.autoclose_at + dt.timedelta(minutes=1), tick=False)
    result = intake_receive(sms(f"{complaint.tracking_code} masih mati", provider_id="g-2"))
    assert result.action == "message"
    complaint.refresh_from_db()
    assert complaint.status == "responded"
    assert Message.objects.filter(complaint=complaint, kind="from_complainant").count() == 1


def test_message_on_a_complaint_being_handled_is_added_to_it(ref):
    """R21: a message with the code while the agency handles the complaint is added to it."""
    complaint = f.dispatched(channel="sms", email="")
    result = intake_receive(sms(f"{complaint.tracking_code} kapan diperbaiki?", provider_id="g-3"))
    assert (result.action, result.complaint.pk) == ("message", complaint.pk)
    assert Complaint.objects.count() == 1


@pytest.mark.parametrize("state", ["pending", "responded", "dispatched"])
def test_code_from_another_sender_creates_a_new_complaint(ref, state):
    """S1, S3: a message quoting someone else's tracking code is never threaded into their
    complaint: it becomes a new complaint of its own, and the other complaint is unchanged."""
    other = f.BY_STATE[state](channel="sms", email="")
    before = (other.status, other.messages.count(), other.events.count())
    text = f"BALAS {other.tracking_code} saya juga mengalami"
    result = intake_receive(sms(text, sender="085298765432", provider_id="g-4"))
    assert result.action == "created"
    assert result.complaint.pk != other.pk
    assert result.complaint.complainant.phone == "+6285298765432"
    other.refresh_from_db()
    assert (other.status, other.messages.count(), other.events.count()) == before


def test_code_of_a_closed_complaint_opens_a_new_one(ref):
    """R31: after closing, a message with the old code starts a new complaint."""
    closed = f.closed(channel="sms", email="")
    result = intake_receive(sms(f"{closed.tracking_code} rusak lagi", provider_id="g-5"))
    assert result.action == "created" and result.complaint.pk != closed.pk


def test_email_reply_to_our_notification_is_threaded(ref):
    """R10, R26: an email reply whose subject is ours ("Re: ... report BTN-...") from the
    complainant's address (in any letter case) answers the pending question."""
    complaint = f.pending(channel="email", email="warga@contoh.id")
    subject = f"Re: More information needed for report {complaint.tracking_code}"
    result = intake_receive(
        email("Di depan pasar.", subject=subject, sender="Warga@Contoh.ID", provider_id="<m1@x>")
    )
    assert (result.action, result.complaint.pk) == ("supplement", complaint.pk)
    subject = f"Re: Your report {complaint.tracking_code} has been received"
    other = intake_receive(
        email("Saya juga.", subject=subject, sender="orang@lain.id", provider_id="<m2@x>")
    )
    assert other.action == "created" and other.complaint.pk != complaint.pk


def test_anonymous_complainant_can_still_answer_by_sms(ref):
    """R7: an anonymous complaint keeps its (hidden) phone for replies: the complainant's own
    number still threads into it."""
    complaint = t.complaint_request_info(
        complaint=f.submit(channel="sms", email="", anonymous=True),
        by=f.actor(Role.ADMIN),
        question="Di mana?",
    )
    result = intake_receive(sms(f"{complaint.tracking_code} di Lasalimu", provider_id="g-6"))
    assert (result.action, result.complaint.pk) == ("supplement", complaint.pk)
