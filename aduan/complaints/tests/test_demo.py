"""`manage.py load_demo`: demo accounts and complaints replayed through the workflow.

The demo is what people see first (`make run`), so its data must be what production would
have written: one Event per state change (R6), clocks and deadlines that agree (R25, R29),
nothing left running on a finished complaint (R31), and no demo account outside demo mode.
"""

from __future__ import annotations

import datetime as dt
import random
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F
from django.test import override_settings

from aduan.accounts.models import User
from aduan.accounts.roles import Role
from aduan.agencies.models import Agency, Category, Region
from aduan.audit.models import AuditEntry
from aduan.complaints.demo import DemoModeRequired, load_demo
from aduan.complaints.demo.replay import SCENARIOS, Planner
from aduan.complaints.models import Clock, Complaint, DeadlinePolicy, Event, Message
from aduan.complaints.workflow.states import FINAL_STATES, Status
from aduan.core import clock
from aduan.notifications.models import OutboxMessage
from aduan.workdays.services import working_calendar

N = 60
# A fixed "now" keeps the test independent of the day it runs (weekends, holidays).
NOW = dt.datetime(2026, 2, 25, 5, 30, tzinfo=dt.UTC)  # Wednesday 13:30 WITA


def _load(**kwargs):
    out = StringIO()
    with override_settings(ADUAN_DEMO=True):
        report = load_demo(complaints=kwargs.pop("complaints", N), now=NOW, **kwargs)
        call_command("load_demo", complaints=0, stdout=out)  # prints the logins, adds nothing
    return report, out.getvalue()


@pytest.fixture(scope="module")
def _demo_once(django_db_setup, django_db_blocker):
    """One demo for the module's tests (it takes seconds to replay): loaded in a transaction
    that is rolled back when the module is done; each test runs in a savepoint inside it."""
    from pathlib import Path

    from django.conf import settings
    from django.db import transaction

    from aduan.agencies.loader import load_reference_data

    with django_db_blocker.unblock(), transaction.atomic():
        load_reference_data(Path(settings.BASE_DIR) / "data" / "buton")
        yield _load()
        transaction.set_rollback(True)


@pytest.fixture
def demo(_demo_once, db):
    return _demo_once


def _counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "complaints": Complaint.objects.count(),
        "events": Event.objects.count(),
        "clocks": Clock.objects.count(),
        "messages": Message.objects.count(),
        "outbox": OutboxMessage.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


@override_settings(ADUAN_DEMO=False)
def test_refused_outside_demo_mode(buton):
    """Demo accounts (password `demo`) never exist outside demo mode: the command fails with a
    clear message and creates no user and no complaint."""
    assert not User.objects.exists()  # runs before the module's demo is loaded
    with pytest.raises(CommandError, match="outside demo mode"):
        call_command("load_demo", complaints=5, stdout=StringIO())
    with pytest.raises(DemoModeRequired):
        load_demo(complaints=5)
    assert User.objects.count() == 0
    assert Complaint.objects.count() == 0


@override_settings(ADUAN_DEMO=True)
def test_refused_without_reference_data(db):
    """Without the agencies there is nothing to route to: a clear error, nothing created."""
    assert not Agency.objects.exists()  # runs before the module's demo is loaded
    with pytest.raises(CommandError, match="load_reference_data"):
        call_command("load_demo", complaints=5, stdout=StringIO())
    assert User.objects.count() == 0


def test_demo_accounts_have_their_roles(demo):
    """R11: admin (Diskominfo, Django superuser), chair, member, regent, patron, and a liaison
    officer and an agency head for every agency; all with the password `demo`."""
    expected = {
        "admin": (Role.ADMIN, "diskominfo"),
        "ketua": (Role.CHAIR, None),
        "anggota": (Role.MEMBER, None),
        "bupati": (Role.REGENT, None),
        "pembina": (Role.PATRON, None),
    }
    for agency in Agency.objects.all():
        expected[f"penghubung.{agency.code}"] = (Role.LIAISON, agency.code)
        expected[f"pimpinan.{agency.code}"] = (Role.AGENCY_HEAD, agency.code)
    users = {u.username: u for u in User.objects.select_related("agency")}
    assert set(users) == set(expected)
    for username, (role, agency_code) in expected.items():
        user = users[username]
        assert user.role == role, username
        assert (user.agency.code if user.agency else None) == agency_code, username
        assert user.email == f"{username}@demo.aduan.local"
        assert user.is_active
    assert users["admin"].is_staff and users["admin"].is_superuser
    assert not users["penghubung.dpupr"].is_superuser
    assert users["bupati"].check_password("demo")
    assert users["penghubung.dinkes"].check_password("demo")


