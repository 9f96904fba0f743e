"""An `http.server` on 127.0.0.1:0 in a thread, for the fake provider APIs of the tests (the
messenger APIs, the national LAPOR! server)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@contextmanager
def local_http_server(
    handler: type[BaseHTTPRequestHandler], *, poll_interval: float = 0.5
) -> Iterator[str]:
    """Serve `handler` while the block runs; yields the base URL (http://127.0.0.1:<port>).
    A shorter `poll_interval` makes the shutdown at the end quicker."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": poll_interval}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
