"""Reads for the public pages: public reports, statistics, the directory, the channels.

Everything here is public. Two rules hold throughout (Pasal 4, DESIGN.md privacy model, S1):
- confidential (rahasia) complaints are never listed; they count only in anonymous aggregates;
- a complaint's own words are shown only once moderated (`published`), and then only the
  moderated copy (`public_title`/`public_body`) with phone numbers, emails and NIK masked and
  the complainant's own name, contacts and address taken out (`redaction.public_text`, also on
  the responses). The original `title`/`body` are not even loaded (`.only()`).
"""

from __future__ import annotations

import datetime as dt
import re
import statistics as stats
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, cast

from django.conf import settings
from django.core.cache import cache as django_cache
from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce, TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aduan.agencies.models import Agency, Category, Region
from aduan.complaints.models import Clock, Complainant, Complaint, Message
from aduan.complaints.models.complaint import ComplaintQuerySet
from aduan.complaints.redaction import public_text
from aduan.complaints.workflow.states import Status
from aduan.core import clock
from aduan.core.pii import mask_pii
from aduan.reports.aggregates import bucket_order
from aduan.reports.opendata import min_count, protect

PAGE_SIZE = 20
RECENT_SIZE = 5
STATISTICS_CACHE_KEY = "portal:statistics:v2"  # v2: hidden cells (S1)
STATISTICS_CACHE_SECONDS = 600

# The fields a public list may load. Not `title`, `body`, identity or tokens.
PUBLIC_FIELDS = (
    "tracking_code",
    "kind",
    "status",
    "private",
    "published",
    "published_at",
    "public_title",
    "public_body",
    "received_at",
    "first_responded_at",
    "responded_at",
    "closed_at",
    "category__name",
    "region__name",
    "region__level",
    "region__parent__name",
    "lead_agency__name",
    "lead_agency__short_name",
)
PUBLIC_RELATED = ("category", "region__parent", "lead_agency")
VILLAGE_LEVELS = (Region.Level.VILLAGE, Region.Level.URBAN_VILLAGE)
# States a public complaint can be in (public() leaves archived ones out).
PUBLIC_STATES = [(value, label) for value, label in Status.choices if value != Status.ARCHIVED]


# --- public reports -------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportFilters:
    category: Category | None = None
    kecamatan: Region | None = None
    agency: Agency | None = None
    state: str = ""
    q: str = ""


@dataclass(frozen=True)
class PublicReport:
    """One report as the public may see it. `title`, `body` and `response` are empty unless
    the report was approved for publication; they are already PII-masked."""

    code: str
    kind: str
    status: str
    status_label: str
    category: str
    kecamatan: str
    published: bool
    village: str = ""
    agency: str = ""
    received_at: dt.datetime | None = None
    title: str = ""
    body: str = ""
    response: str = ""
    responded_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None

    @property
    def url(self) -> str:
        return reverse("portal:complaint", args=[self.code])


