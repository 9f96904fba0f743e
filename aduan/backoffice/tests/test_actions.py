"""Each action of the complaint page: the happy path (303, a flash message, the effect) and bad
input (empty text, unknown ids: 400 with the error next to the field, nothing changed)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from aduan.accounts.roles import Role
from aduan.agencies.models import Agency, Cause
from aduan.audit.models import AuditEntry
from aduan.backoffice.models import ResponseDraft, ResponseTemplate
from aduan.backoffice.tests.complaint_support import (
    ACTION,
    form_state,
    page,
    post_action,
    snapshot,
)
from aduan.backoffice.tests.support import signed_in
from aduan.complaints.models import Attachment, Complaint, Event, Message
from aduan.complaints.tests import factories as f
from aduan.complaints.tests.factories import ref
from aduan.complaints.workflow import transitions as t
from aduan.notifications.models import OutboxMessage

__all__ = ["ref"]

pytestmark = pytest.mark.django_db


def admin() -> Any:
    return f.staff(Role.ADMIN)


def liaison(code: str = "dpupr") -> Any:
    return f.staff(Role.LIAISON, f.agency(code))


def cause_pk() -> int:
    return Cause.objects.get(code="sarana_rusak").pk


# verb → (complaint factory, user factory, good data, the state after, bad data)
HAPPY: dict[str, tuple[Any, Any, Any, str, dict[str, Any]]] = {
    "dispatch": (
        f.received,
        admin,
        lambda: {"agency": f.agency("dpupr").pk, "kind": "complaint"},
        "dispatched",
        {"agency": "999999", "kind": "complaint"},
    ),
    "redispatch": (
        f.returned,
        admin,
        lambda: {"agency": f.agency("disperkim").pk},
        "dispatched",
        {"agency": ""},
    ),
    "request_info": (
        f.received,
        admin,
        lambda: {"question": "Di depan sekolah mana?"},
        "pending",
        {"question": "   "},
    ),
    "archive": (
        f.received,
        admin,
        lambda: {"reason": "spam"},
        "archived",
        {"reason": "no_such_reason"},
    ),
    "forward_out": (
        f.received,
        admin,
        lambda: {"forwarded_to": "Balai Jalan Nasional"},
        "archived",
        {"forwarded_to": ""},
    ),
    "restore": (
        f.archived,
        admin,
        lambda: {"reason": "Ternyata jelas."},
        "received",
        {"reason": ""},
    ),
    "acknowledge": (f.dispatched, liaison, lambda: {"note": ""}, "in_progress", None),
    "return": (
        f.dispatched,
        liaison,
        lambda: {"reason": "Urusan Dinas Perkim.", "suggested_agency": f.agency("disperkim").pk},
        "returned",
        {"reason": ""},
    ),
    "respond": (
        f.in_progress,
        liaison,
        lambda: {"text": "Sudah ditambal.", "cause": cause_pk(), "resolution": "resolved"},
        "responded",
        {"text": "", "cause": "999999", "resolution": "nope"},
    ),
}


@pytest.mark.parametrize("verb", list(HAPPY))
def test_transition_happy_path(client, ref, verb: str) -> None:
    """Each transition form: 303 back to the page, a flash message, the new state."""
    build, user_fn, data_fn, after, _bad = HAPPY[verb]
    complaint = build()
    user = user_fn()
    response = post_action(client, user, complaint, verb, data_fn())
    assert response.status_code == 303
    assert response["Location"] == f"/kantor/aduan/{complaint.pk}/"
    assert Complaint.objects.get(pk=complaint.pk).status == after
    follow = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert [str(m) for m in follow.context["messages"]]


@pytest.mark.parametrize("verb", [v for v, spec in HAPPY.items() if spec[4] is not None])
def test_transition_bad_input_changes_nothing(client, ref, verb: str) -> None:
    """Bad input (empty text, unknown ids, unknown choices): 400, the form re-rendered open
    with the errors beside the fields (aria-invalid), nothing changed."""
    build, user_fn, _data, _after, bad = HAPPY[verb]
    complaint = build()
    before = snapshot(complaint)
    response = post_action(client, user_fn(), complaint, verb, bad)
    assert response.status_code == 400
    assert response.context["open_verb"] == verb
    assert b'aria-invalid="true"' in response.content
    assert snapshot(complaint) == before


def test_dispatch_preselects_the_category_agency(client, buton) -> None:
    """The lead agency is pre-selected from the category's routing agency (R16)."""
    from aduan.agencies.models import Category

    category = Category.objects.filter(default_agency__isnull=False).first()
    complaint = f.received(category=category)
    response = page(client, admin(), complaint)
    form = {s.verb: form for s, form in response.context["actions"]}["dispatch"]
    assert form.initial["agency"] == category.routing_agency().pk


