"""`GET /api/v1/statistics`: the portal's statistics as JSON, hiding what the page hides (S1).

The API reads the same `PublicStatistics` as `/statistik/` and publishes only its protected
figures (`months`, `agencies`, the `*_shown` switches), never the raw `per_month` / `per_agency`:
otherwise the API would give back the small counts the page hides, and with the page's shown
cells, the ones hidden with them. A hidden count is null with `suppressed` true, the open data's
JSON convention (`aduan.reports.opendata`). Which cells are hidden is decided in the selector
only (`aduan.portal.selectors`, section "statistics"), so the page, the open data and the API
cannot disagree.
"""

from __future__ import annotations

from typing import Any

from aduan.portal.selectors import PublicAgencyRow, PublicStatistics


def statistics_body(s: PublicStatistics) -> dict[str, Any]:
    """The response of `GET /statistics` (schema `StatisticsOut`)."""
    return {
        "computed_at": s.computed_at,
        "min_count": s.min_count,
        "total": s.total,
        **_headline(s),
        **_satisfaction(s),
        "per_month": [_count(month=f"{m:%Y-%m}", n=n) for m, n in s.months],
        "per_category": [_count(label=label, n=n) for label, n in s.per_category],
        "per_kecamatan": [_count(label=label, n=n) for label, n in s.per_kecamatan],
        "per_agency": [_agency(row) for row in s.agencies],
    }


def _count(n: int | None, **key: str) -> dict[str, Any]:
    """One row of a count table: None is a hidden count."""
    return {**key, "count": n, "suppressed": n is None}


def _headline(s: PublicStatistics) -> dict[str, Any]:
    """The answer counts and shares only from `min_count` answers due, the median only from
    `min_count` answers, as on the page (`shares_shown`, `median_shown`): the share or median
    of one or two answers is those answers' own."""
    shares = s.shares_shown
    return {
        "answered": s.answered if shares else None,
        "late_open": s.late_open if shares else None,
        "on_time": s.on_time if shares else None,
        "on_time_percent": s.on_time_percent,
        "within_target": s.within_target if shares else None,
        "within_target_percent": s.within_target_percent,
        "shares_suppressed": not shares,
        "median_working_days": s.median_working_days if s.median_shown else None,
        "median_suppressed": not s.median_shown,
    }


def _satisfaction(s: PublicStatistics) -> dict[str, Any]:
    """The ratings only from `min_count` ratings (`satisfaction_shown`): the average of one
    rating is that rating. Shown, the scores are not suppressed one by one, like on the page
    (with the average, two hidden scores would be solved back; docs/open-data.md)."""
    shown = s.satisfaction_shown
    return {
        "satisfaction_count": s.satisfaction_count if shown else None,
        "satisfaction_average": s.satisfaction_average if shown else None,
        "satisfaction_distribution": {
            str(score): n if shown else None for score, n in s.satisfaction_distribution
        },
        "satisfaction_suppressed": not shown,
    }


def _agency(row: PublicAgencyRow) -> dict[str, Any]:
    """One agency as the page shows it. `on_time` and `late_open` are never published per
    agency (the page gives only the share): they partition the headline counts, so their small
    cells would need their own protection, and with `answered` and the rounded share a hidden
    one could be solved back."""
    return {
        "agency": row.name,
        "received": row.received,
        "answered": row.answered,
        "on_time": None,
        "late_open": None,
        "on_time_percent": row.on_time_percent,
        "suppressed": row.received is None or row.answered is None or row.on_time_hidden,
        "received_suppressed": row.received is None,
        "answered_suppressed": row.answered is None,
        "on_time_percent_suppressed": row.on_time_hidden,
    }