@cache
def search_config() -> str:
    """The PostgreSQL text-search configuration; migration 0004 chose the same one for its
    index (keep the two in step)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = %s", ["indonesian"])
        return "indonesian" if cursor.fetchone() else "simple"


# A search word that looks like a phone number, NIK or email is dropped: masked text must not be
# found by what was masked (S1).
_IDENTIFYING_WORD = re.compile(r"@|\d{5,}")


def search_words(q: str) -> list[str]:
    cleaned = mask_pii(q, " ")
    words = [w for w in cleaned.split() if not _IDENTIFYING_WORD.search(w)]
    return words[:12]


def _search(qs: ComplaintQuerySet, q: str) -> ComplaintQuerySet:
    """Full-text search in the moderated text of published reports only."""
    words = search_words(q)
    if not words:  # only identifying words: nothing public can match them
        return qs.none()
    qs = qs.filter(published=True)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        config = search_config()
        return qs.annotate(
            search=SearchVector("public_title", "public_body", config=config)
        ).filter(search=SearchQuery(" ".join(words), config=config, search_type="websearch"))
    for word in words:  # SQLite: every word, in the title or the text
        qs = qs.filter(Q(public_title__icontains=word) | Q(public_body__icontains=word))
    return qs


def public_report_list(filters: ReportFilters | None = None) -> ComplaintQuerySet:
    """Non-confidential, non-archived complaints for the public list, newest first, with what a
    row needs loaded in a constant number of queries (the latest response is prefetched, and
    only for published reports)."""
    filters = filters or ReportFilters()
    qs = Complaint.objects.public()
    if filters.category is not None:
        c = filters.category
        qs = qs.filter(Q(category=c) | Q(category__parent=c) | Q(category__parent__parent=c))
    if filters.kecamatan is not None:
        qs = qs.filter(Q(region=filters.kecamatan) | Q(region__parent=filters.kecamatan))
    if filters.agency is not None:
        # the agency of an unpublished report is not public: filtering by it shows published only
        qs = qs.filter(lead_agency=filters.agency, published=True)
    if filters.state:
        qs = qs.filter(status=filters.state)
    if filters.q:
        qs = _search(qs, filters.q)
    responses = (
        Message.objects.filter(kind=Message.Kind.RESPONSE, complaint__published=True)
        .only("complaint_id", "body", "created_at")
        .order_by("-created_at", "-id")
    )
    # The complainant of a published report, only to take their identity out of its public
    # text and responses (S1: agencies write "Bapak <name>"; people sign their own text).
    complainants = Complainant.objects.filter(complaint__published=True)
    return (
        qs.select_related(*PUBLIC_RELATED)
        .only(*PUBLIC_FIELDS)
        .prefetch_related(
            Prefetch("messages", queryset=responses, to_attr="public_responses"),
            Prefetch("complainant", queryset=complainants, to_attr="public_complainant"),
        )
        .order_by("-received_at", "-id")
    )


def public_report(complaint: Complaint) -> PublicReport:
    """What the public may see of one complaint from `public_report_list` (masked text)."""
    region = complaint.region
    kecamatan = village = ""
    if region is not None:
        if region.level in VILLAGE_LEVELS:
            village = region.name
            kecamatan = region.parent.name if region.parent else ""
        elif region.level == Region.Level.DISTRICT:
            kecamatan = region.name
    code = complaint.tracking_code
    kind, status, status_label = (
        complaint.get_kind_display(),
        complaint.status,
        complaint.get_status_display(),
    )
    category = complaint.category.name if complaint.category else ""
    if not (complaint.published and not complaint.private):
        # Not approved yet: category, area (kecamatan only) and state, nothing else (Pasal 4(3)).
        return PublicReport(code, kind, status, status_label, category, kecamatan, False)
    responses = getattr(complaint, "public_responses", [])
    complainant = getattr(complaint, "public_complainant", None)
    return PublicReport(
        code,
        kind,
        status,
        status_label,
        category,
        kecamatan,
        True,
        village=village,
        agency=complaint.lead_agency.name if complaint.lead_agency else "",
        received_at=complaint.received_at,
        title=public_text(complaint.public_title, complainant),
        body=public_text(complaint.public_body, complainant),
        response=public_text(responses[0].body, complainant) if responses else "",
        responded_at=complaint.responded_at,
        closed_at=complaint.closed_at,
    )


def public_reports(complaints: Iterable[Complaint]) -> list[PublicReport]:
    return [public_report(c) for c in complaints]


def recent_public_reports(limit: int = RECENT_SIZE) -> list[PublicReport]:
    """The latest published reports for the home page (published only: they have a title)."""
    return public_reports(public_report_list().filter(published=True)[:limit])


def filter_choices() -> dict[str, QuerySet]:
    """The lists the public filter form offers."""
    return {
        "categories": Category.objects.filter(parent__isnull=True, is_active=True).order_by("name"),
        "kecamatans": Region.objects.filter(level=Region.Level.DISTRICT).order_by("name"),
        "agencies": Agency.objects.filter(is_active=True).order_by("name"),
    }


# --- directory ------------------------------------------------------------------------------


def directory_agencies(q: str = "") -> QuerySet[Agency]:
    """Every active agency with its complaint handler, the coordinating Dinas first (Pasal 3(2)a)."""
    qs = Agency.objects.filter(is_active=True)
    q = q.strip()
    if q:
        qs = qs.filter(
            Q(name__icontains=q) | Q(short_name__icontains=q) | Q(handler_name__icontains=q)
        )
    return qs.order_by("-is_coordinator", "name")


# --- channels -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChannelInfo:
    key: str
    name: str
    address: str
    href: str = ""
    how: list[str] = field(default_factory=list)


def public_channels(coordinator: Agency | None) -> list[ChannelInfo]:
    """Every way in, with its address (Pasal 5, 6; R9, R10). A channel whose setting is empty is
    not shown."""
    site = settings.ADUAN_SITE_URL
    channels = [
        ChannelInfo(
            "web",
            str(_("Website")),
            f"{site}{reverse('portal:report')}",
            reverse("portal:report"),
            [str(_("Fill in the form; you get a tracking code and a private link at once."))],
        ),
        ChannelInfo(
            "app",
            str(_("App for Android and iPhone")),
            site,
            "",
            [
                str(
                    _(
                        "Open this website in your phone's browser and choose “Add to Home "
                        "screen” (Android: Chrome menu; iPhone: Safari's Share button)."
                    )
                ),
                str(_("A report written without signal is kept and sent when you are online.")),
            ],
        ),
    ]
    if settings.ADUAN_SMS_NUMBER:
        number = settings.ADUAN_SMS_NUMBER
        channels.append(
            ChannelInfo(
                "sms",
                str(_("SMS")),
                number,
                "",
                [
                    str(_("To report, send: LAPOR <your report> to %(number)s."))
                    % {"number": number},
                    str(_("To check a report, send: CEK <tracking code> to %(number)s."))
                    % {"number": number},
                ],
            )
        )
    if settings.ADUAN_CONTACT_EMAIL:
        email = settings.ADUAN_CONTACT_EMAIL
        channels.append(ChannelInfo("email", str(_("Email")), email, f"mailto:{email}"))
    if settings.ADUAN_WHATSAPP_NUMBER:
        number = settings.ADUAN_WHATSAPP_NUMBER
        digits = re.sub(r"\D", "", number)
        channels.append(ChannelInfo("whatsapp", "WhatsApp", number, f"https://wa.me/{digits}"))
    if settings.ADUAN_TELEGRAM_BOT:
        bot = settings.ADUAN_TELEGRAM_BOT.lstrip("@")
        channels.append(ChannelInfo("telegram", "Telegram", f"@{bot}", f"https://t.me/{bot}"))
    if settings.ADUAN_CALL_CENTER:
        number = settings.ADUAN_CALL_CENTER
        tel = re.sub(r"[^\d+]", "", number)
        channels.append(ChannelInfo("call_center", str(_("Call center")), number, f"tel:{tel}"))
    if settings.ADUAN_COMPLAINT_BOX_TEXT:
        channels.append(
            ChannelInfo("complaint_box", str(_("Complaint box")), settings.ADUAN_COMPLAINT_BOX_TEXT)
        )
    if coordinator is not None:
        address = coordinator.office_address or coordinator.name
        channels.append(
            ChannelInfo(
                "walk_in",
                str(_("In person")),
                address,
                "",
                [
                    str(_("Come to %(office)s; an officer enters your report with you."))
                    % {"office": coordinator.name}
                ],
            )
        )
    return channels


# --- statistics -----------------------------------------------------------------------------
#
# S1 (issue 7): the page publishes the total, so every table whose rows add up to it gets the open
# data's primary and complementary suppression (`opendata.protect`, threshold
# `opendata.min_count()`): a lone hidden cell could otherwise be recovered as the total minus the
# shown cells. Cells are handed to `protect` in the open data's order (count descending, "not set"
# last among equal counts, then name), so the same counts hide the same cells here and in
# /data/statistik.json and neither publication undoes the other. What the table does not show
# (complaints older than the 12 months, without an area, not dispatched yet) is a cell too: it is
# total minus the rows. Hidden rows are listed after the shown ones by name, never by count (their
# place in a count order would bound them).


@dataclass(frozen=True)
class AgencyRow:
    """Raw figures of one agency, before suppression (never published: the page and the API
    show `PublicAgencyRow`)."""

    name: str
    received: int
    answered: int
    on_time: int
    late_open: int = 0

    @property
    def on_time_percent(self) -> int | None:
        judged = self.answered + self.late_open
        return round(100 * self.on_time / judged) if judged else None


@dataclass(frozen=True)
class PublicAgencyRow:
    """One agency as the page shows it (S1): None is a hidden count; the on-time share is hidden
    with its answers, and below the threshold of answers due (1 or 2 answers would give the
    count away: 50% of 2 is 1)."""

    name: str
    received: int | None
    answered: int | None
    on_time_percent: int | None
    on_time_hidden: bool = False


@dataclass
class PublicStatistics:
    computed_at: dt.datetime
    total: int
    per_month: list[tuple[dt.date, int]]  # raw, never published; page and API show `months`
    per_category: list[tuple[str, int | None]]  # the 10 largest shown; hidden ones in the rest
    per_agency: list[AgencyRow]  # raw, never published; page and API show `agencies`
    per_kecamatan: list[tuple[str, int | None]]  # None: hidden (S1)
    answered: int  # response clocks that ended with an answer
    late_open: int  # response clocks still running past their deadline
    on_time: int  # answered within the deadline (7 working days)
    within_target: int  # answered within the service target (2 working days)
    median_working_days: float | None
    satisfaction_count: int
    satisfaction_average: float | None
    satisfaction_distribution: list[tuple[int, int]]
    min_count: int = 3  # the disclosure threshold the figures were computed with
    months: list[tuple[dt.date, int | None]] = field(default_factory=list)  # None: hidden (S1)
    category_rest: int = 0  # the complaints of the categories not in `per_category`
    agencies: list[PublicAgencyRow] = field(default_factory=list)

    @property
    def judged(self) -> int:
        """Answers plus the open ones already late: an agency that never answers is not
        on time."""
        return self.answered + self.late_open

    @property
    def shares_shown(self) -> bool:
        """The on-time shares and their counts, only from `min_count` answers due (S1)."""
        return not 0 < self.judged < self.min_count

    @property
    def median_shown(self) -> bool:
        """The median of one or two answers would be an answer's own time."""
        return not 0 < self.answered < self.min_count

    @property
    def satisfaction_shown(self) -> bool:
        """The ratings, only from `min_count` ratings: the average of one is that rating."""
        return not 0 < self.satisfaction_count < self.min_count

    @property
    def on_time_percent(self) -> int | None:
        if not (self.judged and self.shares_shown):
            return None
        return round(100 * self.on_time / self.judged)

    @property
    def within_target_percent(self) -> int | None:
        if not (self.judged and self.shares_shown):
            return None
        return round(100 * self.within_target / self.judged)

    @property
    def any_month_hidden(self) -> bool:
        return any(n is None for _m, n in self.months)

    @property
    def any_kecamatan_hidden(self) -> bool:
        return any(n is None for _k, n in self.per_kecamatan)

    @property
    def any_agency_hidden(self) -> bool:
        return any(
            r.received is None or r.answered is None or r.on_time_hidden for r in self.agencies
        )


