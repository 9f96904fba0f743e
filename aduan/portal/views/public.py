"""Public transparency pages: reports, statistics, directory, privacy notice (Pasal 3(2)a, 4(3),
9(1)d; UU 27/2022). Thin views: parse the GET form, call a selector, render."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext

from aduan.agencies.models import Agency
from aduan.reports.charts import Bar, Column, bars, columns

from ..privacy import PRIVACY_NOTICE_VERSION
from ..public_forms import DirectorySearchForm, ReportFilterForm
from ..selectors import (
    PAGE_SIZE,
    directory_agencies,
    public_report_list,
    public_reports,
    public_statistics,
)


def reports(request: HttpRequest) -> HttpResponse:
    """The non-confidential reports; moderated text only for approved ones (Pasal 4(3))."""
    form = ReportFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    filters = form.filters()
    paginator = Paginator(public_report_list(filters), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "items": public_reports(page.object_list),
        "query": query.urlencode(),
        "filtered": any(
            [filters.category, filters.kecamatan, filters.agency, filters.state, filters.q]
        ),
    }
    return render(request, "portal/public_reports.html", context)


def statistics(request: HttpRequest) -> HttpResponse:
    """Transparency numbers with charts and their data tables (Pasal 9(1)d, 13). S1: hidden
    counts (None, `selectors` section comment) stay hidden in the charts too."""
    numbers = public_statistics()
    other = [(gettext("Other categories"), numbers.category_rest)] if numbers.category_rest else []
    context = {
        "s": numbers,
        "month_columns": _hidden_columns([(date_format(m, "M"), n) for m, n in numbers.months]),
        "months": numbers.months,
        "category_bars": _hidden_bars([*numbers.per_category, *other]),
        "agency_bars": _hidden_bars([(row.name, row.received) for row in numbers.agencies]),
        "kecamatan_bars": _hidden_bars(numbers.per_kecamatan),
        "rating_bars": bars(
            (gettext("Score %(score)s") % {"score": score}, n)
            for score, n in numbers.satisfaction_distribution
        ),
    }
    return render(request, "portal/statistics.html", context)


# What a chart writes instead of a hidden count: the bar chart has room for the word, a column
# of the 12-month chart only for a mark, explained in its caption (S1).
HIDDEN_COLUMN_MARK = "*"


def _hidden_bars(pairs: list[tuple[str, int | None]]) -> list[Bar | dict[str, Any]]:
    """Bars where a hidden count (None) is drawn as a marked stub, not at its length: the value
    never reaches the SVG, and the longest bar is the longest shown one."""
    hidden = gettext("hidden")
    return [
        bar if n is not None else {"label": bar.label, "value": hidden, "share": 0.0}
        for bar, (_label, n) in zip(bars(pairs), pairs, strict=True)
    ]


def _hidden_columns(pairs: list[tuple[str, int | None]]) -> list[Column | dict[str, Any]]:
    """Columns where a hidden count is a 1-pixel stub marked `HIDDEN_COLUMN_MARK`."""
    drawn = columns((label, n or 0) for label, n in pairs)
    return [
        column
        if n is not None
        else {
            "label": column.label,
            "value": HIDDEN_COLUMN_MARK,
            "x": column.x,
            "width": column.width,
            "height": 1,
            "top": Column.PLOT_BOTTOM - 1,
            "middle": column.middle,
            "show_label": column.show_label,
        }
        for column, (_label, n) in zip(drawn, pairs, strict=True)
    ]


def directory(request: HttpRequest) -> HttpResponse:
    """Every agency's complaint handler, the coordinating Dinas first (Pasal 3(2)a, R3)."""
    form = DirectorySearchForm(request.GET or None)
    q = form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else ""
    return render(
        request,
        "portal/directory.html",
        {"form": form, "agencies": directory_agencies(q), "q": q},
    )


def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy notice the complainant consents to (UU 27/2022), with its version."""
    return render(
        request,
        "portal/privacy.html",
        {"version": PRIVACY_NOTICE_VERSION, "coordinator": Agency.coordinator()},
    )
