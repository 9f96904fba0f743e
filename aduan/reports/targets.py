"""Setting the performance targets (Pasal 7(4)a: the chair monitors the agencies against
indicators and targets; issue 7). Only the chair of the coordination team sets, changes or
removes a target; every change is audited (S14)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from aduan.accounts.models import User
from aduan.accounts.roles import Role
from aduan.agencies.models import Agency
from aduan.audit.services import audit_record
from aduan.core.exceptions import ApplicationError, PermissionDenied

from .models import Indicator, Target

TARGET_WRITERS = frozenset({Role.CHAIR})
# Indicators that are percentages (0-100); the others are working days or a 1-5 score.
SHARES = frozenset(
    set(Indicator) - {Indicator.MEDIAN_DAYS, Indicator.P90_DAYS, Indicator.SATISFACTION}
)


def can_set_targets(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role in TARGET_WRITERS


def _require_chair(by: User) -> None:
    if not can_set_targets(by):
        raise PermissionDenied(_("Only the chair of the coordination team sets targets."))


def _validate(
    indicator: str, value: Decimal, amber_margin: Decimal, start: dt.date, end: dt.date
) -> Indicator:
    try:
        chosen = Indicator(indicator)
    except ValueError:
        raise ApplicationError(
            _("Choose an indicator."), code="invalid", extra={"field": "indicator"}
        ) from None
    if end < start:
        raise ApplicationError(
            _("The period ends before it starts."), code="invalid", extra={"field": "period_end"}
        )
    if value < 0 or amber_margin < 0:
        raise ApplicationError(
            _("Targets and margins are not negative."), code="invalid", extra={"field": "value"}
        )
    if chosen in SHARES and value > 100:
        raise ApplicationError(
            _("A share is at most 100 (per cent)."), code="invalid", extra={"field": "value"}
        )
    if chosen == Indicator.SATISFACTION and value > 5:
        raise ApplicationError(
            _("Satisfaction is rated 1 to 5."), code="invalid", extra={"field": "value"}
        )
    return chosen


def _snapshot(target: Target) -> dict[str, Any]:
    return {
        "indicator": target.indicator,
        "agency": target.agency.code if target.agency else "",
        "period_start": target.period_start.isoformat(),
        "period_end": target.period_end.isoformat(),
        "value": str(target.value),
        "amber_margin": str(target.amber_margin),
    }


@transaction.atomic
def target_set(
    *,
    by: User,
    indicator: str,
    value: Decimal,
    period_start: dt.date,
    period_end: dt.date,
    agency: Agency | None = None,
    amber_margin: Decimal = Decimal(0),
    target: Target | None = None,
) -> Target:
    """Create a target (or update `target`): chair only, audited (Pasal 7(4)a, S14)."""
    _require_chair(by)
    value, amber_margin = Decimal(value), Decimal(amber_margin)
    chosen = _validate(indicator, value, amber_margin, period_start, period_end)
    before = _snapshot(target) if target is not None else None
    if target is None:
        target = Target(set_by=by)
    target.indicator = chosen
    target.agency = agency
    target.period_start = period_start
    target.period_end = period_end
    target.value = value
    target.amber_margin = amber_margin
    target.set_by = by
    target.save()
    audit_record(
        "target_update" if before else "target_create",
        actor=by,
        obj=target,
        data={"before": before, "after": _snapshot(target)} if before else _snapshot(target),
    )
    return target


@transaction.atomic
def target_delete(*, by: User, target: Target) -> None:
    """Remove a target: chair only, audited."""
    _require_chair(by)
    data = _snapshot(target)
    object_id = str(target.pk)
    target.delete()
    audit_record(
        "target_delete", actor=by, object_type="reports.target", object_id=object_id, data=data
    )
