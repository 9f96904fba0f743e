"""The chair's scorecard page in a real browser: axe-core finds no WCAG 2.1 AA violation
(issue 7's accessibility bar), on a desk and a phone."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from aduan.accounts.roles import Role
from aduan.backoffice.tests.support import signed_in
from aduan.complaints.tests import factories as f
from aduan.portal.tests.browser import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("size", [(1280, 800), (360, 640)], ids=["desk", "phone"])
def test_scorecard_page_is_accessible(chromium, live_server, buton, size):  # type: ignore[no-untyped-def]
    f.dispatched("dpupr", title="Jembatan retak")
    client = signed_in(Client(), f.staff(Role.CHAIR))
    context = chromium.new_context(
        viewport={"width": size[0], "height": size[1]},
        locale="id-ID",
        base_url=live_server.url,
        service_workers="block",
    )
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.goto("/kantor/laporan/target/")
    assert page.locator("h1").count() == 1
    assert page.locator("table caption").count() >= 1
    assert_accessible(page)
    context.close()
