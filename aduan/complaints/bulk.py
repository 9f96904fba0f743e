"""Complaints in bulk, for benchmarks (bench/generate_complaints.py) and their test.

This is not the workflow: a million complaints through the transition functions would take
hours. The rows are written with bulk_create, batch by batch, as the workflow would have left
them: one Event per state change (R6) plus the sweeps' reminders and escalations (R13), Clock
rows whose deadlines come from the working calendar (R25, R29) — computed with
aduan.workdays.calendar on a holiday set loaded once, not with a query per row — and the
complaint's current deadlines equal to those of its running clock. Identity is encrypted for
real (EncryptedTextField encrypts every value inside bulk_create) and looked up by keyed hash,
so the cost of encryption is part of the figures.

Texts, places and people come from the demo (aduan.complaints.demo), with a seeded
random.Random; tracking codes and access tokens are random (secrets), as in production.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from aduan.agencies.models import Agency, Category, Cause, Region
from aduan.core import clock, crypto
from aduan.core.fields import EncryptedTextField
from aduan.workdays import calendar as workdays
from aduan.workdays.services import deadline_after, non_working_days

from .codes import access_token_hash, new_access_token, new_tracking_code
from .demo import texts
from .demo.people import person
from .models import (
    Channel,
    Clock,
    Complainant,
    Complaint,
    DeadlinePolicy,
    Event,
    Kind,
    Message,
)
from .models.complainant import identity_hashes
from .models.complaint import CloseReason
from .workflow.states import ArchiveReason, Status

CHANNELS = [
    (Channel.WEB, 30),
    (Channel.APP, 14),
    (Channel.SMS, 14),
    (Channel.WHATSAPP, 18),
    (Channel.EMAIL, 6),
    (Channel.TELEGRAM, 4),
    (Channel.SOCIAL_MEDIA, 3),
    (Channel.CALL_CENTER, 4),
    (Channel.WALK_IN, 4),
    (Channel.COMPLAINT_BOX, 2),
    (Channel.NATIONAL_LAPOR, 1),
]
EARLY_ARCHIVE = [
    (ArchiveReason.UNCLEAR, 30),
    (ArchiveReason.INCOMPLETE, 15),
    (ArchiveReason.DUPLICATE, 25),
    (ArchiveReason.SPAM, 10),
    (ArchiveReason.SARA, 3),
    (ArchiveReason.OUT_OF_AUTHORITY, 17),
]
ADMIN, LIAISON, COMPLAINANT, SYSTEM = "admin", "liaison", "complainant", "system"
MINUTE = dt.timedelta(minutes=1)


@dataclass
class BulkReport:
    complaints: int = 0
    seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)
    by_state: dict[str, int] = field(default_factory=dict)
    encrypted_values: int = 0
    encrypt_seconds: float = 0.0  # encrypted_values x the measured cost of one encryption

    @property
    def per_second(self) -> float:
        return self.complaints / self.seconds if self.seconds else 0.0


class Calendar:
    """Deadlines on a preloaded holiday set, memoised by local date."""

    def __init__(self, holidays: frozenset[dt.date]):
        self.holidays = holidays
        self._calendar = workdays.WorkingCalendar.from_dates(holidays)
        self.zone = timezone.get_default_timezone()
        self._due: dict[tuple[dt.date, int], dt.datetime] = {}
        self._between: dict[tuple[dt.date, dt.date], int] = {}

    @classmethod
    def for_years(cls, first: int, last: int) -> Calendar:
        days: set[dt.date] = set()
        for year in range(first, last + 1):
            days |= non_working_days(year)
        return cls(frozenset(days))

    def local_date(self, moment: dt.datetime) -> dt.date:
        return moment.astimezone(self.zone).date()

    def due(self, moment: dt.datetime, working_days: int) -> dt.datetime:
        """workdays.services.deadline_after, memoised: the end of the local day `working_days`
        working days after `moment`'s local date."""
        key = (self.local_date(moment), working_days)
        found = self._due.get(key)
        if found is None:
            found = self._due[key] = deadline_after(moment, working_days, self._calendar)
        return found

    def between(self, start: dt.datetime, end: dt.datetime) -> int:
        key = (self.local_date(start), self.local_date(end))
        found = self._between.get(key)
        if found is None:
            found = self._between[key] = workdays.working_days_between(*key, self.holidays)
        return found

    def office(self, moment: dt.datetime, rng: random.Random) -> dt.datetime:
        """`moment` if it is in office hours (08:00-16:00 on a working day), else the next
        opening plus a few minutes."""
        local = moment.astimezone(self.zone)
        day = local.date()
        if workdays.is_working_day(day, self.holidays) and 8 <= local.hour < 16:
            return moment
        if not (workdays.is_working_day(day, self.holidays) and local.hour < 8):
            day = workdays.next_working_day(day + dt.timedelta(days=1), self.holidays)
        opening = dt.datetime.combine(day, dt.time(8), tzinfo=self.zone)
        return (opening + dt.timedelta(minutes=rng.uniform(0, 150))).astimezone(dt.UTC)


