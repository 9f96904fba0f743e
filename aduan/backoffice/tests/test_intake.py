"""Operator intake (Pasal 10, R23): `/kantor/aduan/baru/` and its receipt."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from aduan.accounts.roles import Role
from aduan.audit.models import AuditEntry
from aduan.complaints.models import Attachment, Channel, Complaint, Event
from aduan.complaints.tests import factories as f
from aduan.complaints.tests.factories import ref  # noqa: F401  (fixture)
from aduan.complaints.tests.uploads_corpus import (
    exe,
    jpeg,
    media_fixture,  # noqa: F401  (the `media` fixture)
    upload,
)
from aduan.core import clock
from aduan.notifications.models import OutboxMessage

from .support import signed_in

pytestmark = pytest.mark.django_db
URL = "/kantor/aduan/baru/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def admin(ref: Any) -> Any:  # noqa: F811
    return f.staff(Role.ADMIN, first_name="Ani", last_name="Operator")


@pytest.fixture
def client_admin(client: Any, admin: Any) -> Any:
    return signed_in(client, admin)


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "submission_id": str(uuid.uuid4()),
        "channel": Channel.WALK_IN,
        "kind": "complaint",
        "body": "Lampu jalan di depan pasar Pasarwajo mati sejak seminggu.",
        "title": "Lampu jalan mati",
        "name": "Wa Ode Warga",
        "phone": "0812 3456 7890",
        "consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- who may -----------------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client: Any, ref: Any) -> None:  # noqa: F811
    """S3: the intake form is not reachable without signing in."""
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("backoffice:login"))


@pytest.mark.parametrize(
    "role", [Role.LIAISON, Role.AGENCY_HEAD, Role.MEMBER, Role.CHAIR, Role.PATRON, Role.REGENT]
)
def test_other_roles_are_refused_and_nothing_is_stored(client: Any, ref: Any, role: Role) -> None:  # noqa: F811
    """S3, R23: only the Dinas admin enters complaints for a complainant (GET and POST: 403)."""
    agency = f.agency("dpupr") if role in (Role.LIAISON, Role.AGENCY_HEAD) else None
    signed_in(client, f.staff(role, agency=agency))
    assert client.get(URL).status_code == 403
    assert client.post(URL, form_data()).status_code == 403
    assert Complaint.objects.count() == 0


def test_the_form_shows_the_channels_of_pasal_10(client_admin: Any) -> None:
    response = client_admin.get(URL, **EN)
    assert response.status_code == 200
    assert response["Cache-Control"].count("no-store")
    html = response.content.decode()
    for channel in ("call_center", "complaint_box", "walk_in", "sms", "email", "whatsapp"):
        assert f'value="{channel}"' in html
    assert 'value="web"' not in html  # the citizen's own channels are not the operator's
    assert 'name="website"' not in html  # no honeypot for staff
    assert 'type="datetime-local"' in html


# --- entering a complaint ----------------------------------------------------------------------


def test_a_walk_in_complaint_is_stored_with_channel_operator_and_scan(
    client_admin: Any, admin: Any, media: Any
) -> None:
    """R23: the channel and the operator are recorded; the scan of the paper form becomes an
    attachment; the receipt SMS is queued (the outbox sends `complaint_received`)."""
    data = form_data(attachments=upload(jpeg(), "formulir.jpg"))
    response = client_admin.post(URL, data)
    assert response.status_code == 303
    complaint = Complaint.objects.get()
    assert response["Location"] == reverse("backoffice:intake_receipt", args=[complaint.pk])
    assert complaint.channel == Channel.WALK_IN
    assert complaint.submitted_by == admin
    assert complaint.complainant.name == "Wa Ode Warga"
    assert complaint.complainant.phone == "+6281234567890"
    assert complaint.complainant.consented_at is not None
    assert [a.original_name for a in Attachment.objects.filter(complaint=complaint)] == [
        "formulir.jpg"
    ]
    event = Event.objects.get(complaint=complaint, verb="submit")
    assert event.actor == admin and event.actor_role == "admin"
    assert event.data["channel"] == "walk_in"
    assert OutboxMessage.objects.filter(
        complaint=complaint, template="complaint_received", channel="sms"
    ).exists()
    entry = AuditEntry.objects.get(action="complaint.operator_entry")
    assert entry.actor == admin and entry.object_id == str(complaint.pk)
    assert entry.data["channel"] == "walk_in" and entry.data["attachments"] == 1


def test_the_receipt_shows_the_code_and_the_private_link_to_hand_over(
    client_admin: Any,
) -> None:
    """R23: the operator prints or reads out the code and the private link; the page links to
    the complaint in the back-office and says the SMS receipt was queued."""
    client_admin.post(URL, form_data())
    complaint = Complaint.objects.get()
    response = client_admin.get(reverse("backoffice:intake_receipt", args=[complaint.pk]), **EN)
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "no-referrer"
    html = response.content.decode()
    assert complaint.tracking_code in html
    assert f"/lacak/{complaint.tracking_code}/?t={complaint.access_token}" in html
    assert reverse("backoffice:complaint", args=[complaint.pk]) in html
    assert "by SMS to" in html and "7890" in html and "0812 3456 7890" not in html
    assert '<svg role="img"' in html  # the QR code of the private link
    css = Path(settings.BASE_DIR, "static/css/backoffice-manage.css").read_text()
    assert "@media print" in css  # the receipt prints without the navigation


def test_the_receipt_is_only_for_the_session_that_entered_it(
    client_admin: Any,
    client: Any,
    ref: Any,  # noqa: F811
) -> None:
    """S5-like: the private link is shown once, to the operator's session; another admin (or
    the same admin in another browser) gets 404."""
    client_admin.post(URL, form_data())
    complaint = Complaint.objects.get()
    url = reverse("backoffice:intake_receipt", args=[complaint.pk])
    from django.test import Client

    other = signed_in(Client(), f.staff(Role.ADMIN))
    assert other.get(url).status_code == 404


def test_a_box_complaint_without_contact_is_accepted_and_nothing_is_sent(
    client_admin: Any,
) -> None:
    """R23: a paper form from the box may have no contact; the receipt says it is the only
    place the private link is shown."""
    response = client_admin.post(
        URL, form_data(channel=Channel.COMPLAINT_BOX, phone=None, name="", anonymous="on")
    )
    assert response.status_code == 303
    complaint = Complaint.objects.get()
    assert complaint.channel == Channel.COMPLAINT_BOX and complaint.anonymous
    assert not OutboxMessage.objects.filter(complaint=complaint).exists()
    page = client_admin.get(response["Location"], **EN).content.decode()
    assert "nothing is sent" in page


def test_the_time_of_receipt_can_be_earlier_and_the_dispatch_clock_runs_from_it(
    client_admin: Any,
) -> None:
    """R25: dispatch is due 2 working days after the receipt — the day the box was emptied,
    not the day the form was typed in."""
    earlier = timezone.localtime(clock.now() - dt.timedelta(days=3)).replace(
        second=0, microsecond=0
    )
    response = client_admin.post(
        URL,
        form_data(channel=Channel.COMPLAINT_BOX, received_at=earlier.strftime("%Y-%m-%dT%H:%M")),
    )
    assert response.status_code == 303
    complaint = Complaint.objects.get()
    assert complaint.received_at == earlier
    clock_row = complaint.clocks.get()
    assert clock_row.started_at == earlier
    assert complaint.dispatch_due_at == clock_row.due_at
    assert Event.objects.get(complaint=complaint, verb="submit").created_at == earlier
    assert AuditEntry.objects.get(action="complaint.operator_entry").data["backdated"] is True


def test_the_same_submission_twice_creates_one_complaint(client_admin: Any) -> None:
    """S16: a double click or a resent POST (same submission_id) stores one complaint and
    shows the same receipt."""
    data = form_data()
    first = client_admin.post(URL, data)
    second = client_admin.post(URL, data)
    assert first.status_code == second.status_code == 303
    assert first["Location"] == second["Location"]
    assert Complaint.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"body": ""}, "body", "Describe what happened."),
        ({"channel": ""}, "channel", "Choose how the complaint came in."),
        ({"channel": "web"}, "channel", "Choose how the complaint came in."),
        ({"consent": None}, "consent", "Confirm that the complainant was told the privacy"),
        ({"received_at": "2999-01-01T10:00"}, "received_at", "cannot be in the future"),
        ({"received_at": "kemarin"}, "received_at", "Enter a date and time"),
        ({"phone": "12345"}, "phone", ""),
        ({"nik": "123"}, "nik", "A NIK has 16 digits."),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_nothing_is_stored(
    client_admin: Any, overrides: dict[str, Any], field: str, message: str
) -> None:
    """Bad input: 400, the error next to its field (aria-invalid, aria-describedby), nothing
    stored."""
    response = client_admin.post(URL, form_data(**overrides), **EN)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert message in html
    assert f'href="#id_{field}"' in html  # the summary links to the field
    assert Complaint.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="complaint.").exists()


def test_a_bad_file_is_refused_and_nothing_is_stored(client_admin: Any, media: Any) -> None:
    """S10: a renamed executable as the "scan" is refused next to the file input; no complaint."""
    response = client_admin.post(URL, form_data(attachments=upload(exe(), "scan.jpg")), **EN)
    assert response.status_code == 400
    assert 'id="id_attachments-errors"' in response.content.decode()
    assert Complaint.objects.count() == 0


def test_the_form_keeps_its_id_and_files_after_an_error(client_admin: Any, media: Any) -> None:
    """A form shown again keeps its submission_id and the accepted scan (no second choosing)."""
    data = form_data(body="", attachments=upload(jpeg(), "formulir.jpg"))
    response = client_admin.post(URL, data)
    html = response.content.decode()
    assert data["submission_id"] in html
    assert "formulir.jpg" in html and 'name="attachments_kept"' in html
