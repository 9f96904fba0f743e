"""Queues and overdue lists (R13, R25, R29)."""

import datetime as dt

import pytest
import time_machine

from aduan.complaints.selectors import (
    complaint_list_admin_inbox,
    complaint_list_agency_queue,
    complaint_list_overdue,
    complaint_list_pending,
    complaint_public_timeline,
)
from aduan.complaints.tasks import complaint_sweeps
from aduan.complaints.tests import factories as f

pytestmark = pytest.mark.django_db
MONDAY = dt.datetime(2026, 6, 8, 1, 0, tzinfo=dt.UTC)  # 09:00 WITA


def test_admin_inbox_orders_by_dispatch_deadline_and_holds_received_and_returned(buton):
    """R25: the Dinas sees what it must verify, most urgent first."""
    with time_machine.travel(MONDAY, tick=False) as traveller:
        older = f.received(title="lama")
        traveller.shift(dt.timedelta(days=1))
        returned = f.returned()
        newer = f.received(title="baru")
        f.dispatched()
        pending = f.pending()
    inbox = list(complaint_list_admin_inbox())
    assert inbox[0] == older
    assert set(inbox) == {older, returned, newer}
    assert list(complaint_list_pending()) == [pending]


def test_agency_queue_and_overdue_list(buton):
    """R29, R13: a liaison's queue is ordered by response deadline; past the deadline a complaint
    is on the overdue list until it is answered."""
    with time_machine.travel(MONDAY, tick=False) as traveller:
        first = f.dispatched("dpupr")
        traveller.shift(dt.timedelta(hours=3))
        second = f.in_progress("dpupr")
        f.dispatched("dinkes")
        assert list(complaint_list_agency_queue(f.agency("dpupr"))) == [first, second]
        assert not complaint_list_overdue().exists()
        traveller.shift(dt.timedelta(days=11))  # 7 working days skip 1 Muharam (16 June 2026)
        assert set(complaint_list_overdue(agency=f.agency("dpupr"))) == {first, second}
        assert complaint_list_overdue().count() == 3
        result = complaint_sweeps.call_local()
        assert result["escalated"] == 3 and result["reminded"] == 3


def test_public_timeline_has_no_internal_events(buton):
    """R21, R6: the public timeline shows the steps, not the internal notes or reminders."""
    from aduan.accounts.roles import Role
    from aduan.complaints.services import complaint_add_note

    complaint = f.responded()
    complaint_add_note(complaint=complaint, by=f.actor(Role.ADMIN), text="catatan internal")
    verbs = [event.verb for event in complaint_public_timeline(complaint)]
    assert verbs == ["submit", "dispatch", "acknowledge", "respond"]
