"""The complaint page in a real browser, on a desk (1280x800) and a phone (360x640): axe-core
finds no WCAG 2.1 AA violation for an admin (received complaint, every action open) and a liaison
(dispatched complaint), and the phone does not scroll sideways."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from aduan.accounts.roles import Role
from aduan.backoffice.tests.support import signed_in
from aduan.complaints.tests import factories as f
from aduan.portal.tests.browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIZES = [(1280, 800), (360, 640)]


def _page(chromium, live_server, user, size):  # type: ignore[no-untyped-def]
    client = signed_in(Client(), user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context = chromium.new_context(
        viewport={"width": size[0], "height": size[1]},
        locale="id-ID",
        base_url=live_server.url,
        service_workers="block",
    )
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def _check(page, width):  # type: ignore[no-untyped-def]
    assert page.locator("h1").count() == 1
    assert_accessible(page)
    for summary in page.locator("details.action > summary").all():
        summary.click()
    assert_accessible(page)
    if width < 600:
        assert_no_horizontal_scroll(page)


@pytest.mark.parametrize("size", SIZES, ids=["desk", "phone"])
def test_admin_received_complaint_is_accessible(chromium, live_server, buton, size):  # type: ignore[no-untyped-def]
    f.received(title="Jembatan kayu roboh", body="Jembatan kayu roboh di desa, anak sekolah.")
    complaint = f.received(
        title="Jembatan kayu roboh lagi",
        body="Jembatan kayu roboh di desa, anak sekolah menyeberang sungai.",
        anonymous=True,
    )
    context, page = _page(chromium, live_server, f.staff(Role.ADMIN), size)
    try:
        page.goto(f"/kantor/aduan/{complaint.pk}/")
        assert page.locator("#action-dispatch").count() == 1
        _check(page, size[0])
        # A form error: re-rendered in place, open, the error beside the field, accessible.
        page.locator("#action-request_info button[type=submit]").click()
        page.locator("#request_info-question[aria-invalid=true]").wait_for()
        assert_accessible(page)
    finally:
        context.close()


@pytest.mark.parametrize("size", SIZES, ids=["desk", "phone"])
def test_liaison_dispatched_complaint_is_accessible(chromium, live_server, buton, size):  # type: ignore[no-untyped-def]
    complaint = f.dispatched("dpupr", title="Jalan berlubang")
    officer = f.staff(Role.LIAISON, f.agency("dpupr"))
    context, page = _page(chromium, live_server, officer, size)
    try:
        page.goto(f"/kantor/aduan/{complaint.pk}/")
        assert page.locator("#action-acknowledge").count() == 1
        _check(page, size[0])
        page.locator("#action-acknowledge button[type=submit]").click()
        page.locator("#complaint-live .flash").wait_for()  # done in place (htmx)
        assert page.url.endswith(f"/kantor/aduan/{complaint.pk}/")
        assert page.locator(".flash").count() == 1
        assert page.locator("#action-respond").count() == 1
        assert_accessible(page)
    finally:
        context.close()
