"""Two admins acting on the same complaint at once: one succeeds, the other gets "changed by
someone else" with the current state, and nothing of the second action is done (PostgreSQL row
locks, real threads)."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client

from aduan.accounts.roles import Role
from aduan.backoffice.tests.complaint_support import ACTION, form_state, post_action
from aduan.backoffice.tests.support import signed_in
from aduan.complaints.models import Complaint, Event, Message
from aduan.complaints.tests import factories as f
from aduan.complaints.tests.factories import load_workflow_reference_data
from aduan.complaints.workflow import transitions as t
from aduan.complaints.workflow.actors import Actor

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _in_thread(fn: Any, results: list[Any], *args: Any) -> threading.Thread:
    def run() -> None:
        try:
            results.append(fn(*args))
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_two_admins_at_once_one_wins(db: None) -> None:
    """Both forms were rendered for the same state; they are posted at the same moment (a
    barrier): exactly one 303, one 409 with the message and the current state; one Event."""
    load_workflow_reference_data()
    admins = [f.staff(Role.ADMIN), f.staff(Role.ADMIN)]
    for _round in range(3):
        complaint = f.received()
        hidden = form_state(complaint)
        events_before = Event.objects.filter(complaint=complaint).count()
        barrier = threading.Barrier(2)
        results: list[Any] = []
        posts = [
            ("dispatch", {"agency": f.agency("dpupr").pk, "kind": "complaint"}),
            ("request_info", {"question": "Di mana tepatnya?"}),
        ]

        def post(
            user: Any,
            verb: str,
            data: dict[str, Any],
            barrier: threading.Barrier = barrier,
            complaint: Complaint = complaint,
            hidden: dict[str, str] = hidden,
        ) -> tuple[str, int, str]:
            client = signed_in(Client(), user)
            barrier.wait()
            response = client.post(
                ACTION.format(pk=complaint.pk, verb=verb),
                {**hidden, **data},
                HTTP_ACCEPT_LANGUAGE="en",
            )
            return verb, response.status_code, response.content.decode()

        threads = [
            _in_thread(post, results, admins[i], verb, data) for i, (verb, data) in enumerate(posts)
        ]
        for thread in threads:
            thread.join(30)
        statuses = sorted(status for _v, status, _c in results)
        assert statuses == [303, 409], results
        winner = next(v for v, s, _c in results if s == 303)
        loser_body = next(c for _v, s, c in results if s == 409)
        assert "changed by someone else" in loser_body
        complaint.refresh_from_db()
        assert complaint.status == ("dispatched" if winner == "dispatch" else "pending")
        assert f'state state-{complaint.status}"' in loser_body  # the current state is shown
        assert Event.objects.filter(complaint=complaint).count() == events_before + 1
        questions = Message.objects.filter(complaint=complaint, kind="question").count()
        assert questions == (1 if winner == "request_info" else 0)


def test_second_action_waits_for_the_lock_then_is_refused(db: None) -> None:
    """The first admin holds the row (inside the workflow's transaction) while the second posts:
    the second waits on the row lock, then sees the change and does nothing."""
    load_workflow_reference_data()
    complaint = f.received()
    hidden = form_state(complaint)
    first, second = f.staff(Role.ADMIN), f.staff(Role.ADMIN)
    locked = threading.Event()
    results: list[Any] = []

    def hold() -> str:
        with transaction.atomic():
            Complaint.objects.select_for_update().get(pk=complaint.pk)
            t.complaint_dispatch(complaint=complaint, by=Actor.of(first), agency=f.agency("dpupr"))
            locked.set()
            time.sleep(1.0)
        return "held"

    holder = _in_thread(hold, results)
    assert locked.wait(10)
    started = time.monotonic()
    response = signed_in(Client(), second).post(
        ACTION.format(pk=complaint.pk, verb="archive"),
        {**hidden, "reason": "spam"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    waited = time.monotonic() - started
    holder.join(30)
    assert response.status_code == 409
    assert waited > 0.3  # it waited for the lock instead of acting on the old state
    complaint.refresh_from_db()
    assert complaint.status == "dispatched" and complaint.archive_reason == ""


def test_stale_form_after_the_fact(db: None) -> None:
    """A form rendered before another admin's change (old hidden state) gets 409 and the
    current page, even when the new state would allow the same verb."""
    load_workflow_reference_data()
    complaint = f.returned()
    old = form_state(complaint)
    t.complaint_redispatch(
        complaint=complaint, by=f.actor(Role.ADMIN), agency=f.agency("disperkim")
    )
    response = signed_in(Client(), f.staff(Role.ADMIN)).post(
        ACTION.format(pk=complaint.pk, verb="redispatch"),
        {**old, "agency": f.agency("dishub").pk},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 409
    complaint.refresh_from_db()
    assert complaint.lead_agency.code == "disperkim"
    ok = post_action(
        Client(), f.staff(Role.ADMIN), complaint, "redispatch", {"agency": f.agency("dishub").pk}
    )
    assert ok.status_code == 303
