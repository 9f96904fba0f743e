"""Actions in place in a real browser (chromium): a liaison takes a complaint up and adds a note
without leaving the page — no navigation, the same URL, the timeline and state updated, the
message in the aria-live region, the focus on the heading — and a form error stays in place;
axe-core finds no WCAG 2.1 AA violation on the result; the CSP reports nothing."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from aduan.accounts.roles import Role
from aduan.backoffice.tests.support import signed_in
from aduan.complaints.tests import factories as f
from aduan.portal.tests.browser import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_acknowledge_and_note_in_place(chromium, live_server, buton):  # type: ignore[no-untyped-def]
    complaint = f.dispatched("dpupr", title="Jalan berlubang di Pasarwajo")
    officer = f.staff(Role.LIAISON, f.agency("dpupr"))
    client = signed_in(Client(), officer)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context = chromium.new_context(
        viewport={"width": 1280, "height": 800},
        locale="id-ID",
        base_url=live_server.url,
        service_workers="block",
    )
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    navigations: list[str] = []
    try:
        url = f"{live_server.url}/kantor/aduan/{complaint.pk}/"
        page.goto(url)
        page.on("framenavigated", lambda frame: navigations.append(frame.url))
        page.wait_for_function("() => window.htmx !== undefined")
        page.evaluate("() => { window.__stayed = true; }")
        events = page.locator("ol.timeline > li").count()

        page.locator("#action-acknowledge > summary").click()
        page.locator("#action-acknowledge button[type=submit]").click()
        page.locator(".complaint-code .state-in_progress").wait_for()

        assert page.url == url and navigations == []
        assert page.evaluate("() => window.__stayed === true")  # the same document
        assert page.locator("ol.timeline > li").count() == events + 1
        assert page.locator("#complaint-live .flash p").count() == 1
        assert page.locator("#complaint-live[role=status][aria-live=polite]").count() == 1
        # Focus moves after htmx settles the swap: wait for it rather than race it.
        page.wait_for_function("() => document.activeElement.tagName === 'H1'")
        assert page.locator("#action-respond").count() == 1
        assert_accessible(page)

        # A form error stays in place (400 swapped), the field marked and focused.
        page.locator("#action-note > summary").click()
        page.locator("#action-note button[type=submit]").click()
        page.locator("#action-note[open] [aria-invalid=true]").wait_for()
        page.wait_for_function(
            "() => document.activeElement.getAttribute('aria-invalid') === 'true'"
        )
        assert page.locator("#complaint-live .flash-error").count() == 1

        # Then the note itself, in the conversation without a reload.
        page.locator("#action-note textarea").fill("Tim lapangan berangkat Senin.")
        page.locator("#action-note button[type=submit]").click()
        page.get_by_text("Tim lapangan berangkat Senin.").first.wait_for()
        assert page.evaluate("() => window.__stayed === true") and page.url == url
        assert_accessible(page)
        assert not [p for p in problems if "Content Security Policy" in p], problems
    finally:
        context.close()
