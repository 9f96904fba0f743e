"""The hook: every Event a transition writes passes here, inside the transition's transaction,
so the outbox row of a push is committed with the change that causes it (S17)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from aduan.complaints.models import Event

from .services import lapor_on_event


@receiver(post_save, sender=Event, dispatch_uid="lapor_on_event")
def _event_saved(
    sender: type[Event], instance: Event, created: bool, raw: bool, **kwargs: Any
) -> None:
    if created and not raw:
        lapor_on_event(instance)
