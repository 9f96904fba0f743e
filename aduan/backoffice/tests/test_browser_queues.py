"""The admin home and the complaint list in a real browser, on a desk (1280x800) and a phone
(360x640): axe-core finds no WCAG 2.1 AA violation, and the phone does not scroll sideways."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from aduan.accounts.roles import Role
from aduan.backoffice.tests.support import signed_in
from aduan.complaints.tests import factories as f
from aduan.portal.tests.browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIZES = [(1280, 800), (360, 640)]


@pytest.fixture
def staff_page(chromium, live_server, buton, request):  # type: ignore[no-untyped-def]
    width, height = request.param
    f.received(title="Jalan rusak di Pasarwajo")
    f.returned(title="Lampu jalan mati")
    f.pending(title="Sampah menumpuk")
    f.dispatched("dpupr", title="Jembatan retak")
    client = signed_in(Client(), f.staff(Role.ADMIN))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context = chromium.new_context(
        viewport={"width": width, "height": height},
        locale="id-ID",
        base_url=live_server.url,
        service_workers="block",
    )
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page, width
    context.close()


@pytest.mark.parametrize("staff_page", SIZES, indirect=True, ids=["desk", "phone"])
def test_admin_home_is_accessible(staff_page):  # type: ignore[no-untyped-def]
    page, width = staff_page
    page.goto("/kantor/")
    assert page.locator("h1").count() == 1
    assert page.locator("table.queue caption").count() == 2
    assert page.locator(".deadline").count() >= 2
    assert_accessible(page)
    if width < 600:
        assert_no_horizontal_scroll(page)


@pytest.mark.parametrize("staff_page", SIZES, indirect=True, ids=["desk", "phone"])
def test_complaint_list_is_accessible_and_filters_in_place(staff_page):  # type: ignore[no-untyped-def]
    page, width = staff_page
    page.goto("/kantor/aduan/")
    assert page.locator("table.queue tbody tr").count() == 4
    assert_accessible(page)
    if width < 600:
        assert_no_horizontal_scroll(page)
    page.fill("#id_q", "jembatan")
    page.click("form[role=search] button[type=submit]")
    expect(page.locator("table.queue tbody tr")).to_have_count(1)  # htmx swapped the results
    assert "q=jembatan" in page.url  # and pushed the filter into the address (hx-push-url)
    assert_accessible(page)
