"""Moderation for the public portal (Pasal 4(3), R8): `/kantor/moderasi/`."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aduan.accounts.roles import Role
from aduan.audit.models import AuditEntry
from aduan.complaints.models import Complaint
from aduan.complaints.tests import factories as f
from aduan.complaints.tests.factories import ref  # noqa: F401  (fixture)

from .support import signed_in

pytestmark = pytest.mark.django_db
QUEUE = "/kantor/moderasi/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
BODY = (
    "Pak Budi Santoso di kantor desa minta uang. Hubungi saya di 0812 3456 7890 "
    "atau warga@contoh.id, NIK 7404012345678901."
)


@pytest.fixture
def admin(ref: Any) -> Any:  # noqa: F811
    return f.staff(Role.ADMIN)


@pytest.fixture
def client_admin(client: Any, admin: Any) -> Any:
    return signed_in(client, admin)


def review_url(complaint: Complaint) -> str:
    return reverse("backoffice:moderation_review", args=[complaint.pk])


def test_anonymous_is_sent_to_sign_in(client: Any, ref: Any) -> None:  # noqa: F811
    """S3: moderation needs a signed-in admin."""
    complaint = f.dispatched()
    for url in (QUEUE, review_url(complaint)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("backoffice:login"))


@pytest.mark.parametrize(
    "role", [Role.LIAISON, Role.AGENCY_HEAD, Role.MEMBER, Role.CHAIR, Role.PATRON, Role.REGENT]
)
def test_other_roles_are_refused_and_nothing_changes(client: Any, ref: Any, role: Role) -> None:  # noqa: F811
    """S3: only the Dinas admin moderates — even a liaison of the complaint's own agency gets 403
    for the queue, the review and a forged approval POST."""
    complaint = f.dispatched("dpupr")
    agency = f.agency("dpupr") if role in (Role.LIAISON, Role.AGENCY_HEAD) else None
    signed_in(client, f.staff(role, agency=agency))
    assert client.get(QUEUE).status_code == 403
    assert client.get(review_url(complaint)).status_code == 403
    response = client.post(review_url(complaint), {"public_title": "x", "public_body": "y"})
    assert response.status_code == 403
    complaint.refresh_from_db()
    assert not complaint.published


def test_the_queue_lists_verified_public_reports_only(client_admin: Any) -> None:
    """R8: waiting = public, verified, not archived, not yet published; confidential and
    unverified reports are not in it."""
    waiting = f.dispatched(title="Jalan berlubang")
    f.dispatched(private=True, title="Rahasia sekali")
    f.received(title="Belum diverifikasi")
    f.archived(title="Sudah diarsip")
    html = client_admin.get(QUEUE, **EN).content.decode()
    assert waiting.tracking_code in html
    assert "Rahasia sekali" not in html
    assert "Belum diverifikasi" not in html
    assert "Sudah diarsip" not in html
    assert "<caption>" in html and 'scope="col"' in html


def test_the_review_prefills_masked_text_and_highlights_the_masks(client_admin: Any) -> None:
    """R8, Pasal 4(3): phone, email and NIK are masked in the suggestion and marked; the
    complainant's original is shown as it is."""
    complaint = f.dispatched(body=BODY)
    html = client_admin.get(review_url(complaint), **EN).content.decode()
    assert "<mark>" in html
    assert "1 phone number" in html and "1 email address" in html and "1 NIK" in html
    textarea = html.split('name="public_body"', 1)[1].split("</textarea>", 1)[0]
    assert "0812 3456 7890" not in textarea and "warga@contoh.id" not in textarea
    assert "7404012345678901" not in textarea and "[…]" in textarea
    assert "0812 3456 7890" in html.split('id="original-title"', 1)[1].split("</section>")[0]


def test_approving_publishes_the_edited_text_keeps_the_original_and_is_audited(
    client_admin: Any, admin: Any
) -> None:
    """R8: the admin removes the reported person's name; the public copy is masked again (a
    number typed in is masked too); title/body stay as the complainant wrote them (S14)."""
    complaint = f.dispatched(body=BODY)
    response = client_admin.post(
        review_url(complaint),
        {
            "public_title": "Pungutan di kantor desa",
            "public_body": "Seorang petugas di kantor desa minta uang. Kontak 0813 1111 2222.",
        },
    )
    assert response.status_code == 303
    complaint.refresh_from_db()
    assert complaint.published and complaint.published_at is not None
    assert complaint.public_title == "Pungutan di kantor desa"
    assert "Budi" not in complaint.public_body and "0813" not in complaint.public_body
    assert complaint.body == BODY  # the original is kept
    entry = AuditEntry.objects.get(action="complaint.publish")
    assert entry.actor == admin and entry.object_id == str(complaint.pk)


def test_a_confidential_report_is_refused(client_admin: Any) -> None:
    """R7, Pasal 4: a confidential report cannot be reached for moderation nor published by a
    forged POST (404), and nothing is audited as published."""
    complaint = f.dispatched(private=True)
    assert client_admin.get(review_url(complaint)).status_code == 404
    response = client_admin.post(
        review_url(complaint), {"public_title": "Judul", "public_body": "Isi"}
    )
    assert response.status_code == 404
    complaint.refresh_from_db()
    assert not complaint.published
    assert not AuditEntry.objects.filter(action="complaint.publish").exists()


def test_empty_public_text_is_an_error_and_nothing_changes(client_admin: Any) -> None:
    complaint = f.dispatched()
    response = client_admin.post(
        review_url(complaint), {"public_title": "", "public_body": " "}, **EN
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_public_title_error"' in html and 'aria-invalid="true"' in html
    complaint.refresh_from_db()
    assert not complaint.published and complaint.public_title == ""


def test_unpublishing_takes_it_off_the_portal_and_is_audited(client_admin: Any) -> None:
    """R8: unpublish → not published; the public wording is kept for a later approval (S14)."""
    complaint = f.dispatched()
    client_admin.post(review_url(complaint), {"public_title": "Judul", "public_body": "Isi"})
    published = client_admin.get(QUEUE + "?tab=published", **EN).content.decode()
    assert complaint.tracking_code in published
    response = client_admin.post(reverse("backoffice:moderation_unpublish", args=[complaint.pk]))
    assert response.status_code == 303
    complaint.refresh_from_db()
    assert not complaint.published and complaint.public_title == "Judul"
    assert AuditEntry.objects.filter(action="complaint.unpublish").count() == 1
    assert (
        client_admin.get(
            reverse("backoffice:moderation_unpublish", args=[complaint.pk])
        ).status_code
        == 405
    )


@pytest.mark.parametrize("tab", ["waiting", "published"])
def test_the_queue_runs_a_constant_number_of_queries(
    client_admin: Any, admin: Any, tab: str
) -> None:
    """The queue's SQL does not grow with its rows (3 and 30 rows: same count)."""
    from aduan.complaints.publication import complaint_publish
    from aduan.complaints.workflow.actors import Actor

    def make(n: int) -> None:
        for _ in range(n):
            complaint = f.dispatched()
            if tab == "published":
                complaint_publish(complaint=complaint, by=Actor.of(admin), title="T", body="B")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client_admin.get(QUEUE + f"?tab={tab}")
        assert response.status_code == 200
        return len(queries)

    make(3)
    count()  # the first request of a session loads and saves more (session, device)
    few = count()
    make(27)
    many = count()
    assert few == many
    assert Complaint.objects.count() == 30
