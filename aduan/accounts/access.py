"""Permission-checked access to complaints: the only way views obtain one (S3).

Admins, the coordination team and the regent see every complaint; a liaison officer or an
agency head sees those of their agency (as lead or co-agency). Identity is a separate
question (the privacy model), answered by `can_see_identity`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext as _

from aduan.audit.services import audit_record
from aduan.core.exceptions import PermissionDenied

from .roles import AGENCY_ROLES, Role

if TYPE_CHECKING:
    from aduan.complaints.models import Complaint
    from aduan.complaints.models.complaint import ComplaintQuerySet
    from aduan.complaints.workflow.actors import Actor

    from .models import User

ALL_COMPLAINTS_ROLES = frozenset({Role.ADMIN, Role.MEMBER, Role.CHAIR, Role.PATRON, Role.REGENT})


def complaints_visible_to(user: User) -> ComplaintQuerySet:
    from aduan.complaints.models import Complaint

    if not user.is_active or not user.role:
        return Complaint.objects.none()
    if user.role in ALL_COMPLAINTS_ROLES:
        return Complaint.objects.all()
    if user.role in AGENCY_ROLES and user.agency_id:
        # A subquery, not a join: no DISTINCT, so counts and pages stay on the indexes.
        co_agency = Complaint.co_agencies.through.objects.filter(agency_id=user.agency_id)
        return Complaint.objects.filter(
            Q(lead_agency_id=user.agency_id) | Q(pk__in=co_agency.values("complaint_id"))
        )
    return Complaint.objects.none()


def complaint_get_for_user(*, user: User, pk: int) -> Complaint:
    """The complaint, if `user` may see it; otherwise PermissionDenied (logged, S14)."""
    complaint = complaints_visible_to(user).filter(pk=pk).first()
    if complaint is None:
        audit_record(
            "access.denied", actor=user, object_type="complaints.complaint", object_id=str(pk)
        )
        raise PermissionDenied(_("You do not have access to this complaint."), code="no_access")
    return complaint


def complaint_check_staff_access(*, complaint: Complaint, actor: Actor) -> None:
    user = actor.user
    if user is None or not complaints_visible_to(user).filter(pk=complaint.pk).exists():
        audit_record("access.denied", actor=actor, obj=complaint)
        raise PermissionDenied(_("You do not have access to this complaint."), code="no_access")


def can_see_identity(*, user: User, complaint: Complaint) -> bool:
    """Whether the complainant's identity may be shown to `user` without a reveal (R7, S1).

    Anonymous complaints: nobody (an admin may reveal it, with a reason, logged — S2).
    Otherwise: admins, and the staff of the lead agency.
    """
    if complaint.anonymous or not user.is_active:
        return False
    if user.role == Role.ADMIN:
        return True
    return (
        user.role in AGENCY_ROLES
        and user.agency_id is not None
        and user.agency_id == complaint.lead_agency_id
    )
