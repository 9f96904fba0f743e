"""Back-office pages of the reports app (issue 7).

The dashboard (Pasal 7(4)a, 7(5)a, 7(6)d, 12, 13): every staff role; the see-all roles over every
agency, a liaison or agency head only over their own (S3, see `dashboard.py`); each section has a
CSV download, audited (S14), without identity (S1).

Targets (Pasal 7(4)a): the scorecard of a month per agency with green/amber/red, and the chair's
form for targets.

Who: the chair writes; the coordination team (member, patron), the regent and the Dinas admin
read. A liaison or agency head does not open this page (403): it compares every agency, and
their own agency's figures belong on their dashboard (S3)."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aduan.accounts.roles import Role
from aduan.agencies.models import Agency
from aduan.audit.services import audit_record
from aduan.backoffice.auth import staff_required
from aduan.core import clock
from aduan.core.exceptions import ApplicationError

from . import charts
from .dashboard import (
    Dashboard,
    Table,
    can_open,
    dashboard_build,
    filters_from,
    section_table,
    sort_columns,
)
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


# --- the dashboard ---------------------------------------------------------------------------

CSV_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Charts: the bar charts show the largest buckets; the table beside them has every row.
CHART_ROWS = 12


def _csv_cell(value: Any) -> str:
    """Numbers as numbers; text that a spreadsheet would run as a formula gets an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | Decimal | float):
        return str(value)
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return "'" + text if text.startswith(CSV_FORMULA_PREFIXES) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(table: Table) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([_csv_cell(c) for c in table.columns])
    for row in table.csv_rows():
        yield writer.writerow([_csv_cell(v) for v in row])


def _chart_rows(table: Table, label_col: int = 1, value_col: int = 2) -> list[charts.Bar]:
    return charts.bars(
        (str(row[label_col]), row[value_col].value) for row in table.rows[:CHART_ROWS]
    )


def _charts(board: Dashboard) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for section, table in board.tables.items():
        if section == "volume_by_period":
            out[section] = charts.columns((str(r[1]), r[2].value) for r in table.rows)
        elif section == "overdue":
            out[section] = _chart_rows(table, value_col=4)
        elif section == "satisfaction":
            out[section] = charts.bars(
                (_("Score %(score)s") % {"score": r[0].value}, r[2].value) for r in table.rows
            )
        elif section.startswith("volume_by_") or section in ("funnel", "causes"):
            out[section] = _chart_rows(table)
    return out


@staff_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The monitoring dashboard, or one section as CSV (`?section=…&format=csv`, audited)."""
    user: Any = request.user
    if not can_open(user):
        raise DjangoPermissionDenied
    form, filters = filters_from(request.GET, user)
    query = request.GET.copy()
    for key in ("section", "format", "sort"):
        query.pop(key, None)
    if request.GET.get("format") == "csv":
        section = request.GET.get("section", "")
        table = section_table(user=user, filters=filters, section=section)
        audit_record(
            "report.dashboard_export",
            actor=user,
            object_type="reports.dashboard",
            object_id=section,
            data={
                "section": section,
                "filter": query.urlencode(),
                "period": [filters.period.start.isoformat(), filters.period.end.isoformat()],
                "rows": len(table.rows),
                "format": "csv",
            },
        )
        response = HttpResponse("".join(_csv_lines(table)), content_type="text/csv; charset=utf-8")
        name = f"dasbor-{section}-{filters.period.start:%Y%m%d}-{filters.period.end:%Y%m%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    board = dashboard_build(user=user, filters=filters)
    context: dict[str, Any] = {
        "form": form,
        "board": board,
        "f": filters,
        "period": filters.period,
        "previous": filters.period.previous,
        "tables": board.tables,
        "charts": _charts(board),
        "query": query.urlencode(),
        "sort_columns": sort_columns(),
        "can_read_targets": user.role in TARGET_READERS,
    }
    return render(request, "reports/dashboard.html", context)
