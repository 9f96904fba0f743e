"""The connector's domain side: importing forwarded reports, and writing the outbox rows of
pushes (status, response, forward up) when an Event is written.

Import: each report LAPOR! forwards becomes a complaint through `complaint_submit` (channel
`national_lapor`, `national_reference` = its tracking id), idempotent by that id
(InboundKey source "lapor"). Pushes: written in the transaction of the change that causes
them, one outbox row per event with the key `lapor:c<complaint>:e<event>:<op>`; the outbox
retries, and `sender.LaporSender` delivers them through the configured client.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F

from aduan.agencies.models import Region
from aduan.complaints.models import Channel, Kind
from aduan.complaints.services import (
    BODY_MAX,
    TITLE_MAX,
    ComplaintSubmission,
    IdentityInput,
    complaint_submit,
)
from aduan.complaints.workflow.actors import Actor
from aduan.core import clock
from aduan.core.exceptions import ApplicationError
from aduan.core.phones import normalize_phone
from aduan.notifications.services import outbox_enqueue

from .client import LaporClient, LaporError, get_client, lapor_enabled
from .messages import TEMPLATE_FORWARD_UP, TEMPLATE_RESPONSE, TEMPLATE_STATUS
from .models import Link, SyncState
from .protocol import InboundReport

if TYPE_CHECKING:
    from aduan.complaints.models import Complaint, Event

logger = logging.getLogger(__name__)

CHANNEL = "lapor"  # the outbox channel (settings.ADUAN_SENDERS["lapor"])
ADDRESS = "lapor:national"  # the outbox needs a recipient; the endpoint is in settings
IDEMPOTENCY_SOURCE = "lapor"
CURSOR_OVERLAP = dt.timedelta(minutes=10)  # re-read a little: the import is idempotent
NATIONAL_TARGET_WORDS = ("lapor", "sp4n")


# --- import ---------------------------------------------------------------------------------


@dataclass
class ImportReport:
    fetched: int = 0
    created: int = 0
    existing: int = 0
    failed: int = 0
    error: str = ""
    skipped: bool = False


def _phone(raw: str) -> str:
    if not raw.strip():
        return ""
    try:
        return normalize_phone(raw)
    except ApplicationError:
        return ""  # an unusable number is dropped, the report is kept


def _email(raw: str) -> str:
    raw = raw.strip().lower()
    if not raw:
        return ""
    try:
        validate_email(raw)
    except ValidationError:
        return ""
    return raw


def _region(location: str) -> Region | None:
    """A kecamatan/desa named exactly like LAPOR!'s location text, if exactly one is."""
    name = " ".join(location.split())
    if not name or len(name) > 120:
        return None
    matches = list(Region.objects.filter(name__iexact=name)[:2])
    return matches[0] if len(matches) == 1 else None


def submission_from_report(report: InboundReport) -> ComplaintSubmission:
    """The one place where a LAPOR! report is mapped to our model."""
    body = report.body.strip()
    if len(body) > BODY_MAX:
        body = body[: BODY_MAX - 1] + "…"
    title = " ".join(report.title.split())[:TITLE_MAX]
    return ComplaintSubmission(
        channel=Channel.NATIONAL_LAPOR,
        body=body,
        title=title,
        kind=report.kind if report.kind in Kind.values else Kind.COMPLAINT,
        anonymous=report.anonymous,  # anonim
        private=report.private,  # rahasia
        region=_region(report.location),
        location_text=report.location[:300],
        identity=IdentityInput(
            name=" ".join(report.name.split())[:200],
            phone=_phone(report.phone),
            email=_email(report.email),
            address=report.address[:500],
        ),
        language="id",
        national_reference=report.tracking_id,
    )


def _import_one(report: InboundReport) -> bool:
    """Create the complaint of one report (True) or find the one made before (False)."""
    with transaction.atomic():
        try:
            result = complaint_submit(
                submission=submission_from_report(report),
                by=Actor.system(),
                idempotency_key=report.tracking_id,
                idempotency_source=IDEMPOTENCY_SOURCE,
            )
        except ApplicationError as exc:
            if exc.code == "idempotency_key_reused":
                return False  # imported before; LAPOR! has edited it since: ours stands
            raise
        if result.created:
            Link.objects.create(
                complaint=result.complaint,
                direction=Link.Direction.INBOUND,
                tracking_id=report.tracking_id,
            )
        return result.created


def lapor_import(
    *, client: LaporClient | None = None, since: dt.datetime | None = None
) -> ImportReport:
    """Import what LAPOR! forwarded since the last run. Safe to run twice or concurrently.

    The whole reply is parsed before anything is stored: a malformed reply is logged and
    stores nothing; each report is then one transaction (complaint, identity, link)."""
    report = ImportReport()
    if not lapor_enabled():
        report.skipped = True
        return report
    state, _created = SyncState.objects.get_or_create(name="forwarded")
    started = clock.now()
    try:
        reports = (client or get_client()).import_forwarded(since or state.cursor)
    except LaporError as exc:
        report.error = str(exc)[:500]
        logger.error("LAPOR! import failed: %s", report.error)
        SyncState.objects.filter(pk=state.pk).update(last_run_at=started, last_error=report.error)
        return report
    report.fetched = len(reports)
    for inbound in reports:
        try:
            if _import_one(inbound):
                report.created += 1
            else:
                report.existing += 1
        except ApplicationError as exc:
            report.failed += 1
            logger.error("LAPOR! report %s not imported: %s", inbound.tracking_id[:64], exc.code)
    SyncState.objects.filter(pk=state.pk).update(
        cursor=started - CURSOR_OVERLAP,
        last_run_at=started,
        last_success_at=started,
        last_error="" if not report.failed else f"{report.failed} report(s) refused",
        imported_total=F("imported_total") + report.created,
    )
    return report


# --- pushes (the outbox hook) -------------------------------------------------------------------


def is_national_target(forwarded_to: str) -> bool:
    text = (forwarded_to or "").lower()
    return any(word in text for word in NATIONAL_TARGET_WORDS)


def _enqueue(template: str, complaint: Complaint, event: Event, **context: object) -> None:
    op = template.removeprefix("lapor_")
    outbox_enqueue(
        channel=CHANNEL,
        template=template,
        idempotency_key=f"lapor:c{complaint.pk}:e{event.pk}:{op}",
        context={"event": event.pk, **context},
        complaint=complaint,
        address=ADDRESS,
    )


def lapor_on_event(event: Event) -> None:
    """Called for every new Event, inside its transaction. Writes at most one outbox row."""
    if not lapor_enabled():
        return
    complaint = event.complaint
    data = event.data or {}
    upward = event.verb == "forward_out" and (
        data.get("to_national_lapor") or is_national_target(str(data.get("forwarded_to", "")))
    )
    if upward and not complaint.national_reference:
        _enqueue(TEMPLATE_FORWARD_UP, complaint, event)
        return
    # A complaint that came from LAPOR! and is handed back: the status push below says so.
    if not complaint.national_reference or event.verb == "submit":
        return
    if event.verb == "respond":
        from aduan.complaints.models import Message

        response = (
            Message.objects.filter(complaint=complaint, kind=Message.Kind.RESPONSE)
            .order_by("-created_at", "-id")
            .values_list("pk", flat=True)
            .first()
        )
        if response is not None:
            _enqueue(TEMPLATE_RESPONSE, complaint, event, message=response)
            return
    if event.from_state != event.to_state:
        _enqueue(TEMPLATE_STATUS, complaint, event, status=event.to_state)
