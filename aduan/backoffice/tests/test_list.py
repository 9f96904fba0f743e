"""The complaint list (/kantor/aduan/): filters, search on both databases, tracking-code jump,
access (S3), pagination, saved filters, htmx results, constant queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aduan.accounts.roles import Role
from aduan.agencies.models import Category, Region
from aduan.backoffice.models import SavedFilter
from aduan.backoffice.tests.support import signed_in
from aduan.complaints.models import Channel, Complaint, Kind
from aduan.complaints.tests import factories as f
from aduan.complaints.tests.factories import ref
from aduan.complaints.tests.workflow.support import wita

__all__ = ["ref"]

pytestmark = pytest.mark.django_db

LIST = "/kantor/aduan/"


def listed(client, user, query: str = "", **extra) -> list[int]:  # type: ignore[no-untyped-def]
    response = signed_in(client, user).get(f"{LIST}?{query}", HTTP_ACCEPT_LANGUAGE="en", **extra)
    assert response.status_code == 200, response.status_code
    return [c.pk for c in response.context["complaints"]]


@pytest.fixture
def admin(ref):  # type: ignore[no-untyped-def]
    return f.staff(Role.ADMIN)


def test_filters_by_state_agency_channel_and_kind(client, admin):
    received = f.received(channel=Channel.SMS)
    dispatched = f.dispatched("dpupr", kind=Kind.ASPIRATION, ground="")
    other = f.dispatched("dinkes")
    agency = f.agency("dpupr")
    assert set(listed(client, admin)) == {received.pk, dispatched.pk, other.pk}
    assert listed(client, admin, "state=received") == [received.pk]
    assert listed(client, admin, f"agency={agency.pk}") == [dispatched.pk]
    assert listed(client, admin, "channel=sms") == [received.pk]
    assert listed(client, admin, "kind=aspiration") == [dispatched.pk]


def test_filters_by_overdue_and_received_dates(client, admin, time_machine):
    time_machine.move_to(wita(2026, 6, 1, 9), tick=False)
    old = f.received(title="Lama")
    time_machine.move_to(wita(2026, 6, 10, 9), tick=False)
    new = f.received(title="Baru")
    assert listed(client, admin, "overdue=on") == [old.pk]
    assert listed(client, admin, "received_from=2026-06-05") == [new.pk]
    assert listed(client, admin, "received_to=2026-06-05") == [old.pk]
    assert listed(client, admin, "received_from=2026-06-01&received_to=2026-06-01") == [old.pk]


def test_invalid_filter_shows_an_error_and_is_ignored(client, admin):
    complaint = f.received()
    response = signed_in(client, admin).get(
        f"{LIST}?received_from=2026-06-10&received_to=2026-06-01&state=nonsense",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert [c.pk for c in response.context["complaints"]] == [complaint.pk]
    html = response.content.decode()
    assert "The end date is before the start date." in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="id_state-error"' in html


def test_filters_by_category_and_kecamatan(client, buton):
    admin = f.staff(Role.ADMIN)
    kecamatan = Region.objects.filter(level=Region.Level.DISTRICT).order_by("code").first()
    village = kecamatan.children.first()
    category = Category.objects.filter(parent__isnull=True, children__isnull=False).first()
    child = category.children.first()
    in_village = f.received(region=village, category=child)
    elsewhere = f.received()
    assert listed(client, admin, f"kecamatan={kecamatan.pk}") == [in_village.pk]
    assert listed(client, admin, f"category={category.pk}") == [in_village.pk]
    assert elsewhere.pk in listed(client, admin)


def test_full_text_search_in_title_and_text(client, admin):
    """PostgreSQL full-text search (websearch syntax) with the GIN index; icontains on SQLite."""
    bridge = f.received(title="Jembatan ambruk", body="Jembatan di desa kami ambruk kemarin.")
    road = f.received(title="Jalan rusak", body="Lubang besar di jalan poros.")
    assert listed(client, admin, "q=jembatan") == [bridge.pk]
    assert listed(client, admin, "q=lubang") == [road.pk]
    assert listed(client, admin, "q=pesawat") == []


@pytest.mark.postgres
def test_search_uses_the_gin_index(admin):
    """Migration 0005 made the index whose expression the search compiles to."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'complaint_staff_search'")
        (definition,) = cursor.fetchone()
    assert "gin" in definition and "title" in definition and "body" in definition
    from aduan.backoffice.filters import search

    sql = str(search(Complaint.objects.all(), "jembatan").query)
    assert "to_tsvector" in sql and "COALESCE" in sql


def test_tracking_code_jumps_to_the_complaint(client, admin):
    complaint = f.received()
    response = signed_in(client, admin).get(f"{LIST}?q={complaint.tracking_code.lower()}")
    assert response.status_code == 302
    assert response["Location"] == f"/kantor/aduan/{complaint.pk}/"


def test_tracking_code_of_another_agency_does_not_jump(client, ref):
    """S3: a liaison typing another agency's tracking code gets no redirect and no row."""
    theirs = f.dispatched("dinkes")
    liaison = f.staff(Role.LIAISON, f.agency("dpupr"))
    response = signed_in(client, liaison).get(f"{LIST}?q={theirs.tracking_code}")
    assert response.status_code == 200
    assert list(response.context["complaints"]) == []
    assert f">{theirs.tracking_code}</a>" not in response.content.decode()
    assert f"/kantor/aduan/{theirs.pk}/" not in response.content.decode()


