"""Targets (issue 7, Pasal 7(4)a): only the chair sets them, every change is audited (S14); the
page is for the coordination team, the regent and the admin — a liaison or agency head is
refused (S3: the page compares every agency)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from aduan.accounts.roles import Role
from aduan.audit.models import AuditEntry
from aduan.backoffice.tests.support import signed_in
from aduan.complaints.tests import factories as f
from aduan.core.exceptions import ApplicationError, PermissionDenied
from aduan.reports.models import Indicator, Target
from aduan.reports.targets import target_delete, target_set

pytestmark = pytest.mark.django_db

URL = "/kantor/laporan/target/"
JUNE = {"period_start": dt.date(2026, 6, 1), "period_end": dt.date(2026, 6, 30)}


def _form(**extra: str) -> dict[str, str]:
    data = {
        "indicator": Indicator.ANSWERED_BY_DEADLINE,
        "agency": "",
        "period_start": "2026-06-01",
        "period_end": "2026-06-30",
        "value": "90",
        "amber_margin": "5",
    }
    data.update(extra)
    return data


def test_the_chair_sets_updates_and_deletes_audited(ref) -> None:
    chair = f.staff(Role.CHAIR)
    target = target_set(
        by=chair, indicator=Indicator.MEDIAN_DAYS, value=Decimal(3), agency=f.agency(), **JUNE
    )
    assert target.set_by == chair and target.agency.code == "dpupr"
    target_set(by=chair, indicator=Indicator.MEDIAN_DAYS, value=Decimal(4), target=target, **JUNE)
    target.refresh_from_db()
    assert target.value == 4 and target.agency is None
    target_delete(by=chair, target=target)
    assert not Target.objects.exists()
    actions = list(
        AuditEntry.objects.filter(object_type="reports.target")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["target_create", "target_update", "target_delete"]


@pytest.mark.parametrize(
    "role", [Role.ADMIN, Role.MEMBER, Role.PATRON, Role.REGENT, Role.LIAISON, Role.AGENCY_HEAD]
)
def test_only_the_chair_writes(ref, role) -> None:
    agency = f.agency() if role in (Role.LIAISON, Role.AGENCY_HEAD) else None
    with pytest.raises(PermissionDenied):
        target_set(
            by=f.staff(role, agency), indicator=Indicator.SATISFACTION, value=Decimal(4), **JUNE
        )
    assert not Target.objects.exists()


@pytest.mark.parametrize(
    ("indicator", "value"),
    [(Indicator.SATISFACTION, "6"), (Indicator.RETURNED, "101"), (Indicator.P90_DAYS, "-1")],
)
def test_values_out_of_range_are_refused(ref, indicator, value) -> None:
    with pytest.raises(ApplicationError):
        target_set(by=f.staff(Role.CHAIR), indicator=indicator, value=Decimal(value), **JUNE)


def test_the_chair_adds_and_removes_a_target_on_the_page(ref) -> None:
    client = signed_in(Client(), f.staff(Role.CHAIR))
    page = client.get(URL + "?bulan=2026-06", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert b'name="value"' in page.content
    response = client.post(URL + "?bulan=2026-06", _form())
    assert response.status_code == 302, response.content
    target = Target.objects.get()
    assert (target.value, target.amber_margin) == (90, 5)
    page = client.get(URL + "?bulan=2026-06", HTTP_ACCEPT_LANGUAGE="en")
    assert b"Remove" in page.content and b"90.00" in page.content
    # The end before the start: the form says so, nothing saved.
    bad = client.post(URL, _form(period_end="2026-05-01", value="80"))
    assert bad.status_code == 200 and Target.objects.count() == 1
    gone = client.post(reverse("backoffice:report_target_delete", args=[target.pk]))
    assert gone.status_code == 302 and not Target.objects.exists()


@pytest.mark.parametrize("role", [Role.ADMIN, Role.MEMBER, Role.PATRON, Role.REGENT])
def test_readers_see_the_scorecard_but_may_not_write(ref, role) -> None:
    target = Target.objects.create(indicator=Indicator.P90_DAYS, value=5, **JUNE)
    client = signed_in(Client(), f.staff(role))
    page = client.get(URL + "?bulan=2026-06", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert b"All agencies" in page.content and b'name="value"' not in page.content
    assert client.post(URL, _form()).status_code == 403
    delete = reverse("backoffice:report_target_delete", args=[target.pk])
    assert client.post(delete).status_code == 403
    assert Target.objects.count() == 1


@pytest.mark.parametrize("role", [Role.LIAISON, Role.AGENCY_HEAD])
def test_agency_staff_cannot_open_the_page(ref, role) -> None:
    client = signed_in(Client(), f.staff(role, f.agency()))
    assert client.get(URL).status_code == 403
    assert client.post(URL, _form()).status_code == 403


def test_a_bad_month_falls_back_to_the_current_one(ref) -> None:
    client = signed_in(Client(), f.staff(Role.REGENT))
    assert client.get(URL + "?bulan=garbage").status_code == 200
