"""Safe uploads: every file a citizen (or a form) sends passes through here (S4, S10).

- Allow-list by content, never by name or the browser's content type: JPEG, PNG, WebP, GIF
  (first frame) and HEIC (only where Pillow has a HEIF decoder) by Pillow's identification of
  the bytes; PDF by its `%PDF-` header and `%%EOF` marker.
- Images are decoded and re-encoded (JPEG/PNG/WebP out): EXIF orientation applied first, then
  every metadata block (EXIF, GPS, XMP, ICC, comments) and any bytes after the image (a JPEG+ZIP
  polyglot) are gone, because only the pixels are written back. The GPS position found in the
  EXIF is kept in the row (`Upload.latitude/longitude`) and used only if the complainant chooses
  to share the location (`complaint_submit(..., share_location=True)`).
- Decompression bombs: more than `ADUAN_UPLOAD_MAX_PIXELS` pixels is refused before decoding.
- Size limits per file (`ADUAN_UPLOAD_MAX_BYTES`); count and total per form
  (`ADUAN_UPLOAD_MAX_FILES`, `ADUAN_UPLOAD_MAX_TOTAL_BYTES`, enforced by the caller through
  `check_batch`, as only it knows what a form already holds).
- An optional virus scan: with `ADUAN_CLAMAV_SOCKET` set, the received bytes are streamed to
  clamd (INSTREAM) and a FOUND is refused; an unreachable scanner refuses too (fail closed).
- Server-side random names (`upload_path`); the sanitised original name lives only in the row.
- Every refusal is an `ApplicationError` with a stable `code` (`file_empty`, `file_too_big`,
  `file_type`, `file_heic`, `file_broken`, `file_too_large_image`, `file_infected`,
  `scan_unavailable`, `too_many_files`, `files_too_big`), a translated message naming the file,
  and `extra={"field": "attachments"}`. A refused file leaves nothing behind: no row, no file.

Staged uploads belong to an `owner` (the portal uses a keyed hash of the browser session) and
become Attachments in the submission's transaction (`attachments_from_uploads`). Unclaimed ones
are purged after `ADUAN_UPLOAD_STAGING_HOURS` (`uploads_purge`, an hourly task).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import socket
import struct
import unicodedata
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from aduan.core import clock as time
from aduan.core.exceptions import ApplicationError

from .models import Attachment, Complaint, Message, Upload

if TYPE_CHECKING:
    from aduan.accounts.models import User
    from aduan.complaints.workflow.actors import Actor

logger = logging.getLogger(__name__)

FIELD = "attachments"
NAME_MAX = 200
PDF_TYPE = "application/pdf"
# What a stored attachment may be served as, inline, after re-encoding (views/files.py).
INLINE_IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
# Pillow format id -> (format written back, content type, extension).
_IMAGE_OUTPUT = {
    "JPEG": ("JPEG", "image/jpeg", ".jpg"),
    "MPO": ("JPEG", "image/jpeg", ".jpg"),  # phones' multi-picture JPEG: the first picture
    "PNG": ("PNG", "image/png", ".png"),
    "WEBP": ("WEBP", "image/webp", ".webp"),
    "GIF": ("PNG", "image/png", ".png"),  # first frame
    "HEIF": ("JPEG", "image/jpeg", ".jpg"),
}
_IMAGE_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
# ISO-BMFF brands of HEIC/HEIF photos (iPhones' default camera format).
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"})
EXTENSION_FOR_TYPE = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}
EXTENSION_FOR_TYPE[PDF_TYPE] = ".pdf"

# Pillow's own guard follows the setting (it warns above the limit and raises above twice it;
# `_open_image` turns both into a refusal).
Image.MAX_IMAGE_PIXELS = settings.ADUAN_UPLOAD_MAX_PIXELS


@dataclass(frozen=True)
class Accepted:
    """The bytes to store and what we know about them."""

    data: bytes
    content_type: str
    extension: str
    latitude: Decimal | None = None
    longitude: Decimal | None = None


def _refuse(message: str, code: str) -> ApplicationError:
    return ApplicationError(message, code=code, extra={"field": FIELD})


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


# --- names ---------------------------------------------------------------------------------


def sanitize_name(name: str) -> str:
    """The original file name as it may be shown: no path, no control or reserved characters,
    at most 200 characters (keeping the extension). Never used to store the file."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(
        " " if ch.isspace() else ch
        for ch in name
        if unicodedata.category(ch)[0] != "C" and ch not in '<>:"|?*'
    )
    cleaned = " ".join(cleaned.split()).strip(" .")
    if not cleaned:
        cleaned = _("file")
    if len(cleaned) > NAME_MAX:
        stem, dot, ext = cleaned.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            cleaned = f"{stem[: NAME_MAX - len(ext) - 1]}.{ext}"
        else:
            cleaned = cleaned[:NAME_MAX]
    return cleaned


