"""Every change of a complaint's state, agency or deadlines: one function per verb.

Each function is keyword-only and atomic. It locks the complaint row, checks the move against
TRANSITIONS (source state, actor role, own agency), changes the fields, recomputes the
deadlines from the working calendar, writes one immutable Event and one audit row, and writes
the outbox rows for every notification it causes, all in one transaction. It raises
ApplicationError (never an HTTP error) when the move is not allowed.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from typing import Any, ParamSpec

from django.db import transaction
from django.utils.translation import gettext as _

from aduan.accounts.roles import Role
from aduan.accounts.selectors import staff_list_active
from aduan.agencies.models import Agency, Category, Cause
from aduan.audit.services import audit_record
from aduan.core import clock as time
from aduan.core.exceptions import ApplicationError, PermissionDenied
from aduan.notifications.services import notify_complainant, notify_users
from aduan.workdays.calendar import WorkingCalendar
from aduan.workdays.services import working_calendar

from ..data_rights import complainant_erase_if_requested
from ..models import Clock, Complaint, DeadlinePolicy, Event, Ground, Kind, Message, Resolution
from ..models.complaint import CloseReason
from . import clocks
from .actors import Actor
from .states import (
    ADMIN_ARCHIVE_REASONS,
    FINAL_STATES,
    TRANSITIONS,
    ArchiveReason,
    Status,
    Transition,
)

# --- the guard -----------------------------------------------------------------------------


def _lock(complaint: Complaint) -> Complaint:
    return (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("lead_agency", "category", "complainant")
        .get(pk=complaint.pk)
    )


def check_transition(verb: str, complaint: Complaint, actor: Actor) -> Transition:
    """Raise unless `actor` may do `verb` to `complaint` in its current state."""
    transition = TRANSITIONS[verb]
    if actor.role not in transition.roles:
        raise PermissionDenied(
            _("Your role may not do this: %(action)s.") % {"action": verb}, code="role_not_allowed"
        )
    if transition.own_agency and (
        actor.agency_id is None or actor.agency_id != complaint.lead_agency_id
    ):
        raise PermissionDenied(
            _("Only the lead agency's staff may do this on complaint %(code)s.")
            % {"code": complaint.tracking_code},
            code="not_own_agency",
        )
    if complaint.status not in transition.sources:
        raise ApplicationError(
            _("Complaint %(code)s is %(state)s; this action is not possible now.")
            % {"code": complaint.tracking_code, "state": Status(complaint.status).label},
            code="invalid_state",
            extra={"state": complaint.status, "verb": verb},
        )
    return transition


def allowed_verbs(complaint: Complaint, actor: Actor) -> list[str]:
    """The verbs `actor` may do now (for showing only the possible actions)."""
    verbs = []
    for verb in TRANSITIONS:
        try:
            check_transition(verb, complaint, actor)
        except ApplicationError:
            continue
        verbs.append(verb)
    return verbs


class _Step:
    """What a transition does to a locked complaint, recorded in one place."""

    def __init__(self, verb: str, complaint: Complaint, actor: Actor):
        self.complaint = _lock(complaint)
        self.transition = check_transition(verb, self.complaint, actor)
        self.actor = actor
        self.verb = verb
        self.now = time.now()
        self.from_state = self.complaint.status
        self.changed: set[str] = set()
        self._calendar: WorkingCalendar | None = None
        self._policy: DeadlinePolicy | None = None

    @property
    def calendar(self) -> WorkingCalendar:
        if self._calendar is None:
            self._calendar = working_calendar()
        return self._calendar

    @property
    def policy(self) -> DeadlinePolicy:
        if self._policy is None:
            self._policy = DeadlinePolicy.current()
        return self._policy

    def set(self, **fields: Any) -> None:
        for name, value in fields.items():
            setattr(self.complaint, name, value)
            self.changed.add(name)

    def clock_changed(self) -> None:
        self.changed.update({"dispatch_due_at", "response_due_at", "response_target_at"})

    def finish(
        self,
        *,
        note: str = "",
        agency: Agency | None = None,
        data: dict[str, Any] | None = None,
        is_public: bool = True,
    ) -> Event:
        target = self.transition.target
        if target is not None and target != self.complaint.status:
            self.set(status=target, status_changed_at=self.now)
        if self.changed:
            self.complaint.save(update_fields=sorted(self.changed | {"updated_at"}))
        user = self.actor.user
        event = Event.objects.create(
            complaint=self.complaint,
            created_at=self.now,
            verb=self.verb,
            actor=user,
            actor_role=self.actor.role.value,
            actor_agency_id=self.actor.agency_id,
            from_state=self.from_state,
            to_state=self.complaint.status,
            agency=agency,
            note=note,
            is_public=is_public,
            data=data or {},
        )
        audit_record(
            f"complaint.{self.verb}",
            actor=self.actor,
            obj=self.complaint,
            data={"from": self.from_state, "to": self.complaint.status, "event": event.pk},
        )
        if self.complaint.status in FINAL_STATES and self.from_state not in FINAL_STATES:
            # S18: an identity whose deletion was asked for is erased when the complaint closes.
            complainant_erase_if_requested(self.complaint)
        return event

    def key(self, event: Event, template: str) -> str:
        return f"c{self.complaint.pk}:e{event.pk}:{template}"


def _require_text(text: str, field: str, message: str) -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise ApplicationError(message, code="required", extra={"field": field})
    return cleaned


def _active_agency(agency: Agency | None, field: str = "agency") -> Agency:
    if agency is None or not agency.is_active:
        raise ApplicationError(
            _("Choose an active agency."), code="agency_required", extra={"field": field}
        )
    return agency


P = ParamSpec("P")


def transition(fn: Callable[P, Complaint]) -> Callable[P, Complaint]:
    """Make a transition function atomic, and log a refused one (S14: every failed
    authorisation writes an audit row). The refusal is logged after the transaction has rolled
    back, so the audit row survives it."""
    atomic_fn = transaction.atomic(fn)

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Complaint:
        try:
            return atomic_fn(*args, **kwargs)
        except PermissionDenied as exc:
            complaint = kwargs.get("complaint")
            audit_record(
                "complaint.denied",
                actor=kwargs.get("by"),
                obj=complaint if isinstance(complaint, Complaint) else None,
                data={"verb": fn.__name__.removeprefix("complaint_"), "code": exc.code},
            )
            raise

    return wrapper


# --- Dinas: verify and dispatch --------------------------------------------------------------


@transition
def complaint_dispatch(
    *,
    complaint: Complaint,
    by: Actor,
    agency: Agency,
    co_agencies: Iterable[Agency] = (),
    category: Category | None = None,
    kind: str | None = None,
    ground: str | None = None,
    note: str = "",
) -> Complaint:
    """R24, R25: verified as relevant, complete and clear, and dispatched to the lead agency;
    its response clock starts (target 2, deadline 7 working days)."""
    return _dispatch(
        "dispatch",
        complaint=complaint,
        by=by,
        agency=agency,
        co_agencies=co_agencies,
        category=category,
        kind=kind,
        ground=ground,
        note=note,
    )


@transition
def complaint_redispatch(
    *,
    complaint: Complaint,
    by: Actor,
    agency: Agency,
    co_agencies: Iterable[Agency] = (),
    category: Category | None = None,
    note: str = "",
) -> Complaint:
    """R5: dispatch again, after a return or to correct a wrong dispatch."""
    return _dispatch(
        "redispatch",
        complaint=complaint,
        by=by,
        agency=agency,
        co_agencies=co_agencies,
        category=category,
        kind=None,
        ground=None,
        note=note,
    )


def _dispatch(
    verb: str,
    *,
    complaint: Complaint,
    by: Actor,
    agency: Agency,
    co_agencies: Iterable[Agency],
    category: Category | None,
    kind: str | None,
    ground: str | None,
    note: str,
) -> Complaint:
    step = _Step(verb, complaint, by)
    c = step.complaint
    agency = _active_agency(agency)
    co = [a for a in co_agencies if a.pk != agency.pk]
    if kind is not None:
        if kind not in Kind.values:
            raise ApplicationError(
                _("Unknown kind of report."), code="invalid_kind", extra={"field": "kind"}
            )
        step.set(kind=kind)
    if ground is not None:
        if ground and ground not in Ground.values:
            raise ApplicationError(
                _("Unknown ground."), code="invalid_ground", extra={"field": "ground"}
            )
        step.set(ground=ground)
    if c.kind != Kind.COMPLAINT and c.ground:
        step.set(ground="")
    if category is not None:
        step.set(category=category)
    if step.from_state in (Status.DISPATCHED, Status.IN_PROGRESS):
        if agency.pk == c.lead_agency_id:
            raise ApplicationError(
                _("The complaint is already with this agency."), code="same_agency"
            )
        clocks.stop_clock(c, step.now, step.calendar, Clock.StopReason.REDISPATCHED)
    else:
        clocks.stop_clock(c, step.now, step.calendar, Clock.StopReason.DISPATCHED)
    clocks.start_response_clock(c, agency, step.now, step.calendar, step.policy)
    step.clock_changed()
    step.set(
        lead_agency=agency,
        dispatched_at=step.now,
        first_dispatched_at=c.first_dispatched_at or step.now,
        acknowledged_at=None,
        suggested_agency=None,
    )
    event = step.finish(note=note, agency=agency, data={"co_agencies": [a.code for a in co]})
    c.co_agencies.set(co)

    context = {
        "agency": str(agency),
        "response_days": step.policy.response_deadline_working_days,
        "response_due": time.format_local(c.response_due_at),
        "response_target": time.format_local(c.response_target_at),
    }
    notify_users(
        staff_list_active(roles=[Role.LIAISON], agency_id=agency.pk),
        "complaint_assigned",
        key=step.key(event, "assigned"),
        context=context,
        complaint=c,
    )
    for co_agency in co:
        notify_users(
            staff_list_active(roles=[Role.LIAISON], agency_id=co_agency.pk),
            "co_agency_assigned",
            key=step.key(event, f"co{co_agency.pk}"),
            context=context,
            complaint=c,
        )
    notify_complainant(
        c, "complaint_dispatched", key=step.key(event, "dispatched"), context=context
    )
    return c


@transition
def complaint_request_info(*, complaint: Complaint, by: Actor, question: str) -> Complaint:
    """R26: pending while the complainant is asked to complete the report; the dispatch clock
    pauses and the complaint is archived if no answer comes within the set days."""
    step = _Step("request_info", complaint, by)
    c = step.complaint
    question = _require_text(question, "question", _("Write the question for the complainant."))
    clocks.pause_clock(c, step.now, step.calendar)
    step.clock_changed()
    step.set(autoarchive_at=step.now + dt.timedelta(days=step.policy.autoarchive_pending_days))
    Message.objects.create(
        complaint=c, kind=Message.Kind.QUESTION, author=by.user, body=question, created_at=step.now
    )
    event = step.finish()
    notify_complainant(
        c,
        "info_requested",
        key=step.key(event, "question"),
        context={
            "question": question,
            "question_short": question[:70],
            "days": step.policy.autoarchive_pending_days,
        },
    )
    return c


@transition
def complaint_supplement(
    *, complaint: Complaint, by: Actor, text: str, channel: str = ""
) -> Complaint:
    """The complainant answers the pending question: back to verification, clock resumed."""
    step = _Step("supplement", complaint, by)
    c = step.complaint
    text = _require_text(text, "text", _("Write your answer."))
    clocks.resume_clock(c, step.now, step.calendar)
    step.clock_changed()
    step.set(autoarchive_at=None)
    Message.objects.create(
        complaint=c, kind=Message.Kind.SUPPLEMENT, body=text, channel=channel, created_at=step.now
    )
    event = step.finish()
    notify_complainant(c, "supplement_received", key=step.key(event, "supplement"), context={})
    return c


@transition
def complaint_archive(
    *,
    complaint: Complaint,
    by: Actor,
    reason: str,
    note: str = "",
    duplicate_of: Complaint | None = None,
) -> Complaint:
    """R27: archive a report that is unclear, incomplete, a duplicate, contains SARA, or spam."""
    step = _Step("archive", complaint, by)
    c = step.complaint
    if reason not in ADMIN_ARCHIVE_REASONS:
        raise ApplicationError(
            _("Choose a reason for archiving."), code="invalid_reason", extra={"field": "reason"}
        )
    if reason == ArchiveReason.DUPLICATE:
        if duplicate_of is None or duplicate_of.pk == c.pk:
            raise ApplicationError(
                _("Say which complaint this one repeats."),
                code="duplicate_required",
                extra={"field": "duplicate_of"},
            )
    else:
        duplicate_of = None
    clocks.stop_clock(c, step.now, step.calendar, Clock.StopReason.ARCHIVED)
    step.clock_changed()
    step.set(
        archived_at=step.now, archive_reason=reason, duplicate_of=duplicate_of, autoarchive_at=None
    )
    event = step.finish(
        note=note,
        data={"reason": reason, "duplicate_of": duplicate_of.tracking_code if duplicate_of else ""},
    )
    if reason != ArchiveReason.SPAM:
        label = ArchiveReason(reason).label
        extra = (
            (_("It repeats report %(code)s.") % {"code": duplicate_of.tracking_code})
            if duplicate_of
            else ""
        )
        notify_complainant(
            c,
            "complaint_archived",
            key=step.key(event, "archived"),
            context={"reason": str(label), "note": extra},
        )
    return c


@transition
def complaint_forward_out(
    *,
    complaint: Complaint,
    by: Actor,
    forwarded_to: str,
    note: str = "",
    to_national_lapor: bool = False,
) -> Complaint:
    """R28, R18: outside the regency's authority — not processed here, handed on."""
    step = _Step("forward_out", complaint, by)
    c = step.complaint
    forwarded_to = _require_text(
        forwarded_to, "forwarded_to", _("Say where the report is handed on to.")
    )
    clocks.stop_clock(c, step.now, step.calendar, Clock.StopReason.ARCHIVED)
    step.clock_changed()
    step.set(
        archived_at=step.now,
        archive_reason=ArchiveReason.OUT_OF_AUTHORITY,
        forwarded_to=forwarded_to[:300],
        autoarchive_at=None,
    )
    event = step.finish(
        note=note, data={"forwarded_to": forwarded_to, "to_national_lapor": to_national_lapor}
    )
    notify_complainant(
        c,
        "complaint_forwarded",
        key=step.key(event, "forwarded"),
        context={"forwarded_to": forwarded_to},
    )
    return c


