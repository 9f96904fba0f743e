"""Back-office pages of the written report, under `/kantor/laporan/tertulis/`: the archive and
drafts (with the chair's "make a report" form), a report's preview (the same body as the PDF)
with the chair's notes and the issue button, and the audited downloads (S14). Readers: the
chair, members, patron, regent and Dinas admin; heads and liaisons get 403 (S3)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from aduan.backoffice.auth import staff_required
from aduan.core import clock
from aduan.core.exceptions import ApplicationError
from aduan.core.ratelimit import client_ip
from aduan.reports.models import IssuedReport, PeriodKind

from .build import SUFFIX
from .data import annex_rows, report_data_build
from .pdf import REPORT_LANGUAGE, report_context
from .periods import period_label, period_slug, previous_month
from .services import (
    REPORT_READERS,
    can_write_reports,
    report_create,
    report_file_open,
    report_issue,
    report_notes_set,
)

PREVIEW_ANNEX_MAX = 100


class CreateForm(forms.Form):
    period_kind = forms.ChoiceField(label=gettext_lazy("Period"), choices=PeriodKind.choices)
    month = forms.CharField(
        label=gettext_lazy("A month in the period"),
        widget=forms.DateInput(attrs={"type": "month"}),
        help_text=gettext_lazy(
            "The report covers the month, quarter, semester or year containing it."
        ),
    )

    def clean_month(self) -> dt.date:
        try:
            year, month = (int(part) for part in self.cleaned_data["month"].split("-"))
            return dt.date(year, month, 1)
        except ValueError:
            raise forms.ValidationError(_("Give a month as YYYY-MM.")) from None


class NotesForm(forms.Form):
    narrative = forms.CharField(
        label=gettext_lazy("Notes"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    recommendations = forms.CharField(
        label=gettext_lazy("Recommendations"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )


def _labelled(reports: list[IssuedReport]) -> list[dict[str, Any]]:
    with translation.override(REPORT_LANGUAGE):
        return [
            {"report": r, "label": period_label(r.period_kind, r.period_start)} for r in reports
        ]


@staff_required(roles=REPORT_READERS)
@require_http_methods(["GET", "POST"])
def report_list(request: HttpRequest) -> HttpResponse:
    chair = can_write_reports(request.user)
    last_month, _end = previous_month(clock.local_date())
    form = CreateForm(initial={"period_kind": PeriodKind.MONTH, "month": f"{last_month:%Y-%m}"})
    if request.method == "POST":
        if not chair:
            raise DjangoPermissionDenied
        form = CreateForm(request.POST)
        if form.is_valid():
            try:
                report = report_create(
                    by=request.user,  # type: ignore[arg-type]
                    period_kind=form.cleaned_data["period_kind"],
                    day=form.cleaned_data["month"],
                )
            except ApplicationError as error:
                form.add_error("month", error.message)
            else:
                return HttpResponseRedirect(reverse("backoffice:report_written", args=[report.pk]))
    reports = list(IssuedReport.objects.select_related("issued_by"))
    context = {
        "issued": _labelled([r for r in reports if r.is_issued]),
        "drafts": _labelled([r for r in reports if not r.is_issued]),
        "form": form if chair else None,
    }
    return render(request, "reports/written/list.html", context)


@staff_required(roles=REPORT_READERS)
@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(IssuedReport, pk=pk)
    chair = can_write_reports(request.user)
    form = NotesForm(
        initial={"narrative": report.narrative, "recommendations": report.recommendations}
    )
    if request.method == "POST":
        if not chair:
            raise DjangoPermissionDenied
        form = NotesForm(request.POST)
        if form.is_valid():
            try:
                report_notes_set(by=request.user, report=report, **form.cleaned_data)  # type: ignore[arg-type]
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Notes saved."))
                return HttpResponseRedirect(request.path)
    data = report_data_build(
        report.period_kind,
        report.period_start,
        report.period_end,
        narrative=report.narrative,
        recommendations=report.recommendations,
    )
    with translation.override(REPORT_LANGUAGE):
        body = render_to_string(
            "reports/written/_body.html",
            report_context(
                data,
                annex=annex_rows(data.start, data.end, limit=PREVIEW_ANNEX_MAX),
                limit=PREVIEW_ANNEX_MAX,
                status=report.status,
                issued_at=report.issued_at,
            ),
        )
        label = period_label(report.period_kind, report.period_start)
    context = {
        "report": report,
        "label": label,
        "body": body,  # a SafeString: our own template, autoescaped
        "form": form if chair and not report.is_issued else None,
        "can_issue": chair and not report.is_issued,
        "formats": [("pdf", "PDF"), ("xlsx", "XLSX"), ("csv", "CSV (zip)")],
    }
    return render(request, "reports/written/detail.html", context)


@staff_required(roles=REPORT_READERS)
@require_POST
def report_issue_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_write_reports(request.user):
        raise DjangoPermissionDenied
    report = get_object_or_404(IssuedReport, pk=pk)
    try:
        report_issue(by=request.user, report=report)  # type: ignore[arg-type]
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The report has been issued and archived."))
    return HttpResponseRedirect(reverse("backoffice:report_written", args=[report.pk]))


@staff_required(roles=REPORT_READERS)
@require_http_methods(["GET"])
def report_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    report = get_object_or_404(IssuedReport, pk=pk)
    try:
        handle = report_file_open(by=request.user, report=report, fmt=fmt, ip=client_ip(request))  # type: ignore[arg-type]
    except ApplicationError:
        raise Http404 from None
    name = f"laporan-{period_slug(report.period_kind, report.period_start)}.{SUFFIX[fmt]}"
    return FileResponse(handle, as_attachment=True, filename=name)
