"""/api/v1 — the staff endpoints (issue 6)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["staff"])
