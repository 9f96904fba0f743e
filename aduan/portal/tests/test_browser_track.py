"""The tracking pages in a real browser at phone size (issue 3's quality bars)."""

from __future__ import annotations

import pytest

from aduan.complaints.models import Complaint
from aduan.complaints.tests import factories as f

from .browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_lookup_public_and_private_pages_are_accessible_at_phone_size(phone, buton):
    """WCAG 2.1 AA (axe-core: zero violations) and no sideways scroll at 360x640: the look-up
    form (also with an error), the public timeline, and the private page with its forms."""
    complaint = f.responded(name="Zulkarnaen Wibisono Tamalate")
    code = complaint.tracking_code

    phone.goto("/lacak/")
    phone.fill("input[name=code]", code.lower().replace("-", " "))
    phone.keyboard.press("Enter")
    phone.wait_for_url(f"**/lacak/{code}/")
    assert phone.locator("ol.timeline li").count() == 4
    assert "Zulkarnaen" not in phone.content()
    assert_accessible(phone)
    assert_no_horizontal_scroll(phone)

    phone.goto("/lacak/?kode=BTN-0000-000")
    assert phone.locator("[aria-invalid=true]").count() == 1
    assert_accessible(phone)

    token = Complaint.objects.get(pk=complaint.pk).access_token
    phone.goto(f"/lacak/{code}/?t={token}")
    assert phone.url.endswith(f"/lacak/{code}/")  # the token left the address bar (S5)
    assert phone.locator("#my-data").is_visible()
    for summary in phone.locator("details summary").all():
        summary.click()  # open the folded forms so that axe checks them too
    assert_accessible(phone)
    assert_no_horizontal_scroll(phone)

    # keyboard and no JavaScript needed: confirm with a rating
    phone.locator("input[name=confirm-satisfaction][value='4']").check()
    phone.locator("form[action$='/selesai/'] button[type=submit]").click()
    phone.wait_for_url(f"**/lacak/{code}/**")
    assert phone.locator("#rating").is_visible()
    assert_accessible(phone)
    assert_no_horizontal_scroll(phone)


def test_lost_link_page_is_accessible_at_phone_size(phone, buton):
    phone.goto("/lacak/kirim-ulang/")
    assert_accessible(phone)
    phone.fill("input[name=contact]", "bukan nomor")
    phone.locator("form.track-form button[type=submit]").click()
    assert phone.locator("#id_contact_error").is_visible()
    assert_accessible(phone)
    assert_no_horizontal_scroll(phone)
