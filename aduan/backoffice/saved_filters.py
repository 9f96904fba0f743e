"""Saved filters: a staff member keeps a complaint-list query under a name (their own only)."""

from __future__ import annotations

from django.http import QueryDict
from django.utils.translation import gettext as _

from aduan.accounts.models import User
from aduan.core.exceptions import ApplicationError

from .filters import filter_query_string
from .models import SavedFilter

MAX_PER_USER = 50


def saved_filter_save(*, user: User, name: str, query: str) -> SavedFilter:
    """Keep `query` (only its filter keys) under `name`; the same name replaces the old one."""
    name = " ".join(name.split())[:80]
    if not name:
        raise ApplicationError(_("Give the filter a name."), code="name_required")
    clean = filter_query_string(QueryDict(query.lstrip("?")))
    existing = SavedFilter.objects.filter(user=user, name=name).first()
    if existing is not None:
        existing.query = clean
        existing.save(update_fields=["query", "updated_at"])
        return existing
    if SavedFilter.objects.filter(user=user).count() >= MAX_PER_USER:
        raise ApplicationError(
            _("You have %(n)s saved filters; delete one first.") % {"n": MAX_PER_USER},
            code="too_many",
        )
    return SavedFilter.objects.create(user=user, name=name, query=clean)


def saved_filter_delete(*, user: User, pk: int) -> None:
    """Delete one of `user`'s saved filters; another user's raises SavedFilter.DoesNotExist."""
    SavedFilter.objects.get(user=user, pk=pk).delete()
