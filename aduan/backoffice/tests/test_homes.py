"""Each role's home (/kantor/): exactly its complaints (S3), the right counts, a constant number
of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aduan.accounts.roles import Role
from aduan.backoffice.models import ResponseDraft
from aduan.backoffice.tests.support import signed_in
from aduan.complaints.tests import factories as f
from aduan.complaints.tests.factories import ref
from aduan.complaints.tests.workflow.support import wita
from aduan.complaints.workflow import transitions as t

__all__ = ["ref"]

pytestmark = pytest.mark.django_db

HOME = "/kantor/"


def get(client, user, path=HOME, **extra):  # type: ignore[no-untyped-def]
    return signed_in(client, user).get(path, HTTP_ACCEPT_LANGUAGE="en", **extra)


def test_admin_inbox_groups_and_counts(client, ref):
    """The admin's inbox: new, answered by the complainant (pending → received), returned;
    pending apart as waiting for the complainant; nothing at an agency."""
    new = f.received(title="Baru masuk")
    answered = f.received_after_return(title="Sudah dijawab")
    returned = f.returned(title="Dikembalikan dinas")
    pending = f.pending(title="Menunggu warga")
    dispatched = f.dispatched(title="Sudah terdisposisi")
    response = get(client, f.staff(Role.ADMIN))
    assert response.status_code == 200
    home = response.context["home"]
    assert {c.pk for c in home.inbox} == {new.pk, answered.pk, returned.pk}
    assert [c.pk for c in home.pending] == [pending.pk]
    counts = home.counts
    assert (counts["new"], counts["answered"], counts["returned"], counts["pending"]) == (
        1,
        1,
        1,
        1,
    )
    html = response.content.decode()
    assert "The complainant answered" in html and "Returned by the agency" in html
    assert dispatched.tracking_code not in html
    assert response["Cache-Control"].count("no-store") == 1


def test_admin_inbox_is_ordered_by_dispatch_deadline(client, ref, time_machine):
    time_machine.move_to(wita(2026, 6, 10, 9), tick=False)
    later = f.received(title="Kemudian")
    time_machine.move_to(wita(2026, 6, 8, 9), tick=False)
    earlier = f.received(title="Lebih dulu")
    time_machine.move_to(wita(2026, 6, 10, 10), tick=False)
    home = get(client, f.staff(Role.ADMIN)).context["home"]
    assert [c.pk for c in home.inbox] == [earlier.pk, later.pk]
    assert home.counts["overdue"] == 0


def test_liaison_sees_only_their_agency(client, ref):
    """S3: a liaison of agency A never sees agency B's complaints, on the home or in its counts."""
    mine = f.dispatched("dpupr", title="Jalan berlubang")
    taken_up = f.in_progress("dpupr", title="Jembatan retak")
    theirs = f.dispatched("dinkes", title="Puskesmas tutup")
    liaison = f.staff(Role.LIAISON, f.agency("dpupr"))
    response = get(client, liaison)
    home = response.context["home"]
    assert {c.pk for c in home.queue} == {mine.pk, taken_up.pk}
    assert (home.counts["dispatched"], home.counts["in_progress"]) == (1, 1)
    html = response.content.decode()
    assert theirs.tracking_code not in html
    assert "Target (2 working days)" in html


def test_liaison_sees_co_agency_requests(client, ref):
    """A complaint led by another agency with this one as co-agency is listed apart."""
    complaint = t.complaint_dispatch(
        complaint=f.received(),
        by=f.actor(Role.ADMIN),
        agency=f.agency("dpupr"),
        co_agencies=[f.agency("dinkes")],
    )
    liaison = f.staff(Role.LIAISON, f.agency("dinkes"))
    home = get(client, liaison).context["home"]
    assert [c.pk for c in home.co_requests] == [complaint.pk]
    assert home.queue == []


def test_head_sees_performance_and_drafts_waiting(client, ref, time_machine):
    time_machine.move_to(wita(2026, 6, 8, 9), tick=False)
    f.responded("dpupr")  # responded the same day: on time
    open_one = f.in_progress("dpupr", title="Menunggu persetujuan")
    liaison = f.staff(Role.LIAISON, f.agency("dpupr"))
    ResponseDraft.objects.create(complaint=open_one, author=liaison, body="Draf jawaban")
    other = f.in_progress("dinkes")
    ResponseDraft.objects.create(
        complaint=other, author=f.staff(Role.LIAISON, f.agency("dinkes")), body="Lain"
    )
    head = f.staff(Role.AGENCY_HEAD, f.agency("dpupr"))
    time_machine.move_to(wita(2026, 6, 9, 9), tick=False)
    response = get(client, head)
    home = response.context["home"]
    perf = home.performance
    assert (perf["received"], perf["answered"], perf["on_time_percent"]) == (2, 1, 100)
    assert perf["overdue"] == 0
    assert [d.complaint_id for d in home.drafts] == [open_one.pk]
    assert f"/kantor/aduan/{open_one.pk}/" in response.content.decode()
    assert other.tracking_code not in response.content.decode()


