"""A small fake provider API for the channel tests: an `http.server` on 127.0.0.1:0 in a
thread, answering through a `route(method, path, headers, body)` the subclass writes, with a
queue of failures the test asks for: `fail_next(n, status=500)`, `fail_next(n, mode="timeout")`
(answers only after `sleep_seconds`, longer than the client waits, with nothing done),
`fail_next(n, status=400, body={...})` (a provider error). Every request is recorded.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any, TypeVar

from aduan.core.tests.local_http import local_http_server


@dataclass
class Failure:
    mode: str  # "status" or "timeout"
    status: int = 500
    body: dict[str, Any] | None = None


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class FakeProvider:
    url: str = ""
    requests: list[Request] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    sleep_seconds: float = 0.6
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next(
        self,
        count: int = 1,
        *,
        status: int = 500,
        mode: str = "status",
        body: dict[str, Any] | None = None,
    ) -> None:
        with self.lock:
            self.failures.extend(Failure(mode, status, body) for _ in range(count))

    def route(self, request: Request) -> tuple[int, bytes, str]:
        raise NotImplementedError

    def answer(self, request: Request) -> tuple[int, bytes, str, float]:
        with self.lock:
            self.requests.append(request)
            failure = self.failures.pop(0) if self.failures else None
        if failure is not None and failure.mode == "timeout":
            return 503, b"", "text/plain", self.sleep_seconds
        if failure is not None:
            body = json.dumps(failure.body).encode() if failure.body else b"Internal Server Error"
            return failure.status, body, "application/json", 0.0
        status, body, content_type = self.route(request)
        return status, body, content_type, 0.0


def json_reply(status: int, data: Any) -> tuple[int, bytes, str]:
    return status, json.dumps(data).encode(), "application/json"


def _handler(fake: FakeProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            request = Request(self.command, self.path, dict(self.headers.items()), body)
            status, reply, content_type, delay = fake.answer(request)
            if delay:
                time.sleep(delay)
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)
            except (BrokenPipeError, ConnectionResetError):
                pass

        do_GET = _serve
        do_POST = _serve

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


F = TypeVar("F", bound=FakeProvider)


@contextmanager
def running(fake: F) -> Iterator[F]:
    with local_http_server(_handler(fake), poll_interval=0.02) as url:
        fake.url = url
        yield fake
