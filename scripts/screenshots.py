"""Phone-sized screenshots of the citizen portal for the README (docs/screenshots/).

    .venv/bin/python scripts/screenshots.py [SERVER_URL] [--full-page]

Against a running Aduan (default http://127.0.0.1:8000, e.g. `make run`), with Playwright and
Debian's chromium (/usr/bin/chromium, never a downloaded browser) at 360x640, in Bahasa
Indonesia. It sends one demo report (to get a receipt and a tracking page), so run it against
the demo, never against a production server.

Saves home.png, report-form.png, receipt.png and tracking.png; then, signed in as the demo
accounts `admin` and `penghubung.dpupr` (demo mode lets them skip two-factor) at 1280x800:
admin-inbox.png, liaison-queue.png and complaint-page.png.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
VIEWPORT = {"width": 360, "height": 640}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", nargs="?", default="http://127.0.0.1:8000")
    parser.add_argument("--full-page", action="store_true", help="the whole page, not one screen")
    args = parser.parse_args()
    base = args.url.rstrip("/")
    OUT.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        context = browser.new_context(
            viewport=VIEWPORT,
            device_scale_factor=2,
            locale="id-ID",
            base_url=base,
            service_workers="block",  # no app status messages in the pictures
        )
        page = context.new_page()
        page.set_default_timeout(20_000)

        def shot(name: str) -> None:
            path = OUT / name
            page.screenshot(path=str(path), full_page=args.full_page)
            print(f"{path.relative_to(OUT.parent.parent)}  ({page.url})")

        page.goto("/")
        shot("home.png")

        page.goto("/lapor/")
        shot("report-form.png")

        page.fill("#id_title", "Lampu jalan mati di depan pasar")
        page.fill(
            "#id_body",
            "Sudah seminggu lampu jalan di depan pasar mati, malam hari sangat gelap "
            "dan rawan kecelakaan.",
        )
        page.fill("#id_location_text", "Depan pasar, Jalan Poros")
        page.fill("#id_email", "warga.demo@contoh.id")
        page.check("#id_consent")
        time.sleep(3.5)  # the form refuses what comes back faster than a person can type
        page.click("#report-submit")
        try:
            page.wait_for_url(re.compile(r"/lapor/tanda-terima/"))
        except Exception:
            print(f"the report was not accepted; the page is {page.url}", file=sys.stderr)
            page.screenshot(path=str(OUT / "report-error.png"), full_page=True)
            return 1
        shot("receipt.png")

        code = page.locator("[data-tracking-code], .tracking-code, .code").first.inner_text()
        match = re.search(r"[A-Z]{2,5}-[0-9A-Z]{4}-[0-9A-Z]{3}", code) or re.search(
            r"[A-Z]{2,5}-[0-9A-Z]{4}-[0-9A-Z]{3}", page.content()
        )
        if not match:
            print("no tracking code found on the receipt", file=sys.stderr)
            return 1
        page.goto(f"/lacak/{match.group(0)}/")
        shot("tracking.png")
        context.close()
        backoffice_shots(browser, base, args.full_page)
        browser.close()
    return 0


def backoffice_shots(browser: object, base: str, full_page: bool) -> None:
    """The back-office at desk size: the admin's inbox, a liaison's queue, a complaint page."""
    for username, pictures in (
        ("admin", ["admin-inbox.png"]),
        ("penghubung.dpupr", ["liaison-queue.png", "complaint-page.png"]),
    ):
        context = browser.new_context(  # type: ignore[attr-defined]
            viewport={"width": 1280, "height": 800}, locale="id-ID", base_url=base
        )
        page = context.new_page()
        page.goto("/kantor/masuk/")
        page.fill("#id_identifier", username)
        page.fill("#id_password", "demo")
        page.locator("main form button.primary").first.click()
        page.wait_for_url(re.compile(r"/kantor/$"))
        path = OUT / pictures[0]
        page.screenshot(path=str(path), full_page=full_page)
        print(f"{path.relative_to(OUT.parent.parent)}  ({page.url})")
        if len(pictures) > 1:
            page.locator("main table a[href*='/kantor/aduan/']").first.click()
            page.wait_for_url(re.compile(r"/kantor/aduan/\d+/"))
            path = OUT / pictures[1]
            page.screenshot(path=str(path), full_page=full_page)
            print(f"{path.relative_to(OUT.parent.parent)}  ({page.url})")
        context.close()


if __name__ == "__main__":
    sys.exit(main())
