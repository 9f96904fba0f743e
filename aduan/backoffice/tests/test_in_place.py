"""Actions in place on the complaint page (htmx): with `HX-Request` an action answers with the
page's main part (#complaint-page) and the message for the aria-live region, in the status the
full page would have (200 done, 400 form errors, 403 refused, 409 stale); without JavaScript the
POST + 303 works exactly as before."""

from __future__ import annotations

import re
from typing import Any

import pytest

from aduan.accounts.roles import Role
from aduan.audit.models import AuditEntry
from aduan.backoffice.tests.complaint_support import ACTION, form_state, page, snapshot
from aduan.backoffice.tests.support import signed_in
from aduan.complaints.models import Complaint, Message
from aduan.complaints.tests import factories as f
from aduan.complaints.tests.factories import ref

__all__ = ["ref"]

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_ACCEPT_LANGUAGE": "en"}


def hx_post(client: Any, user: Any, complaint: Complaint, verb: str, data: dict[str, Any]) -> Any:
    payload = {**form_state(complaint), **data}
    return signed_in(client, user).post(ACTION.format(pk=complaint.pk, verb=verb), payload, **HTMX)


def is_fragment(html: str) -> bool:
    return (
        "<html" not in html
        and html.count('id="complaint-page"') == 1
        and '<div id="complaint-live" hx-swap-oob="innerHTML">' in html
    )


def live_region(html: str) -> str:
    match = re.search(
        r'<div id="complaint-live" hx-swap-oob="innerHTML">(.*?)</div>\s*$', html, re.S
    )
    assert match is not None
    return match.group(1)


def test_the_page_wires_every_action_form_for_htmx_and_keeps_the_plain_post(client, ref):
    """Each action form has hx-post to its own action URL with #complaint-page as target, and
    still method=post action=… (no JavaScript); the live region is there, empty; the script is a
    file (CSP: no inline script)."""
    complaint = f.received()
    html = page(client, f.staff(Role.ADMIN), complaint).content.decode()
    forms = re.findall(
        r'<form method="post" action="([^"]+aksi/[^"]+)"[^>]*?hx-post="([^"]+)"', html, re.S
    )
    assert len(forms) >= 3
    assert all(action == hx for action, hx in forms)
    assert html.count('hx-target="#complaint-page"') == len(forms)
    assert re.search(r'<div id="complaint-live"[^>]*role="status" aria-live="polite"', html)
    assert 'src="/static/js/backoffice-complaint.js"' in html
    assert "<script>" not in html


def test_acknowledge_in_place_returns_the_fragment_with_the_change_done(client, ref):
    """HX-Request: 200, the fragment (no full page), the complaint is in progress, the timeline
    shows the acknowledgement, the message is in the live region — and not left in the session
    for the next page."""
    complaint = f.dispatched("dpupr")
    officer = f.staff(Role.LIAISON, f.agency("dpupr"))
    response = hx_post(client, officer, complaint, "acknowledge", {"note": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert is_fragment(html)
    assert "HX-Request" in response["Vary"]
    complaint.refresh_from_db()
    assert complaint.status == "in_progress"
    assert "Taken up by the agency" in html
    assert "You took the complaint up." in live_region(html)
    assert 'id="action-respond"' in html  # the actions of the new state
    after = page(client, officer, complaint).content.decode()
    assert "You took the complaint up." not in after


def test_a_note_in_place_shows_in_the_conversation(client, ref):
    complaint = f.dispatched("dpupr")
    officer = f.staff(Role.LIAISON, f.agency("dpupr"))
    response = hx_post(client, officer, complaint, "note", {"text": "Cek lokasi hari Senin."})
    assert response.status_code == 200
    html = response.content.decode()
    assert is_fragment(html)
    assert "Cek lokasi hari Senin." in html
    assert "The note was added." in live_region(html)
    assert Message.objects.filter(complaint=complaint, body="Cek lokasi hari Senin.").exists()


def test_without_htmx_the_action_is_still_post_redirect_get(client, ref):
    """No HX-Request: 303 to the page, the flash on the page that follows (unchanged)."""
    complaint = f.dispatched("dpupr")
    officer = f.staff(Role.LIAISON, f.agency("dpupr"))
    response = signed_in(client, officer).post(
        ACTION.format(pk=complaint.pk, verb="acknowledge"),
        {**form_state(complaint), "note": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 303
    assert response["Location"] == f"/kantor/aduan/{complaint.pk}/"
    followed = page(client, officer, complaint).content.decode()
    assert "<html" in followed and "You took the complaint up." in followed


def test_form_errors_in_place_are_a_400_fragment_and_change_nothing(client, ref):
    """A blank question: 400, the fragment with the form open and the error beside the field,
    an error message in the live region, nothing changed."""
    complaint = f.received()
    before = snapshot(complaint)
    response = hx_post(client, f.staff(Role.ADMIN), complaint, "request_info", {"question": " "})
    assert response.status_code == 400
    html = response.content.decode()
    assert is_fragment(html)
    assert re.search(
        r'<details class="action action-request_info" id="action-request_info" open', html
    )
    assert 'aria-invalid="true"' in html
    assert "Nothing was changed" in live_region(html)
    assert snapshot(complaint) == before


def test_a_stale_form_in_place_is_a_409_fragment_with_the_current_state(client, ref):
    complaint = f.dispatched("dpupr")
    officer = f.staff(Role.LIAISON, f.agency("dpupr"))
    stale = form_state(complaint)
    signed_in(client, officer).post(
        ACTION.format(pk=complaint.pk, verb="acknowledge"), {**stale, "note": ""}
    )
    response = signed_in(client, officer).post(
        ACTION.format(pk=complaint.pk, verb="acknowledge"), {**stale, "note": ""}, **HTMX
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert is_fragment(html)
    assert "changed by someone else" in html


def test_a_refused_action_in_place_is_a_403_fragment_audited(client, ref):
    """The regent may not acknowledge: 403, the page part with the refusal as a notice, nothing
    changed, the refusal audited (as for the full page)."""
    complaint = f.dispatched("dpupr")
    before = snapshot(complaint)
    response = hx_post(client, f.staff(Role.REGENT), complaint, "acknowledge", {"note": ""})
    assert response.status_code == 403
    html = response.content.decode()
    assert is_fragment(html)
    assert 'role="alert"' in html and "Nothing was changed." in html
    assert snapshot(complaint) == before
    assert AuditEntry.objects.filter(action="complaint.denied", object_id=str(complaint.pk))
