"""A generated set of complaints for the aggregate and open-data tests (K2), built through the
real workflow at frozen WITA moments, plus independent plain-Python views of the rows."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from aduan.accounts.models import User
from aduan.accounts.roles import Role
from aduan.agencies.models import Category, Region
from aduan.complaints.models import Channel, Complaint, Kind
from aduan.complaints.tests import factories as f
from aduan.complaints.workflow import transitions as t
from aduan.complaints.workflow.actors import Actor

WITA = ZoneInfo("Asia/Makassar")
AGENCIES = ("dpupr", "dinkes", "disdik")
CHANNELS = (Channel.WEB, Channel.SMS, Channel.WHATSAPP, Channel.WALK_IN)
STATES = ("received", "dispatched", "in_progress", "returned", "responded", "closed", "archived")


@dataclass
class Places:
    kec_a: Region
    desa_a1: Region
    desa_a2: Region
    kec_b: Region
    desa_b1: Region
    kec_c: Region
    top1: Category
    leaf1a: Category
    leaf1b: Category
    top2: Category


def places() -> Places:
    kab = Region.objects.create(code="99.01", name="Kab Uji", level=Region.Level.REGENCY)

    def region(code: str, name: str, level: str, parent: Region) -> Region:
        return Region.objects.create(code=code, name=name, level=level, parent=parent)

    kec_a = region("99.01.01", "Kec Alfa", Region.Level.DISTRICT, kab)
    kec_b = region("99.01.02", "Kec Beta", Region.Level.DISTRICT, kab)
    kec_c = region("99.01.03", "Kec Gama", Region.Level.DISTRICT, kab)
    top1 = Category.objects.create(code="K2T1", name="Infrastruktur Uji")
    top2 = Category.objects.create(code="K2T2", name="Kesehatan Uji")
    return Places(
        kec_a=kec_a,
        desa_a1=region("99.01.01.2001", "Desa Alfa Satu", Region.Level.VILLAGE, kec_a),
        desa_a2=region("99.01.01.1001", "Kel Alfa Dua", Region.Level.URBAN_VILLAGE, kec_a),
        kec_b=kec_b,
        desa_b1=region("99.01.02.2001", "Desa Beta Satu", Region.Level.VILLAGE, kec_b),
        kec_c=kec_c,
        top1=top1,
        leaf1a=Category.objects.create(code="K2T1A", name="Jalan Uji", parent=top1),
        leaf1b=Category.objects.create(code="K2T1B", name="Jembatan Uji", parent=top1),
        top2=top2,
    )


def make(state: str, to: str, **kwargs: Any) -> Complaint:
    comment = kwargs.pop("comment", "")
    satisfaction = kwargs.pop("satisfaction", None)
    if state == "received":
        return f.received(**kwargs)
    if state == "archived":
        return f.archived(**kwargs)
    if state == "closed":
        return t.complaint_confirm(
            complaint=f.responded(to, **kwargs),
            by=Actor.complainant(),
            satisfaction=satisfaction,
            comment=comment,
        )
    builder: Any = f.BY_STATE[state]
    return builder(to, **kwargs)


def generate(time_machine: Any, n: int = 40, seed: int = 7) -> Places:
    """`n` complaints received between 4 May and 31 July 2026 (WITA), in every state, over
    three agencies, four channels, three kinds, the test regions and categories (some unset),
    20% confidential, the closed ones rated (some with a comment naming the complainant)."""
    p = places()
    rng = random.Random(seed)
    regions = [None, p.kec_a, p.desa_a1, p.desa_a2, p.kec_b, p.desa_b1, p.kec_c]
    categories = [None, p.top1, p.leaf1a, p.leaf1b, p.top2]
    for _ in range(n):
        day = dt.date(2026, 5, 4) + dt.timedelta(days=rng.randrange(0, 89))
        time_machine.move_to(
            dt.datetime.combine(day, dt.time(rng.choice([0, 7, 10, 15, 23]), 30), tzinfo=WITA),
            tick=False,
        )
        state = rng.choice(STATES)
        kwargs: dict[str, Any] = {
            "channel": rng.choice(CHANNELS),
            "kind": rng.choice(list(Kind.values)),
            "region": rng.choice(regions),
            "category": rng.choice(categories),
            "private": rng.random() < 0.2,
        }
        if state == "closed":
            kwargs["satisfaction"] = rng.choice([None, 1, 2, 3, 4, 5, 5])
            if kwargs["satisfaction"] and rng.random() < 0.7:
                kwargs["comment"] = f"Terima kasih, Warga Uji 081234567890 nomor {day}"
        make(state, rng.choice(AGENCIES), **kwargs)
    # one complaint seen by disdik as a co-agency (S3: co-agencies see it too)
    shared = Complaint.objects.filter(lead_agency__code="dpupr").first()
    if shared is not None:
        shared.co_agencies.add(f.agency("disdik"))
    return p


def liaison(code: str) -> User:
    return f.staff(Role.LIAISON, f.agency(code))


def rows(pks: Any = None) -> list[dict[str, Any]]:
    """Every complaint as a plain dict (the independent side of the tests)."""
    qs = Complaint.objects.all() if pks is None else Complaint.objects.filter(pk__in=pks)
    result = []
    for c in qs.select_related("region", "category", "category__parent"):
        region = c.region
        if region is None:
            kecamatan = desa = None
        elif region.level == Region.Level.DISTRICT:
            kecamatan, desa = region.pk, None
        else:
            kecamatan, desa = region.parent_id, region.pk
        cat = c.category
        top = None
        if cat is not None:
            top = cat.pk
            while cat is not None and cat.parent_id is not None:
                cat = cat.parent
                top = cat.pk if cat is not None else top
        result.append(
            {
                "obj": c,
                "pk": c.pk,
                "date": c.received_at.astimezone(WITA).date(),
                "channel": c.channel,
                "kind": c.kind,
                "category": top,
                "category_leaf": c.category_id,
                "kecamatan": kecamatan,
                "desa": desa,
                "agency": c.lead_agency_id,
                "status": c.status,
                "dispatched": c.first_dispatched_at is not None,
                "responded": c.first_responded_at is not None,
                "cause": c.cause_id,
                "satisfaction": c.satisfaction,
                "private": c.private,
                "co_agencies": set(c.co_agencies.values_list("pk", flat=True)),
            }
        )
    return result
