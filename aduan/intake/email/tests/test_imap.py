"""The email channel against real peers: dovecot (IMAP) and aiosmtpd (SMTP).

A mail in the complaint mailbox becomes a complaint; the receipt arrives by SMTP with our
Message-ID and the threading headers; the citizen's reply to it (quoting it) is fetched and
threaded into the same complaint with the quote stripped. Fetching is idempotent (S16): a
crash before or after the commit loses nothing and stores nothing twice; auto-replies, bounces
and list mail are kept but never answered (S17).
"""

from __future__ import annotations

import base64
import tracemalloc
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from aduan.complaints.models import Complaint, Message
from aduan.intake.email.fetch import email_fetch
from aduan.intake.email.models import MailboxState
from aduan.intake.models import InboundRecord
from aduan.notifications.models import OutboxMessage
from aduan.notifications.senders import message_id_for
from aduan.notifications.services import outbox_deliver_due

from .conftest import MAILBOX_ADDRESS, PASSWORD, Mailbox, SmtpHandler, fixture_bytes, free_port

CITIZEN = "wa.ode.citizen@example.id"
Status = InboundRecord.Status


def citizen_mail(
    text: str,
    *,
    subject: str = "Jalan berlubang di Pasarwajo",
    sender: str = CITIZEN,
    message_id: str | None = None,
    **headers: str,
) -> bytes:
    mail = EmailMessage()
    mail["From"] = f"Wa Ode Citizen <{sender}>"
    mail["To"] = MAILBOX_ADDRESS
    mail["Subject"] = subject
    mail["Message-ID"] = message_id or make_msgid(domain="example.id")
    for name, value in headers.items():
        mail[name.replace("_", "-")] = value
    mail.set_content(text)
    return bytes(mail)


def test_a_mail_becomes_a_complaint_and_the_reply_to_its_receipt_is_threaded(
    ref, mailbox: Mailbox, smtp: SmtpHandler
):
    """R9, R10, S17: the mailbox is read by IMAP; the mail becomes a complaint on the email
    channel; the receipt goes out by SMTP replying to the citizen's Message-ID, in the
    complaint's thread, marked Auto-Submitted, with Reply-To the mailbox. The citizen's reply
    (built from the receipt's headers, quoting it) comes back through IMAP and is threaded into
    the SAME complaint, without the quoted receipt and its private link."""
    first_id = "<CAfirst-0001@mail.example.id>"
    mailbox.append(
        citizen_mail(
            "Jalan di depan SD 2 Pasarwajo berlubang besar, sudah ada motor jatuh.",
            message_id=first_id,
        )
    )
    report = email_fetch()
    assert (report.fetched, report.stored, report.processed) == (1, 1, 1)
    record = InboundRecord.objects.get()
    assert record.status == Status.PROCESSED
    complaint = Complaint.objects.get(pk=record.complaint_id)
    assert complaint.channel == "email"
    assert complaint.body.startswith("Jalan di depan SD 2 Pasarwajo berlubang besar")
    assert complaint.complainant.email == CITIZEN
    assert mailbox.status()["UNSEEN"] == 0  # flagged \Seen after the commit

    delivery = outbox_deliver_due()
    assert delivery.sent >= 1 and delivery.dead == 0
    receipts = [m for m in smtp.messages if CITIZEN in str(m["To"])]
    assert len(receipts) == 1
    receipt = receipts[0]
    root = message_id_for(f"thread.{complaint.tracking_code}")
    row = OutboxMessage.objects.get(complaint=complaint, template="complaint_received")
    assert receipt["Message-ID"] == message_id_for(row.idempotency_key) == row.provider_message_id
    assert receipt["In-Reply-To"] == first_id
    assert receipt["References"].split() == [first_id, root]
    assert receipt["Auto-Submitted"] == "auto-replied"
    assert receipt["Reply-To"] == MAILBOX_ADDRESS
    assert complaint.tracking_code in receipt["Subject"]
    receipt_text = receipt.get_body(("plain",)).get_content()
    assert f"?t={complaint.access_token}" in receipt_text

    # The citizen presses "reply" in their mail program.
    quoted = "\n".join(f"> {line}" for line in receipt_text.splitlines())
    reply = citizen_mail(
        "Ini tambahan: lubangnya tepat di tikungan, dekat warung Ibu Sitti.\n\n"
        f"Pada tanggal Jum, 27 Nov 2026 pukul 09.20 Aduan Kabupaten Buton <{MAILBOX_ADDRESS}>\n"
        f"menulis:\n{quoted}\n",
        subject=f"Re: {receipt['Subject']}",
        In_Reply_To=receipt["Message-ID"],
        References=f"{receipt['References']} {receipt['Message-ID']}",
    )
    mailbox.append(reply)
    report = email_fetch()
    assert (report.stored, report.processed) == (1, 1)
    reply_record = InboundRecord.objects.exclude(pk=record.pk).get()
    assert reply_record.status == Status.PROCESSED
    assert reply_record.complaint_id == complaint.pk  # the same complaint, not a new one
    assert Complaint.objects.count() == 1
    texts = [
        *Message.objects.filter(complaint=complaint).values_list("body", flat=True),
        Complaint.objects.get(pk=complaint.pk).body,
    ]
    added = [t for t in texts if "tikungan" in t]
    assert added == ["Ini tambahan: lubangnya tepat di tikungan, dekat warung Ibu Sitti."]
    assert not any(complaint.access_token in t for t in texts)  # the quote is gone


