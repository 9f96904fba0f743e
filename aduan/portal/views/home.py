from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from aduan.agencies.models import Agency
from aduan.complaints.models import Complaint, DeadlinePolicy, Kind
from aduan.complaints.workflow.states import Status


def home(request: HttpRequest) -> HttpResponse:
    """What Aduan is, what can be reported, the deadlines, and recent public activity."""
    policy = DeadlinePolicy.current()
    counts = dict(Complaint.objects.values_list("status").annotate(n=Count("id")).order_by())
    context = {
        "policy": policy,
        "kinds": Kind.choices,
        "coordinator": Agency.coordinator(),
        "total": sum(counts.values()),
        "closed": counts.get(Status.CLOSED, 0),
        "in_handling": sum(
            counts.get(s, 0) for s in (Status.DISPATCHED, Status.IN_PROGRESS, Status.RESPONDED)
        ),
    }
    return render(request, "portal/home.html", context)
