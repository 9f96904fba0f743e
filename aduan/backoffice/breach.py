"""Breach readiness (S19): which complainants to notify within 3x24 hours (UU 27/2022 Art. 46).

`breach_report` answers "whose data did this account / this time window / this export expose?"
from the audit log (S14) and the access rules (S3), for `manage.py breach_report`:

- identity views and reveals (`identity.view`, `identity.reveal` audit rows) — by the user, in
  the window (with no user: by anyone in the window);
- with a user: every complaint the account could see (`complaints_visible_to`) that existed
  during the window (received before its end) — what a stolen session could have read. The
  identity counts as *accessible* when the account may see it without a reveal
  (`can_see_identity`: a named complainant, an admin or the lead agency's staff);
- exports (`complaint.export` audit rows: the user's in the window, every one in a window given
  alone, or the one asked for): the stored filter is run again as the exporting user, on the
  complaints received before the export, with "now" set to the export time (the "overdue"
  filter). APPROXIMATION: the filter sees today's state, agency and category of each complaint,
  not those of the export time, and the user's current role and agency; the stored row count is
  reported beside the re-run's so a difference is visible. The CSV has no identity columns (S1),
  so an export alone does not expose the identity;
- an account deactivated since (the usual first step after a breach) is evaluated as if active:
  what it could see while it was in use.

Contact channels are masked unless asked for; each run is audited (`breach.report`), with the
tracking codes it listed and whether contacts were shown in full. Never the identity itself.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils import timezone

from aduan.accounts.access import can_see_identity, complaints_visible_to
from aduan.accounts.models import User
from aduan.audit.models import AuditEntry
from aduan.audit.services import audit_record
from aduan.complaints.models import Complaint
from aduan.core import clock
from aduan.core.exceptions import ApplicationError

from .filters import ComplaintFilterForm
from .selectors import complaint_list_for_staff

IDENTITY_ACTIONS = ("identity.view", "identity.reveal")
EXPORT_ACTION = "complaint.export"
REPORT_ACTION = "breach.report"
COMPLAINT_TYPE = "complaints.complaint"

# How exposed the identity is, from most to least.
REVEALED = "revealed"
VIEWED = "viewed"
ACCESSIBLE = "accessible"
NOT_EXPOSED = "no"
_RANK = {REVEALED: 3, VIEWED: 2, ACCESSIBLE: 1, NOT_EXPOSED: 0}


class BreachQueryError(ApplicationError):
    pass


@dataclass(frozen=True)
class Exposure:
    """One way a complaint was exposed: `kind` is identity.view, identity.reveal, visible or
    export; `by` the username; `at` when (None for "visible": during the whole window)."""

    kind: str
    by: str
    at: dt.datetime | None = None
    source: str = ""  # "audit #123"

    def label(self) -> str:
        text = {"identity.view": "view", "identity.reveal": "reveal"}.get(self.kind, self.kind)
        if self.source:
            text += f" {self.source}"
        return f"{text} by {self.by}" if self.by else text


@dataclass
class AffectedComplaint:
    complaint_id: int
    tracking_code: str
    received_at: dt.datetime
    anonymous: bool
    identity: str = NOT_EXPOSED
    exposures: list[Exposure] = field(default_factory=list)
    phone: str = ""
    email: str = ""
    messenger: str = ""

    def expose(self, exposure: Exposure, identity: str) -> None:
        if exposure not in self.exposures:
            self.exposures.append(exposure)
        if _RANK[identity] > _RANK[self.identity]:
            self.identity = identity

    def contacts(self, *, reveal: bool) -> dict[str, str]:
        if reveal:
            return {"phone": self.phone, "email": self.email, "messenger": self.messenger}
        return {
            "phone": mask_phone(self.phone),
            "email": mask_email(self.email),
            "messenger": mask_text(self.messenger),
        }

    def as_row(self, *, reveal: bool) -> dict[str, Any]:
        return {
            "tracking_code": self.tracking_code,
            "received_at": timezone.localtime(self.received_at).isoformat(),
            "anonymous": self.anonymous,
            "identity_exposed": self.identity,
            "exposures": [e.label() for e in self.exposures],
            **self.contacts(reveal=reveal),
        }


@dataclass
class ExportCheck:
    """One export re-run: its audit id, who, when, the rows it had and the rows found now."""

    audit_id: int
    by: str
    at: dt.datetime
    filter: str
    stored_rows: int | None
    found_rows: int


@dataclass
class BreachReport:
    affected: list[AffectedComplaint]
    exports: list[ExportCheck]
    audit: AuditEntry
    reveal_contacts: bool


# --- masking ---------------------------------------------------------------------------------


def mask_phone(value: str) -> str:
    """'+6281234567890' → '+628*******890': enough to tell numbers apart, not to call one."""
    if not value:
        return ""
    keep_start = 4 if value.startswith("+") else 3
    if len(value) <= keep_start + 3:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - 3) + value[-3:]


def mask_email(value: str) -> str:
    """'warga.uji@contoh.id' → 'w***@c***.id'."""
    if not value:
        return ""
    local, _at, domain = value.partition("@")
    head, dot, tld = domain.rpartition(".")
    masked_domain = f"{head[:1]}***{dot}{tld}" if dot else f"{domain[:1]}***"
    return f"{local[:1]}***@{masked_domain}"


def mask_text(value: str) -> str:
    if not value:
        return ""
    return value[:1] + "***" if len(value) > 3 else "***"


# --- the query -------------------------------------------------------------------------------


def parse_moment(text: str, *, end: bool = False) -> dt.datetime:
    """An ISO date or date-time, read in the deployment's zone (Asia/Makassar) unless it has an
    offset. A date alone is the start of that day, or its end (`end=True`: inclusive --until)."""
    raw = text.strip()
    zone = timezone.get_default_timezone()
    try:
        if len(raw) == 10:
            day = dt.date.fromisoformat(raw)
            if end:
                return clock.end_of_local_day(day)
            return dt.datetime.combine(day, dt.time.min, tzinfo=zone)
        moment = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise BreachQueryError(
            f"Not an ISO date or date-time: {text!r} (e.g. 2026-11-20 or 2026-11-20T14:30).",
            code="invalid_moment",
        ) from None
    return timezone.make_aware(moment, zone) if timezone.is_naive(moment) else moment


def _as_in_use(user: User) -> User:
    """The account as it was while in use: a deactivated account still shows what it saw."""
    if user.is_active:
        return user
    clone = copy.copy(user)
    clone.is_active = True
    return clone


def _window(qs: Any, since: dt.datetime | None, until: dt.datetime | None) -> Any:
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    if until is not None:
        qs = qs.filter(created_at__lte=until)
    return qs


class _Collector:
    def __init__(self) -> None:
        self.by_id: dict[int, AffectedComplaint] = {}

    def add(self, complaints: Any, exposure_for: Any) -> None:
        """`exposure_for(complaint) -> (Exposure, identity level)` for each complaint."""
        for complaint in complaints:
            row = self.by_id.get(complaint.pk)
            if row is None:
                row = self.by_id[complaint.pk] = AffectedComplaint(
                    complaint_id=complaint.pk,
                    tracking_code=complaint.tracking_code,
                    received_at=complaint.received_at,
                    anonymous=complaint.anonymous,
                )
            exposure, identity = exposure_for(complaint)
            row.expose(exposure, identity)


def _complaints(ids: Any) -> Any:
    return Complaint.objects.filter(pk__in=ids).only(
        "pk", "tracking_code", "received_at", "anonymous", "lead_agency_id"
    )


def _identity_events(
    collector: _Collector,
    user: User | None,
    since: dt.datetime | None,
    until: dt.datetime | None,
) -> None:
    entries = _window(
        AuditEntry.objects.filter(action__in=IDENTITY_ACTIONS, object_type=COMPLAINT_TYPE),
        since,
        until,
    )
    if user is not None:
        entries = entries.filter(actor=user)
    entries = list(entries.order_by("created_at", "id"))
    ids = {int(e.object_id) for e in entries if e.object_id.isdigit()}
    complaints = {c.pk: c for c in _complaints(ids)}
    for entry in entries:
        complaint = complaints.get(int(entry.object_id)) if entry.object_id.isdigit() else None
        if complaint is None:
            continue
        level = REVEALED if entry.action == "identity.reveal" else VIEWED
        exposure = Exposure(entry.action, entry.actor_label, entry.created_at, f"audit #{entry.pk}")
        collector.add([complaint], lambda _c, e=exposure, lv=level: (e, lv))


def _visible(collector: _Collector, user: User, until: dt.datetime | None) -> None:
    account = _as_in_use(user)
    qs = complaints_visible_to(account)
    if until is not None:
        qs = qs.filter(received_at__lte=until)
    qs = qs.only("pk", "tracking_code", "received_at", "anonymous", "lead_agency_id")

    def exposure_for(complaint: Complaint) -> tuple[Exposure, str]:
        accessible = can_see_identity(user=account, complaint=complaint)
        return Exposure("visible", user.get_username()), ACCESSIBLE if accessible else NOT_EXPOSED

    collector.add(qs.iterator(chunk_size=2000), exposure_for)


def export_complaints(entry: AuditEntry) -> Any:
    """The complaints of one export, re-run (see the module docstring for the approximation)."""
    if entry.actor is None:
        return Complaint.objects.none()
    account = _as_in_use(entry.actor)
    query = QueryDict(str(entry.data.get("filter", "")))
    filters = ComplaintFilterForm(query).filters()
    with clock.frozen_at(entry.created_at):
        qs = complaint_list_for_staff(account, filters).filter(received_at__lte=entry.created_at)
        # Evaluated here, inside the frozen clock ("overdue" compares deadlines with now).
        return list(qs.select_related(None).only("pk", "tracking_code", "received_at", "anonymous"))


def _exports(collector: _Collector, entries: list[AuditEntry]) -> list[ExportCheck]:
    checks = []
    for entry in entries:
        complaints = export_complaints(entry)
        exposure = Exposure("export", entry.actor_label, entry.created_at, f"audit #{entry.pk}")
        collector.add(complaints, lambda _c, e=exposure: (e, NOT_EXPOSED))
        rows = entry.data.get("rows")
        checks.append(
            ExportCheck(
                audit_id=entry.pk,
                by=entry.actor_label,
                at=entry.created_at,
                filter=str(entry.data.get("filter", "")),
                stored_rows=rows if isinstance(rows, int) else None,
                found_rows=len(complaints),
            )
        )
    return checks


def _fill_contacts(rows: list[AffectedComplaint]) -> None:
    from aduan.complaints.models import Complainant

    by_complaint = {r.complaint_id: r for r in rows}
    ids = list(by_complaint)
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        for person in Complainant.objects.filter(complaint_id__in=chunk).only(
            "complaint_id", "phone", "email", "messenger_id"
        ):
            row = by_complaint[person.complaint_id]
            row.phone, row.email, row.messenger = person.phone, person.email, person.messenger_id


def breach_affected(
    *,
    user: User | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    export: AuditEntry | None = None,
) -> tuple[list[AffectedComplaint], list[ExportCheck]]:
    """The complaints whose complainants to notify, with how each was exposed (no audit row:
    `breach_report` is the audited entry point)."""
    if user is None and export is None and since is None and until is None:
        raise BreachQueryError(
            "Say what the breach concerns: --user, --since/--until or --export.",
            code="no_selector",
        )
    if since is not None and until is not None and since > until:
        raise BreachQueryError("--since is after --until.", code="empty_window")
    collector = _Collector()
    export_entries: list[AuditEntry] = []
    if user is not None or since is not None or until is not None:
        _identity_events(collector, user, since, until)
        exports = _window(AuditEntry.objects.filter(action=EXPORT_ACTION), since, until)
        if user is not None:
            _visible(collector, user, until)
            exports = exports.filter(actor=user)
        export_entries += list(exports.select_related("actor").order_by("created_at", "id"))
    if export is not None and export.pk not in {e.pk for e in export_entries}:
        export_entries.append(export)
    checks = _exports(collector, export_entries)
    rows = sorted(collector.by_id.values(), key=lambda r: (r.received_at, r.tracking_code))
    _fill_contacts(rows)
    return rows, checks


def export_entry(audit_id: int) -> AuditEntry:
    entry = (
        AuditEntry.objects.filter(pk=audit_id, action=EXPORT_ACTION).select_related("actor").first()
    )
    if entry is None:
        raise BreachQueryError(
            f"No export with audit id {audit_id} (an audit row of action {EXPORT_ACTION}).",
            code="no_export",
        )
    return entry


def staff_user(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise BreachQueryError(f"No user {username!r}.", code="no_user")
    return user


def breach_report(
    *,
    username: str = "",
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    export_id: int | None = None,
    reveal_contacts: bool = False,
    operator: str = "",
    output_format: str = "table",
) -> BreachReport:
    """S19: the affected complaints for a user, a window and/or an export; audited."""
    user = staff_user(username) if username else None
    export = export_entry(export_id) if export_id is not None else None
    affected, exports = breach_affected(user=user, since=since, until=until, export=export)
    entry = audit_record(
        REPORT_ACTION,
        actor_label=f"cli:{operator}" if operator else "cli",
        object_type=COMPLAINT_TYPE,
        data={
            "user": username,
            "since": since.isoformat() if since else "",
            "until": until.isoformat() if until else "",
            "export": export_id,
            "reveal_contacts": reveal_contacts,
            "format": output_format,
            "complaints": len(affected),
            "codes": [row.tracking_code for row in affected],
        },
    )
    return BreachReport(affected, exports, entry, reveal_contacts)
