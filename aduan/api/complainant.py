"""/api/v1 — the complainant endpoints (issue 6)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["complainant"])
