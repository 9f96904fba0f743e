"""The blocklist of inbound senders (issue 5), for the Dinas admin:

- GET  /kantor/kelola/blokir/               the blocked senders, masked (+62812****890), with
  the channel, note, who blocked and until when; a form to block an address.
- POST /kantor/kelola/blokir/               block an address typed by the admin on one channel
  or on all (aduan.intake.abuse.sender_block: admins only, audited without the address).
- POST /kantor/kelola/blokir/<pk>/hapus/    unblock (sender_unblock, audited).

A blocked sender's messages are still stored (REJECTED) and never answered.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from aduan.accounts.roles import Role
from aduan.complaints.models import Channel
from aduan.core import clock
from aduan.core.exceptions import ApplicationError
from aduan.intake.abuse import sender_block, sender_unblock
from aduan.intake.models import SenderBlock

from ..auth import staff_required

admin_only = staff_required(roles=[Role.ADMIN])
BLOCK_CHANNELS = ("sms", "whatsapp", "telegram", "email")


class SeeOther(HttpResponseRedirect):
    status_code = 303


def channel_choices() -> list[tuple[str, str]]:
    return [(SenderBlock.ALL_CHANNELS, _("Every channel"))] + [
        (value, str(Channel(value).label)) for value in BLOCK_CHANNELS
    ]


class BlockForm(forms.Form):
    sender = forms.CharField(
        label=gettext_lazy("Address"),
        max_length=200,
        help_text=gettext_lazy(
            "A phone number (0812…, +62812…), an email address or a Telegram chat id. "
            "It is not stored: only a keyed hash and a masked form are kept."
        ),
    )
    channel = forms.ChoiceField(label=gettext_lazy("Channel"))
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)
    days = forms.IntegerField(
        label=gettext_lazy("Block for (days)"),
        min_value=1,
        max_value=3650,
        required=False,
        help_text=gettext_lazy("Leave empty to block until removed."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = channel_choices()  # type: ignore[attr-defined]


def _label(channel: str) -> str:
    return dict(channel_choices()).get(channel, channel)


@admin_only
@require_http_methods(["GET", "POST"])
def blocklist(request: HttpRequest) -> HttpResponse:
    form = BlockForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        days = form.cleaned_data["days"]
        try:
            block = sender_block(
                by=request.user,
                channel=form.cleaned_data["channel"],
                sender=form.cleaned_data["sender"],
                note=form.cleaned_data["note"],
                expires_at=clock.now() + dt.timedelta(days=days) if days else None,
            )
        except ApplicationError as exc:
            form.add_error(exc.extra.get("field") if exc.extra else None, exc.message)
        else:
            messages.success(
                request,
                _("%(address)s is blocked on %(channel)s.")
                % {"address": block.masked_address, "channel": _label(block.channel)},
            )
            return SeeOther(reverse("backoffice:blocklist"))
    now = clock.now()
    rows = [
        {
            "block": block,
            "channel": _label(block.channel),
            "expired": bool(block.expires_at and block.expires_at <= now),
        }
        for block in SenderBlock.objects.select_related("created_by")
    ]
    status = 400 if request.method == "POST" else 200
    return render(request, "backoffice/blocklist.html", {"form": form, "rows": rows}, status=status)


@admin_only
@require_POST
def blocklist_remove(request: HttpRequest, pk: int) -> HttpResponse:
    block = get_object_or_404(SenderBlock, pk=pk)
    masked, channel = block.masked_address, _label(block.channel)
    sender_unblock(by=request.user, block=block)
    messages.success(
        request,
        _("%(address)s is no longer blocked on %(channel)s.")
        % {"address": masked, "channel": channel},
    )
    return SeeOther(reverse("backoffice:blocklist"))


__all__ = ["blocklist", "blocklist_remove"]