# A cell for `_protect`: (what the row is, its name for the open data's order, its count). The
# key None is the table's "not set" / not-shown cell, ordered last among equal counts.
Cell = tuple[Any, str, int]


def _protect(cells: Iterable[Cell], threshold: int) -> list[tuple[Any, int | None]]:
    """(key, count or None when hidden) in the open data's order, by `opendata.protect`."""
    ordered = sorted(cells, key=lambda c: bucket_order(*c))
    hidden = protect([n for _k, _l, n in ordered], threshold)
    return [(k, None if h else n) for (k, _l, n), h in zip(ordered, hidden, strict=True)]


def _shown_first(rows: list[tuple[Any, int | None]], name: Any) -> list[tuple[Any, int | None]]:
    """The shown rows by count (descending), then the hidden ones by name, never by count."""
    shown = [r for r in rows if r[1] is not None]
    hidden = sorted((r for r in rows if r[1] is None), key=lambda r: name(r[0]))
    return shown + hidden


def _rest(total: int, counts: Iterable[int]) -> list[Cell]:
    """The cell a table does not show (total minus its rows), if any."""
    rest = total - sum(counts)
    return [(None, "", rest)] if rest > 0 else []


def _last_months(today: dt.date, n: int = 12) -> list[dt.date]:
    months = []
    year, month = today.year, today.month
    for _i in range(n):
        months.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def _protected_months(
    per_month: list[tuple[dt.date, int]], total: int, threshold: int
) -> list[tuple[dt.date, int | None]]:
    """The 12 months with small counts hidden; the complaints before them are the rest cell.
    Chronological like the open data's `month` table (`protect` breaks ties by this order)."""
    cells = [(m, "", n) for m, n in per_month] + _rest(total, (n for _m, n in per_month))
    hidden = protect([n for _k, _l, n in cells], threshold)
    return [(m, None if h else n) for (m, _l, n), h in zip(cells, hidden, strict=True) if m]


