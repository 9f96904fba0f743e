"""/api/v1 — the public endpoints (issue 6)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["public"])
