"""The public pages in a real browser at phone size: home, reports, statistics, directory,
privacy notice (R22, Pasal 9(1)f: accessibility; R4: the procedure readable on a phone)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from aduan.agencies.models import Agency, Category, Region
from aduan.complaints.models import Complaint
from aduan.complaints.tests import factories as f

from .browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def content(buton: Agency) -> None:
    """Enough data that every table, chart and list on the pages has rows."""
    cache.clear()
    Agency.objects.filter(code="diskominfo").update(
        handler_name="Admin SP4N-LAPOR!",
        office_address="Jl. Protokol No. 1, Pasarwajo",
        phone="0402 123 456",
        email="aduan@butonkab.go.id",
    )
    road = Category.objects.get(code="K01.01")
    wakoko = Region.objects.get(code="74.04.11.1005")
    for i in range(3):
        c = f.closed(category=road, region=wakoko, satisfaction=4)
        Complaint.objects.filter(pk=c.pk).update(
            published=True,
            published_at=timezone.now(),
            public_title=f"Jalan berlubang di depan sekolah nomor {i}",
            public_body="Lubang besar di jalan poros membahayakan anak-anak sekolah.",
        )
    f.dispatched("dinkes", category=Category.objects.get(code="K03"))
    yield
    cache.clear()


PAGES = [
    "/",
    "/laporan/",
    "/laporan/?category=K01&q=jalan",
    "/statistik/",
    "/direktori/",
    "/privasi/",
]


@pytest.mark.parametrize("path", PAGES)
def test_public_page_is_accessible_at_phone_size(phone: Any, content: None, path: str):
    """WCAG 2.1 AA (axe-core: zero violations) and no sideways scroll at 360x640."""
    phone.goto(path)
    assert phone.locator("h1").is_visible()
    assert_accessible(phone)
    assert_no_horizontal_scroll(phone)


def test_home_works_without_javascript(chromium: Any, live_server: Any, content: None):
    """Everything works without JavaScript: the flowchart is text, the tracking box is a plain
    GET form to the tracking page, the filters of the public list submit without scripts."""
    context = chromium.new_context(
        viewport={"width": 360, "height": 640},
        locale="id-ID",
        base_url=live_server.url,
        java_script_enabled=False,
        service_workers="block",
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto("/")
        assert page.locator("ol.flow > li").count() == 5
        assert page.locator("ul.channels > li").count() >= 4
        assert page.locator("li.report-item").count() == 3
        assert_no_horizontal_scroll(page)
        page.fill("#track-code", "BTN-XXXX-XXX")
        page.locator(".track-box button[type=submit]").click()
        page.wait_for_load_state()
        assert "/lacak/" in page.url and "code=BTN-XXXX-XXX" in page.url

        page.goto("/laporan/")
        page.select_option("#id_category", "K01")
        page.fill("#id_q", "berlubang")
        page.locator(".filters button[type=submit]").click()
        page.wait_for_load_state()
        assert "category=K01" in page.url
        assert page.locator("li.report-item").count() == 3
    finally:
        context.close()
