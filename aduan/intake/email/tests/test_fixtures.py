"""One test per captured mail (tests/fixtures/*.eml, written by make_fixtures.py): each goes
through the same path as a fetched mail (`mail_store`, then `inbound_process`)."""

from __future__ import annotations

import tracemalloc

import pytest
from django.utils import translation
from django.utils.translation import gettext

from aduan.complaints.models import Complaint, Message
from aduan.intake.email.fetch import mail_store
from aduan.intake.email.parse import parse_mail
from aduan.intake.inbound import inbound_process
from aduan.intake.models import InboundRecord, InboundRecordAttachment
from aduan.notifications.models import OutboxMessage

from .conftest import fixture_bytes
from .make_fixtures import pdf, png

Status = InboundRecord.Status
CODE = "BTN-J6D2-YXT"  # the tracking code the captured replies quote


def deliver(raw: bytes) -> InboundRecord:
    record, created = mail_store(raw)
    assert created
    if record.status == Status.RECEIVED:
        inbound_process(record)
    record.refresh_from_db()
    return record


def refused(name: str, reason: str) -> str:
    with translation.override("id"):
        return gettext("[attachment %(name)s not accepted: %(reason)s]") % {
            "name": name,
            "reason": gettext(reason),
        }


def test_plain(ref):
    """R9, R10: a plain mail becomes a complaint on the email channel: the subject its title,
    the text its body, the sender (name decoded from its encoded word) its complainant; the
    receipt goes back by email."""
    record = deliver(fixture_bytes("plain.eml"))
    assert (record.status, record.action) == (Status.PROCESSED, "created")
    complaint = Complaint.objects.get(pk=record.complaint_id)
    assert complaint.channel == "email"
    assert complaint.title == "Lampu jalan mati di Jl. Poros Pasarwajo"
    assert complaint.body.startswith("Selamat pagi,\n\nLampu jalan di Jl. Poros Pasarwajo")
    assert complaint.body.endswith("Terima kasih.\nWa Ode")
    assert complaint.complainant.email == "waode.sarif@example.id"
    assert complaint.complainant.name == "Wa Ode Sarifuddin"
    assert OutboxMessage.objects.get(
        complaint=complaint, template="complaint_received"
    ).channel == ("email")
    assert record.headers == {"Message-ID": "<CAplain001@mail.example.id>"}
    assert record.received_at.isoformat() == "2026-11-27T01:15:02+00:00"  # our MX's Received


def test_html_only(ref):
    """S13: an HTML-only mail is read as plain text: no markup, no script, entities decoded,
    list items and the link's address kept."""
    record = deliver(fixture_bytes("html_only.eml"))
    complaint = Complaint.objects.get(pk=record.complaint_id)
    assert complaint.title == "Sampah menumpuk di pasar \u2013 Lasalimu"
    assert complaint.body == (
        "Sampah di Pasar Lasalimu sudah menumpuk > 1 minggu & berbau.\n\n"
        "- Lokasi: belakang pasar\n- Sejak: 18 November\n\n"
        "Foto: lihat di sini (https://foto.example.id/p/1)"
    )
    assert "<" not in complaint.body.replace("> 1", "") and "alert" not in complaint.body


def test_alternative_inline_image():
    """multipart/related + alternative: the text/plain part is the text (not the HTML), the
    phone's "Dikirim dari iPhone saya" goes, and the inline image is an attachment with its
    exact bytes."""
    parsed = parse_mail(fixture_bytes("alternative_inline_image.eml"))
    assert parsed.message.text == "Jembatan di Desa Wabula retak di tengah. Foto terlampir."
    (image,) = parsed.message.attachments
    assert (image.filename, image.content_type, image.content) == (
        "IMG_0042.png",
        "image/png",
        png(),
    )


def test_attachment_pdf(db):
    """A PDF attachment is kept (with its decoded name) until the message is processed; the
    "-- " signature is stripped from the text."""
    record, _created = mail_store(fixture_bytes("attachment_pdf.eml"))
    assert record.text == "Bersama ini kami kirimkan surat permohonan perbaikan saluran irigasi."
    stored = InboundRecordAttachment.objects.get(record=record)
    assert (stored.filename, stored.content_type, bytes(stored.content)) == (
        "surat permohonan.pdf",
        "application/pdf",
        pdf(),
    )


