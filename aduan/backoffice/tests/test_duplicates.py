"""Possible duplicates on the complaint page: similar text, same contact (admins only), same
area or category, within 90 days, only complaints the user may see (S1, S3)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from aduan.accounts.roles import Role
from aduan.agencies.models import Category, Region
from aduan.backoffice.duplicates import duplicate_candidates, has_trigram, token_similarity
from aduan.backoffice.tests.complaint_support import page, post_action
from aduan.complaints.models import Complaint
from aduan.complaints.tests import factories as f
from aduan.complaints.tests.factories import ref

__all__ = ["ref"]

pytestmark = pytest.mark.django_db

TEXT = "Jembatan kayu di Desa Wabula roboh, anak sekolah harus menyeberang sungai."
SIMILAR = "Jembatan kayu Desa Wabula roboh sehingga anak sekolah menyeberang sungai."
UNRELATED = "Lampu jalan mati sejak bulan lalu di pasar."


@pytest.fixture
def category(ref) -> Category:  # type: ignore[no-untyped-def]
    return Category.objects.create(code="T1", name="Jembatan", default_agency=f.agency("dpupr"))


@pytest.fixture
def region(ref) -> Region:  # type: ignore[no-untyped-def]
    return Region.objects.create(code="74.01.99.2001", name="Wabula", level="village")


def test_token_similarity() -> None:
    assert token_similarity(TEXT, SIMILAR) > 0.5
    assert token_similarity(TEXT, UNRELATED) < 0.1
    assert token_similarity("", TEXT) == 0


def test_similar_text_in_the_same_category_is_suggested(ref, category) -> None:
    target = f.received(body=TEXT, title="Jembatan roboh", category=category, phone="", email="")
    similar = f.received(body=SIMILAR, title="Jembatan", category=category, phone="", email="")
    f.received(body=UNRELATED, title="Lampu", category=category, phone="", email="")
    found = duplicate_candidates(complaint=target, user=f.staff(Role.ADMIN))
    assert [c.complaint for c in found] == [similar]
    assert found[0].same_category and found[0].percent > 30


def test_same_contact_is_found_for_admins_whatever_the_text(ref) -> None:
    target = f.received(body=TEXT, phone="081299988877")
    same_person = f.received(body=UNRELATED, phone="081299988877", email="lain@contoh.id")
    f.received(body=UNRELATED, phone="081200000001", email="x@contoh.id")
    found = duplicate_candidates(complaint=target, user=f.staff(Role.ADMIN))
    assert [c.complaint for c in found] == [same_person]
    assert found[0].same_contact


def test_same_area_with_some_text_overlap(ref, region) -> None:
    target = f.received(body=TEXT, region=region, phone="", email="")
    near = f.received(
        body="Jembatan di Wabula rusak parah, mohon diperbaiki segera.",
        region=region,
        phone="",
        email="",
    )
    found = duplicate_candidates(complaint=target, user=f.staff(Role.ADMIN))
    assert [c.complaint for c in found] == [near] and found[0].same_area


def test_only_within_90_days(ref, category) -> None:
    target = f.received(body=TEXT, category=category, phone="", email="")
    old = f.received(body=SIMILAR, category=category, phone="", email="")
    Complaint.objects.filter(pk=old.pk).update(
        received_at=target.received_at - dt.timedelta(days=91)
    )
    assert duplicate_candidates(complaint=target, user=f.staff(Role.ADMIN)) == []


def test_only_complaints_the_user_may_see(ref, category) -> None:
    """S3: a liaison is shown only their agency's complaints as possible duplicates."""
    from aduan.complaints.workflow import transitions as t

    admin = f.actor(Role.ADMIN)
    target = t.complaint_dispatch(
        complaint=f.received(body=TEXT, category=category), by=admin, agency=f.agency("dpupr")
    )
    mine = t.complaint_dispatch(
        complaint=f.received(body=SIMILAR, category=category), by=admin, agency=f.agency("dpupr")
    )
    t.complaint_dispatch(
        complaint=f.received(body=SIMILAR, category=category), by=admin, agency=f.agency("dinkes")
    )
    liaison = f.staff(Role.LIAISON, f.agency("dpupr"))
    assert [c.complaint for c in duplicate_candidates(complaint=target, user=liaison)] == [mine]


def test_archive_as_duplicate_from_the_suggestion(client, ref, category) -> None:
    """The page offers "archive as duplicate of …" and "link as related" for a suggestion."""
    original = f.received(body=SIMILAR, category=category)
    target = f.received(body=TEXT, category=category)
    admin = f.staff(Role.ADMIN)
    body = page(client, admin, target).content.decode()
    assert f"Archive as duplicate of {original.tracking_code}" in body
    assert f"Link {original.tracking_code} as related" in body
    response = post_action(
        client,
        admin,
        target,
        "archive",
        {"reason": "duplicate", "duplicate_of": original.tracking_code},
    )
    assert response.status_code == 303
    target.refresh_from_db()
    assert target.duplicate_of == original


@pytest.mark.postgres
def test_trigram_similarity_when_pg_trgm_is_installed(ref, category) -> None:
    """With the pg_trgm extension, PostgreSQL's similarity() scores the text (the extension is
    created inside this test's transaction and rolled back)."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    assert has_trigram()
    target = f.received(body=TEXT, category=category, phone="", email="")
    similar = f.received(body=SIMILAR, category=category, phone="", email="")
    f.received(body=UNRELATED, category=category, phone="", email="")
    found = duplicate_candidates(complaint=target, user=f.staff(Role.ADMIN))
    assert [c.complaint for c in found] == [similar]
    assert 0.3 < found[0].score <= 1