class _Ended(Exception):
    """The next step of a complaint's life would be after "now"."""


@dataclass
class _Clock:
    kind: str
    agency_id: int | None
    started_at: dt.datetime
    allowance: int
    due_at: dt.datetime | None
    target_at: dt.datetime | None = None
    paused_at: dt.datetime | None = None
    remaining: int | None = None
    stopped_at: dt.datetime | None = None
    stop_reason: str = ""
    working_days_used: int | None = None
    target_met: bool | None = None
    deadline_met: bool | None = None
    target_passed_at: dt.datetime | None = None
    deadline_passed_at: dt.datetime | None = None
    segment_start: dt.datetime | None = None  # since when it runs unpaused


def _sweep_minute(moment: dt.datetime) -> dt.datetime:
    """When the minute-by-minute sweep acts on something due at `moment`."""
    return moment.replace(second=0, microsecond=0) + MINUTE


class _Life:
    """One complaint's history, simulated in memory with the workflow's rules."""

    def __init__(self, gen: _Generator, received_at: dt.datetime):
        self.gen = gen
        self.cal = gen.calendar
        self.policy = gen.policy
        self.now = gen.now
        self.events: list[tuple[dt.datetime, int, dict[str, Any]]] = []
        self.clocks: list[_Clock] = []
        self.messages: list[dict[str, Any]] = []
        self.running: _Clock | None = None
        self.status: str = Status.RECEIVED
        self.statuses: list[tuple[dt.datetime, str]] = []
        self.t = received_at
        self.f: dict[str, Any] = {
            "status": Status.RECEIVED,
            "status_changed_at": received_at,
            "received_at": received_at,
        }

    # -- time --

    def at(self, moment: dt.datetime) -> dt.datetime:
        if moment >= self.now:
            raise _Ended
        self.t = max(moment, self.t + MINUTE)
        if self.t >= self.now:
            raise _Ended
        return self.t

    def staff_after(self, lo_hours: float, hi_hours: float) -> dt.datetime:
        rng = self.gen.rng
        moment = self.t + dt.timedelta(hours=rng.uniform(lo_hours, hi_hours))
        return self.at(self.cal.office(moment, rng))

    def citizen_after(self, lo_hours: float, hi_hours: float) -> dt.datetime:
        return self.at(self.t + dt.timedelta(hours=self.gen.rng.uniform(lo_hours, hi_hours)))

    # -- records --

    def event(
        self,
        at: dt.datetime,
        verb: str,
        to: str | None,
        role: str,
        *,
        agency_id: int | None = None,
        actor_agency_id: int | None = None,
        data: dict[str, Any] | None = None,
        note: str = "",
        public: bool = True,
        state: str | None = None,
    ) -> None:
        """Record an event; `to` is the new state (None: no change, in `state` or the current)."""
        before = "" if verb == "submit" else (state or self.status)
        after = before if to is None else to
        self.events.append(
            (
                at,
                len(self.events),
                {
                    "created_at": at,
                    "verb": verb,
                    "actor_role": role,
                    "actor_agency_id": actor_agency_id,
                    "from_state": before,
                    "to_state": after,
                    "agency_id": agency_id,
                    "note": note,
                    "is_public": public,
                    "data": data or {},
                },
            )
        )
        if to is not None and (to != self.status or verb == "submit"):
            self.status = to
            self.statuses.append((at, to))
            self.f["status"] = to
            self.f["status_changed_at"] = at

    def status_at(self, moment: dt.datetime) -> str:
        index = bisect.bisect_right([at for at, _s in self.statuses], moment) - 1
        return self.statuses[max(index, 0)][1]

    # -- clocks (as workflow/clocks.py) --

    def start_dispatch_clock(self, at: dt.datetime) -> None:
        days = self.policy.dispatch_working_days
        running = _Clock(Clock.Kind.DISPATCH, None, at, days, self.cal.due(at, days))
        running.segment_start = at
        self.clocks.append(running)
        self.running = running
        self.f.update(dispatch_due_at=running.due_at, response_due_at=None, response_target_at=None)

    def start_response_clock(self, at: dt.datetime, agency_id: int) -> None:
        days = self.policy.response_deadline_working_days
        running = _Clock(
            Clock.Kind.RESPONSE,
            agency_id,
            at,
            days,
            self.cal.due(at, days),
            target_at=self.cal.due(at, self.policy.response_target_working_days),
        )
        running.segment_start = at
        self.clocks.append(running)
        self.running = running
        self.f.update(
            dispatch_due_at=None,
            response_due_at=running.due_at,
            response_target_at=running.target_at,
        )

    def _close_segment(self, end: dt.datetime | None) -> None:
        """The sweeps that fell in the segment the clock just ran: the target reminder and
        the overdue escalation, each once per clock."""
        running = self.running
        if running is None or running.segment_start is None:
            return
        limit = end or self.now
        start = running.segment_start
        running.segment_start = None
        if (
            running.kind == Clock.Kind.RESPONSE
            and running.target_at
            and not running.target_passed_at
        ):
            moment = _sweep_minute(running.target_at)
            if start <= moment < limit:
                running.target_passed_at = moment
                self.event(
                    moment,
                    "target_passed",
                    None,
                    SYSTEM,
                    agency_id=running.agency_id,
                    data={"target_at": running.target_at.isoformat()},
                    public=False,
                    state=self.status_at(moment),
                )
        if running.due_at and not running.deadline_passed_at:
            moment = _sweep_minute(running.due_at)
            if start <= moment < limit:
                running.deadline_passed_at = moment
                self.event(
                    moment,
                    "overdue",
                    None,
                    SYSTEM,
                    agency_id=running.agency_id,
                    data={"kind": str(running.kind), "due_at": running.due_at.isoformat()},
                    public=False,
                    state=self.status_at(moment),
                )

    def pause(self, at: dt.datetime) -> None:
        running = self.running
        if running is None or running.paused_at is not None or running.due_at is None:
            return
        self._close_segment(at)
        running.remaining = self.cal.between(at, running.due_at)
        running.paused_at = at
        self.f["dispatch_due_at"] = None

    def resume(self, at: dt.datetime) -> None:
        running = self.running
        if running is None or running.paused_at is None:
            return
        remaining = running.remaining or 0
        if remaining >= 0:
            running.due_at = self.cal.due(at, remaining)
        running.paused_at = None
        running.remaining = None
        running.segment_start = at
        self.f["dispatch_due_at"] = running.due_at

    def stop(self, at: dt.datetime, reason: str) -> _Clock | None:
        running = self.running
        if running is None:
            return None
        if running.paused_at is not None or running.due_at is None:
            left = running.remaining or 0
            running.deadline_met = left >= 0
        else:
            self._close_segment(at)
            left = self.cal.between(at, running.due_at)
            running.deadline_met = at <= running.due_at
        running.working_days_used = running.allowance - left
        if running.target_at is not None:
            running.target_met = at <= running.target_at
        running.stopped_at = at
        running.stop_reason = reason
        self.running = None
        self.f.update(dispatch_due_at=None, response_due_at=None, response_target_at=None)
        return running

    def finish(self) -> None:
        """At "now": the sweeps that fell due while the clock still runs."""
        if self.running is not None and self.running.paused_at is None:
            self._close_segment(None)
            self.running.segment_start = self.now  # nothing more to sweep


