"""The public reports page (/laporan/) and the privacy notice (/privasi/)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from aduan.accounts.roles import Role
from aduan.agencies.models import Category, Cause, Region
from aduan.complaints.models import Complainant, Complaint, Resolution
from aduan.complaints.tests import factories as f
from aduan.complaints.workflow import transitions as t
from aduan.portal.privacy import PRIVACY_NOTICE_VERSION
from aduan.portal.selectors import (
    ReportFilters,
    public_report_list,
    search_config,
    search_words,
)

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PHONE, EMAIL, NIK = "0812-3456-7788", "budi.santoso@contoh.id", "7404011203850007"


def category(code: str) -> Category:
    return Category.objects.get(code=code)


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def publish(complaint: Complaint, title: str, body: str) -> Complaint:
    """What the back-office moderation does: an edited public copy, approved."""
    Complaint.objects.filter(pk=complaint.pk).update(
        published=True, published_at=timezone.now(), public_title=title, public_body=body
    )
    complaint.refresh_from_db()
    return complaint


def responded_with(text: str, to: str = "dpupr", **kwargs: Any) -> Complaint:
    complaint = f.in_progress(to, **kwargs)
    return t.complaint_respond(
        complaint=complaint,
        by=f.actor(Role.LIAISON, f.agency(to)),
        text=text,
        cause=Cause.objects.get(code="sarana_rusak"),
        resolution=Resolution.RESOLVED,
    )


def page(client: Any, query: str = "") -> str:
    response = client.get(f"/laporan/{query}", **EN)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def reports(buton: Any) -> dict[str, Complaint]:
    """A published report (with PII in its public text and response), an unpublished one with
    distinctive words, a confidential one, and an archived one."""
    road = publish(
        responded_with(
            f"Jalan sudah ditambal. Hubungi {PHONE} atau {EMAIL}.",
            category=category("K01.01"),
            region=region("74.04.11.1005"),  # Wakoko, Kec. Pasarwajo
        ),
        "Jalan berlubang di depan sekolah",
        f"Lubang besar membahayakan murid. Pelapor NIK {NIK}, telepon {PHONE}, {EMAIL}.",
    )
    unpublished = f.dispatched(
        "dinkes",
        title="Zebrakuda puskesmas tutup",
        body="Isi rahasia Quokkapisang tentang dokter",
        category=category("K03"),
        region=region("74.04.22"),  # Kapontori
    )
    confidential = publish(
        f.dispatched(
            "dpupr",
            private=True,
            title="Rahasia Kirinlaut",
            category=category("K01.01"),
            region=region("74.04.23"),
        ),
        "Kirinlaut public title",
        "Kirinlaut public body",
    )
    archived = publish(f.archived(title="Arsip Lumbalumba"), "Lumbalumba", "Lumbalumba body")
    return {
        "road": road,
        "unpublished": unpublished,
        "confidential": confidential,
        "archived": archived,
    }


def test_published_report_shows_its_public_text_response_and_facts(client, reports):
    """R21, Pasal 9(1)d: the moderated text, category, area, agency, state and the response."""
    html = page(client)
    road = reports["road"]
    assert "Jalan berlubang di depan sekolah" in html
    assert "Lubang besar membahayakan murid" in html
    assert "Jalan sudah ditambal" in html  # the agency's response
    assert "Infrastruktur Jalan" in html and "Wakoko" in html and "Pasarwajo" in html
    assert road.lead_agency.name in html
    assert "Responded" in html
    assert f'href="/lacak/{road.tracking_code}/"' in html


def test_unpublished_report_shows_only_category_area_and_state(client, reports):
    """R8, Pasal 4(3): before moderation only category, area and state are public — never the
    complainant's title or text."""
    html = page(client)
    unpublished = reports["unpublished"]
    assert "Zebrakuda" not in html and "Quokkapisang" not in html
    assert unpublished.tracking_code in html
    assert "Kesehatan" in html and "Kapontori" in html and "Dispatched" in html
    assert "not public yet" in html
    item = html[html.index(f'id="r-{unpublished.tracking_code}"') :]
    item = item[: item.index("</article>")]
    assert unpublished.lead_agency.name not in item  # nor its agency or dates
    assert "Received" not in item


