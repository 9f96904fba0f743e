"""Writes tests/fixtures/*.eml (run once: `.venv/bin/python aduan/intake/email/tests/make_fixtures.py`).

The mails are shaped like what Gmail, Outlook, iOS Mail, Exchange and Postfix really send
(headers, MIME structure, quoting); they are committed, this script documents how. The 30 MB
attachment is not committed: the test builds it.
"""

from __future__ import annotations

import base64
import io
import struct
import zipfile
import zlib
from pathlib import Path

OUT = Path(__file__).parent / "fixtures"
CRLF = "\r\n"


def png(width: int = 4, height: int = 4) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xcc\x20\x20" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def b64(data: bytes) -> str:
    encoded = base64.b64encode(data).decode()
    return CRLF.join(encoded[i : i + 76] for i in range(0, len(encoded), 76))


def write(name: str, text: str | bytes) -> None:
    data = text if isinstance(text, bytes) else text.replace("\n", CRLF).encode("utf-8")
    (OUT / name).write_bytes(data)


RECEIVED = "Received: from mail-ed1.example.id (mail-ed1.example.id [192.0.2.10])\n\tby mx.buton.example (Postfix) with ESMTPS id 4Xy; Fri, 27 Nov 2026 09:15:02 +0800 (WITA)\n"