class _Generator:
    def __init__(self, *, rng: random.Random, now: dt.datetime, days: int):
        self.rng = rng
        self.now = now
        self.days = days
        self.policy = DeadlinePolicy.current()
        start = now - dt.timedelta(days=days)
        self.calendar = Calendar.for_years(start.year, now.year + 1)
        self.villages = list(
            Region.objects.filter(
                level__in=[Region.Level.VILLAGE, Region.Level.URBAN_VILLAGE],
                parent__level=Region.Level.DISTRICT,
            ).select_related("parent")
        )
        categories = {c.code: c for c in Category.objects.select_related("default_agency")}
        self.routing: dict[str, int] = {}
        for code, category in categories.items():
            agency = category.routing_agency()
            if agency is not None:
                self.routing[code] = agency.pk
        self.category_ids = {code: c.pk for code, c in categories.items()}
        self.causes = {c.code: c.pk for c in Cause.objects.all()}
        coordinator = Agency.coordinator()
        self.coordinator_id = coordinator.pk if coordinator else None
        self.topics = [tp for tp in texts.TOPICS if tp.answers and tp.category in self.routing]
        self.topic_weights = [tp.weight for tp in self.topics]
        self.forward_topics = [tp for tp in texts.TOPICS if tp.forward_to]
        self.wrong = {
            tp.key: self.routing[tp.wrong_category]
            for tp in self.topics
            if tp.wrong_category in self.routing
        }
        self.channels = [c for c, _w in CHANNELS]
        self.channel_weights = [w for _c, w in CHANNELS]
        self.earlier_ids: list[int] = []
        self.codes: set[str] = set(Complaint.objects.values_list("tracking_code", flat=True))
        self.writers = {model: _RowWriter(model) for model in (Complainant, Event, Clock, Message)}

    # -- one complaint --

    def life(self) -> tuple[dict[str, Any], dict[str, Any], _Life]:
        rng = self.rng
        received = self.now - dt.timedelta(seconds=rng.uniform(60, self.days * 86400))
        life = _Life(self, received)
        village = rng.choice(self.villages)
        district = village.parent
        topic = rng.choices(self.topics, weights=self.topic_weights)[0]
        roll = rng.random()
        early_archive = None
        if roll < 0.08:
            early_archive = rng.choices(
                [r for r, _w in EARLY_ARCHIVE], weights=[w for _r, w in EARLY_ARCHIVE]
            )[0]
            if early_archive == ArchiveReason.OUT_OF_AUTHORITY:
                topic = rng.choice(self.forward_topics)
            elif early_archive == ArchiveReason.DUPLICATE and not self.earlier_ids:
                early_archive = ArchiveReason.UNCLEAR
        variant = rng.randrange(len(topic.bodies))
        context = {
            "Desa": "Kelurahan" if village.level == Region.Level.URBAN_VILLAGE else "Desa",
            "desa": village.name,
            "kec": district.name if district else "",
            "n": rng.randint(2, 6),
            "m": rng.choice([50, 100, 200, 300]),
            "patokan": rng.choice(texts.LANDMARKS),
            "sekolah": f"SD Negeri {rng.randint(1, 5)} {district.name if district else ''}",
            "hari": rng.choice(texts.WEEKDAYS),
            "variant": variant,
        }
        channel = rng.choices(self.channels, weights=self.channel_weights)[0]
        short = channel in (Channel.SMS, Channel.WHATSAPP, Channel.TELEGRAM)
        body = (
            topic.short[variant] if short and variant < len(topic.short) else topic.bodies[variant]
        ).format(**context)
        title = body[:80] if short else topic.titles[variant].format(**context)
        token = new_access_token()
        anonymous = rng.random() < (0.3 if topic.sensitive else 0.08)
        complaint = {
            "tracking_code": self._code(),
            "access_token_hash": access_token_hash(token),
            "access_token": token,
            "kind": topic.kind,
            "title": title[:200],
            "body": body,
            "region_id": village.pk,
            "location_text": f"{context['Desa']} {context['desa']}, Kec. {context['kec']}",
            "channel": channel,
            "anonymous": anonymous,
            "private": rng.random() < (0.3 if topic.sensitive else 0.06),
            "protection_requested": anonymous and topic.sensitive,
        }
        identity = self._identity(
            channel,
            village.name,
            f"{context['Desa']} {village.name}",
            district.code[-2:] if district else "11",
        )
        life.f["category_id"] = (
            self.category_ids[topic.category]
            if channel in (Channel.WEB, Channel.APP) and rng.random() < 0.5
            else None
        )
        context["channel"] = channel
        with contextlib.suppress(_Ended):  # the rest of its life is in the future
            self._live(life, topic, context, early_archive)
        life.finish()
        complaint.update(life.f)
        return complaint, identity, life

    def _live(
        self, life: _Life, topic: texts.Topic, context: dict[str, Any], early: str | None
    ) -> None:
        rng = self.rng
        policy = self.policy
        t0 = life.t
        life.event(t0, "submit", Status.RECEIVED, COMPLAINANT, data={"channel": context["channel"]})
        life.start_dispatch_clock(t0)
        if early is not None:
            at = life.staff_after(0.3, 40)
            life.stop(at, Clock.StopReason.ARCHIVED)
            if early == ArchiveReason.OUT_OF_AUTHORITY:
                life.f.update(archived_at=at, archive_reason=early, forwarded_to=topic.forward_to)
                life.event(
                    at,
                    "forward_out",
                    Status.ARCHIVED,
                    ADMIN,
                    actor_agency_id=self.coordinator_id,
                    data={"forwarded_to": topic.forward_to},
                )
            else:
                duplicate_of = (
                    rng.choice(self.earlier_ids) if early == ArchiveReason.DUPLICATE else None
                )
                life.f.update(archived_at=at, archive_reason=early, duplicate_of_id=duplicate_of)
                life.event(
                    at,
                    "archive",
                    Status.ARCHIVED,
                    ADMIN,
                    actor_agency_id=self.coordinator_id,
                    data={"reason": early},
                )
            return
        if rng.random() < 0.05:  # incomplete: ask the complainant (R26)
            at = life.staff_after(0.3, 24)
            life.pause(at)
            life.f["autoarchive_at"] = at + dt.timedelta(days=policy.autoarchive_pending_days)
            life.messages.append(
                {"kind": Message.Kind.QUESTION, "body": texts.DEFAULT_QUESTION, "created_at": at}
            )
            life.event(
                at, "request_info", Status.PENDING, ADMIN, actor_agency_id=self.coordinator_id
            )
            if rng.random() < 0.4:
                at = life.at(_sweep_minute(life.f["autoarchive_at"]))
                life.stop(at, Clock.StopReason.ARCHIVED)
                life.f.update(
                    archived_at=at, archive_reason=ArchiveReason.NO_REPLY, autoarchive_at=None
                )
                life.event(at, "auto_archive", Status.ARCHIVED, SYSTEM, data={"reason": "no_reply"})
                return
            at = life.citizen_after(2, 24 * 6)
            life.resume(at)
            life.f["autoarchive_at"] = None
            text = texts.DEFAULT_SUPPLEMENT.format(**context)
            life.messages.append({"kind": Message.Kind.SUPPLEMENT, "body": text, "created_at": at})
            life.event(at, "supplement", Status.RECEIVED, COMPLAINANT)
        if rng.random() < 0.004:
            return  # never verified: stays in the Dinas's inbox, overdue
        lead = self.routing[topic.category]
        life.f["category_id"] = self.category_ids[topic.category]
        if topic.key in self.wrong and rng.random() < 0.1:  # R5: wrong agency first
            self._dispatch(life, "dispatch", self.wrong[topic.key], topic)
            at = life.staff_after(2, 48)
            life.stop(at, Clock.StopReason.RETURNED)
            life.start_dispatch_clock(at)
            life.f["suggested_agency_id"] = lead
            life.event(
                at,
                "return",
                Status.RETURNED,
                LIAISON,
                agency_id=life.f["lead_agency_id"],
                actor_agency_id=life.f["lead_agency_id"],
                note=topic.return_reason.format(**context),
            )
            self._dispatch(life, "redispatch", lead, topic)
        else:
            self._dispatch(life, "dispatch", lead, topic)
        if rng.random() < 0.85:
            at = life.staff_after(0.2, 30)
            life.f["acknowledged_at"] = at
            life.event(
                at, "acknowledge", Status.IN_PROGRESS, LIAISON, agency_id=lead, actor_agency_id=lead
            )
        if rng.random() < 0.01:
            return  # never answered: overdue at the agency
        slow = rng.random()
        hours = rng.uniform(2, 96) if slow < 0.7 else rng.uniform(96, 330)
        at = life.staff_after(hours * 0.8, hours)
        answer = rng.choice(topic.answers_for(context["variant"]))
        stopped = life.stop(at, Clock.StopReason.RESPONDED)
        life.f.update(
            responded_at=at,
            first_responded_at=at,
            cause_id=self.causes[answer.cause],
            resolution=answer.resolution,
            autoclose_at=at + dt.timedelta(days=policy.autoclose_days),
        )
        life.messages.append(
            {
                "kind": Message.Kind.RESPONSE,
                "body": answer.text.format(**context),
                "created_at": at,
                "agency_id": lead,
                "cause_id": self.causes[answer.cause],
                "resolution": answer.resolution,
            }
        )
        life.event(
            at,
            "respond",
            Status.RESPONDED,
            LIAISON,
            agency_id=lead,
            actor_agency_id=lead,
            data={
                "cause": answer.cause,
                "resolution": answer.resolution,
                "target_met": stopped.target_met if stopped else None,
                "deadline_met": stopped.deadline_met if stopped else None,
                "working_days": stopped.working_days_used if stopped else None,
            },
        )
        autoclose = life.f["autoclose_at"]
        confirm_at = life.t + dt.timedelta(hours=rng.uniform(1, 24 * 9))
        if rng.random() < 0.35 and confirm_at < autoclose - MINUTE:
            at = life.at(confirm_at)
            score = rng.choices([5, 4, 3, 2, 1], weights=[30, 35, 20, 10, 5])[0]
            rated = rng.random() < 0.7
            life.f.update(closed_at=at, close_reason=CloseReason.CONFIRMED, autoclose_at=None)
            if rated:
                life.f.update(
                    satisfaction=score,
                    satisfaction_comment=rng.choice(texts.CONFIRM_COMMENTS[score]),
                    rated_at=at,
                )
            life.event(
                at,
                "confirm",
                Status.CLOSED,
                COMPLAINANT,
                data={"satisfaction": score if rated else None},
            )
            return
        at = life.at(_sweep_minute(autoclose))
        life.f.update(closed_at=at, close_reason=CloseReason.NO_REPLY, autoclose_at=None)
        life.event(at, "auto_close", Status.CLOSED, SYSTEM)

    def _dispatch(self, life: _Life, verb: str, agency_id: int, topic: texts.Topic) -> None:
        at = life.staff_after(0.3, 40)
        life.stop(
            at,
            Clock.StopReason.REDISPATCHED
            if life.status in (Status.DISPATCHED, Status.IN_PROGRESS)
            else Clock.StopReason.DISPATCHED,
        )
        life.start_response_clock(at, agency_id)
        life.f.update(
            lead_agency_id=agency_id,
            dispatched_at=at,
            acknowledged_at=None,
            suggested_agency_id=None,
            ground=topic.ground if topic.kind == Kind.COMPLAINT else "",
        )
        life.f.setdefault("first_dispatched_at", at)
        life.event(
            at,
            verb,
            Status.DISPATCHED,
            ADMIN,
            agency_id=agency_id,
            actor_agency_id=self.coordinator_id,
            data={"co_agencies": []},
        )

    def _code(self) -> str:
        while True:  # 24^6 codes: collisions are rare but certain at a million
            code = new_tracking_code()
            if code not in self.codes:
                self.codes.add(code)
                return code

    def _identity(self, channel: str, village: str, address: str, district: str) -> dict[str, str]:
        rng = self.rng
        who = person(rng, village=village, district_digits=district)
        phone = "+62" + who.phone[1:]
        email = who.email if channel in (Channel.EMAIL, Channel.WEB) or rng.random() < 0.2 else ""
        identity = {
            "name": who.name if channel != Channel.SMS else "",
            "phone": phone if channel not in (Channel.EMAIL, Channel.TELEGRAM) else "",
            "email": email,
            "address": address if rng.random() < 0.5 else "",
            "nik": who.nik if rng.random() < 0.1 else "",
            "messenger_id": str(rng.randint(10**8, 10**10)) if channel == Channel.TELEGRAM else "",
        }
        identity.update(identity_hashes(identity))
        return identity