def test_dispatch_with_co_agencies_and_category(client, ref) -> None:
    complaint = f.received()
    response = post_action(
        client,
        admin(),
        complaint,
        "dispatch",
        {
            "agency": f.agency("dpupr").pk,
            "co_agencies": [f.agency("dinkes").pk, f.agency("dishub").pk],
            "kind": "aspiration",
        },
    )
    assert response.status_code == 303
    complaint.refresh_from_db()
    assert complaint.kind == "aspiration"
    assert {a.code for a in complaint.co_agencies.all()} == {"dinkes", "dishub"}


def test_archive_as_duplicate(client, ref) -> None:
    original = f.received(title="Asli")
    copy = f.received(title="Salinan")
    response = post_action(
        client,
        admin(),
        copy,
        "archive",
        {"reason": "duplicate", "duplicate_of": original.tracking_code},
    )
    assert response.status_code == 303
    copy.refresh_from_db()
    assert copy.archive_reason == "duplicate" and copy.duplicate_of_id == original.pk


@pytest.mark.parametrize("code", ["", "BTN-XXXX-XXX", "self"])
def test_archive_as_duplicate_needs_a_real_other_complaint(client, ref, code: str) -> None:
    complaint = f.received()
    before = snapshot(complaint)
    value = complaint.tracking_code if code == "self" else code
    response = post_action(
        client, admin(), complaint, "archive", {"reason": "duplicate", "duplicate_of": value}
    )
    assert response.status_code == 400
    assert snapshot(complaint) == before


def test_refused_by_the_workflow_rerenders_with_the_message(client, ref) -> None:
    """An ApplicationError from the workflow (redispatch to the same agency) is shown on the
    form; nothing changes."""
    complaint = f.dispatched("dpupr")
    before = snapshot(complaint)
    response = post_action(
        client, admin(), complaint, "redispatch", {"agency": f.agency("dpupr").pk}
    )
    assert response.status_code == 400
    assert b"already with this agency" in response.content
    assert snapshot(complaint) == before


# --- notes ---------------------------------------------------------------------------------


def test_internal_note_and_its_marking(client, ref) -> None:
    """An internal note is on the page marked as never shown to the complainant; the
    complainant's public timeline does not have it."""
    from aduan.complaints.selectors import complaint_public_timeline

    complaint = f.dispatched()
    user = liaison()
    response = signed_in(client, user).post(
        f"/kantor/aduan/{complaint.pk}/catatan/",
        {**form_state(complaint), "text": "Sudah telepon kepala desa."},
    )
    assert response.status_code == 303
    note = Message.objects.get(complaint=complaint, kind="note")
    assert note.body == "Sudah telepon kepala desa."
    body = page(client, user, complaint).content.decode()
    assert "Sudah telepon kepala desa." in body
    assert "Internal — never shown to the complainant" in body
    assert all(e.verb != "note" for e in complaint_public_timeline(complaint))


def test_note_empty_is_refused(client, ref) -> None:
    complaint = f.dispatched()
    before = snapshot(complaint)
    assert post_action(client, liaison(), complaint, "note", {"text": "  "}).status_code == 400
    assert snapshot(complaint) == before


def test_field_check(client, ref) -> None:
    complaint = f.in_progress()
    response = post_action(
        client,
        liaison(),
        complaint,
        "field_check",
        {"text": "Lubang 2 m, perlu aspal.", "checked_on": "2020-01-02"},
    )
    assert response.status_code == 303
    event = Event.objects.get(complaint=complaint, verb="field_check")
    assert event.data["checked_on"] == "2020-01-02" and not event.is_public
    assert AuditEntry.objects.filter(action="complaint.field_check").exists()


