"""The upload service (aduan/complaints/uploads.py) against a corpus of bad files (S10, S4)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from decimal import Decimal

import pytest
from django.utils import translation
from PIL import Image

from aduan.complaints.models import Attachment, Complaint, Upload
from aduan.complaints.services import ComplaintSubmission, IdentityInput, complaint_submit
from aduan.complaints.uploads import (
    attachments_from_uploads,
    clamd_scan,
    download_name,
    sanitize_name,
    short_name,
    upload_accept,
    upload_discard,
    uploads_for,
    uploads_purge,
)
from aduan.core import clock
from aduan.core.exceptions import ApplicationError

from . import factories as f
from .uploads_corpus import (
    BUTON_LAT,
    BUTON_LON,
    FakeClamd,
    animated_gif,
    exe,
    heic,
    html_page,
    jpeg,
    media_fixture,  # noqa: F401  (the `media` fixture)
    pdf,
    png,
    png_bomb,
    stored_files,
    svg_with_script,
    upload,
    webp,
    zip_archive,
)

pytestmark = pytest.mark.django_db
OWNER = "o" * 64
MB = 1024 * 1024


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def refused(data: bytes, name: str, media_root, content_type: str = "image/jpeg") -> str:
    """Upload `data`; it must be refused, leaving no row and no file. Returns the error code."""
    with pytest.raises(ApplicationError) as caught:
        upload_accept(upload(data, name, content_type), owner=OWNER)
    error = caught.value
    assert error.extra == {"field": "attachments"}
    assert name in error.message  # the message names the file
    assert Upload.objects.count() == 0
    assert stored_files(media_root) == []
    return error.code


# --- the corpus of bad files ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "content_type", "code"),
    [
        (exe(), "foto_jalan.jpg", "image/jpeg", "file_type"),
        (svg_with_script(), "gambar.png", "image/png", "file_type"),
        (html_page(), "surat.pdf", "application/pdf", "file_type"),
        (zip_archive(), "dokumen.jpg", "image/jpeg", "file_type"),
        (b"", "kosong.jpg", "image/jpeg", "file_empty"),
        (jpeg((400, 300))[:300], "terpotong.jpg", "image/jpeg", "file_broken"),
        (png_bomb(20_000, 20_000), "bom.png", "image/png", "file_too_large_image"),
        (png_bomb(8_000, 6_000), "bom_kecil.png", "image/png", "file_too_large_image"),
        (b"%PDF-1.4\n1 0 obj<<>>endobj\n", "tanpa_akhir.pdf", "application/pdf", "file_broken"),
        (heic(), "IMG_0001.HEIC", "image/heic", "file_heic"),
    ],
    ids=[
        "exe-renamed-jpg",
        "svg-script-as-png",
        "html-as-pdf",
        "zip-as-jpg",
        "empty",
        "truncated-jpeg",
        "decompression-bomb",
        "bomb-above-limit-below-pillow-error",
        "pdf-without-eof",
        "heic-without-decoder",
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(media, data, name, content_type, code):
    """S10: allow-list by content (not by name or content type), broken files and
    decompression bombs refused with a stable code and a message naming the file; no row, no
    file on disk."""
    assert refused(data, name, media, content_type) == code


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(media, settings):
    """S10: a file over ADUAN_UPLOAD_MAX_BYTES (10 MB) is refused; nothing is stored."""
    assert settings.ADUAN_UPLOAD_MAX_BYTES == 10 * MB
    big = pdf()[:-7] + b" " * (10 * MB) + b"\n%%EOF\n"
    assert refused(big, "besar.pdf", media, "application/pdf") == "file_too_big"


def test_refusal_messages_are_translated(media):
    """Bad input gets a clear message in the citizen's language (msgids are English; the
    Indonesian comes from the merged catalogue, so here we check it is a translated string)."""
    with pytest.raises(ApplicationError) as caught:
        upload_accept(upload(exe(), "program.jpg"), owner=OWNER)
    assert caught.value.message == (
        "“program.jpg” cannot be accepted: only photos (JPEG, PNG, WebP, GIF) and PDF documents."
    )


# --- what is stored ------------------------------------------------------------------------


def test_a_polyglot_jpeg_with_a_zip_appended_is_stored_without_the_zip(media):
    """S10: images are re-encoded, so bytes after the image (a JPEG+ZIP polyglot) are dropped."""
    data = jpeg() + zip_archive()
    assert b"PK\x03\x04" in data
    staged = upload_accept(upload(data, "polyglot.jpg"), owner=OWNER)
    stored = staged.file.read()
    assert b"PK\x03\x04" not in stored and b"evil.html" not in stored
    assert stored.endswith(b"\xff\xd9")
    assert Image.open(io.BytesIO(stored)).format == "JPEG"


def test_a_photo_loses_its_exif_and_gps_but_the_position_is_kept_in_the_row(media):
    """S10: EXIF (GPS, camera serial, comments) is stripped from the stored file; the GPS
    position is captured in the row, to be used only if the complainant shares it."""
    data = jpeg(gps=True)
    assert b"Exif" in data and b"Serial-1234567" in data
    staged = upload_accept(upload(data, "IMG_2024.jpg"), owner=OWNER)
    staged.refresh_from_db()
    assert (str(staged.latitude), str(staged.longitude)) == (BUTON_LAT, BUTON_LON)
    stored = staged.file.read()
    assert b"Exif" not in stored and b"Serial-1234567" not in stored
    assert b"secret comment" not in stored
    image = Image.open(io.BytesIO(stored))
    assert not image.getexif() and not image.getexif().get_ifd(0x8825)
    assert "exif" not in image.info and "comment" not in image.info


def test_exif_orientation_is_applied_before_the_metadata_is_dropped(media):
    """A phone photo taken sideways is stored upright (orientation 6 = rotate 90°)."""
    staged = upload_accept(upload(jpeg((64, 32), orientation=6), "sideways.jpg"), owner=OWNER)
    image = Image.open(staged.file)
    assert image.size == (32, 64)


def test_server_side_names_size_and_sha256_of_the_stored_bytes(media):
    """S4, S10: the stored name is random and carries nothing of the original name; the row
    keeps the sanitised original name, the size and the sha256 of the stored bytes."""
    staged = upload_accept(upload(jpeg(), "../../etc/rumah <Pak Budi>.jpg"), owner=OWNER)
    assert staged.original_name == "rumah Pak Budi.jpg"
    assert "rumah" not in staged.file.name and "Budi" not in staged.file.name
    assert staged.file.name.startswith("uploads/")
    stored = (media / staged.file.name).read_bytes()
    assert staged.size == len(stored)
    assert staged.sha256 == hashlib.sha256(stored).hexdigest()
    assert stored_files(media) == [media / staged.file.name]


def test_type_is_decided_by_content_not_by_name_or_content_type(media):
    """S10: a PNG sent as "laporan.pdf" with application/pdf is stored as what it is."""
    staged = upload_accept(upload(png(), "laporan.pdf", "application/pdf"), owner=OWNER)
    assert staged.content_type == "image/png"
    assert download_name(staged.original_name, staged.content_type) == "laporan.png"


@pytest.mark.parametrize(
    ("data", "content_type", "mode"),
    [
        (png(mode="RGBA"), "image/png", "RGBA"),
        (png(mode="RGB"), "image/png", "RGB"),
        (webp(), "image/webp", "RGB"),
        (animated_gif(), "image/png", "RGB"),
    ],
    ids=["png-alpha", "png", "webp", "gif-first-frame"],
)
def test_allowed_images_are_reencoded(media, data, content_type, mode):
    """S10: PNG, WebP and GIF (first frame, as PNG) are decoded and written again."""
    staged = upload_accept(upload(data, "gambar"), owner=OWNER)
    assert staged.content_type == content_type
    image = Image.open(staged.file)
    assert image.mode == mode
    assert getattr(image, "n_frames", 1) == 1


def test_a_pdf_is_kept_as_it_is(media):
    """S10: a PDF (by its %PDF- header and %%EOF) is stored byte for byte."""
    staged = upload_accept(upload(pdf(), "surat.pdf", "application/octet-stream"), owner=OWNER)
    assert staged.content_type == "application/pdf"
    assert staged.sha256 == hashlib.sha256(pdf()).hexdigest()


def test_long_and_hostile_names_are_sanitised():
    """The original name is shown, so it is cleaned: no path, no control characters, ≤ 200."""
    long_name = "a" * 300 + ".jpg"
    assert sanitize_name(long_name) == "a" * 196 + ".jpg"
    assert sanitize_name("C:\\Users\\x\\foto\x00\x1b.jpg") == "foto.jpg"
    assert sanitize_name("..") == "file"
    assert download_name('bad"name.exe', "application/pdf") == "badname.pdf"


def test_long_names_are_shortened_in_messages(media):
    """An error names the file, shortened so that it stays readable on a phone."""
    assert short_name("IMG_20240101_123456_987654321.jpg") == "IMG_20240101_123456…4321.jpg"
    assert len(short_name("x" * 300)) == 28
    with pytest.raises(ApplicationError) as caught:
        upload_accept(upload(exe(), "x" * 80 + ".jpg"), owner=OWNER)
    assert "“xxxxxxxxxxxxxxxxxxx…xxxx.jpg”" in caught.value.message


# --- the virus-scan hook -------------------------------------------------------------------


@pytest.fixture
def clamd(settings):
    servers: list[FakeClamd] = []

    def start(reply: bytes) -> FakeClamd:
        server = FakeClamd(reply)
        servers.append(server)
        settings.ADUAN_CLAMAV_SOCKET = server.path
        settings.ADUAN_CLAMAV_TIMEOUT = 5
        return server

    yield start
    for server in servers:
        server.close()


def test_a_file_the_scanner_finds_infected_is_refused(media, clamd):
    """S10: with ADUAN_CLAMAV_SOCKET set, the bytes are streamed to clamd; FOUND is refused
    and nothing is stored."""
    scanner = clamd(b"stream: Eicar-Test-Signature FOUND\0")
    data = pdf()
    assert refused(data, "eicar.pdf", media, "application/pdf") == "file_infected"
    assert scanner.received == [data]


def test_a_clean_file_passes_the_scanner(media, clamd):
    """S10: a clean answer lets the file through; the scanner saw the received bytes."""
    scanner = clamd(b"stream: OK\0")
    staged = upload_accept(upload(jpeg(), "bersih.jpg"), owner=OWNER)
    assert staged.pk and scanner.received == [jpeg()]


def test_an_unreachable_scanner_refuses_the_file(media, settings):
    """S10: scanning is configured but clamd is down → refused (fail closed), nothing stored."""
    settings.ADUAN_CLAMAV_SOCKET = str(media / "no-such-clamd.sock")
    assert refused(jpeg(), "foto.jpg", media) == "scan_unavailable"


def test_clamd_scan_speaks_instream_in_chunks():
    """The INSTREAM framing: 4-byte big-endian lengths, a zero-length end, reply until NUL."""
    server = FakeClamd(b"stream: OK\0")
    try:
        data = bytes(range(256)) * 1000  # several 64 KiB chunks
        assert clamd_scan(data, address=server.path, timeout=5) is None
        assert server.received == [data]
    finally:
        server.close()


# --- staged uploads: ownership, discard, purge ---------------------------------------------


def test_uploads_belong_to_their_owner(media):
    """S4: a session sees and removes only its own staged uploads."""
    mine = upload_accept(upload(jpeg(), "a.jpg"), owner=OWNER)
    theirs = upload_accept(upload(jpeg(), "b.jpg"), owner="x" * 64)
    assert uploads_for(OWNER) == [mine]
    assert uploads_for(OWNER, [theirs.pk]) == []
    assert upload_discard(OWNER, theirs.pk) is False
    assert Upload.objects.filter(pk=theirs.pk).exists()


def test_discard_deletes_the_row_and_the_file(media, django_capture_on_commit_callbacks):
    staged = upload_accept(upload(jpeg(), "a.jpg"), owner=OWNER)
    with django_capture_on_commit_callbacks(execute=True):
        assert upload_discard(OWNER, staged.pk) is True
    assert Upload.objects.count() == 0
    assert stored_files(media) == []


def test_purge_deletes_uploads_older_than_a_day(media, django_capture_on_commit_callbacks):
    """S10: unclaimed staged uploads (rows and files) are deleted after 24 hours."""
    old = upload_accept(upload(jpeg(), "lama.jpg"), owner=OWNER)
    fresh = upload_accept(upload(jpeg(), "baru.jpg"), owner=OWNER)
    Upload.objects.filter(pk=old.pk).update(created_at=clock.now() - dt.timedelta(hours=25))
    with django_capture_on_commit_callbacks(execute=True):
        assert uploads_purge(older_than=dt.timedelta(hours=24)) == 1
    assert list(Upload.objects.all()) == [fresh]
    assert stored_files(media) == [media / fresh.file.name]


def test_the_hourly_task_purges(media, django_capture_on_commit_callbacks):
    from aduan.complaints.tasks import uploads_purge_stale

    old = upload_accept(upload(jpeg(), "lama.jpg"), owner=OWNER)
    Upload.objects.filter(pk=old.pk).update(created_at=clock.now() - dt.timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        uploads_purge_stale.call_local()
    assert Upload.objects.count() == 0 and stored_files(media) == []


# --- submission with attachments -----------------------------------------------------------


def submission(**kwargs) -> ComplaintSubmission:
    data = {
        "channel": "web",
        "title": "Jalan rusak",
        "body": "Lubang besar di jalan.",
        "identity": IdentityInput(name="Warga", phone="081234567890"),
        **kwargs,
    }
    return ComplaintSubmission(**data)


def test_submission_turns_uploads_into_attachments_without_copying(media, ref):
    """S10, S16: staged uploads become the complaint's attachments in the submission's
    transaction, reusing the stored file; the staged rows are gone."""
    photo = upload_accept(upload(jpeg(gps=True), "foto.jpg"), owner=OWNER)
    document = upload_accept(upload(pdf(), "surat.pdf"), owner=OWNER)
    result = complaint_submit(submission=submission(), uploads=[photo, document])
    attachments = list(result.complaint.attachments.all())
    assert [(a.original_name, a.content_type) for a in attachments] == [
        ("foto.jpg", "image/jpeg"),
        ("surat.pdf", "application/pdf"),
    ]
    assert [a.file.name for a in attachments] == [photo.file.name, document.file.name]
    assert [a.sha256 for a in attachments] == [photo.sha256, document.sha256]
    assert Upload.objects.count() == 0
    assert len(stored_files(media)) == 2
    assert result.complaint.events.get(verb="submit").data["attachments"] == 2


def test_photo_position_is_used_only_when_the_complainant_shares_it(media, ref):
    """S10 (issue 3): EXIF location is stripped unless the citizen chooses to share it; then
    the first photo's GPS position becomes the complaint's position."""
    hidden = complaint_submit(
        submission=submission(),
        uploads=[upload_accept(upload(jpeg(gps=True), "a.jpg"), owner=OWNER)],
    ).complaint
    assert (hidden.latitude, hidden.longitude) == (None, None)

    shared = complaint_submit(
        submission=submission(),
        uploads=[
            upload_accept(upload(pdf(), "surat.pdf"), owner=OWNER),
            upload_accept(upload(jpeg(gps=True), "b.jpg"), owner=OWNER),
        ],
        share_location=True,
    ).complaint
    shared.refresh_from_db()
    assert (shared.latitude, shared.longitude) == (Decimal(BUTON_LAT), Decimal(BUTON_LON))


def test_a_position_given_on_the_map_wins_over_the_photo(media, ref):
    position = (Decimal("-5.300000"), Decimal("122.900000"))
    complaint = complaint_submit(
        submission=submission(latitude=position[0], longitude=position[1]),
        uploads=[upload_accept(upload(jpeg(gps=True), "a.jpg"), owner=OWNER)],
        share_location=True,
    ).complaint
    complaint.refresh_from_db()
    assert (complaint.latitude, complaint.longitude) == position


def test_a_failed_submission_leaves_the_uploads_staged(media, ref, monkeypatch):
    """S16: if anything in the submission fails after the attachments were made, the whole
    transaction rolls back: no complaint, no attachment, the upload still staged with its file."""
    staged = upload_accept(upload(jpeg(), "a.jpg"), owner=OWNER)

    def boom(*args, **kwargs):
        raise RuntimeError("outbox down")

    monkeypatch.setattr("aduan.complaints.services.notify_complainant", boom)
    with pytest.raises(RuntimeError):
        complaint_submit(submission=submission(), uploads=[staged])
    assert Complaint.objects.count() == 0 and Attachment.objects.count() == 0
    assert list(Upload.objects.all()) == [staged]
    assert stored_files(media) == [media / staged.file.name]


def test_an_invalid_submission_keeps_the_uploads(media, ref):
    staged = upload_accept(upload(jpeg(), "a.jpg"), owner=OWNER)
    with pytest.raises(ApplicationError):
        complaint_submit(submission=submission(body=" "), uploads=[staged])
    assert Upload.objects.count() == 1 and Attachment.objects.count() == 0


def test_more_uploads_than_allowed_are_refused_at_submission(media, ref, settings):
    """S10: the count limit holds at submission too (a forged form with extra upload ids)."""
    settings.ADUAN_UPLOAD_MAX_FILES = 2
    staged = [upload_accept(upload(pdf(), f"{i}.pdf"), owner=OWNER) for i in range(3)]
    with pytest.raises(ApplicationError) as caught:
        complaint_submit(submission=submission(), uploads=staged)
    assert caught.value.code == "too_many_files"
    assert Complaint.objects.count() == 0 and Upload.objects.count() == 3


def test_attachments_for_a_message(media, ref):
    """The tracking page's messages (supplement, follow-up) attach files the same way."""
    from django.db import transaction

    from aduan.complaints.services import complaint_add_complainant_message

    complaint = f.received()
    staged = upload_accept(upload(pdf(), "bukti.pdf"), owner=OWNER)
    with transaction.atomic():
        message = complaint_add_complainant_message(complaint=complaint, text="Bukti tambahan")
        made = attachments_from_uploads(complaint=complaint, uploads=[staged], message=message)
    assert [a.message_id for a in made] == [message.pk]
    assert Upload.objects.count() == 0


def test_big_photos_are_scaled_down_to_the_longest_side(media, settings):
    """Photos are stored at most ADUAN_UPLOAD_IMAGE_MAX_SIDE on their longest side (light pages
    for slow links); the aspect ratio is kept."""
    settings.ADUAN_UPLOAD_IMAGE_MAX_SIDE = 100
    staged = upload_accept(upload(jpeg((400, 200)), "besar.jpg"), owner=OWNER)
    assert Image.open(staged.file).size == (100, 50)


def test_a_cmyk_jpeg_is_stored_as_rgb(media):
    buffer = io.BytesIO()
    Image.new("CMYK", (20, 20), (0, 255, 255, 0)).save(buffer, "JPEG")
    staged = upload_accept(upload(buffer.getvalue(), "cmyk.jpg"), owner=OWNER)
    assert Image.open(staged.file).mode == "RGB"
