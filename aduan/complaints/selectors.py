"""Reads with meaning: queues, overdue lists, the public timeline."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, QuerySet

from aduan.agencies.models import Agency
from aduan.core import clock

from .models import Complaint, Event
from .models.complaint import ComplaintQuerySet
from .workflow.states import Status

QUEUE_RELATED = ("lead_agency", "category", "region")
# Lists never need the private link's token; deferring it saves a decryption per row.
QUEUE_DEFERRED = ("access_token",)


def complaint_list_admin_inbox() -> ComplaintQuerySet:
    """The Dinas's verification inbox: received and returned, oldest deadline first."""
    return (
        Complaint.objects.filter(status__in=[Status.RECEIVED, Status.RETURNED])
        .select_related(*QUEUE_RELATED)
        .defer(*QUEUE_DEFERRED)
        .order_by(F("dispatch_due_at").asc(nulls_last=True), "received_at")
    )


def complaint_list_pending() -> ComplaintQuerySet:
    return (
        Complaint.objects.filter(status=Status.PENDING)
        .select_related(*QUEUE_RELATED)
        .defer(*QUEUE_DEFERRED)
        .order_by("autoarchive_at")
    )


def complaint_list_agency_queue(agency: Agency) -> ComplaintQuerySet:
    """A liaison's queue: dispatched and in progress at their agency, by response deadline."""
    return (
        Complaint.objects.filter(
            lead_agency=agency, status__in=[Status.DISPATCHED, Status.IN_PROGRESS]
        )
        .select_related(*QUEUE_RELATED)
        .defer(*QUEUE_DEFERRED)
        .order_by(F("response_due_at").asc(nulls_last=True), "dispatched_at")
    )


def complaint_list_overdue(
    at: dt.datetime | None = None, agency: Agency | None = None
) -> ComplaintQuerySet:
    """Complaints past a deadline now (Pasal 7(5)a), most overdue first."""
    qs = (
        Complaint.objects.overdue(at or clock.now())
        .select_related(*QUEUE_RELATED)
        .defer(*QUEUE_DEFERRED)
    )
    if agency is not None:
        qs = qs.filter(lead_agency=agency)
    return qs.order_by(
        F("response_due_at").asc(nulls_last=True), F("dispatch_due_at").asc(nulls_last=True)
    )


def complaint_public_timeline(complaint: Complaint) -> QuerySet[Event]:
    """The events anyone with the tracking code may see: no notes, no identity."""
    return (
        complaint.events.filter(is_public=True)
        .select_related("agency")
        .order_by("created_at", "id")
    )