@pytest.mark.parametrize(
    "data", [{"text": "", "checked_on": ""}, {"text": "x", "checked_on": "2999-01-01"}]
)
def test_field_check_bad_input(client, ref, data) -> None:
    complaint = f.in_progress()
    before = snapshot(complaint)
    assert post_action(client, liaison(), complaint, "field_check", data).status_code == 400
    assert snapshot(complaint) == before


def test_coordinate_notifies_the_lead_agency_liaisons(client, ref) -> None:
    """Pasal 7(5)a: the coordination team's note is recorded and the lead agency's liaison
    officers get a notice (outbox)."""
    complaint = f.dispatched("dpupr")
    officer = liaison("dpupr")
    response = post_action(
        client, f.staff(Role.MEMBER), complaint, "coordinate", {"text": "Sudah lewat target."}
    )
    assert response.status_code == 303
    assert Event.objects.filter(complaint=complaint, verb="coordinate").exists()
    assert OutboxMessage.objects.filter(
        to_user=officer, template="coordination_note", complaint=complaint
    ).exists()


def test_co_agency_input_notifies_the_co_agency(client, ref) -> None:
    complaint = t.complaint_dispatch(
        complaint=f.submit(),
        by=f.actor(Role.ADMIN),
        agency=f.agency("dpupr"),
        co_agencies=[f.agency("dinkes")],
    )
    co_officer = liaison("dinkes")
    response = post_action(
        client,
        liaison("dpupr"),
        complaint,
        "co_agency_input",
        {"agency": f.agency("dinkes").pk, "text": "Mohon data puskesmas."},
    )
    assert response.status_code == 303
    assert OutboxMessage.objects.filter(
        to_user=co_officer, complaint=complaint, idempotency_key__contains="input"
    ).exists()


def test_link_related(client, ref) -> None:
    one, two = f.received(), f.received()
    response = post_action(client, admin(), one, "link", {"other": two.tracking_code})
    assert response.status_code == 303
    assert list(two.related.all()) == [one]
    assert AuditEntry.objects.filter(action="complaint.link", object_id=str(one.pk)).exists()
    again = post_action(client, admin(), one, "link", {"other": two.tracking_code})
    assert again.status_code == 400


# --- respond: attachments, templates, the head's approval -----------------------------------


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, "PNG")
    return SimpleUploadedFile("foto.png", buffer.getvalue(), content_type="image/png")


def test_respond_with_an_attachment(client, ref) -> None:
    complaint = f.in_progress()
    user = liaison()
    response = signed_in(client, user).post(
        ACTION.format(pk=complaint.pk, verb="respond"),
        {
            **form_state(complaint),
            "text": "Sudah ditambal, lihat foto.",
            "cause": cause_pk(),
            "resolution": "resolved",
            "attachments": _png(),
        },
    )
    assert response.status_code == 303
    message = Message.objects.get(complaint=complaint, kind="response")
    attachment = Attachment.objects.get(complaint=complaint)
    assert attachment.message_id == message.pk and not attachment.is_internal


def test_response_template_prefills_without_js_and_with_htmx(client, ref) -> None:
    complaint = f.in_progress()
    template = ResponseTemplate.objects.create(title="Jalan", body="Terima kasih, jalan akan")
    other_agency = ResponseTemplate.objects.create(
        title="Lain", body="Bukan untuk dpupr", agency=f.agency("dinkes")
    )
    user = liaison()
    response = page(client, user, complaint, QUERY_STRING=f"template={template.pk}")
    assert b"Terima kasih, jalan akan</textarea>" in response.content
    assert b"Bukan untuk dpupr" not in response.content
    fragment = signed_in(client, user).get(
        f"/kantor/aduan/{complaint.pk}/templat/", {"template": template.pk}
    )
    assert fragment.status_code == 200
    assert b'id="respond-text-field"' in fragment.content
    assert b"Terima kasih, jalan akan" in fragment.content
    fragment = signed_in(client, user).get(
        f"/kantor/aduan/{complaint.pk}/templat/", {"template": other_agency.pk}
    )
    assert b"Bukan untuk dpupr" not in fragment.content


