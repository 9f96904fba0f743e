"""Attachments are served only through the authorising view `/berkas/<token>/` (S4, S3)."""

from __future__ import annotations

import pytest
from django.core import signing
from django.core.files.base import ContentFile
from django.template import Context, Template
from django.urls import reverse

from aduan.accounts.roles import Role
from aduan.audit.models import AuditEntry
from aduan.backoffice.tests.support import signed_in
from aduan.complaints.models import Attachment, Complaint
from aduan.complaints.services import ComplaintSubmission, IdentityInput, complaint_submit
from aduan.complaints.tests import factories as f
from aduan.complaints.tests.factories import ref  # noqa: F401  (fixture)
from aduan.complaints.tests.uploads_corpus import (
    jpeg,
    media_fixture,  # noqa: F401  (the `media` fixture)
    pdf,
    upload,
)
from aduan.complaints.uploads import upload_accept
from aduan.complaints.workflow import transitions as t
from aduan.portal.access import SESSION_GRANTS
from aduan.portal.views.files import attachment_token, attachment_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ref")]
OWNER = "p" * 64


def complaint_with_files(to: str | None = "dpupr") -> tuple[Complaint, Attachment, Attachment]:
    photo = upload_accept(upload(jpeg(gps=True), "foto jalan.jpg"), owner=OWNER)
    document = upload_accept(upload(pdf(), 'surat "kades"; <x>.html.pdf'), owner=OWNER)
    complaint = complaint_submit(
        submission=ComplaintSubmission(
            channel="web",
            title="Jalan rusak",
            body="Lubang di jalan desa.",
            identity=IdentityInput(name="Warga Unik Sekali", phone="081299998888"),
        ),
        uploads=[photo, document],
    ).complaint
    if to:
        complaint = t.complaint_dispatch(
            complaint=complaint, by=f.actor(Role.ADMIN), agency=f.agency(to)
        )
    image, doc = complaint.attachments.order_by("id")
    return complaint, image, doc


def internal_attachment(complaint: Complaint) -> Attachment:
    attachment = Attachment(
        complaint=complaint,
        original_name="catatan internal.pdf",
        content_type="application/pdf",
        size=len(pdf()),
        sha256="0" * 64,
        is_internal=True,
    )
    attachment.file.save("internal", ContentFile(pdf()), save=True)
    return attachment


def give_grant(client, complaint: Complaint) -> None:
    session = client.session
    session[SESSION_GRANTS] = [complaint.pk]
    session.save()


def test_the_complainant_with_a_grant_sees_an_image_inline(client, media):
    """S4: the session holding the complainant's grant gets the re-encoded image inline, with
    its real type, nosniff, private no-store and a sandboxing CSP."""
    complaint, image, _doc = complaint_with_files()
    give_grant(client, complaint)
    response = client.get(attachment_url(image))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline")
    assert 'filename="foto jalan.jpg"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert (
        response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'; sandbox"
    )
    body = b"".join(response.streaming_content)
    assert body == (media / image.file.name).read_bytes()
    assert b"Exif" not in body


def test_a_pdf_is_always_a_download_with_a_safe_name(client, media):
    """S4: anything but a re-encoded image is `Content-Disposition: attachment`; the name is
    the sanitised original with the real extension."""
    complaint, _image, doc = complaint_with_files()
    give_grant(client, complaint)
    response = client.get(attachment_url(doc))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="surat kades; x.html.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert (
        response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'; sandbox"
    )


def test_an_unknown_stored_type_is_served_as_an_octet_stream_download(client, media):
    """S4: a stored attachment of another type (e.g. from a back-office path) is never sniffed
    or rendered: octet-stream, attachment."""
    complaint, _image, doc = complaint_with_files()
    Attachment.objects.filter(pk=doc.pk).update(content_type="text/html")
    give_grant(client, complaint)
    response = client.get(attachment_url(doc))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