def _protected_categories(
    top_rows: Sequence[Mapping[str, Any]], names: dict[int, str], threshold: int
) -> tuple[list[tuple[str, int | None]], int]:
    """The (at most) 10 largest shown categories, and the complaints of all the others.

    Every top-level category is a cell (44 in Buton): hidden cells are never listed but go into
    the rest with the small shown ones, so the rest is total minus the listed rows, adds up two
    or more hidden cells and never splits them (listing some hidden ones apart from the rest
    would give away their sum). No hidden cell is larger than a shown one (`protect` hides the
    smallest), so the 10 largest shown are the 10 largest."""
    label = {r["top"]: names.get(r["top"], "") if r["top"] else "" for r in top_rows}
    cells = _protect(((r["top"], label[r["top"]], r["n"]) for r in top_rows), threshold)
    listed = [(k, n) for k, n in cells if n is not None][:10]
    rest = sum(r["n"] for r in top_rows) - sum(n for _k, n in listed if n is not None)
    named: list[tuple[str, int | None]] = [
        (label[k] if k is not None else str(_("Not categorised yet")), n) for k, n in listed
    ]
    return named, rest


def _agency_rows(
    raw: dict[int, AgencyRow], short: dict[int, str], total: int, answered: int, threshold: int
) -> list[PublicAgencyRow]:
    """The agency table with received and answers each protected as a partition (received: of
    the total, the rest not dispatched yet; answers: of all answers, which the page gives as
    answers due minus the late ones). `short` orders like the open data (short name first)."""
    received = dict(
        _protect(
            [(pk, short.get(pk, r.name), r.received) for pk, r in raw.items()]
            + _rest(total, (r.received for r in raw.values())),
            threshold,
        )
    )
    answers = dict(
        _protect(
            [(pk, short.get(pk, r.name), r.answered) for pk, r in raw.items()]
            + _rest(answered, (r.answered for r in raw.values())),
            threshold,
        )
    )
    rows = []
    order = [(pk, n) for pk, n in received.items() if pk is not None]
    for pk, n in _shown_first(order, lambda k: raw[k].name):
        row = raw[pk]
        judged = row.answered + row.late_open
        hide = bool(judged) and (answers[pk] is None or judged < threshold)
        percent = None if hide else row.on_time_percent
        rows.append(PublicAgencyRow(row.name, n, answers[pk], percent, hide))
    return rows


