from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from aduan.agencies.models import Agency
from aduan.complaints.models import Complaint, DeadlinePolicy, Kind
from aduan.complaints.workflow.states import Status

from ..selectors import public_channels, public_statistics, recent_public_reports

# What each kind means, with an example (R1: complaints, aspirations, information requests).
KIND_HELP = {
    Kind.COMPLAINT: (
        _("Something in a public service is wrong, slow or unfair."),
        _("Example: the road to the health centre has been broken for months."),
    ),
    Kind.ASPIRATION: (
        _("An idea or a wish for your area or for a service."),
        _("Example: please add a street light at the village market."),
    ),
    Kind.INFORMATION_REQUEST: (
        _("You want to know something the government should tell you."),
        _("Example: when will the social assistance for my village be paid?"),
    ),
}


def home(request: HttpRequest) -> HttpResponse:
    """What Aduan is, what can be reported, the procedure with its deadlines, every channel,
    and recent public activity (Pasal 3(2)b, 5(2), 9(1)d; R1, R4, R7, R9, R10, R21)."""
    policy = DeadlinePolicy.current()
    coordinator = Agency.coordinator()
    counts = dict(Complaint.objects.values_list("status").annotate(n=Count("id")).order_by())
    context = {
        "policy": policy,
        "kinds": [(value, label, *KIND_HELP[Kind(value)]) for value, label in Kind.choices],
        "coordinator": coordinator,
        "channels": public_channels(coordinator),
        "recent": recent_public_reports(),
        "statistics": public_statistics(),
        "total": sum(counts.values()),
        "closed": counts.get(Status.CLOSED, 0),
        "in_handling": sum(
            counts.get(s, 0) for s in (Status.DISPATCHED, Status.IN_PROGRESS, Status.RESPONDED)
        ),
    }
    return render(request, "portal/home.html", context)