# --- Agency: acknowledge, return, respond ------------------------------------------------------


@transition
def complaint_acknowledge(*, complaint: Complaint, by: Actor, note: str = "") -> Complaint:
    """R19: the liaison takes the complaint up and informs the head; the complainant sees it."""
    step = _Step("acknowledge", complaint, by)
    c = step.complaint
    step.set(acknowledged_at=step.now)
    event = step.finish(note=note, agency=c.lead_agency)
    notify_complainant(
        c,
        "complaint_acknowledged",
        key=step.key(event, "ack"),
        context={"agency": str(c.lead_agency)},
    )
    return c


@transition
def complaint_return(
    *, complaint: Complaint, by: Actor, reason: str, suggested_agency: Agency | None = None
) -> Complaint:
    """R5 (Pasal 11(3)g): not this agency's business — back to the Dinas with a suggested
    agency; the response clock stops and a new dispatch clock starts."""
    step = _Step("return", complaint, by)
    c = step.complaint
    reason = _require_text(reason, "reason", _("Explain why this is not your agency's business."))
    if suggested_agency is not None and suggested_agency.pk == c.lead_agency_id:
        raise ApplicationError(
            _("Suggest another agency than your own."),
            code="same_agency",
            extra={"field": "suggested_agency"},
        )
    returning_agency = c.lead_agency
    clocks.stop_clock(c, step.now, step.calendar, Clock.StopReason.RETURNED)
    clocks.start_dispatch_clock(c, step.now, step.calendar, step.policy)
    step.clock_changed()
    step.set(suggested_agency=suggested_agency)
    event = step.finish(
        note=reason,
        agency=returning_agency,
        is_public=True,
        data={"suggested_agency": suggested_agency.code if suggested_agency else ""},
    )
    notify_users(
        staff_list_active(roles=[Role.ADMIN]),
        "complaint_returned",
        key=step.key(event, "returned"),
        complaint=c,
        context={
            "agency": str(returning_agency),
            "note": reason,
            "suggested": str(suggested_agency) if suggested_agency else "-",
            "dispatch_due": time.format_local(c.dispatch_due_at),
        },
    )
    return c


