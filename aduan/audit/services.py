"""Writing the audit log. Called by transitions, reveals, exports and the auth signals."""

from __future__ import annotations

from typing import Any

from django.db import models

from aduan.core.request_context import request_id

from .models import AuditEntry


def audit_record(
    action: str,
    *,
    actor: Any = None,
    actor_label: str | None = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    ip_address: str | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one audit row. `actor` is a User, an Actor (workflow) or None for the system."""
    user = getattr(actor, "user", actor)
    if user is not None and not getattr(user, "pk", None):
        user = None
    role = getattr(actor, "role", "") or getattr(user, "role", "") or ""
    agency_code = ""
    agency = getattr(user, "agency", None)
    if agency is not None:
        agency_code = agency.code
    label = actor_label or (user.get_username() if user is not None else (str(role) or "system"))
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    return AuditEntry.objects.create(
        actor=user,
        actor_label=label[:150],
        actor_role=str(role),
        actor_agency=agency_code,
        action=action,
        object_type=object_type,
        object_id=object_id,
        request_id=request_id.get() if request_id.get() != "-" else "",
        ip_address=ip_address,
        data=data or {},
    )
