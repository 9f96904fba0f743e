from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from aduan.core import clock
from aduan.core.append_only import AppendOnlyModel

if TYPE_CHECKING:
    from aduan.agencies.models import Agency

    from ..workflow.actors import Actor
    from .complaint import Complaint


class Event(AppendOnlyModel):
    """One step in a complaint's history: the audit trail and the public timeline (R6, R21).

    Immutable (also in the database). A state change writes exactly one Event with
    from_state != to_state; escalations, reminders and ratings write events without one.
    """

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="events"
    )
    created_at = models.DateTimeField(_("time"), default=clock.now, db_index=True)
    verb = models.CharField(_("action"), max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_role = models.CharField(_("role"), max_length=20)
    actor_agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_state = models.CharField(_("from"), max_length=20, blank=True)
    to_state = models.CharField(_("to"), max_length=20, blank=True)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    is_public = models.BooleanField(_("shown on the public timeline"), default=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    @classmethod
    def aside(
        cls,
        complaint: Complaint,
        *,
        verb: str,
        by: Actor,
        data: dict[str, Any] | None = None,
        note: str = "",
        agency: Agency | None = None,
        at: dt.datetime | None = None,
    ) -> Event:
        """An event that changes no state and stays off the public timeline: notes, links,
        reminders, escalations, identity corrections..."""
        return cls.objects.create(
            complaint=complaint,
            created_at=at or clock.now(),
            verb=verb,
            actor=by.user,
            actor_role=by.role.value,
            actor_agency_id=by.agency_id,
            from_state=complaint.status,
            to_state=complaint.status,
            agency=agency,
            note=note,
            is_public=False,
            data=data or {},
        )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return f"{self.verb} {self.from_state}→{self.to_state}"

    @property
    def changes_state(self) -> bool:
        return self.from_state != self.to_state
