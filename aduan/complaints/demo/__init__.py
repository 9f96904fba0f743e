"""The Buton demo: demo accounts and three months of complaints, for demo mode only.

`load_demo()` is what `manage.py load_demo` (and so `make run`) calls. It refuses to run
unless settings.ADUAN_DEMO is true: demo accounts with the password `demo` must never exist
outside demo mode. It is idempotent: accounts that exist are left alone, and no complaints
are generated when the database already has some.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from aduan.agencies.models import Agency, Category, Region
from aduan.api.keys import ensure_demo_api_key
from aduan.core import clock
from aduan.notifications.models import OutboxMessage
from aduan.notifications.services import outbox_cancel_pending
from aduan.workdays.services import working_calendar

from ..models import Complaint, DeadlinePolicy
from ..publication import complaint_publish, suggested_public_text
from ..workflow.actors import Actor
from ..workflow.states import Status
from .accounts import DEMO_PASSWORD, EMAIL_DOMAIN, demo_account_specs, ensure_demo_accounts
from .replay import SCENARIOS, Planner, Replayer, ReplayReport

DEFAULT_COMPLAINTS = 300
DEFAULT_SEED = 1708  # the SMS number of LAPOR!
HISTORY_LABEL = "demo history"
KEEP_OUTBOX = dt.timedelta(hours=1)

__all__ = [
    "DEFAULT_COMPLAINTS",
    "DEFAULT_SEED",
    "DEMO_PASSWORD",
    "EMAIL_DOMAIN",
    "DemoModeRequired",
    "DemoReport",
    "ReferenceDataMissing",
    "demo_account_specs",
    "ensure_demo_accounts",
    "load_demo",
]


class DemoModeRequired(Exception):
    """Demo data was asked for outside demo mode."""


class ReferenceDataMissing(Exception):
    """The agencies, categories and regions are not loaded yet."""


@dataclass
class DemoReport:
    accounts_created: int = 0
    accounts_kept: int = 0
    complaints_before: int = 0
    replay: ReplayReport | None = None
    outbox_cancelled: int = 0
    outbox_kept: int = 0
    by_state: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    published: int = 0

    @property
    def complaints_created(self) -> int:
        return self.replay.complaints if self.replay else 0


def require_demo_mode() -> None:
    if not getattr(settings, "ADUAN_DEMO", False):
        raise DemoModeRequired(
            "Demo data is refused outside demo mode (set ADUAN_DEMO=1 for a demo deployment). "
            "Demo accounts with the password 'demo' must never exist in production."
        )


def load_demo(
    *,
    complaints: int = DEFAULT_COMPLAINTS,
    seed: int = DEFAULT_SEED,
    now: dt.datetime | None = None,
) -> DemoReport:
    """Create the demo accounts and, in an empty database, `complaints` complaints replayed
    through the workflow over the last three months (see replay.py)."""
    require_demo_mode()
    if Agency.coordinator() is None or not Category.objects.exists():
        raise ReferenceDataMissing("Load the reference data first: manage.py load_reference_data")
    started = time.monotonic()
    report = DemoReport()
    report.accounts_created, report.accounts_kept = ensure_demo_accounts()
    ensure_demo_api_key()  # DESIGN.md: `demo-api-key` for Open311 POST and /api/v1 integrators
    report.complaints_before = Complaint.objects.count()
    if report.complaints_before == 0 and complaints > 0:
        real_now = now or clock.now()
        with transaction.atomic():
            report.replay = _replay(complaints, seed, real_now)
            report.outbox_cancelled, report.outbox_kept = _quiet_outbox(real_now)
            report.published = _publish(seed)
        counts = Counter(Complaint.objects.values_list("status", flat=True))
        report.by_state = dict(sorted(counts.items()))
    report.seconds = time.monotonic() - started
    return report


def _replay(count: int, seed: int, now: dt.datetime) -> ReplayReport:
    # Reproducible fake data, not security.
    rng = random.Random(seed)  # noqa: S311  # nosec B311
    villages = list(
        Region.objects.filter(
            level__in=[Region.Level.VILLAGE, Region.Level.URBAN_VILLAGE],
            parent__level=Region.Level.DISTRICT,
        )
        .select_related("parent")
        .order_by("code")
    )
    if not villages:
        raise ReferenceDataMissing("No desa/kelurahan in the Region table.")
    planner = Planner(
        rng=rng,
        now=now,
        calendar=working_calendar(),
        policy=DeadlinePolicy.current(),
        villages=villages,
        categories={c.code: c for c in Category.objects.all()},
    )
    stories = planner.plan(count, SCENARIOS)
    return Replayer(stories, now=now, rng=rng).run()


def _publish(seed: int) -> int:
    """The Dinas admin's moderation, replayed: about two thirds of the verified, non-confidential
    reports are approved for the public portal with their PII-masked wording."""
    rng = random.Random(seed + 1)  # noqa: S311  # nosec B311
    admin = Actor.system()
    published = 0
    candidates = Complaint.objects.public().exclude(
        status__in=[Status.RECEIVED, Status.PENDING, Status.RETURNED]
    )
    for complaint in candidates.order_by("pk").iterator():
        if rng.random() < 0.66:
            title, body = suggested_public_text(complaint)
            complaint_publish(complaint=complaint, by=admin, title=title, body=body)
            published += 1
    return published


def _quiet_outbox(now: dt.datetime) -> tuple[int, int]:
    """The replay wrote three months of notifications; only the last hour's are still worth
    sending when the demo starts. The rest is cancelled, so `make run` does not flood the
    console with history. The database had no complaints before the replay, so every waiting
    outbox row is the replay's."""
    cancelled = outbox_cancel_pending(created_before=now - KEEP_OUTBOX, reason=HISTORY_LABEL)
    return cancelled, OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).count()
