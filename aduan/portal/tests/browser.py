"""Helpers for the browser tests: accessibility (axe-core, WCAG 2.1 AA), layout at phone size."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_axe = Axe()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations of the WCAG 2.1 A/AA rules on the current page."""
    result = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
    return list(result.response["violations"])


def assert_accessible(page: Any) -> None:
    violations = axe_violations(page)
    assert not violations, "\n".join(
        f"{v['id']}: {v['help']} — {[n['target'] for n in v['nodes']][:5]}" for v in violations
    )


def assert_no_horizontal_scroll(page: Any) -> None:
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
