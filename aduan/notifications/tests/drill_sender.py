"""A slow sender for the worker-kill drill (S17): it records each delivery, then takes its time.

The idempotency key is appended to ADUAN_DRILL_SEND_LOG *before* the pause, like a provider
that has accepted a message while the worker has not yet recorded it — the window in which a
killed worker causes a resend.
"""

from __future__ import annotations

import os
import time

from aduan.notifications.senders import RenderedMessage


class SlowDrillSender:
    def send(self, message: RenderedMessage) -> str:
        path = os.environ["ADUAN_DRILL_SEND_LOG"]
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, f"{message.idempotency_key}\n".encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        time.sleep(float(os.environ.get("ADUAN_DRILL_SEND_SECONDS", "0.2")))
        return f"drill-{message.outbox_id}"