def test_without_a_grant_the_file_is_not_found(client, media):
    """S4, S3: a valid URL alone grants nothing: 404, the same as for a missing file."""
    _complaint, image, _doc = complaint_with_files()
    other, *_ = complaint_with_files()
    give_grant(client, other)  # a grant for another complaint does not help
    assert client.get(attachment_url(image)).status_code == 404


def test_an_internal_attachment_is_not_found_for_the_complainant(client, media):
    """S4: internal attachments are staff-only; the complainant gets a 404."""
    complaint, _image, _doc = complaint_with_files()
    note = internal_attachment(complaint)
    give_grant(client, complaint)
    assert client.get(attachment_url(note)).status_code == 404


def test_staff_of_another_agency_get_404_and_the_refusal_is_audited(client, media):
    """S3, S14: a liaison of another agency cannot fetch the file (404, not 403) and the failed
    authorisation is recorded."""
    _complaint, image, _doc = complaint_with_files(to="dpupr")
    signed_in(client, f.staff(Role.LIAISON, f.agency("disperkim")))
    assert client.get(attachment_url(image)).status_code == 404
    assert AuditEntry.objects.filter(action="access.denied").count() == 1


def test_staff_of_the_lead_agency_download_and_it_is_audited(client, media):
    """S4, S14: the lead agency's liaison gets the file (internal ones too); each staff
    download writes an audit row."""
    complaint, image, _doc = complaint_with_files(to="dpupr")
    note = internal_attachment(complaint)
    signed_in(client, f.staff(Role.LIAISON, f.agency("dpupr")))
    assert client.get(attachment_url(image)).status_code == 200
    assert client.get(attachment_url(note)).status_code == 200
    rows = AuditEntry.objects.filter(action="attachment.download").order_by("id")
    assert [row.object_id for row in rows] == [str(image.pk), str(note.pk)]


def test_an_admin_downloads_any_attachment(client, media):
    _complaint, image, _doc = complaint_with_files(to=None)
    signed_in(client, f.staff(Role.ADMIN))
    assert client.get(attachment_url(image)).status_code == 200


def test_a_staff_session_without_the_second_factor_opens_no_file(client, media):
    """S6: a password alone (e.g. a session opened through the Django admin) is not enough."""
    _complaint, image, _doc = complaint_with_files(to=None)
    client.force_login(f.staff(Role.ADMIN))
    assert client.get(attachment_url(image)).status_code == 404


def test_forged_and_tampered_tokens_are_not_found(client, media):
    """S4: tokens are signatures; the bare id, another id with a copied signature, or a token
    signed with another salt all give 404."""
    complaint, image, doc = complaint_with_files()
    give_grant(client, complaint)
    good = attachment_token(image)
    signature = good.split(":", 1)[1]
    forged = [
        str(image.pk),
        f"{doc.pk}:{signature}",
        signing.Signer(salt="other").sign(str(image.pk)),
        "x" * 300,
    ]
    for token in forged:
        assert client.get(reverse("portal:file", args=[token])).status_code == 404
    assert client.get(reverse("portal:file", args=[good])).status_code == 200


def test_a_missing_file_is_not_found(client, media):
    complaint, image, _doc = complaint_with_files()
    (media / image.file.name).unlink()
    give_grant(client, complaint)
    assert client.get(attachment_url(image)).status_code == 404


def test_only_safe_methods(client, media):
    complaint, image, _doc = complaint_with_files()
    give_grant(client, complaint)
    assert client.post(attachment_url(image)).status_code in (403, 405)


def test_the_template_filter_gives_the_authorising_url(media):
    """S4: templates link to attachments only through the signed view URL, never MEDIA_URL."""
    _complaint, image, _doc = complaint_with_files()
    html = Template("{% load portal_files %}{{ a|attachment_url }}").render(Context({"a": image}))
    assert html == attachment_url(image)
    assert html.startswith("/berkas/") and image.file.name not in html
