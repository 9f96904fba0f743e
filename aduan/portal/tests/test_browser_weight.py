"""Page weight on a slow mobile link: the home page and the report form each transfer under
150 KB on a first visit (empty cache), and nothing is fetched from another origin (no CDN, no
web fonts). Measured from the browser's own network log."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BUDGET = 150 * 1024
PAGES = {"home": "/", "report form": "/lapor/"}


class Load:
    """One first visit: the page's own traffic, and what the service worker fetches to install
    the app shell in the background (counted apart, and also held to the budget)."""

    def __init__(self) -> None:
        self.wire: dict[str, int] = {}  # CDP: bytes on the wire per page request
        self.responses: list[Any] = []
        self.page_bodies = 0
        self.worker_bytes = 0
        self.urls: list[str] = []

    def measure(self) -> None:
        """Sizes as the browser recorded them (Playwright gives no body for a worker's fetch)."""
        for response in self.responses:
            sizes = response.request.sizes()
            if response.request.service_worker is not None:
                self.worker_bytes += sizes["responseBodySize"] + sizes["responseHeadersSize"]
            else:
                self.page_bodies += sizes["responseBodySize"]


def _first_load(chromium: Any, base_url: str, path: str) -> Load:
    context = chromium.new_context(
        viewport={"width": 360, "height": 640}, locale="id-ID", base_url=base_url
    )
    load = Load()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.on(
        "Network.loadingFinished",
        lambda e: load.wire.__setitem__(e["requestId"], int(e["encodedDataLength"])),
    )
    context.on("request", lambda request: load.urls.append(request.url))
    context.on("response", lambda response: load.responses.append(response))
    page.goto(path, wait_until="networkidle")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_load_state("networkidle")
    load.measure()
    context.close()
    return load


def test_home_and_form_are_light_and_self_hosted(
    chromium: Any, live_server: Any, buton: Any
) -> None:
    """Home and form each < 150 KB on first load (also with the app's install); every request
    goes to the site itself (no CDN, no web fonts)."""
    origin = urlsplit(live_server.url).netloc
    figures = []
    for name, path in PAGES.items():
        load = _first_load(chromium, live_server.url, path)
        foreign = [
            u
            for u in load.urls
            if urlsplit(u).scheme in ("http", "https") and urlsplit(u).netloc != origin
        ]
        transferred = sum(load.wire.values())
        figures.append(
            f"{name} ({path}): {transferred / 1024:.1f} KB transferred by the page "
            f"({load.page_bodies / 1024:.1f} KB of bodies), "
            f"+{load.worker_bytes / 1024:.1f} KB installing the app shell in the background, "
            f"{len(load.urls)} requests"
        )
        assert not foreign, f"{name} fetches from another origin: {foreign}"
        assert len(load.wire) >= 3, f"{name}: the network log looks empty ({load.urls})"
        assert transferred < BUDGET, figures[-1]
        assert load.page_bodies < BUDGET, figures[-1]
        assert transferred + load.worker_bytes < BUDGET, figures[-1]
    print("\npage weight (first load, empty cache):\n  " + "\n  ".join(figures))