def main() -> None:
    OUT.mkdir(exist_ok=True)
    write(
        "plain.eml",
        RECEIVED
        + """From: =?UTF-8?B?V2EgT2RlIFNhcmlmdWRkaW4=?= <waode.sarif@example.id>
To: aduan@buton.example
Subject: Lampu jalan mati di Jl. Poros Pasarwajo
Date: Fri, 27 Nov 2026 09:14:55 +0800
Message-ID: <CAplain001@mail.example.id>
MIME-Version: 1.0
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: 8bit

Selamat pagi,

Lampu jalan di Jl. Poros Pasarwajo dekat masjid sudah mati dua minggu. Malam hari sangat gelap dan rawan kecelakaan.

Terima kasih.
Wa Ode
""",
    )
    write(
        "html_only.eml",
        RECEIVED
        + """From: La Ode Hamid <laode.hamid@example.id>
To: aduan@buton.example
Subject: =?UTF-8?Q?Sampah_menumpuk_di_pasar_=E2=80=93_Lasalimu?=
Date: Fri, 27 Nov 2026 09:20:00 +0800
Message-ID: <html-only-77@webmail.example.id>
MIME-Version: 1.0
Content-Type: text/html; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

<html><head><style>p {color: red}</style><title>Aduan</title></head><body>=
<p>Sampah di <b>Pasar Lasalimu</b> sudah menumpuk &gt; 1 minggu&nbsp;&amp; b=
erbau.</p><ul><li>Lokasi: belakang pasar</li><li>Sejak: 18 November</li></=
ul><p>Foto: <a href=3D"https://foto.example.id/p/1">lihat di sini</a></p>=
<script>alert('xss')</script><img src=3Dx onerror=3Dalert(1) alt=3D"">=
</body></html>
""",
    )
    image = b64(png())
    write(
        "alternative_inline_image.eml",
        RECEIVED
        + f"""From: Andi <andi@example.id>
To: aduan@buton.example
Subject: Jembatan Wabula retak
Date: Fri, 27 Nov 2026 09:30:00 +0800
Message-ID: <iosmail-1234@example.id>
MIME-Version: 1.0
Content-Type: multipart/related; boundary="rel"

--rel
Content-Type: multipart/alternative; boundary="alt"

--alt
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Jembatan di Desa Wabula retak di tengah. Foto terlampir.

Dikirim dari iPhone saya
--alt
Content-Type: text/html; charset=utf-8

<p>Jembatan di Desa Wabula retak di tengah. Foto terlampir.</p><img src=3D"cid:foto1">
--alt--

--rel
Content-Type: image/png; name="IMG_0042.png"
Content-Disposition: inline; filename="IMG_0042.png"
Content-ID: <foto1>
Content-Transfer-Encoding: base64

{image}
--rel--
""",
    )
    write(
        "attachment_pdf.eml",
        RECEIVED
        + f"""From: Kepala Desa Todanga <desa.todanga@example.id>
To: aduan@buton.example
Subject: Surat permohonan perbaikan irigasi
Date: Fri, 27 Nov 2026 10:00:00 +0800
Message-ID: <pdf-555@example.id>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="mix"

--mix
Content-Type: text/plain; charset=utf-8

Bersama ini kami kirimkan surat permohonan perbaikan saluran irigasi.

--
Kepala Desa Todanga
Kecamatan Kapontori
--mix
Content-Type: application/pdf; name="=?UTF-8?Q?surat_permohonan.pdf?="
Content-Disposition: attachment; filename="surat permohonan.pdf"
Content-Transfer-Encoding: base64

{b64(pdf())}
--mix--
""",
    )
    latin = (
        (
            RECEIVED
            + """From: =?ISO-8859-1?Q?Jos=E9_Mart=EDnez?= <jose@example.es>
To: aduan@buton.example
Subject: =?ISO-8859-1?Q?Caf=E9_ditutup_tanpa_pemberitahuan?=
Date: Fri, 27 Nov 2026 10:05:00 +0800
Message-ID: <latin1-9@example.es>
MIME-Version: 1.0
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: 8bit

"""
        )
        .replace("\n", CRLF)
        .encode("ascii")
    )
    # é, ñ and the Windows-1252 quotes and dash that "ISO-8859-1" mail really carries
    latin += "Caf\xe9 di pantai ditutup; se\xf1or bilang ".encode("latin-1")
    latin += b"\x93sementara\x94 \x96 sudah 3 bulan.\r\n"
    write("iso_8859_1.eml", latin)
    invalid = (
        (
            RECEIVED
            + """From: Rahmat <rahmat@example.id>
To: aduan@buton.example
Subject: Air PDAM keruh
Date: Fri, 27 Nov 2026 10:10:00 +0800
Message-ID: <bad-utf8@example.id>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

"""
        )
        .replace("\n", CRLF)
        .encode("ascii")
    )
    invalid += b"Air PDAM di Kelurahan Saragi keruh " + b"\xff\xfe\xc3(" + b" sejak kemarin.\r\n"
    write("invalid_utf8.eml", invalid)
    write(
        "gmail_reply_id.eml",
        RECEIVED
        + """From: Wa Ode Sarifuddin <waode.sarif@example.id>
To: Aduan Kabupaten Buton <aduan@buton.example>
Subject: Re: Laporan Anda BTN-J6D2-YXT telah diterima
Date: Fri, 27 Nov 2026 11:00:00 +0800
Message-ID: <CAgmailreply42@mail.gmail.com>
In-Reply-To: <complaint_received.c1.complainant@aduan.localhost>
References: <CAplain001@mail.example.id> <thread.BTN-J6D2-YXT@aduan.localhost> <complaint_received.c1.complainant@aduan.localhost>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="000000000000gm"

--000000000000gm
Content-Type: text/plain; charset="UTF-8"

Lampunya ada di tiang nomor 12, depan masjid Al-Ikhlas.

Pada tanggal Jum, 27 Nov 2026 pukul 09.20 Aduan Kabupaten Buton <
aduan@buton.example> menulis:

> Terima kasih. Laporan Anda "Lampu jalan mati" telah diterima dengan kode
> pelacakan BTN-J6D2-YXT.
>
> Tautan pribadi: https://aduan.example/lacak/BTN-J6D2-YXT/?t=RAHASIA
>

--000000000000gm
Content-Type: text/html; charset="UTF-8"

<div dir="ltr">Lampunya ada di tiang nomor 12, depan masjid Al-Ikhlas.</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">Pada tanggal Jum, 27 Nov 2026 pukul 09.20 Aduan Kabupaten Buton &lt;<a href="mailto:aduan@buton.example">aduan@buton.example</a>&gt; menulis:<br></div><blockquote class="gmail_quote">Terima kasih. Laporan Anda telah diterima.<br>Tautan pribadi: https://aduan.example/lacak/BTN-J6D2-YXT/?t=RAHASIA</blockquote></div>

--000000000000gm--
""",
    )
    write(
        "outlook_reply.eml",
        RECEIVED
        + """From: Hasan Basri <hasan.basri@example.co.id>
To: "aduan@buton.example" <aduan@buton.example>
Subject: RE: Laporan Anda BTN-J6D2-YXT telah diterima
Thread-Topic: Laporan Anda BTN-J6D2-YXT telah diterima
Thread-Index: AQHZ1234567890
Date: Fri, 27 Nov 2026 11:05:00 +0000
Message-ID: <PH0PR11MB1234ABCD@PH0PR11MB1234.namprd11.prod.outlook.com>
In-Reply-To: <complaint_received.c2.complainant@aduan.localhost>
References: <thread.BTN-J6D2-YXT@aduan.localhost> <complaint_received.c2.complainant@aduan.localhost>
Content-Language: id-ID
MIME-Version: 1.0
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

Baik, terima kasih. Saya tambahkan: kejadiannya setiap malam sejak tanggal 1=
0.

Salam,
Hasan

________________________________
From: Aduan Kabupaten Buton <aduan@buton.example>
Sent: Friday, November 27, 2026 9:20 AM
To: hasan.basri@example.co.id
Subject: Laporan Anda BTN-J6D2-YXT telah diterima

Terima kasih. Laporan Anda telah diterima dengan kode BTN-J6D2-YXT.
Tautan pribadi: https://aduan.example/lacak/BTN-J6D2-YXT/?t=RAHASIA
""",
    )
    write(
        "auto_reply.eml",
        RECEIVED
        + """From: Hasan Basri <hasan.basri@example.co.id>
To: aduan@buton.example
Subject: Automatic reply: Laporan Anda BTN-J6D2-YXT telah diterima
Date: Fri, 27 Nov 2026 11:06:00 +0000
Message-ID: <ooo-1@PH0PR11MB1234.namprd11.prod.outlook.com>
In-Reply-To: <complaint_received.c2.complainant@aduan.localhost>
Auto-Submitted: auto-replied
X-Auto-Response-Suppress: All
X-MS-Exchange-Inbox-Rules-Loop: hasan.basri@example.co.id
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"

Saya sedang cuti sampai 7 Desember. Untuk urusan mendesak hubungi kantor.
""",
    )
    write(
        "bounce_dsn.eml",
        """Return-Path: <>
"""
        + RECEIVED
        + """From: Mail Delivery System <MAILER-DAEMON@mx.buton.example>
To: aduan@buton.example
Subject: Undelivered Mail Returned to Sender
Date: Fri, 27 Nov 2026 11:10:00 +0800
Message-ID: <20261127031000.ABC12@mx.buton.example>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="dsn"

--dsn
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.buton.example.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<tidakada@example.id>: host mx.example.id said: 550 5.1.1 User unknown
--dsn
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.buton.example
Final-Recipient: rfc822; tidakada@example.id
Action: failed
Status: 5.1.1

--dsn
Content-Type: text/rfc822-headers

From: Aduan Kabupaten Buton <aduan@buton.example>
To: tidakada@example.id
Subject: Laporan Anda BTN-J6D2-YXT telah diterima
Message-ID: <complaint_received.c3.complainant@aduan.localhost>
--dsn--
""",
    )
    write(
        "mailing_list.eml",
        RECEIVED
        + """From: Buletin Desa Digital <buletin@lists.example.id>
To: aduan@buton.example
Subject: [Buletin] Edisi November: program desa digital
Date: Fri, 27 Nov 2026 11:20:00 +0800
Message-ID: <list-2026-11@lists.example.id>
List-Id: Buletin Desa Digital <buletin.lists.example.id>
List-Unsubscribe: <mailto:buletin-unsubscribe@lists.example.id>
Precedence: list
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Edisi November membahas program desa digital di Sulawesi Tenggara.
""",
    )
    write(
        "no_message_id.eml",
        RECEIVED
        + """From: warga@example.id
To: aduan@buton.example
Subject: Pohon tumbang
Date: Fri, 27 Nov 2026 11:30:00 +0800
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Pohon tumbang menutup jalan ke Desa Kamaru.
""",
    )
    write(
        "unknown_code.eml",
        RECEIVED
        + """From: Nur <nur@example.id>
To: aduan@buton.example
Subject: Re: Laporan BTN-J6D2-YXT
Date: Fri, 27 Nov 2026 11:40:00 +0800
Message-ID: <unknown-code-1@example.id>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Bagaimana kelanjutan laporan BTN-J6D2-YXT? Jalan di Desa Lapandewa masih berlubang.
""",
    )
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("data.bin", b"\0" * (100 * 1024 * 1024))  # 100 MB of zeros, ~100 KB zipped
    write(
        "zip_bomb.eml",
        RECEIVED
        + f"""From: Tidak Dikenal <anon@example.net>
To: aduan@buton.example
Subject: Dokumen laporan lengkap
Date: Fri, 27 Nov 2026 11:50:00 +0800
Message-ID: <zipbomb-1@example.net>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="zip"

--zip
Content-Type: text/plain; charset=utf-8

Dokumen lengkap ada di lampiran.
--zip
Content-Type: application/zip; name="dokumen.zip"
Content-Disposition: attachment; filename="dokumen.zip"
Content-Transfer-Encoding: base64

{b64(bomb.getvalue())}
--zip--
""",
    )


if __name__ == "__main__":
    main()
