"""Home per role, the complaint list with filters and search, saved filters, the CSV export.

Views are thin: parse the request, call a selector (aduan/backoffice/selectors.py) or a service
(aduan/backoffice/saved_filters.py), render. Every view is `staff_required` (no-store). htmx
may ask for a part of a page (the list's results, the home counts); the same URL without htmx
returns the whole page.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from aduan.accounts.access import complaints_visible_to
from aduan.accounts.roles import COORDINATION_ROLES, Role
from aduan.audit.services import audit_record
from aduan.complaints.codes import normalize_tracking_code
from aduan.core import clock
from aduan.core.exceptions import ApplicationError

from .. import selectors
from ..auth import staff_required
from ..filters import ComplaintFilterForm, filter_query_string
from ..models import SavedFilter
from ..saved_filters import saved_filter_delete, saved_filter_save


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


# --- home per role ---------------------------------------------------------------------------

HOME_TEMPLATES: dict[str, str] = {
    Role.ADMIN: "admin",
    Role.LIAISON: "agency",
    Role.AGENCY_HEAD: "agency",
    Role.MEMBER: "coordination",
    Role.CHAIR: "coordination",
    Role.PATRON: "coordination",
    Role.REGENT: "regent",
}


def _home_context(request: HttpRequest, kind: str) -> dict[str, Any]:
    now = clock.now()
    user = request.user
    if kind == "admin":
        return {"home": selectors.admin_home(now)}
    if kind == "agency":
        head = user.role == Role.AGENCY_HEAD  # type: ignore[union-attr]
        return {"home": selectors.agency_home(user, now, head=head), "is_head": head}  # type: ignore[arg-type]
    if kind == "coordination":
        return {"home": selectors.coordination_home(now)}
    return {"home": selectors.regent_home(now)}


@staff_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The page a staff member lands on: what is theirs, what is late, what to do next."""
    kind = HOME_TEMPLATES.get(request.user.role)  # type: ignore[union-attr]
    if kind is None:
        raise Http404
    context = _home_context(request, kind)
    context["kind"] = kind
    context["is_coordination"] = request.user.role in COORDINATION_ROLES  # type: ignore[union-attr,operator]
    if _is_htmx(request) and request.GET.get("part") == "counts":
        return render(request, f"backoffice/queues/_counts_{kind}.html", context)
    return render(request, f"backoffice/queues/home_{kind}.html", context)


# --- the list --------------------------------------------------------------------------------


def _filtered(request: HttpRequest) -> tuple[ComplaintFilterForm, dict[str, Any], str]:
    form = ComplaintFilterForm(request.GET)
    filters = form.filters()
    return form, filters, filter_query_string(request.GET)


@staff_required
@require_GET
def complaint_list(request: HttpRequest) -> HttpResponse:
    """Every complaint the user may see (S3), filtered, searched, sorted, 50 per page."""
    form, filters, query = _filtered(request)
    code = normalize_tracking_code(filters.get("q", ""))
    if code is not None:
        found = complaints_visible_to(request.user).filter(tracking_code=code).first()  # type: ignore[arg-type]
        if found is not None:
            return redirect("backoffice:complaint", pk=found.pk)
    rows = selectors.complaint_list_page_rows(
        selectors.complaint_list_for_staff(request.user, filters)  # type: ignore[arg-type]
    )
    paginator = Paginator(rows, selectors.PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "complaints": page.object_list,
        "query": query,
        "filtered": bool(query),
        "saved_filters": selectors.saved_filter_list(request.user),  # type: ignore[arg-type]
    }
    if _is_htmx(request):
        return render(request, "backoffice/queues/_results.html", context)
    return render(request, "backoffice/queues/list.html", context)


# --- CSV export ------------------------------------------------------------------------------

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection): text starting with
    = + - @ (or a tab / carriage return) gets a leading apostrophe."""
    if value is None:
        return ""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


EXPORT_HEADER = (
    "tracking_code",
    "received_at",
    "kind",
    "channel",
    "state",
    "title",
    "category",
    "area",
    "kecamatan",
    "lead_agency",
    "dispatch_due_at",
    "dispatched_at",
    "response_target_at",
    "response_due_at",
    "responded_at",
    "closed_at",
    "archive_reason",
    "resolution",
    "satisfaction",
)


def _csv_lines(rows: Iterator[tuple[Any, ...]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(EXPORT_HEADER)  # BOM: Excel reads UTF-8
    for row in rows:
        yield writer.writerow([spreadsheet_safe(v) for v in row])


@staff_required
@require_GET
def complaint_export(request: HttpRequest) -> HttpResponse:
    """The current filtered list as CSV, streamed; no identity columns (S1); audited (S14)."""
    _form, filters, query = _filtered(request)
    user = request.user
    count = selectors.complaint_list_for_staff(user, filters).count()  # type: ignore[arg-type]
    audit_record(
        "complaint.export",
        actor=user,
        object_type="complaints.complaint",
        data={"filter": query, "rows": count, "format": "csv"},
    )
    rows = selectors.complaint_export_rows(user, filters)  # type: ignore[arg-type]
    response = StreamingHttpResponse(_csv_lines(rows), content_type="text/csv; charset=utf-8")
    stamp = clock.local_date().isoformat()
    response["Content-Disposition"] = f'attachment; filename="aduan-{stamp}.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response  # type: ignore[return-value]


# --- saved filters ---------------------------------------------------------------------------


@staff_required
@require_POST
def saved_filter_create(request: HttpRequest) -> HttpResponse:
    query = request.POST.get("query", "")
    try:
        saved = saved_filter_save(user=request.user, name=request.POST.get("name", ""), query=query)  # type: ignore[arg-type]
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(
            reverse("backoffice:list") + f"?{filter_query_string(QueryDict(query.lstrip('?')))}"
        )
    messages.success(request, _("Filter saved: %(name)s") % {"name": saved.name})
    return redirect(reverse("backoffice:list") + (f"?{saved.query}" if saved.query else ""))


@staff_required
@require_POST
def saved_filter_remove(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        saved_filter_delete(user=request.user, pk=pk)  # type: ignore[arg-type]
    except SavedFilter.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("Filter deleted."))
    return redirect("backoffice:list")
