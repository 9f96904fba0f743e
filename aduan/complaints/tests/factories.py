"""Test data: staff users per role, and one helper per lifecycle state, each built through the
real workflow functions (so events, clocks and deadlines are what production would have)."""

from __future__ import annotations

import itertools
from typing import Any

import factory

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


def closed(to: str = "dpupr", **kwargs: Any) -> Complaint:
    return t.complaint_confirm(
        complaint=responded(to, **kwargs), by=Actor.complainant(), satisfaction=4
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