@transition
def complaint_respond(
    *, complaint: Complaint, by: Actor, text: str, cause: Cause, resolution: str
) -> Complaint:
    """R29: the agency's response reaches the complainant through the system, with the cause
    (Pasal 13) and the handling result (Pasal 12); the 10-day closing window opens."""
    step = _Step("respond", complaint, by)
    c = step.complaint
    text = _require_text(text, "text", _("Write the response to the complainant."))
    if cause is None or not cause.is_active:
        raise ApplicationError(
            _("Choose the cause of the complaint."), code="cause_required", extra={"field": "cause"}
        )
    if resolution not in Resolution.values:
        raise ApplicationError(
            _("Choose the handling result."),
            code="resolution_required",
            extra={"field": "resolution"},
        )
    stopped = clocks.stop_clock(c, step.now, step.calendar, Clock.StopReason.RESPONDED)
    step.clock_changed()
    autoclose_at = step.now + dt.timedelta(days=step.policy.autoclose_days)
    step.set(
        responded_at=step.now,
        first_responded_at=c.first_responded_at or step.now,
        cause=cause,
        resolution=resolution,
        autoclose_at=autoclose_at,
    )
    Message.objects.create(
        complaint=c,
        kind=Message.Kind.RESPONSE,
        author=by.user,
        agency=c.lead_agency,
        body=text,
        cause=cause,
        resolution=resolution,
        created_at=step.now,
    )
    event = step.finish(
        agency=c.lead_agency,
        data={
            "cause": cause.code,
            "resolution": resolution,
            "target_met": stopped.target_met if stopped else None,
            "deadline_met": stopped.deadline_met if stopped else None,
            "working_days": stopped.working_days_used if stopped else None,
        },
    )
    notify_complainant(
        c,
        "complaint_responded",
        key=step.key(event, "responded"),
        context={
            "agency": str(c.lead_agency),
            "response": text,
            "autoclose_days": step.policy.autoclose_days,
            "autoclose_at": time.format_local(autoclose_at),
        },
    )
    return c