def test_demo_prints_the_logins(demo):
    _report, output = demo
    for name in ("admin", "ketua", "anggota", "bupati", "pembina", "penghubung.", "pimpinan."):
        assert name in output
    assert "password: demo" in output


def test_every_state_is_present(demo):
    """R6: the demo shows every lifecycle state, including overdue ones (R13, R25, R29)."""
    report, _output = demo
    assert Complaint.objects.count() == N == report.complaints_created
    present = set(Complaint.objects.values_list("status", flat=True))
    assert present == set(Status.values)
    assert Complaint.objects.overdue(NOW).exists()
    assert Event.objects.filter(verb="overdue").exists()


def test_variety_of_the_demo(demo):
    """What a demo must show: duplicates and forwarded reports archived (R27, R28), follow-ups,
    ratings, anonymous and confidential reports (R7), operator intake (R23), auto-close (R31)."""
    c = Complaint.objects
    assert c.filter(status=Status.ARCHIVED, archive_reason="duplicate", duplicate_of__isnull=False)
    assert c.filter(status=Status.ARCHIVED, archive_reason="out_of_authority").exclude(
        forwarded_to=""
    )
    assert c.filter(follow_up_count__gt=0).exists()
    assert c.filter(satisfaction__isnull=False).exists()
    assert c.filter(anonymous=True).exists()
    assert c.filter(private=True).exists()
    assert c.filter(
        submitted_by__username="admin", channel__in=["walk_in", "call_center", "complaint_box"]
    )
    assert c.filter(close_reason="no_reply").exists()
    assert c.filter(close_reason="confirmed").exists()
    assert len(set(c.values_list("channel", flat=True))) >= 6
    for complaint in c.filter(status__in=[Status.RESPONDED, Status.CLOSED]):
        assert complaint.cause_id is not None and complaint.resolution, complaint.tracking_code


def test_one_event_per_state_change(demo):
    """R6: every state change wrote exactly one Event: per complaint the events with
    from_state != to_state form an unbroken chain from submission to the current state, and
    their total is the number of changes the replay performed (sweeps included)."""
    report, _output = demo
    changes = 0
    for complaint in Complaint.objects.all():
        state = ""
        for event in complaint.events.order_by("created_at", "id"):
            if event.from_state == event.to_state:
                continue
            assert event.from_state == state, (complaint.tracking_code, event.verb)
            state = event.to_state
            changes += 1
        assert state == complaint.status, complaint.tracking_code
    assert report.replay is not None
    assert Event.objects.exclude(from_state=F("to_state")).count() == changes
    assert changes == report.replay.state_changes
    assert Event.objects.filter(verb="submit").count() == N


def test_history_is_in_the_past_and_in_order(demo):
    """The replay wrote history in time order: nothing after "now", staff actions in office
    hours (WITA), and the status time equal to the last state change."""
    for complaint in Complaint.objects.all():
        events = list(complaint.events.order_by("id"))
        times = [e.created_at for e in events]
        assert times == sorted(times), complaint.tracking_code
        assert times[0] == complaint.received_at
        assert times[-1] <= NOW
        last_change = [e for e in events if e.from_state != e.to_state][-1]
        assert complaint.status_changed_at == last_change.created_at
    calendar = working_calendar()
    staff_events = Event.objects.filter(actor__isnull=False).exclude(verb="submit")
    assert staff_events.exists()
    for event in staff_events:
        local = event.created_at.astimezone(dt.timezone(dt.timedelta(hours=8)))  # WITA
        assert 8 <= local.hour < 16, (event.verb, local)
        assert calendar.is_working_day(local.date()), (event.verb, local)


def test_no_clock_runs_on_a_finished_complaint(demo):
    """R31, R27: closed and archived complaints have no running clock and no deadline."""
    finished = Complaint.objects.filter(status__in=FINAL_STATES)
    assert finished.exists()
    assert not Clock.objects.filter(complaint__in=finished, stopped_at__isnull=True).exists()
    assert not finished.filter(dispatch_due_at__isnull=False).exists()
    assert not finished.filter(response_due_at__isnull=False).exists()


