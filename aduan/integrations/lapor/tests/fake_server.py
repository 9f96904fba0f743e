"""A fake national LAPOR! server speaking the legacy XML protocol, for the tests.

An `http.server` on 127.0.0.1:0 in a thread. It accepts reports (forward up) and answers with
a tracking id and a transaction id, serves a list of reports forwarded to the pemda, records
status and follow-up pushes (deduplicated by their idempotency key, as a careful server
would), and can be told to fail: `fail_next(n, status=500)`, `fail_next(n, mode="timeout")`
(answers after the client gave up — the request is RECORDED, the client sees a timeout) or
`mode="malformed"` (a reply that is not XML). It checks the token on every request.
"""

from __future__ import annotations

import itertools
import threading
import time
import xml.etree.ElementTree as ET  # nosec B405
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from aduan.core.tests.local_http import local_http_server
from aduan.integrations.lapor import protocol
from aduan.integrations.lapor.protocol import InboundReport

TOKEN = "{E8F10E96-TEST-TOKEN}"


@dataclass
class Failure:
    mode: str  # "status", "timeout", "malformed", "reject"
    status: int = 500


@dataclass
class FakeLapor:
    token: str = TOKEN
    forwarded: list[InboundReport] = field(default_factory=list)
    forwarded_raw: bytes | None = None  # served instead of `forwarded` when set
    reports: list[dict[str, Any]] = field(default_factory=list)  # accepted forward-ups
    statuses: list[dict[str, Any]] = field(default_factory=list)
    responses: list[dict[str, Any]] = field(default_factory=list)
    requests: list[tuple[str, bytes]] = field(default_factory=list)  # every request, raw
    failures: list[Failure] = field(default_factory=list)
    sleep_seconds: float = 1.5
    by_key: dict[str, bytes] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(4_100_001))
    url: str = ""

    def fail_next(self, count: int = 1, *, status: int = 500, mode: str = "status") -> None:
        with self.lock:
            self.failures.extend(Failure(mode=mode, status=status) for _ in range(count))

    # -- the protocol ---------------------------------------------------------------------------

    def handle(self, path: str, body: bytes) -> tuple[int, bytes, Failure | None]:
        with self.lock:
            self.requests.append((path, body))
            failure = self.failures.pop(0) if self.failures else None
        if failure is not None and failure.mode == "status":
            return failure.status, b"<html>Internal Server Error</html>", None
        if failure is not None and failure.mode == "malformed":
            return 200, b"<lapor><trackingid>12</lapor", None
        if failure is not None and failure.mode == "reject":
            return 200, protocol.serialize_reply(status="ERROR", pesan="laporan ditolak"), None
        try:
            root = ET.fromstring(body)  # noqa: S314  # nosec B314
        except ET.ParseError:
            return 400, protocol.serialize_reply(status="ERROR", pesan="XML tidak valid"), None
        if protocol.request_token(root) != self.token:
            return 401, protocol.serialize_reply(status="ERROR", pesan="token salah"), None
        reply = self._dispatch(path, root)
        return 200, reply, failure  # a "timeout" failure: processed, then answered too late

    def _dispatch(self, path: str, root: ET.Element) -> bytes:
        if path == protocol.PATH_FORWARDED:
            if self.forwarded_raw is not None:
                return self.forwarded_raw
            return protocol.serialize_forwarded(list(self.forwarded))
        if path == protocol.PATH_ADD_REPORT:
            laporan = root.find("laporan")
            key = laporan.get("kunci", "") if laporan is not None else ""
            with self.lock:
                if key and key in self.by_key:
                    return self.by_key[key]
                number = next(self._ids)
                pelapor = root.find("pelapor")
                self.reports.append(
                    {
                        "key": key,
                        "tracking_id": str(number),
                        "rahasia": laporan.get("rahasia") if laporan is not None else None,
                        "anonim": laporan.get("anonim") if laporan is not None else None,
                        "isi": laporan.findtext("isi") if laporan is not None else None,
                        "judul": laporan.findtext("judul") if laporan is not None else None,
                        "namadepan": pelapor.findtext("namadepan") if pelapor is not None else "",
                        "telpon": pelapor.findtext("telpon") if pelapor is not None else "",
                        "email": pelapor.findtext("email") if pelapor is not None else "",
                    }
                )
                reply = protocol.serialize_reply(
                    status="OK", trackingid=str(number), transaksiid=f"TRX-{number}"
                )
                if key:
                    self.by_key[key] = reply
                return reply
        if path in (protocol.PATH_STATUS, protocol.PATH_RESPONSE):
            node = root.find("status" if path == protocol.PATH_STATUS else "tindaklanjut")
            if node is None:
                return protocol.serialize_reply(status="ERROR", pesan="isi kosong")
            key = node.get("kunci", "")
            with self.lock:
                if key and key in self.by_key:
                    return self.by_key[key]
                record = {"key": key, "tracking_id": node.get("trackingid")}
                record.update({child.tag: child.text or "" for child in node})
                (self.statuses if path == protocol.PATH_STATUS else self.responses).append(record)
                reply = protocol.serialize_reply(
                    status="OK", transaksiid=f"TRX-{len(self.by_key) + 1}"
                )
                if key:
                    self.by_key[key] = reply
                return reply
        return protocol.serialize_reply(status="ERROR", pesan="tidak dikenal")


def _handler(fake: FakeLapor) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            status, reply, late = fake.handle(self.path, body)
            if late is not None:
                time.sleep(fake.sleep_seconds)
            try:
                self.send_response(status)
                self.send_header("Content-Type", "text/xml; charset=UTF-8")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@contextmanager
def running(fake: FakeLapor | None = None) -> Iterator[FakeLapor]:
    fake = fake or FakeLapor()
    with local_http_server(_handler(fake)) as url:
        fake.url = url
        yield fake