def compute_public_statistics(now: dt.datetime | None = None) -> PublicStatistics:
    """The transparency numbers (Pasal 9(1)d, 13; R17, R29, R32, R33). Confidential complaints
    count here (nothing identifying is shown). S1: every table that adds up to the published total
    hides its small counts and enough others (`opendata.protect`; see the section comment)."""
    now = now or clock.now()
    threshold = min_count()
    complaints = Complaint.objects.all()
    total = complaints.count()

    months = _last_months(timezone.localtime(now).date())
    monthly = {
        row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"]: row["n"]
        for row in complaints.filter(
            received_at__gte=timezone.make_aware(dt.datetime.combine(months[0], dt.time()))
        )
        .annotate(month=TruncMonth("received_at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by()
    }
    per_month = [(m, monthly.get(m, 0)) for m in months]

    by_top = (
        complaints.annotate(
            top=Coalesce("category__parent__parent_id", "category__parent_id", "category_id")
        )
        .values("top")
        .annotate(n=Count("id"))
        .order_by()
    )
    top_rows = list(by_top)
    names = dict(
        Category.objects.filter(id__in=[r["top"] for r in top_rows if r["top"]]).values_list(
            "id", "name"
        )
    )
    per_category, category_rest = _protected_categories(top_rows, names, threshold)

    received_by_agency = dict(
        complaints.filter(lead_agency__isnull=False)
        .values_list("lead_agency")
        .annotate(n=Count("id"))
        .order_by()
    )
    answered_clocks = Clock.objects.filter(
        kind=Clock.Kind.RESPONSE, stop_reason=Clock.StopReason.RESPONDED
    )
    clock_by_agency: dict[int, Any] = {
        row["agency"]: row
        for row in answered_clocks.values("agency")
        .annotate(answered=Count("id"), on_time=Count("id", filter=Q(deadline_met=True)))
        .order_by()
    }
    late_clocks = Clock.objects.filter(
        kind=Clock.Kind.RESPONSE, stopped_at__isnull=True, due_at__lt=now
    )
    late_by_agency = dict(
        late_clocks.filter(agency__isnull=False)
        .values_list("agency")
        .annotate(n=Count("id"))
        .order_by()
    )
    agency_names = {
        pk: (name, short or name)
        for pk, name, short in Agency.objects.filter(
            id__in=set(received_by_agency) | set(clock_by_agency) | set(late_by_agency)
        ).values_list("id", "name", "short_name")
    }
    raw_agencies = {
        agency_id: AgencyRow(
            name=name,
            received=received_by_agency.get(agency_id, 0),
            answered=clock_by_agency.get(agency_id, {}).get("answered", 0),
            on_time=clock_by_agency.get(agency_id, {}).get("on_time", 0),
            late_open=late_by_agency.get(agency_id, 0),
        )
        for agency_id, (name, _short) in agency_names.items()
    }
    per_agency = sorted(raw_agencies.values(), key=lambda row: (-row.received, row.name))

    kec_counts: dict[int, int] = {}
    for region_id, level, parent_id, n in (
        complaints.filter(region__isnull=False)
        .values_list("region_id", "region__level", "region__parent_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        # a desa/kelurahan counts for its kecamatan; a kecamatan for itself
        kec = region_id if level == Region.Level.DISTRICT else parent_id
        if kec is not None and level in (Region.Level.DISTRICT, *VILLAGE_LEVELS):
            kec_counts[kec] = kec_counts.get(kec, 0) + n
    kec_names = dict(
        Region.objects.filter(id__in=kec_counts, level=Region.Level.DISTRICT).values_list(
            "id", "name"
        )
    )
    kec_cells = [(rid, name, kec_counts[rid]) for rid, name in kec_names.items()]
    per_kecamatan = [
        (kec_names[rid], n)
        for rid, n in _shown_first(
            _protect(kec_cells + _rest(total, (n for _r, _l, n in kec_cells)), threshold),
            lambda rid: kec_names.get(rid, ""),
        )
        if rid is not None
    ]

    clock_totals = answered_clocks.aggregate(
        answered=Count("id"),
        on_time=Count("id", filter=Q(deadline_met=True)),
        within_target=Count("id", filter=Q(target_met=True)),
    )
    late_open = late_clocks.count()
    agencies = _agency_rows(
        raw_agencies,
        {pk: short for pk, (_name, short) in agency_names.items()},
        total,
        clock_totals["answered"],
        threshold,
    )
    days = [d for d in answered_clocks.values_list("working_days_used", flat=True) if d is not None]
    median = float(stats.median(days)) if days else None

    ratings = dict(
        complaints.filter(satisfaction__isnull=False)
        .values_list("satisfaction")
        .annotate(n=Count("id"))
        .order_by()
    )
    rated = sum(ratings.values())
    average = round(sum(score * n for score, n in ratings.items()) / rated, 2) if rated else None
    return PublicStatistics(
        computed_at=now,
        total=total,
        per_month=per_month,
        per_category=per_category,
        per_agency=per_agency,
        per_kecamatan=per_kecamatan,
        answered=clock_totals["answered"],
        late_open=late_open,
        on_time=clock_totals["on_time"],
        within_target=clock_totals["within_target"],
        median_working_days=median,
        satisfaction_count=rated,
        satisfaction_average=average,
        satisfaction_distribution=[(score, ratings.get(score, 0)) for score in range(1, 6)],
        min_count=threshold,
        months=_protected_months(per_month, total, threshold),
        category_rest=category_rest,
        agencies=agencies,
    )


def public_statistics() -> PublicStatistics:
    """The statistics, computed at most every 10 minutes (Django cache)."""
    return cast(
        PublicStatistics,
        django_cache.get_or_set(
            STATISTICS_CACHE_KEY, compute_public_statistics, STATISTICS_CACHE_SECONDS
        ),
    )
