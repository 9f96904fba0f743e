"""A fake WhatsApp Cloud API (Graph API v21.0) speaking the documented formats: the phone
number node, POST /{phone-number-id}/messages, media URLs and their download, the Graph error
object; the bearer token is checked on every request (401 with error 190 otherwise)."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .fake_http import FakeProvider, Request, json_reply

TOKEN = "EAAtest-whatsapp-access-token-0123456789"
PHONE_NUMBER_ID = "106540352242922"
VERSION = "v21.0"


def graph_error(code: int, message: str, kind: str = "OAuthException") -> dict[str, Any]:
    return {
        "error": {
            "message": message,
            "type": kind,
            "code": code,
            "error_data": {"messaging_product": "whatsapp", "details": message},
            "fbtrace_id": "AbCdEfGhIjK",
        }
    }


@dataclass
class FakeGraph(FakeProvider):
    token: str = TOKEN
    phone_number_id: str = PHONE_NUMBER_ID
    media: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # id → (bytes, mime)
    sent: list[dict[str, Any]] = field(default_factory=list)  # accepted message requests
    tamper_downloads: bool = False  # serve bytes that do not match the announced sha256
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def api_url(self) -> str:
        return f"{self.url}/{VERSION}"

    def route(self, request: Request) -> tuple[int, bytes, str]:
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return json_reply(401, graph_error(190, "Invalid OAuth access token."))
        path = request.path.split("?", 1)[0]
        if path.startswith("/download/"):
            media_id = path.removeprefix("/download/")
            if media_id not in self.media:
                return json_reply(404, graph_error(100, "Unknown media"))
            content, mime = self.media[media_id]
            return 200, content + (b"x" if self.tamper_downloads else b""), mime
        prefix = f"/{VERSION}/"
        if not path.startswith(prefix):
            return json_reply(404, graph_error(100, "Unknown path"))
        node = path.removeprefix(prefix)
        if request.method == "POST" and node == f"{self.phone_number_id}/messages":
            return self._message(request)
        if request.method == "GET" and node == self.phone_number_id:
            return json_reply(
                200,
                {
                    "verified_name": "Aduan Kabupaten Buton",
                    "code_verification_status": "VERIFIED",
                    "display_phone_number": "+62 811-4000-1708",
                    "quality_rating": "GREEN",
                    "id": self.phone_number_id,
                },
            )
        if request.method == "GET" and node in self.media:
            content, mime = self.media[node]
            return json_reply(
                200,
                {
                    "messaging_product": "whatsapp",
                    "url": f"{self.url}/download/{node}",
                    "mime_type": mime,
                    "sha256": hashlib.sha256(content).hexdigest(),
                    "file_size": len(content),
                    "id": node,
                },
            )
        return json_reply(400, graph_error(100, "Unsupported request", "GraphMethodException"))

    def _message(self, request: Request) -> tuple[int, bytes, str]:
        body = request.json()
        if body.get("messaging_product") != "whatsapp" or not body.get("to"):
            return json_reply(400, graph_error(100, "(#100) Invalid parameter"))
        with self.lock:
            self.sent.append(body)
            wamid = f"wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEjk{next(self._ids):08d}"
        return json_reply(
            200,
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": body["to"], "wa_id": body["to"]}],
                "messages": [{"id": wamid}],
            },
        )