def test_a_crash_before_the_commit_fetches_again_and_stores_once(ref, mailbox: Mailbox):
    """S16: the worker dies after downloading (even after the server flagged the mails \\Seen)
    but before its transaction commits: nothing of it is in the database, and the next run
    fetches the same mails again, because the remembered UID, not the flag, is the truth."""
    mailbox.append(*(citizen_mail(f"Laporan nomor {n} tentang jalan.") for n in range(3)))

    class Crash(Exception):
        pass

    with pytest.raises(Crash), transaction.atomic():
        assert email_fetch(process=False).stored == 3
        raise Crash  # the process dies before COMMIT
    assert InboundRecord.objects.count() == 0
    assert not MailboxState.objects.exclude(last_uid=0).exists()

    report = email_fetch()
    assert (report.fetched, report.stored, report.duplicates, report.processed) == (3, 3, 0, 3)
    assert Complaint.objects.count() == 3


def test_a_crash_after_the_commit_stores_nothing_twice(ref, mailbox: Mailbox):
    """S16: the transaction committed but the worker died before flagging the mail and before
    processing; with the UID position lost too (a restored database), the mails are read again:
    the unique Message-ID stores nothing twice, and the records left unprocessed are processed
    once."""
    mailbox.append(*(citizen_mail(f"Sampah belum diangkut, RT {n}.") for n in range(3)))
    first = email_fetch(process=False)
    assert (first.stored, first.processed) == (3, 0)
    MailboxState.objects.update(last_uid=0)
    with mailbox.connect() as box:
        box.flag(box.uids(), "\\Seen", False)

    again = email_fetch()
    assert (again.fetched, again.stored, again.duplicates) == (3, 0, 3)
    assert again.processed == 3  # left RECEIVED by the "crash": processed now, once
    assert InboundRecord.objects.count() == 3
    assert Complaint.objects.count() == 3
    assert email_fetch().fetched == 0  # and the position is remembered again


def test_a_new_uidvalidity_reads_the_folder_again_without_duplicates(ref, mailbox: Mailbox):
    """S16: a server that renumbers the folder (new UIDVALIDITY): everything is read again from
    UID 1 and nothing is stored twice."""
    mailbox.append(citizen_mail("Air bersih tidak mengalir."), citizen_mail("Pasar banjir."))
    assert email_fetch().stored == 2
    MailboxState.objects.update(uidvalidity=1)
    report = email_fetch()
    assert report.uidvalidity_reset
    assert (report.fetched, report.stored, report.duplicates) == (2, 0, 2)
    assert Complaint.objects.count() == 2


def test_each_run_takes_at_most_a_batch_and_can_move_mail_to_a_folder(
    ref, mailbox: Mailbox, settings
):
    """A full mailbox is read in batches of ADUAN_IMAP_BATCH; stored mails are moved to
    ADUAN_IMAP_PROCESSED_FOLDER (created when missing) only after they are stored."""
    settings.ADUAN_IMAP_BATCH = 2
    settings.ADUAN_IMAP_PROCESSED_FOLDER = "Diproses"
    mailbox.append(*(citizen_mail(f"Aduan ke-{n}: drainase tersumbat.") for n in range(5)))
    runs = [email_fetch(process=False).stored for _ in range(4)]
    assert runs == [2, 2, 1, 0]
    assert mailbox.status()["MESSAGES"] == 0
    assert mailbox.status("Diproses")["MESSAGES"] == 5
    assert InboundRecord.objects.count() == 5