def test_deadlines_equal_the_running_clock(demo):
    """R25, R29: the complaint's current deadlines are those of its one running clock: the
    dispatch clock while the Dinas must act, the response clock while the agency must;
    a pending complaint's dispatch clock is paused and shows no deadline."""
    assert (
        Clock.objects.filter(stopped_at__isnull=True)
        .values("complaint")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
        == 0
    )
    for complaint in Complaint.objects.all():
        running = complaint.clocks.filter(stopped_at__isnull=True).first()
        if complaint.status in (Status.RECEIVED, Status.RETURNED):
            assert running is not None and running.kind == Clock.Kind.DISPATCH
            assert running.paused_at is None
            assert complaint.dispatch_due_at == running.due_at
            assert complaint.response_due_at is None
        elif complaint.status in (Status.DISPATCHED, Status.IN_PROGRESS):
            assert running is not None and running.kind == Clock.Kind.RESPONSE
            assert running.agency_id == complaint.lead_agency_id
            assert complaint.response_due_at == running.due_at
            assert complaint.response_target_at == running.target_at
            assert complaint.dispatch_due_at is None
        elif complaint.status == Status.PENDING:
            assert running is not None and running.paused_at is not None
            assert complaint.dispatch_due_at is None
            assert complaint.autoarchive_at is not None and complaint.autoarchive_at > NOW
        else:
            assert running is None, complaint.tracking_code
        if complaint.status == Status.RESPONDED:
            assert complaint.autoclose_at is not None and complaint.autoclose_at > NOW


def test_sweeps_ran_during_the_replay(demo):
    """R13, R31: the sweeps ran at the replay's moments: nothing is left that a sweep would
    still act on at "now", and their events carry the minute they fell due."""
    with clock.frozen_at(NOW):
        assert not Complaint.objects.filter(status=Status.RESPONDED, autoclose_at__lte=NOW)
        assert not Complaint.objects.filter(status=Status.PENDING, autoarchive_at__lte=NOW)
        assert not Clock.objects.filter(
            stopped_at__isnull=True,
            paused_at__isnull=True,
            deadline_passed_at__isnull=True,
            due_at__lt=NOW,
        )
    for event in Event.objects.filter(verb="auto_close").select_related("complaint"):
        responded = event.complaint.events.filter(verb="respond").latest("created_at").created_at
        assert (
            dt.timedelta(days=10)
            <= event.created_at - responded
            <= dt.timedelta(days=10, minutes=1)
        )


def test_outbox_history_is_cancelled(demo):
    """`make run` must not flood the console: replayed notifications older than an hour are
    cancelled as demo history; the last hour's are left to send."""
    history = OutboxMessage.objects.filter(created_at__lt=NOW - dt.timedelta(hours=1))
    assert history.exists()
    assert not history.exclude(status=OutboxMessage.Status.CANCELLED).exists()
    assert set(history.values_list("last_error", flat=True)) == {"demo history"}
    recent = OutboxMessage.objects.filter(created_at__gte=NOW - dt.timedelta(hours=1))
    assert not recent.exclude(status=OutboxMessage.Status.PENDING).exists()


def test_running_twice_changes_nothing(demo):
    """Idempotent: a second run creates no account, complaint, event or message, and does not
    even rehash the passwords."""
    before = _counts()
    passwords = dict(User.objects.values_list("username", "password"))
    report, output = _load()
    assert _counts() == before
    assert dict(User.objects.values_list("username", "password")) == passwords
    assert report.accounts_created == 0
    assert report.complaints_created == 0
    assert "already has" in output


def test_same_seed_same_plan(buton):
    """The demo is reproducible: the same seed plans the same stories (scenarios, moments,
    texts); another seed plans others."""

    def plan(seed: int) -> list[tuple[str, list[tuple[dt.datetime, str, str]]]]:
        rng = random.Random(seed)
        planner = Planner(
            rng=rng,
            now=NOW,
            calendar=working_calendar(),
            policy=DeadlinePolicy.current(),
            villages=list(Region.objects.filter(level="village").select_related("parent")),
            categories={c.code: c for c in Category.objects.all()},
        )
        return [
            (s.scenario, [(step.at, step.verb, repr(step.params)) for step in s.steps])
            for s in planner.plan(40, SCENARIOS)
        ]

    first = plan(7)
    assert first == plan(7)
    assert first != plan(8)
    assert all(steps[-1][0] < NOW for _scenario, steps in first)


def test_the_portal_has_published_reports_and_no_confidential_one(demo):
    """The demo's public portal is not empty: verified, non-confidential reports are published
    with masked wording; confidential ones never are (rahasia)."""
    report, _out = demo
    assert report.published > 0
    published = Complaint.objects.filter(published=True)
    assert published.count() == report.published
    assert not published.filter(private=True).exists()
    assert not published.filter(public_title="").exists()