def short_name(name: str, limit: int = 28) -> str:
    """A long file name shortened for messages ("IMG_2024…1234.jpg"), so an error stays
    readable and fits a phone's width."""
    if len(name) <= limit:
        return name
    stem, dot, ext = name.rpartition(".")
    if not (dot and stem and len(ext) <= 6):
        stem, ext = name, ""
    ext = f".{ext}" if ext else ""
    keep = limit - len(ext) - 1
    return f"{stem[: keep - 4]}…{stem[-4:]}{ext}"


def download_name(original_name: str, content_type: str) -> str:
    """The name a download is offered under: the original stem with the real extension."""
    stem = sanitize_name(original_name)
    ext = EXTENSION_FOR_TYPE.get(content_type, "")
    base, dot, old_ext = stem.rpartition(".")
    if dot and base and len(old_ext) <= 10:
        stem = base
    return f"{stem[: NAME_MAX - len(ext)]}{ext}"


# --- reading -------------------------------------------------------------------------------


def _read_limited(file: UploadedFile, name: str) -> bytes:
    """The file's bytes, refusing it (before reading) if it is empty or too big."""
    limit = settings.ADUAN_UPLOAD_MAX_BYTES
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise _too_big(name, limit)
    file.seek(0)
    data = file.read(limit + 1)
    if len(data) > limit:
        raise _too_big(name, limit)
    if not data:
        raise _refuse(_("“%(name)s” is empty.") % {"name": name}, "file_empty")
    return data


def _too_big(name: str, limit: int) -> ApplicationError:
    return _refuse(
        _("“%(name)s” is too big: a file may have at most %(mb)s MB.")
        % {"name": name, "mb": _mb(limit)},
        "file_too_big",
    )


def _wrong_type(name: str) -> ApplicationError:
    return _refuse(
        _("“%(name)s” cannot be accepted: only photos (JPEG, PNG, WebP, GIF) and PDF documents.")
        % {"name": name},
        "file_type",
    )


def _broken(name: str) -> ApplicationError:
    return _refuse(
        _("“%(name)s” is damaged or incomplete and cannot be opened.") % {"name": name},
        "file_broken",
    )