# --- Complainant: follow up, confirm, rate -----------------------------------------------------


@transition
def complaint_follow_up(
    *, complaint: Complaint, by: Actor, text: str, channel: str = ""
) -> Complaint:
    """R31: a reply within the 10 days sends the complaint back to the agency, with a new
    response clock."""
    step = _Step("follow_up", complaint, by)
    c = step.complaint
    text = _require_text(text, "text", _("Write your reply."))
    if c.autoclose_at is not None and step.now >= c.autoclose_at:
        raise ApplicationError(
            _("The 10 days to reply to this response have passed."), code="window_closed"
        )
    agency = c.lead_agency
    if agency is None:  # cannot happen: a responded complaint has a lead agency
        raise ApplicationError(_("This complaint has no lead agency."), code="no_agency")
    clocks.start_response_clock(c, agency, step.now, step.calendar, step.policy)
    step.clock_changed()
    step.set(autoclose_at=None, follow_up_count=c.follow_up_count + 1, acknowledged_at=step.now)
    Message.objects.create(
        complaint=c, kind=Message.Kind.FOLLOW_UP, body=text, channel=channel, created_at=step.now
    )
    event = step.finish(agency=agency)
    context = {
        "agency": str(agency),
        "response_due": time.format_local(c.response_due_at),
        "response_target": time.format_local(c.response_target_at),
    }
    notify_users(
        staff_list_active(roles=[Role.LIAISON], agency_id=agency.pk),
        "follow_up_for_agency",
        key=step.key(event, "follow_up"),
        context=context,
        complaint=c,
    )
    notify_complainant(
        c, "follow_up_received", key=step.key(event, "follow_up_ack"), context=context
    )
    return c


