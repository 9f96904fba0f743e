"""The LEGACY LAPOR! XML protocol: every path, element and attribute name lives here.

What is publicly known (see README.md, "Sources"): reports were posted as XML to
`https://www.lapor.go.id/api/stream/addstream` (Content-Type `text/xml`) with the access token
as an attribute of the root, the complainant in `<pelapor>` (email, telpon, namadepan,
namabelakang) and the report in `<laporan rahasia=".." anonim="..">` with its text in `<isi>`;
the reply carried `<trackingid>` and `<transaksiid>` as children of its root.

Everything else (the list of reports forwarded to a pemda, status and follow-up pushes, the
reply's root name, error replies) is NOT publicly documented: the names below marked
ASSUMED follow the same style and must be checked against the developer documentation of
lapor.go.id before the connector is enabled in production. Changing them is a change to this
file only (and to the fake server in the tests, which imports these names).
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET  # nosec B405
from dataclasses import dataclass

# --- endpoints (relative to settings.ADUAN_LAPOR_URL) --------------------------------------

PATH_ADD_REPORT = "/api/stream/addstream"  # KNOWN (legacy)
PATH_FORWARDED = "/api/stream/forwarded"  # ASSUMED
PATH_STATUS = "/api/stream/status"  # ASSUMED
PATH_RESPONSE = "/api/stream/tindaklanjut"  # ASSUMED

CONTENT_TYPE = "text/xml; charset=UTF-8"
IDEMPOTENCY_HEADER = "X-Idempotency-Key"  # ASSUMED (also sent as the `kunci` attribute)
MAX_RESPONSE_BYTES = 5 * 1024 * 1024

# Our state → the status word sent upward (ASSUMED vocabulary; one place to change it).
STATUS_CODES: dict[str, str] = {
    "received": "diterima",
    "pending": "menunggu_konfirmasi",
    "dispatched": "didisposisikan",
    "in_progress": "ditindaklanjuti",
    "returned": "dikembalikan",
    "responded": "ditanggapi",
    "closed": "selesai",
    "archived": "diarsipkan",
}

# LAPOR!'s classification (`jenis`, ASSUMED words) → our Kind values.
KIND_CODES: dict[str, str] = {
    "pengaduan": "complaint",
    "aspirasi": "aspiration",
    "permintaan_informasi": "information_request",
    "permintaan informasi": "information_request",
}


class ProtocolError(Exception):
    """The other side's reply is not what the protocol says (malformed XML, missing ids)."""


class RejectedError(Exception):
    """The other side answered, and said no (a status other than OK)."""


@dataclass(frozen=True)
class InboundReport:
    """One report LAPOR! forwarded to this pemda, as parsed from the XML (nothing stored)."""

    tracking_id: str
    body: str
    title: str = ""
    kind: str = "complaint"
    anonymous: bool = False
    private: bool = False
    location: str = ""
    created_at: str = ""
    name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass(frozen=True)
class OutboundReport:
    """A report sent upward (forward_up): the text and, unless anonymous, the complainant."""

    key: str
    body: str
    title: str = ""
    anonymous: bool = False
    private: bool = False
    name: str = ""
    phone: str = ""
    email: str = ""
    reference: str = ""  # our tracking code, so LAPOR! staff can quote it


@dataclass(frozen=True)
class AddResult:
    tracking_id: str
    transaction_id: str


def _flag(value: bool) -> str:
    return "1" if value else "0"


def _is_set(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "ya", "yes", "y"}


def _sub(parent: ET.Element, tag: str, text: str) -> ET.Element:
    child = ET.SubElement(parent, tag)
    child.text = text
    return child


def _document(token: str) -> ET.Element:
    return ET.Element("lapor", {"token": token})


def _serialize(root: ET.Element) -> bytes:
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


# --- requests ------------------------------------------------------------------------------


def build_add_report(token: str, report: OutboundReport) -> bytes:
    root = _document(token)
    pelapor = ET.SubElement(root, "pelapor")
    first, _sep, last = " ".join(report.name.split()).partition(" ")
    _sub(pelapor, "email", report.email)
    _sub(pelapor, "telpon", report.phone)
    _sub(pelapor, "namadepan", first)
    _sub(pelapor, "namabelakang", last or ("_" if first else ""))
    laporan = ET.SubElement(
        root,
        "laporan",
        {
            "rahasia": _flag(report.private),
            "anonim": _flag(report.anonymous),
            "kunci": report.key,  # ASSUMED: our idempotency key
        },
    )
    _sub(laporan, "judul", report.title)  # ASSUMED
    _sub(laporan, "isi", report.body)
    _sub(laporan, "referensi", report.reference)  # ASSUMED
    return _serialize(root)


def build_forwarded_query(token: str, *, since: dt.datetime | None, pemda_code: str) -> bytes:
    root = _document(token)
    _sub(root, "instansi", pemda_code)
    if since is not None:
        _sub(root, "sejak", since.isoformat())
    return _serialize(root)


def build_status(
    token: str, *, key: str, tracking_id: str, status: str, at: dt.datetime, note: str = ""
) -> bytes:
    root = _document(token)
    node = ET.SubElement(root, "status", {"trackingid": tracking_id, "kunci": key})
    _sub(node, "kode", STATUS_CODES.get(status, status))
    _sub(node, "waktu", at.isoformat())
    _sub(node, "keterangan", note)
    return _serialize(root)


