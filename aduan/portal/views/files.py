"""Attachments, served only through this authorising view (S4).

`/berkas/<token>/`: the token is a signature of the attachment's id (salt "aduan.attachment"),
so URLs cannot be guessed or enumerated; the signature alone grants nothing. The file is served
when the browser session holds the complainant's grant for the attachment's complaint and the
attachment is not internal, or when the signed-in staff user may see the complaint
(`complaint_get_for_user`; each staff download is audited). Everything else is a 404, whether
the attachment exists or not.

Re-encoded images are shown inline with their real type; everything else is a download
(`Content-Disposition: attachment`). Every answer carries `nosniff`, `private, no-store` and a
CSP that forbids everything and sandboxes the document, so even a hostile PDF opened in the
browser runs nothing on our origin.
"""

from __future__ import annotations

from django.core import signing
from django.http import FileResponse, Http404, HttpRequest
from django.urls import reverse
from django.views.decorators.http import require_safe

from aduan.accounts.access import complaint_get_for_user
from aduan.audit.services import audit_record
from aduan.complaints.models import Attachment
from aduan.complaints.uploads import INLINE_IMAGE_TYPES, PDF_TYPE, download_name
from aduan.core.exceptions import PermissionDenied
from aduan.core.ratelimit import client_ip
from aduan.portal.access import has_access

SALT = "aduan.attachment"
FILE_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox"


def attachment_token(attachment: Attachment | int) -> str:
    pk = attachment if isinstance(attachment, int) else attachment.pk
    return signing.Signer(salt=SALT).sign(str(pk))


def attachment_url(attachment: Attachment | int) -> str:
    """The only URL an attachment has (templates: `{{ attachment|attachment_url }}`)."""
    return reverse("portal:file", kwargs={"token": attachment_token(attachment)})


def _attachment_id(token: str) -> int:
    try:
        return int(signing.Signer(salt=SALT).unsign(token))
    except (signing.BadSignature, ValueError, TypeError):
        raise Http404 from None


def _is_staff(request: HttpRequest) -> bool:
    """A staff session that passed the second factor (S6): a password alone opens no file."""
    from aduan.backoffice.auth import second_factor_ok

    user = getattr(request, "user", None)
    return bool(
        user is not None
        and user.is_authenticated
        and getattr(user, "role", "")
        and second_factor_ok(request)
    )


@require_safe
def file_download(request: HttpRequest, token: str) -> FileResponse:
    attachment = (
        Attachment.objects.select_related("complaint").filter(pk=_attachment_id(token)).first()
    )
    if attachment is None:
        raise Http404
    if _is_staff(request):
        try:
            complaint_get_for_user(user=request.user, pk=attachment.complaint_id)  # type: ignore[arg-type]
        except PermissionDenied:
            raise Http404 from None
        audit_record(
            "attachment.download",
            actor=request.user,
            obj=attachment,
            ip_address=client_ip(request),
            data={"complaint": attachment.complaint_id},
        )
    elif attachment.is_internal or not has_access(request, attachment.complaint):
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    content_type = attachment.content_type
    inline = content_type in INLINE_IMAGE_TYPES
    if not inline and content_type != PDF_TYPE:
        content_type = "application/octet-stream"
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=download_name(attachment.original_name, attachment.content_type),
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Referrer-Policy"] = "no-referrer"
    return response
