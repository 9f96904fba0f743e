"""Publication on the public portal (Pasal 4(3): R-ids in REGULATION.md; S1)."""

import pytest

from aduan.accounts.roles import Role
from aduan.audit.models import AuditEntry
from aduan.complaints.publication import complaint_publish, complaint_unpublish
from aduan.complaints.workflow.actors import Actor
from aduan.core.exceptions import ApplicationError, PermissionDenied

from . import factories as f

pytestmark = pytest.mark.django_db


def test_publish_masks_personal_data_and_keeps_the_original(ref):
    complaint = f.dispatched()
    original = (complaint.title, complaint.body)
    complaint = complaint_publish(
        complaint=complaint,
        by=Actor.system(),
        title="Jalan rusak, hubungi 0812 3456 7890",
        body="Email saya budi@example.org, NIK 7404011234567890.",
    )
    assert complaint.published and complaint.published_at
    assert "0812" not in complaint.public_title
    assert "budi@example.org" not in complaint.public_body
    assert "7404011234567890" not in complaint.public_body
    assert (complaint.title, complaint.body) == original
    assert AuditEntry.objects.filter(action="complaint.publish").count() == 1


def test_confidential_reports_are_never_published(ref):
    """S1/rahasia: a private complaint cannot be approved for the portal."""
    complaint = f.dispatched(private=True)
    with pytest.raises(ApplicationError):
        complaint_publish(complaint=complaint, by=Actor.system(), title="t", body="b")
    complaint.refresh_from_db()
    assert not complaint.published


def test_only_the_admin_publishes(ref):
    complaint = f.dispatched()
    liaison = f.actor(Role.LIAISON, agency=complaint.lead_agency)
    with pytest.raises(PermissionDenied):
        complaint_publish(complaint=complaint, by=liaison, title="t", body="b")
    admin = f.actor(Role.ADMIN)
    complaint_publish(complaint=complaint, by=admin, title="t", body="b")
    complaint = complaint_unpublish(complaint=complaint, by=admin)
    assert not complaint.published


def test_s1_the_public_copy_never_holds_the_complainants_identity(ref):
    """S1: even if the moderator keeps the complainant's signature, the stored public copy (which
    pages and the search index read) has their name, phone and email taken out."""
    complaint = f.dispatched(anonymous=True)
    who = complaint.complainant
    who.name, who.phone, who.email = "Zulkarnaen Wibisono", "+6281299887766", "zw@example.org"
    who.save()
    complaint = complaint_publish(
        complaint=complaint,
        by=Actor.system(),
        title="Jalan rusak kata Zulkarnaen",
        body="Salam, Zulkarnaen Wibisono (0812-9988-7766, zw@example.org)",
    )
    stored = complaint.public_title + complaint.public_body
    for value in ("Zulkarnaen", "Wibisono", "9988", "zw@example.org"):
        assert value not in stored
