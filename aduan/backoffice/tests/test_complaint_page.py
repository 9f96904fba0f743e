"""The complaint page: header, text, the whole timeline (also non-public events, with actor
role, agency and name), the conversation with internal notes marked, attachments, exactly the
allowed actions, no-store, and a constant number of queries."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from aduan.accounts.roles import Role
from aduan.backoffice.tests.complaint_support import page
from aduan.complaints.models import Attachment
from aduan.complaints.services import complaint_add_note
from aduan.complaints.tests import factories as f
from aduan.complaints.tests.factories import ref
from aduan.complaints.workflow.actors import Actor
from aduan.complaints.workflow.transitions import allowed_verbs

__all__ = ["ref"]

pytestmark = pytest.mark.django_db


def test_page_shows_header_text_timeline_and_notes(client, ref) -> None:
    complaint = f.in_progress(title="Jalan berlubang di Pasarwajo", body="Lubang besar di km 3.")
    officer = f.staff(Role.LIAISON, f.agency("dpupr"), first_name="Wa Ode", last_name="Sitti")
    complaint_add_note(complaint=complaint, by=Actor.of(officer), text="Sudah dicek ke lokasi.")
    response = page(client, officer, complaint)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert complaint.tracking_code in body and "Jalan berlubang di Pasarwajo" in body
    assert "Lubang besar di km 3." in body
    assert "Being followed up" in body  # the state label
    assert "Response due" in body and "working day" in body  # the deadline badge (H2)
    timeline = response.context["events"]
    assert [e.verb for e in timeline] == ["submit", "dispatch", "acknowledge", "note"]
    note_event = timeline[-1]
    assert not note_event.is_public and "not public" in body
    assert "Wa Ode Sitti" in body and "Liaison officer" in body
    assert "Internal — never shown to the complainant" in body


def test_actions_are_exactly_the_allowed_verbs(client, ref) -> None:
    """The page offers exactly the transitions allowed_verbs() gives, plus the staff notes the
    role may write there; the regent (read-only) gets none."""
    officer = f.staff(Role.LIAISON, f.agency("dpupr"))
    cases = [
        (f.received(), f.staff(Role.ADMIN), {"note", "link"}),
        (f.dispatched(), officer, {"note", "link", "field_check"}),
        (f.dispatched(), f.staff(Role.MEMBER), {"note", "coordinate"}),
        (f.dispatched(), f.staff(Role.REGENT), set()),
        (f.archived(), f.staff(Role.ADMIN), {"note", "link"}),
    ]
    for complaint, user, extra in cases:
        response = page(client, user, complaint)
        shown = {spec.verb for spec, _form in response.context["actions"]}
        assert shown == set(allowed_verbs(complaint, Actor.of(user))) | extra, user.role
    assert (
        b"There is nothing for you to do"
        in page(client, f.staff(Role.REGENT), f.dispatched()).content
    )


def _png_attachment(complaint) -> Attachment:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "blue").save(buffer, "PNG")
    return Attachment.objects.create(
        complaint=complaint,
        file=ContentFile(buffer.getvalue(), name="x.png"),
        original_name="foto-jalan.png",
        content_type="image/png",
        size=len(buffer.getvalue()),
        sha256="0" * 64,
    )


def test_attachments_preview_images_and_download_pdfs(client, ref) -> None:
    complaint = f.dispatched()
    _png_attachment(complaint)
    Attachment.objects.create(
        complaint=complaint,
        file=ContentFile(b"%PDF-1.4\n%%EOF", name="x.pdf"),
        original_name="surat.pdf",
        content_type="application/pdf",
        size=14,
        sha256="1" * 64,
    )
    body = page(client, f.staff(Role.ADMIN), complaint).content.decode()
    assert '<img src="/berkas/' in body and 'alt="Photo: foto-jalan.png"' in body
    assert "surat.pdf</a>" in body and " download>surat.pdf" in body
    assert "/media/" not in body  # S4: only through the authorising view


@pytest.mark.parametrize("role", [Role.ADMIN, Role.LIAISON])
def test_constant_number_of_queries(client, ref, role) -> None:
    """The page costs the same number of queries with 3 or 30 notes and attachments."""
    counts = []
    for rows in (3, 30):
        complaint = f.dispatched()
        user = f.staff(role, f.agency("dpupr") if role == Role.LIAISON else None)
        actor = Actor.of(user)
        for i in range(rows):
            complaint_add_note(complaint=complaint, by=actor, text=f"catatan {i}")
            _png_attachment(complaint)
        page(client, user, complaint)  # sign-in and session queries out of the way
        with CaptureQueriesContext(connection) as queries:
            response = page(client, user, complaint)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
