"""Back-office pages of the written report, under `/kantor/laporan/tertulis/`: the archive and
drafts (with the chair's "make a report" form), a report's preview (the same body as the PDF)
with the chair's notes and the issue button, and the audited downloads (S14).

Who (S3; services.py): the chair, members, patron, regent and Dinas admin see every report —
the regency's and each agency's — and the chair makes a report of the regency or of any agency
(the form's agency select). An agency's head and liaisons see and make only their own agency's
reports (the head annotates and issues them). A report the user may not see answers 404, as if
it did not exist (nothing leaks), and the refusal is audited (`access.denied`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from aduan.agencies.models import Agency
from aduan.audit.services import audit_record
from aduan.backoffice.auth import staff_required
from aduan.core import clock
from aduan.core.exceptions import ApplicationError
from aduan.core.ratelimit import client_ip
from aduan.reports.models import IssuedReport, PeriodKind

from .build import SUFFIX
from .data import annex_rows, report_data_of, report_snapshot
from .pdf import REPORT_LANGUAGE, report_context
from .periods import period_label, previous_month
from .services import (
    REPORT_PAGE_ROLES,
    can_create_report,
    can_write_report,
    can_write_reports,
    report_create,
    report_file_open,
    report_file_stem,
    report_issue,
    report_notes_set,
    reports_visible_to,
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


class ChairCreateForm(CreateForm):
    """The chair's form: the report of the whole regency or of one agency."""

    agency = forms.ModelChoiceField(
        label=gettext_lazy("Agency"),
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label=gettext_lazy("The whole regency (report to the Regent)"),
        help_text=gettext_lazy(
            "Choose an agency for a report on the complaints that agency leads only."
        ),
    )


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


def _report_for(request: HttpRequest, pk: int) -> IssuedReport:
    """The report if the user may see it (S3); otherwise 404 — the same answer as for a report
    that does not exist — and the refusal audited when it does exist."""
    report = reports_visible_to(request.user).filter(pk=pk).first()
    if report is None:
        if IssuedReport.objects.filter(pk=pk).exists():
            audit_record(
                "access.denied",
                actor=request.user,
                object_type="reports.issuedreport",
                object_id=str(pk),
                ip_address=client_ip(request),
            )
        raise Http404
    return report


def _create_form(request: HttpRequest) -> CreateForm | None:
    """The chair's form (with the agency select), an agency role's (their own agency), or
    None for the roles that only read."""
    user: Any = request.user
    last_month, _end = previous_month(clock.local_date())
    initial = {"period_kind": PeriodKind.MONTH, "month": f"{last_month:%Y-%m}"}
    data = request.POST if request.method == "POST" else None
    if can_write_reports(user):
        return ChairCreateForm(data, initial=initial)
    if can_create_report(user, user.agency_id):
        return CreateForm(data, initial=initial)
    return None


def _create(request: HttpRequest, form: CreateForm) -> HttpResponse | None:
    """Make (or find) the draft the form asks for; the redirect to it, or None (form errors)."""
    user: Any = request.user
    if not form.is_valid():
        return None
    agency = form.cleaned_data.get("agency") if can_write_reports(user) else user.agency
    try:
        report = report_create(
            by=user,
            period_kind=form.cleaned_data["period_kind"],
            day=form.cleaned_data["month"],
            agency=agency,
        )
    except ApplicationError as error:
        form.add_error("month", error.message)
        return None
    return HttpResponseRedirect(reverse("backoffice:report_written", args=[report.pk]))


@staff_required(roles=REPORT_PAGE_ROLES)
@require_http_methods(["GET", "POST"])
def report_list(request: HttpRequest) -> HttpResponse:
    form = _create_form(request)
    if request.method == "POST":
        if form is None:
            raise DjangoPermissionDenied
        done = _create(request, form)
        if done is not None:
            return done
    reports = list(reports_visible_to(request.user))
    user: Any = request.user
    context = {
        "issued": _labelled([r for r in reports if r.is_issued]),
        "drafts": _labelled([r for r in reports if not r.is_issued]),
        "form": form,
        "own_agency": None if can_write_reports(user) else getattr(user, "agency", None),
    }
    return render(request, "reports/written/list.html", context)


@staff_required(roles=REPORT_PAGE_ROLES)
@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for(request, pk)
    chair = can_write_report(request.user, report.agency_id)
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
    # The figures and the annex from one snapshot (the annex is read while rendering).
    with report_snapshot(), translation.override(REPORT_LANGUAGE):
        data = report_data_of(report)
        body = render_to_string(
            "reports/written/_body.html",
            report_context(
                data,
                annex=annex_rows(
                    data.start, data.end, agency=data.agency_id, limit=PREVIEW_ANNEX_MAX
                ),
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


@staff_required(roles=REPORT_PAGE_ROLES)
@require_POST
def report_issue_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for(request, pk)
    if not can_write_report(request.user, report.agency_id):
        raise DjangoPermissionDenied
    try:
        report_issue(by=request.user, report=report)  # type: ignore[arg-type]
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The report has been issued and archived."))
    return HttpResponseRedirect(reverse("backoffice:report_written", args=[report.pk]))


@staff_required(roles=REPORT_PAGE_ROLES)
@require_http_methods(["GET"])
def report_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    report = _report_for(request, pk)
    try:
        handle = report_file_open(by=request.user, report=report, fmt=fmt, ip=client_ip(request))  # type: ignore[arg-type]
    except ApplicationError:
        raise Http404 from None
    name = f"{report_file_stem(report)}.{SUFFIX[fmt]}"
    return FileResponse(handle, as_attachment=True, filename=name)
