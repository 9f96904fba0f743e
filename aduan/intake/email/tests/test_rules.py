"""Quote and signature stripping, HTML to text, and the loop-prevention rules, one case each."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from aduan.intake.email.html import html_to_text
from aduan.intake.email.parse import parse_mail
from aduan.intake.email.quotes import strip_quotes

NEW = "Sudah saya cek lagi, jalannya masih rusak."


@pytest.mark.parametrize(
    "reply",
    [
        f"{NEW}\n\nOn Fri, Nov 27, 2026 at 9:20 AM Aduan <aduan@buton.example> wrote:\n> lama\n",
        f"{NEW}\n\nOn Fri, Nov 27, 2026 at 9:20 AM Aduan Kabupaten Buton <\naduan@buton.example> "
        "wrote:\n\n> lama\n",
        f"{NEW}\n\nPada tanggal Jum, 27 Nov 2026 pukul 09.20 Aduan <aduan@buton.example> menulis:\n"
        "> lama",
        f"{NEW}\n\nPada Jum, 27 Nov 2026 09.20, Aduan\n<aduan@buton.example>\nmenulis:\n> lama",
        f"{NEW}\n\n-----Original Message-----\nFrom: Aduan\nSent: Friday\n\nlama",
        f"{NEW}\n\n-----Pesan Asli-----\nDari: Aduan\nDikirim: Jumat\n\nlama",
        f"{NEW}\n\nFrom: Aduan <aduan@buton.example>\nSent: Friday, November 27, 2026 9:20 AM\n"
        "To: warga@example.id\nSubject: Laporan\n\nlama",
        f"{NEW}\n\nDari: Aduan <aduan@buton.example>\nDikirim: Jumat, 27 November 2026 09.20\n"
        "Kepada: warga@example.id\n\nlama",
        f"{NEW}\n\n________________________________\nFrom: Aduan\nSent: Friday\nlama",
        f"> lama di atas\n> lama\n{NEW}",
        f"{NEW}\n\n-- \nBudi\nRT 02 Desa Wabula",
        f"{NEW}\n\nDikirim dari iPhone saya",
        f"{NEW}\n\nSent from my Galaxy",
        f"{NEW}\n\nDikirim dari Yahoo Mail di Android",
        f"{NEW}\n\nGet Outlook for Android",
    ],
)
def test_quotes_and_signatures_are_stripped(reply):
    assert strip_quotes(reply) == NEW


def test_a_sentence_that_starts_like_a_signature_is_kept():
    text = (
        "Dikirim dari kantor desa kemarin sore, surat kami belum dijawab oleh dinas sampai "
        "sekarang.\nMohon ditindaklanjuti."
    )
    assert strip_quotes(text) == text


def test_stripping_that_would_leave_nothing_keeps_the_text():
    """Nothing the citizen sent is lost: a mail that is all quote keeps its text."""
    text = "> Jalan rusak di Lasalimu\n> sejak bulan lalu"
    assert strip_quotes(text) == text


def test_html_quotes_become_quote_lines_and_are_stripped():
    html = (
        '<div dir="ltr">Baru: <b>foto</b> menyusul.</div><div class="gmail_quote">'
        "<div>On Fri wrote:</div><blockquote>lama<br>lama lagi</blockquote></div>"
    )
    assert html_to_text(html).splitlines()[0] == "Baru: foto menyusul."
    assert strip_quotes(html_to_text(html)) == "Baru: foto menyusul."


def test_broken_html_does_not_crash():
    assert html_to_text("<p>Jalan <b>rusak</i></div></p><p>sekali<tr><td>x") == (
        "Jalan rusak\n\nsekali\nx"
    )


def mail(**headers: str) -> bytes:
    message = EmailMessage()
    message["From"] = headers.pop("From", "Warga <warga@example.id>")
    message["Subject"] = headers.pop("Subject", "Jalan rusak")
    message["Message-ID"] = headers.pop("Message_ID", "<m1@example.id>")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content("Jalan rusak di Lasalimu.")
    return bytes(message)


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"Auto_Submitted": "auto-replied"}, "auto-submitted: auto-replied"),
        ({"Auto_Submitted": "auto-generated"}, "auto-submitted: auto-generated"),
        ({"Auto_Submitted": "auto-notified; owner-email=x@y"}, "auto-submitted: auto-notified"),
        ({"Precedence": "bulk"}, "precedence: bulk"),
        ({"Precedence": "junk"}, "precedence: junk"),
        ({"Precedence": "list"}, "precedence: list"),
        ({"Precedence": "auto_reply"}, "precedence: auto_reply"),
        ({"Return_Path": "<>"}, "bounce: null return-path"),
        ({"X_Autoreply": "yes"}, "auto-reply"),
        ({"X_Autorespond": "Saya sedang cuti"}, "auto-reply"),
        ({"List_Id": "<warga.lists.example.id>"}, "mailing list"),
        ({"List_Unsubscribe": "<mailto:u@lists.example.id>"}, "mailing list"),
        (
            {"X_Auto_Response_Suppress": "All", "Subject": "Automatic reply: Laporan"},
            "auto-reply (outlook)",
        ),
        (
            {"X_Auto_Response_Suppress": "OOF", "Subject": "Balasan otomatis: Laporan"},
            "auto-reply (outlook)",
        ),
        ({"From": "MAILER-DAEMON@mx.example.id"}, "bounce: mailer-daemon"),
        ({"From": "Postmaster <postmaster@example.id>"}, "bounce: mailer-daemon"),
        ({"From": "Aduan <aduan@buton.example>"}, "own address"),
        ({"Message_ID": "<complaint_received.c1.complainant@aduan.localhost>"}, "own message"),
    ],
)
def test_machine_mail_is_recognised(settings, headers, reason):
    """S17: each header that marks an automatic or list mail (RFC 3834, RFC 2369/2919, the
    null return path of RFC 5321), the daemon senders and our own mail: never answered."""
    settings.ADUAN_EMAIL_REPLY_TO = "aduan@buton.example"
    settings.ADUAN_MESSAGE_ID_DOMAIN = "aduan.localhost"
    assert parse_mail(mail(**headers)).ignore_reason == reason


def test_a_delivery_report_is_recognised_by_its_type():
    """S17: multipart/report (a DSN) without any other marker is still a bounce."""
    raw = (
        b"From: mx@example.id\r\nSubject: x\r\nMessage-ID: <r@x>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="r"\r\n\r\n'
        b"--r\r\nContent-Type: text/plain\r\n\r\nfailed\r\n--r--\r\n"
    )
    assert parse_mail(raw).ignore_reason == "bounce: delivery report"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Auto_Submitted": "no"},
        {"Precedence": "normal"},
        {"X_Auto_Response_Suppress": "All"},  # Outlook sets it on ordinary mail too
        {"Return_Path": "<warga@example.id>"},
    ],
)
def test_ordinary_mail_is_answered(settings, headers):
    settings.ADUAN_EMAIL_REPLY_TO = "aduan@buton.example"
    assert parse_mail(mail(**headers)).ignore_reason == ""


def test_mail_without_a_sender_address_is_not_answered():
    raw = b"From: undisclosed-recipients:;\r\nSubject: x\r\nMessage-ID: <n@x>\r\n\r\nhalo\r\n"
    assert parse_mail(raw).ignore_reason == "no sender address"


def test_malformed_headers_and_unknown_charsets_do_not_crash():
    """Bad input: a broken encoded word, an unknown charset, NUL bytes: read with replacement
    characters, never an exception."""
    raw = (
        b"From: =?utf-8?B?!!!?= <w@example.id>\r\nSubject: =?x-unknown?Q?abc?= =?utf-8?Q?=FF?=\r\n"
        b"Message-ID: <bad@x>\r\nContent-Type: text/plain; charset=x-klingon\r\n\r\n"
        b"Jalan\x00 rusak \xff\r\n"
    )
    message = parse_mail(raw).message
    assert message.sender == "w@example.id"
    assert message.text == "Jalan rusak \ufffd"
    assert "\x00" not in message.subject


def test_malformed_message_ids_are_kept_apart():
    """S16 without losing mail: two different mails whose Message-IDs are malformed the same
    way ("<a b@c>": the parser would shorten both to "<a") are two messages, not one."""

    def raw(message_id: bytes) -> bytes:
        return b"From: w@example.id\r\nMessage-ID: " + message_id + b"\r\n\r\nhalo\r\n"

    first = parse_mail(raw(b"<a b@example.id>")).message.provider_message_id
    second = parse_mail(raw(b"<a c@example.id>")).message.provider_message_id
    assert (first, second) == ("<a b@example.id>", "<a c@example.id>")


def test_a_display_name_with_a_comma_and_encoded_words():
    raw = b'From: "Budi, S.T." <budi@example.id>\r\nSubject: x\r\nMessage-ID: <c@x>\r\n\r\nhalo\r\n'
    message = parse_mail(raw).message
    assert (message.sender_name, message.sender) == ("Budi, S.T.", "budi@example.id")
    raw = b"From: =?utf-8?Q?Wa_Ode=2C_S=2EPd?= <waode@example.id>\r\n\r\nhalo\r\n"
    message = parse_mail(raw).message
    assert (message.sender_name, message.sender) == ("Wa Ode, S.Pd", "waode@example.id")