def _validate_rating(satisfaction: int | None) -> None:
    if satisfaction is not None and not (isinstance(satisfaction, int) and 1 <= satisfaction <= 5):
        raise ApplicationError(
            _("Give a rating from 1 to 5."), code="invalid_rating", extra={"field": "satisfaction"}
        )


@transition
def complaint_confirm(
    *, complaint: Complaint, by: Actor, satisfaction: int | None = None, comment: str = ""
) -> Complaint:
    """The complainant confirms it is solved; may rate it at the same time (Pasal 12)."""
    step = _Step("confirm", complaint, by)
    _validate_rating(satisfaction)
    step.set(closed_at=step.now, close_reason=CloseReason.CONFIRMED, autoclose_at=None)
    if satisfaction is not None:
        step.set(satisfaction=satisfaction, satisfaction_comment=comment.strip(), rated_at=step.now)
    event = step.finish(data={"satisfaction": satisfaction})
    notify_complainant(
        step.complaint, "complaint_closed", key=step.key(event, "closed"), context={}
    )
    return step.complaint


@transition
def complaint_rate(
    *, complaint: Complaint, by: Actor, satisfaction: int, comment: str = ""
) -> Complaint:
    """R32: the complainant's response to the handling — 1 to 5 and a comment, once."""
    step = _Step("rate", complaint, by)
    _validate_rating(satisfaction)
    if satisfaction is None:
        raise ApplicationError(
            _("Give a rating from 1 to 5."), code="invalid_rating", extra={"field": "satisfaction"}
        )
    if step.complaint.rated_at is not None:
        raise ApplicationError(_("This report has already been rated."), code="already_rated")
    step.set(satisfaction=satisfaction, satisfaction_comment=comment.strip(), rated_at=step.now)
    step.finish(data={"satisfaction": satisfaction}, is_public=False)
    return step.complaint


