"""Publication on the public portal (Pasal 4(3), 5(2)): the Dinas admin approves a report and
its public wording. The complainant's own title and text are never changed; the public copy is
PII-masked and may be edited (names of reported persons removed). The moderation screens are
the back-office's; this is the one place that writes publication state."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from aduan.audit.services import audit_record
from aduan.core import clock
from aduan.core.exceptions import ApplicationError, PermissionDenied

from .models import Complainant, Complaint
from .redaction import public_text
from .services import TITLE_MAX
from .workflow.actors import Actor
from .workflow.states import ActorRole, Status


def _complainant(complaint: Complaint) -> Complainant | None:
    return Complainant.objects.filter(complaint=complaint).first()


def suggested_public_text(complaint: Complaint) -> tuple[str, str]:
    """The starting point for moderation: the complainant's words with PII masked and their
    own name, phone, email and address taken out (S1)."""
    who = _complainant(complaint)
    return public_text(complaint.title, who), public_text(complaint.body, who)


def _require_admin(by: Actor) -> None:
    if by.role not in (ActorRole.ADMIN, ActorRole.SYSTEM):
        raise PermissionDenied(_("Only the Dinas admin may publish reports."), code="forbidden")


@transaction.atomic
def complaint_publish(*, complaint: Complaint, by: Actor, title: str, body: str) -> Complaint:
    """Approve `complaint` for the public portal with the given public wording (masked again)."""
    _require_admin(by)
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if complaint.private:
        raise ApplicationError(
            _("A confidential report is never published."), code="private_complaint"
        )
    if complaint.status == Status.ARCHIVED:
        raise ApplicationError(_("An archived report is not published."), code="archived")
    # Whatever the moderator typed, the stored public copy never holds the complainant's
    # identity (S1): pages, the search index and exports read only this copy.
    who = _complainant(complaint)
    title = public_text(" ".join(title.split()), who)
    body = public_text(body.strip(), who)
    if not title or not body:
        raise ApplicationError(_("Give the public title and text."), code="required")
    complaint.public_title = title[:TITLE_MAX]
    complaint.public_body = body
    complaint.published = True
    complaint.published_at = clock.now()
    complaint.save(update_fields=["public_title", "public_body", "published", "published_at"])
    audit_record("complaint.publish", actor=by, obj=complaint)
    return complaint


@transaction.atomic
def complaint_unpublish(*, complaint: Complaint, by: Actor) -> Complaint:
    _require_admin(by)
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    complaint.published = False
    complaint.save(update_fields=["published"])
    audit_record("complaint.unpublish", actor=by, obj=complaint)
    return complaint