def test_a_30_mb_attachment_is_not_downloaded_and_the_text_is_kept(ref, mailbox: Mailbox, settings):
    """A mail with a 30 MB attachment (over ADUAN_EMAIL_MAX_MESSAGE_BYTES) is read partially:
    the header and the start of the body, never the 40 MB of base64; the complaint is created
    from its text and the refused attachment is noted. Python's memory stays far below the
    mail's size."""
    video = base64.encodebytes(b"\x00\x01video" * (30 * 1024 * 1024 // 7))
    raw = (
        (
            f"From: Warga <{CITIZEN}>\r\nTo: {MAILBOX_ADDRESS}\r\n"
            "Subject: Video banjir di Lakudo\r\nMessage-ID: <huge-30mb@example.id>\r\n"
            'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n'
            "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            "Banjir setinggi lutut di Lakudo, video terlampir.\r\n"
            "--b\r\nContent-Type: video/mp4\r\n"
            'Content-Disposition: attachment; filename="banjir.mp4"\r\n'
            "Content-Transfer-Encoding: base64\r\n\r\n"
        ).encode()
        + video.replace(b"\n", b"\r\n")
        + b"--b--\r\n"
    )
    mailbox.append(raw)
    del video, raw

    tracemalloc.start()
    try:
        report = email_fetch()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (report.stored, report.truncated, report.processed) == (1, 1, 1)
    assert peak < 8 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB while fetching a 40 MB mail"
    record = InboundRecord.objects.get()
    assert record.status == Status.PROCESSED
    assert record.raw and '"truncated": true' in record.raw
    complaint = Complaint.objects.get(pk=record.complaint_id)
    assert complaint.body.startswith("Banjir setinggi lutut di Lakudo, video terlampir.")
    assert "banjir.mp4" in complaint.body  # noted as not accepted
    assert not complaint.attachments.exists()


def test_machine_mail_in_the_mailbox_is_kept_but_never_answered(
    ref, mailbox: Mailbox, smtp: SmtpHandler
):
    """S17 (no mail loop): an out-of-office reply, a bounce, list mail and our own
    notification reflected back are stored as IGNORED; no complaint, no outbox row, nothing
    sent by SMTP."""
    own = citizen_mail(
        "Laporan Anda telah diterima.",
        sender=MAILBOX_ADDRESS,
        message_id=message_id_for("complaint_received:c9:complainant"),
    )
    mailbox.append(
        fixture_bytes("auto_reply.eml"),
        fixture_bytes("bounce_dsn.eml"),
        fixture_bytes("mailing_list.eml"),
        own,
    )
    report = email_fetch()
    assert (report.stored, report.ignored, report.processed) == (4, 4, 0)
    assert set(InboundRecord.objects.values_list("status", flat=True)) == {Status.IGNORED}
    assert Complaint.objects.count() == 0
    assert OutboxMessage.objects.count() == 0
    outbox_deliver_due()
    assert smtp.messages == []


def test_channels_check_logs_in_to_imap_and_connects_to_smtp(
    mailbox: Mailbox, smtp: SmtpHandler, settings
):
    """`manage.py channels_check email`: ok with the real servers; a refused IMAP login and an
    unreachable SMTP server are reported as failures (exit status non-zero)."""
    from io import StringIO

    out = StringIO()
    call_command("channels_check", "email", stdout=out)
    assert "email: ok" in out.getvalue()
    assert f"{mailbox.server.port} INBOX" in out.getvalue()
    assert f"SMTP 127.0.0.1:{settings.EMAIL_PORT} ok" in out.getvalue()

    settings.ADUAN_IMAP_PASSWORD = "salah"
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("channels_check", "email", stdout=out)
    assert "email: FAILED" in out.getvalue()

    settings.ADUAN_IMAP_PASSWORD = PASSWORD
    settings.EMAIL_PORT = free_port()  # nobody listens there
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("channels_check", "email", stdout=out)
    assert "email: FAILED" in out.getvalue()


def test_the_fetch_needs_a_configured_mailbox(settings):
    """Email intake is off without ADUAN_IMAP_HOST: the periodic task does nothing and the
    check says "not configured" instead of failing."""
    from io import StringIO

    from aduan.intake.email.fetch import ImapNotConfigured
    from aduan.intake.email.tasks import email_fetch_task

    settings.ADUAN_IMAP_HOST = ""
    assert email_fetch_task.call_local() == 0
    with pytest.raises(ImapNotConfigured):
        email_fetch()
    out = StringIO()
    call_command("channels_check", "email", stdout=out)
    assert "email: not configured" in out.getvalue()
