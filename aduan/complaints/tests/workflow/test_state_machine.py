"""A hypothesis state machine over the complaint lifecycle (R6, R25, R26, R29, R31, S17).

It drives a few complaints through random sequences of transitions — by the right actors and
by wrong ones (other roles, other agencies) — with time travel and the periodic sweeps, keeps
its own model of what should have happened, and checks after every step:

- every call succeeds or fails exactly as the lifecycle table predicts (a refused call changes
  nothing);
- per complaint, the Events with from_state != to_state are exactly the successful
  state-changing calls, form an unbroken chain, and each (from, to) is allowed by TRANSITIONS
  for its verb (so closed and archived are only reached through the verbs allowed to reach them);
- at most one running Clock, of the kind the state needs (dispatch, paused iff pending;
  response; none), whose deadlines equal the complaint's and equal deadline_after() from the
  clock's start or resume on the working calendar;
- the auto-close / auto-archive moments are set exactly in responded / pending;
- sweeps close, archive, remind and escalate exactly what is due, once;
- no outbox row is lost: every idempotency key the transitions produced is distinct and
  exists exactly once, and no other row exists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from aduan.accounts.roles import Role
from aduan.agencies.models import Agency, Cause
from aduan.complaints.models import Clock, Complaint, Event
from aduan.complaints.sweeps import run_sweeps
from aduan.complaints.tests import factories as f
from aduan.complaints.workflow import transitions as t
from aduan.complaints.workflow.actors import Actor
from aduan.complaints.workflow.states import TRANSITIONS
from aduan.core import clock as time
from aduan.core.exceptions import ApplicationError
from aduan.notifications import services as notifications
from aduan.notifications.models import OutboxMessage
from aduan.workdays.services import deadline_after, working_calendar

from .support import EXPECTED, ROLES, VERBS, WITA, snapshot

AGENCIES = ["dpupr", "disperkim", "dinkes"]
CONTACTS = [
    {"channel": "web"},
    {"channel": "sms", "email": ""},
    {"channel": "web", "phone": "", "email": ""},
]
STARTS = [
    dt.datetime(2026, 3, 17, 16, 0, tzinfo=WITA),  # the week of Nyepi and Idulfitri
    dt.datetime(2026, 12, 21, 9, 0, tzinfo=WITA),  # Christmas and New Year
    dt.datetime(2026, 6, 12, 23, 30, tzinfo=WITA),  # late Friday, Tahun Baru Islam next week
    dt.datetime(2026, 5, 13, 7, 59, tzinfo=WITA),  # Ascension and its cuti bersama
]
DELTAS = [
    dt.timedelta(seconds=1),
    dt.timedelta(hours=1),
    dt.timedelta(hours=9),
    dt.timedelta(days=1),
    dt.timedelta(days=2),
    dt.timedelta(days=4),
    dt.timedelta(days=10),
]
REACHED_BY = {
    "closed": {"confirm", "auto_close"},
    "archived": {"archive", "forward_out", "auto_archive"},
}


@dataclass
class ClockModel:
    kind: str
    due: dt.datetime
    target: dt.datetime | None = None
    paused: bool = False
    remaining: int | None = None
    reminded: bool = False
    escalated: bool = False
    resumed_at: dt.datetime | None = None
    resumed_with: int | None = None  # working days left when it resumed


@dataclass
class ComplaintModel:
    pk: int
    status: str = "received"
    lead: str | None = None
    state_changes: int = 1  # the submission's Event ("" -> received)
    clock: ClockModel | None = None
    autoclose_at: dt.datetime | None = None
    autoarchive_at: dt.datetime | None = None
    rated: bool = False


class Lifecycle(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.traveller: time_machine.Traveller | None = None
        self.models: list[ComplaintModel] = []
        self.produced: list[str] = []
        notifications_keys.clear()
        users = [(Role.ADMIN, None), (Role.MEMBER, None), (Role.CHAIR, None)]
        users += [(Role.PATRON, None), (Role.REGENT, None)]
        users += [(role, code) for role in (Role.LIAISON, Role.AGENCY_HEAD) for code in AGENCIES]
        self.actors: dict[tuple[str, str | None], Actor] = {
            (role.value, code): f.actor(role, Agency.objects.get(code=code) if code else None)
            for role, code in users
        }
        self.actors[("complainant", None)] = Actor.complainant()
        self.actors[("system", None)] = Actor.system()
        self.cause = Cause.objects.get(code="sarana_rusak")

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)
        if self.traveller is not None:
            self.traveller_ctx.stop()

    # --- the model's clock arithmetic -------------------------------------------------------

    def _dispatch_clock(self) -> ClockModel:
        return ClockModel("dispatch", deadline_after(self.now, 2, working_calendar()))

    def _response_clock(self) -> ClockModel:
        calendar = working_calendar()
        return ClockModel(
            "response",
            deadline_after(self.now, 7, calendar),
            deadline_after(self.now, 2, calendar),
        )

    @property
    def now(self) -> dt.datetime:
        return time.now()

    def _collect(self, ok: bool) -> None:
        """Take the outbox keys the last call asked for (a refused call asks for none)."""
        keys = list(notifications_keys)
        notifications_keys.clear()
        if ok:
            self.produced.extend(keys)
        else:
            assert keys == [], "a refused call must write no outbox row"

    # --- rules ------------------------------------------------------------------------------

    @initialize(
        start=st.one_of(
            st.sampled_from(STARTS),
            st.datetimes(
                min_value=dt.datetime(2026, 1, 2), max_value=dt.datetime(2026, 11, 30)
            ).map(lambda d: d.replace(tzinfo=WITA)),
        ),
        contact=st.sampled_from(range(len(CONTACTS))),
    )
    def start(self, start: dt.datetime, contact: int) -> None:
        self.traveller_ctx = time_machine.travel(start, tick=False)
        self.traveller = self.traveller_ctx.start()
        self._submit(contact)

    def _submit(self, contact: int) -> None:
        complaint = f.submit(**CONTACTS[contact])
        self._collect(ok=True)
        self.models.append(ComplaintModel(pk=complaint.pk, clock=self._dispatch_clock()))

    @precondition(lambda self: len(self.models) < 3)
    @rule(contact=st.sampled_from(range(len(CONTACTS))))
    def submit(self, contact: int) -> None:
        self._submit(contact)

    @rule(delta=st.sampled_from(DELTAS), then_sweep=st.booleans())
    def travel(self, delta: dt.timedelta, then_sweep: bool) -> None:
        """Time passes; then maybe the periodic sweeps run."""
        assert self.traveller is not None
        self.traveller.shift(delta)
        if then_sweep:
            self._sweep()

    @rule(
        index=st.integers(0, 2),
        which=st.sampled_from(["autoclose_at", "autoarchive_at", "due", "target"]),
        offset=st.sampled_from([-1, 0, 1]),
        then_sweep=st.booleans(),
    )
    def travel_to_a_deadline(self, index: int, which: str, offset: int, then_sweep: bool) -> None:
        """Travel to a second around a deadline of one complaint (if it lies ahead)."""
        model = self.models[index % len(self.models)]
        if which in ("due", "target"):
            moment = getattr(model.clock, which, None) if model.clock else None
        else:
            moment = getattr(model, which)
        if moment is not None and moment + dt.timedelta(seconds=offset) > self.now:
            assert self.traveller is not None
            self.traveller.move_to(moment + dt.timedelta(seconds=offset))
        if then_sweep:
            self._sweep()

    @precondition(lambda self: any(m.autoclose_at or m.autoarchive_at for m in self.models))
    @rule(index=st.integers(0, 2), offset=st.sampled_from([-1, 0, 0, 1]), then_sweep=st.booleans())
    def wait_out_a_window(self, index: int, offset: int, then_sweep: bool) -> None:
        """Travel to a second around the end of a reply window (responded or pending)."""
        waiting = [m for m in self.models if m.autoclose_at or m.autoarchive_at]
        model = waiting[index % len(waiting)]
        moment = (model.autoclose_at or model.autoarchive_at) + dt.timedelta(seconds=offset)
        if moment > self.now:
            assert self.traveller is not None
            self.traveller.move_to(moment)
        if then_sweep:
            self._sweep()

    @rule(
        index=st.integers(0, 2),
        verb=st.sampled_from(VERBS),
        role=st.sampled_from(ROLES),
        actor_agency=st.sampled_from(AGENCIES),
        agency=st.sampled_from(AGENCIES),
        satisfaction=st.sampled_from([None, 4]),
    )
    def act_as_anyone(
        self,
        index: int,
        verb: str,
        role: str,
        actor_agency: str,
        agency: str,
        satisfaction: int | None,
    ) -> None:
        """Any verb by any actor: mostly refused, and a refusal must change nothing."""
        self._act(
            self.models[index % len(self.models)], verb, role, actor_agency, agency, satisfaction
        )

    @rule(
        index=st.integers(0, 2),
        data=st.data(),
        agency=st.sampled_from(AGENCIES),
        satisfaction=st.sampled_from([None, 4]),
    )
    def act_as_the_right_actor(
        self, index: int, data: st.DataObject, agency: str, satisfaction: int | None
    ) -> None:
        """A verb possible from the current state, by a role allowed to do it (of the lead
        agency, for the agency's verbs); it may still be refused (too early, same agency...)."""
        model = self.models[index % len(self.models)]
        verb = data.draw(st.sampled_from([v for v in VERBS if model.status in EXPECTED[v][0]]))
        role = data.draw(st.sampled_from(sorted(EXPECTED[verb][2])))
        self._act(model, verb, role, model.lead or "dpupr", agency, satisfaction)

    @rule(
        index=st.integers(0, 2),
        data=st.data(),
        agency=st.sampled_from(AGENCIES),
        satisfaction=st.sampled_from([None, 4]),
    )
    def act_again_as_the_right_actor(
        self, index: int, data: st.DataObject, agency: str, satisfaction: int | None
    ) -> None:
        """(The same rule twice, so that complaints get deep into the lifecycle.)"""
        self.act_as_the_right_actor(index, data, agency, satisfaction)

    def _act(
        self,
        model: ComplaintModel,
        verb: str,
        role: str,
        actor_agency: str,
        agency: str,
        satisfaction: int | None,
    ) -> None:
        key = (role, actor_agency if role in ("liaison", "agency_head") else None)
        by = self.actors[key]
        expected_error = self._expected_error(model, verb, by, agency)
        complaint = Complaint.objects.get(pk=model.pk)
        before = snapshot(complaint) if expected_error else None
        try:
            self._call(verb, complaint, by, agency, satisfaction, model)
        except ApplicationError as exc:
            self._collect(ok=False)
            assert exc.code == expected_error, (verb, role, model.status, exc.code)
            assert snapshot(complaint) == before
            return
        self._collect(ok=True)
        assert expected_error is None, (verb, role, model.status, "should fail", expected_error)
        self._apply(model, verb, agency, satisfaction)

    def _sweep(self) -> None:
        expected = self._expected_sweep()
        report = run_sweeps()
        self._collect(ok=True)
        assert report.errors == []
        assert (report.closed, report.archived, report.reminded, report.escalated) == expected

    # --- what should happen -----------------------------------------------------------------

    def _expected_error(
        self, model: ComplaintModel, verb: str, by: Actor, agency: str
    ) -> str | None:
        sources, _target, roles, own_agency = EXPECTED[verb]
        if by.role.value not in roles:
            return "role_not_allowed"
        lead_id = Agency.objects.get(code=model.lead).pk if model.lead else None
        if own_agency and (by.agency_id is None or by.agency_id != lead_id):
            return "not_own_agency"
        if model.status not in sources:
            return "invalid_state"
        now = self.now
        if verb == "redispatch" and model.status != "returned" and agency == model.lead:
            return "same_agency"
        if verb == "auto_close" and (model.autoclose_at is None or now < model.autoclose_at):
            return "not_due"
        if verb == "auto_archive" and (model.autoarchive_at is None or now < model.autoarchive_at):
            return "not_due"
        if verb == "follow_up" and model.autoclose_at is not None and now >= model.autoclose_at:
            return "window_closed"
        if verb == "rate" and model.rated:
            return "already_rated"
        return None

    def _call(
        self,
        verb: str,
        complaint: Complaint,
        by: Actor,
        agency: str,
        satisfaction: int | None,
        model: ComplaintModel,
    ) -> None:
        to = Agency.objects.get(code=agency)
        if verb == "dispatch":
            t.complaint_dispatch(complaint=complaint, by=by, agency=to)
        elif verb == "redispatch":
            t.complaint_redispatch(complaint=complaint, by=by, agency=to)
        elif verb == "request_info":
            t.complaint_request_info(complaint=complaint, by=by, question="Di mana?")
        elif verb == "supplement":
            t.complaint_supplement(complaint=complaint, by=by, text="Di Wabula.")
        elif verb == "archive":
            t.complaint_archive(complaint=complaint, by=by, reason="unclear")
        elif verb == "forward_out":
            t.complaint_forward_out(complaint=complaint, by=by, forwarded_to="LAPOR! nasional")
        elif verb == "acknowledge":
            t.complaint_acknowledge(complaint=complaint, by=by)
        elif verb == "return":
            suggested = next(code for code in AGENCIES if code != model.lead)
            t.complaint_return(
                complaint=complaint,
                by=by,
                reason="Bukan kewenangan kami.",
                suggested_agency=Agency.objects.get(code=suggested),
            )
        elif verb == "respond":
            t.complaint_respond(
                complaint=complaint, by=by, text="Sudah.", cause=self.cause, resolution="resolved"
            )
        elif verb == "follow_up":
            t.complaint_follow_up(complaint=complaint, by=by, text="Belum beres.")
        elif verb == "confirm":
            t.complaint_confirm(complaint=complaint, by=by, satisfaction=satisfaction)
        elif verb == "rate":
            t.complaint_rate(complaint=complaint, by=by, satisfaction=3)
        elif verb == "auto_close":
            t.complaint_auto_close(complaint=complaint, by=by)
        elif verb == "auto_archive":
            t.complaint_auto_archive(complaint=complaint, by=by)
        elif verb == "restore":
            t.complaint_restore(complaint=complaint, by=by, reason="Dibuka lagi.")
        else:  # pragma: no cover
            raise AssertionError(verb)

    def _apply(
        self, model: ComplaintModel, verb: str, agency: str, satisfaction: int | None
    ) -> None:
        now = self.now
        target = EXPECTED[verb][1]
        if target is not None and target != model.status:  # redispatch may stay dispatched
            model.state_changes += 1
        if target is not None:
            model.status = target
        calendar = working_calendar()
        if verb in ("dispatch", "redispatch"):
            model.lead = agency
            model.clock = self._response_clock()
        elif verb == "request_info":
            assert model.clock is not None
            model.clock.paused = True
            model.clock.remaining = calendar.working_days_between(
                time.local_date(now), time.local_date(model.clock.due)
            )
            model.autoarchive_at = now + dt.timedelta(days=10)
        elif verb == "supplement":
            assert model.clock is not None and model.clock.remaining is not None
            if model.clock.remaining >= 0:
                model.clock.due = deadline_after(now, model.clock.remaining, calendar)
            model.clock.resumed_at, model.clock.resumed_with = now, model.clock.remaining
            model.clock.paused = False
            model.clock.remaining = None
            model.autoarchive_at = None
        elif verb in ("archive", "forward_out", "auto_archive"):
            model.clock = None
            model.autoarchive_at = None
        elif verb == "return":
            model.clock = self._dispatch_clock()
        elif verb == "respond":
            model.clock = None
            model.autoclose_at = now + dt.timedelta(days=10)
        elif verb == "follow_up":
            model.clock = self._response_clock()
            model.autoclose_at = None
        elif verb in ("confirm", "auto_close"):
            model.autoclose_at = None
            model.rated = model.rated or (verb == "confirm" and satisfaction is not None)
        elif verb == "rate":
            model.rated = True
        elif verb == "restore":
            model.clock = self._dispatch_clock()
            model.autoclose_at = model.autoarchive_at = None

    def _expected_sweep(self) -> tuple[int, int, int, int]:
        now = self.now
        closed = archived = reminded = escalated = 0
        for model in self.models:
            if model.status == "responded" and model.autoclose_at <= now:
                self._apply(model, "auto_close", "", None)
                closed += 1
            elif model.status == "pending" and model.autoarchive_at <= now:
                self._apply(model, "auto_archive", "", None)
                archived += 1
        for model in self.models:
            clock = model.clock
            if clock is None:
                continue
            if clock.kind == "response" and not clock.reminded and clock.target < now:
                clock.reminded = True
                reminded += 1
            if not clock.paused and not clock.escalated and clock.due < now:
                clock.escalated = True
                escalated += 1
        return closed, archived, reminded, escalated

    # --- invariants -------------------------------------------------------------------------

    @invariant()
    def complaints_match_the_model(self) -> None:
        calendar = working_calendar()
        for model in self.models:
            complaint = Complaint.objects.get(pk=model.pk)
            assert complaint.status == model.status
            assert (complaint.lead_agency.code if complaint.lead_agency else None) == model.lead
            self._check_events(complaint, model)
            self._check_clock(complaint, model, calendar)
            assert complaint.autoclose_at == model.autoclose_at
            assert (complaint.autoclose_at is not None) == (model.status == "responded")
            assert complaint.autoarchive_at == model.autoarchive_at
            assert (complaint.autoarchive_at is not None) == (model.status == "pending")
            assert (complaint.rated_at is not None) == model.rated

    def _check_events(self, complaint: Complaint, model: ComplaintModel) -> None:
        events = list(Event.objects.filter(complaint=complaint).order_by("id"))
        changes = [e for e in events if e.from_state != e.to_state]
        assert len(changes) == model.state_changes
        assert (changes[0].verb, changes[0].from_state, changes[0].to_state) == (
            "submit",
            "",
            "received",
        )
        state = ""
        for event in events:
            assert event.from_state == state, (event.verb, event.from_state, state)
            state = event.to_state
            if event.verb in TRANSITIONS:
                transition = TRANSITIONS[event.verb]
                assert event.from_state in transition.sources, event.verb
                assert event.to_state == (transition.target or event.from_state), event.verb
            if event.to_state in REACHED_BY and event.from_state != event.to_state:
                assert event.verb in REACHED_BY[event.to_state], event.verb
        assert changes[-1].to_state == complaint.status
        for event in events:
            if event.from_state == event.to_state:
                assert event.verb in {"rate", "redispatch", "target_passed", "overdue"}, event.verb
        clocks = Clock.objects.filter(complaint=complaint)
        overdue = sum(1 for e in events if e.verb == "overdue")
        reminders = sum(1 for e in events if e.verb == "target_passed")
        assert overdue == clocks.filter(deadline_passed_at__isnull=False).count()
        assert reminders == clocks.filter(target_passed_at__isnull=False).count()

    def _check_clock(self, complaint: Complaint, model: ComplaintModel, calendar) -> None:  # type: ignore[no-untyped-def]
        running = list(Clock.objects.filter(complaint=complaint, stopped_at__isnull=True))
        assert len(running) <= 1
        status = complaint.status
        if status in ("received", "returned", "pending"):
            (clock,) = running
            assert clock.kind == "dispatch"
            assert (clock.paused_at is not None) == (status == "pending")
            assert complaint.dispatch_due_at == (None if status == "pending" else clock.due_at)
            assert complaint.response_due_at is None and complaint.response_target_at is None
        elif status in ("dispatched", "in_progress"):
            (clock,) = running
            assert clock.kind == "response" and clock.paused_at is None
            assert clock.agency.code == model.lead
            assert complaint.response_due_at == clock.due_at
            assert complaint.response_target_at == clock.target_at
            assert complaint.dispatch_due_at is None
            assert clock.target_at == deadline_after(clock.started_at, 2, calendar)
            assert clock.due_at == deadline_after(clock.started_at, 7, calendar)
        else:
            assert running == []
            assert complaint.dispatch_due_at is None
            assert complaint.response_due_at is None and complaint.response_target_at is None
            assert model.clock is None
            return
        assert model.clock is not None
        assert clock.kind == model.clock.kind
        assert clock.due_at == model.clock.due
        assert clock.target_at == model.clock.target
        assert clock.remaining_working_days == model.clock.remaining
        assert (clock.target_passed_at is not None) == model.clock.reminded
        assert (clock.deadline_passed_at is not None) == model.clock.escalated
        # The deadline is deadline_after() from the clock's start, or from its last resume with
        # the working days it had left (a clock already late when paused stays late).
        resumed_at, left = model.clock.resumed_at, model.clock.resumed_with
        if resumed_at is None:
            allowance = clock.allowance_working_days
            assert clock.due_at == deadline_after(clock.started_at, allowance, calendar)
        elif left is not None and left >= 0:
            assert clock.due_at == deadline_after(resumed_at, left, calendar)
        else:
            assert clock.due_at < resumed_at

    @invariant()
    def no_outbox_row_is_lost(self) -> None:
        assert len(self.produced) == len(set(self.produced)), "two messages shared a key"
        pks = [m.pk for m in self.models]
        rows = list(
            OutboxMessage.objects.filter(complaint_id__in=pks).values_list(
                "idempotency_key", flat=True
            )
        )
        assert sorted(rows) == sorted(self.produced)


notifications_keys: list[str] = []


@pytest.fixture
def recorded_outbox(monkeypatch):
    """Record the idempotency key of every outbox row a transition or sweep asks for."""
    real = notifications.outbox_enqueue

    def recording(**kwargs):  # type: ignore[no-untyped-def]
        message = real(**kwargs)
        notifications_keys.append(kwargs["idempotency_key"])
        return message

    monkeypatch.setattr(notifications, "outbox_enqueue", recording)
    return notifications_keys


def test_lifecycle_state_machine(ref, recorded_outbox):
    """R6, R25, R26, R29, R31, S17: random transition sequences by right and wrong actors, with
    time travel and sweeps, keep every lifecycle invariant."""
    run_state_machine_as_test(
        Lifecycle,
        settings=settings(
            max_examples=40,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