def test_iso_8859_1():
    """A Latin-1 mail (really Windows-1252, with its curly quotes and dash) and ISO-8859-1
    encoded words in the subject and the sender's name read correctly."""
    message = parse_mail(fixture_bytes("iso_8859_1.eml")).message
    assert message.subject == "Café ditutup tanpa pemberitahuan"
    assert message.sender_name == "José Martínez"
    assert (
        message.text
        == "Café di pantai ditutup; señor bilang \u201csementara\u201d \u2013 sudah 3 bulan."
    )


def test_invalid_utf8(ref):
    """Invalid UTF-8 bytes become U+FFFD; the rest of the text is kept and the complaint is
    created (nothing lost, no crash)."""
    record = deliver(fixture_bytes("invalid_utf8.eml"))
    complaint = Complaint.objects.get(pk=record.complaint_id)
    assert complaint.body.startswith("Air PDAM di Kelurahan Saragi keruh \ufffd")
    assert complaint.body.endswith("( sejak kemarin.")


def _complaint_of(sender: str) -> Complaint:
    """A complaint by this sender (sent by email) carrying the code the captured reply quotes."""
    raw = fixture_bytes("plain.eml").replace(b"waode.sarif@example.id", sender.encode())
    raw = raw.replace(b"CAplain001", sender.split("@")[0].encode())
    record = deliver(raw)
    Complaint.objects.filter(pk=record.complaint_id).update(tracking_code=CODE)
    return Complaint.objects.get(pk=record.complaint_id)


def _threaded_text(complaint: Complaint, record: InboundRecord) -> str:
    assert record.status == Status.PROCESSED
    assert record.complaint_id == complaint.pk
    assert Complaint.objects.count() == 1
    (message,) = Message.objects.filter(complaint=complaint, body__contains=record.text[:20])
    return str(message.body)


def test_gmail_reply_id(ref):
    """An Indonesian Gmail reply ("Pada tanggal ... menulis:", wrapped over two lines) is
    threaded into the sender's complaint by the code in its References; the quoted receipt,
    with the private link, is not kept."""
    complaint = _complaint_of("waode.sarif@example.id")
    record = deliver(fixture_bytes("gmail_reply_id.eml"))
    text = _threaded_text(complaint, record)
    assert text == "Lampunya ada di tiang nomor 12, depan masjid Al-Ikhlas."
    assert record.headers["In-Reply-To"] == "<complaint_received.c1.complainant@aduan.localhost>"


def test_outlook_reply(ref):
    """An Outlook reply (underscores, then From:/Sent:/To:/Subject:) keeps only the new text."""
    complaint = _complaint_of("hasan.basri@example.co.id")
    record = deliver(fixture_bytes("outlook_reply.eml"))
    text = _threaded_text(complaint, record)
    assert text == (
        "Baik, terima kasih. Saya tambahkan: kejadiannya setiap malam sejak tanggal 10.\n\n"
        "Salam,\nHasan"
    )


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("auto_reply.eml", "auto-submitted: auto-replied"),
        ("bounce_dsn.eml", "auto-submitted: auto-replied"),
        ("mailing_list.eml", "precedence: list"),
    ],
)
def test_machine_mail(ref, name, reason):
    """S17: an out-of-office reply, a bounce (DSN) and mailing-list mail are kept as IGNORED:
    no complaint, no reply, so no mail loop can start."""
    record = deliver(fixture_bytes(name))
    assert (record.status, record.action) == (Status.IGNORED, reason)
    assert record.complaint_id is None
    assert Complaint.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_no_message_id(ref):
    """S16: a mail without a Message-ID is identified by the hash of its bytes, so the same mail
    fetched twice is stored once."""
    raw = fixture_bytes("no_message_id.eml")
    record = deliver(raw)
    assert record.provider_message_id.startswith("sha256:")
    assert Complaint.objects.get(pk=record.complaint_id).body.startswith("Pohon tumbang")
    again, created = mail_store(raw)
    assert (again.pk, created) == (record.pk, False)
    assert Complaint.objects.count() == 1


def test_unknown_code(ref):
    """A tracking code that matches no complaint of the sender threads into nothing: the mail
    is still a new complaint (nothing lost), with its text as written."""
    record = deliver(fixture_bytes("unknown_code.eml"))
    assert record.status == Status.PROCESSED
    complaint = Complaint.objects.get()
    assert record.complaint_id == complaint.pk
    assert CODE in complaint.body and complaint.tracking_code != CODE


