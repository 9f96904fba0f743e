from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from aduan.core.exceptions import PermissionDenied

from .states import ActorRole

if TYPE_CHECKING:
    from aduan.accounts.models import User


@dataclass(frozen=True)
class Actor:
    """Who performs a transition. Staff act as their user; the complainant through the secret
    link (the caller has checked it); the system in sweeps."""

    role: ActorRole
    user: User | None = None
    agency_id: int | None = None

    @classmethod
    def of(cls, user: User) -> Actor:
        role = ActorRole(user.role) if user.role else None
        if role is None or not user.is_active:
            raise PermissionDenied(
                _("Your account has no role in complaint handling."), code="no_role"
            )
        return cls(role=role, user=user, agency_id=user.agency_id)

    @classmethod
    def complainant(cls) -> Actor:
        return cls(role=ActorRole.COMPLAINANT)

    @classmethod
    def system(cls) -> Actor:
        return cls(role=ActorRole.SYSTEM)

    @property
    def label(self) -> str:
        if self.user is not None:
            return self.user.get_username()
        return str(self.role.value)