def test_liaison_lists_only_their_agency_and_counts_only_those(client, ref):
    """S3: the list, its count and its filters only ever cover the liaison's agency (lead or
    co-agency)."""
    mine = f.dispatched("dpupr")
    theirs = f.dispatched("dinkes")
    f.received()
    liaison = f.staff(Role.LIAISON, f.agency("dpupr"))
    response = signed_in(client, liaison).get(LIST, HTTP_ACCEPT_LANGUAGE="en")
    assert [c.pk for c in response.context["complaints"]] == [mine.pk]
    assert response.context["page"].paginator.count == 1
    assert "1 complaint found." in response.content.decode()
    dinkes = f.agency("dinkes")
    assert listed(client, liaison, f"agency={dinkes.pk}") == []
    assert theirs.pk not in listed(client, liaison, "q=jalan")


def test_sorted_by_deadline_or_received(client, admin, time_machine):
    time_machine.move_to(wita(2026, 6, 1, 9), tick=False)
    first = f.received()
    time_machine.move_to(wita(2026, 6, 2, 9), tick=False)
    second = f.dispatched()  # response deadline: later than first's dispatch deadline
    time_machine.move_to(wita(2026, 6, 3, 9), tick=False)
    third = f.received()
    assert listed(client, admin, "sort=deadline") == [first.pk, third.pk, second.pk]
    assert listed(client, admin, "sort=-received") == [third.pk, second.pk, first.pk]
    assert listed(client, admin, "sort=received") == [first.pk, second.pk, third.pk]


def test_pages_of_fifty(client, admin):
    for _ in range(51):
        f.received()
    assert len(listed(client, admin)) == 50
    assert len(listed(client, admin, "page=2")) == 1


def test_htmx_gets_only_the_results(client, admin):
    f.received()
    response = signed_in(client, admin).get(f"{LIST}?state=received", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.startswith('<div id="results">') and "<html" not in html
    page = signed_in(client, admin).get(LIST).content.decode()
    assert 'hx-get="/kantor/aduan/"' in page and 'hx-push-url="true"' in page
    assert 'method="get" action="/kantor/aduan/"' in page  # works without JavaScript


# --- saved filters -------------------------------------------------------------------------


def test_save_list_and_delete_own_filters(client, admin):
    c = signed_in(client, admin)
    response = c.post(
        "/kantor/aduan/filter/",
        {"name": "SMS terlambat", "query": "channel=sms&overdue=on&page=3&evil=1"},
    )
    assert response.status_code == 302
    saved = SavedFilter.objects.get(user=admin)
    assert saved.query == "channel=sms&overdue=on"  # known keys only, no page
    assert response["Location"] == "/kantor/aduan/?channel=sms&overdue=on"
    html = c.get(LIST).content.decode()
    assert "SMS terlambat" in html and "/kantor/aduan/?channel=sms&amp;overdue=on" in html
    assert c.post(f"/kantor/aduan/filter/{saved.pk}/hapus/").status_code == 302
    assert not SavedFilter.objects.filter(pk=saved.pk).exists()


def test_saving_the_same_name_replaces_it_and_empty_name_is_refused(client, admin):
    c = signed_in(client, admin)
    c.post("/kantor/aduan/filter/", {"name": "Saya", "query": "state=received"})
    c.post("/kantor/aduan/filter/", {"name": "Saya", "query": "state=pending"})
    assert list(SavedFilter.objects.filter(user=admin).values_list("query", flat=True)) == [
        "state=pending"
    ]
    c.post("/kantor/aduan/filter/", {"name": "  ", "query": "state=received"})
    assert SavedFilter.objects.filter(user=admin).count() == 1


def test_another_users_filter_is_not_listed_and_cannot_be_deleted(client, admin):
    other = f.staff(Role.ADMIN)
    theirs = SavedFilter.objects.create(user=other, name="Milik orang lain", query="state=received")
    c = signed_in(client, admin)
    assert "Milik orang lain" not in c.get(LIST).content.decode()
    assert c.post(f"/kantor/aduan/filter/{theirs.pk}/hapus/").status_code == 404
    assert SavedFilter.objects.filter(pk=theirs.pk).exists()
    assert c.get(f"/kantor/aduan/filter/{theirs.pk}/hapus/").status_code == 405


# --- queries -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "query"),
    [
        (Role.ADMIN, ""),
        (Role.ADMIN, "q=jalan&sort=received"),
        (Role.LIAISON, ""),
        (Role.LIAISON, "overdue=on&q=jalan"),
    ],
)
def test_list_runs_a_constant_number_of_queries(client, ref, time_machine, role, query):
    """3 rows and 30 rows: the same number of queries."""
    time_machine.move_to(wita(2026, 6, 1, 9), tick=False)
    agency = f.agency("dpupr") if role == Role.LIAISON else None
    user = f.staff(role, agency)
    for _ in range(3):
        f.dispatched("dpupr")
    time_machine.move_to(wita(2026, 6, 12, 9), tick=False)

    def count() -> int:
        c = signed_in(client, user)
        c.get(f"{LIST}?{query}")
        with CaptureQueriesContext(connection) as ctx:
            response = c.get(f"{LIST}?{query}")
        assert response.status_code == 200
        return len(ctx.captured_queries), len(response.context["complaints"])

    few, rows_few = count()
    time_machine.move_to(wita(2026, 6, 1, 10), tick=False)
    for _ in range(27):
        f.dispatched("dpupr")
    time_machine.move_to(wita(2026, 6, 12, 9), tick=False)
    many, rows_many = count()
    assert (rows_few, rows_many) == (3, 30)
    assert few == many