def _is_heif(data: bytes) -> bool:
    if data[4:8] != b"ftyp":
        return False
    box_size = struct.unpack(">I", data[:4])[0]
    brands = {data[8:12]}
    end = min(max(box_size, 16), 64, len(data))
    brands.update(data[i : i + 4] for i in range(16, end - 3, 4))
    if data[8:12] in (b"mif1", b"msf1"):
        # mif1 is also AVIF's brand; HEIC says so among its compatible brands.
        return bool(brands & {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"})
    return bool(brands & _HEIF_BRANDS)


def _accept_pdf(data: bytes, name: str) -> Accepted:
    if b"%%EOF" not in data[-2048:]:
        raise _broken(name)
    return Accepted(data=data, content_type=PDF_TYPE, extension=".pdf")


def _open_image(data: bytes, name: str, formats: Sequence[str]) -> Image.Image:
    """Identify the image by its bytes and refuse bombs before any pixel is decoded."""
    max_pixels = settings.ADUAN_UPLOAD_MAX_PIXELS
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        previous = Image.MAX_IMAGE_PIXELS
        Image.MAX_IMAGE_PIXELS = max_pixels
        try:
            image = Image.open(io.BytesIO(data), formats=list(formats))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _bomb(name) from exc
        except UnidentifiedImageError as exc:
            raise _wrong_type(name) from exc
        except (OSError, SyntaxError, ValueError, struct.error, EOFError) as exc:
            raise _broken(name) from exc
        finally:
            Image.MAX_IMAGE_PIXELS = previous
    width, height = image.size
    if width <= 0 or height <= 0:
        raise _broken(name)
    if width * height > max_pixels:
        raise _bomb(name)
    return image


def _bomb(name: str) -> ApplicationError:
    return _refuse(
        _("“%(name)s” has too many pixels to be processed; send a smaller photo.") % {"name": name},
        "file_too_large_image",
    )


def _rational(value: Any) -> Decimal:
    if isinstance(value, tuple) and len(value) == 2:
        return Decimal(value[0]) / Decimal(value[1])
    return Decimal(str(float(value)))


def gps_position(image: Image.Image) -> tuple[Decimal | None, Decimal | None]:
    """The EXIF GPS position of a photo as decimal degrees, or (None, None)."""
    try:
        gps = image.getexif().get_ifd(0x8825)  # GPSInfo
        lat_ref, lat, lon_ref, lon = gps.get(1), gps.get(2), gps.get(3), gps.get(4)
        if not (lat and lon and len(lat) == 3 and len(lon) == 3):
            return None, None
        latitude = sum(
            (_rational(part) / div for part, div in zip(lat, (1, 60, 3600), strict=True)),
            Decimal(0),
        )
        longitude = sum(
            (_rational(part) / div for part, div in zip(lon, (1, 60, 3600), strict=True)),
            Decimal(0),
        )
        if str(lat_ref or "N").strip().upper().startswith("S"):
            latitude = -latitude
        if str(lon_ref or "E").strip().upper().startswith("W"):
            longitude = -longitude
    except (AttributeError, TypeError, ValueError, ZeroDivisionError, InvalidOperation, KeyError):
        return None, None
    except Exception:  # a malformed EXIF block must never refuse a good photo
        logger.debug("unreadable EXIF GPS block", exc_info=True)
        return None, None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None, None
    quantum = Decimal("0.000001")
    return (
        latitude.quantize(quantum, rounding=ROUND_HALF_UP),
        longitude.quantize(quantum, rounding=ROUND_HALF_UP),
    )


def _reencode(image: Image.Image, name: str) -> Accepted:
    source_format = image.format or ""
    out_format, content_type, extension = _IMAGE_OUTPUT[source_format]
    latitude, longitude = gps_position(image)
    try:
        image.seek(0)  # GIF, MPO: the first frame only
        max_side = settings.ADUAN_UPLOAD_IMAGE_MAX_SIDE
        if max_side and source_format in ("JPEG", "MPO"):
            image.draft("RGB", (max_side, max_side))  # decode a big JPEG at a reduced scale
        image.load()
        image = ImageOps.exif_transpose(image) or image
        has_alpha = image.mode in ("RGBA", "LA", "PA") or (
            image.mode == "P" and "transparency" in image.info
        )
        if out_format == "JPEG" or not has_alpha:
            image = image.convert("RGB") if image.mode != "L" else image
        else:
            image = image.convert("RGBA")
        if max_side and max(image.size) > max_side:
            image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        # Only the pixels go back: no EXIF, GPS, XMP, ICC profile or comment; nothing after.
        image.info = {}
        buffer = io.BytesIO()
        if out_format == "JPEG":
            image.save(buffer, "JPEG", quality=88, optimize=True)
        elif out_format == "PNG":
            image.save(buffer, "PNG", optimize=True)
        else:
            image.save(buffer, "WEBP", quality=85)
    except (OSError, SyntaxError, ValueError, struct.error, EOFError) as exc:
        raise _broken(name) from exc
    except (Image.DecompressionBombError, MemoryError) as exc:
        raise _bomb(name) from exc
    return Accepted(
        data=buffer.getvalue(),
        content_type=content_type,
        extension=extension,
        latitude=latitude,
        longitude=longitude,
    )


def inspect(data: bytes, name: str) -> Accepted:
    """Decide by content what the bytes are; return what is to be stored, or refuse."""
    if data.startswith(b"%PDF-"):
        return _accept_pdf(data, name)
    if _is_heif(data):
        if "HEIF" not in Image.OPEN:
            raise _refuse(
                _(
                    "“%(name)s” is a HEIC photo, which cannot be read here yet. On an iPhone, "
                    "choose Settings > Camera > Formats > Most Compatible, or send a screenshot "
                    "of the photo."
                )
                % {"name": name},
                "file_heic",
            )
        return _reencode(_open_image(data, name, ("HEIF",)), name)
    image = _open_image(data, name, _IMAGE_FORMATS)
    if image.format not in _IMAGE_OUTPUT:
        raise _wrong_type(name)
    return _reencode(image, name)


# --- virus scan ----------------------------------------------------------------------------


def _clamd_connect(address: str, timeout: float) -> socket.socket:
    if address.startswith("tcp://"):
        host, _sep, port = address[len("tcp://") :].rpartition(":")
        return socket.create_connection((host, int(port)), timeout=timeout)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(address)
    except OSError:
        sock.close()
        raise
    return sock


def clamd_scan(data: bytes, *, address: str, timeout: float = 30.0) -> str | None:
    """Stream `data` to clamd (INSTREAM). The signature name if infected, None if clean.

    Raises OSError when clamd cannot be reached, times out or answers with an error.
    """
    chunk = 64 * 1024
    with _clamd_connect(address, timeout) as sock:
        sock.sendall(b"zINSTREAM\0")
        for start in range(0, len(data), chunk):
            part = data[start : start + chunk]
            sock.sendall(struct.pack(">I", len(part)) + part)
        sock.sendall(struct.pack(">I", 0))
        reply = b""
        while not reply.endswith(b"\0") and len(reply) < 4096:
            received = sock.recv(4096)
            if not received:
                break
            reply += received
    answer = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
    if answer.endswith("FOUND"):
        return answer.removeprefix("stream:").removesuffix("FOUND").strip() or "unknown"
    if answer.endswith("OK"):
        return None
    raise OSError(f"clamd answered {answer[:200]!r}")


def _scan(data: bytes, name: str) -> None:
    address = settings.ADUAN_CLAMAV_SOCKET
    if not address:
        return
    try:
        signature = clamd_scan(data, address=address, timeout=settings.ADUAN_CLAMAV_TIMEOUT)
    except (OSError, ValueError) as exc:
        logger.error("virus scan unavailable: %s", exc)
        raise _refuse(
            _("“%(name)s” could not be checked for viruses just now. Please try again later.")
            % {"name": name},
            "scan_unavailable",
        ) from exc
    if signature is not None:
        logger.warning("upload refused by the virus scanner: %s", signature)
        raise _refuse(
            _("“%(name)s” was refused: the virus scanner found harmful content in it.")
            % {"name": name},
            "file_infected",
        )


# --- the service ---------------------------------------------------------------------------


def check_batch(*, names: Sequence[str], sizes: Iterable[int], kept: Sequence[Upload] = ()) -> None:
    """Refuse a batch of new files that would break the per-form count or total size."""
    max_files = settings.ADUAN_UPLOAD_MAX_FILES
    count = len(kept) + len(names)
    if count > max_files:
        raise _refuse(
            _(
                "You can attach at most %(max)s files; with these there would be %(count)s. "
                "None of the new files were added: choose fewer."
            )
            % {"max": max_files, "count": count},
            "too_many_files",
        )
    total = sum(upload.size for upload in kept) + sum(sizes)
    max_total = settings.ADUAN_UPLOAD_MAX_TOTAL_BYTES
    if total > max_total:
        raise _refuse(
            _(
                "The files together may have at most %(mb)s MB. None of the new files were "
                "added: choose fewer or smaller files."
            )
            % {"mb": _mb(max_total)},
            "files_too_big",
        )


def upload_accept(file: UploadedFile, *, owner: str) -> Upload:
    """Check, clean and stage one uploaded file for `owner`; refuse it with ApplicationError.

    Nothing is stored when it is refused.
    """
    if not owner:
        raise ValueError("an upload needs an owner")
    original_name = sanitize_name(getattr(file, "name", "") or "")
    shown = short_name(original_name)
    data = _read_limited(file, shown)
    _scan(data, shown)
    accepted = inspect(data, shown)
    if len(accepted.data) > settings.ADUAN_UPLOAD_MAX_BYTES:
        raise _too_big(shown, settings.ADUAN_UPLOAD_MAX_BYTES)
    upload = Upload(
        owner=owner,
        original_name=original_name,
        content_type=accepted.content_type,
        size=len(accepted.data),
        sha256=hashlib.sha256(accepted.data).hexdigest(),
        latitude=accepted.latitude,
        longitude=accepted.longitude,
    )
    upload.file.save(f"upload{accepted.extension}", ContentFile(accepted.data), save=False)
    try:
        with transaction.atomic():
            upload.save()
    except BaseException:
        upload.file.storage.delete(upload.file.name or "")
        raise
    return upload


def uploads_for(owner: str, ids: Iterable[int] | None = None) -> list[Upload]:
    """The staged uploads of `owner` (optionally only those with these ids), oldest first."""
    if not owner:
        return []
    queryset = Upload.objects.filter(owner=owner)
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    return list(queryset.order_by("created_at", "id"))


def _delete_files_after_commit(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    def delete() -> None:
        for name in names:
            try:
                default_storage.delete(name)
            except OSError:
                logger.warning("could not delete %s", name, exc_info=True)

    transaction.on_commit(delete)


@transaction.atomic
def upload_discard(owner: str, upload_id: int) -> bool:
    """Remove one staged upload of `owner` (row and file). False if it is not theirs."""
    upload = Upload.objects.select_for_update().filter(owner=owner, pk=upload_id).first()
    if upload is None or not owner:
        return False
    name = upload.file.name or ""
    upload.delete()
    _delete_files_after_commit([name] if name else [])
    return True


@transaction.atomic
def uploads_purge(*, older_than: dt.timedelta | None = None) -> int:
    """Delete staged uploads (rows and files) older than `older_than` (default: the setting)."""
    if older_than is None:
        older_than = dt.timedelta(hours=settings.ADUAN_UPLOAD_STAGING_HOURS)
    stale = list(
        Upload.objects.select_for_update(skip_locked=True)
        .filter(created_at__lt=time.now() - older_than)
        .values_list("pk", "file")
    )
    if not stale:
        return 0
    Upload.objects.filter(pk__in=[pk for pk, _name in stale]).delete()
    _delete_files_after_commit([name for _pk, name in stale if name])
    return len(stale)


def attachments_from_uploads(
    *,
    complaint: Complaint,
    uploads: Sequence[Upload],
    message: Message | None = None,
    by: User | Actor | None = None,
) -> list[Attachment]:
    """Turn staged uploads into the complaint's attachments, inside the caller's transaction.

    The stored file is reused as it is (no copy): the Attachment points at the same name and
    the Upload row is deleted, so a rollback restores the Upload untouched. Uploads already
    claimed (a double submission) are skipped.
    """
    if not uploads:
        return []
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("attachments_from_uploads must run inside the submission transaction")
    ids = [upload.pk for upload in uploads]
    owners = {upload.owner for upload in uploads}
    rows = {
        row.pk: row
        for row in Upload.objects.select_for_update().filter(pk__in=ids, owner__in=owners)
    }
    claimed = [rows[pk] for pk in dict.fromkeys(ids) if pk in rows]
    check_batch(names=[u.original_name for u in claimed], sizes=[u.size for u in claimed])
    user: Any = getattr(by, "user", by)  # an Actor carries its User
    if user is not None and not getattr(user, "pk", None):
        user = None
    attachments = []
    for upload in claimed:
        attachment = Attachment(
            complaint=complaint,
            message=message,
            original_name=upload.original_name,
            content_type=upload.content_type,
            size=upload.size,
            sha256=upload.sha256,
            uploaded_by=user,
        )
        attachment.file.name = upload.file.name  # the same stored file, no copy
        attachments.append(attachment)
    for attachment in attachments:
        attachment.save(force_insert=True)
    Upload.objects.filter(pk__in=[u.pk for u in claimed]).delete()
    return attachments


def first_position(uploads: Sequence[Upload]) -> tuple[Decimal | None, Decimal | None]:
    """The GPS position of the first upload that has one (for `share_location`)."""
    for upload in uploads:
        if upload.latitude is not None and upload.longitude is not None:
            return upload.latitude, upload.longitude
    return None, None