def test_confidential_and_archived_reports_are_never_listed(client, reports):
    """R7, S1: a confidential (rahasia) report is not on the public list, nor counted in it."""
    html = page(client)
    for word in ("Kirinlaut", "Lumbalumba"):
        assert word not in html
    assert reports["confidential"].tracking_code not in html
    assert "2 reports found." in html
    codes = {c.tracking_code for c in public_report_list()}
    assert codes == {reports["road"].tracking_code, reports["unpublished"].tracking_code}


def test_phones_emails_and_nik_are_masked_in_public_text_and_response(client, reports):
    """S1, R8: phone numbers, emails and 16-digit NIK in the public text and the response are
    masked."""
    html = page(client)
    for secret in (PHONE, EMAIL, NIK, "3456-7788", "budi.santoso"):
        assert secret not in html
    assert "[…]" in html


def test_the_original_title_and_body_are_not_even_loaded(reports):
    """S1: the public list loads the moderated copy only (`.only()`): the original text never
    reaches a public template."""
    complaint = public_report_list().get(pk=reports["unpublished"].pk)
    assert {"title", "body", "access_token"} <= complaint.get_deferred_fields()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?category=K01", {"road"}),  # a parent category includes its children
        ("?category=K03", {"unpublished"}),
        ("?kecamatan=74.04.11", {"road"}),  # a desa counts for its kecamatan
        ("?kecamatan=74.04.22", {"unpublished"}),
        ("?agency=dpupr", {"road"}),
        ("?agency=dinkes", set()),  # an unpublished report's agency is not public
        ("?state=responded", {"road"}),
        ("?state=dispatched", {"unpublished"}),
        ("?q=berlubang", {"road"}),
        ("?q=murid+sekolah", {"road"}),  # every word must match
        ("?q=sekolah+kapal", set()),
        ("?q=Zebrakuda", set()),  # unpublished text is not searchable
        ("?q=Kirinlaut", set()),  # nor confidential
        ("?category=K01&state=dispatched", set()),
    ],
)
def test_filters_and_search(client, reports, query, expected):
    """The filters (GET, no JavaScript) and full-text search over the published text (PostgreSQL
    full-text search; icontains on SQLite: the suite runs on both)."""
    html = page(client, query)
    for name, complaint in reports.items():
        assert (complaint.tracking_code in html) == (name in expected), name


def test_search_ignores_identifying_words(reports):
    """S1: masked text cannot be found by what was masked (a phone, an email, a NIK)."""
    assert search_words(f"jalan {PHONE} {EMAIL} {NIK} 0812345") == ["jalan"]
    assert not public_report_list(ReportFilters(q=NIK)).exists()
    assert not public_report_list(ReportFilters(q="081234567788")).exists()


@pytest.mark.postgres
def test_search_matches_word_forms_on_postgresql(reports):
    """Full-text search with the Indonesian configuration: a stemmed form finds the report
    (PostgreSQL only; the SQLite run checks the icontains fallback)."""
    found = public_report_list(ReportFilters(q="lubang")).values_list("pk", flat=True)
    assert list(found) == [reports["road"].pk]


