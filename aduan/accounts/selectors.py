"""Reads on staff accounts."""

from __future__ import annotations

from collections.abc import Iterable

from .models import User


def staff_list_active(*, roles: Iterable[str], agency_id: int | None = None) -> list[User]:
    """Active staff with one of `roles` (of one agency if given): the recipients of notices."""
    users = User.objects.filter(role__in=list(roles), is_active=True)
    if agency_id is not None:
        users = users.filter(agency_id=agency_id)
    return list(users.order_by("pk"))