@pytest.mark.parametrize("role", [Role.MEMBER, Role.CHAIR, Role.PATRON])
def test_coordination_sees_slow_and_overdue_by_agency(client, ref, time_machine, role):
    """Pasal 7(5)a: past the 2-day target (slow) and past the deadline (overdue), per agency."""
    time_machine.move_to(wita(2026, 6, 1, 9), tick=False)  # Monday
    overdue = f.dispatched("dpupr", title="Sangat terlambat")
    time_machine.move_to(wita(2026, 6, 8, 9), tick=False)  # next Monday
    slow = f.dispatched("dinkes", title="Lambat")
    fresh = f.dispatched("dinkes", title="Baru")
    time_machine.move_to(wita(2026, 6, 11, 9), tick=False)  # Thursday: past Wed's target
    fresh.refresh_from_db()
    fresh_target_passed = fresh.response_target_at < wita(2026, 6, 11, 9)
    assert fresh_target_passed  # both Monday complaints are slow now
    time_machine.move_to(wita(2026, 6, 11, 9), tick=False)
    response = get(client, f.staff(role))
    home = response.context["home"]
    groups = {g.name: g for g in home.groups}
    dpupr, dinkes = f.agency("dpupr"), f.agency("dinkes")
    assert [c.pk for c in groups[dpupr.name].complaints] == [overdue.pk]
    assert groups[dpupr.name].overdue == 1
    assert {c.pk for c in groups[dinkes.name].complaints} == {slow.pk, fresh.pk}
    assert groups[dinkes.name].slow == 2
    assert (home.counts["overdue"], home.counts["slow"]) == (1, 2)
    html = response.content.decode()
    assert f"/kantor/aduan/{overdue.pk}/" in html
    assert "late by" in html


def test_regent_overview_counts_by_state(client, ref):
    f.received()
    f.received()
    f.dispatched()
    response = get(client, f.staff(Role.REGENT))
    by_state = {value: n for value, _label, n in response.context["home"].by_state}
    assert (by_state["received"], by_state["dispatched"], by_state["closed"]) == (2, 1, 0)
    assert (
        "<form"
        not in response.content.decode()
        .split("<main", 1)[1]
        .replace('class="signout"', "")
        .split("</main>")[0]
    )


def test_counts_refresh_part_for_htmx(client, ref):
    f.received()
    response = get(client, f.staff(Role.ADMIN), f"{HOME}?part=counts", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.startswith('<div id="home-counts"') and 'hx-trigger="every 60s"' in html
    assert "<html" not in html
    full = get(client, f.staff(Role.ADMIN), f"{HOME}?part=counts")
    assert "<html" in full.content.decode()


def test_home_needs_a_staff_second_factor(client, ref):
    """S6: no second factor → sent to verify; not staff → refused; anonymous → sign in."""
    user = f.staff(Role.ADMIN)
    client.force_login(user)
    assert client.get(HOME).status_code == 302
    anonymous = client.__class__()
    assert anonymous.get(HOME).status_code == 302
    citizen = f.UserFactory(username="warga")
    assert signed_in(client.__class__(), citizen).get(HOME).status_code == 403


def _queries(client, user) -> int:  # type: ignore[no-untyped-def]
    get(client, user)  # warm caches (calendar years, session)
    with CaptureQueriesContext(connection) as ctx:
        assert get(client, user).status_code == 200
    return len(ctx.captured_queries)


def _make(n: int, make) -> None:  # type: ignore[no-untyped-def]
    for _ in range(n):
        make()


@pytest.mark.parametrize(
    ("role", "make"),
    [
        (Role.ADMIN, lambda: (f.received(), f.pending(), f.returned())),
        (Role.LIAISON, lambda: f.dispatched("dpupr")),
        (Role.AGENCY_HEAD, lambda: f.in_progress("dpupr")),
        (Role.MEMBER, lambda: f.dispatched("dpupr")),
        (Role.REGENT, lambda: f.dispatched("dpupr")),
    ],
)
def test_home_runs_a_constant_number_of_queries(client, ref, time_machine, role, make):
    """3 rows and 30 rows: the same number of queries (no N+1)."""
    time_machine.move_to(wita(2026, 6, 1, 9), tick=False)
    agency = f.agency("dpupr") if role in (Role.LIAISON, Role.AGENCY_HEAD) else None
    user = f.staff(role, agency)
    _make(3, make)
    time_machine.move_to(wita(2026, 6, 12, 9), tick=False)  # all late: every badge kind
    few = _queries(client, user)
    time_machine.move_to(wita(2026, 6, 1, 10), tick=False)
    _make(27, make)
    time_machine.move_to(wita(2026, 6, 12, 9), tick=False)
    many = _queries(client, user)
    assert few == many
