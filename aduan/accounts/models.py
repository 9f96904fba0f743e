from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .roles import AGENCY_ROLES, Role


class User(AbstractUser):
    """A staff member. Citizens have no account: they hold a complaint's secret link."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    language = models.CharField(_("language"), max_length=8, default="id")

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role__in=sorted(r.value for r in AGENCY_ROLES))
                | models.Q(agency__isnull=False),
                name="agency_roles_have_agency",
            )
        ]

    def clean(self) -> None:
        super().clean()
        if self.role in AGENCY_ROLES and self.agency_id is None:
            raise ValidationError(
                {"agency": _("Liaison officers and agency heads belong to an agency.")}
            )

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username
