"""Intake, moderation and settings in a real browser at desktop size (1280x800): zero axe-core
violations of WCAG 2.1 A/AA (issue 4's accessibility bar), also with errors shown."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest
from django.conf import settings as django_settings
from django.test import Client

from aduan.accounts.roles import Role
from aduan.complaints.tests import factories as f
from aduan.complaints.tests.factories import ref  # noqa: F401  (fixture)
from aduan.portal.tests.browser import assert_accessible, assert_no_horizontal_scroll

from .support import signed_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def admin_page(chromium: Any, live_server: Any, ref: Any, settings: Any):  # noqa: F811
    """A 1280x800 page signed in as an admin (the session of a TOTP-verified test client)."""
    settings.ADUAN_SITE_URL = live_server.url
    client = signed_in(Client(), f.staff(Role.ADMIN, username="admin.browser"))
    context = chromium.new_context(
        viewport={"width": 1280, "height": 800},
        locale="en-US",
        base_url=live_server.url,
        service_workers="block",
    )
    context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "domain": urlparse(live_server.url).hostname,
                "path": "/",
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_intake_moderation_and_settings_pages_are_accessible(admin_page: Any) -> None:
    page = admin_page
    f.dispatched(body="Hubungi 0812 3456 7890 soal jalan rusak di depan SD.")

    # The intake form, then with errors (summary + errors next to fields), then a receipt.
    page.goto("/kantor/aduan/baru/")
    assert page.locator("h1").count() == 1
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.locator("#intake-submit").click()
    page.wait_for_selector(".error-summary")
    assert page.locator("#id_body[aria-invalid=true]").count() == 1
    assert_accessible(page)
    page.select_option("#id_channel", "walk_in")
    page.fill("#id_body", "Lampu jalan mati di depan pasar.")
    page.check("#id_anonymous")
    page.check("#id_consent")
    page.locator("#intake-submit").click()
    page.wait_for_url("**/tanda-terima/")
    assert page.locator(".receipt-code").inner_text().strip()
    assert page.locator("#print-receipt").is_visible()  # the script enabled the button
    assert_accessible(page)

    # The moderation queue and a review with the masked number highlighted.
    page.goto("/kantor/moderasi/")
    assert page.locator("table caption").count() == 1
    assert_accessible(page)
    page.locator("td.actions a").first.click()
    page.wait_for_selector("mark")
    assert_accessible(page)

    # The settings landing page and two of its forms.
    for path in (
        "/kantor/pengaturan/",
        "/kantor/pengaturan/pengguna/baru/",
        "/kantor/pengaturan/libur/?tahun=2026",
    ):
        page.goto(path)
        assert page.locator("h1").count() == 1
        assert_accessible(page)
        assert_no_horizontal_scroll(page)
    page.goto("/kantor/pengaturan/kategori/baru/")
    page.locator("form.manage-form button[type=submit]").click()
    page.wait_for_selector(".error-summary")
    assert_accessible(page)
