"""Helpers for the complaint-page tests (area H3)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from aduan.accounts.models import User
from aduan.audit.models import AuditEntry
from aduan.backoffice.services import version_of
from aduan.backoffice.tests.support import signed_in
from aduan.complaints.models import Complaint, Event, Message

PAGE = "/kantor/aduan/{pk}/"
ACTION = "/kantor/aduan/{pk}/aksi/{verb}/"


def page(client: Client, user: User, complaint: Complaint, **extra: Any) -> Any:
    return signed_in(client, user).get(
        PAGE.format(pk=complaint.pk), HTTP_ACCEPT_LANGUAGE="en", **extra
    )


def form_state(complaint: Complaint) -> dict[str, str]:
    """The hidden fields a rendered form carries."""
    complaint.refresh_from_db()
    return {"state": complaint.status, "version": version_of(complaint)}


def post_action(
    client: Client, user: User, complaint: Complaint, verb: str, data: dict[str, Any] | None = None
) -> Any:
    payload = {**form_state(complaint), **(data or {})}
    return signed_in(client, user).post(
        ACTION.format(pk=complaint.pk, verb=verb), payload, HTTP_ACCEPT_LANGUAGE="en"
    )


def snapshot(complaint: Complaint) -> dict[str, Any]:
    """What must not change when an action is refused."""
    row = Complaint.objects.get(pk=complaint.pk)
    return {
        "status": row.status,
        "lead_agency": row.lead_agency_id,
        "updated_at": row.updated_at,
        "archive_reason": row.archive_reason,
        "events": Event.objects.filter(complaint=complaint).count(),
        "messages": Message.objects.filter(complaint=complaint).count(),
        "related": row.related.count(),
        "co_agencies": sorted(row.co_agencies.values_list("pk", flat=True)),
        "reveals": AuditEntry.objects.filter(
            action="identity.reveal", object_id=str(complaint.pk)
        ).count(),
    }