def build_response(
    token: str, *, key: str, tracking_id: str, text: str, at: dt.datetime, agency: str = ""
) -> bytes:
    root = _document(token)
    node = ET.SubElement(root, "tindaklanjut", {"trackingid": tracking_id, "kunci": key})
    _sub(node, "instansi", agency)
    _sub(node, "isi", text)
    _sub(node, "waktu", at.isoformat())
    return _serialize(root)


# --- replies -------------------------------------------------------------------------------


def parse_xml(data: bytes) -> ET.Element:
    """Parse a reply; no DTDs or entities (billion laughs, XXE) and a size bound."""
    if len(data) > MAX_RESPONSE_BYTES:
        raise ProtocolError("reply too large")
    head = data[:2048].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        raise ProtocolError("DTDs and entities are not accepted")
    try:
        return ET.fromstring(data)  # noqa: S314  # nosec B314
    except ET.ParseError as exc:
        raise ProtocolError(f"malformed XML: {exc}") from None


def _text(node: ET.Element | None, tag: str) -> str:
    if node is None:
        return ""
    child = node.find(tag)
    return (child.text or "").strip() if child is not None else ""


def check_status(root: ET.Element) -> None:
    """A reply may carry `<status>` (ASSUMED: OK / ERROR with `<pesan>`); absent means OK."""
    status = _text(root, "status")
    if status and status.upper() not in {"OK", "SUKSES", "SUCCESS", "1"}:
        raise RejectedError(_text(root, "pesan") or status)


def parse_add_result(data: bytes) -> AddResult:
    root = parse_xml(data)
    check_status(root)
    tracking_id = _text(root, "trackingid")
    transaction_id = _text(root, "transaksiid")
    if not tracking_id:
        raise ProtocolError("reply without trackingid")
    if len(tracking_id) > 64 or len(transaction_id) > 64:
        raise ProtocolError("identifier too long")
    return AddResult(tracking_id=tracking_id, transaction_id=transaction_id)


def parse_ack(data: bytes) -> str:
    """The reply to a status or follow-up push: OK and, perhaps, a transaction id."""
    root = parse_xml(data)
    check_status(root)
    return _text(root, "transaksiid")[:64]


def parse_forwarded(data: bytes) -> list[InboundReport]:
    """The list of reports forwarded to this pemda. All or nothing: one malformed entry makes
    the whole reply a ProtocolError, so nothing of it is stored."""
    root = parse_xml(data)
    check_status(root)
    reports: list[InboundReport] = []
    seen: set[str] = set()
    for node in root.iter("laporan"):
        tracking_id = (node.get("trackingid") or _text(node, "trackingid")).strip()
        if not tracking_id or len(tracking_id) > 64:
            raise ProtocolError("report without a valid trackingid")
        if tracking_id in seen:
            continue
        seen.add(tracking_id)
        pelapor = node.find("pelapor")
        name = " ".join(
            part
            for part in (_text(pelapor, "namadepan"), _text(pelapor, "namabelakang"))
            if part and part != "_"
        )
        kind = KIND_CODES.get(_text(node, "jenis").lower(), "complaint")
        reports.append(
            InboundReport(
                tracking_id=tracking_id,
                body=_text(node, "isi"),
                title=_text(node, "judul"),
                kind=kind,
                anonymous=_is_set(node.get("anonim")),
                private=_is_set(node.get("rahasia")),
                location=_text(node, "lokasi"),
                created_at=_text(node, "tanggal"),
                name=name,
                phone=_text(pelapor, "telpon"),
                email=_text(pelapor, "email"),
                address=_text(pelapor, "alamat"),
            )
        )
    return reports


# --- the server side (used by the fake LAPOR! server in the tests) ---------------------------


def serialize_reply(**children: str) -> bytes:
    root = ET.Element("lapor")
    for tag, value in children.items():
        _sub(root, tag, value)
    return _serialize(root)


def serialize_forwarded(reports: list[InboundReport]) -> bytes:
    root = ET.Element("lapor")
    _sub(root, "status", "OK")
    for report in reports:
        node = ET.SubElement(
            root,
            "laporan",
            {
                "trackingid": report.tracking_id,
                "rahasia": _flag(report.private),
                "anonim": _flag(report.anonymous),
            },
        )
        _sub(node, "judul", report.title)
        _sub(node, "isi", report.body)
        _sub(node, "jenis", {v: k for k, v in KIND_CODES.items()}.get(report.kind, "pengaduan"))
        _sub(node, "lokasi", report.location)
        _sub(node, "tanggal", report.created_at)
        pelapor = ET.SubElement(node, "pelapor")
        first, _sep, last = report.name.partition(" ")
        _sub(pelapor, "namadepan", first)
        _sub(pelapor, "namabelakang", last)
        _sub(pelapor, "telpon", report.phone)
        _sub(pelapor, "email", report.email)
        _sub(pelapor, "alamat", report.address)
    return _serialize(root)


def request_token(root: ET.Element) -> str:
    return root.get("token", "")
