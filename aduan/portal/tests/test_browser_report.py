"""The report form in a real browser at phone size: accessibility, layout, keyboard only."""

from __future__ import annotations

from typing import Any

import pytest

from aduan.complaints.models import Complaint

from .browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def tab_to(page: Any, element_id: str, limit: int = 120) -> None:
    """Press Tab until the element with `element_id` has the focus (keyboard only)."""
    for _ in range(limit):
        if page.evaluate("() => document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id}")


def test_report_form_is_accessible_at_phone_size_empty_and_with_errors(phone, buton):
    """WCAG 2.1 AA (axe-core: zero violations) and no sideways scroll at 360x640, both for the
    empty form and for the form shown again with errors and the error summary."""
    phone.goto("/lapor/")
    assert phone.locator("h1").is_visible()
    assert phone.locator("#kecamatan-filter").count() == 1  # the JS filter is there
    assert_accessible(phone)
    assert_no_horizontal_scroll(phone)

    phone.locator("#report-submit").click()
    phone.wait_for_selector("#error-summary")
    assert phone.locator("#id_body_error").is_visible()
    assert phone.evaluate("() => document.activeElement.id") == "error-summary"
    assert_accessible(phone)
    assert_no_horizontal_scroll(phone)
    assert Complaint.objects.count() == 0


def test_keyboard_only_submission_reaches_the_receipt(phone, buton, settings):
    """Issue 3: with the keyboard alone (Tab, typing, Space, Enter) a citizen sends a report
    and reaches the receipt with the tracking code."""
    settings.ADUAN_REPORT_MIN_FILL_SECONDS = 0
    phone.goto("/lapor/")
    phone.locator("body").focus()
    tab_to(phone, "id_body")
    phone.keyboard.type("Jembatan kayu di dusun kami patah, anak sekolah tidak bisa lewat.")
    tab_to(phone, "id_phone")
    phone.keyboard.type("081234567890")
    tab_to(phone, "id_consent")
    phone.keyboard.press("Space")
    tab_to(phone, "report-submit")
    phone.keyboard.press("Enter")
    phone.wait_for_url("**/lapor/tanda-terima/**")
    complaint = Complaint.objects.get()
    assert phone.locator(".tracking-code").inner_text() == complaint.tracking_code
    assert complaint.body.startswith("Jembatan kayu")
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone)
