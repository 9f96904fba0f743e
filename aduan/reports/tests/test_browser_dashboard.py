"""The dashboard in a real browser (issue 7's accessibility bar): axe-core finds no WCAG 2.1 AA
violation for the regent (every agency, the ranking first) and for an agency head (S3: one
agency), on a desk and on a 360x640 phone without sideways scrolling; the charts are SVG images
with a text alternative, and the filter form works without JavaScript."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client

from aduan.accounts.roles import Role
from aduan.backoffice.tests.support import signed_in
from aduan.complaints.tests import factories as f
from aduan.portal.tests.browser import assert_accessible, assert_no_horizontal_scroll

from . import k2_support as k2

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_dashboard_is_accessible_for_the_regent_and_a_head(  # type: ignore[no-untyped-def]
    chromium, live_server, buton, time_machine
):
    today = dt.datetime.now(tz=k2.WITA).replace(hour=10, minute=0, second=0, microsecond=0)
    for i, (state, to) in enumerate(
        [("closed", "dpupr"), ("dispatched", "dinkes"), ("received", "dpupr"), ("closed", "dinkes")]
    ):
        time_machine.move_to(today - dt.timedelta(days=12 - i), tick=False)
        k2.make(state, to, satisfaction=4, comment="Terima kasih, sudah baik.")
    time_machine.move_to(today, tick=True)
    users = {
        "regent": f.staff(Role.REGENT),
        "head": f.staff(Role.AGENCY_HEAD, f.agency("dinkes")),
    }
    for who, user in users.items():
        client = signed_in(Client(), user)
        for width, height in ((1280, 800), (360, 640)):
            context = chromium.new_context(
                viewport={"width": width, "height": height},
                locale="id-ID",
                base_url=live_server.url,
                service_workers="block",
                # The regent's phone without JavaScript: the page and its filters still work.
                java_script_enabled=not (who == "regent" and width == 360),
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
            page.goto("/kantor/laporan/")
            assert page.locator("h1").count() == 1
            svgs = page.locator("svg[role=img]")
            assert svgs.count() >= 8, who
            for i in range(svgs.count()):
                assert (svgs.nth(i).locator("title").text_content() or "").strip(), who
            assert (page.locator("#t-ranking").count() == 1) == (who == "regent")
            if (who, width) in (("regent", 1280), ("head", 360)):
                assert_accessible(page)
            if width == 360:
                assert_no_horizontal_scroll(page)
            if who == "regent" and width == 360:
                # The filter form is a plain GET form: it works without JavaScript.
                page.locator("summary").click()
                page.select_option("#id_period", "year")
                page.locator(".dashboard-filters button[type=submit]").click()
                page.wait_for_url("**period=year**")
                assert page.locator("#t-funnel").count() == 1
                assert_no_horizontal_scroll(page)
            context.close()