def _head_approval_agency() -> Agency:
    agency = f.agency("dpupr")
    agency.requires_head_approval = True
    agency.save(update_fields=["requires_head_approval"])
    return agency


def test_liaison_response_waits_for_the_head_who_approves(client, ref) -> None:
    """Annex 'consult the head': the liaison's response becomes a draft; the head approves it
    and the response is sent as the head; the draft keeps its author."""
    agency = _head_approval_agency()
    complaint = f.in_progress()
    officer = f.staff(Role.LIAISON, agency)
    head = f.staff(Role.AGENCY_HEAD, agency)
    response = post_action(
        client,
        officer,
        complaint,
        "respond",
        {"text": "Akan diperbaiki minggu depan.", "cause": cause_pk(), "resolution": "scheduled"},
    )
    assert response.status_code == 303
    assert Complaint.objects.get(pk=complaint.pk).status == "in_progress"
    draft = ResponseDraft.objects.get(complaint=complaint)
    assert draft.status == "waiting" and draft.author == officer
    assert OutboxMessage.objects.filter(to_user=head, template="response_draft_waiting").exists()
    head_page = page(client, head, complaint)
    assert b"Akan diperbaiki minggu depan." in head_page.content
    verbs = [s.verb for s, _f in head_page.context["actions"]]
    assert "draft_approve" in verbs and "draft_reject" in verbs
    response = post_action(client, head, complaint, "draft_approve", {})
    assert response.status_code == 303
    complaint.refresh_from_db()
    assert complaint.status == "responded"
    message = Message.objects.get(complaint=complaint, kind="response")
    assert message.body == "Akan diperbaiki minggu depan." and message.author == head
    draft.refresh_from_db()
    assert draft.status == "approved" and draft.decided_by == head


def test_head_sends_the_draft_back(client, ref) -> None:
    agency = _head_approval_agency()
    complaint = f.in_progress()
    officer = f.staff(Role.LIAISON, agency)
    head = f.staff(Role.AGENCY_HEAD, agency)
    post_action(
        client,
        officer,
        complaint,
        "respond",
        {"text": "Draf.", "cause": cause_pk(), "resolution": "resolved"},
    )
    before = snapshot(complaint)
    assert post_action(client, head, complaint, "draft_reject", {"note": ""}).status_code == 400
    assert snapshot(complaint) == before
    response = post_action(client, head, complaint, "draft_reject", {"note": "Sebut tanggal."})
    assert response.status_code == 303
    draft = ResponseDraft.objects.get(complaint=complaint)
    assert draft.status == "rejected" and draft.decision_note == "Sebut tanggal."
    assert Complaint.objects.get(pk=complaint.pk).status == "in_progress"
    # the liaison may write a new response now
    assert (
        post_action(
            client,
            officer,
            complaint,
            "respond",
            {"text": "Draf 2.", "cause": cause_pk(), "resolution": "resolved"},
        ).status_code
        == 303
    )


def test_liaison_cannot_approve_their_own_draft(client, ref) -> None:
    agency = _head_approval_agency()
    complaint = f.in_progress()
    officer = f.staff(Role.LIAISON, agency)
    post_action(
        client,
        officer,
        complaint,
        "respond",
        {"text": "Draf.", "cause": cause_pk(), "resolution": "resolved"},
    )
    before = snapshot(complaint)
    assert post_action(client, officer, complaint, "draft_approve", {}).status_code == 403
    assert snapshot(complaint) == before


def test_head_responds_directly(client, ref) -> None:
    """The head's own response needs no approval."""
    agency = _head_approval_agency()
    complaint = f.in_progress()
    head = f.staff(Role.AGENCY_HEAD, agency)
    response = post_action(
        client,
        head,
        complaint,
        "respond",
        {"text": "Langsung.", "cause": cause_pk(), "resolution": "resolved"},
    )
    assert response.status_code == 303
    assert Complaint.objects.get(pk=complaint.pk).status == "responded"