# --- The system: sweeps ------------------------------------------------------------------------


@transition
def complaint_auto_close(*, complaint: Complaint, by: Actor) -> Complaint:
    """R31: closed when 10 days have passed since the response without a reply."""
    step = _Step("auto_close", complaint, by)
    c = step.complaint
    if c.autoclose_at is None or step.now < c.autoclose_at:
        raise ApplicationError(_("The closing window has not ended yet."), code="not_due")
    step.set(closed_at=step.now, close_reason=CloseReason.NO_REPLY, autoclose_at=None)
    event = step.finish()
    notify_complainant(
        c,
        "complaint_auto_closed",
        key=step.key(event, "auto_closed"),
        context={"autoclose_days": step.policy.autoclose_days},
    )
    return c


@transition
def complaint_auto_archive(*, complaint: Complaint, by: Actor) -> Complaint:
    """R26, R27: a pending report whose complainant did not answer in time is archived."""
    step = _Step("auto_archive", complaint, by)
    c = step.complaint
    if c.autoarchive_at is None or step.now < c.autoarchive_at:
        raise ApplicationError(_("The waiting time has not ended yet."), code="not_due")
    clocks.stop_clock(c, step.now, step.calendar, Clock.StopReason.ARCHIVED)
    step.clock_changed()
    step.set(archived_at=step.now, archive_reason=ArchiveReason.NO_REPLY, autoarchive_at=None)
    event = step.finish(data={"reason": ArchiveReason.NO_REPLY})
    notify_complainant(
        c,
        "complaint_archived",
        key=step.key(event, "auto_archived"),
        context={"reason": str(ArchiveReason.NO_REPLY.label), "note": ""},
    )
    return c


# --- Dinas: restore ----------------------------------------------------------------------------


@transition
def complaint_restore(*, complaint: Complaint, by: Actor, reason: str) -> Complaint:
    """Reopen an archived or closed complaint, with a reason: back to verification."""
    step = _Step("restore", complaint, by)
    c = step.complaint
    reason = _require_text(reason, "reason", _("Give the reason for reopening."))
    clocks.start_dispatch_clock(c, step.now, step.calendar, step.policy)
    step.clock_changed()
    step.set(
        archived_at=None,
        archive_reason="",
        duplicate_of=None,
        forwarded_to="",
        closed_at=None,
        close_reason="",
        autoclose_at=None,
        autoarchive_at=None,
    )
    event = step.finish(note=reason, data={"from_state": step.from_state})
    notify_complainant(c, "complaint_restored", key=step.key(event, "restored"), context={})
    return c


VERB_FUNCTIONS = {
    "dispatch": complaint_dispatch,
    "redispatch": complaint_redispatch,
    "request_info": complaint_request_info,
    "supplement": complaint_supplement,
    "archive": complaint_archive,
    "forward_out": complaint_forward_out,
    "acknowledge": complaint_acknowledge,
    "return": complaint_return,
    "respond": complaint_respond,
    "follow_up": complaint_follow_up,
    "confirm": complaint_confirm,
    "rate": complaint_rate,
    "auto_close": complaint_auto_close,
    "auto_archive": complaint_auto_archive,
    "restore": complaint_restore,
}