ENCRYPTED_COMPLAINANT_FIELDS = ("name", "phone", "email", "address", "nik", "messenger_id")


def generate_complaints(
    count: int,
    *,
    seed: int = 1708,
    days: int = 365,
    batch_size: int = 2000,
    now: dt.datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> BulkReport:
    """Write `count` complaints received over the last `days` days, in batches of
    `batch_size` (one transaction each). Returns what was written and how long it took."""
    started = time.perf_counter()
    # Reproducible fake data, not security.
    rng = random.Random(seed)  # noqa: S311  # nosec B311
    gen = _Generator(rng=rng, now=now or clock.now(), days=days)
    report = BulkReport()
    rows = dict.fromkeys(("complaint", "complainant", "event", "clock", "message"), 0)
    done = 0
    while done < count:
        size = min(batch_size, count - done)
        with transaction.atomic():
            written = _batch(gen, size, report)
        for table, n in written.items():
            rows[table] += n
        done += size
        if progress is not None:
            progress(done, count)
    report.complaints = done
    report.rows = rows
    report.seconds = time.perf_counter() - started
    report.encrypt_seconds = report.encrypted_values * _encrypt_cost()
    return report


class _RowWriter:
    """COPY (PostgreSQL) or multi-row INSERT ... VALUES for the child tables. Values are prepared as Django prepares
    them (encrypted fields encrypted, datetimes adapted, JSON dumped), but no model instance
    is built per row: at a million rows that is most of bulk_create's cost."""

    def __init__(self, model: type[models.Model]):
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        quote = connection.ops.quote_name
        self.table = quote(model._meta.db_table)
        self.columns = ", ".join(quote(f.column) for f in fields if f.column)
        self.row_marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
        limit = connection.features.max_query_params or 32766
        self.rows_per_statement = max(1, min(1000, limit // len(fields)))
        self.plan = [(f.attname, self._default(f), self._adapter(f)) for f in fields]

    @staticmethod
    def _default(field: models.Field[Any, Any]) -> Any:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return timezone.now()
        return field.get_default()  # "" for a text field without a default, as Django does

    @staticmethod
    def _adapter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
        if isinstance(field, EncryptedTextField):
            return lambda value: crypto.encrypt(value) if value else value
        if isinstance(field, models.DateTimeField):
            return connection.ops.adapt_datetimefield_value
        if isinstance(field, models.JSONField):
            return lambda value: field.get_db_prep_save(value, connection)
        return None

    def _sql(self, rows: int) -> str:
        marks = ", ".join([self.row_marks] * rows)
        # Table and column names come from the model, never from input.
        return f"INSERT INTO {self.table} ({self.columns}) VALUES {marks}"  # noqa: S608  # nosec B608

    def write(self, rows: list[dict[str, Any]]) -> int:
        plan = self.plan
        values = [
            tuple(
                (adapt(row.get(name, default)) if adapt else row.get(name, default))
                for name, default, adapt in plan
            )
            for row in rows
        ]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":  # COPY: the fastest way in
                copy_sql = f"COPY {self.table} ({self.columns}) FROM STDIN"
                with cursor.cursor.copy(copy_sql) as copy:
                    for value in values:
                        copy.write_row(value)
                return len(values)
            step = self.rows_per_statement
            for start in range(0, len(values), step):
                chunk = values[start : start + step]
                cursor.execute(self._sql(len(chunk)), [v for row in chunk for v in row])
        return len(values)


def _batch(gen: _Generator, size: int, report: BulkReport) -> dict[str, int]:
    lives = [gen.life() for _ in range(size)]
    complaints = [Complaint(**data) for data, _identity, _life in lives]
    Complaint.objects.bulk_create(complaints)  # through the ORM: the ids come back
    complainants: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    clocks_: list[dict[str, Any]] = []
    messages: list[dict[str, Any]] = []
    encrypted = len(complaints)  # the access token
    for complaint, (_data, identity, life) in zip(complaints, lives, strict=True):
        pk = complaint.pk
        state = str(complaint.status)
        report.by_state[state] = report.by_state.get(state, 0) + 1
        encrypted += sum(1 for name in ENCRYPTED_COMPLAINANT_FIELDS if identity[name])
        complainants.append({"complaint_id": pk, "created_at": complaint.received_at, **identity})
        for _at, _seq, event in sorted(life.events, key=lambda e: (e[0], e[1])):
            events.append({"complaint_id": pk, **event})
        for c in life.clocks:
            clocks_.append(
                {
                    "complaint_id": pk,
                    "kind": c.kind,
                    "agency_id": c.agency_id,
                    "started_at": c.started_at,
                    "allowance_working_days": c.allowance,
                    "target_at": c.target_at,
                    "due_at": c.due_at,
                    "paused_at": c.paused_at,
                    "remaining_working_days": c.remaining,
                    "stopped_at": c.stopped_at,
                    "stop_reason": c.stop_reason,
                    "working_days_used": c.working_days_used,
                    "target_met": c.target_met,
                    "deadline_met": c.deadline_met,
                    "target_passed_at": c.target_passed_at,
                    "deadline_passed_at": c.deadline_passed_at,
                }
            )
        messages.extend({"complaint_id": pk, **message} for message in life.messages)
    written = {
        "complaint": len(complaints),
        "complainant": gen.writers[Complainant].write(complainants),
        "event": gen.writers[Event].write(events),
        "clock": gen.writers[Clock].write(clocks_),
        "message": gen.writers[Message].write(messages),
    }
    gen.earlier_ids.extend(c.pk for c in complaints[:: max(1, size // 50)])
    report.encrypted_values += encrypted
    return written


def _encrypt_cost(samples: int = 2000) -> float:
    """Seconds one field encryption takes here (Fernet: AES-CBC + HMAC, random IV)."""
    value = "Wa Ode Nurhayati +6281234567890"
    started = time.perf_counter()
    for _ in range(samples):
        crypto.encrypt(value)
    return (time.perf_counter() - started) / samples
