"""Three months of Buton's complaints, replayed through the real workflow.

Planning first: every complaint gets a story — a scenario (how its handling went) and a list
of dated steps (submit, dispatch, acknowledge, respond, ...). Staff act in office hours on
working days (WITA), citizens between early morning and late evening, every step after the
one before. A scenario that must end in a given state checks its dates against "now" (a
response less than 10 days old is still `responded`, an older one has been closed by the
sweep) and is planned again with other dates when they do not fit.

Then the replay: all steps of all stories in time order, each one a call of the real
transition function under `clock.frozen_at(step time)`. Between two steps the periodic
sweeps run at each minute where something fell due (an auto-close, an auto-archive, a passed
target or deadline), exactly as the minute-by-minute worker would have. Events, clocks,
deadlines and outbox rows are therefore what production would have written.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Min, Q
from django.utils import timezone

from aduan.accounts.models import User
from aduan.agencies.models import Agency, Category, Cause, Region
from aduan.core import clock
from aduan.workdays.calendar import WorkingCalendar
from aduan.workdays.services import deadline_after

from ..models import Channel, Clock, Complaint, DeadlinePolicy, Kind, Resolution
from ..services import ComplaintSubmission, IdentityInput, complaint_submit
from ..sweeps import SweepReport, run_sweeps
from ..workflow import transitions as t
from ..workflow.actors import Actor
from ..workflow.states import ArchiveReason, Status
from . import texts
from .people import Person, person
from .texts import Answer, Topic

OFFICE_OPEN = dt.time(8, 0)
OFFICE_CLOSE = dt.time(16, 0)
OFFICE_MINUTES = 8 * 60
HISTORY_DAYS = 90
OPERATOR_CHANNELS = frozenset({Channel.CALL_CENTER, Channel.WALK_IN, Channel.COMPLAINT_BOX})
CHANNEL_WEIGHTS = {
    Channel.WEB: 26,
    Channel.APP: 10,
    Channel.SMS: 14,
    Channel.WHATSAPP: 16,
    Channel.EMAIL: 6,
    Channel.TELEGRAM: 4,
    Channel.SOCIAL_MEDIA: 3,
    Channel.CALL_CENTER: 6,
    Channel.WALK_IN: 7,
    Channel.COMPLAINT_BOX: 5,
    Channel.NATIONAL_LAPOR: 3,
}
SHORT_CHANNELS = frozenset({Channel.SMS, Channel.WHATSAPP, Channel.TELEGRAM})


# --- time ----------------------------------------------------------------------------------


class Timeline:
    """When people act: staff in office hours on working days, citizens from 06:00 to 22:00."""

    def __init__(self, calendar: WorkingCalendar, rng: random.Random):
        self.calendar = calendar
        self.rng = rng
        self.zone = timezone.get_default_timezone()

    def local(self, moment: dt.datetime) -> dt.datetime:
        return moment.astimezone(self.zone)

    def office_after(self, moment: dt.datetime, lo: float, hi: float) -> dt.datetime:
        """`lo`..`hi` minutes of office time after `moment`."""
        remaining = dt.timedelta(minutes=self.rng.uniform(lo, hi))
        current = self.local(moment)
        while True:
            day = current.date()
            if self.calendar.is_working_day(day):
                opens = dt.datetime.combine(day, OFFICE_OPEN, tzinfo=self.zone)
                closes = dt.datetime.combine(day, OFFICE_CLOSE, tzinfo=self.zone)
                current = max(current, opens)
                if current < closes:
                    if current + remaining <= closes:
                        return (current + remaining).astimezone(dt.UTC)
                    remaining -= closes - current
            current = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=self.zone)

    def citizen_after(self, moment: dt.datetime, lo_hours: float, hi_hours: float) -> dt.datetime:
        candidate = self.local(moment + dt.timedelta(hours=self.rng.uniform(lo_hours, hi_hours)))
        if candidate.hour < 6 or candidate.hour >= 22:
            day = candidate.date() + dt.timedelta(days=1 if candidate.hour >= 22 else 0)
            candidate = dt.datetime.combine(day, dt.time(6), tzinfo=self.zone) + dt.timedelta(
                minutes=self.rng.uniform(0, 180)
            )
        return candidate.astimezone(dt.UTC)

    def submission(self, days_ago: float, now: dt.datetime, *, office: bool) -> dt.datetime:
        """A submission about `days_ago` days before `now`: operator intake in office hours,
        anything else mostly in the daytime (some SMS and web reports come at night)."""
        base = self.local(now - dt.timedelta(days=days_ago))
        if office:
            return self.office_after(base, 0, 90)
        if days_ago < 1:  # recent: keep the exact moment (the last hour must have some)
            return base.astimezone(dt.UTC)
        hour = self.rng.choices(range(24), weights=[1] * 6 + [4] * 12 + [3] * 4 + [1] * 2)[0]
        moment = dt.datetime.combine(base.date(), dt.time(hour), tzinfo=self.zone)
        return (moment + dt.timedelta(seconds=self.rng.uniform(0, 3599))).astimezone(dt.UTC)


# --- stories -------------------------------------------------------------------------------


@dataclass
class Step:
    at: dt.datetime
    verb: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Story:
    index: int
    scenario: str
    topic: Topic | None
    channel: str
    context: dict[str, Any]
    steps: list[Step] = field(default_factory=list)
    person: Person | None = None
    complaint: Complaint | None = None
    duplicate_of: Story | None = None

    @property
    def subject(self) -> Topic:
        if self.topic is None:
            raise ValueError(f"story {self.index} ({self.scenario}) has no topic")
        return self.topic

    @property
    def who(self) -> Person:
        if self.person is None:
            raise ValueError(f"story {self.index} ({self.scenario}) has no complainant")
        return self.person

    @property
    def current(self) -> Complaint:
        if self.complaint is None:
            raise ValueError(f"story {self.index} ({self.scenario}) is not submitted yet")
        return self.complaint


@dataclass(frozen=True)
class Scenario:
    name: str
    weight: int
    build: Callable[[Planner, Story], bool]


class Planner:
    """Plans the stories (see the module docstring)."""

    def __init__(
        self,
        *,
        rng: random.Random,
        now: dt.datetime,
        calendar: WorkingCalendar,
        policy: DeadlinePolicy,
        villages: list[Region],
        categories: dict[str, Category],
    ):
        self.rng = rng
        self.now = now
        self.calendar = calendar
        self.policy = policy
        self.villages = villages
        self.categories = categories
        self.timeline = Timeline(calendar, rng)
        self.stories: list[Story] = []
        self.cursor = now
        self._story: Story | None = None

    # -- building blocks used by the scenarios --

    def _add(self, at: dt.datetime, verb: str, **params: Any) -> dt.datetime:
        if self._story is None:
            raise ValueError("submit() starts a story")
        at = max(at, self.cursor + dt.timedelta(seconds=self.rng.uniform(60, 600)))
        self._story.steps.append(Step(at, verb, params))
        self.cursor = at
        return at

    def staff(self, verb: str, lo: float, hi: float, **params: Any) -> dt.datetime:
        return self._add(self.timeline.office_after(self.cursor, lo, hi), verb, **params)

    def citizen(self, verb: str, lo_hours: float, hi_hours: float, **params: Any) -> dt.datetime:
        return self._add(
            self.timeline.citizen_after(self.cursor, lo_hours, hi_hours), verb, **params
        )

    def days(self, n: float) -> dt.timedelta:
        return dt.timedelta(days=n)

    def due(self, start: dt.datetime, working_days: int) -> dt.datetime:
        return deadline_after(start, working_days, self.calendar)

    def fmt(self, text: str, story: Story) -> str:
        return text.format(**story.context)

    def answer(self, story: Story, *, final: bool = False) -> Answer:
        """An answer that fits what the citizen wrote; after a follow-up, a resolved answer
        not given before (or the generic second response, with the first one's cause)."""
        answers = story.subject.answers_for(story.context["variant"])
        if not final:
            return self.rng.choice(answers)
        given = [step.params["answer"] for step in story.steps if step.verb == "respond"]
        better = [a for a in answers if a not in given and a.resolution == Resolution.RESOLVED]
        if better:
            return self.rng.choice(better)
        cause = given[0].cause if given else answers[0].cause
        return Answer(cause, Resolution.RESOLVED, texts.AFTER_FOLLOW_UP)

    def rating(self) -> tuple[int, str]:
        score = self.rng.choices([5, 4, 3, 2, 1], weights=[30, 35, 20, 10, 5])[0]
        return score, self.rng.choice(texts.CONFIRM_COMMENTS[score])

    # -- the complaint's life --

    def submit(self, story: Story, at: dt.datetime) -> dt.datetime:
        self._story = story
        self.cursor = at - dt.timedelta(minutes=10)
        return self._add(at, "submit")

    def dispatch(self, story: Story, *, late: bool = False, category: str = "") -> dt.datetime:
        lo, hi = (1000, 2400) if late else (15, 900)
        co = self.rng.random() < 0.12
        return self.staff("dispatch", lo, hi, category=category or story.subject.category, co=co)

    def respond(self, story: Story, *, late: bool = False, final: bool = False) -> dt.datetime:
        lo, hi = (3300, 4800) if late else (60, 2600)
        answer = self.answer(story, final=final)
        return self.staff("respond", lo, hi, answer=answer, head=self.rng.random() < 0.15)

    def acknowledge(self) -> dt.datetime:
        return self.staff("acknowledge", 5, 500, head=self.rng.random() < 0.1)

    def close(self, story: Story, responded_at: dt.datetime, *, confirm: bool) -> bool:
        """Confirmed within the 10 days (maybe with a rating), or closed by the sweep (and maybe
        rated afterwards)."""
        window = self.days(self.policy.autoclose_days)
        if confirm:
            score, comment = self.rating() if self.rng.random() < 0.75 else (None, "")
            at = self.citizen("confirm", 3, 24 * 8, satisfaction=score, comment=comment)
            return at < responded_at + window - dt.timedelta(hours=1)
        closes = responded_at + window
        if closes + dt.timedelta(minutes=2) >= self.now:
            return False
        if self.rng.random() < 0.3:
            score, comment = self.rating()
            self.cursor = closes + dt.timedelta(minutes=5)
            self.citizen("rate", 1, 24 * 5, satisfaction=score, comment=comment)
        return True

    # -- planning --

    def plan(self, count: int, scenarios: list[Scenario]) -> list[Story]:
        by_name = {s.name: s for s in scenarios}
        order = [name for name in COVERAGE_ORDER if name in by_name][:count]
        weights = [s.weight for s in scenarios]
        while len(order) < count:
            order.append(self.rng.choices(scenarios, weights=weights)[0].name)
        for index, name in enumerate(order):
            story = self._plan_one(index, by_name[name]) or self._plan_one(
                index, by_name["received"], attempts=200
            )
            if story is None:
                raise RuntimeError(f"no plan fits story {index}")  # a fresh one always does
            self.stories.append(story)
        return self.stories

    def _plan_one(self, index: int, scenario: Scenario, attempts: int = 40) -> Story | None:
        for _attempt in range(attempts):
            story = self._new_story(index, scenario)
            ok = scenario.build(self, story)
            steps = story.steps
            if (
                ok
                and steps
                and steps[-1].at < self.now - dt.timedelta(minutes=1)
                and all(a.at < b.at for a, b in itertools.pairwise(steps))
            ):
                return story
        return None

    def _new_story(self, index: int, scenario: Scenario) -> Story:
        rng = self.rng
        topic: Topic | None = None
        if scenario.name == "forwarded_out":
            topic = self._topic(lambda tp: bool(tp.forward_to))
        elif scenario.name in ("returned", "closed_after_return"):
            topic = self._topic(lambda tp: bool(tp.wrong_category and tp.answers))
        elif "follow_up" in scenario.name:
            topic = self._topic(lambda tp: tp.kind == Kind.COMPLAINT and bool(tp.answers))
        elif not scenario.name.startswith("archived_") or scenario.name == "archived_duplicate":
            topic = self._topic(lambda tp: bool(tp.answers))
        village = rng.choice(self.villages)
        district = village.parent
        if district is None:
            raise ValueError(f"village {village.code} has no kecamatan")
        channel = rng.choices(list(CHANNEL_WEIGHTS), weights=list(CHANNEL_WEIGHTS.values()))[0]
        channel = {
            "received_just_now": rng.choice([Channel.WEB, Channel.APP, Channel.SMS]),
            "archived_unclear": rng.choice([Channel.SMS, Channel.WHATSAPP]),
            "archived_spam": Channel.SMS,
            "archived_sara": rng.choice([Channel.SOCIAL_MEDIA, Channel.WEB]),
        }.get(scenario.name, channel)
        context = {
            "Desa": "Kelurahan" if village.level == Region.Level.URBAN_VILLAGE else "Desa",
            "desa": village.name,
            "kec": district.name,
            "n": rng.randint(2, 6),
            "m": rng.choice([50, 100, 150, 200, 300, 500]),
            "patokan": rng.choice(texts.LANDMARKS),
            "sekolah": f"SD Negeri {rng.randint(1, 5)} {district.name}",
            "hari": rng.choice(texts.WEEKDAYS),
            "village": village,
            "variant": rng.randrange(len(topic.bodies)) if topic else 0,
        }
        story = Story(index, scenario.name, topic, channel, context)
        story.person = person(rng, village=village.name, district_digits=district.code[-2:])
        return story

    def _topic(self, accept: Callable[[Topic], bool]) -> Topic:
        candidates = [tp for tp in texts.TOPICS if accept(tp)]
        return self.rng.choices(candidates, weights=[tp.weight for tp in candidates])[0]

    def start(self, story: Story, scenario_ages: tuple[float, float]) -> dt.datetime:
        days_ago = self.rng.uniform(*scenario_ages)
        office = story.channel in OPERATOR_CHANNELS
        at = self.timeline.submission(days_ago, self.now, office=office)
        return self.submit(story, at)


# --- the scenarios -------------------------------------------------------------------------


def _received(p: Planner, s: Story, *, overdue: bool, ages: tuple[float, float]) -> bool:
    at = p.start(s, ages)
    due = p.due(at, p.policy.dispatch_working_days)
    return due < p.now if overdue else due >= p.now


def _pending(p: Planner, s: Story) -> bool:
    p.start(s, (0.5, 9))
    asked = p.staff("request_info", 20, 600)
    return asked + p.days(p.policy.autoarchive_pending_days) > p.now + dt.timedelta(hours=1)


def _dispatched(
    p: Planner, s: Story, *, overdue: bool, ack: bool, ages: tuple[float, float]
) -> bool:
    p.start(s, ages)
    sent = p.dispatch(s)
    if ack:
        p.acknowledge()
    due = p.due(sent, p.policy.response_deadline_working_days)
    return due < p.now if overdue else due >= p.now


def _in_progress_follow_up(p: Planner, s: Story) -> bool:
    p.start(s, (6, 20))
    p.dispatch(s)
    p.acknowledge()
    answered = p.respond(s)
    p.citizen("follow_up", 4, 24 * 7, text=_follow_up_text(p, s))
    return p.cursor < answered + p.days(p.policy.autoclose_days) - dt.timedelta(hours=1)


def _returned(p: Planner, s: Story) -> bool:
    p.start(s, (1, 6))
    p.dispatch(s, category=s.subject.wrong_category)
    p.staff("return", 30, 1400)
    return True


def _responded(p: Planner, s: Story) -> bool:
    p.start(s, (3, 14))
    p.dispatch(s)
    if p.rng.random() < 0.8:
        p.acknowledge()
    answered = p.respond(s)
    return answered + p.days(p.policy.autoclose_days) > p.now + dt.timedelta(hours=1)


def _closed(
    p: Planner,
    s: Story,
    *,
    confirm: bool,
    late: bool = False,
    follow_up: bool = False,
    via_return: bool = False,
    via_pending: bool = False,
    restored: bool = False,
) -> bool:
    topic = s.subject
    p.start(s, (14, HISTORY_DAYS))
    if restored:
        p.staff("archive", 30, 600, reason=ArchiveReason.INCOMPLETE)
        p.staff("restore", 240, 2400)
    if via_pending:
        p.staff("request_info", 20, 600)
        p.citizen(
            "supplement", 2, 24 * 4, text=p.fmt(topic.supplement or texts.DEFAULT_SUPPLEMENT, s)
        )
    if via_return:
        p.dispatch(s, category=topic.wrong_category)
        p.staff("return", 30, 1400)
        p.staff("redispatch", 15, 700, category=topic.category)
    else:
        p.dispatch(s, late=late and p.rng.random() < 0.5)
    if p.rng.random() < 0.85:
        p.acknowledge()
    answered = p.respond(s, late=late)
    if follow_up:
        p.citizen("follow_up", 4, 24 * 7, text=_follow_up_text(p, s))
        if p.cursor >= answered + p.days(p.policy.autoclose_days) - dt.timedelta(hours=1):
            return False
        answered = p.respond(s, final=True)
    return p.close(s, answered, confirm=confirm)


def _follow_up_text(p: Planner, s: Story) -> str:
    return p.fmt(p.rng.choice(s.subject.follow_ups or (texts.DEFAULT_FOLLOW_UP,)), s)


def _archived(p: Planner, s: Story, *, reason: str) -> bool:
    p.start(s, (1, HISTORY_DAYS))
    p.staff("archive", 10, 900, reason=reason)
    return True


def _duplicate(p: Planner, s: Story) -> bool:
    originals = [
        o
        for o in p.stories
        if o.topic is not None
        and o.person is not None
        and o.steps[0].at < p.now - p.days(2)
        and o.scenario != "archived_duplicate"
    ]
    if not originals:
        return False
    original = p.rng.choice(originals)
    s.topic, s.person, s.context = original.topic, original.person, dict(original.context)
    s.duplicate_of = original
    submitted = p.timeline.citizen_after(original.steps[0].at, 2, 24 * 4)
    p.submit(s, submitted)
    p.staff("archive", 10, 900, reason=ArchiveReason.DUPLICATE)
    return True


def _forwarded(p: Planner, s: Story) -> bool:
    p.start(s, (1, HISTORY_DAYS))
    p.staff("forward_out", 15, 900)
    return True


def _auto_archived(p: Planner, s: Story) -> bool:
    p.start(s, (12, HISTORY_DAYS))
    asked = p.staff("request_info", 20, 600)
    return asked + p.days(p.policy.autoarchive_pending_days) + dt.timedelta(minutes=2) < p.now


SCENARIOS: list[Scenario] = [
    Scenario(
        "received_just_now", 1, lambda p, s: _received(p, s, overdue=False, ages=(0.002, 0.04))
    ),
    Scenario("received", 4, lambda p, s: _received(p, s, overdue=False, ages=(0.01, 2))),
    Scenario("received_overdue", 3, lambda p, s: _received(p, s, overdue=True, ages=(4, 20))),
    Scenario("pending", 3, _pending),
    Scenario(
        "dispatched", 3, lambda p, s: _dispatched(p, s, overdue=False, ack=False, ages=(0.3, 6))
    ),
    Scenario(
        "dispatched_overdue",
        2,
        lambda p, s: _dispatched(p, s, overdue=True, ack=False, ages=(11, 25)),
    ),
    Scenario(
        "in_progress", 5, lambda p, s: _dispatched(p, s, overdue=False, ack=True, ages=(1, 8))
    ),
    Scenario(
        "in_progress_overdue",
        3,
        lambda p, s: _dispatched(p, s, overdue=True, ack=True, ages=(12, 30)),
    ),
    Scenario("in_progress_follow_up", 2, _in_progress_follow_up),
    Scenario("returned", 2, _returned),
    Scenario("responded", 6, _responded),
    Scenario("closed_confirmed", 18, lambda p, s: _closed(p, s, confirm=True)),
    Scenario("closed_auto", 18, lambda p, s: _closed(p, s, confirm=False)),
    Scenario("closed_late", 6, lambda p, s: _closed(p, s, confirm=p.rng.random() < 0.4, late=True)),
    Scenario(
        "closed_follow_up",
        5,
        lambda p, s: _closed(p, s, confirm=p.rng.random() < 0.5, follow_up=True),
    ),
    Scenario(
        "closed_after_return",
        3,
        lambda p, s: _closed(p, s, confirm=p.rng.random() < 0.5, via_return=True),
    ),
    Scenario(
        "closed_after_pending", 3, lambda p, s: _closed(p, s, confirm=False, via_pending=True)
    ),
    Scenario("closed_restored", 1, lambda p, s: _closed(p, s, confirm=True, restored=True)),
    Scenario("archived_unclear", 2, lambda p, s: _archived(p, s, reason=ArchiveReason.UNCLEAR)),
    Scenario(
        "archived_incomplete", 2, lambda p, s: _archived(p, s, reason=ArchiveReason.INCOMPLETE)
    ),
    Scenario("archived_spam", 1, lambda p, s: _archived(p, s, reason=ArchiveReason.SPAM)),
    Scenario("archived_sara", 1, lambda p, s: _archived(p, s, reason=ArchiveReason.SARA)),
    Scenario("archived_duplicate", 3, _duplicate),
    Scenario("forwarded_out", 4, _forwarded),
    Scenario("auto_archived", 3, _auto_archived),
]

# The first stories take one of each scenario, so that even a small demo shows every state.
COVERAGE_ORDER = [
    "closed_confirmed",
    "received",
    "pending",
    "dispatched",
    "in_progress",
    "returned",
    "responded",
    "archived_duplicate",
    "forwarded_out",
    "closed_auto",
    "received_overdue",
    "in_progress_overdue",
    "dispatched_overdue",
    "closed_follow_up",
    "closed_after_return",
    "closed_after_pending",
    "auto_archived",
    "received_just_now",
    "in_progress_follow_up",
    "closed_late",
    "archived_unclear",
    "archived_spam",
    "archived_sara",
    "archived_incomplete",
    "closed_restored",
    "received_just_now",
]


# --- the replay ----------------------------------------------------------------------------


@dataclass
class ReplayReport:
    complaints: int = 0
    steps: int = 0
    state_changes: int = 0  # transitions that changed a state, submissions and sweeps included
    sweeps: SweepReport = field(default_factory=SweepReport)
    sweep_runs: int = 0
    complaint_ids: list[int] = field(default_factory=list)


class Replayer:
    """Runs the planned stories through the workflow, in time order, with the sweeps between."""

    def __init__(self, stories: list[Story], *, now: dt.datetime, rng: random.Random):
        self.stories = stories
        self.now = now
        self.rng = rng
        self.report = ReplayReport()
        self.categories = {c.code: c for c in Category.objects.select_related("default_agency")}
        self.agencies = {a.code: a for a in Agency.objects.all()}
        self.causes = {c.code: c for c in Cause.objects.all()}
        users = User.objects.filter(username__in=_actor_usernames(self.agencies)).select_related(
            "agency"
        )
        self.actors = {u.username: Actor.of(u) for u in users}
        self.admin = self.actors["admin"]
        self._alternatives: dict[str, list[Agency]] = {}

    def run(self) -> ReplayReport:
        queue: list[tuple[dt.datetime, int, int]] = [
            (story.steps[0].at, story.index, 0) for story in self.stories
        ]
        heapq.heapify(queue)
        while queue:
            at, index, position = heapq.heappop(queue)
            self.sweep_until(at)
            story = self.stories[index]
            with clock.frozen_at(at):
                self.perform(story, story.steps[position])
            if position + 1 < len(story.steps):
                heapq.heappush(queue, (story.steps[position + 1].at, index, position + 1))
        self.sweep_until(self.now)
        return self.report

    # -- sweeps --

    def sweep_until(self, limit: dt.datetime) -> None:
        """Run the sweeps at every minute up to `limit` where something is due."""
        last: dt.datetime | None = None
        while True:
            due = _next_due()
            if due is None:
                return
            moment = due.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
            if moment > limit or moment == last:
                return
            with clock.frozen_at(moment):
                result = run_sweeps()
            last = moment
            self.report.sweep_runs += 1
            sweeps = self.report.sweeps
            sweeps.closed += result.closed
            sweeps.archived += result.archived
            sweeps.reminded += result.reminded
            sweeps.escalated += result.escalated
            sweeps.errors += result.errors
            self.report.state_changes += result.closed + result.archived

    # -- one step --

    def perform(self, story: Story, step: Step) -> None:
        handler = getattr(self, f"_do_{step.verb}")
        complaint = handler(story, **step.params)
        story.complaint = complaint
        self.report.steps += 1
        if step.verb != "rate":
            self.report.state_changes += 1

    def _staff_of(self, complaint: Complaint, head: bool = False) -> Actor:
        agency = complaint.lead_agency
        if agency is None:
            raise ValueError(f"{complaint.tracking_code} has no lead agency")
        return self.actors[f"{'pimpinan' if head else 'penghubung'}.{agency.code}"]

    def _text(self, story: Story, text: str) -> str:
        return text.format(**story.context)

    def _do_submit(self, story: Story) -> Complaint:
        submission = self._submission(story)
        by = self.admin if story.channel in OPERATOR_CHANNELS else None
        complaint = complaint_submit(submission=submission, by=by).complaint
        self.report.complaints += 1
        self.report.complaint_ids.append(complaint.pk)
        return complaint

    def _do_request_info(self, story: Story) -> Complaint:
        question = (story.topic.question if story.topic else "") or texts.DEFAULT_QUESTION
        return t.complaint_request_info(complaint=self._c(story), by=self.admin, question=question)

    def _do_supplement(self, story: Story, text: str) -> Complaint:
        return t.complaint_supplement(
            complaint=self._c(story), by=Actor.complainant(), text=text, channel=story.channel
        )

    def _do_dispatch(self, story: Story, category: str, co: bool) -> Complaint:
        chosen = self.categories[category]
        agency = self._routing(chosen)
        co_agencies = (
            [a for a in self._alternatives_of(chosen) if a.pk != agency.pk][:1] if co else []
        )
        return t.complaint_dispatch(
            complaint=self._c(story),
            by=self.admin,
            agency=agency,
            co_agencies=co_agencies,
            category=chosen,
            kind=story.subject.kind,
            ground=story.subject.ground,
            note="Laporan lengkap dan jelas; diteruskan sesuai kategori.",
        )

    def _do_redispatch(self, story: Story, category: str) -> Complaint:
        chosen = self.categories[category]
        agency = self._routing(chosen)
        return t.complaint_redispatch(
            complaint=self._c(story),
            by=self.admin,
            agency=agency,
            category=chosen,
            note="Didisposisikan ulang sesuai saran perangkat daerah.",
        )

    def _do_return(self, story: Story) -> Complaint:
        complaint = self._c(story)
        suggested = self._routing(self.categories[story.subject.category])
        return t.complaint_return(
            complaint=complaint,
            by=self._staff_of(complaint),
            reason=self._text(story, story.subject.return_reason),
            suggested_agency=suggested,
        )

    def _do_acknowledge(self, story: Story, head: bool) -> Complaint:
        complaint = self._c(story)
        return t.complaint_acknowledge(
            complaint=complaint,
            by=self._staff_of(complaint, head),
            note="Sudah dilaporkan kepada pimpinan dan diteruskan ke bidang teknis.",
        )

    def _do_respond(self, story: Story, answer: Answer, head: bool) -> Complaint:
        complaint = self._c(story)
        return t.complaint_respond(
            complaint=complaint,
            by=self._staff_of(complaint, head),
            text=self._text(story, answer.text),
            cause=self.causes[answer.cause],
            resolution=answer.resolution,
        )

    def _do_follow_up(self, story: Story, text: str) -> Complaint:
        return t.complaint_follow_up(
            complaint=self._c(story), by=Actor.complainant(), text=text, channel=story.channel
        )

    def _do_confirm(self, story: Story, satisfaction: int | None, comment: str) -> Complaint:
        return t.complaint_confirm(
            complaint=self._c(story),
            by=Actor.complainant(),
            satisfaction=satisfaction,
            comment=comment,
        )

    def _do_rate(self, story: Story, satisfaction: int, comment: str) -> Complaint:
        return t.complaint_rate(
            complaint=self._c(story),
            by=Actor.complainant(),
            satisfaction=satisfaction,
            comment=comment,
        )

    def _do_archive(self, story: Story, reason: str) -> Complaint:
        duplicate_of = story.duplicate_of.complaint if story.duplicate_of else None
        return t.complaint_archive(
            complaint=self._c(story),
            by=self.admin,
            reason=reason,
            note=texts.ARCHIVE_NOTES.get(reason, ""),
            duplicate_of=duplicate_of,
        )

    def _do_forward_out(self, story: Story) -> Complaint:
        return t.complaint_forward_out(
            complaint=self._c(story),
            by=self.admin,
            forwarded_to=story.subject.forward_to,
            note="Di luar kewenangan Pemerintah Kabupaten Buton (Pasal 11 ayat (2) huruf f).",
            to_national_lapor=story.subject.forward_national,
        )

    def _do_restore(self, story: Story) -> Complaint:
        return t.complaint_restore(
            complaint=self._c(story), by=self.admin, reason=texts.RESTORE_REASON
        )

    def _c(self, story: Story) -> Complaint:
        return story.current

    def _routing(self, category: Category) -> Agency:
        agency = category.routing_agency()
        if agency is None:
            raise ValueError(f"category {category.code} routes to no agency")
        return agency

    def _alternatives_of(self, category: Category) -> list[Agency]:
        if category.code not in self._alternatives:
            self._alternatives[category.code] = list(
                category.alternative_agencies.filter(is_active=True).order_by("code")
            )
        return self._alternatives[category.code]

    # -- what the citizen sent --

    def _submission(self, story: Story) -> ComplaintSubmission:
        rng = self.rng
        topic = story.topic
        channel = story.channel
        village: Region = story.context["village"]
        short = channel in SHORT_CHANNELS
        kind: str = Kind.COMPLAINT
        title, body, category = "", "", None
        if story.scenario == "archived_unclear":
            body = rng.choice(texts.UNCLEAR)
        elif story.scenario == "archived_spam":
            body = rng.choice(texts.SPAM)
        elif story.scenario == "archived_sara":
            body = rng.choice(texts.SARA)
        elif story.scenario == "archived_incomplete" or topic is None:
            body = rng.choice(texts.INCOMPLETE)
        else:
            kind = topic.kind
            variant = story.context["variant"]
            texts_of = topic.short if short and variant < len(topic.short) else topic.bodies
            body = self._text(story, texts_of[variant])
            if not short:
                title = self._text(story, topic.titles[variant])
            if channel in (Channel.WEB, Channel.APP) and rng.random() < 0.5:
                category = self.categories[topic.category]
        sensitive = bool(topic and topic.sensitive)
        anonymous = rng.random() < (0.4 if sensitive else 0.08)
        private = rng.random() < (0.4 if sensitive else 0.06)
        received_on = clock.local_date()
        event_date = None
        if kind == Kind.COMPLAINT and rng.random() < 0.6:
            event_date = received_on - dt.timedelta(days=rng.randint(0, 14))
        latitude = longitude = None
        if channel in (Channel.WEB, Channel.APP) and village.latitude and rng.random() < 0.6:
            latitude = village.latitude + Decimal(rng.randint(-900, 900)) / 100000
            longitude = (village.longitude or Decimal(0)) + Decimal(rng.randint(-900, 900)) / 100000
        return ComplaintSubmission(
            channel=channel,
            body=body,
            title=title,
            kind=kind,
            event_date=event_date,
            region=village,
            location_text=self._text(story, "{Desa} {desa}, Kec. {kec}") if not short else "",
            latitude=latitude,
            longitude=longitude,
            category=category,
            anonymous=anonymous,
            private=private,
            protection_requested=sensitive and anonymous,
            identity=self._identity(story, channel),
            national_reference=f"{rng.randint(10**6, 10**7 - 1)}"
            if channel == Channel.NATIONAL_LAPOR
            else "",
        )

    def _identity(self, story: Story, channel: str) -> IdentityInput:
        rng = self.rng
        who = story.who
        address = self._text(story, "{Desa} {desa}, Kecamatan {kec}")
        if channel == Channel.SMS:
            return IdentityInput(phone=who.phone)
        if channel == Channel.WHATSAPP:
            return IdentityInput(name=who.name, phone=who.phone)
        if channel == Channel.TELEGRAM:
            return IdentityInput(name=who.name, messenger_id=str(rng.randint(10**8, 10**10)))
        if channel == Channel.EMAIL:
            return IdentityInput(name=who.name, email=who.email)
        if channel == Channel.CALL_CENTER:
            return IdentityInput(name=who.name, phone=who.phone)
        if channel == Channel.WALK_IN:
            return IdentityInput(name=who.name, phone=who.phone, address=address, nik=who.nik)
        if channel == Channel.COMPLAINT_BOX:
            return IdentityInput(
                name=who.name if rng.random() < 0.6 else "",
                address=address if rng.random() < 0.5 else "",
                phone=who.phone if rng.random() < 0.3 else "",
            )
        if channel == Channel.SOCIAL_MEDIA:
            return IdentityInput(name=who.name, phone=who.phone if rng.random() < 0.5 else "")
        return IdentityInput(  # web, app, national LAPOR!
            name=who.name,
            phone=who.phone,
            email=who.email if rng.random() < 0.6 else "",
            address=address if rng.random() < 0.5 else "",
            nik=who.nik if rng.random() < 0.1 else "",
        )


def _actor_usernames(agencies: dict[str, Agency]) -> list[str]:
    names = ["admin"]
    for code in agencies:
        names += [f"penghubung.{code}", f"pimpinan.{code}"]
    return names


def _next_due() -> dt.datetime | None:
    """The earliest moment at which a sweep has something to do (the same filters as the
    sweeps use), or None."""
    complaints = Complaint.objects.aggregate(
        close=Min("autoclose_at", filter=Q(status=Status.RESPONDED)),
        archive=Min("autoarchive_at", filter=Q(status=Status.PENDING)),
    )
    clocks = Clock.objects.filter(stopped_at__isnull=True).aggregate(
        target=Min("target_at", filter=Q(kind=Clock.Kind.RESPONSE, target_passed_at__isnull=True)),
        deadline=Min("due_at", filter=Q(paused_at__isnull=True, deadline_passed_at__isnull=True)),
    )
    moments = [m for m in (*complaints.values(), *clocks.values()) if m is not None]
    return min(moments) if moments else None
