"""Issue 4 end to end in a real browser: a citizen's report (phone, 360x640) goes through the
back-office (desk, 1280x800) — the admin verifies and dispatches it, the agency's liaison takes
it up and responds, the citizen reads the response and the 10-day sweep closes it; and an overdue
complaint is coordinated by a member of the coordination team. Staff sign in through the real
forms (password, then the TOTP code of their device); the pages are asserted in Indonesian."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from aduan.accounts.models import User
from aduan.accounts.roles import Role
from aduan.agencies.models import Cause
from aduan.backoffice.tests.accounts_support import PASSWORD, code_for, enrol, make_staff
from aduan.backoffice.tests.support import signed_in
from aduan.complaints.models import Complaint, Message, Resolution
from aduan.complaints.sweeps import run_sweeps
from aduan.complaints.tests import factories as f
from aduan.complaints.workflow.states import Status
from aduan.core import clock
from aduan.notifications.models import OutboxMessage
from aduan.portal.tests.test_browser_journey import (
    label,
    open_private_link,
    send_report,
    state_shown,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RESPONSE = "Petugas kami sudah memasang papan penyeberangan sementara di Dusun Lakapera."
NOTE = "Mohon segera ditanggapi; sudah lewat tenggat. Koordinasi dengan camat Lasalimu."


def indonesian(msgid: str) -> str:
    with translation.override("id"):
        return translation.gettext(msgid)


@pytest.fixture
def new_page(chromium: Any, live_server: Any, settings: Any) -> Iterator[Callable[..., Any]]:
    """Fresh Indonesian contexts on the live server: `desk` 1280x800 for staff, `phone`
    360x640 for the citizen (the form's minimum fill time off, links to the live server)."""
    settings.ADUAN_REPORT_MIN_FILL_SECONDS = 0
    settings.ADUAN_SITE_URL = live_server.url
    contexts = []

    def make(size: str = "desk") -> Any:
        width, height = (1280, 800) if size == "desk" else (360, 640)
        context = chromium.new_context(
            viewport={"width": width, "height": height},
            locale="id-ID",
            base_url=live_server.url,
            service_workers="block",
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield make
    for context in contexts:
        context.close()


def sign_in(page: Any, user: User) -> None:
    """S6: the password form, then the code the user's authenticator shows now."""
    device = enrol(user)
    page.goto("/kantor/masuk/")
    page.fill("#id_identifier", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form.account-form button[type=submit]").click()
    page.wait_for_url("**/kantor/masuk/verifikasi/**")
    page.fill("#id_code", code_for(device))
    page.locator("form.account-form button[type=submit]").click()
    page.wait_for_url("**/kantor/")


def open_from_home(page: Any, complaint: Complaint) -> None:
    page.goto("/kantor/")
    page.locator(f"th[scope=row] a:text-is('{complaint.tracking_code}')").click()
    page.wait_for_url(f"**/kantor/aduan/{complaint.pk}/")


def act(page: Any, verb: str, fill: Callable[[Any], None] | None = None) -> str:
    """Open the action's disclosure, fill its form, send it; the message read out in the
    page's live region (the action is done in place, htmx)."""
    live = page.locator("#complaint-live")
    before = str(live.inner_text()).strip()
    page.locator(f"#action-{verb} > summary").click()
    if fill is not None:
        fill(page)
    page.locator(f"#action-{verb} button[type=submit]").click()
    page.wait_for_function(
        "before => { const t = document.querySelector('#complaint-live').innerText.trim();"
        " return t !== '' && t !== before; }",
        arg=before,
    )
    return str(live.inner_text()).strip()


def fresh(complaint: Complaint) -> Complaint:
    return Complaint.objects.get(pk=complaint.pk)


def test_complaint_from_citizen_to_closure(new_page, buton, time_machine):
    """Issue 4 end to end: report (R1) → the admin verifies and dispatches it (R13) → the
    liaison, signed in with password and TOTP (S6), sees it in the agency queue, acknowledges
    (R15) and responds with cause and result (R17) → the citizen sees the response on the
    private page (R29) → 10 days later the sweep closes it (R33) and the page says closed."""
    citizen = new_page("phone")
    complaint, private_url = send_report(citizen)
    dpupr = f.agency("dpupr")
    admin = make_staff("admin", Role.ADMIN)
    liaison = make_staff("penghubung.dpupr", Role.LIAISON, agency=dpupr)

    # The admin's inbox → the complaint → verify and dispatch to the DPUPR.
    desk = new_page()
    sign_in(desk, admin)
    assert desk.locator("h1").inner_text() == indonesian("Verification inbox")
    open_from_home(desk, complaint)
    flash = act(desk, "dispatch", lambda p: p.select_option("#dispatch-agency", str(dpupr.pk)))
    assert flash == indonesian("The complaint was verified and dispatched.")
    dispatched = fresh(complaint)
    assert (dispatched.status, dispatched.lead_agency_id) == (Status.DISPATCHED, dpupr.pk)
    assert desk.locator("#action-dispatch").count() == 0

    # The liaison: the queue, take it up, respond with a cause and a result.
    office = new_page()
    sign_in(office, liaison)
    queue = office.locator("section[aria-labelledby=queue-heading]")
    assert complaint.tracking_code in queue.inner_text()
    open_from_home(office, complaint)
    assert act(office, "acknowledge") == indonesian("You took the complaint up.")
    assert fresh(complaint).status == Status.IN_PROGRESS
    cause = Cause.objects.get(code="sarana_rusak")

    def response_form(p: Any) -> None:
        p.fill("#respond-text", RESPONSE)
        p.select_option("#respond-cause", str(cause.pk))
        p.select_option("#respond-resolution", Resolution.RESOLVED)

    flash = act(office, "respond", response_form)
    assert flash == indonesian("The response was sent to the complainant.")
    responded = fresh(complaint)
    assert (responded.status, responded.cause_id) == (Status.RESPONDED, cause.pk)
    response = Message.objects.get(complaint=complaint, body=RESPONSE)
    assert (response.author_id, response.resolution) == (liaison.pk, Resolution.RESOLVED)

    # The citizen reads the response on the private page.
    open_private_link(citizen, complaint, private_url)
    assert state_shown(citizen) == label(Status.RESPONDED)
    assert RESPONSE in citizen.locator("#conversation ~ .conversation").inner_text()

    # Not answered for 10 days: the sweep closes it.
    assert responded.autoclose_at is not None and responded.responded_at is not None
    later = responded.responded_at + dt.timedelta(days=10, minutes=1)
    assert responded.autoclose_at <= later
    time_machine.move_to(later - dt.timedelta(minutes=2))
    assert run_sweeps().closed == 0  # not yet
    time_machine.move_to(later)
    report = run_sweeps()
    assert (report.closed, report.errors) == (1, [])
    assert fresh(complaint).status == Status.CLOSED
    open_private_link(citizen, complaint, private_url)
    assert state_shown(citizen) == label(Status.CLOSED)


def test_overdue_complaint_is_coordinated_by_a_member(new_page, buton, time_machine, live_server):
    """Pasal 7(5)a: a dispatched complaint past its response deadline is on the member's home
    (slow and overdue); the member opens it and records a coordination note — internal on the
    page, and the lead agency's liaison is notified through the outbox."""
    complaint = f.dispatched("dpupr", title="Jalan berlubang di Pasarwajo")
    liaison = f.staff(Role.LIAISON, f.agency("dpupr"))
    assert complaint.response_due_at is not None
    time_machine.move_to(complaint.response_due_at + dt.timedelta(days=1))
    other = f.dispatched("dpupr", title="Lampu jalan mati")  # dispatched today: the control
    assert other.response_due_at > clock.now()  # type: ignore[operator]
    run_sweeps()  # the deadline is marked passed, as in production

    member = f.staff(Role.MEMBER)
    client = signed_in(Client(), member)
    page = new_page()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto("/kantor/")
    assert page.locator("h1").inner_text() == indonesian("Slow and overdue complaints")
    home = page.locator("main").inner_text()
    assert complaint.tracking_code in home and other.tracking_code not in home
    open_from_home(page, complaint)

    flash = act(page, "coordinate", lambda p: p.fill("#coordinate-text", NOTE))
    assert flash == indonesian("The coordination note was recorded and the lead agency notified.")
    note = page.locator(".msg-internal", has_text=NOTE)
    assert note.count() == 1
    assert indonesian("Coordination team note") in note.inner_text()
    assert indonesian("Internal — never shown to the complainant") in note.inner_text()
    stored = Message.objects.get(complaint=complaint, body=NOTE)
    assert stored.is_internal and stored.author_id == member.pk
    sent = OutboxMessage.objects.filter(template="coordination_note", complaint=complaint)
    assert list(sent.values_list("to_user_id", flat=True)) == [liaison.pk]
    assert sent.get().context["note"] == NOTE
