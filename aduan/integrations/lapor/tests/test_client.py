"""The LegacyXmlLaporClient against the fake server: the legacy request shape, escaping,
error classes per HTTP outcome, no redirects, configuration, and the swappable interface."""

from __future__ import annotations

import datetime as dt
import http.server
import threading
import xml.etree.ElementTree as ET  # nosec B405

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured

from aduan.integrations.lapor import protocol
from aduan.integrations.lapor.client import (
    LaporClient,
    LaporRejected,
    LaporUnavailable,
    LegacyXmlLaporClient,
    StatusUpdate,
    get_client,
)
from aduan.integrations.lapor.protocol import OutboundReport

NOW = dt.datetime(2026, 6, 8, 1, 0, tzinfo=dt.UTC)


def test_forward_up_speaks_the_legacy_format(fake_lapor):
    """The known legacy request: <lapor token> with <pelapor> and <laporan rahasia anonim>,
    answered with trackingid and transaksiid; markup in the text is escaped, not injected."""
    client = LegacyXmlLaporClient()
    tracking_id, transaction_id = client.forward_up(
        OutboundReport(
            key="k1",
            body='Air </isi><isi>palsu & "kotor"',
            name="La Ode Uji Coba",
            phone="+6281377700044",
            email="uji@contoh.id",
            private=True,
        )
    )
    assert tracking_id.isdigit() and transaction_id == f"TRX-{tracking_id}"
    path, body = fake_lapor.requests[0]
    assert path == "/api/stream/addstream"
    root = ET.fromstring(body)  # noqa: S314  # nosec B314
    assert root.tag == "lapor" and root.get("token") == fake_lapor.token
    assert root.findtext("pelapor/namadepan") == "La"
    assert root.findtext("pelapor/namabelakang") == "Ode Uji Coba"
    laporan = root.find("laporan")
    assert laporan is not None
    assert (laporan.get("rahasia"), laporan.get("anonim")) == ("1", "0")
    assert laporan.findtext("isi") == 'Air </isi><isi>palsu & "kotor"'
    assert len(laporan.findall("isi")) == 1


def test_http_outcomes_map_to_error_classes(fake_lapor, settings):
    client = LegacyXmlLaporClient()
    update = StatusUpdate(key="k", tracking_id="1", status="closed", at=NOW)
    for status in (500, 502, 503, 429, 408):
        fake_lapor.fail_next(1, status=status)
        with pytest.raises(LaporUnavailable):
            client.push_status(update)
    fake_lapor.fail_next(1, status=404)
    with pytest.raises(LaporRejected):
        client.push_status(update)
    fake_lapor.fail_next(1, mode="timeout")
    with pytest.raises(LaporUnavailable, match="in time"):
        client.push_status(update)
    bad = LegacyXmlLaporClient(token="{WRONG}")
    with pytest.raises(LaporRejected, match="401"):
        bad.push_status(update)
    assert client.push_status(update).startswith("TRX-")
    assert fake_lapor.statuses[0]["kode"] == "selesai"


def test_errors_never_carry_the_token(fake_lapor):
    client = LegacyXmlLaporClient(token="{SECRET-TOKEN}")
    with pytest.raises(LaporRejected) as caught:
        client.push_status(StatusUpdate(key="k", tracking_id="1", status="closed", at=NOW))
    assert "SECRET" not in str(caught.value)


def test_unreachable_server_is_temporary(settings):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = LegacyXmlLaporClient(base_url=f"http://127.0.0.1:{port}", token="t", timeout=0.5)
    with pytest.raises(LaporUnavailable):
        client.import_forwarded(None)


def test_a_redirect_is_not_followed():
    """A redirect would turn the POST into a GET without its body: refused, never followed."""
    hits: list[str] = []

    class Redirect(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            hits.append(self.path)
            self.send_response(302)
            self.send_header("Location", "/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:
            hits.append("GET " + self.path)

        def log_message(self, *args: object) -> None:
            return

    server = http.server.HTTPServer(("127.0.0.1", 0), Redirect)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        client = LegacyXmlLaporClient(
            base_url=f"http://127.0.0.1:{server.server_address[1]}", token="t", timeout=2
        )
        with pytest.raises(LaporRejected, match="302"):
            client.import_forwarded(None)
    finally:
        server.shutdown()
        server.server_close()
    assert hits == ["/api/stream/forwarded"]


def test_configuration_is_checked(settings):
    settings.ADUAN_LAPOR_TOKEN = ""
    with pytest.raises(ImproperlyConfigured):
        LegacyXmlLaporClient()
    with pytest.raises(ImproperlyConfigured):
        LegacyXmlLaporClient(base_url="ftp://lapor.go.id", token="t")
    settings.ADUAN_LAPOR_ENABLED = True
    ids = {message.id for message in run_checks()}
    assert "lapor.E001" in ids
    settings.ADUAN_LAPOR_TOKEN = "t"
    settings.ADUAN_LAPOR_URL = "http://lapor.example"
    ids = {message.id for message in run_checks()}
    assert "lapor.E001" not in ids and "lapor.W001" in ids
    settings.ADUAN_LAPOR_ENABLED = False
    assert not {m.id for m in run_checks()} & {"lapor.E001", "lapor.W001"}


class RecordingClient(LaporClient):
    """Another implementation, as the current (non-legacy) API would provide one."""

    def import_forwarded(self, since):  # type: ignore[no-untyped-def]
        return []

    def push_status(self, update):  # type: ignore[no-untyped-def]
        return "x"

    def push_response(self, update):  # type: ignore[no-untyped-def]
        return "x"

    def forward_up(self, report):  # type: ignore[no-untyped-def]
        return ("1", "2")


def test_the_implementation_is_swappable_by_settings(settings):
    settings.ADUAN_LAPOR_CLIENT = f"{__name__}.RecordingClient"
    assert isinstance(get_client(), RecordingClient)
    settings.ADUAN_LAPOR_CLIENT = "aduan.integrations.lapor.client.LegacyXmlLaporClient"
    settings.ADUAN_LAPOR_TOKEN = "t"
    assert isinstance(get_client(), LegacyXmlLaporClient)


def test_reply_parsing_is_strict():
    with pytest.raises(protocol.ProtocolError):
        protocol.parse_add_result(b"<lapor><status>OK</status></lapor>")
    with pytest.raises(protocol.RejectedError):
        protocol.parse_add_result(b"<lapor><status>ERROR</status><pesan>token</pesan></lapor>")
    with pytest.raises(protocol.ProtocolError):
        protocol.parse_xml(b"x" * (protocol.MAX_RESPONSE_BYTES + 1))
    # The reply's root name is not publicly known: any root with the ids is accepted.
    result = protocol.parse_add_result(
        b"<response><trackingid>123</trackingid><transaksiid>9</transaksiid></response>"
    )
    assert (result.tracking_id, result.transaction_id) == ("123", "9")
