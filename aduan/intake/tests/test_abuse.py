"""Abuse (issue 5): per-sender rate limits with one polite reply, the admins' blocklist, and no
reply storms with machines (S7-style limits on what the public can trigger; S1 for the masked,
hashed addresses; audited admin actions)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from aduan.accounts.roles import Role
from aduan.audit.models import AuditEntry
from aduan.complaints.models import Complaint
from aduan.complaints.tests import factories as f
from aduan.core import clock
from aduan.core.exceptions import PermissionDenied
from aduan.intake.abuse import (
    is_person_address,
    mask_address,
    sender_block,
    sender_is_blocked,
    sender_unblock,
)
from aduan.intake.inbound import inbound_receive
from aduan.intake.models import SenderBlock
from aduan.intake.types import InboundMessage
from aduan.notifications.models import OutboxMessage

PHONE = "081234567890"
_ids = itertools.count(1)


def sms(text: str, *, sender: str = PHONE, channel: str = "sms") -> InboundMessage:
    return InboundMessage(
        channel=channel,
        provider_message_id=f"abuse-{next(_ids)}",
        sender=sender,
        text=text,
        received_at=clock.now(),
    )


def test_a_flooding_sender_gets_one_polite_reply_then_silence(ref, settings):
    """Over the limit (here 3 per 10 minutes) the messages are kept but REJECTED, not acted on;
    the sender gets ONE inbound_rate_limited reply for the window, then nothing."""
    settings.ADUAN_INBOUND_RATE_10MIN = 3
    outcomes = [inbound_receive(sms(f"LAPOR jalan rusak nomor {n}")) for n in range(6)]
    assert [o.action for o in outcomes] == ["created"] * 3 + ["rate_limited"] * 3
    assert {o.record.status for o in outcomes[3:]} == {"rejected"}
    assert Complaint.objects.count() == 3
    notices = OutboxMessage.objects.filter(template="inbound_rate_limited")
    assert [(m.channel, m.address) for m in notices] == [("sms", PHONE)]
    assert notices.get().context["minutes"] >= 1
    # Another sender is not affected.
    assert inbound_receive(sms("LAPOR lampu mati", sender="085298765432")).action == "created"


def test_the_daily_limit_counts_too(ref, settings):
    settings.ADUAN_INBOUND_RATE_DAY = 2
    actions = [inbound_receive(sms(f"CEK BTN-7K3R-9F{n}")).action for n in range(3)]
    assert actions[2] == "rate_limited"


def test_blocked_sender_is_rejected_without_reply(ref):
    """An admin blocks a number (on SMS); its messages are kept REJECTED, never answered; the
    block is audited without the number; unblocking lets them in again."""
    admin = f.staff(Role.ADMIN)
    block = sender_block(by=admin, channel="sms", sender="0812-3456-7890", note="spam")
    assert block.masked_address == "+62812****890"
    assert "3456" not in block.masked_address
    assert sender_is_blocked("sms", "+6281234567890")
    assert not sender_is_blocked("whatsapp", "6281234567890")
    outcome = inbound_receive(sms("LAPOR lagi dan lagi"))
    assert (outcome.action, outcome.record.status, outcome.replies) == ("blocked", "rejected", [])
    assert OutboxMessage.objects.count() == 0 and Complaint.objects.count() == 0
    entry = AuditEntry.objects.get(action="intake.sender_block")
    assert "81234567890" not in str(entry.data) and entry.actor == admin
    sender_unblock(by=admin, block=block)
    assert AuditEntry.objects.filter(action="intake.sender_unblock").count() == 1
    assert inbound_receive(sms("LAPOR jalan rusak")).action == "created"


def test_a_block_on_every_channel_covers_sms_and_whatsapp(ref):
    admin = f.staff(Role.ADMIN)
    sender_block(by=admin, channel="*", sender="+62 812 3456 7890")
    assert sender_is_blocked("sms", PHONE)
    assert sender_is_blocked("whatsapp", "6281234567890")
    assert inbound_receive(sms("halo", channel="whatsapp", sender="6281234567890")).action == (
        "blocked"
    )


def test_a_block_from_a_record_and_its_expiry(ref, time_machine):
    admin = f.staff(Role.ADMIN)
    record = inbound_receive(sms("LAPOR sekali")).record
    sender_block(
        by=admin, channel="", record=record, expires_at=clock.now() + dt.timedelta(hours=1)
    )
    assert SenderBlock.objects.get().channel == "sms"
    assert sender_is_blocked("sms", PHONE)
    time_machine.move_to(clock.now() + dt.timedelta(hours=2), tick=False)
    assert not sender_is_blocked("sms", PHONE)


@pytest.mark.parametrize("role", [Role.LIAISON, Role.AGENCY_HEAD, Role.CHAIR, Role.REGENT])
def test_only_an_admin_manages_the_blocklist(ref, role):
    user = f.staff(role, f.agency() if role in (Role.LIAISON, Role.AGENCY_HEAD) else None)
    with pytest.raises(PermissionDenied):
        sender_block(by=user, channel="sms", sender=PHONE)
    block = sender_block(by=f.staff(Role.ADMIN), channel="sms", sender=PHONE)
    with pytest.raises(PermissionDenied):
        sender_unblock(by=user, block=block)
    assert SenderBlock.objects.count() == 1


@pytest.mark.parametrize(
    ("channel", "sender", "person"),
    [
        ("sms", "+6281234567890", True),
        ("sms", "081234567890", True),
        ("sms", "TELKOMSEL", False),
        ("sms", "INFO-PLN", False),
        ("sms", "1708", False),
        ("sms", "32665", False),
        ("whatsapp", "6281234567890", True),
        ("telegram", "123456789", True),
        ("telegram", "bot", False),
        ("email", "warga@contoh.id", True),
    ],
)
def test_machine_senders_are_recognised(channel, sender, person):
    assert is_person_address(channel, sender) is person


def test_no_reply_to_a_machine_sender(ref):
    """No reply storms: an SMS from an alphanumeric sender id or a short code is ignored and
    never answered (an operator's robot answering our robot)."""
    for sender in ("TELKOMSEL", "3636"):
        outcome = inbound_receive(sms("Paket internet Anda habis. Balas YA", sender=sender))
        assert (outcome.action, outcome.record.status) == ("not_a_person", "ignored")
    assert OutboxMessage.objects.count() == 0 and Complaint.objects.count() == 0


def test_replies_to_one_address_are_capped_per_hour(ref, settings):
    settings.ADUAN_INBOUND_REPLIES_PER_HOUR = 2
    outcomes = [inbound_receive(sms(f"CEK BTN-7K3R-9F{n}")) for n in range(4)]
    assert [len(o.replies) for o in outcomes] == [1, 1, 0, 0]
    assert OutboxMessage.objects.filter(template="inbound_unknown_code").count() == 2


def test_an_exact_repeat_is_ignored(ref, time_machine):
    """A phone (or a robot) sending the same text again within minutes: acted on once."""
    first = inbound_receive(sms("LAPOR jalan rusak di Wabula"))
    repeat = inbound_receive(sms("LAPOR  jalan rusak di Wabula"))
    assert (first.action, repeat.action, repeat.record.status) == ("created", "repeat", "ignored")
    time_machine.move_to(clock.now() + dt.timedelta(minutes=10), tick=False)
    assert inbound_receive(sms("LAPOR jalan rusak di Wabula")).action == "created"
    assert Complaint.objects.count() == 2


@pytest.mark.parametrize(
    ("channel", "sender", "masked"),
    [
        ("sms", "081234567890", "+62812****890"),
        ("email", "Warga.Buton@contoh.id", "wa****@contoh.id"),
        ("telegram", "123456789", "123****89"),
    ],
)
def test_addresses_are_shown_masked(channel, sender, masked):
    assert mask_address(channel, sender) == masked