@pytest.mark.postgres
def test_full_text_search_can_use_the_gin_index(reports):
    """Migration 0004's GIN expression index is on exactly the expression the portal's search
    filters on (PostgreSQL normalises both; an index on another expression would never be used),
    and PostgreSQL picks it for a text search."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_indexdef('complaint_public_search'::regclass)")
        definition = cursor.fetchone()[0]
        expression = definition.split("USING gin (", 1)[1].rsplit(")", 1)[0]
        cursor.execute("SET LOCAL enable_seqscan = off")
        portal_plan = public_report_list(ReportFilters(q="jalan")).values("pk").explain()
        # the expression comes from the catalogue, not from input
        sql = f"EXPLAIN SELECT id FROM complaints_complaint WHERE {expression} @@ %s::tsquery"  # noqa: S608
        cursor.execute(sql, ["jalan"])
        index_plan = "\n".join(row[0] for row in cursor.fetchall())
    assert expression.startswith(f"to_tsvector('{search_config()}'::regconfig")
    assert expression in portal_plan
    assert "Bitmap Index Scan on complaint_public_search" in index_plan


def test_an_invalid_filter_is_shown_next_to_its_field_and_ignored(client, reports):
    """Bad input: a clear message next to the field (aria-invalid, aria-describedby); the other
    filters still apply."""
    html = page(client, "?category=NOPE&state=dispatched")
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_category-error"' in html
    assert 'id="id_category-error"' in html and "Select a valid choice" in html
    assert reports["unpublished"].tracking_code in html
    assert reports["road"].tracking_code not in html


def test_overlong_search_is_refused_with_a_message(client, reports):
    html = page(client, "?q=" + "a" * 500)
    assert 'id="id_q-error"' in html
    assert "2 reports found." in html


def test_list_is_paginated_with_an_accessible_nav(client, buton):
    """20 per page; the page links keep the filters."""
    for i in range(21):
        publish(f.received(), f"Laporan nomor {i}", "isi")
    first = page(client, "?q=laporan")
    assert "21 reports found." in first
    assert first.count('class="report-item"') == 20
    assert 'aria-label="Pages of results"' in first and "Page 1 of 2" in first
    assert 'href="?q=laporan&amp;page=2"' in first
    second = page(client, "?q=laporan&page=2")
    assert second.count('class="report-item"') == 1
    assert page(client, "?page=abc").count('class="report-item"') == 20  # bad page: the first


def test_the_list_takes_a_constant_number_of_queries(client, buton, django_assert_max_num_queries):
    """No N+1: the number of queries does not grow with the number of reports on the page."""
    for i in range(3):
        publish(responded_with("Sudah.", category=category("K01.01")), f"Satu {i}", "isi")
    with django_assert_max_num_queries(10) as few:
        page(client, "?agency=dpupr&category=K01")
    for i in range(12):
        publish(
            responded_with("Sudah.", category=category("K01.01"), region=region("74.04.11.1005")),
            f"Dua {i}",
            "isi",
        )
        f.dispatched(category=category("K03"), region=region("74.04.22"))
    with django_assert_max_num_queries(10) as many:
        html = page(client, "?agency=dpupr&category=K01")
    assert html.count('class="report-item"') == 15
    assert len(many.captured_queries) == len(few.captured_queries)


def test_privacy_notice_shows_its_version_and_the_controller(client, buton):
    """UU 27/2022: the notice names the controller, the privacy model, the rights, and its
    version (the one stored with each consent). R7."""
    response = client.get("/privasi/", **EN)
    html = response.content.decode()
    assert response.status_code == 200
    assert PRIVACY_NOTICE_VERSION in html
    assert "Dinas Komunikasi, Informatika dan Persandian" in html
    for words in ("Anonymous:", "Confidential:", "correct your data", "withdraw your consent"):
        assert words in html


@pytest.mark.parametrize("anonymous", [True, False])
def test_no_public_page_shows_a_complainants_identity(client, buton, anonymous):
    """S1, R7: plant a distinctive identity on published, unpublished and confidential reports;
    the home page, the list, the statistics and the directory show none of it (in either
    language). Control: the identity is stored, so the search is meaningful."""
    identity = {"name": "Zulkarnaen Wakatobius", "phone": "081299887766", "email": "zul@rahasia.id"}
    published = publish(
        f.closed(anonymous=anonymous, **identity), "Lampu jalan mati", "Sudah lama mati."
    )
    f.dispatched(anonymous=anonymous, **identity)
    f.received(private=True, anonymous=anonymous, **identity)
    stored = Complainant.objects.get(complaint=published)
    assert stored.name == identity["name"] and stored.email == identity["email"]  # the control
    for path in ("/", "/laporan/", "/laporan/?q=lampu", "/statistik/", "/direktori/"):
        for language in ("id", "en"):
            html = client.get(path, HTTP_ACCEPT_LANGUAGE=language).content.decode()
            assert "Lampu jalan mati" in html or path in ("/statistik/", "/direktori/")
            for secret in (
                "Zulkarnaen",
                "Wakatobius",
                "81299887766",
                "299887766",
                "zul@",
                "rahasia.id",
            ):
                assert secret not in html, (path, language, secret)
