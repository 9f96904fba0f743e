"""Back-office pages of the reports app. Targets (issue 7, Pasal 7(4)a): the scorecard of a month
per agency with green/amber/red, and the chair's form for targets.

Who: the chair writes; the coordination team (member, patron), the regent and the Dinas admin
read. A liaison or agency head does not open this page (403): it compares every agency, and
their own agency's figures belong on their dashboard (S3)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from aduan.accounts.roles import Role
from aduan.agencies.models import Agency
from aduan.backoffice.auth import staff_required
from aduan.core import clock
from aduan.core.exceptions import ApplicationError

from .indicators import agency_scorecard
from .models import Indicator, Target
from .targets import can_set_targets, target_delete, target_set

TARGET_READERS = (Role.CHAIR, Role.MEMBER, Role.PATRON, Role.REGENT, Role.ADMIN)


class TargetForm(forms.Form):
    indicator = forms.ChoiceField(label=gettext_lazy("indicator"), choices=Indicator.choices)
    agency = forms.ModelChoiceField(
        label=gettext_lazy("agency"),
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label=gettext_lazy("All agencies"),
    )
    period_start = forms.DateField(
        label=gettext_lazy("from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label=gettext_lazy("until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    value = forms.DecimalField(label=gettext_lazy("target"), max_digits=7, decimal_places=2)
    amber_margin = forms.DecimalField(
        label=gettext_lazy("amber margin"), max_digits=7, decimal_places=2, initial=0
    )


def month_period(raw: str | None) -> tuple[dt.date, dt.date, str]:
    """`YYYY-MM` (the month picker) → first and last day; the current month when missing/bad."""
    today = clock.local_date()
    try:
        year, month = (int(part) for part in (raw or "").split("-"))
        first = dt.date(year, month, 1)
    except ValueError:
        first = today.replace(day=1)
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first, following - dt.timedelta(days=1), f"{first:%Y-%m}"


@staff_required(roles=TARGET_READERS)
@require_http_methods(["GET", "POST"])
def targets(request: HttpRequest) -> HttpResponse:
    start, end, month = month_period(request.GET.get("bulan"))
    chair = can_set_targets(request.user)
    form = TargetForm(initial={"period_start": start, "period_end": end, "amber_margin": 0})
    if request.method == "POST":
        if not chair:
            raise DjangoPermissionDenied
        form = TargetForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                target_set(by=request.user, **data)  # type: ignore[arg-type]
            except ApplicationError as error:
                form.add_error(error.extra.get("field"), error.message)
            else:
                messages.success(request, _("Target saved."))
                return HttpResponseRedirect(f"{reverse('backoffice:report_targets')}?bulan={month}")
    context: dict[str, Any] = {
        "month": month,
        "period_start": start,
        "period_end": end,
        "indicators": list(Indicator),
        "rows": agency_scorecard(start, end),
        "targets": Target.objects.filter(period_start__lte=end, period_end__gte=start)
        .select_related("agency")
        .order_by("indicator", "agency__name"),
        "can_edit": chair,
        "form": form if chair else None,
    }
    return render(request, "reports/targets.html", context)


@staff_required(roles=TARGET_READERS)
@require_POST
def target_remove(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_set_targets(request.user):
        raise DjangoPermissionDenied
    target = get_object_or_404(Target, pk=pk)
    month = f"{target.period_start:%Y-%m}"
    target_delete(by=request.user, target=target)  # type: ignore[arg-type]
    messages.success(request, _("Target removed."))
    return HttpResponseRedirect(f"{reverse('backoffice:report_targets')}?bulan={month}")