def test_zip_bomb():
    """A zip that expands to 100 MB is never opened: archives are not an accepted upload type,
    so it is refused by its declared type before its bytes are even decoded; the text notes
    it."""
    raw = fixture_bytes("zip_bomb.eml")
    tracemalloc.start()
    try:
        message = parse_mail(raw).message
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert message.attachments == ()
    assert message.text == (
        "Dokumen lengkap ada di lampiran.\n\n" + refused("dokumen.zip", "file type not supported")
    )
    assert peak < 3 * 1024 * 1024  # the 100 MB were never expanded


def test_huge_attachment_in_a_complete_mail(settings):
    """An attachment over ADUAN_UPLOAD_MAX_BYTES in a mail small enough to be fetched whole is
    refused by its encoded size, without being decoded; a fitting one next to it is kept."""
    settings.ADUAN_UPLOAD_MAX_BYTES = 1024 * 1024
    import base64

    big = base64.encodebytes(b"\xff\xd8\xff" + b"\x00" * (3 * 1024 * 1024)).replace(b"\n", b"\r\n")
    small = base64.encodebytes(png()).replace(b"\n", b"\r\n")
    raw = (
        b"From: w@example.id\r\nSubject: foto\r\nMessage-ID: <big@example.id>\r\n"
        b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nDua foto.\r\n"
        b'--b\r\nContent-Type: image/jpeg; name="besar.jpg"\r\nContent-Transfer-Encoding: base64'
        b"\r\n\r\n" + big + b'--b\r\nContent-Type: image/png; name="kecil.png"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n" + small + b"--b--\r\n"
    )
    message = parse_mail(raw).message
    assert [a.filename for a in message.attachments] == ["kecil.png"]
    assert message.text == "Dua foto.\n\n" + refused("besar.jpg", "too large")


def test_a_mail_that_cannot_be_parsed_is_kept_for_an_admin(db):
    """Nothing lost: a mail the parser gives up on is kept FAILED (the admins' "needs a look"
    list) with its raw text, instead of blocking the mailbox; the same bytes again are the same
    record."""
    from aduan.intake.email.fetch import _store_unparseable

    raw = b"From: w@example.id\r\n\r\nJalan rusak \xff di Wolio"
    record, created = _store_unparseable(raw, ValueError("boom"))
    assert created and record.status == Status.FAILED
    assert record.error == "unparseable: ValueError"
    assert "Jalan rusak \ufffd di Wolio" in record.text
    assert _store_unparseable(raw, ValueError("boom")) == (record, False)


def test_s13_markup_in_a_mail_is_shown_as_text(ref, client):
    """S13: an HTML mail's markup never survives (scripts and tags are dropped when it becomes
    text); what the citizen typed as visible "<script>" text, and markup in the subject and the
    sender's name, reach the staff page escaped."""
    from django.urls import reverse

    from aduan.accounts.roles import Role
    from aduan.backoffice.tests.support import signed_in
    from aduan.complaints.tests import factories as f

    raw = (
        b"From: =?utf-8?Q?=3Cb=3EWarga=3C/b=3E?= <xss@example.id>\r\n"
        b"Subject: <svg onload=alert(4)> Jalan rusak\r\nMessage-ID: <xss-1@example.id>\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        b"<p>&lt;script&gt;alert(1)&lt;/script&gt; jalan rusak</p><script>alert(2)</script>"
        b'<img src=x onerror="alert(3)"><a href="javascript:alert(5)">klik</a>\r\n'
    )
    record = deliver(raw)
    complaint = Complaint.objects.get(pk=record.complaint_id)
    assert complaint.body == "<script>alert(1)</script> jalan rusak\n\nklik"
    admin = f.staff(Role.ADMIN, username="admin-xss")
    html = signed_in(client, admin).get(reverse("backoffice:complaint", args=[complaint.pk]))
    page = html.content.decode()
    assert html.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt; jalan rusak" in page
    assert "&lt;svg onload=alert(4)&gt; Jalan rusak" in page
    for raw_markup in ("<script>alert(", "<svg onload", "onerror", "<b>Warga", "javascript:"):
        assert raw_markup not in page
