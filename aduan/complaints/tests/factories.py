"""Test data: staff users per role, and one helper per lifecycle state, each built through the
real workflow functions (so events, clocks and deadlines are what production would have)."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path
from typing import Any

import factory
import pytest

from aduan.accounts.models import User
from aduan.accounts.roles import Role
from aduan.agencies.models import Agency, Cause
from aduan.complaints.models import Channel, Complaint, Resolution
from aduan.complaints.services import ComplaintSubmission, IdentityInput, complaint_submit
from aduan.complaints.workflow import transitions as t
from aduan.complaints.workflow.actors import Actor

_seq = itertools.count(1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@pemda.test")
    is_active = True


def staff(role: Role, agency: Agency | None = None, **kwargs: Any) -> User:
    username = kwargs.pop("username", f"{role.value}{next(_seq)}")
    return UserFactory(username=username, role=role, agency=agency, **kwargs)


def actor(role: Role, agency: Agency | None = None, **kwargs: Any) -> Actor:
    return Actor.of(staff(role, agency, **kwargs))


def agency(code: str = "dpupr") -> Agency:
    return Agency.objects.get(code=code)


def submit(
    *,
    channel: str = Channel.WEB,
    anonymous: bool = False,
    private: bool = False,
    phone: str = "081234567890",
    email: str = "warga@contoh.id",
    name: str = "Warga Uji",
    body: str = "Jalan rusak di depan sekolah.",
    **kwargs: Any,
) -> Complaint:
    submission = ComplaintSubmission(
        channel=channel,
        body=body,
        title=kwargs.pop("title", "Jalan rusak"),
        anonymous=anonymous,
        private=private,
        identity=IdentityInput(name=name, phone=phone, email=email),
        **kwargs,
    )
    return complaint_submit(submission=submission).complaint


def received(**kwargs: Any) -> Complaint:
    return submit(**kwargs)


def pending(**kwargs: Any) -> Complaint:
    return t.complaint_request_info(
        complaint=submit(**kwargs), by=actor(Role.ADMIN), question="Di mana tepatnya?"
    )


def dispatched(to: str = "dpupr", **kwargs: Any) -> Complaint:
    return t.complaint_dispatch(complaint=submit(**kwargs), by=actor(Role.ADMIN), agency=agency(to))


def in_progress(to: str = "dpupr", **kwargs: Any) -> Complaint:
    complaint = dispatched(to, **kwargs)
    return t.complaint_acknowledge(complaint=complaint, by=actor(Role.LIAISON, agency(to)))


def returned(to: str = "dpupr", **kwargs: Any) -> Complaint:
    complaint = dispatched(to, **kwargs)
    return t.complaint_return(
        complaint=complaint,
        by=actor(Role.LIAISON, agency(to)),
        reason="Bukan kewenangan kami.",
        suggested_agency=agency("disperkim"),
    )


def responded(to: str = "dpupr", **kwargs: Any) -> Complaint:
    complaint = in_progress(to, **kwargs)
    return t.complaint_respond(
        complaint=complaint,
        by=actor(Role.LIAISON, agency(to)),
        text="Sudah diperbaiki.",
        cause=Cause.objects.get(code="sarana_rusak"),
        resolution=Resolution.RESOLVED,
    )


def closed(to: str = "dpupr", satisfaction: int | None = 4, **kwargs: Any) -> Complaint:
    return t.complaint_confirm(
        complaint=responded(to, **kwargs), by=Actor.complainant(), satisfaction=satisfaction
    )


def archived(**kwargs: Any) -> Complaint:
    return t.complaint_archive(complaint=submit(**kwargs), by=actor(Role.ADMIN), reason="unclear")


BY_STATE = {
    "received": received,
    "pending": pending,
    "dispatched": dispatched,
    "in_progress": in_progress,
    "returned": returned,
    "responded": responded,
    "closed": closed,
    "archived": archived,
}


# --- the same states, reached so that the complaint has a lead agency (`to`) ---------------
# (an agency verb tried on one of these fails on the state, not on "not your agency").


def pending_after_return(to: str = "dpupr", **kwargs: Any) -> Complaint:
    return t.complaint_request_info(
        complaint=returned(to, **kwargs), by=actor(Role.ADMIN), question="Di mana tepatnya?"
    )


def received_after_return(to: str = "dpupr", **kwargs: Any) -> Complaint:
    return t.complaint_supplement(
        complaint=pending_after_return(to, **kwargs), by=Actor.complainant(), text="Di depan SD 1."
    )


def archived_after_return(to: str = "dpupr", **kwargs: Any) -> Complaint:
    return t.complaint_archive(
        complaint=returned(to, **kwargs), by=actor(Role.ADMIN), reason="unclear"
    )


def unrated_closed(to: str = "dpupr", **kwargs: Any) -> Complaint:
    return closed(to, satisfaction=None, **kwargs)


WITH_LEAD_AGENCY = {
    "received": received_after_return,
    "pending": pending_after_return,
    "dispatched": dispatched,
    "in_progress": in_progress,
    "returned": returned,
    "responded": responded,
    "closed": unrated_closed,
    "archived": archived_after_return,
}


# --- reference data, cheaply ----------------------------------------------------------------

BUTON_DATA = Path(__file__).resolve().parents[3] / "data" / "buton"


def _csv_rows(name: str) -> list[dict[str, str]]:
    with (BUTON_DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_workflow_reference_data() -> Agency:
    """The part of the Buton reference data the workflow needs — agencies, holidays (the
    Holiday table as the loader fills it) and causes from data/buton — inserted in bulk.
    No regions or categories: tests that need them use the `buton` fixture."""
    from aduan.agencies.loader import HOLIDAY_KINDS
    from aduan.workdays.models import Holiday

    if not Agency.objects.filter(code="diskominfo").exists():
        Agency.objects.bulk_create(
            Agency(
                code=row["kode"],
                name=row["nama"],
                short_name=row.get("singkatan", "")[:60],
                is_coordinator=row["kode"] == "diskominfo",
            )
            for row in _csv_rows("opd_buton.csv")
        )
        Holiday.objects.bulk_create(
            Holiday(date=row["tanggal"], kind=HOLIDAY_KINDS[row["jenis"]], name=row["nama"][:200])
            for row in _csv_rows("hari_libur_2025_2026.csv")
        )
        Cause.objects.bulk_create(
            Cause(code=row["kode"], name=row["nama"], order=int(row["urutan"] or 0))
            for row in _csv_rows("penyebab.csv")
        )
    return Agency.objects.get(code="diskominfo")


@pytest.fixture
def ref(db: None) -> Agency:
    """A cheaper `buton` (agencies, holidays, causes, in bulk) for tests of the workflow.
    Import it into a conftest.py to use it."""
    return load_workflow_reference_data()


def responded_on_9_june(time_machine: Any) -> Complaint:
    """Dispatched and acknowledged Monday 8 June 2026 09:00 WITA, responded by the dpupr liaison
    Tuesday 9 June 15:00 WITA (time_machine is the pytest fixture; time stays frozen there)."""
    from .workflow.support import wita

    time_machine.move_to(wita(2026, 6, 8, 9), tick=False)
    complaint = in_progress()
    time_machine.move_to(wita(2026, 6, 9, 15), tick=False)
    return t.complaint_respond(
        complaint=complaint,
        by=actor(Role.LIAISON, agency("dpupr")),
        text="Sudah ditambal.",
        cause=Cause.objects.get(code="sarana_rusak"),
        resolution="resolved",
    )
