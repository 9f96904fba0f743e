"""The installable app in a real browser (Pasal 6(2)c): manifest, icons, service worker, offline
pages, and a report written offline that is kept on the phone and sent when the connection
returns (issue 3's "offline submission with the PWA")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from aduan.complaints.models import Complaint

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WAIT_CONTROLLED = """async () => {
  await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller) {
    await new Promise((resolve) =>
      navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }));
  }
  return navigator.serviceWorker.controller.scriptURL;
}"""


@pytest.fixture
def app_page(chromium: Any, live_server: Any) -> Iterator[Any]:
    """A phone-sized page that allows service workers (the `phone` fixture blocks them)."""
    context = chromium.new_context(
        viewport={"width": 360, "height": 640},
        locale="en-US",
        base_url=live_server.url,
        service_workers="allow",
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_manifest_icons_and_service_worker(app_page: Any, buton: Any) -> None:
    """The site is installable: a linked, valid manifest whose icons load, and a service worker
    that controls the page and serves the offline page (and the cached form) without a
    connection."""
    page = app_page
    page.goto("/")
    href = page.get_attribute('link[rel="manifest"]', "href")
    assert href == "/manifest.webmanifest"
    manifest = page.evaluate("async (u) => (await fetch(u)).json()", href)
    assert manifest["name"] == "Aduan Kabupaten Buton"
    assert manifest["short_name"] == "Aduan"
    assert manifest["start_url"] == "/?source=pwa"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#0b5394"
    purposes = {(i["sizes"], i["purpose"]) for i in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= purposes
    for icon in manifest["icons"]:
        size = page.evaluate(
            """(src) => new Promise((resolve) => { const img = new Image();
                 img.onload = () => resolve([img.naturalWidth, img.naturalHeight]);
                 img.onerror = () => resolve(null); img.src = src; })""",
            icon["src"],
        )
        assert size, f"{icon['src']} does not load"
        if icon["sizes"] != "any":
            assert f"{size[0]}x{size[1]}" == icon["sizes"], icon["src"]

    script_url = page.evaluate(WAIT_CONTROLLED)
    assert script_url.endswith("/sw.js")
    cached = page.evaluate(
        "async () => { const keys = []; for (const name of await caches.keys()) {"
        " for (const r of await (await caches.open(name)).keys()) keys.push(new URL(r.url).pathname); }"
        " return keys; }"
    )
    assert {"/luring/", "/lapor/", "/static/js/app.js", "/static/css/aduan.css"} <= set(cached)

    page.context.set_offline(True)
    page.goto("/statistik/")  # never visited: the offline page stands in
    assert page.locator("h1").inner_text() == "No internet connection"
    page.goto("/lapor/")  # the app shell: the form opens offline
    assert page.locator("form#report-form").is_visible()
    page.context.set_offline(False)


def _fill_report(page: Any, title: str, body: str) -> None:
    page.fill("#id_title", title)
    page.fill("#id_body", body)
    page.fill("#id_phone", "081234567890")
    page.check("#id_consent")


def test_offline_report_is_kept_then_sent_and_listed(
    app_page: Any, buton: Any, settings: Any
) -> None:
    """Offline, the report is kept on the phone (nothing reaches the server); back online it is
    sent once (S16: its submission id makes the retry idempotent), the tracking code is shown
    and listed under "my reports on this device". Online, the app sends the form itself and
    also remembers the code."""
    settings.ADUAN_REPORT_MIN_FILL_SECONDS = 0
    page = app_page
    page.goto("/lapor/")
    page.evaluate(WAIT_CONTROLLED)
    _fill_report(page, "Lampu jalan mati", "Lampu jalan di depan pasar mati sejak seminggu.")

    page.context.set_offline(True)
    page.click("#report-submit")
    status = page.locator("#app-status")
    status.get_by_text("saved on this phone").wait_for()
    assert Complaint.objects.count() == 0
    assert page.evaluate("navigator.onLine") is False

    page.context.set_offline(False)
    code_box = page.locator("#app-status [data-tracking-code]")
    code_box.wait_for()
    code = code_box.inner_text().strip()
    assert re.fullmatch(r"BTN-[0-9A-Z]{4}-[0-9A-Z]{3}", code)
    assert Complaint.objects.count() == 1
    complaint = Complaint.objects.get()
    assert complaint.tracking_code == code
    assert complaint.title == "Lampu jalan mati"
    assert status.get_by_role("link", name="Open your private page").is_visible()
    # The queue is empty again: reloading sends nothing twice.
    page.reload()
    page.wait_for_function(
        "async () => (await new Promise((ok) => { const r = indexedDB.open('aduan');"
        " r.onsuccess = () => { const db = r.result; const q = db.transaction('queue')"
        ".objectStore('queue').count(); q.onsuccess = () => { db.close(); ok(q.result); }; };"
        " })) === 0"
    )
    assert Complaint.objects.count() == 1

    # Online: the app posts the form (JSON), remembers the code and opens the receipt.
    _fill_report(page, "Sampah menumpuk", "Sampah di pinggir jalan belum diangkut dua minggu.")
    page.click("#report-submit")
    page.wait_for_url(re.compile(r"/lapor/tanda-terima/"))
    assert Complaint.objects.count() == 2
    second = Complaint.objects.exclude(tracking_code=code).get()
    assert second.title == "Sampah menumpuk"

    page.goto("/laporan-saya/")
    listing = page.locator(".report-list")
    listing.get_by_role("link", name=code).wait_for()
    assert listing.get_by_role("link", name=code).get_attribute("href") == f"/lacak/{code}/"
    assert listing.get_by_role("link", name=second.tracking_code).is_visible()
    assert listing.get_by_text("Lampu jalan mati").is_visible()
    stored = page.evaluate("localStorage.getItem('aduan.myReports')")
    assert "?t=" not in stored and "081234567890" not in stored  # no private link, no identity


def test_refused_offline_report_goes_back_into_the_form(
    app_page: Any, buton: Any, settings: Any
) -> None:
    """A kept report the server refuses (here: a phone number that is no number) is not lost:
    the app shows the server's reasons and puts every field back in the form."""
    settings.ADUAN_REPORT_MIN_FILL_SECONDS = 0
    page = app_page
    page.goto("/lapor/")
    body = "Air PDAM tidak mengalir sejak tiga hari di kampung kami."
    page.fill("#id_body", body)
    page.fill("#id_phone", "12")
    page.check("#id_consent")
    page.context.set_offline(True)
    page.click("#report-submit")
    page.locator("#app-status").get_by_text("saved on this phone").wait_for()
    assert page.input_value("#id_body") == ""  # kept on the phone, the form is free again

    page.context.set_offline(False)
    status = page.locator("#app-status")
    status.get_by_text("could not be sent").wait_for()
    assert Complaint.objects.count() == 0
    status.get_by_role("link", name="Put it back in the form").click()
    status.get_by_text("back in the form").wait_for()
    assert page.input_value("#id_body") == body
    assert page.input_value("#id_phone") == "12"
    assert page.is_checked("#id_consent")
