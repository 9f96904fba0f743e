"""Per-request values that logging and the audit log need, without thread-locals in the domain."""

from __future__ import annotations

import contextvars

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("aduan_request_id", default="-")
