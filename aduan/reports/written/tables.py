"""The report's sections as plain tables of native values (int, float, date, str), the one
source of the XLSX sheets and the CSV files. Labels are in Bahasa Indonesia (the caller
activates the language)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from .data import AnnexRow, ReportData, Row


@dataclass
class Table:
    caption: str
    header: list[str]
    rows: list[list[Any]] = field(default_factory=list)


@dataclass
class Section:
    key: str  # file/sheet name part, ASCII
    title: str  # sheet title (at most 31 characters)
    tables: list[Table]


def _num(value: Decimal | float | int | None) -> float | int | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    return value


def _count_table(caption: str, first: str, rows: list[Row]) -> Table:
    return Table(
        caption,
        [first, _("Number"), _("Share (per cent)")],
        [[r.label, r.count, _num(r.share)] for r in rows],
    )


def sections(data: ReportData) -> list[Section]:
    """Sections 1-9 (the annex is streamed separately: `annex_header`, `annex_values`)."""
    summary = Table(
        _("Key figures of the period"),
        [_("Figure"), _("Value")],
        [
            *([[_("Agency"), data.agency_name]] if data.agency_id is not None else []),
            [_("Period"), data.label],
            [_("From"), data.start],
            [_("Until"), data.end],
            [_("Figures as at"), data.as_of.replace(tzinfo=None, microsecond=0)],
            [_("Complaints received"), data.received],
            [_("Received in the previous period"), data.previous_received],
            [_("Change against the previous period"), data.change],
            [_("Dispatched to an agency"), data.funnel.dispatched],
            [_("Answered by an agency"), data.funnel.responded],
            [_("Closed"), data.funnel.closed],
            [_("Archived"), data.funnel.archived],
            [_("Confidential complaints"), data.private_count],
            *[[str(i.label), _num(data.overall.get(i))] for i in data.indicators],
            [_("Open complaints past their deadline now (all periods)"), data.overdue_now],
        ],
    )
    time_table = Table(
        _("Received per week (week starting)")
        if data.over_time_unit == "week"
        else _("Received per month"),
        [_("Week starting") if data.over_time_unit == "week" else _("Month"), _("Number")],
        [[day, n] for day, n in data.over_time],
    )
    sat = data.satisfaction
    satisfaction = Table(
        _("Satisfaction ratings (1 = very dissatisfied, 5 = very satisfied)"),
        [_("Rating"), _("Number")],
        [[score, n] for score, n in sorted(sat.distribution.items())],
    )
    responses = Table(
        _("Complainants' responses"),
        [_("Figure"), _("Value")],
        [
            [_("Rated complaints"), sat.count],
            [_("Average rating"), round(sat.mean, 2) if sat.mean is not None else None],
            [_("Complaints with a follow-up by the complainant"), data.followed_up],
            [_("Follow-ups in total"), data.follow_ups],
        ],
    )
    comments = Table(
        _("Latest comments (confidential complaints left out, personal data masked)"),
        [_("Rating"), _("Comment")],
        [[c.satisfaction, c.text] for c in sat.comments],
    )
    agencies = Table(
        _("Performance per agency against the targets"),
        [_("Agency"), _("Indicator"), _("Value"), _("Target"), _("Status")],
    )
    rag_words = {"green": _("green"), "amber": _("amber"), "red": _("red")}
    for a in data.agencies:
        agencies.rows.append([a.name, _("complaints received"), a.received, None, ""])
        for cell in a.cells:
            target = cell["target"]
            agencies.rows.append(
                [
                    a.name,
                    str(cell["indicator"].label),
                    _num(cell["value"]),
                    _num(target.value) if target is not None else None,
                    rag_words.get(cell["rag"] or "", ""),
                ]
            )
    notes = Table(
        _("Notes and recommendations"),
        [_("Part"), _("Text")],
        [[_("Notes"), data.narrative], [_("Recommendations"), data.recommendations]],
    )
    return [
        Section("1-ringkasan", _("1 Summary"), [summary]),
        Section(
            "2-materi-kategori",
            _("2 Subject and category"),
            [
                _count_table(_("By kind"), _("Kind"), data.by_kind),
                _count_table(_("By category"), _("Category"), data.by_category),
                _count_table(_("By sub-category (as set)"), _("Sub-category"), data.by_subcategory),
                _count_table(_("By district (kecamatan)"), _("District"), data.by_kecamatan),
                _count_table(_("By agency handling it"), _("Agency"), data.by_agency),
            ],
        ),
        Section(
            "3-waktu-penerimaan",
            _("3 Time received"),
            [_count_table(_("By channel"), _("Channel"), data.by_channel), time_table],
        ),
        Section(
            "4-status",
            _("4 Settlement status"),
            [_count_table(_("By status"), _("Status"), data.by_status)],
        ),
        Section(
            "5-hasil-penanganan",
            _("5 Handling results"),
            [_count_table(_("By handling result"), _("Result"), data.by_resolution)],
        ),
        Section(
            "6-tanggapan-pengadu",
            _("6 Complainants' responses"),
            [satisfaction, responses, comments],
        ),
        Section(
            "7-penyebab",
            _("7 Causes"),
            [_count_table(_("Causes recorded by the agencies"), _("Cause"), data.by_cause)],
        ),
        Section("8-kinerja-opd", _("8 Agency performance"), [agencies]),
        Section("9-catatan-rekomendasi", _("9 Notes"), [notes]),
    ]


def annex_header() -> list[str]:
    return [
        _("Tracking code"),
        _("Received"),
        _("Kind"),
        _("Category"),
        _("Agency"),
        _("Channel"),
        _("Status"),
        _("First response"),
        _("Working days"),
    ]


def annex_values(row: AnnexRow) -> list[Any]:
    return [
        row.tracking_code,
        row.received,
        row.kind,
        row.category,
        row.agency,
        row.channel,
        row.status,
        row.responded,
        row.working_days,
    ]


def annex_note(data: ReportData) -> str:
    listed, private = data.annex_listed, data.annex_private
    return _(
        "%(listed)s complaints listed; %(private)s confidential complaints counted but not "
        "listed. No complainant's identity. Working days: from receipt to the agency's first "
        "response, weekends and holidays not counted."
    ) % {"listed": listed, "private": private}


def annex_title() -> str:
    return _("Annex")
