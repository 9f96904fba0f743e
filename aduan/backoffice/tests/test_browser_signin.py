"""The sign-in pages in a real browser: accessible at desktop and phone size, and a real
sign-in with a TOTP code through the forms (S6, WCAG 2.1 AA)."""

from __future__ import annotations

from typing import Any

import pytest

from aduan.portal.tests.browser import assert_accessible, assert_no_horizontal_scroll

from .accounts_support import PASSWORD, code_for, enrol, make_staff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def desktop(chromium: Any, live_server: Any):
    context = chromium.new_context(
        viewport={"width": 1280, "height": 800},
        locale="id-ID",
        base_url=live_server.url,
        service_workers="block",
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _submit_password(page: Any, username: str, password: str) -> None:
    page.fill("#id_identifier", username)
    page.fill("#id_password", password)
    page.locator("form.account-form button[type=submit]").click()


def test_sign_in_page_is_accessible_at_desktop_and_phone_size(desktop: Any, phone: Any):
    for page in (desktop, phone):
        page.goto("/kantor/masuk/")
        assert page.locator("h1").count() == 1
        assert_accessible(page)
        assert_no_horizontal_scroll(page)
    # With an error shown next to nothing but the form (the summary is announced).
    _submit_password(phone, "nobody", "salah-sekali-123")
    phone.wait_for_selector(".error-summary")
    assert_accessible(phone)
    assert_no_horizontal_scroll(phone)


def test_s6_a_real_sign_in_with_a_totp_code(desktop: Any):
    """S6: password, then the code from the authenticator app, through the real forms."""
    user = make_staff()
    device = enrol(user)
    desktop.goto("/kantor/masuk/?next=/kantor/akun/2fa/")
    _submit_password(desktop, "admin1", PASSWORD)
    desktop.wait_for_url("**/kantor/masuk/verifikasi/**")
    assert_accessible(desktop)
    desktop.fill("#id_code", code_for(device))
    desktop.locator("form.account-form button[type=submit]").click()
    desktop.wait_for_url("**/kantor/akun/2fa/")
    assert desktop.locator("h1").count() == 1
    assert desktop.locator("input[name=regenerate-code]").count() == 1
    assert_accessible(desktop)


def test_s6_enrolment_page_with_its_qr_code_is_accessible_on_a_phone(phone: Any):
    make_staff()
    phone.goto("/kantor/masuk/")
    _submit_password(phone, "admin1", PASSWORD)
    phone.wait_for_url("**/kantor/akun/2fa/")
    assert phone.locator("svg.qr path").count() >= 1
    assert_accessible(phone)
    assert_no_horizontal_scroll(phone)
