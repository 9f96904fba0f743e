"""Data-subject rights from the private page (UU 27/2022 Art. 32-33, 40-45; S18)."""

from __future__ import annotations

import json

import pytest

from aduan.accounts.roles import Role
from aduan.audit.models import AuditEntry
from aduan.complaints import data_rights
from aduan.complaints.models import Complainant, Complaint, Event
from aduan.complaints.models.complainant import identity_hash
from aduan.complaints.services import complaint_add_note
from aduan.complaints.tests import factories as f
from aduan.complaints.workflow import transitions as t
from aduan.complaints.workflow.actors import Actor
from aduan.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db
ref = f.ref  # the cheap reference-data fixture

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def open_private(client, complaint: Complaint) -> None:
    token = Complaint.objects.get(pk=complaint.pk).access_token
    assert client.get(f"/lacak/{complaint.tracking_code}/", {"t": token}).status_code == 303


def identity(complaint: Complaint) -> Complainant:
    return Complainant.objects.get(complaint=complaint)


def test_export_contains_my_data_and_nobody_elses(client, ref):
    """S18: the download holds the complaint, my identity, my conversation and the public
    trail — no internal note, no staff name, nothing of another complainant."""
    liaison = f.staff(Role.LIAISON, f.agency("dpupr"), first_name="Hasanuddin")
    mine = f.in_progress(name="Zulkarnaen Wibisono Tamalate", email="rahasia.sekali@example.org")
    f.dispatched(name="Orang Lain Sekali", email="orang.lain@example.org")
    complaint_add_note(complaint=mine, by=Actor.of(liaison), text="CATATAN-INTERNAL-XYZ")
    open_private(client, mine)
    response = client.post(f"/lacak/{mine.tracking_code}/data-saya/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    raw = response.content.decode()
    data = json.loads(raw)
    assert data["complaint"]["tracking_code"] == mine.tracking_code
    assert data["identity"]["name"] == "Zulkarnaen Wibisono Tamalate"
    assert data["identity"]["email"] == "rahasia.sekali@example.org"
    assert [e["to_state"] for e in data["events"]] == ["received", "dispatched", "in_progress"]
    for foreign in (
        "Orang Lain",
        "orang.lain",
        "CATATAN-INTERNAL-XYZ",
        "Hasanuddin",
        liaison.username,
    ):
        assert foreign not in raw
    assert AuditEntry.objects.filter(action="complainant.export", object_id=str(mine.pk)).exists()


def test_export_needs_the_grant(client, ref):
    complaint = f.received()
    assert client.post(f"/lacak/{complaint.tracking_code}/data-saya/").status_code == 404


def test_correction_reencrypts_and_rehashes(client, ref):
    """S18: a corrected phone and email are normalised, stored encrypted and looked up by their
    new hash; the old hash no longer finds the complainant; an Event says what kind of field
    changed, without the values; audited."""
    complaint = f.dispatched(phone="081234567890", email="lama@example.org")
    open_private(client, complaint)
    response = client.post(
        f"/lacak/{complaint.tracking_code}/identitas/",
        {
            "identity-name": "Nama Baru",
            "identity-phone": "0813 1111 2222",
            "identity-email": "Baru@Example.org",
            "identity-address": "Jl. Baru 1",
        },
        **EN,
    )
    assert response.status_code == 303
    person = identity(complaint)
    assert (person.name, person.phone, person.email) == (
        "Nama Baru",
        "+6281311112222",
        "baru@example.org",
    )
    assert person.phone_hash == identity_hash("phone", "+6281311112222")
    assert person.email_hash == identity_hash("email", "baru@example.org")
    assert not Complainant.objects.filter(phone_hash=identity_hash("phone", "+6281234567890"))
    event = Event.objects.get(complaint=complaint, verb="identity_corrected")
    assert not event.is_public and "Nama Baru" not in event.note and "1111" not in event.note
    assert set(event.data["fields"]) == {"name", "phone", "email", "address"}
    assert AuditEntry.objects.filter(action="complainant.correct").exists()
    # the encrypted column does not hold the clear value
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM complaints_complainant WHERE id = %s", [person.pk])
        assert "81311112222" not in cursor.fetchone()[0]


def test_bad_correction_changes_nothing(client, ref):
    complaint = f.dispatched(phone="081234567890", email="lama@example.org")
    open_private(client, complaint)
    before = identity(complaint)
    response = client.post(
        f"/lacak/{complaint.tracking_code}/identitas/",
        {
            "identity-name": "X",
            "identity-phone": "12",
            "identity-email": "",
            "identity-address": "",
        },
        **EN,
    )
    assert response.status_code == 400
    assert 'id="id_identity-phone_error"' in response.content.decode()
    after = identity(complaint)
    assert (after.name, after.phone, after.phone_hash, after.email) == (
        before.name,
        before.phone,
        before.phone_hash,
        before.email,
    )


def test_correction_keeps_a_contact(client, ref):
    complaint = f.dispatched()
    open_private(client, complaint)
    response = client.post(
        f"/lacak/{complaint.tracking_code}/identitas/",
        {"identity-name": "A", "identity-phone": "", "identity-email": "", "identity-address": ""},
        **EN,
    )
    assert response.status_code == 400
    assert identity(complaint).phone


def test_deletion_request_sets_the_field_and_notifies_admins(client, ref):
    """S18: asking for deletion records the request and tells the Dinas admins; on an open
    report the identity stays until it closes, then it is erased."""
    admin = f.staff(Role.ADMIN)
    complaint = f.responded(name="Zulkarnaen", email="rahasia.sekali@example.org")
    open_private(client, complaint)
    response = client.post(
        f"/lacak/{complaint.tracking_code}/hapus-data/", {"erasure-confirm": "on"}, **EN
    )
    assert response.status_code == 303
    person = identity(complaint)
    assert person.erasure_requested_at is not None and person.consent_withdrawn_at is not None
    assert person.name == "Zulkarnaen"  # kept while the report is open
    notices = OutboxMessage.objects.filter(template="erasure_requested")
    assert admin.pk in {n.to_user_id for n in notices}
    assert all(n.to_user.role == Role.ADMIN and n.complaint_id == complaint.pk for n in notices)
    assert not notices.filter(to_complainant=True).exists()
    assert AuditEntry.objects.filter(action="complainant.request_erasure").exists()

    t.complaint_confirm(complaint=complaint, by=Actor.complainant())  # the report closes
    person = identity(complaint)
    assert (person.name, person.email, person.phone, person.email_hash, person.phone_hash) == (
        ("",) * 5
    )
    assert Event.objects.filter(complaint=complaint, verb="identity_erased").exists()
    assert Complaint.objects.get(pk=complaint.pk).body  # the record itself is kept


def test_deletion_of_a_closed_report_is_immediate(client, ref):
    complaint = f.closed(name="Zulkarnaen")
    open_private(client, complaint)
    client.post(f"/lacak/{complaint.tracking_code}/hapus-data/", {"erasure-confirm": "on"})
    person = identity(complaint)
    assert person.name == "" and person.phone == "" and person.phone_hash == ""
    assert AuditEntry.objects.filter(action="complainant.erase").exists()
    page = client.get(f"/lacak/{complaint.tracking_code}/", **EN).content.decode()
    assert "Zulkarnaen" not in page


def test_deletion_needs_the_confirmation_box(client, ref):
    complaint = f.closed(name="Zulkarnaen")
    open_private(client, complaint)
    response = client.post(f"/lacak/{complaint.tracking_code}/hapus-data/", {}, **EN)
    assert response.status_code == 400
    assert "Tick the box to confirm." in response.content.decode()
    assert identity(complaint).name == "Zulkarnaen"


def test_withdrawing_consent_sets_the_field_and_notifies_admins(client, ref):
    admin = f.staff(Role.ADMIN)
    complaint = f.dispatched()
    open_private(client, complaint)
    client.post(f"/lacak/{complaint.tracking_code}/persetujuan/")
    assert identity(complaint).consent_withdrawn_at is not None
    assert OutboxMessage.objects.filter(template="consent_withdrawn", to_user=admin).exists()
    assert AuditEntry.objects.filter(action="complainant.withdraw_consent").exists()


def test_erase_blanks_every_identity_field(ref):
    complaint = f.received(name="A B", phone="081234567890", email="a@example.org")
    person = data_rights.complainant_erase(identity(complaint))
    person.refresh_from_db()
    assert all(getattr(person, field) == "" for field in data_rights.IDENTITY_FIELDS)
    assert (person.phone_hash, person.email_hash, person.nik_hash, person.messenger_hash) == (
        ("",) * 4
    )
