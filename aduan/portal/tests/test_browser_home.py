"""The home page in a real browser at phone size (issue 3's quality bars)."""

import pytest

from .browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_home_is_accessible_at_phone_size(phone, buton):
    """WCAG 2.1 AA (axe-core: zero violations) and no sideways scroll at 360x640."""
    phone.goto("/")
    assert phone.locator("h1").is_visible()
    assert_accessible(phone)
    assert_no_horizontal_scroll(phone)
